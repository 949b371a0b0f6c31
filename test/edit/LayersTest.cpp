//===- LayersTest.cpp - Edits made in steps, reported against the original ===//
//
// A rewrite's edits, then the cascade's edits of the rewritten text: each
// case composes them and compares the edits of the original text, with
// their causes, to what is expected.
//
//===----------------------------------------------------------------------===//
#include "edit/Layers.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace excise;

namespace {

const char *const Path = "svc/payments.py";

/// An edit replacing \p Old, which must occur once in \p Text, by \p New.
Edit edit(const std::string &Text, const std::string &Old, llvm::StringRef New,
          std::string RuleId, std::string Step) {
  size_t Offset = Text.find(Old);
  REQUIRE(Offset != std::string::npos);
  REQUIRE(Text.find(Old, Offset + 1) == std::string::npos);
  Edit E;
  E.Replacement = clang::tooling::Replacement(Path, Offset, Old.size(), New);
  E.RuleId = std::move(RuleId);
  E.Reason = {std::move(Step)};
  return E;
}

/// An edit inserting \p New before \p Before, which must occur once.
Edit insertion(const std::string &Text, const std::string &Before, llvm::StringRef New,
               std::string RuleId, std::string Step) {
  Edit E = edit(Text, Before, New, std::move(RuleId), std::move(Step));
  E.Replacement = clang::tooling::Replacement(Path, E.offset(), 0, New);
  return E;
}

/// Adds a layer of \p Edits, failing the test when it is refused.
void addLayer(EditLayers &Layers, const std::vector<Edit> &Edits, bool Guarded) {
  if (llvm::Error Err = Layers.add(Edits, Guarded))
    FAIL(llvm::toString(std::move(Err)));
}

/// \p Original with its one `log.warning(` rewritten to structlog's, as the
/// first layer.
EditLayers withWarningRewritten(const std::string &Original) {
  EditLayers Layers(Path, Original);
  addLayer(Layers, {edit(Original, "log.warning(", "structlog.get_logger().warning(",
                         "warnings-to-structlog", "rewrite: matched `log.warning(`")},
           /*Guarded=*/false);
  return Layers;
}

/// "old text -> new text: rule → step; rule → step" for each composed edit.
std::vector<std::string> described(const EditLayers &Layers) {
  std::vector<std::string> Out;
  for (const Edit &E : Layers.composed()) {
    std::string S = "`" + Layers.original().substr(E.offset(), E.length()) +
                    "` -> `" + E.text().str() + "`:";
    for (const EditCause &Why : E.causes())
      S += " " + Why.explanation() + ";";
    Out.push_back(S);
  }
  return Out;
}

} // namespace

TEST_CASE("an edit the cascade makes around a rewritten call keeps both rules",
          "[edit]") {
  const std::string Original = R"(    async def capture(self, payment):
        if audit:
            audit.checkpoint(payment.id, "captured")
        return payment
)";
  EditLayers Layers(Path, Original);
  addLayer(Layers, {edit(Original, "audit.checkpoint(payment.id, \"captured\")",
                                 "log.info(\"captured\", id=payment.id)",
                                 "audit-to-log", "rewrite: matched `audit.checkpoint(`")},
                           /*Guarded=*/false);
  const std::string Rewritten = Layers.current();
  addLayer(Layers, 
      {edit(Rewritten, "if audit:\n            log.info(\"captured\", id=payment.id)\n",
            "log.info(\"captured\", id=payment.id)\n", "drop-audit",
            "guard `if audit:` always true: body kept")},
      /*Guarded=*/true);
  CHECK(described(Layers) ==
        std::vector<std::string>{
            "`if audit:\n            audit.checkpoint(payment.id, \"captured\")\n` -> "
            "`log.info(\"captured\", id=payment.id)\n`: drop-audit \xE2\x86\x92 guard "
            "`if audit:` always true: body kept; audit-to-log \xE2\x86\x92 rewrite: "
            "matched `audit.checkpoint(`;"});
}

TEST_CASE("a deletion that ends where an edit composed with a rewrite starts "
          "keeps only its own cause",
          "[edit]") {
  // The rewrite adds `import structlog` after the last import; the cascade
  // deletes both imports. The second deletion and the insertion become one
  // edit; the first stays its own, credited to its own import alone.
  const std::string Original = R"(import logging
from svc.audit import AuditLog
from svc.audit import get_audit_log

log = logging.getLogger(__name__)
)";
  EditLayers Layers(Path, Original);
  addLayer(Layers, {insertion(Original, "\nlog = ", "import structlog\n",
                                      "audit-to-structlog",
                                      "rewrite: the fix needs `import structlog`")},
                           /*Guarded=*/false);
  const std::string Rewritten = Layers.current();
  addLayer(Layers, 
      {edit(Rewritten, "from svc.audit import AuditLog\n", "", "drop-audit",
            "import of svc.audit.AuditLog"),
       edit(Rewritten, "from svc.audit import get_audit_log\n", "", "drop-audit",
            "import of svc.audit.get_audit_log")},
      /*Guarded=*/true);
  CHECK(Layers.current() == R"(import logging
import structlog

log = logging.getLogger(__name__)
)");
  CHECK(described(Layers) ==
        std::vector<std::string>{
            "`from svc.audit import AuditLog\n` -> ``: drop-audit \xE2\x86\x92 "
            "import of svc.audit.AuditLog;",
            "`from svc.audit import get_audit_log\n` -> `import structlog\n`: "
            "drop-audit \xE2\x86\x92 import of svc.audit.get_audit_log; "
            "audit-to-structlog \xE2\x86\x92 rewrite: the fix needs `import structlog`;"});
}

TEST_CASE("a deletion of the whole method around a rewritten call subsumes the "
          "rewrite",
          "[edit]") {
  const std::string Original = R"(class OrderService:
    def legacy_export(self, order):
        log.warning("exported %s", order.id)

    async def place(self, order):
        return order
)";
  EditLayers Layers = withWarningRewritten(Original);
  const std::string Rewritten = Layers.current();
  addLayer(Layers,
           {edit(Rewritten,
                 "    def legacy_export(self, order):\n"
                 "        structlog.get_logger().warning(\"exported %s\", order.id)\n\n",
                 "", "drop-legacy-export", "definition of legacy_export")},
           /*Guarded=*/true);
  CHECK(Layers.current() == R"(class OrderService:
    async def place(self, order):
        return order
)");
  std::vector<Edit> Composed = Layers.composed();
  REQUIRE(Composed.size() == 1);
  CHECK(described(Layers) ==
        std::vector<std::string>{
            "`    def legacy_export(self, order):\n"
            "        log.warning(\"exported %s\", order.id)\n\n` -> ``: "
            "drop-legacy-export \xE2\x86\x92 definition of legacy_export;"});
  CHECK(Composed[0].Subsumed ==
        std::vector<EditCause>{
            {"warnings-to-structlog", {"rewrite: matched `log.warning(`"}}});
}

TEST_CASE("a deletion that cuts into what a rewrite wrote is a conflict naming "
          "both",
          "[edit]") {
  const std::string Original = R"(    async def place(self, order):
        log.warning("placed %s", order.id)
        return order
)";
  EditLayers Layers = withWarningRewritten(Original);
  const std::string Rewritten = Layers.current();
  llvm::Error Err = Layers.add(
      {edit(Rewritten, "structlog.get_logger().", "", "drop-structlog",
            "call of structlog.get_logger")},
      /*Guarded=*/true);
  REQUIRE(bool(Err));
  std::string Message = llvm::toString(std::move(Err));
  CHECK_THAT(Message, Catch::Contains("svc/payments.py: conflicting edits: "
                                      "[drop-structlog] replaces bytes"));
  CHECK_THAT(Message, Catch::Contains("[warnings-to-structlog] replaces bytes"));
}
