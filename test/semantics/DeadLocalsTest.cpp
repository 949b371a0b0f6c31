//===- DeadLocalsTest.cpp - Locals whose every reader the plan removed ----===//
//
// A billing service whose `svc.metrics` module (log_duration,
// report_pending, record_attempts) the plan removes; each test checks one
// module that used it.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

namespace {

const char *const DropMetrics = R"yaml(plan: drop-metrics
rules:
  - id: drop-metrics
    remove-module: svc.metrics
)yaml";

const char *const MetricsSource = R"py("""Timings and counters, pushed to the metrics backend."""
import logging
import time

logger = logging.getLogger(__name__)


def log_duration(started, label="request"):
    logger.info("%s took %.3fs", label, time.monotonic() - started)


def report_pending(rows):
    logger.info("%d rows pending", len(rows))


def record_attempts(count, *, queue):
    logger.info("%s: %d attempts", queue, count)
)py";

Tree billingWith(const std::string &Path, const std::string &Text) {
  return {{"svc/__init__.py", ""},
          {"svc/metrics.py", MetricsSource},
          {Path, Text}};
}

} // namespace

TEST_CASE("a local whose only reader the plan removed goes when its value "
          "is a clock reading, and the import it needed goes after it",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration


class InvoiceService:
    def __init__(self, repo):
        self.repo = repo

    async def settle(self, invoice_id):
        started = time.monotonic()
        invoice = await self.repo.get(invoice_id)
        invoice.status = "settled"
        await self.repo.save(invoice)
        log_duration(started, label="settle")
        return invoice
)py");
  std::string Expected = py(R"py(
class InvoiceService:
    def __init__(self, repo):
        self.repo = repo

    async def settle(self, invoice_id):
        invoice = await self.repo.get(invoice_id)
        invoice.status = "settled"
        await self.repo.save(invoice)
        return invoice
)py");
  TreeRun Run = runOnTree(billingWith("svc/invoices.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/invoices.py"] == Expected);
}

TEST_CASE("a local whose value may have an effect stays when the plan removes "
          "its only reader, with a note that is no leftover",
          "[dead-locals]") {
  std::string Input = py(R"py(
from svc.metrics import report_pending


def flush_outbox(db, publisher):
    rows = db.fetch_pending()  # claims the rows for this worker
    report_pending(rows)
    for event in db.claim_batch(limit=50):
        publisher.send(event)
)py");
  std::string Expected = py(R"py(
def flush_outbox(db, publisher):
    rows = db.fetch_pending()  # claims the rows for this worker
    for event in db.claim_batch(limit=50):
        publisher.send(event)
)py");
  TreeRun Run = runOnTree(billingWith("svc/outbox.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After["svc/outbox.py"] == Expected);
  CHECK(Run.diagnostics() ==
        "svc/outbox.py:5:5: 'rows' is no longer read: the plan removed its "
        "only reader at line 6; its value is kept because "
        "'db.fetch_pending()' may have an effect [drop-metrics]\n");
  REQUIRE(Run.Result.Diagnostics.size() == 1);
  CHECK(Run.Result.Diagnostics[0].Level == Severity::Note);
  CHECK(!Run.Result.hasFindings());
  REQUIRE(Run.Result.Summary.size() == 1);
  CHECK(Run.Result.Summary[0].Leftovers == 0);
}

TEST_CASE("a local read only by a dead local is dead too: the chain goes "
          "link by link",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time
from datetime import datetime

from svc.metrics import log_duration, record_attempts


async def retry_charge(gateway, charge, attempts=3):
    t0 = time.perf_counter()
    started = t0
    tried = 0
    when = datetime.utcnow()
    label = f"charge {charge.id} at {when:%H:%M}"
    while tried < attempts:
        tried += 1
        if await gateway.charge(charge):
            break
    record_attempts(tried, queue="charges")
    log_duration(started, label=label)
    return tried < attempts
)py");
  std::string Expected = py(R"py(
async def retry_charge(gateway, charge, attempts=3):
    tried = 0
    while tried < attempts:
        tried += 1
        if await gateway.charge(charge):
            break
    return tried < attempts
)py");
  TreeRun Run = runOnTree(billingWith("svc/charges.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/charges.py"] == Expected);
}

TEST_CASE("a local still read elsewhere stays, without a note, while one "
          "whose only reader went goes",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration, report_pending


def export_ledger(ledger, sink):
    started = time.monotonic()
    rows = ledger.rows()
    sink.write(rows)
    report_pending(rows)
    log_duration(started, label="export")
    return {"started": started, "rows": len(rows)}


def archive_ledger(ledger, sink):
    started = time.monotonic()
    sink.archive(ledger)
    log_duration(started, label="archive")
)py");
  std::string Expected = py(R"py(
import time


def export_ledger(ledger, sink):
    started = time.monotonic()
    rows = ledger.rows()
    sink.write(rows)
    return {"started": started, "rows": len(rows)}


def archive_ledger(ledger, sink):
    sink.archive(ledger)
)py");
  TreeRun Run = runOnTree(billingWith("svc/ledger.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/ledger.py"] == Expected);
}

TEST_CASE("a tuple target stays while one of its names is still read, and "
          "goes when each one lost its readers",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration, record_attempts


def drain(queue):
    started, handled = time.monotonic(), 0
    while queue:
        queue.pop().run()
        handled += 1
    log_duration(started, label="drain")
    return handled


def refill(queue, jobs):
    (started, count) = (time.monotonic(), len(jobs))
    queue.extend(jobs)
    record_attempts(count, queue="refill")
    log_duration(started)
)py");
  std::string Expected = py(R"py(
import time


def drain(queue):
    started, handled = time.monotonic(), 0
    while queue:
        queue.pop().run()
        handled += 1
    return handled


def refill(queue, jobs):
    queue.extend(jobs)
)py");
  TreeRun Run = runOnTree(billingWith("svc/queues.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/queues.py"] == Expected);
}

TEST_CASE("a local that a kept closure, lambda or comprehension still reads "
          "stays; one that only a removed closure read goes",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration, report_pending


def schedule_reminders(loop, invoices, notifier):
    started = time.monotonic()
    log_duration(started, label="schedule")
    queued_at = time.time()

    def on_queued():
        log_duration(queued_at, label="queued")

    def on_sent(result):
        notifier.log("sent after %.1fs", time.monotonic() - started)

    cutoff = time.time()
    report_pending(cutoff)
    loop.call_later(5, lambda: notifier.flush(cutoff))
    window = 3600
    report_pending(window)
    return [i.id for i in invoices if i.due_at < window], on_sent
)py");
  std::string Expected = py(R"py(
import time


def schedule_reminders(loop, invoices, notifier):
    started = time.monotonic()

    def on_sent(result):
        notifier.log("sent after %.1fs", time.monotonic() - started)

    cutoff = time.time()
    loop.call_later(5, lambda: notifier.flush(cutoff))
    window = 3600
    return [i.id for i in invoices if i.due_at < window], on_sent
)py");
  TreeRun Run = runOnTree(billingWith("svc/reminders.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/reminders.py"] == Expected);
}

TEST_CASE("a local that was unused before the plan is left alone, and so is "
          "every local of a function that reads locals()",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration


def render_receipt(template, order):
    started = time.monotonic()
    currency = "EUR"   # unused before the plan: not the plan's business
    total = order.total
    log_duration(started, label="receipt")
    return template.format(order=order)


def render_summary(template, order):
    started = time.monotonic()
    total = order.total
    log_duration(started, label="summary")
    return template.format(**locals())
)py");
  std::string Expected = py(R"py(
import time


def render_receipt(template, order):
    currency = "EUR"   # unused before the plan: not the plan's business
    total = order.total
    return template.format(order=order)


def render_summary(template, order):
    started = time.monotonic()
    total = order.total
    return template.format(**locals())
)py");
  TreeRun Run = runOnTree(billingWith("svc/receipts.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/receipts.py"] == Expected);
}

TEST_CASE("module globals, class attributes and names declared global or "
          "nonlocal are no dead locals; a method's local is",
          "[dead-locals]") {
  std::string Input = py(R"py(
import time

from svc.metrics import log_duration

BOOTED_AT = time.monotonic()
log_duration(BOOTED_AT, label="boot")


class Poller:
    interval = 30
    log_duration(interval)

    def run(self):
        global BOOTED_AT
        BOOTED_AT = time.monotonic()
        log_duration(BOOTED_AT)

    def poll(self, source):
        polled_at = time.monotonic()
        source.poll()
        log_duration(polled_at)

    def counter(self):
        ticks = 0

        def tick():
            nonlocal ticks
            ticks = ticks + 1
            log_duration(ticks)

        return tick
)py");
  std::string Expected = py(R"py(
import time

BOOTED_AT = time.monotonic()


class Poller:
    interval = 30

    def run(self):
        global BOOTED_AT
        BOOTED_AT = time.monotonic()

    def poll(self, source):
        source.poll()

    def counter(self):
        ticks = 0

        def tick():
            nonlocal ticks
            ticks = ticks + 1

        return tick
)py");
  TreeRun Run = runOnTree(billingWith("svc/poller.py", Input), DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/poller.py"] == Expected);
}

TEST_CASE("a function left empty once its dead locals went does nothing "
          "any more, and its calls follow",
          "[dead-locals]") {
  Tree T = billingWith("svc/timing.py", py(R"py(
import time

from svc.metrics import log_duration


def timed_section(label):
    started = time.perf_counter()
    log_duration(started, label=label)
)py"));
  T["svc/jobs.py"] = py(R"py(
from svc.timing import timed_section


def nightly(ledger):
    timed_section("nightly")
    ledger.close_day()
)py");
  TreeRun Run = runOnTree(T, DropMetrics);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/timing.py"] == "");
  CHECK(Run.After["svc/jobs.py"] == py(R"py(
def nightly(ledger):
    ledger.close_day()
)py"));
}
