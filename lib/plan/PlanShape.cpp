//===- PlanShape.cpp - The plan's top level, rules and verify -------------===//
//
// The plan's shape: one YAML document, a mapping with 'plan' and 'rules'
// (and 'description', 'import-root', 'verify'); each rule a mapping with an
// 'id' used once and exactly one operation, whose value PlanOperations.cpp
// reads.
//
//===----------------------------------------------------------------------===//
#include "plan/PlanParser.h"

#include "llvm/ADT/STLExtras.h"

namespace excise::planparse {

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

} // namespace excise::planparse
