//===- TreeLock.h - One writer per tree, and its temporary files -*- C++ -*-===//
//
// `apply` writes every new file to a temporary beside its target and renames
// it into place. Two runs on one tree would each take the other's live
// temporaries for the leftovers of a killed run, and write over each other's
// changes. So `apply` holds an advisory lock (flock) on the root directory
// for its whole run: no lock file is left in the repository, and the kernel
// releases the lock when the process ends, however it ends.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_TREELOCK_H
#define EXCISE_SOURCE_TREELOCK_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace excise {

/// An exclusive advisory lock on a tree's root directory, held while the
/// object lives.
class TreeLock {
public:
  /// Locks \p Root, waiting for the holder to finish if there is one;
  /// \p OnWait is called once before waiting. An I/O error when the root
  /// cannot be opened or locked.
  static llvm::Expected<TreeLock> acquire(llvm::StringRef Root,
                                          llvm::function_ref<void()> OnWait);
  TreeLock(TreeLock &&Other) : FD(Other.FD) { Other.FD = -1; }
  TreeLock &operator=(TreeLock &&) = delete;
  ~TreeLock();

private:
  explicit TreeLock(int FD) : FD(FD) {}
  int FD;
};

/// The temporary `apply` writes before renaming it over \p Path, with
/// \p Unique (any number) in its name: `DIR/.NAME.excise-tmp-XXXXXXXX`, a
/// hidden file of a shape no one else writes (eight hex digits).
void temporaryPathFor(llvm::StringRef Path, unsigned long Unique,
                      llvm::SmallVectorImpl<char> &Out);

/// True when the file name \p Name has the shape of temporaryPathFor's
/// names: what a killed `apply` left behind. Nothing else matches, so a
/// user's `notes.excise-backup` is never taken for one.
bool isApplyTemporary(llvm::StringRef Name);

} // namespace excise

#endif
