//===- UnifiedDiff.h - git-style patches ------------------------*- C++ -*-===//
//
// Writes FileChanges as a git-style unified diff (`diff --git a/.. b/..`, three
// lines of context, `new file mode`, `deleted file mode`, `rename from` /
// `rename to`, `\ No newline at end of file`) that `git apply` and `patch -p1`
// accept.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EMIT_UNIFIEDDIFF_H
#define EXCISE_EMIT_UNIFIEDDIFF_H

#include "edit/FileChange.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace excise {

struct DiffOptions {
  unsigned Context = 3;
  bool Color = false; ///< ANSI colors, as `git diff --color`.
};

/// Writes the patch for one file. A change whose old and new text are equal
/// and whose paths are equal writes nothing.
void writeUnifiedDiff(llvm::raw_ostream &OS, const FileChange &Change,
                      const DiffOptions &Options = {});

/// Writes the patch for every change, in the given order.
void writeUnifiedDiff(llvm::raw_ostream &OS, llvm::ArrayRef<FileChange> Changes,
                      const DiffOptions &Options = {});

} // namespace excise

#endif
