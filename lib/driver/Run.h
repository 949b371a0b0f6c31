//===- Run.h - Running a plan over a tree -----------------------*- C++ -*-===//
//
// The pipeline in one call: list the tree, read and parse the Python files the
// plan can affect, resolve the plan's targets, work out the cascade, collect
// the edits and file operations, and hand back FileChanges and Diagnostics.
// Nothing is written here: emitting and applying are the caller's business.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_RUN_H
#define EXCISE_DRIVER_RUN_H

#include "driver/Listing.h"
#include "edit/FileChange.h"
#include "emit/RunResult.h"
#include "plan/Plan.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace excise {

struct RunOptions {
  /// The repository root; paths in the plan and in results are relative to it.
  std::string Root = ".";
  /// Limits where changes and diagnostics are reported; the whole root is read.
  std::vector<std::string> Paths;
  /// Worker threads; 0 means one per core.
  unsigned Jobs = 0;
  /// Skip files that contain none of the plan's names (and of the names the
  /// cascade discovers). Turning it off changes nothing but the time taken.
  bool Prefilter = true;
  /// Which files of the root take part (.gitignore, skipped directories).
  ListingOptions Listing;
  /// Called from worker threads as files are scanned (done, total); may be
  /// empty. Must be thread-safe.
  std::function<void(unsigned, unsigned)> Progress;
  /// When set, each phase of the run (listing, each round of the cascade,
  /// making the changes...) is timed in a timer of this group.
  llvm::TimerGroup *Timers = nullptr;
};

/// Receives a run's changes in path order, a batch at a time, as they are
/// made; what it does not keep of a batch is freed. An error stops the run.
using ChangeSink = llvm::function_ref<llvm::Error(std::vector<FileChange> &Batch)>;

/// Runs \p P over the tree at \p Options.Root of \p FS and hands every
/// change to \p Sink. Only the edits are kept from the analysis to the end:
/// an edited file is read again when its change is made (and must be as it
/// was analysed), so the texts in memory are those of the batch at hand.
/// Plan errors that need the tree (a symbol that does not exist) are
/// PlanErrors; unreadable files are I/O errors; conflicting edits are
/// EditConflictErrors, found before the first batch reaches the sink.
llvm::Expected<RunResult> runPlan(const Plan &P, llvm::vfs::FileSystem &FS,
                                  const RunOptions &Options, ChangeSink Sink);

/// The same, with every change kept in RunResult::Changes.
llvm::Expected<RunResult> runPlan(const Plan &P, llvm::vfs::FileSystem &FS,
                                  const RunOptions &Options);

} // namespace excise

#endif
