//===- DiskFileSystem.h - The real file system, read cheaply ----*- C++ -*-===//
//
// llvm::vfs's real file system asks the kernel for every opened file's real
// path (a readlink of /proc/self/fd) and closes files with every signal
// blocked: two system calls that cost as much as the read itself when a run
// opens thousands of small files. This file system forwards everything to the
// real one but opens files for reading with a plain open, fstat, read and
// close. It never follows what it is not asked to: paths are opened as given.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_DISKFILESYSTEM_H
#define EXCISE_SOURCE_DISKFILESYSTEM_H

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace excise {

/// The real file system, with cheap reads.
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> createDiskFileSystem();

} // namespace excise

#endif
