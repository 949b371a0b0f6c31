//===- MemberInvariantTest.cpp - Every attribute that resolved still does -===//
//
// The binding invariant for class members: a plan that removes a method, or
// the constructor that sets an instance's attributes, leaves the reads of
// those attributes failing with AttributeError. Each read the plan keeps is
// a leftover, in the class, its subclasses and the modules that import it;
// a member a surviving base still provides, or that a base the project
// cannot see may provide, is not reported. The expected diagnostics sit next
// to the input.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

namespace {

const char *const DropRequestInit = R"yaml(plan: drop-request-init
rules:
  - id: drop-init
    remove-symbol: svc.request.Request.__init__
)yaml";

const char *const DropRepoSave = R"yaml(plan: drop-repo-save
rules:
  - id: drop-save
    remove-symbol: svc.repo.Repo.save
)yaml";

const char *const RequestModule = R"py(import functools
import logging

log = logging.getLogger(__name__)


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        log.info("calling %s", fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


class Request:
    retries = 3

    def __init__(self, message, delivery_info=None):
        self._message = message
        self._delivery_info = delivery_info or {}

    @property
    def delivery_info(self):
        return self._delivery_info

    @traced
    async def acknowledge(self):
        await self._message.ack()
        return self.retries


class RetriedRequest(Request):
    def reject(self):
        self._message.reject(requeue=True)
)py";

const char *const RepoModule = R"py(class Repo:
    def __init__(self, db):
        self.db = db

    def save(self, item):
        self.db.put(item)

    def load(self, key):
        return self.db.get(key)


def store(db, item):
    repo = Repo(db)
    repo.save(item)
    return Repo(db).save
)py";

/// The run's warnings, one per line (`file:line:col: message [rule]`).
std::string warningsOf(const Tree &T, const char *Plan) {
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  return Run.diagnostics();
}

} // namespace

TEST_CASE("removing a constructor reports the attributes it set where the "
          "class, a subclass and an importer still read them",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/request.py", RequestModule},
            {"svc/consumer.py", py(R"py(
from svc.request import Request


async def consume(request: Request):
    await request.acknowledge()
    return request._message.body
)py")}};
  CHECK(warningsOf(T, DropRequestInit) ==
        "svc/consumer.py:6:12: 'Request._message' is no longer set or defined: the "
        "plan removes its assignment at svc/request.py:19; this use cannot be removed "
        "safely [drop-init]\n"
        "svc/request.py:24:16: 'Request._delivery_info' is no longer set or defined: "
        "the plan removes its assignment at svc/request.py:20; this use cannot be "
        "removed safely [drop-init]\n"
        "svc/request.py:28:15: 'Request._message' is no longer set or defined: the "
        "plan removes its assignment at svc/request.py:19; this use cannot be removed "
        "safely [drop-init]\n"
        "svc/request.py:34:9: 'Request._message' is no longer set or defined: the plan "
        "removes its assignment at svc/request.py:19; this use cannot be removed "
        "safely [drop-init]\n");
}

TEST_CASE("removing a method reports its calls through a new instance, a "
          "variable bound to one, an attribute set to one and an annotated "
          "parameter",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/repo.py", RepoModule},
            {"svc/orders.py", py(R"py(
from svc.repo import Repo


class OrderService:
    def __init__(self, db):
        self.repo = Repo(db)

    async def place(self, order):
        saved = self.repo.save(order)
        return saved


def archive(repo: Repo, order):
    return [repo.save(order), repo.load(order.id)]
)py")}};
  CHECK(warningsOf(T, DropRepoSave) ==
        "svc/orders.py:9:17: 'Repo.save' is no longer defined: the plan removes its "
        "definition at svc/repo.py:5; this use cannot be removed safely [drop-save]\n"
        "svc/orders.py:14:13: 'Repo.save' is no longer defined: the plan removes its "
        "definition at svc/repo.py:5; this use cannot be removed safely [drop-save]\n"
        "svc/repo.py:14:5: 'Repo.save' is no longer defined: the plan removes its "
        "definition at svc/repo.py:5; this use cannot be removed safely [drop-save]\n"
        "svc/repo.py:15:12: 'Repo.save' is no longer defined: the plan removes its "
        "definition at svc/repo.py:5; this use cannot be removed safely [drop-save]\n");
}

TEST_CASE("a method still inherited from a base class the plan keeps is not "
          "reported",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/base.py", py(R"py(
class BaseRepo:
    def __init__(self, db):
        self.db = db

    def save(self, item):
        self.db.put(item)
)py")},
            {"svc/repo.py", py(R"py(
from svc.base import BaseRepo


class Repo(BaseRepo):
    def save(self, item):
        self.db.put(item)
        self.db.flush()


class CachedRepo(Repo):
    async def refresh(self, item):
        self.save(item)
        return self.db
)py")},
            {"svc/orders.py", py(R"py(
from svc.repo import Repo


def place(db, order):
    repo = Repo(db)
    repo.save(order)
    return repo.db
)py")}};
  TreeRun Run = runOnTree(T, DropRepoSave);
  INFO(Run.ErrorMessage << Run.diagnostics());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/repo.py"].find("def save") == std::string::npos);
}

TEST_CASE("a member of a class whose base the project cannot see is not "
          "reported; one of a class based on OSError, whose attributes are "
          "known, is",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/repo.py", py(R"py(
from django.db import models


class Repo(models.Model):
    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)


class RepoError(OSError):
    def save(self):
        return None


def store(name):
    Repo(name=name).save()
    RepoError().save()
)py")}};
  const char *Plan = R"yaml(plan: drop-saves
rules:
  - id: drop-save
    remove-symbol: svc.repo.Repo.save
  - id: drop-error-save
    remove-symbol: svc.repo.RepoError.save
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics() ==
        "svc/repo.py:17:5: 'RepoError.save' is no longer defined: the plan removes its "
        "definition at svc/repo.py:11; this use cannot be removed safely "
        "[drop-error-save]\n");
}

TEST_CASE("a member of an exception class is reported where it is read, also "
          "after isinstance or in an except clause: Exception's own "
          "attributes are known",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/errors.py", py(R"py(
class RetryLater(Exception):
    def __init__(self, message, countdown=None):
        super().__init__(message)
        self.countdown = countdown

    def describe(self):
        return f"{self.args[0]} in {self.countdown}s"
)py")},
            {"svc/worker.py", py(R"py(
from svc.errors import RetryLater


def run(task):
    try:
        return task()
    except RetryLater as exc:
        return exc.countdown


def outcome(result):
    if isinstance(result, RetryLater) and result.countdown:
        return "retry"
    return "done"
)py")}};
  const char *Plan = R"yaml(plan: drop-countdown
rules:
  - id: drop-init
    remove-symbol: svc.errors.RetryLater.__init__
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/errors.py:7:37: 'RetryLater.countdown' is no longer set or defined: "
        "the plan removes its assignment at svc/errors.py:4; this use cannot be "
        "removed safely [drop-init]\n"
        "svc/worker.py:8:16: 'RetryLater.countdown' is no longer set or defined: "
        "the plan removes its assignment at svc/errors.py:4; this use cannot be "
        "removed safely [drop-init]\n"
        "svc/worker.py:12:43: 'RetryLater.countdown' is no longer set or defined: "
        "the plan removes its assignment at svc/errors.py:4; this use cannot be "
        "removed safely [drop-init]\n");
}

TEST_CASE("a lost member is reported when read through super(), from a "
          "comprehension, or in a class that only reads its __dict__ and sets "
          "attributes of other objects",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/compiler.py", py(R"py(
class Compiler:
    def setup(self, rows):
        self.col_count = len(rows)

    def __getstate__(self):
        state = self.__dict__.copy()
        return state

    def bind(self, target, name, value):
        setattr(target, name, value)

    def columns(self, rows):
        return [r[0] for r in rows[0:self.col_count]]

    field_type = "TextField"
)py")},
            {"svc/gis.py", py(R"py(
from svc.compiler import Compiler


class GeoCompiler(Compiler):
    def field_type(self, row):
        kind = super().field_type
        return "GeometryField" if kind == "TextField" else kind
)py")}};
  const char *Plan = R"yaml(plan: drop-compiler-parts
rules:
  - id: drop-setup
    remove-symbol: svc.compiler.Compiler.setup
  - id: drop-field-type
    remove-symbol: svc.compiler.Compiler.field_type
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/compiler.py:13:38: 'Compiler.col_count' is no longer set or defined: "
        "the plan removes its assignment at svc/compiler.py:3; this use cannot be "
        "removed safely [drop-setup]\n"
        "svc/gis.py:6:16: 'Compiler.field_type' is no longer defined: the plan "
        "removes its definition at svc/compiler.py:15; this use cannot be removed "
        "safely [drop-field-type]\n");
}

TEST_CASE("an attribute that only removed code set to something else than None "
          "is reported where it is used as an object, and a class that sets "
          "attributes by name only when unpickled is not left alone",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/headers.py", py(R"py(
class HeaderMap(dict):
    pass
)py")},
            {"svc/request.py", py(R"py(
from svc.headers import HeaderMap


class PreparedRequest:
    def __init__(self):
        self.method = None
        self.headers = None

    def prepare_headers(self, headers):
        self.headers = HeaderMap()
        self.hooks = HeaderMap(response=[])
        for name, value in (headers or {}).items():
            self.headers[name] = value

    def prepare_body(self, body):
        if self.method not in ("GET", "HEAD"):
            self.headers["Content-Length"] = str(len(body))
        return body

    def content_type(self):
        if self.headers is None:
            return None
        return self.headers.get("Content-Type")

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, value)
)py")},
            {"svc/adapter.py", py(R"py(
from svc.request import PreparedRequest


def build(headers):
    request = PreparedRequest()
    request.prepare_headers(headers)
    return request.method, request.hooks
)py")}};
  const char *Plan = R"yaml(plan: drop-header-map
rules:
  - id: drop-header-map
    remove-symbol: svc.headers.HeaderMap
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics() ==
        "svc/adapter.py:7:28: 'PreparedRequest.hooks' is no longer set or defined: "
        "the plan removes its assignment at svc/request.py:11; this use cannot be "
        "removed safely [drop-header-map]\n"
        "svc/request.py:13:13: 'PreparedRequest.headers' is now only ever None: the "
        "plan removes the assignment at line 10 that set it; this use cannot be "
        "removed safely [drop-header-map]\n"
        "svc/request.py:17:13: 'PreparedRequest.headers' is now only ever None: the "
        "plan removes the assignment at line 10 that set it; this use cannot be "
        "removed safely [drop-header-map]\n");
}

TEST_CASE("an attribute left only ever None and copied into a local is "
          "reported where the local is used as an object",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""}, {"svc/compiler.py", py(R"py(
class Compiler:
    def __init__(self, query):
        self.query = query
        self.klass_info = None

    def setup_query(self):
        self.select, self.klass_info = self.query.get_select()

    def locked_models(self, names):
        for name in names:
            info = self.klass_info
            if name == "self":
                yield info
            else:
                for part in name.split("__"):
                    related = info.get("related", [])
                    info = related[0] if related else info

    def describe(self):
        info = self.klass_info
        if info:
            return info.get("model")
        return None
)py")}};
  const char *Plan = R"yaml(plan: drop-setup
rules:
  - id: drop-setup-query
    remove-symbol: svc.compiler.Compiler.setup_query
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  CHECK(Run.diagnostics() ==
        "svc/compiler.py:16:31: 'info' may now be None: it takes "
        "'Compiler.klass_info', which is now only ever None: the plan removes the "
        "assignment at line 7 that set it; this use cannot be removed safely "
        "[drop-setup-query]\n");
}

TEST_CASE("an attribute set to objects of one class or another loses a member "
          "either class loses",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/timing.py", py(R"py(
class TimeKeeper:
    def timed(self, name):
        return name

    def print_results(self):
        print("done")


class NullTimeKeeper:
    def timed(self, name):
        return name

    def print_results(self):
        pass
)py")},
            {"svc/runner.py", py(R"py(
from svc.timing import NullTimeKeeper, TimeKeeper


class Runner:
    def __init__(self, timing=False):
        self.time_keeper = TimeKeeper() if timing else NullTimeKeeper()

    def run(self, suite):
        with self.time_keeper.timed("Total"):
            suite.run()
        self.time_keeper.print_results()
)py")}};
  const char *Plan = R"yaml(plan: drop-print-results
rules:
  - id: drop-print
    remove-symbol: svc.timing.TimeKeeper.print_results
)yaml";
  CHECK(runOnTree(T, Plan).diagnostics() ==
        "svc/runner.py:11:9: 'TimeKeeper.print_results' is no longer defined: the "
        "plan removes its definition at svc/timing.py:5; this use cannot be removed "
        "safely [drop-print]\n");
}

TEST_CASE("a member a base loses is reported where another module reads it "
          "through a subclass",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/stores.py", py(R"py(
class Store:
    def flush(self):
        return self.pending.clear()

    def close(self):
        self.flush()


class RedisStore(Store):
    pending = []


class CachedStore(RedisStore):
    def flush(self):
        return 0
)py")},
            {"svc/shutdown.py", py(R"py(
from svc.stores import CachedStore, RedisStore


def shutdown(store: RedisStore):
    drained = store.flush() or RedisStore().flush()
    return drained, CachedStore().flush()
)py")}};
  const char *Plan = R"yaml(plan: drop-flush
rules:
  - id: drop-flush
    remove-symbol: svc.stores.Store.flush
)yaml";
  CHECK(warningsOf(T, Plan) ==
        "svc/shutdown.py:5:15: 'RedisStore.flush' is no longer defined: the plan "
        "removes its definition at svc/stores.py:2; this use cannot be removed "
        "safely [drop-flush]\n"
        "svc/shutdown.py:5:32: 'RedisStore.flush' is no longer defined: the plan "
        "removes its definition at svc/stores.py:2; this use cannot be removed "
        "safely [drop-flush]\n"
        // CachedStore.flush overrides the removed method and goes with it.
        "svc/shutdown.py:6:21: 'CachedStore.flush' is no longer defined: the plan "
        "removes its definition at svc/stores.py:14; this use cannot be removed "
        "safely [drop-flush]\n");
}

TEST_CASE("a method of a metaclass is a member of its classes' class objects, "
          "not of their instances",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/browsers.py", py(R"py(
import unittest


class BrowserCaseBase(type(unittest.TestCase)):
    browsers = []

    def create_driver(cls):
        return cls.driver_class(headless=True)


class BrowserCase(unittest.TestCase, metaclass=BrowserCaseBase):
    driver_class = dict

    @classmethod
    def setUpClass(cls):
        cls.driver = cls.create_driver()
        super().setUpClass()

    def test_title(self):
        self.assertEqual(self.driver.get("title"), None)
)py")},
            {"svc/smoke.py", py(R"py(
from svc.browsers import BrowserCase


def warm_up():
    return BrowserCase.create_driver()
)py")}};
  const char *Plan = R"yaml(plan: drop-driver
rules:
  - id: drop-driver
    remove-symbol: svc.browsers.BrowserCaseBase.create_driver
)yaml";
  CHECK(warningsOf(T, Plan) ==
        "svc/browsers.py:16:22: 'BrowserCaseBase.create_driver' is no longer "
        "defined: the plan removes its definition at svc/browsers.py:7; this use "
        "cannot be removed safely [drop-driver]\n"
        "svc/smoke.py:5:12: 'BrowserCase.create_driver' is no longer defined: the "
        "plan removes its definition at svc/browsers.py:7; this use cannot be "
        "removed safely [drop-driver]\n");
}

TEST_CASE("a class whose base is unittest.TestCase or threading.Thread has only "
          "what the library's class has, besides its own",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/workers.py", py(R"py(
import threading
from unittest import TestCase


class Poller(threading.Thread):
    def drain(self):
        return []

    def run(self):
        while self.is_alive():
            self.drain()


class PollerCase(TestCase):
    def make_poller(self):
        return Poller(daemon=True)
)py")},
            {"svc/checks.py", py(R"py(
from svc.workers import Poller, PollerCase


def pending():
    return len(Poller().drain()) + 1


class PollerTest(PollerCase):
    def test_run(self):
        poller = self.make_poller()
        self.assertFalse(poller.is_alive())
)py")}};
  const char *Plan = R"yaml(plan: drop-helpers
rules:
  - id: drop-drain
    remove-symbol: svc.workers.Poller.drain
  - id: drop-make
    remove-symbol: svc.workers.PollerCase.make_poller
)yaml";
  CHECK(warningsOf(T, Plan) ==
        "svc/checks.py:5:16: 'Poller.drain' is no longer defined: the plan removes "
        "its definition at svc/workers.py:6; this use cannot be removed safely "
        "[drop-drain]\n");
}

TEST_CASE("an attribute a base of another module sets to an object of a class "
          "loses the members that class loses",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/coords.py", py(R"py(
class CoordSeq:
    def __init__(self, ptr, hasz):
        self.ptr = ptr
        self.hasz = hasz

    @property
    def dims(self):
        return 3 if self.hasz else 2
)py")},
            {"svc/geometry.py", py(R"py(
from svc.coords import CoordSeq


class Geometry:
    has_cs = False

    def _post_init(self, ptr):
        self._cs = CoordSeq(ptr, False) if self.has_cs else None
)py")},
            {"svc/lines.py", py(R"py(
from svc.coords import CoordSeq
from svc.geometry import Geometry


class LineString(Geometry):
    has_cs = True

    def _set_list(self, items):
        ndim = self._cs.dims
        return CoordSeq(items, ndim == 3)
)py")}};
  const char *Plan = R"yaml(plan: drop-dims
rules:
  - id: drop-dims
    remove-symbol: svc.coords.CoordSeq.dims
)yaml";
  CHECK(warningsOf(T, Plan) ==
        "svc/lines.py:9:16: 'CoordSeq.dims' is no longer defined: the plan removes "
        "its definition at svc/coords.py:7; this use cannot be removed safely "
        "[drop-dims]\n");
}

TEST_CASE("a base that sets its instances' attributes by name hides nothing of "
          "its subclasses' class objects",
          "[invariant]") {
  Tree T = {{"svc/__init__.py", ""},
            {"svc/cases.py", py(R"py(
import unittest


class LiveCase(unittest.TestCase):
    def __init__(self, method_name="runTest"):
        super().__init__(method_name)
        setattr(self, method_name, getattr(self, method_name))
)py")},
            {"svc/browsers.py", py(R"py(
from svc.cases import LiveCase


class BrowserMeta(type(LiveCase)):
    def create_driver(cls):
        return {"name": cls.__name__}


class BrowserCase(LiveCase, metaclass=BrowserMeta):
    @classmethod
    def setUpClass(cls):
        cls.driver = cls.create_driver()

    def test_driver(self):
        self.assertIn("name", self.driver)
)py")}};
  const char *Plan = R"yaml(plan: drop-driver
rules:
  - id: drop-driver
    remove-symbol: svc.browsers.BrowserMeta.create_driver
)yaml";
  CHECK(warningsOf(T, Plan) ==
        "svc/browsers.py:12:22: 'BrowserMeta.create_driver' is no longer defined: "
        "the plan removes its definition at svc/browsers.py:5; this use cannot be "
        "removed safely [drop-driver]\n");
}
