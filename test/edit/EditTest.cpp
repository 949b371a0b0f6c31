//===- EditTest.cpp - The edits of one file, with their causes ------------===//
#include "edit/Edit.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace excise;

TEST_CASE("an identical edit of another rule is made once and keeps both rules",
          "[edit]") {
  // `from svc.logging import AuditLogger, EventSink` deleted whole by the
  // rule removing each name.
  const std::string Text = "from svc.logging import AuditLogger, EventSink\n"
                           "\n"
                           "class InvoiceService:\n"
                           "    pass\n";
  auto Deletion = [&](std::string RuleId, std::string Step) {
    Edit E;
    E.Replacement =
        clang::tooling::Replacement("svc/billing.py", 0, Text.find('\n') + 1, "");
    E.RuleId = std::move(RuleId);
    E.Reason = {std::move(Step)};
    return E;
  };
  FileEdits Set("svc/billing.py");
  auto Add = [&](Edit E) {
    if (llvm::Error Err = Set.add(std::move(E)))
      FAIL(llvm::toString(std::move(Err)));
  };
  Add(Deletion("drop-audit-logger", "import of svc.logging.AuditLogger"));
  Add(Deletion("drop-event-sink", "import of svc.logging.EventSink"));
  Add(Deletion("drop-event-sink", "import of svc.logging.EventSink"));
  REQUIRE(Set.edits().size() == 1);
  CHECK(Set.edits()[0].causes() ==
        std::vector<EditCause>{
            {"drop-audit-logger", {"import of svc.logging.AuditLogger"}},
            {"drop-event-sink", {"import of svc.logging.EventSink"}}});
  auto After = Set.apply(Text);
  REQUIRE(bool(After));
  CHECK(*After == "\nclass InvoiceService:\n    pass\n");
}
