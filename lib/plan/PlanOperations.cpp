//===- PlanOperations.cpp - Reading each operation's value ----------------===//
//
// The value of each operation of a rule: the names of remove-symbol and
// remove-module, remove-calls (callee or function, and argument values),
// and the file operations delete-files, move-files, add-file and
// replace-text. rewrite has its own file, PlanRewrite.cpp.
//
//===----------------------------------------------------------------------===//
#include "plan/PlanParser.h"

#include <optional>

namespace excise::planparse {

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

} // namespace excise::planparse
