//===- CascadeRounds.h - The removal cascade over the tree ------*- C++ -*-===//
//
// The cascade, in rounds. Round one analyses the files that mention a name of
// the plan; each later round analyses again the files that mention a name
// the previous round discovered, until nothing new appears. A file is read,
// parsed, analysed and freed by one job, so memory stays bounded by the jobs
// in flight; what is kept of it is a FileResult.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_CASCADEROUNDS_H
#define EXCISE_DRIVER_CASCADEROUNDS_H

#include "driver/RewritePass.h"
#include "driver/Run.h"
#include "edit/PackedEdits.h"
#include "invariant/BindingCheck.h"
#include "python/ModuleIndex.h"
#include "semantics/Cascade.h"
#include "semantics/Project.h"
#include "semantics/Removals.h"
#include "source/HugePages.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace excise {

/// What the analysis of one file produced, kept after its tree is freed.
struct FileResult {
  bool Analysed = false;
  bool Unparsable = false;
  unsigned TooDeep = 0;
  bool Checked = false; ///< The cascade's edits were seen to leave it parsable.
  std::string Text;       ///< Kept only when it does not parse.
  /// What was analysed, for an edited file: it is read again when its change
  /// is made, and must be the same.
  uint64_t Hash = 0;
  unsigned ErrorOffset = 0;
  /// Its edits are moved from here into Edits as soon as it is analysed.
  FileOutcome Outcome;
  PackedEdits Edits;
  /// What Edits do to the file's bindings, when it was analysed as read.
  std::optional<BindingImpact> Impact;
};

/// What the rounds work on; everything outlives the call.
struct CascadeInputs {
  llvm::vfs::FileSystem &FS;
  const RunOptions &Options; ///< Root, Prefilter, Progress.
  unsigned Jobs;
  const std::vector<std::string> &Files; ///< The tree's Python files.
  const std::vector<size_t> &Candidates; ///< Indices of those that take part.
  const ModuleIndex &Modules;
  const Project &Proj;
  const std::vector<CallRule> &Calls;
  const RewriteResult &Rewrites;
};

struct CascadeOutcome {
  std::vector<FileResult> Results; ///< Parallel to CascadeInputs::Files.
  unsigned FilesRead = 0;          ///< Read for the prefilter.
  unsigned FilesParsed = 0;
  /// The bytes of files that mentioned no name, as read, up to a budget
  /// (parallel to CascadeInputs::Files; none for the others), in KeptBytes:
  /// later rounds, and the binding check after them, scan them again
  /// without reading the tree again.
  std::vector<std::optional<llvm::StringRef>> Kept;
  std::unique_ptr<HugePageArena> KeptBytes;
};

/// Runs the cascade from the removed names \p Removed (the plan's targets,
/// whose last segments are \p Anchors) to a fixed point, adding what each
/// round discovers to \p Removed; the edits are packed with their causes in
/// \p Causes. \p StartRound is called as each round starts (0 first). A
/// file that cannot be read is an error.
llvm::Expected<CascadeOutcome> runCascadeRounds(const CascadeInputs &In,
                                                const std::vector<std::string> &Anchors,
                                                RemovalSet &Removed, CauseTable &Causes,
                                                llvm::function_ref<void(unsigned Round)> StartRound);

} // namespace excise

#endif
