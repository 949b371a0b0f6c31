//===- SyntaxTreeTest.cpp - Edits that need no reparse ----------*- C++ -*-===//
//
// SyntaxTree::onlyDeletesStatements lets the driver skip the reparse that
// checks an edited file still parses. Each case states the edits and what
// the function answers; every case also reparses the result, so a "cannot
// break" answer on a result that does not parse fails whatever the case
// expects.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "python/SyntaxTree.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace excise;
using excise::test::parsesCleanly;
using excise::test::py;

namespace {

/// Replace the only occurrence of Old with New.
struct Change {
  const char *Old;
  const char *New;
};

struct Judgement {
  bool CannotBreak = false; ///< What onlyDeletesStatements answered.
  bool ParsesAfter = false; ///< What a fresh parse of the result says.
};

Judgement judge(const std::string &Source, std::vector<Change> Changes) {
  auto Tree = SyntaxTree::parse(Source);
  REQUIRE(static_cast<bool>(Tree));
  REQUIRE_FALSE(Tree->hasErrors());
  std::vector<TextEdit> Edits;
  for (const Change &C : Changes) {
    size_t At = Source.find(C.Old);
    INFO("looking for: " << C.Old);
    REQUIRE(At != std::string::npos);
    REQUIRE(Source.find(C.Old, At + 1) == std::string::npos);
    Edits.push_back({static_cast<unsigned>(At),
                     static_cast<unsigned>(llvm::StringRef(C.Old).size()), C.New});
  }
  std::sort(Edits.begin(), Edits.end(),
            [](const TextEdit &A, const TextEdit &B) { return A.Offset < B.Offset; });
  std::string After;
  unsigned Pos = 0;
  for (const TextEdit &E : Edits) {
    After += Source.substr(Pos, E.Offset - Pos);
    After += E.Text.str();
    Pos = E.Offset + E.Length;
  }
  After += Source.substr(Pos);
  Judgement J;
  J.CannotBreak = Tree->onlyDeletesStatements(Source, Edits);
  J.ParsesAfter = parsesCleanly(After);
  INFO("result:\n" << After);
  // The one thing the answer must never be: wrong in the unsafe direction.
  CHECK((!J.CannotBreak || J.ParsesAfter));
  return J;
}

const std::string Service = py(R"py(
import logging

logger = logging.getLogger(__name__)


class Settler:
    """Settles accounts."""

    @property
    def name(self):
        return "settler"

    async def settle(self, account, *, dry_run=False):
        # say what we are about to do
        logger.debug("settling %s", account)
        total = sum(
            line.amount for line in account.lines
        )
        if total > 0:
            logger.info("settled %s", account)
        elif total < 0:
            logger.warning("negative %s", account)
        else:
            logger.debug("nothing to settle")
        try:
            await account.save()
        except ValueError:
            logger.debug("not saved")
        return total
)py");

} // namespace

TEST_CASE("deleting a statement line from a block that keeps others cannot break it",
          "[python]") {
  Judgement J = judge(Service, {{"        logger.debug(\"settling %s\", account)\n", ""}});
  CHECK(J.CannotBreak);
  CHECK(J.ParsesAfter);
}

TEST_CASE("deleting a block's first statement with the comment above it cannot break it",
          "[python]") {
  Judgement J = judge(Service, {{"        # say what we are about to do\n"
                                 "        logger.debug(\"settling %s\", account)\n",
                                 ""}});
  CHECK(J.CannotBreak);
}

TEST_CASE("deleting a statement that spans lines, whole, cannot break it", "[python]") {
  Judgement J = judge(Service, {{"        total = sum(\n"
                                 "            line.amount for line in account.lines\n"
                                 "        )\n",
                                 ""}});
  CHECK(J.CannotBreak);
}

TEST_CASE("deleting a decorated method from a class that keeps another cannot break it",
          "[python]") {
  Judgement J = judge(Service, {{"    @property\n"
                                 "    def name(self):\n"
                                 "        return \"settler\"\n"
                                 "\n",
                                 ""}});
  CHECK(J.CannotBreak);
}

TEST_CASE("an if rewritten without its else clause is a deletion that cannot break it",
          "[python]") {
  // The engine renders the whole statement again with the clause left out.
  Judgement J = judge(Service, {{"elif total < 0:\n"
                                 "            logger.warning(\"negative %s\", account)\n"
                                 "        else:\n"
                                 "            logger.debug(\"nothing to settle\")\n",
                                 "elif total < 0:\n"
                                 "            logger.warning(\"negative %s\", account)\n"}});
  CHECK(J.CannotBreak);
}

TEST_CASE("replacing a block's only statement with pass cannot break it", "[python]") {
  Judgement J = judge(Service, {{"logger.debug(\"not saved\")", "pass"}});
  CHECK(J.CannotBreak);
}

TEST_CASE("deleting every top-level statement leaves an empty module, which parses",
          "[python]") {
  std::string Source = py(R"py(
import logging
logger = logging.getLogger(__name__)
)py");
  Judgement J = judge(Source, {{"import logging\nlogger = logging.getLogger(__name__)\n", ""}});
  CHECK(J.CannotBreak);
  CHECK(J.ParsesAfter);
}

// tree-sitter-python accepts a block with no statement (Python does not), so
// these results "parse"; the answer must still be no.
TEST_CASE("deleting the only statement of a block is not judged safe", "[python]") {
  Judgement J = judge(Service, {{"            logger.debug(\"not saved\")\n", ""}});
  CHECK_FALSE(J.CannotBreak);
}

TEST_CASE("deleting every statement of a block in two edits is not judged safe",
          "[python]") {
  std::string Source = py(R"py(
def flush(queue):
    queue.drain()
    queue.close()
print("done")
)py");
  Judgement J = judge(Source, {{"    queue.drain()\n", ""}, {"    queue.close()\n", ""}});
  CHECK_FALSE(J.CannotBreak);
}

TEST_CASE("deleting the first lines of a statement that spans lines is not judged safe",
          "[python]") {
  Judgement J = judge(Service, {{"        total = sum(\n"
                                 "            line.amount for line in account.lines\n",
                                 ""}});
  CHECK_FALSE(J.CannotBreak);
  CHECK_FALSE(J.ParsesAfter);
}

TEST_CASE("deleting a statement that shares its line with another is left to the reparse",
          "[python]") {
  std::string Source = py(R"py(
def flush(queue):
    queue.drain(); queue.close()
    return queue
)py");
  Judgement J = judge(Source, {{"queue.drain(); ", ""}});
  CHECK_FALSE(J.CannotBreak);
  CHECK(J.ParsesAfter);
}

TEST_CASE("deleting the line a backslash continues into is not judged safe",
          "[python]") {
  std::string Source = py(R"py(
def total(a, b):
    value = a + \
        b
    return value
)py");
  Judgement J = judge(Source, {{"        b\n", ""}});
  CHECK_FALSE(J.CannotBreak);
  CHECK_FALSE(J.ParsesAfter);
}

TEST_CASE("deleting an except clause is not judged safe: a try needs one", "[python]") {
  Judgement J = judge(Service, {{"        except ValueError:\n"
                                 "            logger.debug(\"not saved\")\n",
                                 ""}});
  CHECK_FALSE(J.CannotBreak);
}

TEST_CASE("replacing a match statement's only case with pass is not judged safe",
          "[python]") {
  std::string Source = py(R"py(
match command:
    case "stop":
        halt()
)py");
  Judgement J = judge(Source, {{"case \"stop\":\n        halt()", "pass"}});
  CHECK_FALSE(J.CannotBreak);
  CHECK_FALSE(J.ParsesAfter);
}

TEST_CASE("a deletion that starts inside a line, or any insertion, is left to the reparse",
          "[python]") {
  CHECK_FALSE(judge(Service, {{"(\"settling %s\", account)", ""}}).CannotBreak);
  CHECK_FALSE(judge(Service, {{"return total\n", "return total + 1\n"}}).CannotBreak);
}
