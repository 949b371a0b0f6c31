//===- RoundState.h - What one walk of a file decides -----------*- C++ -*-===//
//
// The cascade walks a file again until its local facts stop changing
// (FileAnalyzer::run). Everything a walk decides or remembers for itself
// lives here, and each walk starts from a fresh RoundState: the statements
// that go, the edits and leftovers, the answers cached for the walk and what
// it asked, so nothing of an earlier walk leaks into the next one. Facts
// that outlive a walk (taints, discovered names, the query log, the previous
// walk's deletions) belong to RemovalOracle and Orphans.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_ROUNDSTATE_H
#define EXCISE_SEMANTICS_ROUNDSTATE_H

#include "semantics/Removals.h"
#include "semantics/Scopes.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace excise::cascade {

/// An edit of the file being analysed, before it becomes an Edit.
struct PendingEdit {
  unsigned Start, End;
  std::string Text;
  Cause Why;
};

struct RoundState {
  /// The statements that go, by keyOf, with their causes.
  std::map<uint64_t, Cause> Deleted;
  /// Edits recorded so far (StatementEdits).
  std::vector<PendingEdit> Edits;
  /// Leftovers reported so far (Leftovers).
  std::vector<Diagnostic> Diags;

  /// RemovalOracle::removedName's answers, by Query::FollowingBases and
  /// Query::WithoutBases.
  llvm::StringMap<const Cause *> Answers[2];

  /// Set when a fact grew after this walk had asked about it: an answer
  /// given before was wrong, so the file must be walked again.
  bool LateGrowth = false;
  /// Bindings whose removal this walk asked about
  /// (RemovalOracle::removedBinding).
  llvm::SmallPtrSet<const Binding *, 32> BindingsAsked;
  /// Bindings, and names asked about WithoutBases, asked about only by their
  /// own definition so far (RemovalOracle::removedOwnDefinition); asking
  /// again removes them.
  llvm::SmallPtrSet<const Binding *, 8> SelfAsked;
  llvm::StringSet<> SelfQueries;
  /// Statements whose leftover walk was skipped (Leftovers::report).
  std::vector<std::pair<unsigned, unsigned>> SkippedWalks;
};

} // namespace excise::cascade

#endif
