//===- HugePagesTest.cpp - Byte strings kept in 2 MiB pages ---------------===//
#include "source/HugePages.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace excise;

TEST_CASE("a saved byte string is an equal copy that outlives the original",
          "[source]") {
  HugePageArena Arena;
  std::string Original = "import os\n\ndef f():\n    return os.sep\n";
  llvm::StringRef Saved = Arena.save(Original);
  CHECK(Saved == Original);
  CHECK(Saved.data() != Original.data());
  Original.assign(Original.size(), 'x');
  CHECK(Saved == "import os\n\ndef f():\n    return os.sep\n");
}

TEST_CASE("an empty byte string is saved as empty", "[source]") {
  HugePageArena Arena;
  CHECK(Arena.save("").empty());
}

TEST_CASE("byte strings saved from several threads, more than a slab holds, all stay intact",
          "[source]") {
  HugePageArena Arena;
  // 4 threads x 300 strings of 20 KiB: 24 MiB, six 4 MiB slabs and more.
  std::vector<std::vector<llvm::StringRef>> Saved(4);
  std::vector<std::thread> Threads;
  for (unsigned T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (unsigned I = 0; I < 300; ++I)
        Saved[T].push_back(Arena.save(std::string(20 << 10, char('a' + (T * 7 + I) % 26))));
    });
  for (std::thread &T : Threads)
    T.join();
  for (unsigned T = 0; T < 4; ++T) {
    REQUIRE(Saved[T].size() == 300);
    for (unsigned I = 0; I < 300; ++I)
      CHECK(Saved[T][I] == std::string(20 << 10, char('a' + (T * 7 + I) % 26)));
  }
}
