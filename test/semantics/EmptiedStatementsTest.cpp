//===- EmptiedStatementsTest.cpp - What a removal empties, and what stays -===//
#include "TestSupport.h"
#include "invariant/AuditService.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

namespace {

Tree serviceWith(const std::string &Path, const std::string &Text) {
  return {{"svc/__init__.py", ""},
          {"svc/audit.py", "import logging\n\n\ndef get_audit_logger():\n"
                           "    return logging.getLogger(\"audit\")\n\n\n"
                           "def other():\n    return 1\n"},
          {Path, Text}};
}

} // namespace

TEST_CASE("a match case whose body the removal empties gets pass, and the "
          "later cases keep their order",
          "[cascade]") {
  std::string Input = py(R"py(
from svc.audit import get_audit_logger


async def handle(command):
    match command:
        case "audit" | "trace":
            get_audit_logger().info("audit")
        case "ping":
            return "pong"
        case _:
            return None
    return "done"
)py");
  std::string Expected = py(R"py(
async def handle(command):
    match command:
        case "audit" | "trace":
            pass
        case "ping":
            return "pong"
        case _:
            return None
    return "done"
)py");
  TreeRun Run = runOnTree(serviceWith("svc/route.py", Input), DropAudit);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/route.py"] == Expected);
}

TEST_CASE("a global declaration goes with the assignments it declared, and "
          "the function left empty goes too",
          "[cascade]") {
  std::string Input = py(R"py(
from svc.audit import get_audit_logger

_sink = None


def configure():
    global _sink
    _sink = get_audit_logger()


def reset():
    global _sink
    _sink = None
)py");
  std::string Expected = py(R"py(
_sink = None


def reset():
    global _sink
    _sink = None
)py");
  TreeRun Run = runOnTree(serviceWith("svc/state.py", Input), DropAudit);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/state.py"] == Expected);
}

TEST_CASE("an emptied for loop whose variable is read after it stays with "
          "pass; one whose variable is not goes",
          "[cascade]") {
  std::string Input = py(R"py(
from svc.audit import get_audit_logger


def last_batch(batches):
    for batch in batches:
        get_audit_logger().info("batch %s", batch)
    for item in batches:
        get_audit_logger().info("item %s", item)
    return batch
)py");
  std::string Expected = py(R"py(
def last_batch(batches):
    for batch in batches:
        pass
    return batch
)py");
  TreeRun Run = runOnTree(serviceWith("svc/batches.py", Input), DropAudit);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/batches.py"] == Expected);
}
