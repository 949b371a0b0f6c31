//===- FileChange.cpp -----------------------------------------------------===//
#include "edit/FileChange.h"

#include <tuple>

namespace excise {

bool operator<(const FileChange &A, const FileChange &B) {
  return std::tie(A.path(), A.OldPath) < std::tie(B.path(), B.OldPath);
}

} // namespace excise
