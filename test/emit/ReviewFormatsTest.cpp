//===- ReviewFormatsTest.cpp - json, sarif, rdjson, fixes-yaml ------------===//
//
// Most tests run one plan over one small tree that exercises every kind of
// output: in-place edits (one of them after non-ASCII text on its line), a
// created, a moved and a deleted file, a leftover warning and a file that
// does not parse. Each format is read back and checked against the
// RunResult; where a format carries fixes, applying them must give the new
// text. clang-apply-replacements and the SARIF validator are run for real.
//
//===----------------------------------------------------------------------===//
#include "emit/ReviewFormats.h"

#include "driver/Output.h"

#include "TestSupport.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace excise;
using namespace excise::test;

namespace {

/// Line 4 puts an edit after "é" (two bytes, one UTF-16 unit) and "😀" (four
/// bytes, two UTF-16 units), so byte and UTF-16 columns differ there.
const char *const MainSource = "import os\n"
                               "from pkg.legacy import Repo\n"
                               "\n"
                               "s = \"\xC3\xA9\xF0\x9F\x98\x80\"; "
                               "import pkg.legacy; x = 1\n"
                               "\n"
                               "\n"
                               "def make(pooled):\n"
                               "    return Repo() if pooled else None\n";

Tree sampleTree() {
  return {
      {"pkg/__init__.py", ""},
      {"pkg/legacy.py", "class Repo:\n    pass\n"},
      {"pkg/other.py", "def other():\n    return 1\n"},
      {"app/__init__.py", ""},
      {"app/main.py", MainSource},
      {"app/broken.py", "from pkg.legacy import Repo\ndef f(:\n    pass\n"},
  };
}

const char *const SamplePlan = R"yaml(plan: review-formats
rules:
  - id: drop-legacy
    remove-module: pkg.legacy
  - id: add-notes
    add-file:
      path: docs/removed.md
      content: "pkg.legacy is gone\n"
  - id: move-other
    move-files: {from: pkg/other.py, to: pkg/kept.py}
)yaml";

struct SampleRun {
  Plan P;
  RunResult R;
};

/// The sample plan run over the sample tree; fails the test if it cannot.
SampleRun sampleRun(llvm::StringRef PlanYaml = SamplePlan,
                    const Tree &Files = sampleTree()) {
  TreeRun Run = runOnTree(Files, PlanYaml);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  auto P = parsePlan(PlanYaml, "plan.yaml");
  REQUIRE(bool(P));
  return {std::move(*P), std::move(Run.Result)};
}

const FileChange &changeOf(const RunResult &R, llvm::StringRef Path) {
  auto It = llvm::find_if(R.Changes, [&](const FileChange &C) {
    return C.path() == Path;
  });
  REQUIRE(It != R.Changes.end());
  return *It;
}

using Writer = void (*)(llvm::raw_ostream &, const Plan &, const RunResult &);

std::string written(Writer W, const SampleRun &S) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  W(OS, S.P, S.R);
  return OS.str();
}

/// Parses \p Text as JSON, failing the test when it is not.
llvm::json::Value parsed(const std::string &Text) {
  auto V = llvm::json::parse(Text);
  if (!V) {
    INFO(llvm::toString(V.takeError()) << "\n" << Text);
    FAIL("not valid JSON");
  }
  return std::move(*V);
}

const llvm::json::Object &object(const llvm::json::Value *V) {
  REQUIRE(V);
  REQUIRE(V->getAsObject());
  return *V->getAsObject();
}

const llvm::json::Array &array(const llvm::json::Value *V) {
  REQUIRE(V);
  REQUIRE(V->getAsArray());
  return *V->getAsArray();
}

std::string string(const llvm::json::Object &O, llvm::StringRef Key) {
  auto S = O.getString(Key);
  INFO("key " << Key.str());
  REQUIRE(S);
  return S->str();
}

int64_t integer(const llvm::json::Object &O, llvm::StringRef Key) {
  auto I = O.getInteger(Key);
  INFO("key " << Key.str());
  REQUIRE(I);
  return *I;
}

/// The byte offset of 1-based \p Line and \p Column in \p Text, the column
/// counted in bytes or, with \p Utf16, in UTF-16 code units. Column 1 of the
/// line after a final line break is the end of the text.
unsigned offsetOf(llvm::StringRef Text, int64_t Line, int64_t Column,
                  bool Utf16 = false) {
  unsigned Start = 0;
  for (int64_t L = 1; L < Line; ++L) {
    size_t Break = Text.find('\n', Start);
    REQUIRE(Break < Text.size()); // found: a line break before Line
    Start = Break + 1;
  }
  if (!Utf16)
    return Start + Column - 1;
  unsigned Offset = Start;
  for (int64_t Units = 1; Units < Column;) {
    REQUIRE(Offset < Text.size());
    unsigned char C = Text[Offset];
    unsigned Length = C < 0x80 ? 1 : C < 0xE0 ? 2 : C < 0xF0 ? 3 : 4;
    Units += Length == 4 ? 2 : 1;
    Offset += Length;
  }
  return Offset;
}

struct TextEdit {
  unsigned Offset, Length;
  std::string Text;
};

/// \p Text with the non-overlapping \p Edits applied.
std::string applied(std::string Text, std::vector<TextEdit> Edits) {
  llvm::sort(Edits, [](const TextEdit &A, const TextEdit &B) {
    return std::tie(B.Offset, B.Length) < std::tie(A.Offset, A.Length);
  });
  for (const TextEdit &E : Edits)
    Text.replace(E.Offset, E.Length, E.Text);
  return Text;
}

/// A fresh directory under the system's temporary directory, removed with
/// everything in it at the end of the test.
class TempDir {
public:
  explicit TempDir(llvm::StringRef Prefix) {
    REQUIRE(!llvm::sys::fs::createUniqueDirectory(Prefix, Path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }

  std::string path(llvm::StringRef Relative = "") const {
    llvm::SmallString<256> P(Path);
    if (!Relative.empty())
      llvm::sys::path::append(P, Relative);
    return std::string(P);
  }

  void write(llvm::StringRef Relative, llvm::StringRef Content) const {
    std::string P = path(Relative);
    REQUIRE(!llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P)));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    REQUIRE(!EC);
    OS << Content;
  }

  std::string read(llvm::StringRef Relative) const {
    auto Buffer = llvm::MemoryBuffer::getFile(path(Relative));
    REQUIRE(Buffer);
    return (*Buffer)->getBuffer().str();
  }

private:
  llvm::SmallString<256> Path;
};

/// Runs \p Command through the shell; returns its exit status.
int shell(const std::string &Command) {
  int Status = std::system(Command.c_str());
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
}

std::string quoted(llvm::StringRef S) {
  std::string Q = "'";
  for (char C : S)
    Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Q + "'";
}

} // namespace

//===----------------------------------------------------------------------===//
// json
//===----------------------------------------------------------------------===//

TEST_CASE("the JSON report lists every edit with its range, texts, rule and "
          "reason",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeJson, S));
  const llvm::json::Object &Top = object(&Doc);
  CHECK(integer(Top, "version") == 1);
  CHECK(string(Top, "tool") == "excise");
  CHECK(string(Top, "plan") == "review-formats");

  const FileChange &Main = changeOf(S.R, "app/main.py");
  REQUIRE(Main.Edits.size() >= 2);
  const llvm::json::Array &Files = array(Top.get("files"));
  auto File = llvm::find_if(Files, [](const llvm::json::Value &V) {
    return V.getAsObject()->getString("path") == llvm::StringRef("app/main.py");
  });
  REQUIRE(File != Files.end());
  const llvm::json::Array &Edits = array(File->getAsObject()->get("edits"));
  REQUIRE(Edits.size() == Main.Edits.size());

  std::vector<TextEdit> FromJson;
  for (size_t I = 0; I < Edits.size(); ++I) {
    const Edit &E = Main.Edits[I];
    const llvm::json::Object &J = object(&Edits[I]);
    INFO("edit " << I);
    CHECK(integer(J, "offset") == E.offset());
    CHECK(integer(J, "length") == E.length());
    CHECK(string(J, "old_text") == Main.OldText.substr(E.offset(), E.length()));
    CHECK(string(J, "new_text") == E.text().str());
    CHECK(string(J, "rule") == E.RuleId);
    const llvm::json::Array &Reason = array(J.get("reason"));
    REQUIRE(Reason.size() == E.Reason.size());
    for (size_t K = 0; K < Reason.size(); ++K)
      CHECK(Reason[K].getAsString() == llvm::StringRef(E.Reason[K]));
    const llvm::json::Object &Start = object(J.get("start"));
    const llvm::json::Object &End = object(J.get("end"));
    CHECK(offsetOf(Main.OldText, integer(Start, "line"),
                   integer(Start, "column")) == E.offset());
    CHECK(offsetOf(Main.OldText, integer(End, "line"), integer(End, "column")) ==
          E.offset() + E.length());
    FromJson.push_back({unsigned(integer(J, "offset")),
                        unsigned(integer(J, "length")),
                        string(J, "new_text")});
  }
  CHECK(applied(Main.OldText, FromJson) == Main.NewText);
}

TEST_CASE("the JSON report counts columns in bytes", "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeJson, S));
  bool Found = false;
  for (const llvm::json::Value &F : array(object(&Doc).get("files")))
    for (const llvm::json::Value &E : array(F.getAsObject()->get("edits")))
      if (E.getAsObject()->getString("old_text") ==
          llvm::StringRef("import pkg.legacy; ")) {
        Found = true;
        // `s = "é😀"; ` before it on line 4 is 14 bytes.
        const llvm::json::Object &Start = object(E.getAsObject()->get("start"));
        const llvm::json::Object &End = object(E.getAsObject()->get("end"));
        CHECK(integer(Start, "line") == 4);
        CHECK(integer(Start, "column") == 15);
        CHECK(integer(End, "column") == 34);
      }
  CHECK(Found);
}

TEST_CASE("the JSON report gives each file's status and the rule of file "
          "operations",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeJson, S));
  const llvm::json::Array &Files = array(object(&Doc).get("files"));
  REQUIRE(Files.size() == S.R.Changes.size());
  std::map<std::string, const llvm::json::Object *> ByPath;
  for (const llvm::json::Value &F : Files)
    ByPath[string(object(&F), "path")] = F.getAsObject();

  REQUIRE(ByPath.count("app/main.py"));
  CHECK(string(*ByPath["app/main.py"], "status") == "modified");
  CHECK(string(*ByPath["app/main.py"], "old_path") == "app/main.py");

  REQUIRE(ByPath.count("docs/removed.md"));
  const llvm::json::Object &Created = *ByPath["docs/removed.md"];
  CHECK(string(Created, "status") == "created");
  CHECK(Created.get("old_path")->getAsNull());
  CHECK(string(Created, "rule") == "add-notes");
  CHECK(string(Created, "content") == "pkg.legacy is gone\n");

  REQUIRE(ByPath.count("pkg/kept.py"));
  CHECK(string(*ByPath["pkg/kept.py"], "status") == "renamed");
  CHECK(string(*ByPath["pkg/kept.py"], "old_path") == "pkg/other.py");
  CHECK(string(*ByPath["pkg/kept.py"], "rule") == "move-other");

  REQUIRE(ByPath.count("pkg/legacy.py"));
  CHECK(string(*ByPath["pkg/legacy.py"], "status") == "deleted");
  CHECK(string(*ByPath["pkg/legacy.py"], "rule") == "drop-legacy");
}

TEST_CASE("the JSON report carries every diagnostic and a per-rule summary",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeJson, S));
  const llvm::json::Object &Top = object(&Doc);

  const llvm::json::Array &Diagnostics = array(Top.get("diagnostics"));
  REQUIRE(!S.R.Diagnostics.empty());
  REQUIRE(Diagnostics.size() == S.R.Diagnostics.size());
  bool SawRuleless = false;
  for (size_t I = 0; I < Diagnostics.size(); ++I) {
    const Diagnostic &D = S.R.Diagnostics[I];
    const llvm::json::Object &J = object(&Diagnostics[I]);
    CHECK(string(J, "path") == D.File);
    CHECK(integer(J, "line") == D.Line);
    CHECK(integer(J, "column") == D.Column);
    CHECK(string(J, "severity") == severityName(D.Level).str());
    CHECK(string(J, "message") == D.Message);
    if (D.RuleId.empty()) {
      SawRuleless = true;
      CHECK(J.get("rule")->getAsNull());
    } else {
      CHECK(string(J, "rule") == D.RuleId);
    }
  }
  CHECK(SawRuleless); // app/broken.py does not parse

  const llvm::json::Object &Summary = object(Top.get("summary"));
  CHECK(integer(Summary, "files_read") == S.R.FilesRead);
  CHECK(integer(Summary, "files_parsed") == S.R.FilesParsed);
  CHECK(integer(Summary, "files_changed") == 4);
  const llvm::json::Array &Rules = array(Summary.get("rules"));
  REQUIRE(Rules.size() == 3);
  unsigned Leftovers = 0;
  for (size_t I = 0; I < Rules.size(); ++I) {
    const RuleSummary &RS = S.R.Summary[I];
    const llvm::json::Object &J = object(&Rules[I]);
    CHECK(string(J, "id") == RS.RuleId);
    CHECK(integer(J, "edits") == RS.Edits);
    CHECK(integer(J, "files") == RS.Files);
    CHECK(integer(J, "leftovers") == RS.Leftovers);
    Leftovers += RS.Leftovers;
  }
  CHECK(string(object(&Rules[0]), "operation") == "remove-module");
  CHECK(string(object(&Rules[1]), "operation") == "add-file");
  CHECK(string(object(&Rules[2]), "operation") == "move-files");
  CHECK(integer(Summary, "leftovers") == Leftovers);
  CHECK(Leftovers >= 1); // the Repo() returned in app/main.py
}

TEST_CASE("the JSON report stays valid JSON for files that are not UTF-8",
          "[formats]") {
  FileChange C;
  C.OldPath = C.NewPath = "latin1.py";
  C.OldText = "x = 'caf\xE9'\nimport gone\n";
  C.NewText = "x = 'caf\xE9'\n";
  Edit E;
  E.Replacement = clang::tooling::Replacement("latin1.py", 11, 12, "\xFF");
  E.RuleId = "r";
  E.Reason = {"module gone"};
  C.Edits.push_back(E);
  SampleRun S;
  S.R.Changes.push_back(C);
  Diagnostic D;
  D.File = "latin1.py";
  D.Line = D.Column = 1;
  D.Message = "odd \xE9";
  S.R.Diagnostics.push_back(D);

  llvm::json::Value Doc = parsed(written(writeJson, S));
  const llvm::json::Object &Edit =
      object(&array(object(&array(object(&Doc).get("files"))[0]).get("edits"))[0]);
  CHECK(string(Edit, "old_text") == "import gone\n");
  CHECK(string(Edit, "new_text") == "\xEF\xBF\xBD"); // U+FFFD
  CHECK_NOTHROW(parsed(written(writeRdjson, S)));
  CHECK_NOTHROW(parsed(written(writeSarif, S)));
}

//===----------------------------------------------------------------------===//
// sarif
//===----------------------------------------------------------------------===//

TEST_CASE("the SARIF log is one 2.1.0 run whose rules are the plan's rules",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Top = object(&Doc);
  CHECK(string(Top, "$schema") ==
        "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(string(Top, "version") == "2.1.0");
  const llvm::json::Array &Runs = array(Top.get("runs"));
  REQUIRE(Runs.size() == 1);
  const llvm::json::Object &Run = object(&Runs[0]);
  CHECK(string(Run, "columnKind") == "utf16CodeUnits");

  const llvm::json::Object &Driver =
      object(object(Run.get("tool")).get("driver"));
  CHECK(string(Driver, "name") == "excise");
  CHECK(string(Driver, "version") == EXCISE_VERSION);
  const llvm::json::Array &Rules = array(Driver.get("rules"));
  // The plan's three rules, then excise's own for the unparsable file.
  REQUIRE(Rules.size() == 4);
  CHECK(string(object(&Rules[0]), "id") == "drop-legacy");
  CHECK(string(object(object(&Rules[0]).get("shortDescription")), "text") ==
        "remove-module pkg.legacy.");
  CHECK(string(object(&Rules[1]), "id") == "add-notes");
  CHECK(string(object(&Rules[2]), "id") == "move-other");
  CHECK(string(object(&Rules[3]), "id") == "excise");

  for (const llvm::json::Value &V : array(Run.get("results"))) {
    const llvm::json::Object &Result = object(&V);
    int64_t Index = integer(Result, "ruleIndex");
    REQUIRE(Index >= 0);
    REQUIRE(size_t(Index) < Rules.size());
    CHECK(string(Result, "ruleId") == string(object(&Rules[Index]), "id"));
  }
}

TEST_CASE("the SARIF log has a result with a fix for every edit, and "
          "applying the fixes gives the new text",
          "[formats]") {
  SampleRun S = sampleRun();
  const FileChange &Main = changeOf(S.R, "app/main.py");
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);

  std::vector<TextEdit> Fixes;
  unsigned EditResults = 0;
  for (const llvm::json::Value &V : array(Run.get("results"))) {
    const llvm::json::Object &Result = object(&V);
    if (!Result.get("fixes"))
      continue;
    ++EditResults;
    CHECK(string(Result, "level") == "note");
    const llvm::json::Object &Location =
        object(object(&array(Result.get("locations"))[0])
                   .get("physicalLocation"));
    const llvm::json::Object &Artifact = object(Location.get("artifactLocation"));
    CHECK(string(Artifact, "uri") == "app/main.py");
    CHECK(string(Artifact, "uriBaseId") == "%SRCROOT%");

    const llvm::json::Array &FixList = array(Result.get("fixes"));
    REQUIRE(FixList.size() == 1);
    const llvm::json::Array &Changes =
        array(object(&FixList[0]).get("artifactChanges"));
    REQUIRE(Changes.size() == 1);
    CHECK(string(object(object(&Changes[0]).get("artifactLocation")), "uri") ==
          "app/main.py");
    for (const llvm::json::Value &R :
         array(object(&Changes[0]).get("replacements"))) {
      const llvm::json::Object &Region =
          object(object(&R).get("deletedRegion"));
      unsigned Start = offsetOf(Main.OldText, integer(Region, "startLine"),
                                integer(Region, "startColumn"), true);
      unsigned End = offsetOf(Main.OldText, integer(Region, "endLine"),
                              integer(Region, "endColumn"), true);
      std::string Inserted;
      if (const llvm::json::Object *Content =
              object(&R).getObject("insertedContent"))
        Inserted = string(*Content, "text");
      Fixes.push_back({Start, End - Start, Inserted});
    }
    // The result's region is the fix's.
    CHECK(*Location.get("region") ==
          *object(&array(object(&Changes[0]).get("replacements"))[0])
               .get("deletedRegion"));
  }
  CHECK(EditResults == Main.Edits.size());
  CHECK(applied(Main.OldText, Fixes) == Main.NewText);
}

TEST_CASE("SARIF columns count UTF-16 code units", "[formats]") {
  SampleRun S = sampleRun();
  std::string Text = written(writeSarif, S);
  llvm::json::Value Doc = parsed(Text);
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);
  bool Found = false;
  for (const llvm::json::Value &V : array(Run.get("results"))) {
    const llvm::json::Object *Region =
        object(object(&array(object(&V).get("locations"))[0])
                   .get("physicalLocation"))
            .getObject("region");
    if (!Region || !Region->getObject("snippet") ||
        Region->getObject("snippet")->getString("text") !=
            llvm::StringRef("import pkg.legacy; "))
      continue;
    Found = true;
    // `s = "é😀"; ` is 14 bytes but 11 UTF-16 code units.
    CHECK(integer(*Region, "startLine") == 4);
    CHECK(integer(*Region, "startColumn") == 12);
    CHECK(integer(*Region, "endColumn") == 31);
  }
  CHECK(Found);
}

TEST_CASE("the SARIF log has a whole-file result for each created, moved "
          "and deleted file",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);
  std::map<std::string, std::string> MessageOf, RuleOf;
  for (const llvm::json::Value &V : array(Run.get("results"))) {
    const llvm::json::Object &Result = object(&V);
    const llvm::json::Object &Location =
        object(object(&array(Result.get("locations"))[0])
                   .get("physicalLocation"));
    std::string Uri = string(object(Location.get("artifactLocation")), "uri");
    std::string Message = string(object(Result.get("message")), "text");
    if (!llvm::StringRef(Message).startswith("Creates") &&
        !llvm::StringRef(Message).startswith("Deletes") &&
        !llvm::StringRef(Message).startswith("Moves"))
      continue;
    CHECK_FALSE(Result.get("fixes"));
    const llvm::json::Object &Region = object(Location.get("region"));
    CHECK(integer(Region, "startLine") == 1);
    CHECK(integer(Region, "startColumn") == 1);
    MessageOf[Uri] = Message;
    RuleOf[Uri] = string(Result, "ruleId");
  }
  CHECK(MessageOf["docs/removed.md"] == "Creates docs/removed.md.");
  CHECK(RuleOf["docs/removed.md"] == "add-notes");
  CHECK(MessageOf["pkg/kept.py"] == "Moves pkg/other.py to pkg/kept.py.");
  CHECK(RuleOf["pkg/kept.py"] == "move-other");
  CHECK(MessageOf["pkg/legacy.py"] == "Deletes pkg/legacy.py.");
  CHECK(RuleOf["pkg/legacy.py"] == "drop-legacy");
}

TEST_CASE("SARIF reports diagnostics as results without fixes at their level",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);
  std::vector<std::string> Levels;
  for (const llvm::json::Value &V : array(Run.get("results"))) {
    std::string Level = string(object(&V), "level");
    if (Level == "note")
      continue;
    CHECK_FALSE(object(&V).get("fixes"));
    Levels.push_back(Level + " " + string(object(&V), "ruleId"));
  }
  std::vector<std::string> Expected;
  for (const Diagnostic &D : S.R.Diagnostics)
    if (D.Level != Severity::Note)
      Expected.push_back(
        (D.Level == Severity::Error ? "error " : "warning ") +
        (D.RuleId.empty() ? std::string("excise") : D.RuleId));
  CHECK(Levels == Expected);
}

TEST_CASE("the SARIF rule for diagnostics without a rule avoids the plan's ids",
          "[formats]") {
  SampleRun S = sampleRun(R"yaml(plan: p
rules:
  - id: excise
    remove-module: pkg.legacy
)yaml");
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);
  const llvm::json::Array &Rules =
      array(object(object(Run.get("tool")).get("driver")).get("rules"));
  REQUIRE(Rules.size() == 2);
  CHECK(string(object(&Rules[0]), "id") == "excise");
  CHECK(string(object(&Rules[1]), "id") == "excise_");
}

TEST_CASE("SARIF URIs percent-encode spaces and non-ASCII bytes", "[formats]") {
  SampleRun S;
  FileChange C;
  C.NewPath = "docs/my notes/\xC3\xBC.md";
  C.NewText = "x\n";
  C.RuleId = "r";
  S.R.Changes.push_back(C);
  llvm::json::Value Doc = parsed(written(writeSarif, S));
  const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);
  const llvm::json::Object &Result = object(&array(Run.get("results"))[0]);
  const llvm::json::Object &Artifact =
      object(object(object(&array(Result.get("locations"))[0])
                        .get("physicalLocation"))
                 .get("artifactLocation"));
  CHECK(string(Artifact, "uri") == "docs/my%20notes/%C3%BC.md");
}

/// Runs the SARIF multitool named by EXCISE_SARIF_MULTITOOL on \p Sarif and
/// returns its findings of level error or warning, one per line.
static std::string validatorFindings(const std::string &Sarif) {
  TempDir Dir("excise-sarif");
  Dir.write("run.sarif", Sarif);
  std::string Command = quoted(std::getenv("EXCISE_SARIF_MULTITOOL")) +
                        " validate " + quoted(Dir.path("run.sarif")) + " -o " +
                        quoted(Dir.path("validation.sarif")) +
                        " --level 'Error;Warning' > " +
                        quoted(Dir.path("validator.log")) + " 2>&1";
  int Status = shell(Command);
  INFO(Command << "\n" << Dir.read("validator.log"));
  REQUIRE(Status == 0);
  llvm::json::Value Report = parsed(Dir.read("validation.sarif"));
  std::string Findings;
  for (const llvm::json::Value &Run : array(object(&Report).get("runs"))) {
    const llvm::json::Array *Results = Run.getAsObject()->getArray("results");
    if (!Results)
      continue;
    for (const llvm::json::Value &R : *Results) {
      auto Level = R.getAsObject()->getString("level");
      auto Rule = R.getAsObject()->getString("ruleId");
      const llvm::json::Object *Message = R.getAsObject()->getObject("message");
      std::string Text;
      if (Message)
        if (auto T = Message->getString("text"))
          Text = T->str();
      if (const llvm::json::Array *Args =
              Message ? Message->getArray("arguments") : nullptr)
        for (const llvm::json::Value &A : *Args)
          if (auto S = A.getAsString())
            Text += " | " + S->str();
      Findings += (Level ? Level->str() : "warning") + " " +
                  (Rule ? Rule->str() : "") + ": " + Text + "\n";
    }
  }
  return Findings;
}

TEST_CASE("the SARIF log passes the SARIF multitool validator", "[formats]") {
  if (!std::getenv("EXCISE_SARIF_MULTITOOL")) {
    WARN("EXCISE_SARIF_MULTITOOL is not set; the SARIF validator is skipped");
    return;
  }
  SampleRun S = sampleRun();
  CHECK(validatorFindings(written(writeSarif, S)) == "");
}

TEST_CASE("the SARIF log of the cofi example passes the SARIF multitool "
          "validator",
          "[formats]") {
  if (!std::getenv("EXCISE_SARIF_MULTITOOL")) {
    WARN("EXCISE_SARIF_MULTITOOL is not set; the SARIF validator is skipped");
    return;
  }
  auto P = loadPlan(EXCISE_SOURCE_DIR "/rules/remove-processing-logs.yaml");
  REQUIRE(bool(P));
  RunOptions Options;
  Options.Root = EXCISE_SOURCE_DIR "/examples/cofi";
  auto FS = llvm::vfs::getRealFileSystem();
  auto R = runPlan(*P, *FS, Options);
  if (!R)
    FAIL(llvm::toString(R.takeError()));
  REQUIRE(!R->Changes.empty());
  SampleRun S{std::move(*P), std::move(*R)};
  CHECK(validatorFindings(written(writeSarif, S)) == "");
}

//===----------------------------------------------------------------------===//
// rdjson
//===----------------------------------------------------------------------===//

TEST_CASE("rdjson has one diagnostic with a suggestion per edit, and applying "
          "the suggestions gives the new text",
          "[formats]") {
  SampleRun S = sampleRun();
  const FileChange &Main = changeOf(S.R, "app/main.py");
  llvm::json::Value Doc = parsed(written(writeRdjson, S));
  const llvm::json::Object &Top = object(&Doc);
  CHECK(string(object(Top.get("source")), "name") == "excise");

  std::vector<TextEdit> Suggestions;
  size_t I = 0;
  for (const llvm::json::Value &V : array(Top.get("diagnostics"))) {
    const llvm::json::Object &D = object(&V);
    if (!D.get("suggestions"))
      continue;
    REQUIRE(I < Main.Edits.size());
    const Edit &E = Main.Edits[I++];
    CHECK(string(D, "message") == E.explanation());
    CHECK(string(D, "severity") == "INFO");
    CHECK(string(object(D.get("code")), "value") == E.RuleId);
    const llvm::json::Object &Location = object(D.get("location"));
    CHECK(string(Location, "path") == "app/main.py");
    const llvm::json::Array &List = array(D.get("suggestions"));
    REQUIRE(List.size() == 1);
    const llvm::json::Object &Suggestion = object(&List[0]);
    CHECK(*Suggestion.get("range") == *Location.get("range"));
    const llvm::json::Object &Range = object(Suggestion.get("range"));
    const llvm::json::Object &Start = object(Range.get("start"));
    const llvm::json::Object &End = object(Range.get("end"));
    unsigned From = offsetOf(Main.OldText, integer(Start, "line"),
                             integer(Start, "column"));
    unsigned To =
        offsetOf(Main.OldText, integer(End, "line"), integer(End, "column"));
    CHECK(From == E.offset());
    CHECK(To == E.offset() + E.length());
    Suggestions.push_back({From, To - From, string(Suggestion, "text")});
  }
  CHECK(I == Main.Edits.size());
  CHECK(applied(Main.OldText, Suggestions) == Main.NewText);
}

TEST_CASE("rdjson reports diagnostics at their severity without suggestions",
          "[formats]") {
  SampleRun S = sampleRun();
  llvm::json::Value Doc = parsed(written(writeRdjson, S));
  std::vector<std::string> Seen;
  for (const llvm::json::Value &V : array(object(&Doc).get("diagnostics"))) {
    const llvm::json::Object &D = object(&V);
    std::string Severity = string(D, "severity");
    if (Severity == "INFO")
      continue;
    CHECK_FALSE(D.get("suggestions"));
    const llvm::json::Object &Location = object(D.get("location"));
    const llvm::json::Object &Start =
        object(object(Location.get("range")).get("start"));
    std::string Code =
        D.getObject("code") ? string(*D.getObject("code"), "value") : "";
    Seen.push_back(Severity + " " + string(Location, "path") + ":" +
                   std::to_string(integer(Start, "line")) + ":" +
                   std::to_string(integer(Start, "column")) + " " +
                   string(D, "message") + " [" + Code + "]");
  }
  std::vector<std::string> Expected;
  for (const Diagnostic &D : S.R.Diagnostics)
    Expected.push_back((D.Level == Severity::Error ? "ERROR " : "WARNING ") +
                       D.File + ":" + std::to_string(D.Line) + ":" +
                       std::to_string(D.Column) + " " + D.Message + " [" +
                       D.RuleId + "]");
  CHECK(Seen == Expected);
}

//===----------------------------------------------------------------------===//
// fixes-yaml
//===----------------------------------------------------------------------===//

TEST_CASE("fixes-yaml reads back through clang's traits as one diagnostic "
          "per edit with absolute paths",
          "[formats]") {
  SampleRun S = sampleRun();
  std::string Yaml;
  llvm::raw_string_ostream OS(Yaml);
  writeFixesYaml(OS, S.P, S.R, "some/root");
  OS.flush();

  clang::tooling::TranslationUnitDiagnostics Read;
  llvm::yaml::Input In(Yaml);
  In >> Read;
  INFO(Yaml);
  REQUIRE(!In.error());
  CHECK(Read.MainSourceFile == "");

  llvm::SmallString<256> Expected("some/root/app/main.py");
  REQUIRE(!llvm::sys::fs::make_absolute(Expected));
  const FileChange &Main = changeOf(S.R, "app/main.py");
  // Only app/main.py is edited in place; the created, moved and deleted
  // files cannot be expressed.
  REQUIRE(Read.Diagnostics.size() == Main.Edits.size());
  for (size_t I = 0; I < Main.Edits.size(); ++I) {
    const Edit &E = Main.Edits[I];
    const clang::tooling::Diagnostic &D = Read.Diagnostics[I];
    CHECK(D.DiagnosticName == E.RuleId);
    CHECK(D.Message.Message == E.explanation());
    CHECK(D.Message.FilePath == Expected.str().str());
    CHECK(D.Message.FileOffset == E.offset());
    REQUIRE(D.Message.Fix.size() == 1);
    const clang::tooling::Replacements &Fix = D.Message.Fix.begin()->second;
    REQUIRE(Fix.size() == 1);
    const clang::tooling::Replacement &R = *Fix.begin();
    CHECK(R.getFilePath() == Expected.str());
    CHECK(R.getOffset() == E.offset());
    CHECK(R.getLength() == E.length());
    CHECK(R.getReplacementText() == E.text());
  }
}

TEST_CASE("clang-apply-replacements applies fixes-yaml to give the new text",
          "[formats]") {
  auto Tool = llvm::sys::findProgramByName("clang-apply-replacements-14");
  if (!Tool)
    Tool = llvm::sys::findProgramByName("clang-apply-replacements");
  if (!Tool) {
    WARN("clang-apply-replacements is not installed; skipped");
    return;
  }
  SampleRun S = sampleRun();
  TempDir Tree("excise-tree");
  for (const auto &[Path, Content] : sampleTree())
    Tree.write(Path, Content);
  TempDir Fixes("excise-fixes");
  std::string Yaml;
  llvm::raw_string_ostream OS(Yaml);
  writeFixesYaml(OS, S.P, S.R, Tree.path());
  Fixes.write("fixes.yaml", OS.str());

  std::string Command = quoted(*Tool) + " " + quoted(Fixes.path()) + " > " +
                        quoted(Fixes.path("log")) + " 2>&1";
  int Status = shell(Command);
  INFO(Command << "\n" << Fixes.read("log") << "\n" << Yaml);
  REQUIRE(Status == 0);
  CHECK(Tree.read("app/main.py") == changeOf(S.R, "app/main.py").NewText);
  // Files the format cannot create, move or delete are left as they were.
  CHECK(Tree.read("pkg/legacy.py") == sampleTree()["pkg/legacy.py"]);
  CHECK(Tree.read("pkg/other.py") == sampleTree()["pkg/other.py"]);
  CHECK_FALSE(llvm::sys::fs::exists(Tree.path("docs/removed.md")));
}

TEST_CASE("clang-apply-replacements also runs clang-format's C++ cleanup, "
          "which drops a comma before a closing parenthesis near an edit",
          "[formats]") {
  // A canary, not a wish: the replacements excise writes are right (the
  // test above reads them back), but clang-apply-replacements always runs
  // format::cleanupAroundReplacements with a C++ style, and without C++
  // semicolons a whole Python block is one "line" to it. A one-element tuple
  // anywhere in that block loses its comma. If this starts failing, the tool
  // has stopped doing so and the warning in ReviewFormats.h can go.
  auto Tool = llvm::sys::findProgramByName("clang-apply-replacements-14");
  if (!Tool) {
    WARN("clang-apply-replacements-14 is not installed; skipped");
    return;
  }
  Tree Files = {
      {"pkg/__init__.py", ""},
      {"pkg/legacy.py", "class Repo:\n    pass\n"},
      {"app/__init__.py", ""},
      {"app/pair.py", "import pkg.legacy\nPAIR = (1,)\n"},
  };
  const char *const PlanYaml = R"yaml(plan: p
rules:
  - id: drop-legacy
    remove-module: pkg.legacy
)yaml";
  TreeRun Run = runOnTree(Files, PlanYaml);
  REQUIRE(Run.ErrorMessage.empty());
  auto P = parsePlan(PlanYaml, "plan.yaml");
  REQUIRE(bool(P));
  REQUIRE(Run.After["app/pair.py"] == "PAIR = (1,)\n");

  TempDir Tree("excise-tree");
  for (const auto &[Path, Content] : Files)
    Tree.write(Path, Content);
  TempDir Fixes("excise-fixes");
  std::string Yaml;
  llvm::raw_string_ostream OS(Yaml);
  writeFixesYaml(OS, *P, Run.Result, Tree.path());
  Fixes.write("fixes.yaml", OS.str());
  REQUIRE(shell(quoted(*Tool) + " " + quoted(Fixes.path()) + " > /dev/null 2>&1") ==
          0);
  CHECK(Tree.read("app/pair.py") == "PAIR = (1)\n");
}

//===----------------------------------------------------------------------===//
// Edits several rules made together
//===----------------------------------------------------------------------===//

namespace {

/// A plan whose rules' edits share statements, run over its tree; Explained
/// is what `excise explain` prints for File.
struct SharedEdits {
  const char *Name;
  Tree Files;
  const char *PlanYaml;
  const char *File;
  const char *Explained;
  std::map<std::string, unsigned> EditsPerRule;
};

/// A rewrite turns an audit checkpoint into a structured log line; the
/// removal of the audit module then unwraps the guard around it and deletes
/// the import next to the one the rewrite adds.
SharedEdits rewriteInsideUnwrappedGuard() {
  return {"a rewrite inside a guard the removal unwraps",
          {{"svc/__init__.py", ""},
           {"svc/audit.py", py(R"py(
class AuditLog:
    def checkpoint(self, *args, **fields):
        pass


def get_audit_log():
    return AuditLog()
)py")},
           {"svc/payments.py", py(R"py(
"""Payment capture with an audit trail."""
import logging

from svc.audit import get_audit_log

log = logging.getLogger(__name__)


class PaymentService:
    def __init__(self, gateway):
        self.gateway = gateway

    async def capture(self, payment):
        audit = get_audit_log()
        result = await self.gateway.capture(payment.id)
        if audit:
            audit.checkpoint(payment.id, "captured", amount=payment.amount)
        return result
)py")}},
          R"yaml(plan: payments-structlog
rules:
  - id: audit-to-structlog
    rewrite:
      pattern: $AUDIT.checkpoint($ID, $STEP, $$$FIELDS)
      where:
        AUDIT: { regex: "^audit$" }
      fix: structlog.get_logger().info("payment", id=$ID, step=$STEP, $$$FIELDS)
      imports: [import structlog]
  - id: drop-audit
    remove-module: svc.audit
)yaml",
          "svc/payments.py",
          R"(svc/payments.py:4:1: replace line 4 [drop-audit, audit-to-structlog]
    drop-audit → module svc.audit → import of svc.audit.get_audit_log
    audit-to-structlog → rewrite: the fix needs `import structlog`
svc/payments.py:14:1: delete line 14 [drop-audit]
    drop-audit → module svc.audit → assigned from get_audit_log
svc/payments.py:16:9: replace text on line 16-18 [drop-audit, audit-to-structlog]
    drop-audit → module svc.audit → audit (assigned from get_audit_log) → guard `if audit:` → guard always true: body kept
    audit-to-structlog → rewrite: matched `audit.checkpoint(payment.id, "captured", amount=payment.amount)`
)",
          {{"audit-to-structlog", 2}, {"drop-audit", 3}}};
}

/// Two rules each remove one name of the same import statements: a
/// parenthesized one that goes whole, and one inside a method that keeps a
/// third name.
SharedEdits twoRulesOneImport() {
  return {"two rules removing one name each of the same import",
          {{"svc/__init__.py", ""},
           {"svc/logging.py", py(R"py(
class AuditLogger:
    def record(self, *args):
        pass


class EventSink:
    def emit(self, *args):
        pass


class Metrics:
    def count(self, name):
        pass
)py")},
           {"svc/billing.py", py(R"py(
"""Billing: invoices and their audit trail."""
from svc.logging import (
    AuditLogger,  # the old audit trail
    EventSink,
)


class InvoiceService:
    def __init__(self, repo):
        self.repo = repo
        self.audit = AuditLogger()

    async def issue(self, invoice):
        await self.repo.save(invoice)
        self.audit.record("issued", invoice.id)
        EventSink().emit("invoice.issued", invoice.id)
        return invoice

    def refund(self, invoice):
        from svc.logging import AuditLogger, EventSink, Metrics

        Metrics().count("refund")
        return invoice.amount
)py")}},
          R"yaml(plan: drop-audit-trail
rules:
  - id: drop-audit-logger
    remove-symbol: svc.logging.AuditLogger
  - id: drop-event-sink
    remove-symbol: svc.logging.EventSink
)yaml",
          "svc/billing.py",
          R"(svc/billing.py:2:1: delete lines 2-5 [drop-audit-logger, drop-event-sink]
    drop-audit-logger → svc.logging.AuditLogger → import of svc.logging.AuditLogger
    drop-event-sink → svc.logging.EventSink → import of svc.logging.EventSink
svc/billing.py:11:1: delete line 11 [drop-audit-logger]
    drop-audit-logger → svc.logging.AuditLogger → assigned from AuditLogger
svc/billing.py:15:1: delete line 15 [drop-audit-logger]
    drop-audit-logger → svc.logging.AuditLogger → self.audit (assigned from AuditLogger) → call of self.audit (statement)
svc/billing.py:16:1: delete line 16 [drop-event-sink]
    drop-event-sink → svc.logging.EventSink → call of EventSink (statement)
svc/billing.py:20:33: delete text on line 20 [drop-event-sink, drop-audit-logger]
    drop-event-sink → svc.logging.EventSink → import of svc.logging.EventSink
    drop-audit-logger → svc.logging.AuditLogger → import of svc.logging.AuditLogger
)",
          {{"drop-audit-logger", 5}, {"drop-event-sink", 4}}};
}

/// A rewrite matches in a method that stays and in one the plan removes:
/// the deletion of the second subsumes the rewrite's edit inside it, which
/// is not made and counts for no rule.
SharedEdits rewriteInsideRemovedMethod() {
  return {"a rewrite inside a method the plan removes",
          {{"svc/__init__.py", ""},
           {"svc/audit.py", py(R"py(
class AuditLogger:
    def record(self, *args):
        pass
)py")},
           {"svc/orders.py", py(R"py(
"""Order service."""
import logging

from svc.audit import AuditLogger

log = logging.getLogger(__name__)


class OrderService:
    def __init__(self, repo):
        self.repo = repo

    async def place(self, order):
        # Persist first, then tell the world.
        await self.repo.save(order)
        log.warning("order placed: %s", order.id)
        return order

    def legacy_export(self, order):
        """Old CSV export, going away with the audit trail."""
        AuditLogger().record("export", order.id)
        log.warning("exported %s", order.id)
)py")}},
          R"yaml(plan: orders-structlog
rules:
  - id: warnings-to-structlog
    rewrite:
      pattern: log.warning($MSG, $$$ARGS)
      fix: structlog.get_logger().warning($MSG, $$$ARGS)
      imports: [import structlog]
  - id: drop-legacy-export
    remove-symbol: svc.orders.OrderService.legacy_export
)yaml",
          "svc/orders.py",
          R"(svc/orders.py:4:1: replace line 4 [drop-legacy-export, warnings-to-structlog]
    drop-legacy-export → svc.orders.OrderService.legacy_export → definition of legacy_export → import of AuditLogger no longer used
    warnings-to-structlog → rewrite: the fix needs `import structlog`
svc/orders.py:16:9: replace text on line 16 [warnings-to-structlog]
    warnings-to-structlog → rewrite: matched `log.warning("order placed: %s", order.id)`
svc/orders.py:18:1: delete text on line 18-22 [drop-legacy-export]
    drop-legacy-export → svc.orders.OrderService.legacy_export → definition of legacy_export
    subsumed: warnings-to-structlog → rewrite: matched `log.warning("exported %s", order.id)`
)",
          {{"warnings-to-structlog", 2}, {"drop-legacy-export", 2}}};
}

std::vector<SharedEdits> sharedEditCases() {
  return {rewriteInsideUnwrappedGuard(), twoRulesOneImport(),
          rewriteInsideRemovedMethod()};
}

/// What `excise explain` prints for \p File of \p S.
std::string explained(const SampleRun &S, llvm::StringRef File) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeExplanation(OS, changeOf(S.R, File));
  return OS.str();
}

/// One chain of steps of an `explain` listing.
struct Chain {
  std::string Text;      ///< "rule → step → step".
  std::string FirstRule; ///< The rule of its edit's first chain.
  bool First;            ///< The edit's first chain: the one with the fix.
};

/// The chains of steps of \p Explained, in order; edits an edit subsumed
/// (`subsumed: ...`) are not among them.
std::vector<Chain> chainsOf(llvm::StringRef Explained) {
  std::vector<Chain> Chains;
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  Explained.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  bool First = false;
  for (llvm::StringRef Line : Lines) {
    if (!Line.consume_front("    ")) {
      First = true;
      continue;
    }
    if (Line.startswith("subsumed: "))
      continue;
    std::string Rule = First ? Line.split(' ').first.str() : Chains.back().FirstRule;
    Chains.push_back({Line.str(), Rule, First});
    First = false;
  }
  return Chains;
}

std::string sentence(std::string S) {
  return llvm::StringRef(S).endswith(".") ? S : S + ".";
}

} // namespace

TEST_CASE("explain lists every rule and chain of steps of an edit several "
          "rules made together",
          "[formats][provenance]") {
  for (const SharedEdits &Case : sharedEditCases()) {
    INFO(Case.Name);
    SampleRun S = sampleRun(Case.PlanYaml, Case.Files);
    CHECK(explained(S, Case.File) == Case.Explained);
  }
}

TEST_CASE("the JSON report lists the contributors of an edit several rules "
          "made together, and each rule's count is the edits naming it",
          "[formats][provenance]") {
  for (const SharedEdits &Case : sharedEditCases()) {
    INFO(Case.Name);
    SampleRun S = sampleRun(Case.PlanYaml, Case.Files);
    llvm::json::Value Doc = parsed(written(writeJson, S));
    const llvm::json::Object &Top = object(&Doc);

    std::map<std::string, unsigned> EditsNaming;
    std::vector<std::string> Explanations;
    for (const llvm::json::Value &F : array(Top.get("files")))
      for (const llvm::json::Value &V : array(F.getAsObject()->get("edits"))) {
        const llvm::json::Object &E = object(&V);
        std::vector<std::pair<std::string, const llvm::json::Array *>> Causes;
        if (const llvm::json::Array *List = E.getArray("contributors")) {
          REQUIRE(List->size() >= 2);
          // The first contributor is the edit's rule and reason.
          CHECK(*object(&(*List)[0]).get("rule") == *E.get("rule"));
          CHECK(*object(&(*List)[0]).get("reason") == *E.get("reason"));
          for (const llvm::json::Value &C : *List)
            Causes.emplace_back(string(object(&C), "rule"),
                                &array(object(&C).get("reason")));
        } else {
          Causes.emplace_back(string(E, "rule"), &array(E.get("reason")));
        }
        std::set<std::string> Rules;
        for (const auto &[Rule, Reason] : Causes) {
          std::string Explanation = Rule;
          for (const llvm::json::Value &Step : *Reason)
            Explanation += " \xE2\x86\x92 " + Step.getAsString()->str();
          if (string(object(&F), "path") == Case.File)
            Explanations.push_back(Explanation);
          if (Rules.insert(Rule).second)
            ++EditsNaming[Rule];
        }
      }
    std::vector<std::string> Expected;
    for (const Chain &C : chainsOf(Case.Explained))
      Expected.push_back(C.Text);
    CHECK(Explanations == Expected);

    std::map<std::string, unsigned> Counted;
    for (const llvm::json::Value &V :
         array(object(Top.get("summary")).get("rules"))) {
      const llvm::json::Object &Rule = object(&V);
      CHECK(integer(Rule, "edits") == EditsNaming[string(Rule, "id")]);
      Counted[string(Rule, "id")] = unsigned(integer(Rule, "edits"));
    }
    CHECK(Counted == Case.EditsPerRule);
  }
}

TEST_CASE("SARIF gives each rule of an edit several rules made together a "
          "result of its own, and the fix once",
          "[formats][provenance]") {
  for (const SharedEdits &Case : sharedEditCases()) {
    INFO(Case.Name);
    SampleRun S = sampleRun(Case.PlanYaml, Case.Files);
    const FileChange &Changed = changeOf(S.R, Case.File);
    llvm::json::Value Doc = parsed(written(writeSarif, S));
    const llvm::json::Object &Run = object(&array(object(&Doc).get("runs"))[0]);

    std::vector<std::string> Messages, Expected;
    unsigned Fixes = 0;
    for (const llvm::json::Value &V : array(Run.get("results"))) {
      const llvm::json::Object &Result = object(&V);
      const llvm::json::Object &Location =
          object(object(&array(Result.get("locations"))[0]).get("physicalLocation"));
      if (string(object(Location.get("artifactLocation")), "uri") != Case.File)
        continue;
      std::string Message = string(object(Result.get("message")), "text");
      // Each result names the rule its message starts with.
      CHECK(llvm::StringRef(Message).startswith(string(Result, "ruleId") + " "));
      Messages.push_back(Message);
      Fixes += Result.get("fixes") ? 1 : 0;
    }
    for (const Chain &C : chainsOf(Case.Explained))
      Expected.push_back(sentence(
          C.First ? C.Text
                  : C.Text + " (the same edit as [" + C.FirstRule +
                        "], which carries the fix)"));
    CHECK(Messages == Expected);
    CHECK(Fixes == Changed.Edits.size());
  }
}

TEST_CASE("rdjson gives each rule of an edit several rules made together a "
          "diagnostic of its own, and the suggestion once",
          "[formats][provenance]") {
  for (const SharedEdits &Case : sharedEditCases()) {
    INFO(Case.Name);
    SampleRun S = sampleRun(Case.PlanYaml, Case.Files);
    const FileChange &Changed = changeOf(S.R, Case.File);
    llvm::json::Value Doc = parsed(written(writeRdjson, S));

    std::vector<std::string> Rules, Starts;
    std::vector<TextEdit> Suggestions;
    for (const llvm::json::Value &V : array(object(&Doc).get("diagnostics"))) {
      const llvm::json::Object &D = object(&V);
      if (string(object(D.get("location")), "path") != Case.File)
        continue;
      std::string Rule = string(object(D.get("code")), "value");
      std::string Message = string(D, "message");
      CHECK(llvm::StringRef(Message).startswith(Rule + " "));
      Rules.push_back(Rule);
      const llvm::json::Array *List = D.getArray("suggestions");
      if (!List)
        continue;
      const llvm::json::Object &Range = object(object(&(*List)[0]).get("range"));
      const llvm::json::Object &Start = object(Range.get("start"));
      const llvm::json::Object &End = object(Range.get("end"));
      unsigned From = offsetOf(Changed.OldText, integer(Start, "line"),
                               integer(Start, "column"));
      unsigned To = offsetOf(Changed.OldText, integer(End, "line"),
                             integer(End, "column"));
      Suggestions.push_back({From, To - From, string(object(&(*List)[0]), "text")});
    }
    std::vector<std::string> Expected;
    for (const Chain &C : chainsOf(Case.Explained))
      Expected.push_back(llvm::StringRef(C.Text).split(' ').first.str());
    CHECK(Rules == Expected);
    CHECK(Suggestions.size() == Changed.Edits.size());
    CHECK(applied(Changed.OldText, Suggestions) == Changed.NewText);
  }
}

TEST_CASE("a rewrite inside a method the plan removes is subsumed by the "
          "deletion, shown in explain and JSON, not a conflict",
          "[formats][provenance]") {
  SharedEdits Case = rewriteInsideRemovedMethod();
  SampleRun S = sampleRun(Case.PlanYaml, Case.Files);
  const FileChange &Orders = changeOf(S.R, Case.File);
  CHECK(Orders.NewText == py(R"py(
"""Order service."""
import logging

import structlog

log = logging.getLogger(__name__)


class OrderService:
    def __init__(self, repo):
        self.repo = repo

    async def place(self, order):
        # Persist first, then tell the world.
        await self.repo.save(order)
        structlog.get_logger().warning("order placed: %s", order.id)
        return order
)py"));
  CHECK(explained(S, Case.File) == Case.Explained);

  llvm::json::Value Doc = parsed(written(writeJson, S));
  const llvm::json::Object &File = object(&array(object(&Doc).get("files"))[0]);
  REQUIRE(string(File, "path") == Case.File);
  const llvm::json::Object &Deletion = object(&array(File.get("edits")).back());
  CHECK(string(Deletion, "rule") == "drop-legacy-export");
  CHECK(*Deletion.get("subsumed") ==
        llvm::json::Value(llvm::json::Array{llvm::json::Object{
            {"rule", "warnings-to-structlog"},
            {"reason", llvm::json::Array{"rewrite: matched `log.warning(\"exported "
                                         "%s\", order.id)`"}}}}));
}
