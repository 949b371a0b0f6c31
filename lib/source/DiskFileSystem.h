//===- DiskFileSystem.h - The real file system, read cheaply ----*- C++ -*-===//
//
// llvm::vfs's real file system asks the kernel for every opened file's real
// path (a readlink of /proc/self/fd) and closes files with every signal
// blocked: two system calls that cost as much as the read itself when a run
// opens thousands of small files. This file system forwards everything to the
// real one but opens files for reading with a plain open, read and close
// (their size is not asked first, and the status only when wanted), paths
// below the root relative to a descriptor of it. It never follows what it is
// not asked to.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_DISKFILESYSTEM_H
#define EXCISE_SOURCE_DISKFILESYSTEM_H

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace excise {

/// The real file system, with cheap reads. Files below \p Root (a path as
/// callers spell it, e.g. the --root option) are opened relative to a
/// descriptor of it, opened once.
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
createDiskFileSystem(llvm::StringRef Root = {});

} // namespace excise

#endif
