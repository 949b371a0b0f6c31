//===- DiskFileSystem.cpp -------------------------------------------------===//
#include "source/DiskFileSystem.h"

#include "llvm/Support/Errno.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace excise {

namespace {

namespace fs = llvm::sys::fs;

std::error_code lastError() { return std::error_code(errno, std::generic_category()); }

/// A file opened for reading; the descriptor is closed with the object.
class DiskFile : public llvm::vfs::File {
public:
  DiskFile(int FD, std::string Name, llvm::vfs::Status S)
      : FD(FD), Name(std::move(Name)), Stat(std::move(S)) {}
  ~DiskFile() override { close(); }

  llvm::ErrorOr<llvm::vfs::Status> status() override { return Stat; }
  llvm::ErrorOr<std::string> getName() override { return Name; }

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
  getBuffer(const llvm::Twine &BufferName, int64_t FileSize,
            bool RequiresNullTerminator, bool IsVolatile) override {
    uint64_t Size = FileSize >= 0 ? uint64_t(FileSize) : Stat.getSize();
    auto Buffer = llvm::WritableMemoryBuffer::getNewUninitMemBuffer(Size, BufferName);
    if (!Buffer)
      return std::make_error_code(std::errc::not_enough_memory);
    char *Out = Buffer->getBufferStart();
    uint64_t Done = 0;
    while (Done < Size) {
      ssize_t N = llvm::sys::RetryAfterSignal(-1, ::pread, FD, Out + Done,
                                               Size - Done, off_t(Done));
      if (N < 0)
        return lastError();
      if (N == 0) // The file shrank while it was read: report what is there.
        return llvm::MemoryBuffer::getMemBufferCopy(
            llvm::StringRef(Out, Done), BufferName);
      Done += uint64_t(N);
    }
    return std::unique_ptr<llvm::MemoryBuffer>(std::move(Buffer));
  }

  std::error_code close() override {
    if (FD < 0)
      return {};
    int Result = ::close(FD);
    FD = -1;
    return Result == 0 ? std::error_code() : lastError();
  }

private:
  int FD;
  std::string Name;
  llvm::vfs::Status Stat;
};

class DiskFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  DiskFileSystem() : ProxyFileSystem(llvm::vfs::getRealFileSystem()) {}

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    llvm::SmallString<256> Storage;
    llvm::StringRef P = Path.toNullTerminatedStringRef(Storage);
    // Relative paths are relative to the process's directory, as for the
    // real file system; excise never changes it.
    int FD = llvm::sys::RetryAfterSignal(-1, ::open, P.data(), O_RDONLY | O_CLOEXEC);
    if (FD < 0)
      return lastError();
    struct stat St;
    if (::fstat(FD, &St) != 0) {
      std::error_code EC = lastError();
      ::close(FD);
      return EC;
    }
    if (S_ISDIR(St.st_mode)) {
      ::close(FD);
      return std::make_error_code(std::errc::is_a_directory);
    }
    llvm::vfs::Status S(P, fs::UniqueID(St.st_dev, St.st_ino),
                        std::chrono::time_point_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::from_time_t(St.st_mtime)),
                        St.st_uid, St.st_gid, uint64_t(St.st_size),
                        S_ISREG(St.st_mode) ? fs::file_type::regular_file
                                            : fs::file_type::type_unknown,
                        fs::perms(St.st_mode & fs::all_perms));
    return std::unique_ptr<llvm::vfs::File>(new DiskFile(FD, P.str(), std::move(S)));
  }
};

} // namespace

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> createDiskFileSystem() {
  return llvm::makeIntrusiveRefCnt<DiskFileSystem>();
}

} // namespace excise
