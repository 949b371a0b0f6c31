//===- DeadLocals.cpp -----------------------------------------------------===//
#include "semantics/DeadLocals.h"

#include "python/Builtins.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace excise::cascade {

namespace {

/// The identifiers an assignment's target binds, when it binds nothing
/// else (no attribute, no item).
bool collectTargets(Node Target, std::vector<Node> &Out) {
  llvm::StringRef K = Target.kind();
  if (K == "identifier") {
    Out.push_back(Target);
    return true;
  }
  if (K == "pattern_list" || K == "tuple_pattern" || K == "list_pattern" ||
      K == "list_splat_pattern") {
    for (Node C : Target.namedChildren())
      if (!C.is("comment") && !collectTargets(C, Out))
        return false;
    return true;
  }
  return false;
}

/// Builtins that read a function's namespace by name.
bool readsNamespace(llvm::StringRef Name) {
  return Name == "locals" || Name == "vars" || Name == "eval" ||
         Name == "exec" || Name == "dir";
}

} // namespace

DeadLocals::DeadLocals(const ParsedFile &File, const Purity &Pure,
                       const Orphans &Orphan)
    : F(File), Src(File.Source.text()), Pure(Pure), Orphan(Orphan) {
  const ScopeTree &ST = *File.Scopes;
  for (const Reference &R : ST.references()) {
    llvm::StringRef Name = R.Identifier.text(Src);
    if (!R.Resolved) {
      if (readsNamespace(Name) && isBuiltinName(Name))
        for (const Scope *S = R.From; S; S = S->Parent)
          if (S->Kind == Scope::Function)
            ReadByName.insert(S);
      continue;
    }
    if (R.Resolved->Kind == Scope::Function && !ST.bindingsOf(R).empty())
      Reads[R.Resolved][Name].push_back(R.Identifier);
  }
  for (const TextReference &R : ST.textReferences())
    if (R.Resolved && R.Resolved->Kind == Scope::Function)
      TextReads[R.Resolved][R.Name].push_back(R.Offset);
}

bool DeadLocals::declaredNonlocalInside(const Scope *Fn,
                                        llvm::StringRef Name) const {
  for (const Scope *C : Fn->Children)
    if (C->Nonlocals.count(Name) || declaredNonlocalInside(C, Name))
      return true;
  return false;
}

bool DeadLocals::inOwnPureAssignment(Node Read, llvm::StringRef Name) const {
  Node S = Read.parent();
  while (S && !S.is("expression_statement") && !S.is("block") &&
         !S.is("module"))
    S = S.parent();
  if (!S.is("expression_statement") || S.namedChildCount() != 1)
    return false;
  Node A = S.namedChild(0);
  if (!A.is("assignment"))
    return false;
  Node Left = A.field("left"), Right = A.field("right");
  if (!Left.is("identifier") || Left.text(Src) != Name || !Right ||
      Right.is("assignment") || Read.start() < Right.start() ||
      Read.end() > Right.end())
    return false;
  const Binding *B = F.Scopes->bindingAt(Left);
  const Reference *R = F.Scopes->referenceAt(Read);
  return B && R && B->Owner == R->Resolved && Pure.isPure(F, Right);
}

DeadLocals::ReadState DeadLocals::stateOf(const Scope *Fn, llvm::StringRef Name,
                                          std::vector<Node> *Removed) const {
  if (Fn->Kind != Scope::Function || ReadByName.count(Fn) ||
      Fn->Globals.count(Name) || Fn->Nonlocals.count(Name) ||
      declaredNonlocalInside(Fn, Name))
    return ReadState::Read;
  if (auto S = TextReads.find(Fn); S != TextReads.end())
    if (auto N = S->second.find(Name); N != S->second.end())
      for (unsigned Offset : N->second)
        if (!Orphan.insideDeleted(Offset, Offset + unsigned(Name.size())))
          return ReadState::Read;
  auto S = Reads.find(Fn);
  if (S == Reads.end())
    return ReadState::Unread;
  auto N = S->second.find(Name);
  if (N == S->second.end())
    return ReadState::Unread;
  std::vector<Node> Gone;
  for (Node Read : N->second) {
    if (Orphan.insideDeleted(Read))
      Gone.push_back(Read);
    else if (!inOwnPureAssignment(Read, Name))
      return ReadState::Read;
  }
  if (Gone.empty())
    return ReadState::Unread;
  if (Removed)
    Removed->insert(Removed->end(), Gone.begin(), Gone.end());
  return ReadState::Dead;
}

std::optional<DeadAssignment> DeadLocals::deadAssignment(Node S, Node A) const {
  if (!A.is("assignment"))
    return std::nullopt;
  Node Right = A.field("right");
  if (!Right || Right.is("assignment") || Right.is("augmented_assignment"))
    return std::nullopt;
  std::vector<Node> Targets;
  if (!collectTargets(A.field("left"), Targets))
    return std::nullopt;
  DeadAssignment D;
  std::vector<Node> Removed;
  const Binding *FirstDead = nullptr;
  for (Node Id : Targets) {
    const Binding *B = F.Scopes->bindingAt(Id);
    if (!B)
      return std::nullopt;
    switch (stateOf(B->Owner, B->Name, &Removed)) {
    case ReadState::Read:
      return std::nullopt;
    case ReadState::Unread:
      break;
    case ReadState::Dead:
      if (!llvm::is_contained(D.Names, B->Name))
        D.Names.push_back(B->Name);
      FirstDead = FirstDead ? FirstDead : B;
      break;
    }
  }
  if (!FirstDead)
    return std::nullopt;
  D.Effect = Pure.effectIn(F, Right);
  // An assignment with an effect that goes for another reason (a branch
  // that never runs) needs no note.
  if (D.Effect && Orphan.insideDeleted(S))
    return std::nullopt;
  D.Why = Orphan.causeOf(FirstDead);
  D.Readers = unsigned(Removed.size());
  for (Node R : Removed)
    D.ReaderLines.push_back(F.Source.position(R.start()).Line);
  llvm::sort(D.ReaderLines);
  D.ReaderLines.erase(std::unique(D.ReaderLines.begin(), D.ReaderLines.end()),
                      D.ReaderLines.end());
  return D;
}

bool DeadLocals::anyCandidate() const {
  for (Node A : F.Assignments) {
    Node S = A.parent();
    if (!A.is("assignment") || !S.is("expression_statement") ||
        S.namedChildCount() != 1 || Orphan.insideDeleted(S))
      continue;
    if (deadAssignment(S, A))
      return true;
  }
  return false;
}

} // namespace excise::cascade
