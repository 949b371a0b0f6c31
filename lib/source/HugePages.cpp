//===- HugePages.cpp ------------------------------------------------------===//
#include "source/HugePages.h"

#include "llvm/Support/Compiler.h"
#include "llvm/Support/ErrorHandling.h"

#include <cstring>
#include <sys/mman.h>

namespace excise {

void *HugePageSlabs::Allocate(size_t Size, size_t Alignment) {
  // mmap's pages are aligned far beyond anything a byte string needs.
  (void)Alignment;
  void *P = ::mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (P == MAP_FAILED)
    llvm::report_bad_alloc_error("excise: cannot map memory for file bytes");
#ifdef MADV_HUGEPAGE
  // Only advice: without transparent huge pages the memory is ordinary.
  (void)::madvise(P, Size, MADV_HUGEPAGE);
#endif
  return P;
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
