//===- Plan.cpp - Loading and validating a removal plan -------------------===//
//
// The plan is read with LLVM's YAML parser, walking its nodes by hand rather
// than through YAML IO traits: every key and value keeps its position, so each
// error can point at the exact place of the plan file.
//
// Parsing runs in two passes over the same bytes. The first only validates the
// YAML, so that a syntax error is reported as such even when it comes after a
// shape error; the second walks the nodes and checks the plan's shape. Both
// are linear in the size of the plan.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"

#include "rewrite/Imports.h"
#include "rewrite/Pattern.h"
#include "rewrite/Template.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

namespace excise {

char PlanError::ID;

void PlanError::log(llvm::raw_ostream &OS) const {
  // LLVM joins and terminates logged errors itself, so no final newline here.
  OS << llvm::StringRef(Rendered).rtrim('\n');
}

std::error_code PlanError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

namespace {

struct OperationSpelling {
  OperationKind Kind;
  llvm::StringLiteral Name;
};

} // namespace

static const OperationSpelling Operations[] = {
    {OperationKind::RemoveSymbol, "remove-symbol"},
    {OperationKind::RemoveModule, "remove-module"},
    {OperationKind::RemoveCalls, "remove-calls"},
    {OperationKind::DeleteFiles, "delete-files"},
    {OperationKind::MoveFiles, "move-files"},
    {OperationKind::AddFile, "add-file"},
    {OperationKind::ReplaceText, "replace-text"},
    {OperationKind::Rewrite, "rewrite"},
};

llvm::StringRef operationName(OperationKind Kind) {
  for (const OperationSpelling &Op : Operations)
    if (Op.Kind == Kind)
      return Op.Name;
  return "unknown-operation";
}

//===----------------------------------------------------------------------===//
// Rendering located errors
//===----------------------------------------------------------------------===//

/// Returns the text of the 1-based line \p Line of \p Text, without its line
/// break; empty when the text has fewer lines.
static llvm::StringRef lineOf(llvm::StringRef Text, unsigned Line) {
  size_t Start = 0;
  for (unsigned L = 1; L < Line; ++L) {
    size_t NewLine = Text.find('\n', Start);
    if (NewLine == llvm::StringRef::npos)
      return "";
    Start = NewLine + 1;
  }
  llvm::StringRef Rest = Text.substr(Start);
  return Rest.take_until([](char C) { return C == '\n'; }).rtrim('\r');
}

/// Appends \p LineText to \p Shown and the caret line for the byte column
/// \p Column (1-based) to \p Caret. Invalid UTF-8 is shown as U+FFFD and tabs
/// are kept in the caret line, so that the caret stays under the column on a
/// terminal.
static void renderLine(llvm::StringRef LineText, unsigned Column,
                       std::string &Shown, std::string &Caret) {
  const auto *Bytes = reinterpret_cast<const llvm::UTF8 *>(LineText.data());
  size_t I = 0;
  size_t CaretOffset = Column ? Column - 1 : 0;
  while (I < LineText.size()) {
    unsigned Length = 1;
    llvm::StringRef Shown1;
    if (static_cast<unsigned char>(LineText[I]) < 0x80) {
      Shown1 = LineText.substr(I, 1);
    } else {
      Length = llvm::getNumBytesForUTF8(Bytes[I]);
      if (I + Length <= LineText.size() &&
          llvm::isLegalUTF8Sequence(Bytes + I, Bytes + I + Length)) {
        Shown1 = LineText.substr(I, Length);
      } else {
        Length = 1;
        Shown1 = "\xEF\xBF\xBD";
      }
    }
    // A byte order mark is invisible; showing it would shift the caret.
    bool Invisible = Shown1 == "\xEF\xBB\xBF";
    if (!Invisible)
      Shown += Shown1.str();
    if (I < CaretOffset && !Invisible) {
      if (Shown1 == "\t") {
        Caret += '\t';
      } else {
        int Width = llvm::sys::unicode::columnWidthUTF8(Shown1);
        Caret.append(Width < 0 ? 1 : Width, ' ');
      }
    }
    I += Length;
  }
  // A location just past the end of the line (an unterminated string, say).
  if (CaretOffset > LineText.size())
    Caret.append(CaretOffset - LineText.size(), ' ');
  Caret += '^';
}

llvm::Error makePlanError(const Plan &P, PlanLocation Loc, PlanErrorKind Kind,
                          const llvm::Twine &Message) {
  std::string Rendered;
  llvm::raw_string_ostream OS(Rendered);
  OS << P.FilePath;
  if (Loc.Line)
    OS << ':' << Loc.Line << ':' << Loc.Column;
  OS << ": error: " << Message << '\n';
  if (Loc.Line) {
    std::string Shown, Caret;
    renderLine(lineOf(P.Text, Loc.Line), Loc.Column, Shown, Caret);
    OS << Shown << '\n' << Caret << '\n';
  }
  OS.flush();
  return llvm::make_error<PlanError>(Kind, std::move(Rendered));
}

//===----------------------------------------------------------------------===//
// Checks on values
//===----------------------------------------------------------------------===//

bool isPythonKeyword(llvm::StringRef Name) {
  static const llvm::StringLiteral Keywords[] = {
      "False",  "None",   "True",    "and",      "as",       "assert", "async",
      "await",  "break",  "class",   "continue", "def",      "del",    "elif",
      "else",   "except", "finally", "for",      "from",     "global", "if",
      "import", "in",     "is",      "lambda",   "nonlocal", "not",    "or",
      "pass",   "raise",  "return",  "try",      "while",    "with",   "yield"};
  return llvm::is_contained(Keywords, Name);
}

/// True for a Python identifier. Non-ASCII bytes are accepted as identifier
/// characters: Python allows most letters, and a finer check buys nothing.
static bool isPythonIdentifier(llvm::StringRef Name) {
  if (Name.empty() || llvm::isDigit(Name.front()))
    return false;
  for (char C : Name)
    if (!llvm::isAlnum(C) && C != '_' && static_cast<unsigned char>(C) < 0x80)
      return false;
  return !isPythonKeyword(Name);
}

/// True for `a.b.c`; with \p AllowWildcard, a segment may also be `*`.
static bool isDottedName(llvm::StringRef Name, bool AllowWildcard) {
  if (Name.empty())
    return false;
  llvm::SmallVector<llvm::StringRef, 8> Segments;
  Name.split(Segments, '.');
  return llvm::all_of(Segments, [&](llvm::StringRef Segment) {
    return (AllowWildcard && Segment == "*") || isPythonIdentifier(Segment);
  });
}

/// Returns the candidate closest to \p Word when it is close enough to be
/// what was meant, or an empty string.
static llvm::StringRef closestName(llvm::StringRef Word,
                                   llvm::ArrayRef<llvm::StringRef> Candidates) {
  std::string Lower = Word.lower();
  unsigned Limit = Lower.size() <= 3 ? 1 : 2;
  llvm::StringRef Best;
  unsigned BestDistance = Limit + 1;
  for (llvm::StringRef Candidate : Candidates) {
    unsigned Distance = llvm::StringRef(Lower).edit_distance(
        Candidate, /*AllowReplacements=*/true, /*MaxEditDistance=*/Limit);
    if (Distance < BestDistance) {
      Best = Candidate;
      BestDistance = Distance;
    }
  }
  return Best;
}

/// \p Value between single quotes, with line breaks and other control
/// characters escaped so that a message stays on one line.
static std::string quoted(llvm::StringRef Value) {
  std::string Out = "'";
  for (char C : Value) {
    if (C == '\n')
      Out += "\\n";
    else if (C == '\t')
      Out += "\\t";
    else if (static_cast<unsigned char>(C) < 0x20)
      Out += "\\x" + llvm::utohexstr(static_cast<unsigned char>(C), true, 2);
    else
      Out += C;
  }
  return Out + "'";
}

/// `'a', 'b' or 'c'`.
static std::string quotedList(llvm::ArrayRef<llvm::StringRef> Names) {
  std::string Out;
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I)
      Out += I + 1 == Names.size() ? " or " : ", ";
    Out += "'" + Names[I].str() + "'";
  }
  return Out;
}

namespace {

/// A key of a mapping with its value, as met while walking the mapping.
struct Field {
  llvm::StringRef Key;
  PlanLocation KeyLoc;
  llvm::yaml::Node *Value;
};

/// What a path may name besides files below the root.
enum class PathUse {
  File,      ///< Must name something below the root.
  RootOk,    ///< May be the root itself (`.`).
  Directory, ///< May be the root; the root is written `./`.
};

/// Walks the YAML nodes of a plan and fills a Plan, stopping at the first
/// error. Locations are computed through the SourceMgr that owns the buffer.
class PlanParser {
public:
  PlanParser(Plan &P, llvm::SourceMgr &SM) : P(P), SM(SM) {}

  llvm::Error parseStream(llvm::yaml::Stream &Stream);

private:
  Plan &P;
  llvm::SourceMgr &SM;
  /// Where each rule id was first written, for duplicate ids.
  llvm::StringMap<PlanLocation> RuleIds;

  PlanLocation locate(llvm::SMLoc Loc) const {
    auto LineColumn = SM.getLineAndColumn(Loc);
    return {LineColumn.first, LineColumn.second};
  }
  PlanLocation locate(const llvm::yaml::Node *N, PlanLocation Fallback) const;

  llvm::Error fail(PlanLocation Loc, PlanErrorKind Kind,
                   const llvm::Twine &Message) const {
    return makePlanError(P, Loc, Kind, Message);
  }
  llvm::Error wrongType(const llvm::yaml::Node *N, PlanLocation Loc,
                        llvm::StringRef Expected) const;

  llvm::Error
  forEachField(llvm::yaml::MappingNode *M,
               llvm::function_ref<llvm::Error(const Field &)> Handle);
  /// forEachField for a mapping whose keys are the fixed set \p Known: any
  /// other key is refused as unknown in \p Where before \p Handle sees it.
  llvm::Error
  forEachField(llvm::yaml::MappingNode *M,
               llvm::ArrayRef<llvm::StringRef> Known, llvm::StringRef Where,
               llvm::function_ref<llvm::Error(const Field &)> Handle);
  llvm::Error unknownKey(const Field &F, llvm::StringRef Where,
                         llvm::ArrayRef<llvm::StringRef> Known) const;

  llvm::Expected<llvm::yaml::MappingNode *>
  readMapping(llvm::yaml::Node *N, PlanLocation Loc,
              llvm::StringRef Expected) const;
  llvm::Expected<PlanString> readString(llvm::yaml::Node *N, PlanLocation Loc,
                                        llvm::StringRef Expected) const;
  llvm::Expected<PlanString> readString(const Field &F,
                                        llvm::StringRef Expected) const {
    return readString(F.Value, F.KeyLoc, Expected);
  }
  llvm::Expected<bool> readBool(const Field &F) const;
  llvm::Error readStrings(const Field &F, llvm::StringRef Expected,
                          std::vector<PlanString> &Out) const;

  llvm::Error checkNonEmpty(const Field &F,
                            const std::vector<PlanString> &Values,
                            llvm::StringRef What) const;
  llvm::Error checkDottedName(const PlanString &S, bool AllowWildcard) const;
  llvm::Error checkPath(PlanString &S, PathUse Use) const;
  llvm::Error checkRegex(const PlanString &S, llvm::StringRef Pattern) const;

  llvm::Error parseTopLevel(llvm::yaml::Node *Root);
  llvm::Error parseRules(const Field &F);
  llvm::Error parseVerify(const Field &F);
  llvm::Error parseRule(llvm::yaml::Node *N, PlanLocation Loc);
  llvm::Error unknownRuleKey(const Field &F) const;
  llvm::Error parseOperation(Rule &R, const Field &F);
  llvm::Error parseNames(const Field &F, std::vector<PlanString> &Out);
  llvm::Error parseCalls(const Field &F, CallMatcher &Calls);
  llvm::Error parseArgs(const Field &F, std::vector<ArgumentPredicate> &Args);
  llvm::Error parseArgValue(llvm::yaml::Node *N, PlanLocation Loc,
                            ArgumentPredicate &Pred);
  llvm::Error parseMoves(const Field &F, std::vector<FileMove> &Moves);
  llvm::Error parseMove(llvm::yaml::Node *N, PlanLocation Loc,
                        std::vector<FileMove> &Moves);
  llvm::Error parseAddFile(const Field &F, NewFile &Add);
  llvm::Error parseReplace(const Field &F, TextReplacement &Replace);
  llvm::Error parseRewrite(const Field &F, RewriteSpec &Rewrite);
  llvm::Error parseWhere(const Field &F, std::vector<Constraint> &Where,
                         std::vector<PlanString> &Names);
  llvm::Error parseConstraint(const Field &F, llvm::StringRef Metavariable,
                              bool Negated, std::vector<Constraint> &Where);
  llvm::Error checkRewrite(const RewriteSpec &Rewrite,
                           const std::vector<PlanString> &WhereNames,
                           const llvm::yaml::Node *PatternNode,
                           const llvm::yaml::Node *FixNode,
                           const std::vector<const llvm::yaml::Node *> &ImportNodes);
  PlanLocation locateIn(const llvm::yaml::Node *N, const PlanString &S,
                        size_t Offset) const;
};

} // namespace

// The keys each kind of mapping accepts. The parser refuses any other key of
// such a mapping before it reads the value, and planKeys() lists these very
// tables (KeyTables below), so what is accepted and what is listed are one.
static const llvm::StringRef TopLevelKeys[] = {
    "plan", "description", "import-root", "rules", "verify"};
static const llvm::StringRef RuleKeys[] = {"id", "optional", "description"};
static const llvm::StringRef VerifyKeys[] = {"absent", "paths", "count"};
static const llvm::StringRef CallKeys[] = {"callee", "function", "args"};
static const llvm::StringRef MoveKeys[] = {"from", "to"};
static const llvm::StringRef AddFileKeys[] = {"path", "content"};
static const llvm::StringRef ReplaceKeys[] = {"files", "from", "to",
                                              "whole-word"};
static const llvm::StringRef RewriteKeys[] = {"pattern", "fix", "where",
                                              "imports", "files"};
static const llvm::StringRef ConstraintKeys[] = {"regex", "kind", "not"};
static const llvm::StringRef NegatedConstraintKeys[] = {"regex", "kind"};

namespace {
struct KeyTable {
  llvm::StringLiteral Where; ///< The mapping, as planKeys() names it.
  llvm::ArrayRef<llvm::StringRef> Keys;
};
} // namespace

/// Every table above. A rule's keys are RuleKeys and the operations' names.
static const KeyTable KeyTables[] = {
    {"top level", TopLevelKeys},
    {"rule", RuleKeys},
    {"remove-calls", CallKeys},
    {"move-files", MoveKeys},
    {"add-file", AddFileKeys},
    {"replace-text", ReplaceKeys},
    {"rewrite", RewriteKeys},
    {"where", ConstraintKeys},
    {"not", NegatedConstraintKeys},
    {"verify", VerifyKeys},
};

std::vector<PlanKey> planKeys() {
  std::vector<PlanKey> Keys;
  for (const KeyTable &Table : KeyTables) {
    for (llvm::StringRef Key : Table.Keys)
      Keys.push_back({Key, Table.Where});
    if (Table.Where == "rule")
      for (const OperationSpelling &Op : Operations)
        Keys.push_back({Op.Name, Table.Where});
  }
  return Keys;
}

static std::vector<llvm::StringRef> operationNames() {
  std::vector<llvm::StringRef> Names;
  for (const OperationSpelling &Op : Operations)
    Names.push_back(Op.Name);
  return Names;
}

static std::optional<OperationKind> operationKind(llvm::StringRef Name) {
  for (const OperationSpelling &Op : Operations)
    if (Op.Name == Name)
      return Op.Kind;
  return std::nullopt;
}

/// How a node is named in "expected X, found Y" messages.
static llvm::StringRef describeNode(const llvm::yaml::Node *N) {
  switch (N->getType()) {
  case llvm::yaml::Node::NK_Mapping:
    return "a mapping";
  case llvm::yaml::Node::NK_Sequence:
    return "a list";
  case llvm::yaml::Node::NK_Null:
    return "nothing";
  case llvm::yaml::Node::NK_Alias:
    return "an alias";
  case llvm::yaml::Node::NK_BlockScalar:
    return "a block of text";
  default:
    return "a string";
  }
}

PlanLocation PlanParser::locate(const llvm::yaml::Node *N,
                                PlanLocation Fallback) const {
  if (!N)
    return Fallback;
  // The parser places empty values and aliases at the next token, which may
  // be lines below; the key they belong to is the better place.
  if (llvm::isa<llvm::yaml::NullNode>(N) || llvm::isa<llvm::yaml::AliasNode>(N))
    return Fallback;
  const char *Start = N->getSourceRange().Start.getPointer();
  if (!Start)
    return Fallback;
  // Block scalars start at the beginning of their first line; point at text.
  if (llvm::isa<llvm::yaml::BlockScalarNode>(N)) {
    const char *End = P.Text.data() + P.Text.size();
    while (Start < End && *Start == ' ')
      ++Start;
  }
  // Flow collections start at their first entry; point at the bracket, which
  // is also the only place an empty `[]` or `{}` has.
  if (llvm::isa<llvm::yaml::MappingNode>(N) ||
      llvm::isa<llvm::yaml::SequenceNode>(N)) {
    const char *Back = Start;
    while (Back > P.Text.data() &&
           llvm::StringRef(" \t\r\n").contains(Back[-1]))
      --Back;
    if (Back > P.Text.data() && (Back[-1] == '[' || Back[-1] == '{'))
      Start = Back - 1;
  }
  return locate(llvm::SMLoc::getFromPointer(Start));
}

llvm::Error PlanParser::wrongType(const llvm::yaml::Node *N, PlanLocation Loc,
                                  llvm::StringRef Expected) const {
  if (N && llvm::isa<llvm::yaml::AliasNode>(N))
    return fail(Loc, PlanErrorKind::InvalidValue,
                "aliases are not supported in plans; write the value out");
  return fail(locate(N, Loc), PlanErrorKind::WrongType,
              "expected " + Expected + ", found " +
                  (N ? describeNode(N) : llvm::StringRef("nothing")));
}

llvm::Error PlanParser::forEachField(
    llvm::yaml::MappingNode *M,
    llvm::function_ref<llvm::Error(const Field &)> Handle) {
  PlanLocation MappingLoc = locate(M, {1, 1});
  llvm::StringMap<PlanLocation> Seen;
  for (llvm::yaml::KeyValueNode &KV : *M) {
    llvm::yaml::Node *KeyNode = KV.getKey();
    auto *Key = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KeyNode);
    if (!Key)
      return wrongType(KeyNode, MappingLoc, "a key name");
    llvm::SmallString<32> Storage;
    Field F;
    F.Key = Key->getValue(Storage);
    F.KeyLoc = locate(Key, MappingLoc);
    auto Inserted = Seen.try_emplace(F.Key, F.KeyLoc);
    if (!Inserted.second)
      return fail(F.KeyLoc, PlanErrorKind::Syntax,
                  "duplicate key " + quoted(F.Key) +
                      "; it is already set at line " +
                      llvm::Twine(Inserted.first->second.Line));
    // Storage dies with this iteration; keys stay valid through the map.
    F.Key = Inserted.first->first();
    F.Value = KV.getValue();
    if (llvm::Error E = Handle(F))
      return E;
  }
  return llvm::Error::success();
}

llvm::Error PlanParser::forEachField(
    llvm::yaml::MappingNode *M, llvm::ArrayRef<llvm::StringRef> Known,
    llvm::StringRef Where,
    llvm::function_ref<llvm::Error(const Field &)> Handle) {
  return forEachField(M, [&](const Field &F) -> llvm::Error {
    if (!llvm::is_contained(Known, F.Key))
      return unknownKey(F, Where, Known);
    return Handle(F);
  });
}

llvm::Error
PlanParser::unknownKey(const Field &F, llvm::StringRef Where,
                       llvm::ArrayRef<llvm::StringRef> Known) const {
  std::string Message = ("unknown key " + quoted(F.Key) + " in " + Where).str();
  llvm::StringRef Suggestion = closestName(F.Key, Known);
  if (!Suggestion.empty())
    Message += "; did you mean '" + Suggestion.str() + "'?";
  else
    Message += "; expected " + quotedList(Known);
  return fail(F.KeyLoc, PlanErrorKind::UnknownKey, Message);
}

llvm::Expected<llvm::yaml::MappingNode *>
PlanParser::readMapping(llvm::yaml::Node *N, PlanLocation Loc,
                        llvm::StringRef Expected) const {
  if (auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N))
    return M;
  return wrongType(N, Loc, Expected);
}

llvm::Expected<PlanString>
PlanParser::readString(llvm::yaml::Node *N, PlanLocation Loc,
                       llvm::StringRef Expected) const {
  PlanString S;
  S.Loc = locate(N, Loc);
  if (auto *Scalar = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Storage;
    S.Value = Scalar->getValue(Storage).str();
    return S;
  }
  if (auto *Block = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N)) {
    S.Value = Block->getValue().str();
    return S;
  }
  return wrongType(N, Loc, Expected);
}

llvm::Expected<bool> PlanParser::readBool(const Field &F) const {
  auto *Scalar = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(F.Value);
  if (Scalar) {
    llvm::SmallString<8> Storage;
    std::string Value = Scalar->getValue(Storage).lower();
    if (Value == "true" || Value == "yes")
      return true;
    if (Value == "false" || Value == "no")
      return false;
  }
  return wrongType(F.Value, F.KeyLoc, "true or false");
}

/// Reads a string or a list of strings; nothing is an empty list.
llvm::Error PlanParser::readStrings(const Field &F, llvm::StringRef Expected,
                                    std::vector<PlanString> &Out) const {
  if (!F.Value || llvm::isa<llvm::yaml::NullNode>(F.Value))
    return llvm::Error::success();
  if (auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(F.Value)) {
    PlanLocation SeqLoc = locate(Seq, F.KeyLoc);
    for (llvm::yaml::Node &Item : *Seq) {
      auto S = readString(&Item, SeqLoc, Expected);
      if (!S)
        return S.takeError();
      Out.push_back(std::move(*S));
    }
    return llvm::Error::success();
  }
  auto S =
      readString(F.Value, F.KeyLoc, (Expected + " or a list of them").str());
  if (!S)
    return S.takeError();
  Out.push_back(std::move(*S));
  return llvm::Error::success();
}

llvm::Error PlanParser::checkNonEmpty(const Field &F,
                                      const std::vector<PlanString> &Values,
                                      llvm::StringRef What) const {
  if (!Values.empty())
    return llvm::Error::success();
  return fail(locate(F.Value, F.KeyLoc), PlanErrorKind::InvalidValue,
              "'" + F.Key + "' is empty; expected at least one " + What);
}

llvm::Error PlanParser::checkDottedName(const PlanString &S,
                                        bool AllowWildcard) const {
  if (isDottedName(S.Value, AllowWildcard))
    return llvm::Error::success();
  return fail(S.Loc, PlanErrorKind::InvalidValue,
              quoted(S.Value) + " is not a dotted Python name" +
                  (AllowWildcard ? " (with '*' for any one segment)" : ""));
}

llvm::Error PlanParser::checkPath(PlanString &S, PathUse Use) const {
  namespace path = llvm::sys::path;
  if (S.Value.empty())
    return fail(S.Loc, PlanErrorKind::InvalidValue, "empty path");
  if (path::is_absolute(S.Value, path::Style::posix) ||
      path::is_absolute(S.Value, path::Style::windows))
    return fail(S.Loc, PlanErrorKind::PathOutsideRoot,
                "path " + quoted(S.Value) +
                    " is absolute; paths are relative to the root");
  llvm::SmallString<128> Normal(S.Value);
  path::remove_dots(Normal, /*remove_dot_dot=*/true, path::Style::posix);
  if (*path::begin(Normal, path::Style::posix) == "..")
    return fail(S.Loc, PlanErrorKind::PathOutsideRoot,
                "path " + quoted(S.Value) + " leaves the root");
  bool TrailingSlash = S.Value.back() == '/';
  if (Normal.empty()) {
    if (Use == PathUse::File)
      return fail(S.Loc, PlanErrorKind::InvalidValue,
                  "path " + quoted(S.Value) +
                      " names the root itself; expected a path below it");
    S.Value = Use == PathUse::Directory || TrailingSlash ? "./" : ".";
    return llvm::Error::success();
  }
  if (TrailingSlash)
    Normal += '/';
  S.Value = Normal.str().str();
  return llvm::Error::success();
}

llvm::Error PlanParser::checkRegex(const PlanString &S,
                                   llvm::StringRef Pattern) const {
  std::string Problem;
  if (llvm::Regex(Pattern).isValid(Problem))
    return llvm::Error::success();
  return fail(S.Loc, PlanErrorKind::InvalidValue,
              "invalid regular expression " + quoted(Pattern) + ": " + Problem);
}

//===----------------------------------------------------------------------===//
// The plan's shape
//===----------------------------------------------------------------------===//

llvm::Error PlanParser::parseStream(llvm::yaml::Stream &Stream) {
  auto Doc = Stream.begin();
  if (Doc == Stream.end())
    return fail({1, 1}, PlanErrorKind::MissingKey,
                "empty plan; expected a mapping with 'plan' and 'rules'");
  if (llvm::Error E = parseTopLevel(Doc->getRoot()))
    return E;
  if (++Doc != Stream.end())
    return fail(locate(Doc->getRoot(), {1, 1}), PlanErrorKind::Syntax,
                "a plan file holds a single YAML document");
  return llvm::Error::success();
}

llvm::Error PlanParser::parseTopLevel(llvm::yaml::Node *Root) {
  if (!Root || llvm::isa<llvm::yaml::NullNode>(Root))
    return fail({1, 1}, PlanErrorKind::MissingKey,
                "empty plan; expected a mapping with 'plan' and 'rules'");
  auto M =
      readMapping(Root, {1, 1}, "a plan, a mapping with 'plan' and 'rules'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, {1, 1});
  bool HasName = false, HasRules = false;
  if (llvm::Error E = forEachField(*M, TopLevelKeys, "the plan",
                                   [&](const Field &F) -> llvm::Error {
        if (F.Key == "plan") {
          auto S = readString(F, "a plan name");
          if (!S)
            return S.takeError();
          if (S->Value.empty())
            return fail(S->Loc, PlanErrorKind::InvalidValue,
                        "the plan name is empty");
          P.Name = S->Value;
          HasName = true;
          return llvm::Error::success();
        }
        if (F.Key == "description") {
          auto S = readString(F, "a description");
          if (!S)
            return S.takeError();
          P.Description = S->Value;
          return llvm::Error::success();
        }
        if (F.Key == "import-root") {
          auto S = readString(F, "a path");
          if (!S)
            return S.takeError();
          if (llvm::Error E = checkPath(*S, PathUse::RootOk))
            return E;
          P.ImportRoot = std::move(*S);
          return llvm::Error::success();
        }
        if (F.Key == "rules") {
          HasRules = true;
          return parseRules(F);
        }
        if (F.Key == "verify")
          return parseVerify(F);
        return unknownKey(F, "the plan", TopLevelKeys);
      }))
    return E;
  if (!HasName)
    return fail(Start, PlanErrorKind::MissingKey,
                "the plan has no 'plan' key naming it");
  if (!HasRules)
    return fail(Start, PlanErrorKind::MissingKey, "the plan has no 'rules'");
  return llvm::Error::success();
}

llvm::Error PlanParser::parseRules(const Field &F) {
  if (!F.Value || llvm::isa<llvm::yaml::NullNode>(F.Value))
    return fail(F.KeyLoc, PlanErrorKind::InvalidValue,
                "'rules' is empty; a plan needs at least one rule");
  auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(F.Value);
  if (!Seq)
    return wrongType(F.Value, F.KeyLoc, "a list of rules");
  PlanLocation SeqLoc = locate(Seq, F.KeyLoc);
  for (llvm::yaml::Node &Item : *Seq)
    if (llvm::Error E = parseRule(&Item, SeqLoc))
      return E;
  if (P.Rules.empty())
    return fail(SeqLoc, PlanErrorKind::InvalidValue,
                "'rules' is empty; a plan needs at least one rule");
  return llvm::Error::success();
}

llvm::Error PlanParser::parseVerify(const Field &F) {
  if (!F.Value || llvm::isa<llvm::yaml::NullNode>(F.Value))
    return llvm::Error::success();
  auto M =
      readMapping(F.Value, F.KeyLoc, "a mapping with 'absent' and 'paths'");
  if (!M)
    return M.takeError();
  return forEachField(*M, VerifyKeys, "'verify'",
                      [&](const Field &Entry) -> llvm::Error {
    if (Entry.Key == "absent") {
      if (llvm::Error E = readStrings(Entry, "a name", P.Verify.Absent))
        return E;
      for (const PlanString &S : P.Verify.Absent)
        if (S.Value.empty())
          return fail(S.Loc, PlanErrorKind::InvalidValue,
                      "empty name in 'absent'");
      return llvm::Error::success();
    }
    if (Entry.Key == "paths") {
      if (llvm::Error E = readStrings(Entry, "a path", P.Verify.Paths))
        return E;
      for (PlanString &S : P.Verify.Paths)
        if (llvm::Error E = checkPath(S, PathUse::RootOk))
          return E;
      return llvm::Error::success();
    }
    if (Entry.Key == "count") {
      std::vector<PlanString> Kinds;
      if (llvm::Error E = readStrings(Entry, "code, strings or comments", Kinds))
        return E;
      P.Verify.CountCode = P.Verify.CountStrings = P.Verify.CountComments = false;
      for (const PlanString &K : Kinds) {
        if (K.Value == "code")
          P.Verify.CountCode = true;
        else if (K.Value == "strings")
          P.Verify.CountStrings = true;
        else if (K.Value == "comments")
          P.Verify.CountComments = true;
        else
          return fail(K.Loc, PlanErrorKind::InvalidValue,
                      "'" + K.Value + "' is not one of code, strings, comments");
      }
      return llvm::Error::success();
    }
    return unknownKey(Entry, "'verify'", VerifyKeys);
  });
}

llvm::Error PlanParser::parseRule(llvm::yaml::Node *N, PlanLocation Loc) {
  auto M = readMapping(N, Loc, "a rule, a mapping with 'id' and one operation");
  if (!M)
    return M.takeError();
  Rule R;
  R.Loc = locate(*M, Loc);
  bool HasId = false, HasOperation = false;
  if (llvm::Error E = forEachField(*M, [&](const Field &F) -> llvm::Error {
        if (!llvm::is_contained(RuleKeys, F.Key) && !operationKind(F.Key))
          return unknownRuleKey(F);
        if (F.Key == "id") {
          auto S = readString(F, "a rule id");
          if (!S)
            return S.takeError();
          if (S->Value.empty())
            return fail(S->Loc, PlanErrorKind::InvalidValue,
                        "the rule id is empty");
          auto Inserted = RuleIds.try_emplace(S->Value, S->Loc);
          if (!Inserted.second)
            return fail(S->Loc, PlanErrorKind::DuplicateRuleId,
                        "duplicate rule id " + quoted(S->Value) +
                            "; it is first used at line " +
                            llvm::Twine(Inserted.first->second.Line));
          R.Id = S->Value;
          HasId = true;
          return llvm::Error::success();
        }
        if (F.Key == "optional") {
          auto B = readBool(F);
          if (!B)
            return B.takeError();
          R.Optional = *B;
          return llvm::Error::success();
        }
        if (F.Key == "description") {
          auto S = readString(F, "a description");
          return S ? llvm::Error::success() : S.takeError();
        }
        if (std::optional<OperationKind> Kind = operationKind(F.Key)) {
          if (HasOperation)
            return fail(F.KeyLoc, PlanErrorKind::InvalidValue,
                        "a rule has one operation, but '" + F.Key +
                            "' follows '" + operationName(R.Kind) + "' (line " +
                            llvm::Twine(R.OperationLoc.Line) +
                            "); write a rule for each");
          HasOperation = true;
          R.Kind = *Kind;
          R.OperationLoc = F.KeyLoc;
          return parseOperation(R, F);
        }
        return unknownRuleKey(F);
      }))
    return E;
  if (!HasId)
    return fail(R.Loc, PlanErrorKind::MissingKey, "the rule has no 'id'");
  if (!HasOperation)
    return fail(R.Loc, PlanErrorKind::MissingKey,
                "rule '" + R.Id + "' has no operation; expected one of " +
                    quotedList(operationNames()));
  P.Rules.push_back(std::move(R));
  return llvm::Error::success();
}

llvm::Error PlanParser::unknownRuleKey(const Field &F) const {
  // A misspelt `id` or `description` is an unknown key; anything else in a
  // rule is most likely an operation.
  llvm::StringRef Key = closestName(F.Key, RuleKeys);
  if (!Key.empty())
    return unknownKey(F, "a rule", RuleKeys);
  std::vector<llvm::StringRef> Names = operationNames();
  std::string Message = "unknown operation " + quoted(F.Key);
  llvm::StringRef Suggestion = closestName(F.Key, Names);
  if (!Suggestion.empty())
    Message += "; did you mean '" + Suggestion.str() + "'?";
  else
    Message += "; expected one of " + quotedList(Names);
  return fail(F.KeyLoc, PlanErrorKind::UnknownOperation, Message);
}

llvm::Error PlanParser::parseOperation(Rule &R, const Field &F) {
  switch (R.Kind) {
  case OperationKind::RemoveSymbol:
    return parseNames(F, R.Symbols);
  case OperationKind::RemoveModule:
    return parseNames(F, R.Modules);
  case OperationKind::RemoveCalls:
    return parseCalls(F, R.Calls);
  case OperationKind::DeleteFiles: {
    if (llvm::Error E = readStrings(F, "a path", R.Paths))
      return E;
    if (llvm::Error E = checkNonEmpty(F, R.Paths, "path"))
      return E;
    for (PlanString &S : R.Paths)
      if (llvm::Error E = checkPath(S, PathUse::File))
        return E;
    return llvm::Error::success();
  }
  case OperationKind::MoveFiles:
    return parseMoves(F, R.Moves);
  case OperationKind::AddFile:
    return parseAddFile(F, R.Add);
  case OperationKind::ReplaceText:
    return parseReplace(F, R.Replace);
  case OperationKind::Rewrite:
    return parseRewrite(F, R.Rewrite);
  }
  return llvm::Error::success();
}

llvm::Error PlanParser::parseNames(const Field &F,
                                   std::vector<PlanString> &Out) {
  if (llvm::Error E = readStrings(F, "a dotted name", Out))
    return E;
  if (llvm::Error E = checkNonEmpty(F, Out, "name"))
    return E;
  for (const PlanString &S : Out)
    if (llvm::Error E = checkDottedName(S, /*AllowWildcard=*/false))
      return E;
  return llvm::Error::success();
}

llvm::Error PlanParser::parseCalls(const Field &F, CallMatcher &Calls) {
  auto M =
      readMapping(F.Value, F.KeyLoc, "a mapping with 'callee' or 'function'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, F.KeyLoc);
  std::optional<Field> Target;
  if (llvm::Error E = forEachField(*M, CallKeys, "'remove-calls'",
                                   [&](const Field &Entry) -> llvm::Error {
        if (Entry.Key == "callee" || Entry.Key == "function") {
          if (Target)
            return fail(Entry.KeyLoc, PlanErrorKind::InvalidValue,
                        "'remove-calls' takes 'callee' or 'function', not "
                        "both");
          Target = Entry;
          bool IsCallee = Entry.Key == "callee";
          auto S = readString(Entry, "a dotted name");
          if (!S)
            return S.takeError();
          if (llvm::Error E = checkDottedName(*S, IsCallee))
            return E;
          (IsCallee ? Calls.Callee : Calls.Function) = std::move(*S);
          return llvm::Error::success();
        }
        if (Entry.Key == "args")
          return parseArgs(Entry, Calls.Args);
        return unknownKey(Entry, "'remove-calls'", CallKeys);
      }))
    return E;
  if (!Target)
    return fail(Start, PlanErrorKind::MissingKey,
                "'remove-calls' needs 'callee' or 'function'");
  return llvm::Error::success();
}

llvm::Error PlanParser::parseArgs(const Field &F,
                                  std::vector<ArgumentPredicate> &Args) {
  if (!F.Value || llvm::isa<llvm::yaml::NullNode>(F.Value))
    return llvm::Error::success();
  auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(F.Value);
  if (!Seq)
    return wrongType(F.Value, F.KeyLoc, "a list of argument values");
  PlanLocation SeqLoc = locate(Seq, F.KeyLoc);
  unsigned Index = 0;
  bool SeenKeyword = false;
  for (llvm::yaml::Node &Item : *Seq) {
    unsigned Position = Index++;
    PlanLocation ItemLoc = locate(&Item, SeqLoc);
    auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(&Item);
    if (!M) {
      if (SeenKeyword)
        return fail(ItemLoc, PlanErrorKind::InvalidValue,
                    "a positional argument cannot follow a keyword argument");
      ArgumentPredicate Pred;
      Pred.Position = Position;
      if (llvm::Error E = parseArgValue(&Item, SeqLoc, Pred))
        return E;
      // "*" stands for any value: the position is only counted.
      if (!Pred.IsRegex && Pred.Value == "*")
        continue;
      Args.push_back(std::move(Pred));
      continue;
    }
    SeenKeyword = true;
    unsigned Keys = 0;
    if (llvm::Error E = forEachField(M, [&](const Field &Entry) -> llvm::Error {
          if (++Keys > 1)
            return fail(Entry.KeyLoc, PlanErrorKind::InvalidValue,
                        "a keyword argument is written {keyword: value}, "
                        "with one key");
          if (!isPythonIdentifier(Entry.Key))
            return fail(Entry.KeyLoc, PlanErrorKind::InvalidValue,
                        quoted(Entry.Key) + " is not a Python keyword name");
          ArgumentPredicate Pred;
          Pred.Keyword = Entry.Key.str();
          if (llvm::Error E = parseArgValue(Entry.Value, Entry.KeyLoc, Pred))
            return E;
          // The keyword must be passed, with any value.
          if (!Pred.IsRegex && Pred.Value == "*") {
            Pred.IsRegex = true;
            Pred.Value = ".*";
          }
          Args.push_back(std::move(Pred));
          return llvm::Error::success();
        }))
      return E;
    if (Keys == 0)
      return fail(ItemLoc, PlanErrorKind::InvalidValue,
                  "a keyword argument is written {keyword: value}, with one "
                  "key");
  }
  return llvm::Error::success();
}

llvm::Error PlanParser::parseArgValue(llvm::yaml::Node *N, PlanLocation Loc,
                                      ArgumentPredicate &Pred) {
  auto S = readString(N, Loc, "an argument value");
  if (!S)
    return S.takeError();
  Pred.Loc = S->Loc;
  llvm::StringRef Value = S->Value;
  if (Value.consume_front("re:")) {
    if (llvm::Error E = checkRegex(*S, Value))
      return E;
    Pred.IsRegex = true;
  }
  Pred.Value = Value.str();
  return llvm::Error::success();
}

llvm::Error PlanParser::parseMoves(const Field &F,
                                   std::vector<FileMove> &Moves) {
  if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(F.Value)) {
    PlanLocation SeqLoc = locate(Seq, F.KeyLoc);
    for (llvm::yaml::Node &Item : *Seq)
      if (llvm::Error E = parseMove(&Item, SeqLoc, Moves))
        return E;
    if (Moves.empty())
      return fail(SeqLoc, PlanErrorKind::InvalidValue,
                  "'move-files' is empty; expected at least one {from, to}");
    return llvm::Error::success();
  }
  return parseMove(F.Value, F.KeyLoc, Moves);
}

llvm::Error PlanParser::parseMove(llvm::yaml::Node *N, PlanLocation Loc,
                                  std::vector<FileMove> &Moves) {
  auto M = readMapping(N, Loc, "a mapping with 'from' and 'to'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, Loc);
  FileMove Move;
  bool HasFrom = false, HasTo = false;
  if (llvm::Error E = forEachField(*M, MoveKeys, "a move",
                                   [&](const Field &Entry) -> llvm::Error {
        bool IsFrom = Entry.Key == "from";
        if (!IsFrom && Entry.Key != "to")
          return unknownKey(Entry, "a move", MoveKeys);
        auto S = readString(Entry, "a path");
        if (!S)
          return S.takeError();
        if (llvm::Error E =
                checkPath(*S, IsFrom ? PathUse::File : PathUse::Directory))
          return E;
        (IsFrom ? HasFrom : HasTo) = true;
        (IsFrom ? Move.From : Move.To) = std::move(*S);
        return llvm::Error::success();
      }))
    return E;
  if (!HasFrom || !HasTo)
    return fail(Start, PlanErrorKind::MissingKey,
                llvm::Twine("the move has no '") + (HasFrom ? "to" : "from") +
                    "'");
  Moves.push_back(std::move(Move));
  return llvm::Error::success();
}

llvm::Error PlanParser::parseAddFile(const Field &F, NewFile &Add) {
  auto M =
      readMapping(F.Value, F.KeyLoc, "a mapping with 'path' and 'content'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, F.KeyLoc);
  bool HasPath = false, HasContent = false;
  if (llvm::Error E = forEachField(*M, AddFileKeys, "'add-file'",
                                   [&](const Field &Entry) -> llvm::Error {
        if (Entry.Key == "path") {
          auto S = readString(Entry, "a path");
          if (!S)
            return S.takeError();
          if (llvm::StringRef(S->Value).endswith("/"))
            return fail(S->Loc, PlanErrorKind::InvalidValue,
                        "'add-file' needs a file path, not a directory");
          if (llvm::Error E = checkPath(*S, PathUse::File))
            return E;
          Add.Path = std::move(*S);
          HasPath = true;
          return llvm::Error::success();
        }
        if (Entry.Key == "content") {
          auto S = readString(Entry, "the file's text");
          if (!S)
            return S.takeError();
          Add.Content = std::move(S->Value);
          HasContent = true;
          return llvm::Error::success();
        }
        return unknownKey(Entry, "'add-file'", AddFileKeys);
      }))
    return E;
  if (!HasPath || !HasContent)
    return fail(Start, PlanErrorKind::MissingKey,
                llvm::Twine("'add-file' has no '") +
                    (HasPath ? "content" : "path") + "'");
  return llvm::Error::success();
}

llvm::Error PlanParser::parseReplace(const Field &F, TextReplacement &Replace) {
  auto M =
      readMapping(F.Value, F.KeyLoc, "a mapping with 'files', 'from' and 'to'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, F.KeyLoc);
  bool HasFiles = false, HasFrom = false, HasTo = false;
  if (llvm::Error E = forEachField(*M, ReplaceKeys, "'replace-text'",
                                   [&](const Field &Entry) -> llvm::Error {
        if (Entry.Key == "files") {
          HasFiles = true;
          if (llvm::Error E = readStrings(Entry, "a glob", Replace.Files))
            return E;
          if (llvm::Error E = checkNonEmpty(Entry, Replace.Files, "glob"))
            return E;
          for (PlanString &S : Replace.Files)
            if (llvm::Error E = checkPath(S, PathUse::RootOk))
              return E;
          return llvm::Error::success();
        }
        if (Entry.Key == "from") {
          auto S = readString(Entry, "the text to replace");
          if (!S)
            return S.takeError();
          llvm::StringRef Pattern = S->Value;
          bool IsRegex = Pattern.consume_front("re:");
          if (Pattern.empty())
            return fail(S->Loc, PlanErrorKind::InvalidValue,
                        "'from' is empty; expected the text to replace");
          if (IsRegex)
            if (llvm::Error E = checkRegex(*S, Pattern))
              return E;
          Replace.From = std::move(*S);
          HasFrom = true;
          return llvm::Error::success();
        }
        if (Entry.Key == "to") {
          auto S = readString(Entry, "the replacement text ('' for none)");
          if (!S)
            return S.takeError();
          Replace.To = std::move(S->Value);
          HasTo = true;
          return llvm::Error::success();
        }
        if (Entry.Key == "whole-word") {
          auto B = readBool(Entry);
          if (!B)
            return B.takeError();
          Replace.WholeWord = *B;
          return llvm::Error::success();
        }
        return unknownKey(Entry, "'replace-text'", ReplaceKeys);
      }))
    return E;
  llvm::StringRef Missing = !HasFiles ? "files" : !HasFrom ? "from" : "to";
  if (!HasFiles || !HasFrom || !HasTo)
    return fail(Start, PlanErrorKind::MissingKey,
                "'replace-text' has no '" + Missing + "'");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Rewrites
//===----------------------------------------------------------------------===//

llvm::Error PlanParser::parseRewrite(const Field &F, RewriteSpec &Rewrite) {
  auto M = readMapping(F.Value, F.KeyLoc, "a mapping with 'pattern' and 'fix'");
  if (!M)
    return M.takeError();
  PlanLocation Start = locate(*M, F.KeyLoc);
  const llvm::yaml::Node *PatternNode = nullptr, *FixNode = nullptr;
  std::vector<const llvm::yaml::Node *> ImportNodes;
  std::vector<PlanString> WhereNames;
  bool HasPattern = false, HasFix = false;
  if (llvm::Error E = forEachField(*M, RewriteKeys, "'rewrite'",
                                   [&](const Field &Entry) -> llvm::Error {
        if (Entry.Key == "pattern" || Entry.Key == "fix") {
          bool IsPattern = Entry.Key == "pattern";
          auto S = readString(Entry, IsPattern ? "Python code to match"
                                               : "Python code ('' to delete)");
          if (!S)
            return S.takeError();
          (IsPattern ? PatternNode : FixNode) = Entry.Value;
          (IsPattern ? HasPattern : HasFix) = true;
          (IsPattern ? Rewrite.Pattern : Rewrite.Fix) = std::move(*S);
          return llvm::Error::success();
        }
        if (Entry.Key == "where")
          return parseWhere(Entry, Rewrite.Where, WhereNames);
        if (Entry.Key == "imports") {
          // Like readStrings, keeping each node to locate errors inside it;
          // YAML collections can be walked only once.
          if (!Entry.Value || llvm::isa<llvm::yaml::NullNode>(Entry.Value))
            return llvm::Error::success();
          auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(Entry.Value);
          if (!Seq) {
            auto S = readString(Entry, "an import statement or a list of them");
            if (!S)
              return S.takeError();
            Rewrite.Imports.push_back(std::move(*S));
            ImportNodes.push_back(Entry.Value);
            return llvm::Error::success();
          }
          PlanLocation SeqLoc = locate(Seq, Entry.KeyLoc);
          for (llvm::yaml::Node &Item : *Seq) {
            auto S = readString(&Item, SeqLoc, "an import statement");
            if (!S)
              return S.takeError();
            Rewrite.Imports.push_back(std::move(*S));
            ImportNodes.push_back(&Item);
          }
          return llvm::Error::success();
        }
        if (Entry.Key == "files") {
          if (llvm::Error E = readStrings(Entry, "a glob", Rewrite.Files))
            return E;
          for (PlanString &S : Rewrite.Files)
            if (llvm::Error E = checkPath(S, PathUse::RootOk))
              return E;
          return llvm::Error::success();
        }
        return unknownKey(Entry, "'rewrite'", RewriteKeys);
      }))
    return E;
  if (!HasPattern)
    return fail(Start, PlanErrorKind::MissingKey, "'rewrite' has no 'pattern'");
  if (!HasFix)
    return fail(Start, PlanErrorKind::MissingKey,
                "'rewrite' has no 'fix'; write fix: '' to delete what the "
                "pattern matches");
  return checkRewrite(Rewrite, WhereNames, PatternNode, FixNode, ImportNodes);
}

llvm::Error PlanParser::parseWhere(const Field &F,
                                   std::vector<Constraint> &Where,
                                   std::vector<PlanString> &Names) {
  if (!F.Value || llvm::isa<llvm::yaml::NullNode>(F.Value))
    return llvm::Error::success();
  auto M = readMapping(F.Value, F.KeyLoc,
                       "a mapping from metavariables to constraints");
  if (!M)
    return M.takeError();
  return forEachField(*M, [&](const Field &Entry) -> llvm::Error {
    // `$REPO` and `REPO` name the same metavariable.
    llvm::StringRef Name = Entry.Key;
    if (!Name.consume_front("$$$"))
      Name.consume_front("$");
    Names.push_back({Name.str(), Entry.KeyLoc});
    auto Tests = readMapping(Entry.Value, Entry.KeyLoc,
                             "a mapping with 'regex', 'kind' or 'not'");
    if (!Tests)
      return Tests.takeError();
    size_t Before = Where.size();
    if (llvm::Error E =
            forEachField(*Tests, ConstraintKeys, "a constraint",
                         [&](const Field &Test) -> llvm::Error {
              if (Test.Key != "not")
                return parseConstraint(Test, Name, /*Negated=*/false, Where);
              auto Negated = readMapping(Test.Value, Test.KeyLoc,
                                         "a mapping with 'regex' or 'kind'");
              if (!Negated)
                return Negated.takeError();
              return forEachField(*Negated, NegatedConstraintKeys, "'not'",
                                  [&](const Field &Inner) {
                return parseConstraint(Inner, Name, /*Negated=*/true, Where);
              });
            }))
      return E;
    if (Where.size() == Before)
      return fail(Entry.KeyLoc, PlanErrorKind::MissingKey,
                  "the constraint on $" + Name +
                      " is empty; expected 'regex', 'kind' or 'not'");
    return llvm::Error::success();
  });
}

llvm::Error PlanParser::parseConstraint(const Field &F,
                                        llvm::StringRef Metavariable,
                                        bool Negated,
                                        std::vector<Constraint> &Where) {
  bool IsRegex = F.Key == "regex", IsKind = F.Key == "kind";
  if (!IsRegex && !IsKind)
    return Negated ? unknownKey(F, "'not'", NegatedConstraintKeys)
                   : unknownKey(F, "a constraint", ConstraintKeys);
  auto S = readString(F, IsRegex ? "a regular expression" : "a node kind");
  if (!S)
    return S.takeError();
  if (IsRegex) {
    if (llvm::Error E = checkRegex(*S, S->Value))
      return E;
  } else if (!isNodeKind(S->Value)) {
    std::string Message =
        quoted(S->Value) + " is not a node kind of tree-sitter-python";
    std::vector<llvm::StringRef> Kinds = nodeKinds();
    llvm::StringRef Suggestion = closestName(S->Value, Kinds);
    if (!Suggestion.empty())
      Message += "; did you mean '" + Suggestion.str() + "'?";
    return fail(S->Loc, PlanErrorKind::InvalidValue, Message);
  }
  Constraint C;
  C.Metavariable = Metavariable.str();
  C.What = IsRegex ? Constraint::Test::Regex : Constraint::Test::Kind;
  C.Value = S->Value;
  C.Negated = Negated;
  C.Loc = S->Loc;
  Where.push_back(std::move(C));
  return llvm::Error::success();
}

PlanLocation PlanParser::locateIn(const llvm::yaml::Node *N,
                                  const PlanString &S, size_t Offset) const {
  llvm::StringRef Value = S.Value;
  Offset = std::min(Offset, Value.size());
  size_t LineStart = Value.rfind('\n', Offset);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  unsigned Line = Value.take_front(Offset).count('\n');
  unsigned Column = Offset - LineStart;
  if (auto *Block = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N)) {
    // A literal block keeps its lines: line k of the value is line k of the
    // block, behind the block's indentation. A folded one does not.
    const char *Start = Block->getSourceRange().Start.getPointer();
    llvm::StringRef Before(P.Text.data(), Start - P.Text.data());
    llvm::StringRef Header = Before.rtrim("\r\n");
    Header = Header.substr(Header.rfind('\n') + 1);
    if (Header.rsplit(':').second.ltrim().startswith(">"))
      return S.Loc;
    llvm::StringRef Raw(Start, P.Text.data() + P.Text.size() - Start);
    unsigned Indent = ~0u;
    llvm::StringRef Rest = Raw;
    unsigned Lines = Value.rtrim("\r\n").count('\n') + 1;
    for (unsigned L = 0; L < Lines && !Rest.empty(); ++L) {
      auto Split = Rest.split('\n');
      if (!Split.first.trim().empty())
        Indent = std::min<unsigned>(Indent, Split.first.size() -
                                                Split.first.ltrim(' ').size());
      Rest = Split.second;
    }
    if (Indent == ~0u)
      return S.Loc;
    PlanLocation First = locate(llvm::SMLoc::getFromPointer(Start));
    return {First.Line + Line, Indent + Column + 1};
  }
  if (auto *Scalar = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
    llvm::StringRef Raw = Scalar->getRawValue();
    if (Raw == Value)
      return {S.Loc.Line, S.Loc.Column + static_cast<unsigned>(Offset)};
    if (Raw.size() >= 2 && (Raw.front() == '"' || Raw.front() == '\'') &&
        Raw.drop_front().drop_back() == Value)
      return {S.Loc.Line, S.Loc.Column + 1 + static_cast<unsigned>(Offset)};
  }
  return S.Loc;
}

/// The message of a RewriteError, and where in its text it points.
static std::pair<std::string, size_t> takeRewriteError(llvm::Error E) {
  std::pair<std::string, size_t> Out{"", 0};
  llvm::handleAllErrors(
      std::move(E),
      [&](const RewriteError &R) {
        Out = {R.reason(), R.offset()};
      },
      [&](const llvm::ErrorInfoBase &Other) { Out.first = Other.message(); });
  return Out;
}

llvm::Error PlanParser::checkRewrite(
    const RewriteSpec &Rewrite, const std::vector<PlanString> &WhereNames,
    const llvm::yaml::Node *PatternNode, const llvm::yaml::Node *FixNode,
    const std::vector<const llvm::yaml::Node *> &ImportNodes) {
  auto Compiled = Pattern::compile(Rewrite.Pattern.Value);
  if (!Compiled) {
    auto [Message, Offset] = takeRewriteError(Compiled.takeError());
    return fail(locateIn(PatternNode, Rewrite.Pattern, Offset),
                PlanErrorKind::InvalidValue, Message);
  }
  auto Fix = Template::compile(Rewrite.Fix.Value, *Compiled);
  if (!Fix) {
    auto [Message, Offset] = takeRewriteError(Fix.takeError());
    return fail(locateIn(FixNode, Rewrite.Fix, Offset),
                PlanErrorKind::InvalidValue, Message);
  }
  // closestName compares in lower case; metavariables are in capitals.
  std::vector<std::string> Lower;
  std::string Bound;
  for (const MetavariableRef &M : Compiled->metavariables())
    if (isCapturingName(M.Name)) {
      Lower.push_back(llvm::StringRef(M.Name).lower());
      Bound += (Bound.empty() ? "$" : ", $") + M.Name;
    }
  std::vector<llvm::StringRef> Candidates(Lower.begin(), Lower.end());
  for (const PlanString &Name : WhereNames) {
    if (Compiled->find(Name.Value) && isCapturingName(Name.Value))
      continue;
    std::string Message =
        "'where' names $" + Name.Value + ", which the pattern does not bind";
    llvm::StringRef Suggestion = closestName(Name.Value, Candidates);
    if (!Suggestion.empty())
      Message += "; did you mean '$" + Suggestion.upper() + "'?";
    else if (!Bound.empty())
      Message += "; it binds " + Bound;
    return fail(Name.Loc, PlanErrorKind::InvalidValue, Message);
  }
  for (size_t I = 0; I < Rewrite.Imports.size(); ++I) {
    auto Import = parseImport(Rewrite.Imports[I].Value);
    if (!Import) {
      auto [Message, Offset] = takeRewriteError(Import.takeError());
      const llvm::yaml::Node *N =
          I < ImportNodes.size() ? ImportNodes[I] : nullptr;
      return fail(locateIn(N, Rewrite.Imports[I], Offset),
                  PlanErrorKind::InvalidValue, Message);
    }
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Returns the offset of the first byte of \p Text that is not valid UTF-8,
/// if any.
static std::optional<size_t> findInvalidUTF8(llvm::StringRef Text) {
  const auto *Bytes = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  size_t I = 0;
  while (I < Text.size()) {
    if (Bytes[I] < 0x80) {
      ++I;
      continue;
    }
    unsigned Length = llvm::getNumBytesForUTF8(Bytes[I]);
    if (I + Length > Text.size() ||
        !llvm::isLegalUTF8Sequence(Bytes + I, Bytes + I + Length))
      return I;
    I += Length;
  }
  return std::nullopt;
}

/// An upper bound on how deep YAML collections may nest before the parser,
/// which recurses once per level, is stopped; no real plan comes close.
static constexpr unsigned MaxNesting = 10000;

/// Returns the offset where an upper bound of the nesting depth of \p Text
/// first exceeds MaxNesting, if it does. Flow collections nest through
/// brackets; block collections only through deeper indentation or through
/// indicators on the same line (`- - x`), so counting those bounds the depth
/// without parsing. Indicators and brackets inside strings only make the
/// bound looser.
static std::optional<size_t> findExcessiveNesting(llvm::StringRef Text) {
  unsigned Flow = 0, Block = 0;
  bool InIndent = true;
  for (size_t I = 0; I < Text.size(); ++I) {
    switch (Text[I]) {
    case '\n':
      Block = 0;
      InIndent = true;
      continue;
    case ' ':
      Block += InIndent;
      continue;
    case '[':
    case '{':
      ++Flow;
      break;
    case ']':
    case '}':
      Flow -= Flow > 0;
      break;
    case '-':
    case '?':
    case ':':
      ++Block;
      break;
    default:
      break;
    }
    InIndent = false;
    if (Flow + Block > MaxNesting)
      return I;
  }
  return std::nullopt;
}

/// Rewords the YAML parser's messages in the style of the others.
static std::string syntaxMessage(llvm::StringRef Message) {
  if (Message.contains_insensitive("tab character"))
    return "tabs are not allowed in YAML indentation; indent with spaces";
  std::string Out = Message.rtrim("!").str();
  if (!Out.empty())
    Out[0] = llvm::toLower(Out[0]);
  return Out;
}

llvm::Expected<Plan> parsePlan(llvm::StringRef Text, llvm::StringRef FilePath) {
  Plan P;
  P.FilePath = FilePath.str();
  P.Text = Text.str();
  llvm::StringRef Bytes = P.Text;

  // Each pass gets its own SourceMgr; the stream registers the buffer in it.
  struct FirstDiagnostic {
    bool Seen = false;
    llvm::SMLoc Loc;
    std::string Message;
  };
  auto Capture = [](const llvm::SMDiagnostic &D, void *Context) {
    auto *First = static_cast<FirstDiagnostic *>(Context);
    if (First->Seen)
      return;
    First->Seen = true;
    First->Loc = D.getLoc();
    First->Message = D.getMessage().str();
  };

  {
    llvm::SourceMgr SM;
    FirstDiagnostic First;
    SM.setDiagHandler(Capture, &First);
    auto Refuse = [&](size_t Offset, const llvm::Twine &Message) {
      SM.AddNewSourceBuffer(
          llvm::MemoryBuffer::getMemBuffer(Bytes, P.FilePath,
                                           /*RequiresNullTerminator=*/false),
          llvm::SMLoc());
      auto LineColumn = SM.getLineAndColumn(
          llvm::SMLoc::getFromPointer(Bytes.data() + Offset));
      return makePlanError(P, {LineColumn.first, LineColumn.second},
                           PlanErrorKind::Syntax, Message);
    };
    // The YAML scanner has no good message for bad UTF-8, so check first.
    if (std::optional<size_t> Bad = findInvalidUTF8(Bytes))
      return Refuse(*Bad, "the plan is not valid UTF-8");
    if (std::optional<size_t> Deep = findExcessiveNesting(Bytes))
      return Refuse(*Deep, "the plan nests deeper than " +
                               llvm::Twine(MaxNesting) + " levels");
    llvm::yaml::Stream Stream(Bytes, SM, /*ShowColors=*/false);
    Stream.skip();
    if (Stream.failed() || First.Seen) {
      PlanLocation Loc{1, 1};
      if (First.Loc.isValid()) {
        auto LineColumn = SM.getLineAndColumn(First.Loc);
        Loc = {LineColumn.first, LineColumn.second};
      }
      return makePlanError(P, Loc, PlanErrorKind::Syntax,
                           syntaxMessage(First.Message.empty()
                                             ? "invalid YAML"
                                             : First.Message));
    }
  }

  llvm::SourceMgr SM;
  FirstDiagnostic First;
  SM.setDiagHandler(Capture, &First);
  llvm::yaml::Stream Stream(Bytes, SM, /*ShowColors=*/false);
  PlanParser Parser(P, SM);
  if (llvm::Error E = Parser.parseStream(Stream))
    return E;
  return P;
}

llvm::Expected<Plan> loadPlan(llvm::StringRef FilePath) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(FilePath, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return llvm::make_error<PlanError>(
        PlanErrorKind::Io,
        (FilePath + ": cannot read plan: " + Buffer.getError().message() + "\n")
            .str());
  return parsePlan((*Buffer)->getBuffer(), FilePath);
}

} // namespace excise
