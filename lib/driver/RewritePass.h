//===- RewritePass.h - The plan's rewrites over the tree --------*- C++ -*-===//
//
// Rewrites run before the removal cascade, in plan order, each on what the
// previous ones wrote; the cascade then works on the rewritten text (a call
// folded into its neighbour before the removal deletes it).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_REWRITEPASS_H
#define EXCISE_DRIVER_REWRITEPASS_H

#include "edit/Layers.h"
#include "plan/Plan.h"
#include "semantics/Removals.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace excise {

/// What the rewrites did to the tree's Python files.
struct RewriteResult {
  /// Per Python file (parallel to the files given): its rewritten text with
  /// the edits in layers, or null when no rewrite matched in it.
  std::vector<std::unique_ptr<EditLayers>> Rewritten;
  /// Per Python file: the names a rewrite took out (used in what it
  /// replaced, not in what it wrote), candidates for the orphan rules.
  std::vector<llvm::StringMap<Cause>> TakenAway;
  /// The ids of the rewrite rules that matched somewhere.
  llvm::StringSet<> Matched;
};

/// Compiles the rewrite rules of \p P and runs them over the files
/// \p Files[I] for I in \p Candidates (paths relative to \p Root of \p FS),
/// with \p Jobs threads. A rule that does not compile is a PlanError; a file
/// that cannot be read or a rewrite that fails is an error. Files that do
/// not parse are left to the cascade, which reports them.
llvm::Expected<RewriteResult> runRewrites(const Plan &P, llvm::vfs::FileSystem &FS,
                                          llvm::StringRef Root,
                                          const std::vector<std::string> &Files,
                                          const std::vector<size_t> &Candidates,
                                          unsigned Jobs);

} // namespace excise

#endif
