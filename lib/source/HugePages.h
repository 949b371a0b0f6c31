//===- HugePages.h - Bump allocation from 2 MiB pages -----------*- C++ -*-===//
//
// A run keeps the bytes of thousands of small files that mentioned none of
// the plan's names, for the cascade's later rounds (tens of megabytes for a
// large tree). Kept in ordinary heap memory they cost one page fault per
// 4 KiB touched, a fifth of a small plan's time; this arena takes its slabs
// from anonymous memory the kernel is asked to back with 2 MiB pages
// (madvise MADV_HUGEPAGE, honoured when transparent huge pages are enabled
// for madvise or always), and hands them back when it is destroyed.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_HUGEPAGES_H
#define EXCISE_SOURCE_HUGEPAGES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"

#include <cstddef>
#include <mutex>

namespace excise {

/// The slab source of HugePageArena: whole mappings of anonymous memory.
class HugePageSlabs {
public:
  void *Allocate(size_t Size, size_t Alignment);
  void Deallocate(const void *Ptr, size_t Size, size_t Alignment);
};

/// A thread-safe arena of byte strings that live as long as it does.
class HugePageArena {
public:
  /// A copy of \p Bytes in the arena.
  llvm::StringRef save(llvm::StringRef Bytes);

private:
  static constexpr size_t SlabSize = size_t(4) << 20;
  std::mutex Lock;
  llvm::BumpPtrAllocatorImpl<HugePageSlabs, SlabSize, SlabSize> Slabs;
};

} // namespace excise

#endif
