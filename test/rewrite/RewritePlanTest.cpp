//===- RewritePlanTest.cpp - Loading `rewrite` rules ----------------------===//
//
// A bad rewrite is refused when the plan is loaded, pointing at the place of
// the plan where the mistake is: inside the pattern or the fix when it can.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"
#include "rewrite/Rewrite.h"

#include "TestSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

TEST_CASE("a rewrite rule is loaded with its pattern, fix, constraints, "
          "imports and files",
          "[rewrite]") {
  Plan P = acceptPlan(R"yaml(plan: single-logging
rules:
  - id: single-logging
    rewrite:
      pattern: |
        $REPO.log_failure($$$A, input_payload=json.dumps($PAYLOAD))
        EventLogger.file_error($$$B)
      fix: |
        EventLogger.file_error($$$B, payload=$PAYLOAD)
      where:
        $REPO: { regex: processing_log_repo$ }
        PAYLOAD: { kind: identifier, not: { regex: "^None$" } }
      imports: [from .event_logger import EventLogger]
      files: ["src/**/*.py"]
)yaml");
  REQUIRE(P.Rules.size() == 1);
  const Rule &R = P.Rules[0];
  CHECK(R.Kind == OperationKind::Rewrite);
  CHECK(operationName(R.Kind) == "rewrite");
  CHECK(R.Rewrite.Pattern.Value ==
        "$REPO.log_failure($$$A, input_payload=json.dumps($PAYLOAD))\n"
        "EventLogger.file_error($$$B)\n");
  CHECK(R.Rewrite.Pattern.Loc.Line == 6);
  CHECK(R.Rewrite.Fix.Value ==
        "EventLogger.file_error($$$B, payload=$PAYLOAD)\n");
  REQUIRE(R.Rewrite.Where.size() == 3);
  CHECK(R.Rewrite.Where[0].Metavariable == "REPO");
  CHECK(R.Rewrite.Where[0].What == Constraint::Test::Regex);
  CHECK(R.Rewrite.Where[0].Value == "processing_log_repo$");
  CHECK_FALSE(R.Rewrite.Where[0].Negated);
  CHECK(R.Rewrite.Where[1].Metavariable == "PAYLOAD");
  CHECK(R.Rewrite.Where[1].What == Constraint::Test::Kind);
  CHECK(R.Rewrite.Where[1].Value == "identifier");
  CHECK(R.Rewrite.Where[2].What == Constraint::Test::Regex);
  CHECK(R.Rewrite.Where[2].Negated);
  CHECK(R.Rewrite.Where[2].Loc.Line == 12);
  REQUIRE(R.Rewrite.Imports.size() == 1);
  CHECK(R.Rewrite.Imports[0].Value == "from .event_logger import EventLogger");
  REQUIRE(R.Rewrite.Files.size() == 1);
  CHECK(R.Rewrite.Files[0].Value == "src/**/*.py");
}

TEST_CASE("a loaded rewrite rule compiles and rewrites a file", "[rewrite]") {
  Plan P = acceptPlan(R"yaml(plan: p
rules:
  - id: warn
    rewrite: { pattern: "logger.warn($$$A)", fix: "logger.warning($$$A)" }
)yaml");
  auto R = RewriteRule::compile(P.Rules[0].Rewrite);
  REQUIRE(static_cast<bool>(R));
  SourceFile File("a.py", "logger.warn('x', 1)\n");
  auto Tree = SyntaxTree::parse(File.text());
  REQUIRE(static_cast<bool>(Tree));
  auto Edits = applyRewrite(*R, File, *Tree, P.Rules[0].Id);
  REQUIRE(static_cast<bool>(Edits));
  REQUIRE(Edits->size() == 1);
  CHECK((*Edits)[0].text() == "logger.warning('x', 1)");
  CHECK((*Edits)[0].RuleId == "warn");
}

TEST_CASE("an empty fix is accepted and means deletion", "[rewrite]") {
  Plan P = acceptPlan(R"yaml(plan: p
rules:
  - id: drop
    rewrite: { pattern: "metrics.flush()", fix: "" }
)yaml");
  auto R = RewriteRule::compile(P.Rules[0].Rewrite);
  REQUIRE(static_cast<bool>(R));
  CHECK(R->fix().isDeletion());
}

//===----------------------------------------------------------------------===//
// Refused rewrites
//===----------------------------------------------------------------------===//

TEST_CASE("a pattern that is not valid Python is reported at its line and "
          "column in the plan",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: |
        $REPO.log_failure($$$A)
        EventLogger.file_error($$$B
      fix: EventLogger.file_error($$$B)
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered == "plan.yaml:7:31: error: the pattern is not valid Python; "
                      "'(' is not closed\n"
                      "        EventLogger.file_error($$$B\n"
                      "                              ^\n");
}

TEST_CASE("a one-line pattern error points into the quoted value",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite: { pattern: "foo(, $X)", fix: "bar($X)" }
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      "plan.yaml:4:30: error: the pattern is not valid Python; unexpected ','\n"
      "    rewrite: { pattern: \"foo(, $X)\", fix: \"bar($X)\" }\n"
      "                             ^\n");
}

TEST_CASE("a metavariable used in the fix but not bound by the pattern is "
          "reported where the fix uses it",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: $REPO.log_failure($$$A)
      fix: |
        EventLogger.file_error(
            $$$ARGS,
        )
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered == "plan.yaml:8:13: error: '$$$ARGS' is used in the fix but "
                      "the pattern does "
                      "not bind it; the pattern binds $REPO, $$$A\n"
                      "            $$$ARGS,\n"
                      "            ^\n");
}

TEST_CASE("an unknown constraint is an unknown key with a suggestion",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
      fix: log($X)
      where:
        X: { regexp: "^x" }
)yaml");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(R.Rendered ==
        "plan.yaml:8:14: error: unknown key 'regexp' in a constraint; did you "
        "mean 'regex'?\n"
        "        X: { regexp: \"^x\" }\n"
        "             ^\n");
}

TEST_CASE("an unknown key under not is reported with what not takes",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
      fix: log($X)
      where:
        X: { not: { not: { kind: call } } }
)yaml");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(
      R.Rendered ==
      "plan.yaml:8:21: error: unknown key 'not' in 'not'; expected 'regex' or "
      "'kind'\n"
      "        X: { not: { not: { kind: call } } }\n"
      "                    ^\n");
}

TEST_CASE("a constraint on a metavariable the pattern does not bind is "
          "reported",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($MSG)
      fix: log($MSG)
      where:
        MSGS: { kind: string }
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        "plan.yaml:8:9: error: 'where' names $MSGS, which the pattern does not "
        "bind; did you mean '$MSG'?\n"
        "        MSGS: { kind: string }\n"
        "        ^\n");
}

TEST_CASE("an unknown node kind in a constraint is reported with a "
          "suggestion",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($MSG)
      fix: log($MSG)
      where:
        MSG: { kind: strin }
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered == "plan.yaml:8:22: error: 'strin' is not a node kind of "
                      "tree-sitter-python; "
                      "did you mean 'string'?\n"
                      "        MSG: { kind: strin }\n"
                      "                     ^\n");
}

TEST_CASE("an invalid regular expression in a constraint is reported",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($MSG)
      fix: log($MSG)
      where:
        MSG: { regex: "a(b" }
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        "plan.yaml:8:23: error: invalid regular expression 'a(b': parentheses "
        "not balanced\n"
        "        MSG: { regex: \"a(b\" }\n"
        "                      ^\n");
}

TEST_CASE("a dollar sign that starts no metavariable is reported",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite: { pattern: "print($msg)", fix: "log()" }
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      "plan.yaml:4:32: error: '$' starts no metavariable; write $NAME for one "
      "node or $$$NAME for a run, NAME in capitals\n"
      "    rewrite: { pattern: \"print($msg)\", fix: \"log()\" }\n"
      "                               ^\n");
}

TEST_CASE("a run metavariable where only one node fits is reported",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: |
        $$$OBJ.close()
      fix: close($$$OBJ)
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        "plan.yaml:6:9: error: '$$$OBJ' stands for a run of arguments, items, "
        "parameters or statements, which cannot stand here; write '$OBJ' for "
        "one node\n"
        "        $$$OBJ.close()\n"
        "        ^\n");
}

TEST_CASE("a fix that is not valid Python is reported in the fix",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
      fix: |
        if $X
            log($X)
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      "plan.yaml:7:14: error: the fix is not valid Python; expected ':' at the "
      "end of the 'if' line\n"
      "        if $X\n"
      "             ^\n");
}

TEST_CASE("an import that is not an import statement is reported",
          "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
      fix: log($X)
      imports: [from .logging import log, "log = get_logger()"]
)yaml");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        "plan.yaml:7:44: error: expected one 'import ...' or 'from ... import "
        "...' statement\n"
        "      imports: [from .logging import log, \"log = get_logger()\"]\n"
        "                                           ^\n");
}

TEST_CASE("a rewrite without a fix is refused", "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
)yaml");
  CHECK(R.Kind == PlanErrorKind::MissingKey);
  CHECK(R.Rendered ==
        "plan.yaml:5:7: error: 'rewrite' has no 'fix'; write fix: '' to delete "
        "what the pattern matches\n"
        "      pattern: print($X)\n"
        "      ^\n");
}

TEST_CASE("an unknown key of a rewrite suggests the closest one", "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrite:
      pattern: print($X)
      fixx: log($X)
)yaml");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(R.Rendered ==
        "plan.yaml:6:7: error: unknown key 'fixx' in 'rewrite'; did you mean "
        "'fix'?\n"
        "      fixx: log($X)\n"
        "      ^\n");
}

TEST_CASE("a misspelt rewrite operation suggests 'rewrite'", "[rewrite]") {
  Refusal R = refusePlan(R"yaml(plan: p
rules:
  - id: bad
    rewrit: { pattern: "print($X)", fix: "log($X)" }
)yaml");
  CHECK(R.Kind == PlanErrorKind::UnknownOperation);
  CHECK(R.Rendered ==
        "plan.yaml:4:5: error: unknown operation 'rewrit'; did you mean "
        "'rewrite'?\n"
        "    rewrit: { pattern: \"print($X)\", fix: \"log($X)\" }\n"
        "    ^\n");
}
