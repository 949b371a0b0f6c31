//===- PlanTest.cpp - Loading and validating plans ------------------------===//
#include "plan/Plan.h"

#include "TestSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

using namespace excise;
using namespace excise::test;

//===----------------------------------------------------------------------===//
// Accepted plans
//===----------------------------------------------------------------------===//

TEST_CASE("the top-level keys of a plan are read with their defaults",
          "[plan]") {
  Plan P = acceptPlan(R"(plan: remove-processing-logs
description: Consolidate processing_logs
rules:
  - id: drop-repo
    remove-symbol: src.database.ProcessingLogRepo
)");
  CHECK(P.Name == "remove-processing-logs");
  CHECK(P.Description == "Consolidate processing_logs");
  CHECK(P.ImportRoot.Value == ".");
  CHECK(P.FilePath == "plan.yaml");
  REQUIRE(P.Rules.size() == 1);
  CHECK(P.Rules[0].Id == "drop-repo");
  CHECK(P.Rules[0].Loc.Line == 4);
  CHECK(P.Rules[0].Loc.Column == 5);
  CHECK_FALSE(P.Rules[0].Optional);
  CHECK(P.Verify.Absent.empty());
  CHECK(P.Verify.Paths.empty());
}

TEST_CASE("remove-symbol takes one dotted name with its location", "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: drop-repo
    optional: true
    remove-symbol: src.database.ProcessingLogRepo
)");
  REQUIRE(P.Rules.size() == 1);
  const Rule &R = P.Rules[0];
  CHECK(R.Kind == OperationKind::RemoveSymbol);
  CHECK(R.Optional);
  CHECK(R.OperationLoc.Line == 5);
  CHECK(R.OperationLoc.Column == 5);
  REQUIRE(R.Symbols.size() == 1);
  CHECK(R.Symbols[0].Value == "src.database.ProcessingLogRepo");
  CHECK(R.Symbols[0].Loc.Line == 5);
  CHECK(R.Symbols[0].Loc.Column == 20);
}

TEST_CASE("remove-symbol and remove-module take a list in either YAML style",
          "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: symbols
    remove-symbol: [src.a.Repo, 'src.b.helper', "src.c.Class.method"]
  - id: modules
    optional: no
    remove-module:
      - src.core.services.database_integration_logger
      - src.flow
)");
  REQUIRE(P.Rules.size() == 2);
  const Rule &Symbols = P.Rules[0];
  REQUIRE(Symbols.Symbols.size() == 3);
  CHECK(Symbols.Symbols[0].Value == "src.a.Repo");
  CHECK(Symbols.Symbols[1].Value == "src.b.helper");
  CHECK(Symbols.Symbols[1].Loc.Column == 33);
  CHECK(Symbols.Symbols[2].Value == "src.c.Class.method");
  const Rule &Modules = P.Rules[1];
  CHECK(Modules.Kind == OperationKind::RemoveModule);
  REQUIRE(Modules.Modules.size() == 2);
  CHECK(Modules.Modules[0].Value ==
        "src.core.services.database_integration_logger");
  CHECK(Modules.Modules[1].Value == "src.flow");
  CHECK(Modules.Modules[1].Loc.Line == 9);
  CHECK(Modules.Modules[1].Loc.Column == 9);
}

TEST_CASE("remove-calls reads a callee and positional and keyword predicates",
          "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: drop-init-message
    remove-calls:
      callee: "*.log_checkpoint"
      args: ["re:Database integration\\s+logger", "*", exact, {level: INFO}, {extra: "*"}]
)");
  REQUIRE(P.Rules.size() == 1);
  const CallMatcher &Calls = P.Rules[0].Calls;
  CHECK(P.Rules[0].Kind == OperationKind::RemoveCalls);
  CHECK(Calls.Callee.Value == "*.log_checkpoint");
  CHECK(Calls.Function.Value.empty());
  REQUIRE(Calls.Args.size() == 4);

  CHECK(Calls.Args[0].Position == 0u);
  CHECK(Calls.Args[0].IsRegex);
  CHECK(Calls.Args[0].Value == "Database integration\\s+logger");
  CHECK(Calls.Args[0].Loc.Column == 14);

  CHECK(Calls.Args[1].Position == 2u);
  CHECK_FALSE(Calls.Args[1].IsRegex);
  CHECK(Calls.Args[1].Value == "exact");

  CHECK_FALSE(Calls.Args[2].Position.has_value());
  CHECK(Calls.Args[2].Keyword == "level");
  CHECK(Calls.Args[2].Value == "INFO");

  CHECK(Calls.Args[3].Keyword == "extra");
  CHECK(Calls.Args[3].IsRegex);
  CHECK(Calls.Args[3].Value == ".*");
}

TEST_CASE("remove-calls may name the function through its qualified name",
          "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: drop-checkpoints
    remove-calls: { function: src.flow.log_checkpoint }
)");
  REQUIRE(P.Rules.size() == 1);
  CHECK(P.Rules[0].Calls.Function.Value == "src.flow.log_checkpoint");
  CHECK(P.Rules[0].Calls.Callee.Value.empty());
  CHECK(P.Rules[0].Calls.Args.empty());
}

TEST_CASE("delete-files takes paths and globs and normalizes them", "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: one
    delete-files: ./tests/integration/test_integration_logging.py
  - id: many
    delete-files: [tests/old/, "scripts/**/*.sql", a/b/../c.py]
)");
  REQUIRE(P.Rules.size() == 2);
  CHECK(P.Rules[0].Kind == OperationKind::DeleteFiles);
  REQUIRE(P.Rules[0].Paths.size() == 1);
  CHECK(P.Rules[0].Paths[0].Value ==
        "tests/integration/test_integration_logging.py");
  REQUIRE(P.Rules[1].Paths.size() == 3);
  CHECK(P.Rules[1].Paths[0].Value == "tests/old/");
  CHECK(P.Rules[1].Paths[1].Value == "scripts/**/*.sql");
  CHECK(P.Rules[1].Paths[2].Value == "a/c.py");
}

TEST_CASE("move-files takes a list of moves or a single one", "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: archive-sql
    move-files: [{ from: scripts/database/create_table.sql,
                   to: scripts/database/archived/ }]
  - id: rename
    move-files:
      from: src/old.py
      to: src/new.py
)");
  REQUIRE(P.Rules.size() == 2);
  CHECK(P.Rules[0].Kind == OperationKind::MoveFiles);
  REQUIRE(P.Rules[0].Moves.size() == 1);
  CHECK(P.Rules[0].Moves[0].From.Value == "scripts/database/create_table.sql");
  CHECK(P.Rules[0].Moves[0].To.Value == "scripts/database/archived/");
  CHECK(P.Rules[0].Moves[0].To.Loc.Line == 5);
  CHECK(P.Rules[0].Moves[0].To.Loc.Column == 24);
  REQUIRE(P.Rules[1].Moves.size() == 1);
  CHECK(P.Rules[1].Moves[0].From.Value == "src/old.py");
  CHECK(P.Rules[1].Moves[0].To.Value == "src/new.py");
}

TEST_CASE("add-file takes its content from a quoted or a block scalar",
          "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: quoted
    add-file: { path: scripts/drop.sql,
                content: "DROP TABLE IF EXISTS integration_events;\n" }
  - id: block
    add-file:
      path: scripts/README.md
      content: |
        # Archived

        Kept for history.
)");
  REQUIRE(P.Rules.size() == 2);
  CHECK(P.Rules[0].Kind == OperationKind::AddFile);
  CHECK(P.Rules[0].Add.Path.Value == "scripts/drop.sql");
  CHECK(P.Rules[0].Add.Content == "DROP TABLE IF EXISTS integration_events;\n");
  CHECK(P.Rules[1].Add.Path.Value == "scripts/README.md");
  CHECK(P.Rules[1].Add.Content == "# Archived\n\nKept for history.\n");
}

TEST_CASE("replace-text reads globs, a regex and whole-word", "[plan]") {
  Plan P = acceptPlan(R"(plan: p
rules:
  - id: docs
    replace-text: { files: ["**/*.md"], from: processing_logs, to: batchExecutionLog }
  - id: regex
    replace-text:
      files: docs/*.rst
      from: "re:processing_logs?"
      to: ''
      whole-word: false
)");
  REQUIRE(P.Rules.size() == 2);
  const TextReplacement &Docs = P.Rules[0].Replace;
  CHECK(P.Rules[0].Kind == OperationKind::ReplaceText);
  REQUIRE(Docs.Files.size() == 1);
  CHECK(Docs.Files[0].Value == "**/*.md");
  CHECK(Docs.From.Value == "processing_logs");
  CHECK(Docs.To == "batchExecutionLog");
  CHECK(Docs.WholeWord);
  const TextReplacement &Regex = P.Rules[1].Replace;
  REQUIRE(Regex.Files.size() == 1);
  CHECK(Regex.Files[0].Value == "docs/*.rst");
  CHECK(Regex.From.Value == "re:processing_logs?");
  CHECK(Regex.To.empty());
  CHECK_FALSE(Regex.WholeWord);
}

TEST_CASE("import-root and verify are read as paths and names", "[plan]") {
  Plan P = acceptPlan(R"(plan: p
import-root: cofi-service/
rules:
  - id: r
    remove-module: src.flow
verify:
  absent: [ProcessingLogRepo, processing_log_repo]
  paths: [src/, .]
)");
  CHECK(P.ImportRoot.Value == "cofi-service/");
  CHECK(P.ImportRoot.Loc.Line == 2);
  CHECK(P.ImportRoot.Loc.Column == 14);
  REQUIRE(P.Verify.Absent.size() == 2);
  CHECK(P.Verify.Absent[0].Value == "ProcessingLogRepo");
  CHECK(P.Verify.Absent[1].Value == "processing_log_repo");
  REQUIRE(P.Verify.Paths.size() == 2);
  CHECK(P.Verify.Paths[0].Value == "src/");
  CHECK(P.Verify.Paths[1].Value == ".");
}

TEST_CASE("the example plan of the specification is accepted", "[plan]") {
  Plan P = acceptPlan(R"(plan: remove-processing-logs
description: Consolidate processing_logs into batchExecutionLog
import-root: cofi-service   # where dotted module names start
rules:
  - id: drop-repo
    remove-symbol: src.database.ProcessingLogRepo      # class, function
  - id: drop-logger-module
    remove-module: src.core.services.database_integration_logger
  - id: drop-init-message
    remove-calls: { callee: logger.info, args: ["re:Database integration logger"] }
  - id: drop-old-tests
    delete-files: [tests/integration/test_integration_logging.py]
  - id: archive-sql
    move-files: [{ from: scripts/database/create_integration_logging_table.sql,
                   to: scripts/database/archived/ }]
  - id: drop-db-objects
    add-file: { path: scripts/database/migrations/drop_integration_events.sql,
                content: "DROP TABLE IF EXISTS integration_events;\n" }
  - id: docs
    replace-text: { files: ["**/*.md"], from: processing_logs, to: batchExecutionLog }
verify:
  absent: [ProcessingLogRepo, processing_log_repo]
  paths: [src/]
)");
  REQUIRE(P.Rules.size() == 7);
  const OperationKind Kinds[] = {
      OperationKind::RemoveSymbol, OperationKind::RemoveModule,
      OperationKind::RemoveCalls,  OperationKind::DeleteFiles,
      OperationKind::MoveFiles,    OperationKind::AddFile,
      OperationKind::ReplaceText};
  for (size_t I = 0; I < 7; ++I)
    CHECK(P.Rules[I].Kind == Kinds[I]);
  CHECK(P.ImportRoot.Value == "cofi-service");
}

TEST_CASE("operations are spelled as in plan files", "[plan]") {
  CHECK(operationName(OperationKind::RemoveSymbol) == "remove-symbol");
  CHECK(operationName(OperationKind::RemoveModule) == "remove-module");
  CHECK(operationName(OperationKind::RemoveCalls) == "remove-calls");
  CHECK(operationName(OperationKind::DeleteFiles) == "delete-files");
  CHECK(operationName(OperationKind::MoveFiles) == "move-files");
  CHECK(operationName(OperationKind::AddFile) == "add-file");
  CHECK(operationName(OperationKind::ReplaceText) == "replace-text");
}

TEST_CASE("a large plan is loaded in one pass", "[plan]") {
  std::string Text = "plan: big\nrules:\n";
  for (int I = 0; I < 20000; ++I)
    Text += "  - id: rule-" + std::to_string(I) +
            "\n    remove-symbol: [src.module" + std::to_string(I) +
            ".Name, src.other.Thing]\n";
  REQUIRE(Text.size() > 1000000);
  Plan P = acceptPlan(Text);
  REQUIRE(P.Rules.size() == 20000);
  CHECK(P.Rules.back().Id == "rule-19999");
  CHECK(P.Rules.back().Symbols[0].Loc.Line == 40002);
}

//===----------------------------------------------------------------------===//
// Refused plans
//===----------------------------------------------------------------------===//

TEST_CASE("an unknown operation is an error that suggests the closest one",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: drop-repo
    remove-symbl: src.database.ProcessingLogRepo
)");
  CHECK(R.Kind == PlanErrorKind::UnknownOperation);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:5: error: unknown operation 'remove-symbl'; did you mean 'remove-symbol'?
    remove-symbl: src.database.ProcessingLogRepo
    ^
)");
}

TEST_CASE("an operation far from every known one lists them all", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    obliterate: src.a
)");
  CHECK(R.Kind == PlanErrorKind::UnknownOperation);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:5: error: unknown operation 'obliterate'; expected one of 'remove-symbol', 'remove-module', 'remove-calls', 'delete-files', 'move-files', 'add-file', 'replace-text' or 'rewrite'
    obliterate: src.a
    ^
)");
}

TEST_CASE("an unknown top-level key suggests the key that was meant",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
descripton: typo
rules:
  - id: r
    remove-symbol: a.b
)");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:2:1: error: unknown key 'descripton' in the plan; did you mean 'description'?
descripton: typo
^
)");
}

TEST_CASE("a misspelt rule key is an unknown key, not an unknown operation",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - ids: r
    remove-symbol: a.b
)");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(R.Rendered ==
        R"(plan.yaml:3:5: error: unknown key 'ids' in a rule; did you mean 'id'?
  - ids: r
    ^
)");
}

TEST_CASE("an unknown key inside an operation lists the keys it takes",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: { callee: logger.info, argz: [x], extra: 1 }
)");
  CHECK(R.Kind == PlanErrorKind::UnknownKey);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:42: error: unknown key 'argz' in 'remove-calls'; did you mean 'args'?
    remove-calls: { callee: logger.info, argz: [x], extra: 1 }
                                         ^
)");
}

TEST_CASE("a duplicate rule id points at the second and names the first line",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: drop-repo
    remove-symbol: a.Repo
  - id: drop-repo
    remove-symbol: b.Repo
)");
  CHECK(R.Kind == PlanErrorKind::DuplicateRuleId);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:5:9: error: duplicate rule id 'drop-repo'; it is first used at line 3
  - id: drop-repo
        ^
)");
}

TEST_CASE("a YAML syntax error is reported clang-style", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-symbol: "src.a
)");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(R.Rendered ==
        R"(plan.yaml:4:26: error: expected quote at end of scalar
    remove-symbol: "src.a
                         ^
)");
}

TEST_CASE("an unclosed flow list is a syntax error", "[plan]") {
  Refusal R = refusePlan("plan: p\nrules: [a, b\n");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(R.Rendered == "plan.yaml:2:13: error: could not find closing ]\n"
                      "rules: [a, b\n"
                      "            ^\n");
}

TEST_CASE("tabs used for indentation are refused with a clear message",
          "[plan]") {
  Refusal R = refusePlan("plan: p\nrules:\n  - id: r\n\tremove-symbol: a.b\n");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(R.Rendered == "plan.yaml:4:1: error: tabs are not allowed in YAML "
                      "indentation; indent with spaces\n"
                      "\tremove-symbol: a.b\n"
                      "^\n");
}

TEST_CASE("a plan that is not UTF-8 is refused at the first bad byte",
          "[plan]") {
  Refusal R = refusePlan("plan: p\nrules:\n  - id: caf\xe9\n    remove-symbol: "
                     "a.b\n");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(R.Rendered == "plan.yaml:3:12: error: the plan is not valid UTF-8\n"
                      "  - id: caf\xEF\xBF\xBD\n"
                      "           ^\n");
}

TEST_CASE("the caret is aligned under non-ASCII text", "[plan]") {
  Refusal R = refusePlan("plan: p\ndescription: \xC3\xA9t\xC3\xA9 \xE2\x86\x92 "
                     "x\nrules: []\n");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  Refusal S = refusePlan("plan: p\nrules:\n  - {id: \xC3\xA9t\xC3\xA9, bad: 1}\n");
  CHECK(S.Kind == PlanErrorKind::UnknownOperation);
  CHECK(S.Rendered == "plan.yaml:3:17: error: unknown operation 'bad'; "
                      "expected one of 'remove-symbol', 'remove-module', "
                      "'remove-calls', 'delete-files', 'move-files', "
                      "'add-file', 'replace-text' or 'rewrite'\n"
                      "  - {id: \xC3\xA9t\xC3\xA9, bad: 1}\n"
                      "              ^\n");
}

TEST_CASE("a plan nested absurdly deep is refused instead of crashing",
          "[plan]") {
  Refusal R = refusePlan("plan: p\nrules: " + std::string(1000000, '[') + "\n");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(llvm::StringRef(R.Rendered)
            .startswith("plan.yaml:2:10007: error: the plan nests deeper than "
                        "10000 levels\n"));
  std::string Dashes = "plan: p\nrules:\n";
  for (int I = 0; I < 500000; ++I)
    Dashes += "- ";
  CHECK(refusePlan(Dashes + "x\n").Kind == PlanErrorKind::Syntax);
}

TEST_CASE("an empty plan file is refused", "[plan]") {
  Refusal R = refusePlan("");
  CHECK(R.Kind == PlanErrorKind::MissingKey);
  CHECK(R.Rendered ==
        "plan.yaml:1:1: error: empty plan; expected a mapping with 'plan' and "
        "'rules'\n\n^\n");
  Refusal Comments = refusePlan("# nothing yet\n");
  CHECK(Comments.Kind == PlanErrorKind::MissingKey);
}

TEST_CASE("a plan with an empty rules list is refused at the list", "[plan]") {
  Refusal R = refusePlan("plan: p\nrules: []\n");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        "plan.yaml:2:8: error: 'rules' is empty; a plan needs at least one "
        "rule\nrules: []\n       ^\n");
  Refusal Null = refusePlan("plan: p\nrules:\n");
  CHECK(Null.Kind == PlanErrorKind::InvalidValue);
  CHECK(Null.Rendered ==
        "plan.yaml:2:1: error: 'rules' is empty; a plan needs at least one "
        "rule\nrules:\n^\n");
}

TEST_CASE("a plan without rules or name reports the missing key", "[plan]") {
  Refusal R = refusePlan("plan: p\ndescription: d\n");
  CHECK(R.Kind == PlanErrorKind::MissingKey);
  CHECK(R.Rendered == "plan.yaml:1:1: error: the plan has no 'rules'\n"
                      "plan: p\n"
                      "^\n");
  Refusal Name = refusePlan("rules:\n  - id: r\n    remove-module: a\n");
  CHECK(Name.Kind == PlanErrorKind::MissingKey);
  CHECK(Name.Rendered ==
        "plan.yaml:1:1: error: the plan has no 'plan' key naming it\n"
        "rules:\n"
        "^\n");
}

TEST_CASE("a rule without an operation is refused at the rule", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: lonely
    optional: true
)");
  CHECK(R.Kind == PlanErrorKind::MissingKey);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:3:5: error: rule 'lonely' has no operation; expected one of 'remove-symbol', 'remove-module', 'remove-calls', 'delete-files', 'move-files', 'add-file', 'replace-text' or 'rewrite'
  - id: lonely
    ^
)");
}

TEST_CASE("a rule without an id is refused at the rule", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - remove-symbol: a.b
)");
  CHECK(R.Kind == PlanErrorKind::MissingKey);
  CHECK(R.Rendered == R"(plan.yaml:3:5: error: the rule has no 'id'
  - remove-symbol: a.b
    ^
)");
}

TEST_CASE("a rule with two operations is refused at the second", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-symbol: a.b
    remove-module: a
)");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:5:5: error: a rule has one operation, but 'remove-module' follows 'remove-symbol' (line 4); write a rule for each
    remove-module: a
    ^
)");
}

TEST_CASE("a mapping where a name is expected is a wrong type at the value",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-symbol: {name: a.b}
)");
  CHECK(R.Kind == PlanErrorKind::WrongType);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:20: error: expected a dotted name or a list of them, found a mapping
    remove-symbol: {name: a.b}
                   ^
)");
}

TEST_CASE("an operation given a list where it needs a mapping is a wrong type",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: [logger.info]
)");
  CHECK(R.Kind == PlanErrorKind::WrongType);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:19: error: expected a mapping with 'callee' or 'function', found a list
    remove-calls: [logger.info]
                  ^
)");
}

TEST_CASE("a boolean that is not true or false is a wrong type", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    optional: maybe
    remove-symbol: a.b
)");
  CHECK(R.Kind == PlanErrorKind::WrongType);
  CHECK(R.Rendered ==
        R"(plan.yaml:4:15: error: expected true or false, found a string
    optional: maybe
              ^
)");
}

TEST_CASE("an empty value where a string is expected points at its key",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id:
    remove-symbol: a.b
)");
  CHECK(R.Kind == PlanErrorKind::WrongType);
  CHECK(R.Rendered == R"(plan.yaml:3:5: error: expected a rule id, found nothing
  - id:
    ^
)");
}

TEST_CASE("a name that is not a dotted Python name is an invalid value",
          "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-symbol: [src.a, src..Repo]
)");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered ==
        R"(plan.yaml:4:28: error: 'src..Repo' is not a dotted Python name
    remove-symbol: [src.a, src..Repo]
                           ^
)");
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    remove-module: src.class\n")
            .Kind == PlanErrorKind::InvalidValue);
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    remove-symbol: 1abc\n").Kind ==
        PlanErrorKind::InvalidValue);
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    remove-symbol: '*.x'\n").Kind ==
        PlanErrorKind::InvalidValue);
}

TEST_CASE("a wildcard callee segment is allowed but not in a function name",
          "[plan]") {
  acceptPlan("plan: p\nrules:\n  - id: r\n    remove-calls: {callee: '*.info'}\n");
  Refusal R = refusePlan(
      "plan: p\nrules:\n  - id: r\n    remove-calls: {function: '*.info'}\n");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered == "plan.yaml:4:30: error: '*.info' is not a dotted Python "
                      "name\n"
                      "    remove-calls: {function: '*.info'}\n"
                      "                             ^\n");
}

TEST_CASE("remove-calls needs exactly one of callee and function", "[plan]") {
  Refusal Both = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: {callee: a.b, function: c.d}
)");
  CHECK(Both.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      Both.Rendered ==
      R"(plan.yaml:4:33: error: 'remove-calls' takes 'callee' or 'function', not both
    remove-calls: {callee: a.b, function: c.d}
                                ^
)");
  Refusal Neither = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: {args: [x]}
)");
  CHECK(Neither.Kind == PlanErrorKind::MissingKey);
  CHECK(Neither.Rendered ==
        R"(plan.yaml:4:19: error: 'remove-calls' needs 'callee' or 'function'
    remove-calls: {args: [x]}
                  ^
)");
}

TEST_CASE("a bad regular expression is refused at its value", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: { callee: logger.info, args: ["re:(unclosed"] }
)");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:49: error: invalid regular expression '(unclosed': parentheses not balanced
    remove-calls: { callee: logger.info, args: ["re:(unclosed"] }
                                                ^
)");
  Refusal Replace = refusePlan(R"(plan: p
rules:
  - id: r
    replace-text: { files: "*.md", from: "re:a[", to: b }
)");
  CHECK(Replace.Kind == PlanErrorKind::InvalidValue);
}

TEST_CASE("a keyword predicate is a mapping with exactly one key", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-calls: { callee: f, args: [{a: 1, b: 2}] }
)");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:46: error: a keyword argument is written {keyword: value}, with one key
    remove-calls: { callee: f, args: [{a: 1, b: 2}] }
                                             ^
)");
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    remove-calls: {callee: f, "
               "args: [{a: 1}, x]}\n")
            .Kind == PlanErrorKind::InvalidValue);
}

TEST_CASE("a path that leaves the root is refused at the value", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    delete-files: [src/ok.py, src/../../etc/passwd]
)");
  CHECK(R.Kind == PlanErrorKind::PathOutsideRoot);
  CHECK(R.Rendered ==
        R"(plan.yaml:4:31: error: path 'src/../../etc/passwd' leaves the root
    delete-files: [src/ok.py, src/../../etc/passwd]
                              ^
)");
}

TEST_CASE("an absolute path is refused wherever a path is written", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    add-file: { path: /etc/cron.d/job, content: "x" }
)");
  CHECK(R.Kind == PlanErrorKind::PathOutsideRoot);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:23: error: path '/etc/cron.d/job' is absolute; paths are relative to the root
    add-file: { path: /etc/cron.d/job, content: "x" }
                      ^
)");
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    move-files: {from: a.py, "
               "to: ../b.py}\n")
            .Kind == PlanErrorKind::PathOutsideRoot);
  CHECK(refusePlan("plan: p\nimport-root: ..\nrules:\n  - id: r\n    "
               "remove-module: a\n")
            .Kind == PlanErrorKind::PathOutsideRoot);
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    remove-module: a\nverify:\n  "
               "paths: [/src]\n")
            .Kind == PlanErrorKind::PathOutsideRoot);
  CHECK(refusePlan("plan: p\nrules:\n  - id: r\n    replace-text: {files: "
               "../x.md, from: a, to: b}\n")
            .Kind == PlanErrorKind::PathOutsideRoot);
}

TEST_CASE("deleting the root itself is refused", "[plan]") {
  Refusal R = refusePlan("plan: p\nrules:\n  - id: r\n    delete-files: ./\n");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(R.Rendered == "plan.yaml:4:19: error: path './' names the root itself; "
                      "expected a path below it\n"
                      "    delete-files: ./\n"
                      "                  ^\n");
}

TEST_CASE("a move or a new file without one of its keys is refused", "[plan]") {
  Refusal Move = refusePlan(R"(plan: p
rules:
  - id: r
    move-files: [{from: a.py}]
)");
  CHECK(Move.Kind == PlanErrorKind::MissingKey);
  CHECK(Move.Rendered == R"(plan.yaml:4:18: error: the move has no 'to'
    move-files: [{from: a.py}]
                 ^
)");
  Refusal Add = refusePlan("plan: p\nrules:\n  - id: r\n    add-file: {path: a}\n");
  CHECK(Add.Kind == PlanErrorKind::MissingKey);
  Refusal Replace = refusePlan(
      "plan: p\nrules:\n  - id: r\n    replace-text: {files: a, to: b}\n");
  CHECK(Replace.Kind == PlanErrorKind::MissingKey);
  CHECK(Replace.Rendered ==
        "plan.yaml:4:19: error: 'replace-text' has no 'from'\n"
        "    replace-text: {files: a, to: b}\n"
        "                  ^\n");
}

TEST_CASE("a key written twice in a mapping is refused", "[plan]") {
  Refusal R = refusePlan(R"(plan: p
rules:
  - id: r
    remove-symbol: a.b
plan: q
)");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:5:1: error: duplicate key 'plan'; it is already set at line 1
plan: q
^
)");
}

TEST_CASE("a plan that is not a mapping is a wrong type", "[plan]") {
  Refusal R = refusePlan("- id: r\n  remove-symbol: a.b\n");
  CHECK(R.Kind == PlanErrorKind::WrongType);
  CHECK(R.Rendered == "plan.yaml:1:1: error: expected a plan, a mapping with "
                      "'plan' and 'rules', found a list\n"
                      "- id: r\n"
                      "^\n");
}

TEST_CASE("a second YAML document in the plan file is refused", "[plan]") {
  Refusal R = refusePlan(
      "plan: p\nrules:\n  - id: r\n    remove-module: a\n---\nplan: q\n");
  CHECK(R.Kind == PlanErrorKind::Syntax);
  CHECK(R.Rendered ==
        "plan.yaml:6:1: error: a plan file holds a single YAML document\n"
        "plan: q\n"
        "^\n");
}

TEST_CASE("aliases are refused rather than silently expanded", "[plan]") {
  Refusal R = refusePlan(R"(plan: &name p
rules:
  - id: r
    remove-module: *name
)");
  CHECK(R.Kind == PlanErrorKind::InvalidValue);
  CHECK(
      R.Rendered ==
      R"(plan.yaml:4:5: error: aliases are not supported in plans; write the value out
    remove-module: *name
    ^
)");
}

//===----------------------------------------------------------------------===//
// Errors as LLVM errors, and reading from disk
//===----------------------------------------------------------------------===//

TEST_CASE("a plan error logs its rendered text without the final newline",
          "[plan]") {
  Plan P;
  P.FilePath = "p.yaml";
  P.Text = "a: 1\nbb: 2\n";
  llvm::Error E =
      makePlanError(P, {2, 2}, PlanErrorKind::InvalidValue, "bad 'b'");
  CHECK(llvm::toString(std::move(E)) ==
        "p.yaml:2:2: error: bad 'b'\nbb: 2\n ^");
}

TEST_CASE("a plan file that cannot be read is an I/O error", "[plan]") {
  llvm::Expected<Plan> P = loadPlan("/nonexistent/dir/plan.yaml");
  REQUIRE_FALSE(static_cast<bool>(P));
  PlanErrorKind Kind = PlanErrorKind::Syntax;
  std::string Rendered;
  llvm::consumeError(llvm::handleErrors(P.takeError(), [&](const PlanError &E) {
    Kind = E.kind();
    Rendered = E.rendered();
  }));
  CHECK(Kind == PlanErrorKind::Io);
  CHECK(Rendered == "/nonexistent/dir/plan.yaml: cannot read plan: No such "
                    "file or directory\n");
}

TEST_CASE("a plan file on disk is loaded under the path it was given",
          "[plan]") {
  llvm::SmallString<128> Path;
  int FD;
  REQUIRE_FALSE(llvm::sys::fs::createTemporaryFile("plan", "yaml", FD, Path));
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << "plan: p\nrules:\n  - id: r\n    remove-moduel: a\n";
  }
  llvm::Expected<Plan> P = loadPlan(Path);
  llvm::sys::fs::remove(Path);
  REQUIRE_FALSE(static_cast<bool>(P));
  std::string Message = llvm::toString(P.takeError());
  CHECK(Message == Path.str().str() +
                       ":4:5: error: unknown operation 'remove-moduel'; did "
                       "you mean 'remove-module'?\n"
                       "    remove-moduel: a\n"
                       "    ^");
}
