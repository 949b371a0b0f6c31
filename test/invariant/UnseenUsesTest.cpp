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

TEST_CASE("a name read in a string annotation or a type comment is reported "
          "when its import goes, and a Literal's strings are values",
          "[invariant]") {
  std::string Sinks = py(R"py(
import typing as t
from typing import List, Literal

if t.TYPE_CHECKING:  # pragma: no cover
    from svc.audit import get_audit_logger

_sinks: "List[get_audit_logger]" = []
mode: Literal["get_audit_logger", "fast"] = "fast"


def attach(factory: "get_audit_logger", level: "t.Optional[int]" = None) -> "t.Any":
    _sinks.append(factory)


def legacy_attach(factories):
    # type: (List[get_audit_logger]) -> int
    return len(factories)


def quiet(x):  # type: ignore[no-untyped-def]
    total = 0  # type: int
    return total + x
)py");
  CHECK(warningsWith("svc/sinks.py", Sinks) ==
        "svc/sinks.py:7:15: 'get_audit_logger' is left unbound here: the plan "
        "removes its binding at line 5; this use cannot be removed safely "
        "[drop-audit]\n"
        "svc/sinks.py:11:22: 'get_audit_logger' is left unbound here: the plan "
        "removes its binding at line 5; this use cannot be removed safely "
        "[drop-audit]\n"
        "svc/sinks.py:16:19: 'get_audit_logger' is left unbound here: the plan "
        "removes its binding at line 5; this use cannot be removed safely "
        "[drop-audit]\n");
}

TEST_CASE("an import that only a kept string annotation still reads is kept",
          "[invariant]") {
  std::string Sinks = py(R"py(
import typing as t

if t.TYPE_CHECKING:
    from svc.audit import get_audit_logger


def attach(factory, level: "t.Optional[int]" = None):
    return factory, level
)py");
  Tree T = {{"svc/__init__.py", ""}, {"svc/audit.py", AuditModule}, {"svc/sinks.py", Sinks}};
  TreeRun Run = runOnTree(T, DropAudit);
  INFO(Run.ErrorMessage << Run.diagnostics());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/sinks.py"] == "import typing as t\n"
                                     "\n"
                                     "\n"
                                     "def attach(factory, level: \"t.Optional[int]\" = None):\n"
                                     "    return factory, level\n");
}

TEST_CASE("a binding in the else of 'if TYPE_CHECKING' does not keep a type "
          "comment's name bound",
          "[invariant]") {
  std::string Fixtures = py(R"py(
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from svc.audit import get_audit_logger
else:
    get_audit_logger = object


def audit_sink(app):
    # type: (object) -> get_audit_logger
    return app.sink
)py");
  CHECK(warningsWith("svc/fixtures.py", Fixtures) ==
        "svc/fixtures.py:10:25: 'get_audit_logger' is left unbound here: the plan "
        "removes its binding at line 4; this use cannot be removed safely "
        "[drop-audit]\n");
}
