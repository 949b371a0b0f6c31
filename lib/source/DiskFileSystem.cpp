//===- DiskFileSystem.cpp -------------------------------------------------===//
#include "source/DiskFileSystem.h"

#include "llvm/Support/Errno.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace excise {

namespace {

namespace fs = llvm::sys::fs;

std::error_code lastError() { return std::error_code(errno, std::generic_category()); }

/// Bytes read from a file, in a block that may be larger than they are.
class ReadBuffer final : public llvm::MemoryBuffer {
public:
  /// \p Bytes holds at least \p Size + 1 bytes; the one after the last is
  /// set to NUL.
  ReadBuffer(std::unique_ptr<char[]> Bytes, size_t Size) : Bytes(std::move(Bytes)) {
    this->Bytes[Size] = '\0';
    init(this->Bytes.get(), this->Bytes.get() + Size, /*RequiresNullTerminator=*/true);
  }
  BufferKind getBufferKind() const override { return MemoryBuffer_Malloc; }

private:
  std::unique_ptr<char[]> Bytes;
};

/// A file opened for reading; the descriptor is closed with the object. Its
/// status is asked of the kernel only when someone wants it.
class DiskFile : public llvm::vfs::File {
public:
  DiskFile(int FD, std::string Name) : FD(FD), Name(std::move(Name)) {}
  ~DiskFile() override { close(); }

  llvm::ErrorOr<llvm::vfs::Status> status() override {
    if (!Stat) {
      struct stat St;
      if (::fstat(FD, &St) != 0)
        return lastError();
      Stat = llvm::vfs::Status(
          Name, fs::UniqueID(St.st_dev, St.st_ino),
          std::chrono::time_point_cast<std::chrono::nanoseconds>(
              std::chrono::system_clock::from_time_t(St.st_mtime)),
          St.st_uid, St.st_gid, uint64_t(St.st_size),
          S_ISREG(St.st_mode)   ? fs::file_type::regular_file
          : S_ISDIR(St.st_mode) ? fs::file_type::directory_file
                                : fs::file_type::type_unknown,
          fs::perms(St.st_mode & fs::all_perms));
    }
    return *Stat;
  }
  llvm::ErrorOr<std::string> getName() override { return Name; }

  /// Reads until a read comes back short: for a regular file that is its
  /// end (a file that grows meanwhile is read as it was), and it spares
  /// asking the kernel for the size first. A directory fails with EISDIR.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
  getBuffer(const llvm::Twine &BufferName, int64_t FileSize,
            bool RequiresNullTerminator, bool IsVolatile) override {
    // Most source files fit in the first block.
    size_t Capacity = FileSize >= 0 ? size_t(FileSize) : size_t(16) << 10;
    std::unique_ptr<char[]> Bytes(new char[Capacity + 1]);
    size_t Done = 0;
    while (true) {
      ssize_t N = llvm::sys::RetryAfterSignal(-1, ::pread, FD, Bytes.get() + Done,
                                               Capacity - Done, off_t(Done));
      if (N < 0)
        return lastError();
      Done += size_t(N);
      if (Done < Capacity || (FileSize >= 0 && Done == Capacity))
        break;
      std::unique_ptr<char[]> Larger(new char[2 * Capacity + 1]);
      std::memcpy(Larger.get(), Bytes.get(), Done);
      Bytes = std::move(Larger);
      Capacity *= 2;
    }
    return std::unique_ptr<llvm::MemoryBuffer>(new ReadBuffer(std::move(Bytes), Done));
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
  std::optional<llvm::vfs::Status> Stat;
};

class DiskFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  explicit DiskFileSystem(llvm::StringRef Root)
      : ProxyFileSystem(llvm::vfs::getRealFileSystem()), Root(Root) {
    if (!Root.empty())
      RootFD = llvm::sys::RetryAfterSignal(-1, ::open, this->Root.c_str(),
                                           O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  ~DiskFileSystem() override {
    if (RootFD >= 0)
      ::close(RootFD);
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    llvm::SmallString<256> Storage;
    llvm::StringRef P = Path.toNullTerminatedStringRef(Storage);
    // Relative paths are relative to the process's directory, as for the
    // real file system; excise never changes it. A path below the root is
    // opened relative to it, so that the kernel walks only the part below.
    int FD;
    if (llvm::StringRef Below = below(P); !Below.empty())
      FD = llvm::sys::RetryAfterSignal(-1, ::openat, RootFD, Below.data(),
                                       O_RDONLY | O_CLOEXEC);
    else
      FD = llvm::sys::RetryAfterSignal(-1, ::open, P.data(), O_RDONLY | O_CLOEXEC);
    if (FD < 0)
      return lastError();
    return std::unique_ptr<llvm::vfs::File>(new DiskFile(FD, P.str()));
  }

private:
  std::string Root;
  int RootFD = -1;

  /// What follows the root and a slash in \p P (NUL-terminated like it), or
  /// nothing when \p P is not below the root.
  llvm::StringRef below(llvm::StringRef P) const {
    if (RootFD < 0 || !P.startswith(Root))
      return {};
    llvm::StringRef Rest = P.drop_front(Root.size());
    if (!Root.empty() && Root.back() != '/' && !Rest.consume_front("/"))
      return {};
    Rest = Rest.ltrim('/');
    return Rest;
  }
};

} // namespace

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> createDiskFileSystem(llvm::StringRef Root) {
  return llvm::makeIntrusiveRefCnt<DiskFileSystem>(Root);
}

} // namespace excise
