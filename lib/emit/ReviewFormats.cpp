//===- ReviewFormats.cpp - Machine-readable reports of a run --------------===//
//
// JSON documents are built as llvm::json values and printed by llvm::json, so
// escaping is never done by hand; the fixes YAML goes through Clang's own YAML
// traits for tooling diagnostics, so clang-apply-replacements reads exactly
// what it would read from clang-tidy.
//
//===----------------------------------------------------------------------===//
#include "emit/ReviewFormats.h"

#include "source/SourceFile.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"

#include <algorithm>
#include <string>

namespace excise {

namespace {

namespace json = llvm::json;

/// A JSON string. Files need not be UTF-8 (a Latin-1 comment is enough), but
/// JSON strings must be: invalid bytes become U+FFFD rather than tripping
/// llvm::json's assertion.
json::Value jsonString(llvm::StringRef S) {
  if (json::isUTF8(S))
    return S.str();
  return json::fixUTF8(S);
}

/// A string, or null when it is empty (a diagnostic without a rule, the old
/// path of a created file).
json::Value jsonStringOrNull(llvm::StringRef S) {
  if (S.empty())
    return nullptr;
  return jsonString(S);
}

/// Number of UTF-16 code units that encode the UTF-8 text \p Bytes: one per
/// character, two for those outside the Basic Multilingual Plane (four-byte
/// sequences). Continuation bytes count nothing, so a stray one in invalid
/// UTF-8 is not counted either.
unsigned utf16Length(llvm::StringRef Bytes) {
  unsigned N = 0;
  for (unsigned char C : Bytes) {
    if ((C & 0xC0) == 0x80)
      continue;
    N += C >= 0xF0 ? 2 : 1;
  }
  return N;
}

/// Positions in the old text of one changed file.
class OldPositions {
public:
  explicit OldPositions(const FileChange &C) : File(C.OldPath, C.OldText) {}

  /// 1-based line and byte column of \p Offset. The end of a file whose last
  /// line ends with a line break is column 1 of the line after it, so that a
  /// deletion of the last lines reads like one of lines in the middle.
  LineColumn bytes(unsigned Offset) const {
    llvm::StringRef Text = File.text();
    if (Offset >= Text.size() && Text.endswith("\n"))
      return {File.lineCount() + 1, 1};
    return File.position(Offset);
  }

  /// The same position with the column counted in UTF-16 code units.
  LineColumn utf16(unsigned Offset) const {
    LineColumn P = bytes(Offset);
    if (P.Column > 1) {
      unsigned Start = File.lineStart(P.Line);
      P.Column = 1 + utf16Length(File.text().slice(Start, Start + P.Column - 1));
    }
    return P;
  }

  llvm::StringRef text(const Edit &E) const {
    return File.text().substr(E.offset(), E.length());
  }

private:
  SourceFile File;
};

enum class FileStatus { Modified, Created, Deleted, Renamed };

FileStatus statusOf(const FileChange &C) {
  if (C.isCreated())
    return FileStatus::Created;
  if (C.isDeleted())
    return FileStatus::Deleted;
  if (C.isRenamed())
    return FileStatus::Renamed;
  return FileStatus::Modified;
}

llvm::StringRef statusName(FileStatus S) {
  switch (S) {
  case FileStatus::Modified:
    return "modified";
  case FileStatus::Created:
    return "created";
  case FileStatus::Deleted:
    return "deleted";
  case FileStatus::Renamed:
    return "renamed";
  }
  return "modified";
}

/// "Creates a.py.", "Deletes a.py.", "Moves a.py to b.py." for file
/// operations, which have no edit to carry the message.
std::string describeFileOperation(const FileChange &C) {
  switch (statusOf(C)) {
  case FileStatus::Created:
    return "Creates " + C.NewPath + ".";
  case FileStatus::Deleted:
    return "Deletes " + C.OldPath + ".";
  case FileStatus::Renamed:
    return "Moves " + C.OldPath + " to " + C.NewPath + ".";
  case FileStatus::Modified:
    break;
  }
  return "Edits " + C.path() + ".";
}

/// What an edit does, for the description of a SARIF fix.
std::string describeEdit(const Edit &E) {
  if (E.length() == 0)
    return "Insert text.";
  if (E.text().empty())
    return "Delete text.";
  return "Replace text.";
}

std::string joinValues(llvm::ArrayRef<PlanString> Values) {
  std::string S;
  for (const PlanString &V : Values)
    S += (S.empty() ? "" : ", ") + V.Value;
  return S;
}

/// The operation and the targets of \p R, e.g.
/// "remove-symbol src.database.ProcessingLogRepo".
std::string describeRule(const Rule &R) {
  std::string S = operationName(R.Kind).str() + " ";
  switch (R.Kind) {
  case OperationKind::RemoveSymbol:
    return S + joinValues(R.Symbols);
  case OperationKind::RemoveModule:
    return S + joinValues(R.Modules);
  case OperationKind::RemoveCalls: {
    S += R.Calls.Callee.Value.empty() ? R.Calls.Function.Value
                                      : R.Calls.Callee.Value;
    if (R.Calls.Args.empty())
      return S;
    std::string Args;
    for (const ArgumentPredicate &A : R.Calls.Args) {
      Args += Args.empty() ? "" : ", ";
      Args += A.Position ? "#" + std::to_string(*A.Position) : A.Keyword;
      Args += "=" + std::string(A.IsRegex ? "re:" : "") + A.Value;
    }
    return S + "(" + Args + ")";
  }
  case OperationKind::DeleteFiles:
    return S + joinValues(R.Paths);
  case OperationKind::MoveFiles: {
    std::string Moves;
    for (const FileMove &M : R.Moves)
      Moves += (Moves.empty() ? "" : ", ") + M.From.Value + " -> " + M.To.Value;
    return S + Moves;
  }
  case OperationKind::AddFile:
    return S + R.Add.Path.Value;
  case OperationKind::ReplaceText:
    return S + "'" + R.Replace.From.Value + "' -> '" + R.Replace.To + "' in " +
           joinValues(R.Replace.Files);
  case OperationKind::Rewrite:
    return S + "`" + llvm::StringRef(R.Rewrite.Pattern.Value).trim().split('\n').first.str() +
           "`";
  }
  return S;
}

/// `drop-processing-log-repo` -> `DropProcessingLogRepo`, the "friendly
/// name" SARIF viewers show next to the id.
std::string pascalCase(llvm::StringRef Id) {
  std::string S;
  bool Upper = true;
  for (char C : Id) {
    if (!llvm::isAlnum(C)) {
      Upper = true;
      continue;
    }
    S += Upper ? llvm::toUpper(C) : C;
    Upper = false;
  }
  return S.empty() ? "Rule" : S;
}

const Rule *findRule(const Plan &P, llvm::StringRef Id) {
  for (const Rule &R : P.Rules)
    if (R.Id == Id)
      return &R;
  return nullptr;
}

json::Array jsonReason(llvm::ArrayRef<std::string> Steps) {
  json::Array Reason;
  for (const std::string &Step : Steps)
    Reason.push_back(jsonString(Step));
  return Reason;
}

/// `[{"rule": ..., "reason": [...]}, ...]`.
json::Array jsonCauses(llvm::ArrayRef<EditCause> Causes) {
  json::Array List;
  for (const EditCause &C : Causes)
    List.push_back(json::Object{{"rule", jsonString(C.RuleId)},
                                {"reason", jsonReason(C.Reason)}});
  return List;
}

/// The other causes of an edit several made together, as the messages of
/// the results (SARIF) or diagnostics (rdjson) that follow the one carrying
/// the fix: each rule and chain of steps its own finding, the fix given once.
std::vector<std::string> sharedEditMessages(const Edit &E) {
  std::vector<std::string> Messages;
  for (const EditCause &C : E.AlsoBy)
    Messages.push_back(C.explanation() + " (the same edit as [" + E.RuleId +
                       "], which carries the fix)");
  return Messages;
}

void print(llvm::raw_ostream &OS, json::Value Doc) {
  OS << llvm::formatv("{0:2}", Doc) << "\n";
}

} // namespace

//===----------------------------------------------------------------------===//
// json
//===----------------------------------------------------------------------===//

void writeJson(llvm::raw_ostream &OS, const Plan &P, const RunResult &R) {
  auto Position = [](LineColumn LC) {
    return json::Object{{"line", LC.Line}, {"column", LC.Column}};
  };

  json::Array Files;
  for (const FileChange &C : R.Changes) {
    OldPositions Old(C);
    json::Array Edits;
    for (const Edit &E : C.Edits) {
      json::Object Entry{
          {"offset", E.offset()},
          {"length", E.length()},
          {"start", Position(Old.bytes(E.offset()))},
          {"end", Position(Old.bytes(E.offset() + E.length()))},
          {"old_text", jsonString(Old.text(E))},
          {"new_text", jsonString(E.text())},
          {"rule", jsonString(E.RuleId)},
          {"reason", jsonReason(E.Reason)},
      };
      // An edit several rules or steps made together lists them all, the
      // first being `rule` and `reason`.
      if (!E.AlsoBy.empty())
        Entry["contributors"] = jsonCauses(E.causes());
      // Edits of other rules inside what this one deletes, not made.
      if (!E.Subsumed.empty())
        Entry["subsumed"] = jsonCauses(E.Subsumed);
      Edits.push_back(std::move(Entry));
    }
    json::Object File{
        {"path", jsonString(C.path())},
        {"old_path", jsonStringOrNull(C.OldPath)},
        {"status", statusName(statusOf(C))},
        {"rule", jsonStringOrNull(C.RuleId)},
        {"edits", std::move(Edits)},
    };
    if (C.isCreated())
      File["content"] = jsonString(C.NewText);
    Files.push_back(std::move(File));
  }

  json::Array Diagnostics;
  for (const Diagnostic &D : R.Diagnostics) {
    json::Object Entry{
        {"path", jsonString(D.File)},
        {"line", D.Line ? json::Value(D.Line) : json::Value(nullptr)},
        {"column", D.Line ? json::Value(D.Column) : json::Value(nullptr)},
        {"severity", severityName(D.Level)},
        {"message", jsonString(D.Message)},
        {"rule", jsonStringOrNull(D.RuleId)},
    };
    Diagnostics.push_back(std::move(Entry));
  }

  json::Array Rules;
  unsigned Leftovers = 0;
  for (const RuleSummary &S : R.Summary) {
    const Rule *Rl = findRule(P, S.RuleId);
    Rules.push_back(json::Object{
        {"id", jsonString(S.RuleId)},
        {"operation", Rl ? json::Value(operationName(Rl->Kind))
                         : json::Value(nullptr)},
        {"edits", S.Edits},
        {"files", S.Files},
        {"leftovers", S.Leftovers},
    });
    Leftovers += S.Leftovers;
  }

  print(OS, json::Object{
                {"version", 1},
                {"tool", "excise"},
                {"plan", jsonString(P.Name)},
                {"files", std::move(Files)},
                {"diagnostics", std::move(Diagnostics)},
                {"summary",
                 json::Object{
                     {"files_read", R.FilesRead},
                     {"files_parsed", R.FilesParsed},
                     {"files_changed", static_cast<int64_t>(R.Changes.size())},
                     {"leftovers", Leftovers},
                     {"rules", std::move(Rules)},
                 }},
            });
}

//===----------------------------------------------------------------------===//
// sarif
//===----------------------------------------------------------------------===//

namespace {

/// A relative path as a URI reference: every byte but unreserved characters
/// and '/' percent-encoded (RFC 3986), so spaces and non-ASCII names are valid.
std::string encodeUriPath(llvm::StringRef Path) {
  std::string S;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~' ||
        C == '/') {
      S += C;
      continue;
    }
    S += '%';
    S += llvm::hexdigit(C >> 4);
    S += llvm::hexdigit(C & 15);
  }
  return S;
}

/// Where a path of the tree is: relative to %SRCROOT%, or an absolute file
/// URI for a path given absolute (a plan file outside the tree).
json::Object artifactLocation(llvm::StringRef Path) {
  if (llvm::sys::path::is_absolute(Path, llvm::sys::path::Style::posix))
    return json::Object{{"uri", "file://" + encodeUriPath(Path)}};
  return json::Object{{"uri", encodeUriPath(Path)}, {"uriBaseId", "%SRCROOT%"}};
}

json::Object message(llvm::StringRef Text) {
  std::string S = Text.str();
  // SARIF wants messages to be sentences.
  if (!llvm::StringRef(S).endswith("."))
    S += ".";
  return json::Object{{"text", jsonString(S)}};
}

/// The SARIF rules: the plan's, in plan order, then, when some diagnostic
/// has no rule, one for excise itself.
class SarifRules {
public:
  SarifRules(const Plan &P, const RunResult &R) {
    for (const Rule &Rl : P.Rules)
      add(Rl.Id, pascalCase(Rl.Id), describeRule(Rl), "note");
    if (llvm::any_of(R.Diagnostics,
                     [](const Diagnostic &D) { return D.RuleId.empty(); })) {
      // Plan rule ids are free-form; pick one none of them took.
      ToolRuleId = "excise";
      while (Index.count(ToolRuleId))
        ToolRuleId += "_";
      add(ToolRuleId, "ExciseDiagnostic",
          "Problems excise found in the tree, such as files it cannot parse",
          "error");
    }
    if (!Index.count(PlanNoteRule) &&
        llvm::any_of(R.Diagnostics,
                     [](const Diagnostic &D) { return D.RuleId == PlanNoteRule; }))
      add(PlanNoteRule, "PlanNote",
          "Notes about the plan itself: a target found nowhere in the tree, a "
          "rule that matched nothing",
          "note");
  }

  json::Array take() { return std::move(Rules); }

  /// Sets ruleId and ruleIndex of \p Result for rule \p Id (the tool's rule
  /// when it is empty).
  void refer(json::Object &Result, llvm::StringRef Id) const {
    if (Id.empty())
      Id = ToolRuleId;
    Result["ruleId"] = jsonString(Id);
    auto It = Index.find(Id);
    if (It != Index.end())
      Result["ruleIndex"] = It->second;
  }

private:
  void add(llvm::StringRef Id, llvm::StringRef Name, llvm::StringRef Text,
           llvm::StringRef Level) {
    Index.try_emplace(Id, Rules.size());
    Rules.push_back(json::Object{
        {"id", jsonString(Id)},
        {"name", jsonString(Name)},
        {"shortDescription", message(Text)},
        {"defaultConfiguration", json::Object{{"level", Level}}},
    });
  }

  json::Array Rules;
  llvm::StringMap<unsigned> Index;
  std::string ToolRuleId;
};

llvm::StringRef sarifLevel(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

} // namespace

void writeSarif(llvm::raw_ostream &OS, const Plan &P, const RunResult &R) {
  SarifRules Rules(P, R);
  json::Array Results;

  for (const FileChange &C : R.Changes) {
    if (statusOf(C) != FileStatus::Modified) {
      // On the whole file: the new one, or the old one for a deletion.
      FileChange Whole;
      Whole.OldPath = C.path();
      Whole.OldText = C.isDeleted() ? C.OldText : C.NewText;
      OldPositions Positions(Whole);
      LineColumn End = Positions.utf16(Whole.OldText.size());
      json::Object Result{
          {"level", "note"},
          {"message", message(describeFileOperation(C))},
          {"locations",
           json::Array{json::Object{
               {"physicalLocation",
                json::Object{
                    {"artifactLocation", artifactLocation(C.path())},
                    {"region", json::Object{{"startLine", 1},
                                            {"startColumn", 1},
                                            {"endLine", End.Line},
                                            {"endColumn", End.Column}}},
                }},
           }}},
      };
      Rules.refer(Result, C.RuleId);
      Results.push_back(std::move(Result));
    }

    // Edits are offsets into the old text, so they are reported on the old
    // path: that is the file the reviewer sees.
    OldPositions Old(C);
    for (const Edit &E : C.Edits) {
      LineColumn Start = Old.utf16(E.offset());
      LineColumn End = Old.utf16(E.offset() + E.length());
      auto Region = [&] {
        json::Object Region{
            {"startLine", Start.Line},
            {"startColumn", Start.Column},
            {"endLine", End.Line},
            {"endColumn", End.Column},
        };
        if (E.length())
          Region["snippet"] = json::Object{{"text", jsonString(Old.text(E))}};
        return Region;
      };
      auto Locations = [&] {
        return json::Array{json::Object{
            {"physicalLocation",
             json::Object{
                 {"artifactLocation", artifactLocation(C.OldPath)},
                 {"region", Region()},
             }},
        }};
      };
      json::Object Replacement{{"deletedRegion", Region()}};
      if (!E.text().empty())
        Replacement["insertedContent"] =
            json::Object{{"text", jsonString(E.text())}};
      json::Object Result{
          {"level", "note"},
          {"message", message(E.explanation())},
          {"locations", Locations()},
          {"fixes",
           json::Array{json::Object{
               {"description", message(describeEdit(E))},
               {"artifactChanges",
                json::Array{json::Object{
                    {"artifactLocation", artifactLocation(C.OldPath)},
                    {"replacements", json::Array{std::move(Replacement)}},
                }}},
           }}},
      };
      Rules.refer(Result, E.RuleId);
      Results.push_back(std::move(Result));
      std::vector<std::string> Shared = sharedEditMessages(E);
      for (size_t I = 0; I < Shared.size(); ++I) {
        json::Object SharedResult{
            {"level", "note"},
            {"message", message(Shared[I])},
            {"locations", Locations()},
        };
        Rules.refer(SharedResult, E.AlsoBy[I].RuleId);
        Results.push_back(std::move(SharedResult));
      }
    }
  }

  for (const Diagnostic &D : R.Diagnostics) {
    json::Object Location{{"artifactLocation", artifactLocation(D.File)}};
    if (D.Line) {
      // The diagnostic knows its line's text, enough to recount the column.
      // Its extent is unknown, so the region runs to the end of the line, as
      // SARIF's defaults would have it, but written out.
      llvm::StringRef Line = D.LineText;
      size_t Column = D.Column ? std::min<size_t>(D.Column - 1, Line.size()) : 0;
      Location["region"] = json::Object{
          {"startLine", D.Line},
          {"startColumn", 1 + utf16Length(Line.take_front(Column))},
          {"endLine", D.Line},
          {"endColumn", 1 + utf16Length(Line)},
          {"snippet", json::Object{{"text", jsonString(Line.drop_front(Column))}}},
      };
    }
    json::Object Result{
        {"level", sarifLevel(D.Level)},
        {"message", message(D.Message)},
        {"locations",
         json::Array{json::Object{{"physicalLocation", std::move(Location)}}}},
    };
    Rules.refer(Result, D.RuleId);
    Results.push_back(std::move(Result));
  }

  json::Object Driver{
      {"name", "excise"},
      {"version", EXCISE_VERSION},
      {"semanticVersion", EXCISE_VERSION},
      {"informationUri", "https://example.invalid/excise"},
      {"rules", Rules.take()},
  };
  json::Object Run{
      {"tool", json::Object{{"driver", std::move(Driver)}}},
      {"columnKind", "utf16CodeUnits"},
      {"originalUriBaseIds",
       json::Object{{"%SRCROOT%",
                     json::Object{{"description",
                                   message("The root of the tree excise ran "
                                           "on; every relative path starts "
                                           "there")}}}}},
      {"results", std::move(Results)},
  };
  if (!P.Name.empty())
    Run["automationDetails"] = json::Object{
        {"description", message("Plan " + P.Name)},
    };
  print(OS, json::Object{
                {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::Array{std::move(Run)}},
            });
}

//===----------------------------------------------------------------------===//
// rdjson
//===----------------------------------------------------------------------===//

namespace {

llvm::StringRef rdjsonSeverity(Severity S) {
  switch (S) {
  case Severity::Error:
    return "ERROR";
  case Severity::Warning:
    return "WARNING";
  case Severity::Note:
    return "INFO";
  }
  return "ERROR";
}

/// rdjson positions count columns in bytes; ranges end exclusively.
json::Object rdjsonPosition(LineColumn LC) {
  return json::Object{{"line", LC.Line}, {"column", LC.Column}};
}

json::Object rdjsonRange(LineColumn Start, LineColumn End) {
  return json::Object{{"start", rdjsonPosition(Start)},
                      {"end", rdjsonPosition(End)}};
}

} // namespace

void writeRdjson(llvm::raw_ostream &OS, const Plan &, const RunResult &R) {
  json::Array Diagnostics;
  auto Code = [](llvm::StringRef Rule) {
    return json::Object{{"value", jsonString(Rule)}};
  };

  for (const FileChange &C : R.Changes) {
    if (statusOf(C) != FileStatus::Modified) {
      json::Object D{
          {"message", jsonString(describeFileOperation(C))},
          {"location", json::Object{{"path", jsonString(C.path())}}},
          {"severity", "INFO"},
      };
      if (!C.RuleId.empty())
        D["code"] = Code(C.RuleId);
      Diagnostics.push_back(std::move(D));
    }
    OldPositions Old(C);
    for (const Edit &E : C.Edits) {
      LineColumn Start = Old.bytes(E.offset());
      LineColumn End = Old.bytes(E.offset() + E.length());
      Diagnostics.push_back(json::Object{
          {"message", jsonString(E.explanation())},
          {"location",
           json::Object{{"path", jsonString(C.OldPath)},
                        {"range", rdjsonRange(Start, End)}}},
          {"severity", "INFO"},
          {"code", Code(E.RuleId)},
          {"suggestions",
           json::Array{json::Object{{"range", rdjsonRange(Start, End)},
                                    {"text", jsonString(E.text())}}}},
      });
      std::vector<std::string> Shared = sharedEditMessages(E);
      for (size_t I = 0; I < Shared.size(); ++I)
        Diagnostics.push_back(json::Object{
            {"message", jsonString(Shared[I])},
            {"location",
             json::Object{{"path", jsonString(C.OldPath)},
                          {"range", rdjsonRange(Start, End)}}},
            {"severity", "INFO"},
            {"code", Code(E.AlsoBy[I].RuleId)},
        });
    }
  }

  for (const Diagnostic &D : R.Diagnostics) {
    json::Object Location{{"path", jsonString(D.File)}};
    if (D.Line)
      Location["range"] = json::Object{
          {"start", rdjsonPosition({D.Line, D.Column ? D.Column : 1})}};
    json::Object Entry{
        {"message", jsonString(D.Message)},
        {"location", std::move(Location)},
        {"severity", rdjsonSeverity(D.Level)},
    };
    if (!D.RuleId.empty())
      Entry["code"] = Code(D.RuleId);
    Diagnostics.push_back(std::move(Entry));
  }

  print(OS, json::Object{
                {"source", json::Object{{"name", "excise"}}},
                {"severity", "INFO"},
                {"diagnostics", std::move(Diagnostics)},
            });
}

//===----------------------------------------------------------------------===//
// fixes-yaml
//===----------------------------------------------------------------------===//

void writeFixesYaml(llvm::raw_ostream &OS, const Plan &, const RunResult &R,
                    llvm::StringRef Root) {
  llvm::SmallString<256> AbsoluteRoot(Root.empty() ? "." : Root);
  llvm::sys::fs::make_absolute(AbsoluteRoot);
  llvm::sys::path::remove_dots(AbsoluteRoot, /*remove_dot_dot=*/false);

  clang::tooling::TranslationUnitDiagnostics Document;
  Document.MainSourceFile = "";
  for (const FileChange &C : R.Changes) {
    if (statusOf(C) != FileStatus::Modified)
      continue;
    llvm::SmallString<256> Path(AbsoluteRoot);
    llvm::SmallString<128> Relative(C.OldPath);
    llvm::sys::path::native(Relative);
    llvm::sys::path::append(Path, Relative);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);

    for (const Edit &E : C.Edits) {
      // One diagnostic per edit, so that the fix is applied once: an edit
      // several rules made together names them all in its message.
      std::vector<std::string> Explanations;
      for (const EditCause &Why : E.causes())
        Explanations.push_back(Why.explanation());
      clang::tooling::DiagnosticMessage Message(llvm::join(Explanations, "; "));
      Message.FilePath = std::string(Path);
      Message.FileOffset = E.offset();
      // One edit per diagnostic: a fresh Replacements cannot conflict.
      llvm::cantFail(Message.Fix[Path].add(clang::tooling::Replacement(
          Path, E.offset(), E.length(), E.text())));
      Document.Diagnostics.emplace_back(
          E.RuleId, Message, llvm::SmallVector<clang::tooling::DiagnosticMessage, 1>(),
          clang::tooling::Diagnostic::Warning, std::string(AbsoluteRoot));
    }
  }

  llvm::yaml::Output YAML(OS);
  YAML << Document;
}

} // namespace excise
