//===- Cascade.h - What a removal implies in one file -----------*- C++ -*-===//
//
// Given what the plan (and the cascade so far) removes, works out for one file
// every statement that goes, every guard that simplifies, every block that
// empties, and the references that cannot be removed safely (leftovers). It
// also reports what the file adds to the removed set (a no-op function, an
// attribute assigned from a removed thing), which the driver feeds back until
// nothing new appears.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_CASCADE_H
#define EXCISE_SEMANTICS_CASCADE_H

#include "edit/Edit.h"
#include "semantics/CallRules.h"
#include "semantics/Project.h"
#include "semantics/Purity.h"
#include "semantics/QueryLog.h"
#include "semantics/Removals.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <utility>
#include <vector>

namespace excise {

/// What every file's analysis in a round shares; read only.
struct CascadeContext {
  const Project &Proj;
  const RemovalSet &Removed;
  const std::vector<CallRule> &Calls;
  /// Which expressions may have an effect; its verdicts on the project's
  /// functions are kept across the rounds of a run.
  const Purity &Pure;
};

/// What analyzeFile finds in one file.
struct FileOutcome {
  std::vector<Edit> Edits; ///< Sorted, non-overlapping.
  std::vector<Diagnostic> Diagnostics;
  /// Qualified names this file adds to the removed set, with their causes.
  std::vector<std::pair<std::string, Cause>> Discovered;
  /// Every question the analysis asked of the removed set, sorted. The
  /// result depends on the removed set only through their answers, so a
  /// later round needs to analyse the file again only when a new name changes
  /// one of them (see queriesAffectedBy).
  QueryList Queries;
};

/// Works out the cascade in \p File. The file must have parsed.
/// \p RewrittenAway names whose uses a rewrite took out of the file, with the
/// rewrite's cause: their imports and private definitions become orphans like
/// those whose uses the removal took.
FileOutcome analyzeFile(const ParsedFile &File, const CascadeContext &Context,
                        const llvm::StringMap<Cause> *RewrittenAway = nullptr);

} // namespace excise

#endif
