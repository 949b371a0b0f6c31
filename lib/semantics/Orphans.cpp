//===- Orphans.cpp --------------------------------------------------------===//
#include "semantics/Orphans.h"

#include "semantics/CascadeSyntax.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace excise::cascade {

Orphans::Orphans(const ParsedFile &File,
                 const llvm::StringMap<Cause> *RewrittenAway)
    : ST(*File.Scopes), RewrittenAway(RewrittenAway) {
  llvm::StringRef Src = File.Source.text();
  for (const Reference &R : ST.references())
    if (R.Resolved && !ST.bindingsOf(R).empty())
      UsesByScope[R.Resolved][R.Identifier.text(Src)].push_back(R.Identifier);
  for (const TextReference &R : ST.textReferences())
    if (R.Resolved)
      TextUsesByScope[R.Resolved][R.Name].push_back(R.Offset);
  for (Node N : File.Attributes)
    AttributeUses[N.field("attribute").text(Src)].push_back(N);
}

bool Orphans::readInKeptText(const Binding *B) const {
  auto S = TextUsesByScope.find(B->Owner);
  if (S == TextUsesByScope.end())
    return false;
  auto N = S->second.find(B->Name);
  return N != S->second.end() && llvm::any_of(N->second, [&](unsigned Offset) {
           return !insideDeleted(Offset, Offset + unsigned(B->Name.size()));
         });
}

/// The uses of \p B's name that resolve to \p B's scope (null if none).
const std::vector<Node> *Orphans::usesOf(const Binding *B) const {
  auto S = UsesByScope.find(B->Owner);
  if (S == UsesByScope.end())
    return nullptr;
  auto N = S->second.find(B->Name);
  return N == S->second.end() ? nullptr : &N->second;
}

/// The rewrite that took the last use of an otherwise unused binding.
const Cause *Orphans::rewrittenAway(const Binding *B) const {
  if (!RewrittenAway)
    return nullptr;
  auto It = RewrittenAway->find(B->Name);
  return It == RewrittenAway->end() ? nullptr : &It->second;
}

bool Orphans::orphaned(const Binding *B) const {
  if (readInKeptText(B))
    return false;
  const std::vector<Node> *Uses = usesOf(B);
  if (!Uses || Uses->empty())
    return rewrittenAway(B) != nullptr;
  return llvm::all_of(*Uses, [&](Node Use) { return insideDeleted(Use); });
}

bool Orphans::orphanedDefinition(const Binding *B) const {
  if (readInKeptText(B))
    return false;
  std::vector<Node> Uses;
  if (const std::vector<Node> *Named = usesOf(B))
    Uses = *Named;
  if (B->Owner->Kind == Scope::Class)
    if (auto It = AttributeUses.find(B->Name); It != AttributeUses.end())
      Uses.insert(Uses.end(), It->second.begin(), It->second.end());
  if (Uses.empty())
    return rewrittenAway(B) != nullptr;
  return llvm::all_of(Uses, [&](Node U) { return insideDeleted(U); });
}

Cause Orphans::causeOf(const Binding *B) const {
  if (const Cause *C = rewrittenAway(B))
    if (!usesOf(B) || usesOf(B)->empty())
      return *C;
  std::vector<Node> Uses;
  if (const std::vector<Node> *Named = usesOf(B))
    Uses = *Named;
  if (auto It = AttributeUses.find(B->Name); It != AttributeUses.end())
    Uses.insert(Uses.end(), It->second.begin(), It->second.end());
  for (Node U : Uses)
    for (Node P = U; P; P = P.parent()) {
      auto D = PrevDeleted.find(keyOf(P));
      if (D != PrevDeleted.end())
        return D->second;
    }
  return Cause();
}

// Nested deletions are covered by the outermost one, so the maximal ranges
// are disjoint and a binary search finds the only candidate.
bool Orphans::insideDeleted(Node N) const { return insideDeleted(N.start(), N.end()); }

bool Orphans::insideDeleted(unsigned Start, unsigned End) const {
  auto It = std::upper_bound(PrevRanges.begin(), PrevRanges.end(), std::make_pair(Start, ~0u));
  if (It == PrevRanges.begin())
    return false;
  --It;
  return Start >= It->first && End <= It->second;
}

bool Orphans::endWalk(std::map<uint64_t, Cause> Deleted) {
  bool Same = Deleted.size() == PrevDeleted.size() &&
              std::equal(Deleted.begin(), Deleted.end(), PrevDeleted.begin(),
                         [](const auto &X, const auto &Y) {
                           return X.first == Y.first;
                         });
  PrevDeleted = std::move(Deleted);
  std::vector<std::pair<unsigned, unsigned>> All;
  for (const auto &Entry : PrevDeleted)
    All.emplace_back(unsigned(Entry.first >> 32), unsigned(Entry.first));
  llvm::sort(All);
  PrevRanges.clear();
  for (const auto &R : All)
    if (PrevRanges.empty() || R.first >= PrevRanges.back().second)
      PrevRanges.push_back(R);
    else
      PrevRanges.back().second = std::max(PrevRanges.back().second, R.second);
  return Same;
}

bool Orphans::anyCandidate() const {
  for (const auto &BP : ST.bindings()) {
    const Binding *B = BP.get();
    bool Import =
        B->Kind == BindingKind::Import || B->Kind == BindingKind::ImportFrom;
    bool PrivateDef = isPrivate(B->Name) && (B->Owner->Kind == Scope::Module ||
                                             B->Owner->Kind == Scope::Class);
    if (!Import && !PrivateDef)
      continue;
    if (Import ? orphaned(B) : orphanedDefinition(B))
      if (!insideDeleted(B->Statement))
        return true;
  }
  return false;
}

} // namespace excise::cascade
