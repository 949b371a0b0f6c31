//===- ChangeSet.h - Every edited file's edits, combined --------*- C++ -*-===//
//
// After the cascade: every file an edit touches, with its edits from the
// cascade, the rewrites and `replace-text` alike, so that Replacements sees
// them all together, and its text or what it was when analysed (it is read
// again when its change is made). Each file's edits are combined before any
// change is made: a conflict stops the run before anything is output.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_CHANGESET_H
#define EXCISE_DRIVER_CHANGESET_H

#include "driver/CascadeRounds.h"
#include "driver/FileOperations.h"
#include "driver/Run.h"
#include "edit/Layers.h"
#include "edit/PackedEdits.h"

#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace excise {

/// An edited file waiting for its change to be made.
struct PendingFile {
  std::string Text;
  bool ReadAgain = false; ///< Text is read when the change is made.
  bool Analysed = false;  ///< The text must be the one the cascade analysed,
  uint64_t Hash = 0;      ///< which had this hash.
  PackedEdits Edits;      ///< Combined: sorted, each once, no conflict.
  bool IsPython = false;
  bool FromCascade = false;
  bool Checked = false; ///< The cascade's edits alone were checked.
  /// What the edits do to its bindings, when they are the cascade's alone
  /// on the text it analysed.
  std::optional<BindingImpact> Impact;
};

/// Edited files by path.
using ChangedFiles = std::map<std::string, PendingFile>;

/// Collects the edits of the files \p Files[I] (I in \p Candidates) the
/// cascade produced in \p Results, of the rewritten files \p Rewritten
/// (consumed) and of \p Ops' text replacements, for the files that
/// \p Options.Paths selects, and combines each file's edits. Moves each
/// file's leftovers into \p Result (counted per rule in \p Summary) and
/// reports the files that do not parse. Conflicting edits are an
/// EditConflictError, the first in path order.
llvm::Expected<ChangedFiles>
collectEdits(const Plan &P, const RunOptions &Options, unsigned Jobs,
             const std::vector<std::string> &Files, const std::vector<size_t> &Candidates,
             std::vector<FileResult> &Results,
             std::vector<std::unique_ptr<EditLayers>> &Rewritten,
             const FileOperations &Ops, const RemovalSet &Removed, CauseTable &Causes,
             std::map<std::string, RuleSummary> &Summary, RunResult &Result);

/// True when \p File is one of \p Paths or inside one of them (all files
/// when \p Paths is empty).
bool isSelected(llvm::StringRef File, const std::vector<std::string> &Paths);

/// The text \p Path has in \p Texts, or an empty string.
const std::string &textOf(const std::map<std::string, std::string> &Texts,
                          const std::string &Path);

/// The first error of \p Failed, in order: the one reported on every run
/// whatever the thread timing; the others are dropped.
llvm::Error firstError(std::vector<std::optional<llvm::Error>> &Failed);

} // namespace excise

#endif
