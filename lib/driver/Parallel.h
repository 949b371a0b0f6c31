//===- Parallel.h - Work spread over threads --------------------*- C++ -*-===//
#ifndef EXCISE_DRIVER_PARALLEL_H
#define EXCISE_DRIVER_PARALLEL_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>

namespace excise {

/// Runs \p Work(K) for every K in [0, Count) on \p Jobs threads of an
/// llvm::ThreadPool (0: one per core). Each thread takes the next K from a
/// shared counter: no task per item to schedule, and a slow item holds up no
/// other. With one item or one thread, the calls are made on the calling
/// thread. Returns when every call has returned.
void forEachIndex(unsigned Jobs, size_t Count, llvm::function_ref<void(size_t)> Work);

} // namespace excise

#endif
