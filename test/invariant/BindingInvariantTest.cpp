//===- BindingInvariantTest.cpp - Every name that resolved still does -----===//
//
// The binding invariant: after the plan, every read that resolved before
// still resolves, or it is a reported leftover. Each case is a shape the
// cascade leaves in place (a read of a local whose bindings go, a name taken
// through a star import, a module global lost under a removed guard); the
// expected diagnostics sit next to the input.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "invariant/AuditService.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

namespace {

const char *const AuditModule = R"py(import logging

log = logging.getLogger(__name__)


def get_audit_logger(fallback=False):
    """The audit sink of the current tenant."""
    return logging.getLogger("audit.fallback" if fallback else "audit")


def audit_enabled():
    return True
)py";

/// The tree of a small delivery service with \p Files added.
Tree serviceWith(const Tree &Files) {
  Tree T = {{"svc/__init__.py", ""}, {"svc/audit.py", AuditModule}};
  for (const auto &[Path, Text] : Files)
    T[Path] = Text;
  return T;
}

/// The run's warnings, one per line (`file:line:col: message [rule]`).
std::string warningsOf(const Tree &T, const char *Plan = DropAudit) {
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  return Run.diagnostics();
}

} // namespace

TEST_CASE("a read whose every binding the plan removes is reported as left "
          "unbound",
          "[invariant]") {
  std::string Deliver = py(R"py(
from svc.audit import get_audit_logger


class Deliverer:
    async def deliver(self, event):
        try:
            audit = get_audit_logger()
        except RuntimeError:
            audit = get_audit_logger(fallback=True)
        await event.send()
        if audit:
            audit.info("delivered %s", event.id)
)py");
  CHECK(warningsOf(serviceWith({{"svc/deliver.py", Deliver}})) ==
        "svc/deliver.py:11:12: 'audit' is left unbound here: the plan "
        "removes its binding at line 7; this use cannot be removed safely "
        "[drop-audit]\n"
        "svc/deliver.py:12:13: 'audit' is left unbound here: the plan "
        "removes its binding at line 7; this use cannot be removed safely "
        "[drop-audit]\n");
}

TEST_CASE("a read that a removed binding reached on every path and a kept "
          "binding reaches on some is reported as may be unbound",
          "[invariant]") {
  std::string Vcs = py(R"py(
from svc.audit import get_audit_logger


def remote_url(cls, directory):
    repo_url = get_audit_logger().name
    if needs_prefix(repo_url):
        repo_url = f"git+{repo_url}"
    return repo_url


def needs_prefix(url):
    return "://" not in url
)py");
  CHECK(warningsOf(serviceWith({{"svc/vcs.py", Vcs}})) ==
        "svc/vcs.py:6:21: 'repo_url' may be unbound here: the plan "
        "removes its binding at line 5, and a path to this use is left without "
        "one; it cannot be removed safely [drop-audit]\n"
        "svc/vcs.py:7:27: 'repo_url' may be unbound here: the plan "
        "removes its binding at line 5, and a path to this use is left without "
        "one; it cannot be removed safely [drop-audit]\n"
        "svc/vcs.py:8:12: 'repo_url' may be unbound here: the plan "
        "removes its binding at line 5, and a path to this use is left without "
        "one; it cannot be removed safely [drop-audit]\n");
}

TEST_CASE("an annotated assignment from a removed call leaves its later reads "
          "reported",
          "[invariant]") {
  std::string Files = py(R"py(
from typing import Optional

from svc.audit import get_audit_logger


def extension(name: str) -> str:
    ext: Optional[str] = get_audit_logger(name)[1]
    if not ext:
        ext = guess(name)
    return ext


def guess(name):
    return ".bin"
)py");
  std::string Warnings = warningsOf(serviceWith({{"svc/files.py", Files}}));
  CHECK(Warnings.find("svc/files.py:8:12: 'ext' may be unbound here") !=
        std::string::npos);
}

TEST_CASE("a read still bound on every path after the plan is not reported",
          "[invariant]") {
  std::string Subscriber = py(R"py(
from svc.audit import get_audit_logger


async def on_event(data, opened):
    db_logger = get_audit_logger()
    flow_id = data.get("flow_id")
    if db_logger and not flow_id:
        flow_id = db_logger.new_flow_id()
    if flow_id:
        opened.setdefault(flow_id, 0)
    try:
        channel = data["channel"]
    except KeyError:
        channel = "default"
    with open("/dev/null") as sink:
        kind = data.get("kind")
    if flow_id:
        return channel, kind, sink
)py");
  TreeRun Run = runOnTree(serviceWith({{"svc/subscriber.py", Subscriber}}), DropAudit);
  INFO(Run.ErrorMessage << Run.diagnostics());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/subscriber.py"].find("db_logger") == std::string::npos);
}

TEST_CASE("a read the plan cuts out of a condition is not reported, though a "
          "kept comment of the statement names it",
          "[invariant]") {
  std::string Fixtures = py(R"py(
from svc.audit import get_audit_logger


def wrap(fn, kw):
    audit = get_audit_logger()
    if audit and "autouse" in kw:
        # the audit workaround: see get_audit_logger for the reason
        fn.audited = True
    else:
        fn.audited = False
    return fn
)py");
  TreeRun Run = runOnTree(serviceWith({{"svc/fixtures.py", Fixtures}}), DropAudit);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/fixtures.py"].find("    if \"autouse\" in kw:\n") != std::string::npos);
}

TEST_CASE("a use of a removed function inside a lambda body is reported",
          "[invariant]") {
  std::string Hooks = py(R"py(
from svc.audit import get_audit_logger

HOOKS = {
    "audit": lambda event: get_audit_logger().info(event),
    "noop": lambda event: None,
}
)py");
  std::string Warnings = warningsOf(serviceWith({{"svc/hooks.py", Hooks}}));
  CHECK(Warnings.find("svc/hooks.py:4:28: 'get_audit_logger'") !=
        std::string::npos);
}

TEST_CASE("a name re-exported by a package's star import is the symbol it "
          "re-exports: its import through the package goes, a use that cannot is "
          "reported",
          "[invariant]") {
  Tree T = serviceWith({
      {"svc/__init__.py", "from .audit import *  # noqa: F401,F403\n"},
      {"app/__init__.py", ""},
      {"app/views.py", py(R"py(
from svc import audit_enabled, get_audit_logger


def view(request):
    if audit_enabled():
        return get_audit_logger
    return None
)py")},
  });
  TreeRun Run = runOnTree(T, DropAudit);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics() ==
        "app/views.py:6:16: 'get_audit_logger' is removed by the plan but this use "
        "cannot be removed safely [drop-audit]\n");
  CHECK(Run.After["app/views.py"].find("from svc import audit_enabled\n") == 0);
}

TEST_CASE("a plan may name a symbol by the package path that re-exports it",
          "[invariant]") {
  for (const char *Init : {"from .audit import *  # noqa: F401,F403\n",
                           "from .audit import audit_enabled, get_audit_logger\n"}) {
    Tree T = serviceWith({
        {"svc/__init__.py", Init},
        {"app/__init__.py", ""},
        {"app/views.py", py(R"py(
import svc


def view(request):
    svc.get_audit_logger().info("view")
    return svc.audit_enabled()
)py")},
    });
    TreeRun Run = runOnTree(T, R"yaml(plan: drop-audit
rules:
  - id: drop-audit
    remove-symbol: svc.get_audit_logger
)yaml");
    INFO(Init);
    REQUIRE(Run.ErrorMessage.empty());
    CHECK(Run.diagnostics().empty());
    CHECK(Run.After["svc/audit.py"].find("def get_audit_logger") == std::string::npos);
    CHECK(Run.After["app/views.py"] == py(R"py(
import svc


def view(request):
    return svc.audit_enabled()
)py"));
  }
}

TEST_CASE("a name a star import brings from the module that defines it is "
          "the removed symbol: its statements go, other uses are reported",
          "[invariant]") {
  Tree T = serviceWith({
      {"app/__init__.py", ""},
      {"app/views.py", py(R"py(
from svc.audit import *  # noqa: F403


def view(request):
    get_audit_logger().info("view")
    return render(get_audit_logger, request)


def render(factory, request):
    return factory, request
)py")},
  });
  TreeRun Run = runOnTree(T, DropAudit);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics() ==
        "app/views.py:6:19: 'get_audit_logger' is removed by the plan but this use "
        "cannot be removed safely [drop-audit]\n");
  CHECK(Run.After["app/views.py"].find("get_audit_logger().info") == std::string::npos);
}

TEST_CASE("a name a star import brings through a module that loses it without "
          "the plan naming it is reported",
          "[invariant]") {
  // `AUDIT_CHANNEL` is bound only under a guard on the removed function: the
  // module loses it, and the star import with it.
  Tree T = serviceWith({
      {"svc/settings.py", py(R"py(
from svc.audit import get_audit_logger

if get_audit_logger():
    AUDIT_CHANNEL = "audit"
)py")},
      {"app/__init__.py", ""},
      {"app/views.py", py(R"py(
from svc.settings import *  # noqa: F403


def channels():
    return [AUDIT_CHANNEL]
)py")},
  });
  CHECK(warningsOf(T) ==
        "app/views.py:5:13: 'AUDIT_CHANNEL' came from 'from svc.settings import *', "
        "but the plan removes it at svc/settings.py:4; this use cannot be removed "
        "safely [drop-audit]\n");
}

TEST_CASE("a module global bound only under a removed guard is reported where "
          "another module imports it",
          "[invariant]") {
  Tree T = serviceWith({
      {"svc/settings.py", py(R"py(
from svc.audit import get_audit_logger

if get_audit_logger():
    AUDIT_CHANNEL = "audit"
)py")},
      {"app/__init__.py", ""},
      {"app/worker.py", py(R"py(
import svc.settings
from svc.settings import AUDIT_CHANNEL


def channels():
    return [AUDIT_CHANNEL, svc.settings.AUDIT_CHANNEL]
)py")},
  });
  CHECK(warningsOf(T) ==
        "app/worker.py:2:26: 'AUDIT_CHANNEL' is no longer defined in "
        "'svc.settings': the plan removes it at svc/settings.py:4; this use cannot "
        "be removed safely [drop-audit]\n"
        "app/worker.py:6:28: 'AUDIT_CHANNEL' is no longer defined in "
        "'svc.settings': the plan removes it at svc/settings.py:4; this use cannot "
        "be removed safely [drop-audit]\n");
}

TEST_CASE("a module global that only a removed function set is reported where "
          "it is used as an object and no condition tests it",
          "[invariant]") {
  std::string Profiling = py(R"py(
import os

_current_test = None
_dump_dir = os.environ.get("PROFILE_DIR")


def start_test(test_id):
    global _current_test
    _current_test = test_id


def dump_name(ext):
    name = _current_test.split(".")[-1]
    return f"{_dump_dir}/{name}{ext}"


def short_name():
    if _current_test:
        return _current_test.rsplit(".", 1)[-1]
    return None


def label():
    if _current_test is None:
        return "?"
    return _current_test.upper()
)py");
  Tree T = {{"svc/__init__.py", ""}, {"svc/profiling.py", Profiling}};
  const char *Plan = R"yaml(plan: drop-test-tracking
rules:
  - id: drop-start
    remove-symbol: svc.profiling.start_test
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/profiling.py:13:12: '_current_test' is now only ever None: the plan "
        "removes the assignment at line 9 that set it; this use cannot be removed "
        "safely [drop-start]\n");
}

TEST_CASE("a module imported from the project, with a fallback import from "
          "outside it, loses the names the plan removes from it",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/plugin/__init__.py", ""},
            {"svc/plugin/hooks.py", py(R"py(
def before_test(item):
    item.started = True


def after_test(item):
    item.started = False
)py")},
            {"svc/plugin/pytest_glue.py", py(R"py(
try:
    import svc_plugin_hooks as hooks
except ImportError:
    from . import hooks


def pytest_runtest_setup(item):
    hooks.before_test(item)


def pytest_runtest_teardown(item):
    return [hooks.after_test, item]
)py")}};
  const char *Plan = R"yaml(plan: drop-after-test
rules:
  - id: drop-after
    remove-symbol: svc.plugin.hooks.after_test
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/plugin/pytest_glue.py:12:13: 'after_test' is no longer defined in "
        "'svc.plugin.hooks': the plan removes it at svc/plugin/hooks.py:5; this "
        "use cannot be removed safely [drop-after]\n");
}

TEST_CASE("a global left only ever None that a function returns is reported, "
          "also when the test that guarded it goes with the plan",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""}, {"svc/state.py", py(R"py(
import threading

default_app = None


class _Local(threading.local):
    current_app = None


_tls = _Local()


def set_default_app(app):
    global default_app
    default_app = app


def _get_current_app():
    if default_app is None:
        from svc.app import App
        set_default_app(App("default"))
    return _tls.current_app or default_app


def app_name():
    if default_app is not None:
        return default_app
    return None
)py")},
            {"svc/app.py", py(R"py(
class App:
    def __init__(self, name):
        self.name = name
)py")}};
  const char *Plan = R"yaml(plan: drop-default-app
rules:
  - id: drop-setter
    remove-symbol: svc.state.set_default_app
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics() ==
        "svc/state.py:22:32: 'default_app' is now only ever None: the plan removes "
        "the assignment at line 15 that set it; this use cannot be removed safely "
        "[drop-setter]\n");
}

TEST_CASE("a class body that copies a module global of its own name reads the "
          "module's: the copy goes with the global, and its reads are reported",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/dialect.py", py(R"py(
import datetime

colspecs = {datetime.date: "DATE"}


class Dialect:
    name = "fb"
    colspecs = colspecs

    for kind, spec in list(colspecs.items()):
        if spec == "DATE":
            kind.spec = spec
    del kind, spec
)py")},
            {"svc/driver.py", py(R"py(
from svc.dialect import Dialect


class DriverDialect(Dialect):
    colspecs = dict(Dialect.colspecs, extra="TEXT")
)py")}};
  const char *Plan = R"yaml(plan: drop-colspecs
rules:
  - id: drop-colspecs
    remove-symbol: svc.dialect.colspecs
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics() ==
        "svc/dialect.py:10:28: 'colspecs.items' is removed by the plan but this "
        "use cannot be removed safely [drop-colspecs]\n"
        "svc/driver.py:5:21: 'Dialect.colspecs' is removed by the plan but this "
        "use cannot be removed safely [drop-colspecs]\n");
  CHECK(Run.After["svc/dialect.py"].find("colspecs = colspecs") == std::string::npos);
}

TEST_CASE("the names a package re-exported from a removed module with a star "
          "import are reported where its importers still read them",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/models/__init__.py", py(R"py(
from svc.models.aggregates import *  # NOQA
from svc.models.fields import Field, Sum

__all__ = ["Field", "Sum"]
)py")},
            {"svc/models/aggregates.py", py(R"py(
__all__ = ["Max", "Min", "Sum"]


class Max:
    pass


class Min:
    pass


class Sum:
    pass
)py")},
            {"svc/models/fields.py", py(R"py(
class Field:
    pass


class Sum:
    pass
)py")},
            {"svc/admin.py", py(R"py(
from svc import models


def date_range(queryset):
    return queryset.aggregate(first=models.Min("created"), last=models.Max("created"),
                              total=models.Sum("amount"))
)py")}};
  const char *Plan = R"yaml(plan: drop-aggregates
rules:
  - id: drop-aggregates
    remove-module: svc.models.aggregates
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/admin.py:5:37: 'Min' is no longer defined in 'svc.models': the plan "
        "removes it at svc/models/__init__.py:1; this use cannot be removed safely "
        "[drop-aggregates]\n"
        "svc/admin.py:5:65: 'Max' is no longer defined in 'svc.models': the plan "
        "removes it at svc/models/__init__.py:1; this use cannot be removed safely "
        "[drop-aggregates]\n");
}
