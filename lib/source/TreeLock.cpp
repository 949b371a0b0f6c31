//===- TreeLock.cpp -------------------------------------------------------===//
#include "source/TreeLock.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace excise {

static llvm::Error lockError(llvm::StringRef Root, const char *What) {
  std::error_code EC(errno, std::generic_category());
  return llvm::createStringError(EC, "%s: cannot %s: %s", Root.str().c_str(), What,
                                 EC.message().c_str());
}

llvm::Expected<TreeLock> TreeLock::acquire(llvm::StringRef Root,
                                           llvm::function_ref<void()> OnWait) {
  std::string Dir = Root.empty() ? "." : Root.str();
  int FD = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (FD < 0)
    return lockError(Root, "open the tree to lock it");
  int Got;
  while ((Got = ::flock(FD, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
  }
  if (Got != 0 && errno == EWOULDBLOCK) {
    OnWait();
    while ((Got = ::flock(FD, LOCK_EX)) != 0 && errno == EINTR) {
    }
  }
  if (Got != 0) {
    llvm::Error Err = lockError(Root, "lock the tree");
    ::close(FD);
    return std::move(Err);
  }
  return TreeLock(FD);
}

TreeLock::~TreeLock() {
  if (FD >= 0)
    ::close(FD); // releases the lock
}

static constexpr llvm::StringLiteral Marker = ".excise-tmp-";

void temporaryPathFor(llvm::StringRef Path, unsigned long Unique,
                      llvm::SmallVectorImpl<char> &Out) {
  namespace path = llvm::sys::path;
  Out.clear();
  llvm::StringRef Dir = path::parent_path(Path);
  Out.append(Dir.begin(), Dir.end());
  if (!Dir.empty())
    Out.push_back('/');
  Out.push_back('.');
  llvm::StringRef Name = path::filename(Path);
  Out.append(Name.begin(), Name.end());
  Out.append(Marker.begin(), Marker.end());
  for (int Shift = 28; Shift >= 0; Shift -= 4)
    Out.push_back(llvm::hexdigit((Unique >> Shift) & 15, /*LowerCase=*/true));
}

bool isApplyTemporary(llvm::StringRef Name) {
  if (!Name.consume_front("."))
    return false;
  auto [Before, Digits] = Name.rsplit(Marker);
  return !Before.empty() && Digits.size() == 8 &&
         llvm::all_of(Digits, [](char C) {
           return llvm::isDigit(C) || (C >= 'a' && C <= 'f');
         });
}

} // namespace excise
