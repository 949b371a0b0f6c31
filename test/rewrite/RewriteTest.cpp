//===- RewriteTest.cpp - Pattern rewrites on single files -----------------===//
//
// Each case rewrites one Python file with one rule and compares the result
// with the expected text, written side by side; every result must parse.
//
//===----------------------------------------------------------------------===//
#include "rewrite/Rewrite.h"

#include "TestSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

using namespace excise;

namespace {

/// A rewrite rule written in the test: pattern, fix, and the rest.
struct RuleText {
  std::string Pattern;
  std::string Fix;
  std::vector<Constraint> Where = {};
  std::vector<std::string> Imports = {};
  std::vector<std::string> Files = {};
};

Constraint regex(llvm::StringRef Name, llvm::StringRef Pattern,
                 bool Negated = false) {
  Constraint C;
  C.Metavariable = Name.str();
  C.What = Constraint::Test::Regex;
  C.Value = Pattern.str();
  C.Negated = Negated;
  return C;
}

Constraint kind(llvm::StringRef Name, llvm::StringRef Kind,
                bool Negated = false) {
  Constraint C = regex(Name, Kind, Negated);
  C.What = Constraint::Test::Kind;
  return C;
}

RewriteRule compileRule(const RuleText &R) {
  RewriteSpec Spec;
  Spec.Pattern.Value = R.Pattern;
  Spec.Fix.Value = R.Fix;
  Spec.Where = R.Where;
  for (const std::string &I : R.Imports)
    Spec.Imports.push_back({I, {}});
  for (const std::string &F : R.Files)
    Spec.Files.push_back({F, {}});
  auto Compiled = RewriteRule::compile(Spec);
  if (!Compiled)
    FAIL(llvm::toString(Compiled.takeError()));
  return std::move(*Compiled);
}

/// The edits of \p R on \p Source (as file \p Path).
std::vector<Edit> editsOf(const RuleText &R, llvm::StringRef Source,
                          llvm::StringRef Path = "src/service.py") {
  RewriteRule Compiled = compileRule(R);
  SourceFile File(Path.str(), Source.str());
  auto Tree = SyntaxTree::parse(File.text());
  REQUIRE(static_cast<bool>(Tree));
  auto Edits = applyRewrite(Compiled, File, *Tree, "rw");
  if (!Edits)
    FAIL(llvm::toString(Edits.takeError()));
  return std::move(*Edits);
}

/// \p Source after \p R; the result must parse.
std::string rewrite(const RuleText &R, llvm::StringRef Source) {
  FileEdits Edits("src/service.py");
  for (Edit &E : editsOf(R, Source))
    if (llvm::Error Err = Edits.add(std::move(E)))
      FAIL(llvm::toString(std::move(Err)));
  auto After = Edits.apply(Source);
  if (!After)
    FAIL(llvm::toString(After.takeError()));
  INFO(*After);
  CHECK(test::parsesCleanly(*After));
  return *After;
}

} // namespace

//===----------------------------------------------------------------------===//
// The seed: dual logging becomes single logging
//===----------------------------------------------------------------------===//

TEST_CASE("the seed's dual logging in an except block becomes its single "
          "logging call",
          "[rewrite]") {
  RuleText R;
  R.Pattern = R"($REPO.log_failure($$$A, input_payload=json.dumps($PAYLOAD))
EventLogger.file_error($$$B)
)";
  R.Fix = R"(# Only log to batchExecutionLog
EventLogger.file_error(
    $$$B,
    payload=$PAYLOAD  # Can pass payload if needed
)
)";
  R.Imports = {"from .event_logger import EventLogger"};
  // The seed's "After" lists the arguments with a trailing space after each
  // comma; excise writes no trailing whitespace, so they are left out here.
  CHECK(rewrite(R, R"(import json

from .event_logger import EventLogger


class LidStage:
    def process(self, file_name, batch_id, payload, gpu_ip):
        try:
            self.run(file_name, payload)
        except Exception as e:
            # Log to processing_logs
            self.processing_log_repo.log_failure(
                call_id=file_name,
                batch_id=batch_id,
                stage_name="lid",
                error_message=str(e),
                input_payload=json.dumps(payload)
            )

            # Log to batchExecutionLog
            EventLogger.file_error(batch_id, 'lid', file_name, str(e), gpu_ip)
            raise
)") == R"(import json

from .event_logger import EventLogger


class LidStage:
    def process(self, file_name, batch_id, payload, gpu_ip):
        try:
            self.run(file_name, payload)
        except Exception as e:
            # Only log to batchExecutionLog
            EventLogger.file_error(
                batch_id,
                'lid',
                file_name,
                str(e),
                gpu_ip,
                payload=payload  # Can pass payload if needed
            )
            raise
)");
}

//===----------------------------------------------------------------------===//
// Calls and arguments
//===----------------------------------------------------------------------===//

TEST_CASE("a call pattern rewrites every matching call and nothing else",
          "[rewrite]") {
  RuleText R{"logger.warn($MSG)", "logger.warning($MSG)"};
  CHECK(rewrite(R, R"(logger.warn("a")
other.warn("b")
logger.warn("c", exc_info=True)
x = logger.warn(f"{y}")
)") == R"(logger.warning("a")
other.warn("b")
logger.warn("c", exc_info=True)
x = logger.warning(f"{y}")
)");
}

TEST_CASE("keyword arguments match in any order", "[rewrite]") {
  RuleText R{"connect(host=$H, port=$P)", "connect(f\"{$H}:{$P}\")"};
  CHECK(rewrite(R, R"(connect(port=5432, host=db_host)
connect(host="x", port=1)
)") == R"(connect(f"{db_host}:{5432}")
connect(f"{"x"}:{1}")
)");
}

TEST_CASE("a keyword argument the pattern does not name prevents a match",
          "[rewrite]") {
  RuleText R{"connect(host=$H)", "open_connection($H)"};
  CHECK(rewrite(R, R"(connect(host=h, timeout=3)
connect(host=h)
)") == R"(connect(host=h, timeout=3)
open_connection(h)
)");
}

TEST_CASE("a run in the middle of an argument list takes the arguments "
          "between",
          "[rewrite]") {
  RuleText R{"emit($FIRST, $$$MIDDLE, $LAST)",
             "emit($LAST, $$$MIDDLE, $FIRST)"};
  CHECK(rewrite(R, R"(emit(a, b, c, d)
emit(a, b)
)") == R"(emit(d, b, c, a)
emit(b, a)
)");
}

TEST_CASE("a run before a named keyword takes the other keyword arguments",
          "[rewrite]") {
  RuleText R{"track($$$A, debug=True)", "track($$$A)"};
  CHECK(rewrite(R, R"(track(event, debug=True, user=u)
track(debug=True)
track(event, debug=False)
)") == R"(track(event, user=u)
track()
track(event, debug=False)
)");
}

TEST_CASE("an empty run takes a neighbouring comma with it in the fix",
          "[rewrite]") {
  RuleText R{"old_api($$$ARGS)", "new_api(client, $$$ARGS, retry=3)"};
  CHECK(rewrite(R, R"(old_api()
old_api(1, 2)
)") == R"(new_api(client, retry=3)
new_api(client, 1, 2, retry=3)
)");
}

TEST_CASE("a trailing comma in the call does not prevent a match",
          "[rewrite]") {
  RuleText R{"send($TO, $BODY)", "deliver($BODY, to=$TO)"};
  CHECK(rewrite(R, R"(send(
    alice,
    "hello",
)
)") == R"(deliver("hello", to=alice)
)");
}

TEST_CASE("comments and line breaks inside the matched code do not matter",
          "[rewrite]") {
  RuleText R{"cache.set($K, $V, ttl=60)", "cache.put($K, $V)"};
  CHECK(rewrite(R, R"(cache.set(  # store it
    key,  # the key
    value,
    ttl=60,
)
cache . set(key, value, ttl = 60)
)") == R"(cache.put(key, value)
cache.put(key, value)
)");
}

TEST_CASE("a metavariable binds a whole attribute chain", "[rewrite]") {
  RuleText R{"$REPO.log_failure($$$A)", "$REPO.record($$$A)"};
  CHECK(rewrite(R, R"(self.processing_log_repo.log_failure(x, y=1)
repo.log_failure()
)") == R"(self.processing_log_repo.record(x, y=1)
repo.record()
)");
}

TEST_CASE("a metavariable written twice must bind the same code", "[rewrite]") {
  RuleText R{"$X = $X", "pass"};
  CHECK(rewrite(R, R"(def f(a, b):
    a = a
    a = b
    self.x = self . x  # same code, other spacing
)") == R"(def f(a, b):
    pass
    a = b
    pass  # same code, other spacing
)");
}

TEST_CASE("string literals match whatever their quotes", "[rewrite]") {
  RuleText R{"os.getenv('DEBUG')", "settings.debug"};
  CHECK(rewrite(R, R"(a = os.getenv("DEBUG")
b = os.getenv('DEBUG')
c = os.getenv('DEBUGGER')
)") == R"(a = settings.debug
b = settings.debug
c = os.getenv('DEBUGGER')
)");
}

TEST_CASE("a dollar sign inside a string of the pattern is plain text",
          "[rewrite]") {
  RuleText R{"price('$5')", "price(5)"};
  CHECK(rewrite(R, R"(price('$5')
price('$6')
)") == R"(price(5)
price('$6')
)");
}

TEST_CASE("matches do not nest: the outer call is rewritten and the inner "
          "one kept as bound",
          "[rewrite]") {
  RuleText R{"wrap($X)", "$X"};
  CHECK(rewrite(R, "y = wrap(wrap(1))\n") == "y = wrap(1)\n");
}

TEST_CASE("an expression match replaces only the expression", "[rewrite]") {
  RuleText R{"len($X) == 0", "not $X"};
  CHECK(rewrite(R, R"(if len(items) == 0 and ready:
    return None
)") == R"(if not items and ready:
    return None
)");
}

TEST_CASE("list items and tuple items can be runs", "[rewrite]") {
  RuleText R{"[$$$ITEMS, None]", "[$$$ITEMS]"};
  CHECK(rewrite(R, R"(handlers = [a, b, None]
other = [None]
)") == R"(handlers = [a, b]
other = []
)");
}

TEST_CASE("await and chained calls are matched through", "[rewrite]") {
  RuleText R{"await $CLIENT.fetch($URL).json()",
             "await $CLIENT.get_json($URL)"};
  CHECK(rewrite(R, R"(async def load(session):
    data = await session.fetch(URL).json()
    return data
)") == R"(async def load(session):
    data = await session.get_json(URL)
    return data
)");
}

TEST_CASE("a run after the named keywords takes the remaining arguments",
          "[rewrite]") {
  RuleText R{"request(method=\"GET\", $$$REST)", "get($$$REST)"};
  CHECK(rewrite(R, R"(request(url, method="GET", timeout=3)
request(method='GET')
request(method="POST", url=u)
)") == R"(get(url, timeout=3)
get()
request(method="POST", url=u)
)");
}

TEST_CASE("imported names can be a run, with or without parentheses",
          "[rewrite]") {
  RuleText R{"from .old_logging import $$$NAMES",
             "from .logging import (\n    $$$NAMES,\n)\n"};
  CHECK(rewrite(R, R"(from .old_logging import info, warn as w
from .old_logging import (
    error,
    debug,  # deprecated
)
from .other import x
)") == R"(from .logging import (
    info,
    warn as w,
)
from .logging import (
    error,
    debug,
)
from .other import x
)");
}

TEST_CASE("decorator arguments are matched like any call", "[rewrite]") {
  RuleText R{"app.route($PATH, methods=[\"GET\"])", "app.get($PATH)"};
  CHECK(rewrite(R, R"(@app.route("/users", methods=["GET"])
def users():
    return []
)") == R"(@app.get("/users")
def users():
    return []
)");
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

TEST_CASE("a pattern of two statements matches them when consecutive in one "
          "block",
          "[rewrite]") {
  RuleText R{"$L.acquire()\n$L.release()\n", ""};
  CHECK(rewrite(R, R"(def f(lock):
    prepare()
    lock.acquire()
    lock.release()
    finish()
)") == R"(def f(lock):
    prepare()
    finish()
)");
}

TEST_CASE("a multi-statement pattern does not match statements of different "
          "blocks",
          "[rewrite]") {
  RuleText R{"start()\nstop()\n", "restart()"};
  llvm::StringRef Source = R"(if ready:
    start()
stop()
def g():
    start()
stop()
)";
  CHECK(rewrite(R, Source) == Source);
}

TEST_CASE("a multi-statement pattern does not match with a statement between",
          "[rewrite]") {
  RuleText R{"start()\nstop()\n", "restart()"};
  llvm::StringRef Source = "start()\nwork()\nstop()\n";
  CHECK(rewrite(R, Source) == Source);
}

TEST_CASE("a multi-statement pattern matches inside nested blocks",
          "[rewrite]") {
  RuleText R{"start()\nstop()\n", "restart()"};
  CHECK(rewrite(R, R"(class Service:
    def cycle(self):
        for i in range(3):
            if i:
                start()
                stop()
)") == R"(class Service:
    def cycle(self):
        for i in range(3):
            if i:
                restart()
)");
}

TEST_CASE("comments between and above the statements of a run belong to it",
          "[rewrite]") {
  RuleText R{"save($X)\naudit($X)\n", "store($X)"};
  CHECK(rewrite(R, R"(def f(doc):
    prepare(doc)

    # Save it
    save(doc)

    # Audit it
    audit(doc)  # always
    return doc
)") == R"(def f(doc):
    prepare(doc)

    store(doc)
    return doc
)");
}

TEST_CASE("a run of statements in a multi-statement pattern binds the "
          "statements between",
          "[rewrite]") {
  RuleText R{"$L.acquire()\n$$$BODY\n$L.release()\n",
             "with $L:\n    $$$BODY\n"};
  CHECK(rewrite(R, R"(def f(lock):
    lock.acquire()
    x = 1
    # keep me
    y = x + 1
    lock.release()
)") == R"(def f(lock):
    with lock:
        x = 1
        # keep me
        y = x + 1
)");
}

TEST_CASE("a statement metavariable matches any one statement", "[rewrite]") {
  RuleText R{"begin()\n$S\ncommit()\n", "with transaction():\n    $S\n"};
  CHECK(rewrite(R, R"(begin()
if x:
    y()
commit()
)") == R"(with transaction():
    if x:
        y()
)");
}

TEST_CASE("an if statement pattern unwraps its body", "[rewrite]") {
  RuleText R{"if FEATURE_FLAG:\n    $$$BODY\n", "$$$BODY"};
  CHECK(rewrite(R, R"(def run():
    if FEATURE_FLAG:
        step_one()
        if deep:
            step_two()
    done()
)") == R"(def run():
    step_one()
    if deep:
        step_two()
    done()
)");
}

TEST_CASE("function definitions match with runs of parameters and statements",
          "[rewrite]") {
  RuleText R{"def handler($$$P):\n    $$$BODY\n",
             "async def handler($$$P):\n    $$$BODY\n"};
  CHECK(rewrite(R, R"(class Api:
    def handler(self, request, *, timeout=3):
        return self.reply(request)
)") == R"(class Api:
    async def handler(self, request, *, timeout=3):
        return self.reply(request)
)");
}

TEST_CASE("an empty fix deletes the matched statements and their comments",
          "[rewrite]") {
  RuleText R{"metrics.flush()", ""};
  CHECK(rewrite(R, R"(def f():
    work()
    # flush the metrics
    metrics.flush()  # every time

    return 1
)") == R"(def f():
    work()

    return 1
)");
}

TEST_CASE("an empty fix on a block's only statement leaves pass", "[rewrite]") {
  RuleText R{"metrics.flush()", ""};
  CHECK(rewrite(R, R"(def f():
    metrics.flush()
)") == R"(def f():
    pass
)");
}

TEST_CASE("an empty fix leaves alone an expression that is not a whole "
          "statement",
          "[rewrite]") {
  RuleText R{"metrics.flush()", ""};
  llvm::StringRef Source = "ok = metrics.flush()\n";
  CHECK(rewrite(R, Source) == Source);
}

//===----------------------------------------------------------------------===//
// Indentation and layout of the fix
//===----------------------------------------------------------------------===//

TEST_CASE("a multi-line fix is indented to the nested block it lands in",
          "[rewrite]") {
  RuleText R{"notify($USER)", "if $USER.active:\n    notify($USER)\n"};
  CHECK(rewrite(R, R"(class Jobs:
    def run(self, user):
        for _ in range(2):
            notify(user)
)") == R"(class Jobs:
    def run(self, user):
        for _ in range(2):
            if user.active:
                notify(user)
)");
}

TEST_CASE("a tab-indented file gets tabs in the fix", "[rewrite]") {
  RuleText R{"notify($USER)", "if $USER.active:\n    notify($USER)\n"};
  CHECK(
      rewrite(R, "def run(user):\n\tif user:\n\t\tnotify(user)\n") ==
      "def run(user):\n\tif user:\n\t\tif user.active:\n\t\t\tnotify(user)\n");
}

TEST_CASE("a file indented by two spaces gets two-space levels in the fix",
          "[rewrite]") {
  RuleText R{"notify($USER)", "if $USER.active:\n    notify($USER)\n"};
  CHECK(rewrite(R, "def run(user):\n  notify(user)\n") ==
        "def run(user):\n  if user.active:\n    notify(user)\n");
}

TEST_CASE("continuation lines of the fix keep their place under the "
          "statement",
          "[rewrite]") {
  RuleText R{"log($MSG)",
             "logger.info(\n    $MSG,\n    extra={\"source\": \"svc\"},\n)\n"};
  CHECK(rewrite(R, R"(def f():
    if x:
        log("done")
)") == R"(def f():
    if x:
        logger.info(
            "done",
            extra={"source": "svc"},
        )
)");
}

TEST_CASE("a multi-line bound argument keeps its formatting when moved deeper",
          "[rewrite]") {
  RuleText R{"report($DATA)", "if enabled:\n    send($DATA)\n"};
  CHECK(rewrite(R, R"(def f():
    report({
        "a": 1,
        "b": [
            2,
        ],
    })
)") == R"(def f():
    if enabled:
        send({
            "a": 1,
            "b": [
                2,
            ],
        })
)");
}

TEST_CASE("a multi-line bound argument keeps its formatting when moved "
          "shallower",
          "[rewrite]") {
  RuleText R{"if enabled:\n    send($DATA)\n", "send($DATA)"};
  CHECK(rewrite(R, R"(def f():
    if enabled:
        send(dict(
            a=1,
        ))
)") == R"(def f():
    send(dict(
        a=1,
    ))
)");
}

TEST_CASE("the lines of a multi-line string in a bound node are left alone",
          "[rewrite]") {
  RuleText R{"run_sql($Q)", "if db:\n    db.execute($Q)\n"};
  CHECK(rewrite(R, R"(def f():
    run_sql("""
SELECT *
    FROM t
""")
)") == R"(def f():
    if db:
        db.execute("""
SELECT *
    FROM t
""")
)");
}

TEST_CASE("a run alone on its template line becomes one item per line",
          "[rewrite]") {
  RuleText R{"call($$$ARGS)", "call(\n    $$$ARGS,\n)\n"};
  CHECK(rewrite(R, "    \nx = call(a, b=2, *c)\n") ==
        "    \nx = call(\n    a,\n    b=2,\n    *c,\n)\n");
}

TEST_CASE("consecutive bound arguments keep their own layout and comments",
          "[rewrite]") {
  RuleText R{"old($$$ARGS)", "new($$$ARGS)"};
  CHECK(rewrite(R, R"(def f():
    old(a,  # first
        b)
)") == R"(def f():
    new(a,  # first
        b)
)");
}

TEST_CASE("arguments that were not consecutive are joined with commas",
          "[rewrite]") {
  RuleText R{"make($$$ARGS, legacy=True)", "make_v2($$$ARGS)"};
  CHECK(rewrite(R, "make(a, legacy=True, b=2)\n") == "make_v2(a, b=2)\n");
}

TEST_CASE("an empty statement run alone in a block of the fix becomes pass",
          "[rewrite]") {
  RuleText R{"$L.acquire()\n$$$BODY\n$L.release()\n",
             "with $L:\n    $$$BODY\n"};
  CHECK(rewrite(R, R"(def f(lock):
    lock.acquire()
    lock.release()
    return 1
)") == R"(def f(lock):
    with lock:
        pass
    return 1
)");
}

TEST_CASE("a statement run that is not a block's only content leaves no "
          "line when empty",
          "[rewrite]") {
  RuleText R{"$L.acquire()\n$$$BODY\n$L.release()\n",
             "with $L:\n    $$$BODY\n    audit()\n"};
  CHECK(rewrite(R, R"(lock.acquire()
lock.release()
)") == R"(with lock:
    audit()
)");
}

TEST_CASE("a suppressed exception becomes a suppress block", "[rewrite]") {
  RuleText R{"try:\n    $$$BODY\nexcept Exception:\n    pass\n",
             "with suppress(Exception):\n    $$$BODY\n"};
  CHECK(rewrite(R, R"(try:
    go()
except Exception:
    pass
)") == R"(with suppress(Exception):
    go()
)");
}

TEST_CASE("CRLF files keep CRLF line breaks in a multi-line fix", "[rewrite]") {
  RuleText R{"notify($USER)", "if $USER.active:\n    notify($USER)\n"};
  CHECK(rewrite(R, "def run(user):\r\n    notify(user)\r\n") ==
        "def run(user):\r\n    if user.active:\r\n        notify(user)\r\n");
}

//===----------------------------------------------------------------------===//
// where: constraints
//===----------------------------------------------------------------------===//

TEST_CASE("a where regex keeps only matches whose binding it finds",
          "[rewrite]") {
  RuleText R{"$REPO.log_failure($$$A)", "", {regex("REPO", "processing_log")}};
  CHECK(rewrite(R, R"(def f(self):
    self.processing_log_repo.log_failure(1)
    self.audit_repo.log_failure(2)
)") == R"(def f(self):
    self.audit_repo.log_failure(2)
)");
}

TEST_CASE("a where kind restricts the kind of the bound node", "[rewrite]") {
  RuleText R{"str($X)", "$X", {kind("X", "string")}};
  CHECK(rewrite(R, R"(a = str("x")
b = str(x)
)") == R"(a = "x"
b = str(x)
)");
}

TEST_CASE("a where not negates its test", "[rewrite]") {
  RuleText R{"print($$$A)",
             "logger.info($$$A)",
             {regex("A", "^f?\"debug", /*Negated=*/true)}};
  CHECK(rewrite(R, R"(print("debug: x")
print("hello")
)") == R"(print("debug: x")
logger.info("hello")
)");
}

TEST_CASE("a where kind on a run holds when every item is of that kind",
          "[rewrite]") {
  RuleText R{"f($$$A)", "g($$$A)", {kind("A", "keyword_argument")}};
  CHECK(rewrite(R, R"(f(a=1, b=2)
f(1, b=2)
)") == R"(g(a=1, b=2)
f(1, b=2)
)");
}

TEST_CASE("where constraints make a run pick another length", "[rewrite]") {
  RuleText R{
      "pick($$$BEFORE, $X, $$$AFTER)", "chosen($X)", {regex("X", "^target$")}};
  CHECK(rewrite(R, "pick(a, target, b)\n") == "chosen(target)\n");
}

//===----------------------------------------------------------------------===//
// imports:
//===----------------------------------------------------------------------===//

TEST_CASE("a missing import is added after the last import", "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(import os
from .db import Db

log_event(1)
)") == R"(import os
from .db import Db
from .event_logger import EventLogger

EventLogger.event(1)
)");
}

TEST_CASE("an import the file already has is not added again", "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(
      rewrite(
          R,
          R"(from .event_logger import EventLogger as EventLogger2, EventLogger

log_event(1)
)") == R"(from .event_logger import EventLogger as EventLogger2, EventLogger

EventLogger.event(1)
)");
}

TEST_CASE("a missing name is merged into a from import of the same module",
          "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(from .event_logger import log_event  # old API

log_event(1)
)") == R"(from .event_logger import log_event, EventLogger  # old API

EventLogger.event(1)
)");
}

TEST_CASE("merging into a parenthesized import with one name per line adds a "
          "line",
          "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(from .event_logger import (
    log_event,
    log_error,
)

log_event(1)
)") == R"(from .event_logger import (
    log_event,
    log_error,
    EventLogger,
)

EventLogger.event(1)
)");
}

TEST_CASE("with no import, the import goes after the module docstring",
          "[rewrite]") {
  RuleText R{
      "print($X)", "logger.info($X)", {}, {"from app.logging import logger"}};
  CHECK(rewrite(R, R"("""The job."""
print("start")
)") == R"("""The job."""

from app.logging import logger

logger.info("start")
)");
}

TEST_CASE("a plain import is added when its module is not imported",
          "[rewrite]") {
  RuleText R{"logging.info($$$A)",
             "structlog.get_logger().info($$$A)",
             {},
             {"import structlog", "import os.path"}};
  CHECK(rewrite(R, R"(import logging
import os.path

logging.info("x", flow_id=f)
)") == R"(import logging
import os.path
import structlog

structlog.get_logger().info("x", flow_id=f)
)");
}

TEST_CASE("imports are not added to files the rewrite does not change",
          "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(editsOf(R, "import os\nprint(1)\n").empty());
}

TEST_CASE("a name the module defines itself is not imported", "[rewrite]") {
  RuleText R{"log_event($E)",
             "EventLogger.event($E)",
             {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(class EventLogger:
    pass


log_event(1)
)") == R"(class EventLogger:
    pass


EventLogger.event(1)
)");
}

TEST_CASE("a name imported only for type checkers is imported for run time",
          "[rewrite]") {
  RuleText R{"log_event($E)", "EventLogger.event($E)", {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .event_logger import EventLogger

log_event(1)
)") == R"(from typing import TYPE_CHECKING
from .event_logger import EventLogger

if TYPE_CHECKING:
    from .event_logger import EventLogger

EventLogger.event(1)
)");
}

TEST_CASE("a file without imports nor docstring gets the import at its top",
          "[rewrite]") {
  RuleText R{"log_event($E)", "EventLogger.event($E)", {},
             {"from .event_logger import EventLogger"}};
  CHECK(rewrite(R, R"(# Jobs.
def run():
    log_event(1)
)") == R"(# Jobs.
from .event_logger import EventLogger


def run():
    EventLogger.event(1)
)");
}

//===----------------------------------------------------------------------===//
// Edits and files
//===----------------------------------------------------------------------===//

TEST_CASE("edits carry the rule id and the first line of the match",
          "[rewrite]") {
  RuleText R{"$A.log_failure($$$X)\nEventLogger.file_error($$$Y)\n",
             "EventLogger.file_error($$$Y)"};
  std::vector<Edit> Edits = editsOf(R, R"(def f(self, e):
    # old
    self.repo.log_failure(
        e)
    EventLogger.file_error(e)
)");
  REQUIRE(Edits.size() == 1);
  CHECK(Edits[0].RuleId == "rw");
  CHECK(Edits[0].Reason ==
        std::vector<std::string>{"rewrite: matched `self.repo.log_failure(`"});
}

TEST_CASE("a rule applies to .py files by default and to its globs otherwise",
          "[rewrite]") {
  RuleText Default{"a()", "b()"};
  RewriteRule D = compileRule(Default);
  CHECK(D.appliesTo("src/x.py"));
  CHECK_FALSE(D.appliesTo("README.md"));
  RuleText Globbed{"a()", "b()", {}, {}, {"src/**/*.py", "tools/"}};
  RewriteRule G = compileRule(Globbed);
  CHECK(G.appliesTo("src/x.py"));
  CHECK(G.appliesTo("src/pkg/y.py"));
  CHECK(G.appliesTo("tools/run.py"));
  CHECK_FALSE(G.appliesTo("tests/test_x.py"));
}

TEST_CASE("a file lacking an identifier of the pattern cannot match",
          "[rewrite]") {
  RewriteRule R = compileRule({"EventLogger.file_error($$$A)", "x()"});
  CHECK(R.mightMatch("EventLogger.file_error(1)"));
  CHECK_FALSE(R.mightMatch("EventLogger.file_warning(1)"));
  CHECK(R.anchors() == std::vector<std::string>{"EventLogger", "file_error"});
}

TEST_CASE("running a rewrite on its own output changes nothing", "[rewrite]") {
  RuleText R{"$REPO.log_failure($$$A, input_payload=json.dumps($P))\n"
             "EventLogger.file_error($$$B)\n",
             "EventLogger.file_error($$$B, payload=$P)\n",
             {},
             {"from .event_logger import EventLogger"}};
  std::string Once = rewrite(R, R"(import json


def f(self, e, p):
    self.repo.log_failure(e, input_payload=json.dumps(p))
    EventLogger.file_error(e)
)");
  CHECK(Once == R"(import json
from .event_logger import EventLogger


def f(self, e, p):
    EventLogger.file_error(e, payload=p)
)");
  CHECK(rewrite(R, Once) == Once);
}

TEST_CASE("a fix that would break the file is refused", "[rewrite]") {
  RewriteRule R =
      compileRule({"notify($U)", "if $U.active:\n    notify($U)\n"});
  SourceFile File("src/jobs.py", "x = notify(user)\n");
  auto Tree = SyntaxTree::parse(File.text());
  REQUIRE(static_cast<bool>(Tree));
  auto Edits = applyRewrite(R, File, *Tree, "guard-notify");
  REQUIRE_FALSE(static_cast<bool>(Edits));
  CHECK(llvm::toString(Edits.takeError()) ==
        "src/jobs.py: rule 'guard-notify' would leave the file unparsable "
        "(line 1, column 5 of the result); check its fix");
}
