//===- PlanReading.cpp - Reading YAML nodes and checking values -----------===//
//
// PlanParser's reading helpers: where a node is, the fields of a mapping (each
// key once, unknown keys refused with a did-you-mean), strings, booleans and
// lists of strings, "expected X, found Y"; and the checks on the values read:
// Python names, dotted names, paths that must stay below the root, regular
// expressions.
//
//===----------------------------------------------------------------------===//
#include "plan/PlanParser.h"
#include "python/Builtins.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

namespace excise {

//===----------------------------------------------------------------------===//
// Checks on values
//===----------------------------------------------------------------------===//

namespace planparse {

bool isPythonIdentifier(llvm::StringRef Name) {
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

llvm::StringRef closestName(llvm::StringRef Word,
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

std::string quoted(llvm::StringRef Value) {
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

std::string quotedList(llvm::ArrayRef<llvm::StringRef> Names) {
  std::string Out;
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I)
      Out += I + 1 == Names.size() ? " or " : ", ";
    Out += "'" + Names[I].str() + "'";
  }
  return Out;
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

} // namespace planparse
} // namespace excise
