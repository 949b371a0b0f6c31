//===- LibraryClasses.cpp -------------------------------------------------===//
#include "python/LibraryClasses.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace excise {

namespace {
#include "python/LibraryClasses.inc"
} // namespace

bool isKnownLibraryClass(llvm::StringRef Class) {
  return std::binary_search(std::begin(LibraryClassNames), std::end(LibraryClassNames), Class,
                            [](llvm::StringRef A, llvm::StringRef B) { return A < B; });
}

bool libraryClassHas(llvm::StringRef Class, llvm::StringRef Member) {
  std::string Key = Class.str() + "." + Member.str();
  return std::binary_search(std::begin(LibraryClassMembers), std::end(LibraryClassMembers),
                            llvm::StringRef(Key),
                            [](llvm::StringRef A, llvm::StringRef B) { return A < B; });
}

} // namespace excise
