//===- DiskFileSystemTest.cpp - Reading files from disk cheaply -----------===//
#include "source/DiskFileSystem.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

using namespace excise;

namespace {

/// A scratch directory removed with the object.
struct ScratchDir {
  llvm::SmallString<128> Path;
  ScratchDir() { REQUIRE(!llvm::sys::fs::createUniqueDirectory("excise-disk", Path)); }
  ~ScratchDir() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef Name, llvm::StringRef Bytes) const {
    llvm::SmallString<128> P(Path);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    REQUIRE(!EC);
    OS << Bytes;
    return std::string(P.str());
  }
};

} // namespace

TEST_CASE("the disk file system reads a file's bytes exactly, NUL and CR included",
          "[source]") {
  ScratchDir Dir;
  std::string Bytes("import os\r\nx = 1\0y\n", 19);
  std::string P = Dir.file("a.py", Bytes);
  auto FS = createDiskFileSystem();
  auto Buffer = FS->getBufferForFile(P, -1, /*RequiresNullTerminator=*/false);
  REQUIRE(Buffer);
  CHECK((*Buffer)->getBuffer().str() == Bytes);
}

TEST_CASE("the disk file system reads an empty file as no bytes", "[source]") {
  ScratchDir Dir;
  std::string P = Dir.file("empty.py", "");
  auto Buffer = createDiskFileSystem()->getBufferForFile(P, -1, false);
  REQUIRE(Buffer);
  CHECK((*Buffer)->getBufferSize() == 0);
}

TEST_CASE("the disk file system reports a missing file and a directory as errors",
          "[source]") {
  ScratchDir Dir;
  auto FS = createDiskFileSystem();
  auto Missing = FS->getBufferForFile(Dir.Path + "/nope.py", -1, false);
  REQUIRE(!Missing);
  CHECK(Missing.getError() == std::errc::no_such_file_or_directory);
  auto Directory = FS->getBufferForFile(Dir.Path, -1, false);
  REQUIRE(!Directory);
  CHECK(Directory.getError() == std::errc::is_a_directory);
}

TEST_CASE("the disk file system lists directories as the real one does", "[source]") {
  ScratchDir Dir;
  Dir.file("b.py", "b = 2\n");
  Dir.file("a.py", "a = 1\n");
  auto FS = createDiskFileSystem();
  std::vector<std::string> Names;
  std::error_code EC;
  for (llvm::vfs::directory_iterator It = FS->dir_begin(Dir.Path, EC), End;
       It != End && !EC; It.increment(EC))
    Names.push_back(llvm::sys::path::filename(It->path()).str());
  llvm::sort(Names);
  CHECK(Names == std::vector<std::string>{"a.py", "b.py"});
}

TEST_CASE("the disk file system reads a file larger than its first block whole",
          "[source]") {
  ScratchDir Dir;
  // 16 KiB is the first block: one byte over, exactly two blocks, and more.
  for (size_t Size : {size_t(16) << 10, (size_t(16) << 10) + 1, size_t(32) << 10,
                      size_t(100000)}) {
    std::string Bytes;
    for (size_t I = 0; I < Size; ++I)
      Bytes += char('a' + I % 26);
    std::string P = Dir.file("big.py", Bytes);
    auto Buffer = createDiskFileSystem()->getBufferForFile(P, -1, false);
    REQUIRE(Buffer);
    CHECK((*Buffer)->getBuffer() == Bytes);
  }
}

TEST_CASE("below the root it was made for, the disk file system reads what the "
          "whole path names, and paths outside the root as given",
          "[source]") {
  ScratchDir Dir;
  std::string Inside = Dir.file("a.py", "inside = 1\n");
  ScratchDir Other;
  std::string Outside = Other.file("b.py", "outside = 2\n");
  for (std::string Root : {std::string(Dir.Path), std::string(Dir.Path) + "/"}) {
    auto FS = createDiskFileSystem(Root);
    auto A = FS->getBufferForFile(Root + (Root.back() == '/' ? "" : "/") + "a.py", -1, false);
    REQUIRE(A);
    CHECK((*A)->getBuffer() == "inside = 1\n");
    auto B = FS->getBufferForFile(Outside, -1, false);
    REQUIRE(B);
    CHECK((*B)->getBuffer() == "outside = 2\n");
    auto Missing = FS->getBufferForFile(Root + "/nope.py", -1, false);
    REQUIRE(!Missing);
    CHECK(Missing.getError() == std::errc::no_such_file_or_directory);
  }
}

TEST_CASE("the disk file system gives a file's status when asked", "[source]") {
  ScratchDir Dir;
  std::string P = Dir.file("a.py", "x = 1\n");
  auto File = createDiskFileSystem()->openFileForRead(P);
  REQUIRE(File);
  auto Status = (*File)->status();
  REQUIRE(Status);
  CHECK(Status->getSize() == 6);
  CHECK(Status->isRegularFile());
}
