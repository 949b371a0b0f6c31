//===- UnseenUsesTest.cpp - Uses the cascade's walk does not enter --------===//
//
// Uses of a removed thing in places the cascade's leftover walk does not
// enter, or that only the binding check sees: f-string replacement fields,
// comprehensions, default values, type aliases. Each is reported, with the
// expected diagnostics next to the input.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "invariant/AuditService.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

namespace {

const char *const AuditModule = R"py(import logging


def get_audit_logger(fallback=False):
    return logging.getLogger("audit.fallback" if fallback else "audit")
)py";

std::string warningsWith(const std::string &Path, const std::string &Text) {
  Tree T = {{"svc/__init__.py", ""}, {"svc/audit.py", AuditModule}, {Path, Text}};
  TreeRun Run = runOnTree(T, DropAudit);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  return Run.diagnostics();
}

} // namespace

TEST_CASE("a local read in an f-string replacement field and in a "
          "comprehension is reported when its binding goes",
          "[invariant]") {
  std::string Notify = py(R"py(
from svc.audit import get_audit_logger


def describe(event):
    audit = get_audit_logger()
    label = f"{audit!r}: {event}"
    return label


async def flush(events):
    audit = get_audit_logger()
    return [f"{audit.name}:{e}" for e in events]
)py");
  CHECK(warningsWith("svc/notify.py", Notify) ==
        "svc/notify.py:6:16: 'audit' is left unbound here: the plan removes its "
        "binding at line 5; this use cannot be removed safely [drop-audit]\n"
        "svc/notify.py:12:16: 'audit' is left unbound here: the plan removes its "
        "binding at line 11; this use cannot be removed safely [drop-audit]\n");
}

TEST_CASE("a removed function as a default value and in a type alias is "
          "reported",
          "[invariant]") {
  std::string Notify = py(R"py(
from svc.audit import get_audit_logger


def describe(event, sink=get_audit_logger):
    return sink(event)


type AuditFactory = get_audit_logger | None
)py");
  CHECK(warningsWith("svc/notify.py", Notify) ==
        "svc/notify.py:4:26: 'get_audit_logger' is removed by the plan but this "
        "use cannot be removed safely [drop-audit]\n"
        "svc/notify.py:8:21: 'get_audit_logger' is removed by the plan but this "
        "use cannot be removed safely [drop-audit]\n");
}
