//===- PackedEditsTest.cpp - Edits kept small while a run waits -----------===//
#include "edit/PackedEdits.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace excise;

static Edit edit(unsigned Offset, unsigned Length, llvm::StringRef Text,
                 std::string RuleId, std::vector<std::string> Reason) {
  Edit E;
  E.Replacement = clang::tooling::Replacement("svc/billing/service.py", Offset, Length, Text);
  E.RuleId = std::move(RuleId);
  E.Reason = std::move(Reason);
  return E;
}

TEST_CASE("edits packed and unpacked come back with their places, texts, rules and reasons",
          "[edit]") {
  std::vector<Edit> Edits = {
      edit(0, 24, "", "drop-repo", {"import of ProcessingLogRepo"}),
      edit(130, 0, "    pass\n", "drop-repo",
           {"self.processing_log_repo (assigned from ProcessingLogRepo)",
            "call statement", "block left empty"}),
      edit(410, 31, "logger.info(\"done\")", "fold-logging", {"rewrite: matched `log_step(...)`"}),
  };
  CauseTable Causes;
  PackedEdits Packed(Edits, Causes);
  REQUIRE(Packed.size() == 3);

  std::vector<Edit> Back = Packed.unpack("svc/billing/service.py", Causes);
  REQUIRE(Back.size() == 3);
  for (size_t I = 0; I < 3; ++I) {
    CHECK(Back[I].Replacement == Edits[I].Replacement);
    CHECK(Back[I].RuleId == Edits[I].RuleId);
    CHECK(Back[I].Reason == Edits[I].Reason);
  }

  std::vector<TextEdit> Texts = Packed.textEdits();
  REQUIRE(Texts.size() == 3);
  CHECK(Texts[1].Offset == 130);
  CHECK(Texts[1].Length == 0);
  CHECK(Texts[1].Text == "    pass\n");
  CHECK(Texts[2].Text == "logger.info(\"done\")");
}

TEST_CASE("edits unpacked for another path are Replacements of that path", "[edit]") {
  CauseTable Causes;
  PackedEdits Packed({edit(5, 3, "x", "r", {"step"})}, Causes);
  std::vector<Edit> Back = Packed.unpack("svc/moved/service.py", Causes);
  REQUIRE(Back.size() == 1);
  CHECK(Back[0].Replacement.getFilePath() == "svc/moved/service.py");
}

TEST_CASE("a cause is kept once however many edits share it, and a different step is "
          "another cause", "[edit]") {
  CauseTable Causes;
  std::vector<Edit> Edits;
  for (unsigned I = 0; I < 1000; ++I)
    Edits.push_back(edit(I * 10, 5, "", "drop-logger-debug", {"call logger.debug(...)"}));
  PackedEdits A(Edits, Causes);
  PackedEdits B({edit(0, 1, "", "drop-logger-debug", {"call logger.debug(...)"})}, Causes);
  CHECK(Causes.size() == 1);
  // The same characters split differently between rule and steps are
  // other causes.
  PackedEdits C({edit(0, 1, "", "drop-logger-debug", {"call logger.", "debug(...)"}),
                 edit(2, 1, "", "drop-logger-debug", {}),
                 edit(4, 1, "", "drop-logger-", {"debugcall logger.debug(...)"})},
                Causes);
  CHECK(Causes.size() == 4);
  std::vector<Edit> Back = C.unpack("f.py", Causes);
  CHECK(Back[0].Reason == std::vector<std::string>{"call logger.", "debug(...)"});
  CHECK(Back[1].RuleId == "drop-logger-debug");
  CHECK(Back[1].Reason.empty());
  CHECK(Back[2].RuleId == "drop-logger-");
  CHECK(Back[2].Reason == std::vector<std::string>{"debugcall logger.debug(...)"});
}

TEST_CASE("edits packed from several threads at once keep their own causes", "[edit]") {
  CauseTable Causes;
  std::vector<PackedEdits> Packed(4);
  std::vector<std::thread> Threads;
  for (unsigned T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      std::vector<Edit> Edits;
      for (unsigned I = 0; I < 500; ++I)
        Edits.push_back(edit(I, 1, "", "rule-" + std::to_string(T),
                             {"step " + std::to_string(I % 7)}));
      Packed[T] = PackedEdits(Edits, Causes);
    });
  for (std::thread &T : Threads)
    T.join();
  CHECK(Causes.size() == 4 * 7);
  for (unsigned T = 0; T < 4; ++T) {
    std::vector<Edit> Back = Packed[T].unpack("f.py", Causes);
    REQUIRE(Back.size() == 500);
    for (unsigned I = 0; I < 500; ++I) {
      CHECK(Back[I].offset() == I);
      CHECK(Back[I].RuleId == "rule-" + std::to_string(T));
      CHECK(Back[I].Reason == std::vector<std::string>{"step " + std::to_string(I % 7)});
    }
  }
}

TEST_CASE("edits appended to packed ones follow them with their own texts and causes",
          "[edit]") {
  CauseTable Causes;
  PackedEdits Packed({edit(0, 24, "", "drop-repo", {"import of ProcessingLogRepo"}),
                      edit(40, 3, "pass", "drop-repo", {"block left empty"})},
                     Causes);
  Packed.append({edit(90, 12, "audit events", "docs", {"replace-text 'integration events'"})},
                Causes);
  std::vector<Edit> Back = Packed.unpack("docs/ops.md", Causes);
  REQUIRE(Back.size() == 3);
  CHECK(Back[1].text() == "pass");
  CHECK(Back[2].offset() == 90);
  CHECK(Back[2].text() == "audit events");
  CHECK(Back[2].RuleId == "docs");
  CHECK(Back[2].Reason == std::vector<std::string>{"replace-text 'integration events'"});
}

TEST_CASE("an edit several rules made together comes back with every cause, and "
          "other causes make another entry",
          "[edit]") {
  Edit Shared = edit(40, 60, "log.info(\"captured\")\n", "drop-audit",
                     {"guard `if audit:`", "guard always true: body kept"});
  Shared.AlsoBy = {{"audit-to-log", {"rewrite: matched `audit.checkpoint(`"}}};
  Edit Alone = edit(120, 20, "", "drop-audit",
                    {"guard `if audit:`", "guard always true: body kept"});
  CauseTable Causes;
  PackedEdits Packed({Shared, Alone}, Causes);
  CHECK(Causes.size() == 2);
  std::vector<Edit> Back = Packed.unpack("svc/billing/service.py", Causes);
  REQUIRE(Back.size() == 2);
  CHECK(Back[0].causes() == Shared.causes());
  CHECK(Back[1].causes() == Alone.causes());
}
