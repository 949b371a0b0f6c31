//===- FileOperations.h - Deleting, moving, adding, rewriting text -*- C++ -*-===//
//
// The plan steps that are about files rather than Python: `delete-files`,
// `move-files`, `add-file` and `replace-text`. They are resolved against the
// listing of the tree before anything is analysed, so that a bad path is a
// plan error with a location and deleted files are not analysed at all.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_FILEOPERATIONS_H
#define EXCISE_DRIVER_FILEOPERATIONS_H

#include "edit/Edit.h"
#include "plan/Plan.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace excise {

/// Something about the plan itself, found against the tree: a target that
/// is in no file (the plan may have run before, or it holds a typo), a rule
/// that matched nothing. Reported as a note at the plan's line, tagged
/// `[plan]` (PlanNoteRule); `--strict` makes `check` and `verify` fail on
/// it. A rule marked `optional: true` gets none.
struct PlanNote {
  PlanLocation Loc;
  std::string Message; ///< Names the rule and says what is missing.
  std::string RuleId;  ///< The rule it is about.
};

struct FileOperations {
  /// Deleted file -> rule id.
  std::map<std::string, std::string> Deleted;
  /// Old path -> (new path, rule id).
  std::map<std::string, std::pair<std::string, std::string>> Moved;
  /// New path -> (content, rule id).
  std::map<std::string, std::pair<std::string, std::string>> Added;
  /// Text edits from `replace-text`, per file.
  std::map<std::string, std::vector<Edit>> TextEdits;
  /// The text of every file that TextEdits or Moved names, as read.
  std::map<std::string, std::string> Texts;
  /// Paths and globs that match no file, in plan order.
  std::vector<PlanNote> Notes;
};

/// Resolves the file steps of \p P against \p Files (every file of the tree,
/// relative to \p Root, sorted). A path that matches nothing is a PlanNote
/// (none for an optional rule); a move onto an existing file and an
/// `add-file` over a file with other content are PlanErrors.
llvm::Expected<FileOperations>
resolveFileOperations(const Plan &P, llvm::vfs::FileSystem &FS,
                      llvm::StringRef Root, const std::vector<std::string> &Files);

/// The matches of a `replace-text` step in \p Text: whole words by default,
/// `re:` patterns as POSIX extended regular expressions.
std::vector<Edit> findTextReplacements(llvm::StringRef Path, llvm::StringRef Text,
                                       const TextReplacement &R,
                                       llvm::StringRef RuleId);

} // namespace excise

#endif
