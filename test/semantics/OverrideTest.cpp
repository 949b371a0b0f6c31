//===- OverrideTest.cpp - Overrides of a removed method -------------------===//
//
// One behaviour per test: the input file and the expected file side by side.
// The tree is a shop's analytics package: `shop/analytics/base.py` holds
// AnalyticsBackend (whose `track` the plan removes), its subclass
// ConsoleBackend and an unrelated Ledger with a `track` of its own; the
// other modules subclass them and are checked.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <catch2/catch.hpp>

#include <string>

using namespace excise;
using namespace excise::test;
using Catch::Matchers::Contains;

namespace {

const char *const BaseSource = R"py("""Product analytics: where checkout and catalogue events go."""
import abc
import logging

log = logging.getLogger(__name__)


class AnalyticsBackend(abc.ABC):
    """One destination for product events."""

    def __init__(self, app_name):
        self.app_name = app_name

    @abc.abstractmethod
    def track(self, event, **props):
        """Records one event; must not raise."""

    def identify(self, user_id, traits):
        log.debug("identify %s", user_id)


class ConsoleBackend(AnalyticsBackend):
    """Prints events, for local development."""

    def track(self, event, **props):
        print(f"[{self.app_name}] {event}", props)

    def identify(self, user_id, traits):
        print("identify", user_id, traits)


class Ledger:
    """Double-entry bookkeeping; nothing to do with analytics."""

    def __init__(self):
        self.entries = []

    def track(self, entry):
        self.entries.append(entry)
        return len(self.entries)
)py";

const char *const BaseAfter = R"py("""Product analytics: where checkout and catalogue events go."""
import abc
import logging

log = logging.getLogger(__name__)


class AnalyticsBackend(abc.ABC):
    """One destination for product events."""

    def __init__(self, app_name):
        self.app_name = app_name

    def identify(self, user_id, traits):
        log.debug("identify %s", user_id)


class ConsoleBackend(AnalyticsBackend):
    """Prints events, for local development."""

    def identify(self, user_id, traits):
        print("identify", user_id, traits)


class Ledger:
    """Double-entry bookkeeping; nothing to do with analytics."""

    def __init__(self):
        self.entries = []

    def track(self, entry):
        self.entries.append(entry)
        return len(self.entries)
)py";

/// The analytics tree plus \p File with \p Content.
Tree analyticsWith(const std::string &File, const std::string &Content) {
  Tree T = {
      {"shop/__init__.py", ""},
      {"shop/analytics/__init__.py", ""},
      {"shop/analytics/base.py", BaseSource},
  };
  T[File] = Content;
  return T;
}

const char *const RemoveTrack = R"yaml(plan: t
rules:
  - id: drop-track
    remove-symbol: shop.analytics.base.AnalyticsBackend.track
)yaml";

/// Runs \p Plan over \p T and fails the test when the run fails.
TreeRun run(const Tree &T, const char *Plan) {
  TreeRun Run = runOnTree(T, Plan);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  return Run;
}

/// The explanation of every edit of \p File in \p Run, one per line.
std::string explanations(const TreeRun &Run, const std::string &File) {
  std::string Out;
  for (const FileChange &C : Run.Result.Changes)
    if (C.path() == File)
      for (const Edit &E : C.Edits)
        Out += E.explanation() + "\n";
  return Out;
}

} // namespace

TEST_CASE("removing a method removes its override in a subclass of the same "
          "module, and says why; a method of the same name in an unrelated "
          "class stays",
          "[overrides]") {
  Tree T = analyticsWith("shop/analytics/__init__.py", "");
  TreeRun Run = run(T, RemoveTrack);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/analytics/base.py"] == BaseAfter);
  CHECK_THAT(explanations(Run, "shop/analytics/base.py"),
             Contains("drop-track \xE2\x86\x92 shop.analytics.base.AnalyticsBackend.track "
                      "\xE2\x86\x92 ConsoleBackend.track overrides removed "
                      "AnalyticsBackend.track \xE2\x86\x92 definition of track\n"));
}

TEST_CASE("an override in another module goes, and the import only it used "
          "follows",
          "[overrides]") {
  Tree T = analyticsWith("shop/analytics/segment.py", py(R"py(
import httpx

from shop.analytics import base


class SegmentBackend(base.AnalyticsBackend):
    """Sends events to Segment's HTTP API."""

    def __init__(self, app_name, write_key):
        super().__init__(app_name)
        self.write_key = write_key

    async def track(self, event, **props):
        async with httpx.AsyncClient(timeout=2.0) as client:
            await client.post(
                "https://api.segment.io/v1/track",
                json={"event": event, "properties": props},
                auth=(self.write_key, ""),
            )

    def identify(self, user_id, traits):
        base.log.info("segment identify %s", user_id)
)py"));
  std::string Expected = py(R"py(
from shop.analytics import base


class SegmentBackend(base.AnalyticsBackend):
    """Sends events to Segment's HTTP API."""

    def __init__(self, app_name, write_key):
        super().__init__(app_name)
        self.write_key = write_key

    def identify(self, user_id, traits):
        base.log.info("segment identify %s", user_id)
)py");
  TreeRun Run = run(T, RemoveTrack);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/analytics/segment.py"] == Expected);
  CHECK_THAT(explanations(Run, "shop/analytics/segment.py"),
             Contains("SegmentBackend.track overrides removed AnalyticsBackend.track"));
}

TEST_CASE("the override of an indirect subclass goes, with its super() call, "
          "and so do super() and self calls of the method in the class's "
          "other methods",
          "[overrides]") {
  Tree T = analyticsWith("shop/analytics/buffered.py", py(R"py(
from shop.analytics.base import ConsoleBackend


class BufferedConsoleBackend(ConsoleBackend):
    """Batches events and prints them when told to."""

    def __init__(self, app_name, size=50):
        super().__init__(app_name)
        self.size = size
        self.pending = []

    def track(self, event, **props):
        self.pending.append((event, props))
        if len(self.pending) >= self.size:
            super().track("buffer.full", size=self.size)

    def identify(self, user_id, traits):
        super().track("identify", user_id=user_id)  # keeps the funnel whole
        super().identify(user_id, traits)

    def replay(self, events):
        for event in events:
            self.track(event)

    def flush(self):
        self.pending.clear()
)py"));
  std::string Expected = py(R"py(
from shop.analytics.base import ConsoleBackend


class BufferedConsoleBackend(ConsoleBackend):
    """Batches events and prints them when told to."""

    def __init__(self, app_name, size=50):
        super().__init__(app_name)
        self.size = size
        self.pending = []

    def identify(self, user_id, traits):
        super().identify(user_id, traits)

    def flush(self):
        self.pending.clear()
)py");
  TreeRun Run = run(T, RemoveTrack);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/analytics/buffered.py"] == Expected);
  CHECK(Run.After["shop/analytics/base.py"] == BaseAfter);
  CHECK_THAT(explanations(Run, "shop/analytics/buffered.py"),
             Contains("BufferedConsoleBackend.track overrides removed "
                      "AnalyticsBackend.track"));
  CHECK_THAT(explanations(Run, "shop/analytics/buffered.py"),
             Contains("drop-track \xE2\x86\x92 shop.analytics.base.AnalyticsBackend.track "
                      "\xE2\x86\x92 call of super().track (statement)\n"));
}

TEST_CASE("a subclass that does not override the removed method is left as "
          "it was, beside one that does",
          "[overrides]") {
  Tree T = analyticsWith("shop/analytics/testing.py", py(R"py(
from shop.analytics.base import AnalyticsBackend


class NullBackend(AnalyticsBackend):
    """Drops everything; the default in unit tests."""

    def identify(self, user_id, traits):
        pass


class RecordingBackend(AnalyticsBackend):
    """Keeps events for assertions."""

    def __init__(self, app_name="test"):
        super().__init__(app_name)
        self.events = []

    def track(self, event, **props):
        self.events.append((event, props))
)py"));
  std::string Expected = py(R"py(
from shop.analytics.base import AnalyticsBackend


class NullBackend(AnalyticsBackend):
    """Drops everything; the default in unit tests."""

    def identify(self, user_id, traits):
        pass


class RecordingBackend(AnalyticsBackend):
    """Keeps events for assertions."""

    def __init__(self, app_name="test"):
        super().__init__(app_name)
        self.events = []
)py");
  TreeRun Run = run(T, RemoveTrack);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/analytics/testing.py"] == Expected);
}

TEST_CASE("a method of the same name in a class of another hierarchy stays, "
          "also when that class has a base of its own",
          "[overrides]") {
  Tree T = analyticsWith("shop/accounting.py", py(R"py(
from shop.analytics.base import ConsoleBackend, Ledger


class AuditLedger(Ledger):
    def track(self, entry):
        print("audit", entry)
        return super().track(entry)


class Shipment:
    def track(self, carrier_code):
        return f"https://track.example.com/{carrier_code}"


def debug_backend():
    return ConsoleBackend("debug")
)py"));
  TreeRun Run = run(T, RemoveTrack);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/accounting.py"] == T["shop/accounting.py"]);
  CHECK(Run.After["shop/analytics/base.py"] == BaseAfter);
}

TEST_CASE("overrides stay when the removed method extended an inherited one, "
          "when another kept base provides the method, for dunder methods, and "
          "when the method went as a no-op; an override of a removed method "
          "beside them goes",
          "[overrides]") {
  Tree T = {
      {"shop/__init__.py", ""},
      {"shop/models.py", py(R"py(
class Model:
    def save(self):
        return True


class DescribedMixin:
    def describe(self):
        return "mixin"


class TimestampedModel(Model):
    def __init__(self):
        self.saved_at = None

    def save(self):
        self.saved_at = "now"
        return super().save()

    def describe(self):
        return "timestamped"

    def touch(self):
        self.saved_at = "now"

    def refresh(self):
        self.touch()


class Order(DescribedMixin, TimestampedModel):
    def __init__(self):
        super().__init__()
        self.lines = []

    def save(self):
        self.lines.sort()
        return super().save()

    def describe(self):
        return "order"

    def touch(self):
        super().touch()
        self.lines.clear()

    def refresh(self):
        self.lines.sort()
)py")},
  };
  std::string Expected = py(R"py(
class Model:
    def save(self):
        return True


class DescribedMixin:
    def describe(self):
        return "mixin"


class TimestampedModel(Model):
    pass


class Order(DescribedMixin, TimestampedModel):
    def __init__(self):
        super().__init__()
        self.lines = []

    def save(self):
        self.lines.sort()
        return super().save()

    def describe(self):
        return "order"

    def refresh(self):
        self.lines.sort()
)py");
  TreeRun Run = run(T, R"yaml(plan: t
rules:
  - id: drop-timestamps
    remove-symbol:
      - shop.models.TimestampedModel.__init__
      - shop.models.TimestampedModel.save
      - shop.models.TimestampedModel.describe
      - shop.models.TimestampedModel.touch
)yaml");
  INFO(Run.diagnostics());
  CHECK(Run.After["shop/models.py"] == Expected);
}

TEST_CASE("setUp stays in the test cases of a base whose setUp goes, as "
          "unittest.TestCase provides it; an override of the base's own "
          "helper goes",
          "[overrides]") {
  Tree T = {
      {"tests/__init__.py", ""},
      {"tests/base.py", py(R"py(
import unittest


class ApiTestCase(unittest.TestCase):
    def setUp(self):
        self.token = "secret"

    def login(self, user):
        return {"Authorization": f"Bearer {self.token}", "X-User": user}
)py")},
      {"tests/test_orders.py", py(R"py(
from tests.base import ApiTestCase


class OrdersTest(ApiTestCase):
    def setUp(self):
        self.orders = []

    def login(self, user):
        return {"X-User": user}

    def test_empty(self):
        self.assertEqual(self.orders, [])
)py")},
  };
  std::string Expected = py(R"py(
from tests.base import ApiTestCase


class OrdersTest(ApiTestCase):
    def setUp(self):
        self.orders = []

    def test_empty(self):
        self.assertEqual(self.orders, [])
)py");
  TreeRun Run = run(T, R"yaml(plan: t
rules:
  - id: drop-auth
    remove-symbol: [tests.base.ApiTestCase.setUp, tests.base.ApiTestCase.login]
)yaml");
  INFO(Run.diagnostics());
  CHECK(Run.After["tests/test_orders.py"] == Expected);
}
