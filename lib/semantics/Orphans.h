//===- Orphans.h - Imports and private names whose uses went ----*- C++ -*-===//
//
// An import, or a private module or class level definition, that was used
// before the plan and whose every use is now inside removed code is an
// orphan: it goes too. So is one whose last use a rewrite took out. The
// uses are indexed once per file; what counts as removed code is what the
// previous walk deleted (endWalk), since this walk's deletions are not final
// until it ends.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_ORPHANS_H
#define EXCISE_SEMANTICS_ORPHANS_H

#include "semantics/Project.h"
#include "semantics/Removals.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace excise::cascade {

class Orphans {
public:
  /// \p File and \p RewrittenAway (may be null: names whose uses a rewrite
  /// took out, with the rewrite's cause) must outlive this.
  Orphans(const ParsedFile &File, const llvm::StringMap<Cause> *RewrittenAway);

  /// True when the import binding \p B was used before the plan and every
  /// use is now inside removed code.
  bool orphaned(const Binding *B) const;
  /// The same for a private definition: uses as `obj.name` count too when
  /// \p B is bound in a class.
  bool orphanedDefinition(const Binding *B) const;
  /// Why orphan \p B goes: the rewrite that took its last use, or the
  /// deletion of a statement around one of its uses.
  Cause causeOf(const Binding *B) const;

  /// True when \p N (or the bytes [Start, End)) lies inside a statement the
  /// previous walk deleted.
  bool insideDeleted(Node N) const;
  bool insideDeleted(unsigned Start, unsigned End) const;
  /// The walk that deleted \p Deleted ended; true when it deleted the same
  /// statements as the walk before it.
  bool endWalk(std::map<uint64_t, Cause> Deleted);
  /// True when some import or private definition has all its uses inside the
  /// previous walk's deletions: the orphan rules would remove it next walk.
  bool anyCandidate() const;

private:
  const std::vector<Node> *usesOf(const Binding *B) const;
  /// Whether a kept string annotation or type comment reads \p B's name: a
  /// use the tree does not show, which keeps \p B too.
  bool readInKeptText(const Binding *B) const;
  const Cause *rewrittenAway(const Binding *B) const;

  const ScopeTree &ST;
  const llvm::StringMap<Cause> *RewrittenAway;
  /// Uses of each name, per scope that binds it: every binding of a name in
  /// a scope sees the same uses, so they are kept once, not per binding.
  llvm::DenseMap<const Scope *, llvm::StringMap<std::vector<Node>>> UsesByScope;
  /// The offsets of the names string annotations and type comments read,
  /// the same way.
  llvm::DenseMap<const Scope *, llvm::StringMap<std::vector<unsigned>>> TextUsesByScope;
  /// `obj.name` uses, by name.
  llvm::StringMap<std::vector<Node>> AttributeUses;

  /// The previous walk's deletions, and their maximal ranges, sorted.
  std::map<uint64_t, Cause> PrevDeleted;
  std::vector<std::pair<unsigned, unsigned>> PrevRanges;
};

} // namespace excise::cascade

#endif
