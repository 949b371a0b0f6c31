//===- Targets.h - The plan's removal targets in the tree -------*- C++ -*-===//
//
// The first step of a run after listing: each `remove-symbol`,
// `remove-module` and `remove-calls` rule of the plan becomes what the
// cascade works from (the removed names with their causes, the call
// matchers, the modules whose files go) and the literal names the prefilter
// looks for.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_TARGETS_H
#define EXCISE_DRIVER_TARGETS_H

#include "driver/FileOperations.h"
#include "plan/Plan.h"
#include "python/ModuleIndex.h"
#include "semantics/Cascade.h"
#include "semantics/Project.h"
#include "semantics/Removals.h"

#include "llvm/Support/Error.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace excise {

/// The plan's targets, resolved against the tree.
struct Targets {
  RemovalSet Removed;
  std::vector<CallRule> Calls;
  /// The last segment of every removed name and callee: a file that contains
  /// none of them is not parsed.
  std::vector<std::string> Anchors;
  /// Files of removed modules (and of the modules under a removed package),
  /// each with the id of the rule that removes it.
  std::map<std::string, std::string> DeletedModules;
};

/// The last dotted segment of \p Name: what a file must contain to refer to
/// it (`pkg.db.Repo` -> `Repo`, `*.log_checkpoint` -> `log_checkpoint`).
llvm::StringRef anchorOf(llvm::StringRef Name);

/// Resolves the removal rules of \p P against the modules of the tree.
/// Every target counts as removed whether or not the tree still holds it: a
/// plan that ran before finds its definitions gone, and the uses that remain
/// or come back are leftovers on every run. A target found nowhere is a
/// PlanNote appended to \p Notes (with the closest name the tree has that is
/// not itself a target), unless its rule is optional.
llvm::Expected<Targets> resolveTargets(const Plan &P, const ModuleIndex &Modules,
                                       const Project &Proj,
                                       std::vector<PlanNote> &Notes);

} // namespace excise

#endif
