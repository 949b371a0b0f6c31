//===- HugePages.cpp ------------------------------------------------------===//
#include "source/HugePages.h"

#include "llvm/Support/Compiler.h"
#include "llvm/Support/ErrorHandling.h"

#include <cstdint>
#include <cstring>
#include <sys/mman.h>

namespace excise {

void *HugePageSlabs::Allocate(size_t Size, size_t Alignment) {
  // mmap's pages are aligned far beyond anything a byte string needs.
  (void)Alignment;
  // The kernel backs only the 2 MiB-aligned parts of a mapping with huge
  // pages: a slab is cut out of a larger mapping at such a boundary, and
  // the rest is unmapped.
  constexpr size_t Huge = size_t(2) << 20;
  void *P = ::mmap(nullptr, Size + Huge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (P == MAP_FAILED)
    llvm::report_bad_alloc_error("excise: cannot map memory for file bytes");
  auto *Start = static_cast<char *>(P);
  auto *Aligned = reinterpret_cast<char *>(
      (reinterpret_cast<uintptr_t>(Start) + Huge - 1) & ~uintptr_t(Huge - 1));
  if (Aligned != Start)
    ::munmap(Start, size_t(Aligned - Start));
  if (size_t Tail = size_t(Start + Size + Huge - (Aligned + Size)))
    ::munmap(Aligned + Size, Tail);
#ifdef MADV_HUGEPAGE
  // Only advice: without transparent huge pages the memory is ordinary.
  (void)::madvise(Aligned, Size, MADV_HUGEPAGE);
#endif
  return Aligned;
}

void HugePageSlabs::Deallocate(const void *Ptr, size_t Size, size_t Alignment) {
  (void)Alignment;
  // BumpPtrAllocator poisons its slabs under AddressSanitizer; the mapping
  // goes, and whatever is mapped there next (a thread's stack) must not
  // inherit the poison.
  __asan_unpoison_memory_region(Ptr, Size);
  ::munmap(const_cast<void *>(Ptr), Size);
}

llvm::StringRef HugePageArena::save(llvm::StringRef Bytes) {
  if (Bytes.empty())
    return llvm::StringRef();
  char *Copy;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Copy = static_cast<char *>(Slabs.Allocate(Bytes.size(), 1));
  }
  std::memcpy(Copy, Bytes.data(), Bytes.size());
  return llvm::StringRef(Copy, Bytes.size());
}

} // namespace excise
