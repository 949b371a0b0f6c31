//===- RemovedDecoratorTest.cpp - Decorators the plan removes -------------===//
//
// One behaviour per test: the input file and the expected file side by side.
// The tree is a small shop service: `shop/metrics.py` (the decorators timed
// and counted, the Tracer behind `tracer`) is removed whole or loses
// symbols, `shop/web.py` (router) and `shop/cache.py` (cached) stay, and the
// modules that decorate with them are checked.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <catch2/catch.hpp>

#include <string>

using namespace excise;
using namespace excise::test;
using Catch::Matchers::Contains;

namespace {

const char *const MetricsSource = R"py("""Request timing for the StatsD dashboards."""
import functools
import time


def timed(name=None):
    """Reports how long the wrapped callable took."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            started = time.monotonic()
            try:
                return fn(*args, **kwargs)
            finally:
                incr(name or fn.__name__, time.monotonic() - started)

        return inner

    return wrap


def counted(cls):
    cls.instances = 0
    return cls


def incr(metric, value=1):
    print(f"shop.{metric}:{value}|c")


class Tracer:
    def span(self, label):
        def wrap(fn):
            fn.span_label = label
            return fn

        return wrap


tracer = Tracer()
)py";

const char *const WebSource = R"py(class Router:
    def get(self, path):
        return lambda fn: fn

    def deprecated(self, fn):
        return fn


router = Router()
)py";

const char *const CacheSource = R"py(def cached(ttl=60, on_miss=None):
    return lambda fn: fn
)py";

/// The shop tree plus \p File with \p Content.
Tree shopWith(const std::string &File, const std::string &Content) {
  Tree T = {
      {"shop/__init__.py", ""},
      {"shop/metrics.py", MetricsSource},
      {"shop/web.py", WebSource},
      {"shop/cache.py", CacheSource},
  };
  T[File] = Content;
  return T;
}

const char *const RemoveTimed = R"yaml(plan: t
rules:
  - id: drop-timed
    remove-symbol: shop.metrics.timed
)yaml";

const char *const RemoveTimedAndCounted = R"yaml(plan: t
rules:
  - id: drop-timed
    remove-symbol: shop.metrics.timed
  - id: drop-counted
    remove-symbol: shop.metrics.counted
)yaml";

const char *const RemoveMetrics = R"yaml(plan: t
rules:
  - id: drop-metrics
    remove-module: shop.metrics
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

TEST_CASE("a removed decorator with arguments goes and the function it "
          "decorated stays, with the comment above it",
          "[decorators]") {
  Tree T = shopWith("shop/checkout.py", py(R"py(
"""Checkout endpoints."""
from decimal import Decimal

from shop.metrics import timed


# Totals are computed server side; the basket is never trusted.
@timed(
    "checkout.total",  # dashboard: Checkout / Latency
)
async def compute_total(basket, *, currency="EUR"):
    total = sum((l.price * l.quantity for l in basket.lines), Decimal(0))
    return round(total, 2)
)py"));
  std::string Expected = py(R"py(
"""Checkout endpoints."""
from decimal import Decimal


# Totals are computed server side; the basket is never trusted.
async def compute_total(basket, *, currency="EUR"):
    total = sum((l.price * l.quantity for l in basket.lines), Decimal(0))
    return round(total, 2)
)py");
  TreeRun Run = run(T, RemoveTimed);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/checkout.py"] == Expected);
  CHECK_THAT(explanations(Run, "shop/checkout.py"),
             Contains("drop-timed \xE2\x86\x92 shop.metrics.timed \xE2\x86\x92 "
                      "decorator @timed\n"));
}

TEST_CASE("a removed decorator stacked with others goes and the others stay "
          "in their order, with the comment between them",
          "[decorators]") {
  Tree T = shopWith("shop/catalogue.py", py(R"py(
import functools

from shop.metrics import timed
from shop.web import router


@router.get("/products/{sku}")
@timed("catalogue.product")  # p95 on the old dashboard
# Cached per SKU; the nightly import clears it.
@functools.lru_cache(maxsize=256)
@router.deprecated
def product_page(sku: str) -> dict:
    return {"sku": sku.upper()}
)py"));
  std::string Expected = py(R"py(
import functools

from shop.web import router


@router.get("/products/{sku}")
# Cached per SKU; the nightly import clears it.
@functools.lru_cache(maxsize=256)
@router.deprecated
def product_page(sku: str) -> dict:
    return {"sku": sku.upper()}
)py");
  TreeRun Run = run(T, RemoveTimed);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/catalogue.py"] == Expected);
  CHECK(parsesCleanly(Run.After["shop/catalogue.py"]));
}

TEST_CASE("removed decorators go from a class and from its methods, beside "
          "@staticmethod",
          "[decorators]") {
  Tree T = shopWith("shop/inventory.py", py(R"py(
from shop.metrics import counted, timed


@counted
class InventoryService:
    """Stock levels per warehouse."""

    def __init__(self, repo):
        self.repo = repo

    @timed()
    async def reserve(self, sku, quantity):
        row = await self.repo.lock(sku)
        row.reserved += quantity
        return row

    @staticmethod
    @timed("inventory.normalize")
    def normalize(sku):
        return sku.strip().upper()
)py"));
  std::string Expected = py(R"py(
class InventoryService:
    """Stock levels per warehouse."""

    def __init__(self, repo):
        self.repo = repo

    async def reserve(self, sku, quantity):
        row = await self.repo.lock(sku)
        row.reserved += quantity
        return row

    @staticmethod
    def normalize(sku):
        return sku.strip().upper()
)py");
  TreeRun Run = run(T, RemoveTimedAndCounted);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/inventory.py"] == Expected);
  CHECK_THAT(explanations(Run, "shop/inventory.py"),
             Contains("drop-counted \xE2\x86\x92 shop.metrics.counted \xE2\x86\x92 "
                      "decorator @counted\n"));
}

TEST_CASE("decorators that are attributes of a removed module, or of an "
          "object it defined, go with the module's imports",
          "[decorators]") {
  Tree T = shopWith("shop/reports.py", py(R"py(
import datetime

from shop import metrics
from shop.metrics import tracer


class NightlyReport:
    @metrics.timed("reports.nightly")
    def run(self, day: datetime.date):
        return self.build(day)

    @tracer.span(label="reports.build")
    def build(self, day):
        return {"day": day.isoformat()}
)py"));
  std::string Expected = py(R"py(
import datetime


class NightlyReport:
    def run(self, day: datetime.date):
        return self.build(day)

    def build(self, day):
        return {"day": day.isoformat()}
)py");
  TreeRun Run = run(T, RemoveMetrics);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/reports.py"] == Expected);
}

TEST_CASE("an import whose only use was a removed decorator goes; one with "
          "other uses stays",
          "[decorators]") {
  Tree T = shopWith("shop/orders.py", py(R"py(
from shop import metrics


@metrics.timed("orders.place")
def place_order(cart):
    return {"lines": len(cart)}
)py"));
  T["shop/refunds.py"] = py(R"py(
from shop import metrics


@metrics.timed("refunds.issue")
def issue_refund(order, amount):
    metrics.incr("refunds.issued")
    return order.total - amount
)py");
  std::string ExpectedOrders = py(R"py(
def place_order(cart):
    return {"lines": len(cart)}
)py");
  std::string ExpectedRefunds = py(R"py(
from shop import metrics


def issue_refund(order, amount):
    metrics.incr("refunds.issued")
    return order.total - amount
)py");
  TreeRun Run = run(T, RemoveTimed);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/orders.py"] == ExpectedOrders);
  CHECK(Run.After["shop/refunds.py"] == ExpectedRefunds);
}

TEST_CASE("a kept decorator that takes a removed thing as an argument stays "
          "and is reported, while a removed one beside it goes",
          "[decorators]") {
  Tree T = shopWith("shop/prices.py", py(R"py(
from shop.cache import cached
from shop.metrics import timed


@timed("prices.list")
@cached(ttl=300, on_miss=timed)
def price_list(region):
    return {"region": region}
)py"));
  std::string Expected = py(R"py(
from shop.cache import cached


@cached(ttl=300, on_miss=timed)
def price_list(region):
    return {"region": region}
)py");
  TreeRun Run = run(T, RemoveTimed);
  CHECK(Run.After["shop/prices.py"] == Expected);
  CHECK_THAT(Run.diagnostics(),
             Contains("shop/prices.py:6:26: 'timed' is removed by the "
                      "plan but this use cannot be removed safely [drop-timed]"));
}

TEST_CASE("a function left without its removed decorator and with an emptied "
          "body goes like any other no-op, and so do its calls",
          "[decorators]") {
  Tree T = shopWith("shop/startup.py", py(R"py(
from shop import metrics


@metrics.timed("startup.warm")
def warm_up():
    metrics.incr("startup.warm")


def start(app):
    warm_up()
    app.ready = True
)py"));
  std::string Expected = py(R"py(
def start(app):
    app.ready = True
)py");
  TreeRun Run = run(T, RemoveMetrics);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/startup.py"] == Expected);
}

TEST_CASE("a definition the plan removes goes with its removed decorator, "
          "which is not reported",
          "[decorators]") {
  Tree T = shopWith("shop/legacy_jobs.py", py(R"py(
from shop.metrics import timed


@timed("jobs.resync")
def resync_all(store):
    return store.resync()


def ping():
    return "pong"
)py"));
  std::string Expected = py(R"py(
def ping():
    return "pong"
)py");
  TreeRun Run = run(T, R"yaml(plan: t
rules:
  - id: drop-resync
    remove-symbol: shop.legacy_jobs.resync_all
  - id: drop-timed
    remove-symbol: shop.metrics.timed
)yaml");
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/legacy_jobs.py"] == Expected);
}

TEST_CASE("a function that only returned a removed thing goes with its calls "
          "once its removed decorator goes too",
          "[decorators]") {
  Tree T = shopWith("shop/tracing.py", py(R"py(
from shop import metrics


@metrics.timed("tracing.current")
def current_tracer():
    """The process-wide tracer."""
    return metrics.tracer


def handle(request):
    current_tracer()
    return request.path
)py"));
  std::string Expected = py(R"py(
def handle(request):
    return request.path
)py");
  TreeRun Run = run(T, RemoveMetrics);
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After["shop/tracing.py"] == Expected);
}
