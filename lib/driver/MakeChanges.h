//===- MakeChanges.h - Every change made, verified and handed on -*- C++ -*-===//
//
// The last stage of a run: every change in path order (edited files, maybe
// moved too, moved, deleted and created files), made a batch at a time, each
// by a job of its own: an edited file is read again (or its text taken from
// the rewrite or the plan's file operations), its edits applied and the
// result checked to parse; the plan's `verify` section is run on the tree as
// the plan leaves it. Each batch goes to the sink in path order and is then
// freed.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_MAKECHANGES_H
#define EXCISE_DRIVER_MAKECHANGES_H

#include "driver/BindingPass.h"
#include "driver/ChangeSet.h"
#include "driver/FileOperations.h"
#include "driver/Run.h"
#include "edit/PackedEdits.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <string>
#include <vector>

namespace excise {

/// What the changes are made from; everything outlives the call.
struct ChangeInputs {
  const Plan &P;
  const RunOptions &Options;
  unsigned Jobs;
  llvm::vfs::FileSystem &FS;
  const std::vector<std::string> &Listed; ///< Every file of the tree.
  const FileOperations &Ops;
  /// Files of removed modules, with the rule that removes each.
  const std::map<std::string, std::string> &DeletedModules;
  CauseTable &Causes;
  /// Checks each edited Python file's names as its change is made.
  BindingPass &Bindings;
};

/// Makes every change (\p Edited, consumed, and \p In.Ops' moves, deletions
/// and new files) and hands them to \p Sink; counts edits and files per
/// rule in \p Summary; adds the refused files' diagnostics and the verify
/// findings to \p Result. \p StartPhase names each phase as it starts. A
/// file changed since it was analysed, an unreadable file or a sink error
/// stops the run.
llvm::Error makeChanges(const ChangeInputs &In, ChangedFiles &Edited,
                        std::map<std::string, RuleSummary> &Summary, RunResult &Result,
                        ChangeSink Sink,
                        llvm::function_ref<void(llvm::StringRef Name,
                                                llvm::StringRef Description)>
                            StartPhase);

} // namespace excise

#endif
