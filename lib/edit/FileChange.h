//===- FileChange.h - What a plan does to one file --------------*- C++ -*-===//
#ifndef EXCISE_EDIT_FILECHANGE_H
#define EXCISE_EDIT_FILECHANGE_H

#include "edit/Edit.h"

#include <optional>
#include <string>
#include <vector>

namespace excise {

/// One file's change: edited in place, created, deleted, or moved (possibly
/// with edits). Paths are relative to the root, with forward slashes.
struct FileChange {
  std::string OldPath; ///< Empty for a created file.
  std::string NewPath; ///< Empty for a deleted file.
  std::string OldText; ///< Empty for a created file.
  std::string NewText; ///< Empty for a deleted file.
  unsigned Mode = 0100644; ///< Git file mode of the old (or created) file.
  std::vector<Edit> Edits; ///< The edits of OldText, sorted; none for a create.
  std::string RuleId; ///< For creations, deletions and moves: the rule.

  bool isCreated() const { return OldPath.empty(); }
  bool isDeleted() const { return NewPath.empty(); }
  bool isRenamed() const {
    return !OldPath.empty() && !NewPath.empty() && OldPath != NewPath;
  }
  /// The path the change is reported under: the new path, or the old one for
  /// a deletion.
  const std::string &path() const { return NewPath.empty() ? OldPath : NewPath; }
};

/// Orders changes by path so that output does not depend on thread timing.
bool operator<(const FileChange &A, const FileChange &B);

} // namespace excise

#endif
