//===- Parallel.cpp -------------------------------------------------------===//
#include "driver/Parallel.h"

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <atomic>

namespace excise {

void forEachIndex(unsigned Jobs, size_t Count, llvm::function_ref<void(size_t)> Work) {
  llvm::ThreadPoolStrategy Strategy = llvm::hardware_concurrency(Jobs);
  unsigned Threads = Strategy.compute_thread_count();
  // One item, or one thread: no pool to start and stop.
  if (Count <= 1 || Threads <= 1) {
    for (size_t K = 0; K < Count; ++K)
      Work(K);
    return;
  }
  std::atomic<size_t> Next{0};
  llvm::ThreadPool Pool(Strategy);
  for (size_t T = 0, E = std::min<size_t>(Threads, Count); T < E; ++T)
    Pool.async([&] {
      for (size_t K = Next++; K < Count; K = Next++)
        Work(K);
    });
  Pool.wait();
}

} // namespace excise
