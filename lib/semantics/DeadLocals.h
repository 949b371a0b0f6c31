//===- DeadLocals.h - Locals whose every reader the plan removed -*- C++ -*-===//
//
// After `log_duration(start)` goes, `start = time.monotonic()` has no
// reader left. A local of a function whose every read is in code the
// previous walk deleted is dead; its assignments go when their value is pure
// (Purity), and the next walk follows what their values read
// (`t0 = time.monotonic(); start = t0`). An assignment whose value may have
// an effect stays, and the walk notes it, so that no query or write is
// dropped silently. Only locals the plan took a reader from count: one
// unused before the plan is left alone. Module globals, class attributes,
// names declared `global` or `nonlocal`, and the locals of a function that
// reads its namespace by name (`locals()`, `vars()`, `eval`, `exec`) are
// never dead.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_DEADLOCALS_H
#define EXCISE_SEMANTICS_DEADLOCALS_H

#include "semantics/Orphans.h"
#include "semantics/Purity.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace excise::cascade {

/// An assignment that binds only locals no one reads any more.
struct DeadAssignment {
  /// The names it binds that the plan took readers from, in target order.
  std::vector<std::string> Names;
  /// The lines (1-based) of those readers, sorted, each once; and how many
  /// readers there were.
  std::vector<unsigned> ReaderLines;
  unsigned Readers = 0;
  /// The part of the value that may have an effect: the assignment then
  /// stays. Null when it can go.
  Node Effect;
  /// The deletion that took the first reader.
  Cause Why;
};

class DeadLocals {
public:
  /// \p File, \p Pure and \p Orphan (which knows the previous walk's
  /// deletions) must outlive this.
  DeadLocals(const ParsedFile &File, const Purity &Pure, const Orphans &Orphan);

  /// When the statement \p S, the assignment \p A alone, binds only locals
  /// that nothing reads any more and of which at least one lost its readers
  /// to the previous walk's deletions, what it binds and why. A chained or
  /// augmented assignment, or one that also sets an attribute or an item,
  /// is never dead.
  std::optional<DeadAssignment> deadAssignment(Node S, Node A) const;
  /// True when some assignment outside the previous walk's deletions binds
  /// a dead local: the next walk would remove it or note it.
  bool anyCandidate() const;

private:
  enum class ReadState { Read, Unread, Dead };
  /// Whether local \p Name of function scope \p Fn is still read; for Dead,
  /// adds the readers the previous walk deleted to \p Removed.
  ReadState stateOf(const Scope *Fn, llvm::StringRef Name,
                    std::vector<Node> *Removed) const;
  /// True when the read \p Read of \p Name is in the value of `Name = value`
  /// whose value is pure: once the name is dead that assignment goes too.
  bool inOwnPureAssignment(Node Read, llvm::StringRef Name) const;
  bool declaredNonlocalInside(const Scope *Fn, llvm::StringRef Name) const;

  const ParsedFile &F;
  llvm::StringRef Src;
  const Purity &Pure;
  const Orphans &Orphan;
  /// The reads of each local, per function scope.
  llvm::DenseMap<const Scope *, llvm::StringMap<std::vector<Node>>> Reads;
  /// The offsets of the names string annotations and type comments read.
  llvm::DenseMap<const Scope *, llvm::StringMap<std::vector<unsigned>>> TextReads;
  /// Function scopes whose namespace is read by name.
  llvm::DenseSet<const Scope *> ReadByName;
};

} // namespace excise::cascade

#endif
