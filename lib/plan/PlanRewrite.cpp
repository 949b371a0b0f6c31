//===- PlanRewrite.cpp - Reading and checking a rewrite -------------------===//
//
// A rewrite's pattern, fix, 'where' constraints, imports and files. The
// pattern, the fix and the imports are compiled once here only to refuse a
// bad plan at load time; their errors point into the plan, inside the string
// or block that holds the code.
//
//===----------------------------------------------------------------------===//
#include "plan/PlanParser.h"

#include "rewrite/Imports.h"
#include "rewrite/Pattern.h"
#include "rewrite/Template.h"

#include <algorithm>

namespace excise::planparse {

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

} // namespace excise::planparse
