//===- Listing.h - Which files of the tree take part ------------*- C++ -*-===//
//
// Lists the regular files under the root as a run sees them: symbolic links
// are never followed, `.git` is never entered, the directories that hold no
// service code (virtualenvs, node_modules, build output, caches) are skipped
// unless asked otherwise, and what the tree's .gitignore files exclude is left
// out, as git itself would leave it out.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_LISTING_H
#define EXCISE_DRIVER_LISTING_H

#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <string>
#include <vector>

namespace excise {

struct ListingOptions {
  /// Leave out what the .gitignore files under the root exclude.
  bool RespectGitignore = true;
  /// Skip virtualenvs (`venv`, `.venv`, any directory with a `pyvenv.cfg`),
  /// `node_modules`, `build`, `dist`, `__pycache__` and tool caches.
  bool SkipDefaultDirectories = true;
  /// Threads that list directories at once (0: one per core).
  unsigned Jobs = 0;
};

/// The path to open for \p Rel, a path of the tree (relative to \p Root,
/// forward slashes).
std::string joinRoot(llvm::StringRef Root, llvm::StringRef Rel);

/// Every regular file under \p Root, relative to it with forward slashes,
/// sorted. Fails only when a directory cannot be read.
llvm::Expected<std::vector<std::string>>
listTree(llvm::vfs::FileSystem &FS, llvm::StringRef Root,
         const ListingOptions &Options = {});

} // namespace excise

#endif
