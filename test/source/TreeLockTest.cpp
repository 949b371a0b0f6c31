//===- TreeLockTest.cpp - apply's lock and temporary names ------------------===//
#include "source/TreeLock.h"

#include "llvm/ADT/SmallString.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

using namespace excise;

static std::string temporaryOf(llvm::StringRef Path, unsigned long Unique) {
  llvm::SmallString<128> Out;
  temporaryPathFor(Path, Unique, Out);
  return std::string(Out.str());
}

TEST_CASE("a temporary is a hidden file beside its target with eight hex digits",
          "[treelock]") {
  CHECK(temporaryOf("src/app.py", 0x1a2b) == "src/.app.py.excise-tmp-00001a2b");
  CHECK(temporaryOf("app.py", 0xffffffffUL) == ".app.py.excise-tmp-ffffffff");
  CHECK(isApplyTemporary(".app.py.excise-tmp-00001a2b"));
}

TEST_CASE("names a user may give a file are never taken for apply's temporaries",
          "[treelock]") {
  CHECK_FALSE(isApplyTemporary("notes.excise-backup"));
  CHECK_FALSE(isApplyTemporary("app.py.excise-abc123"));        // the old shape
  CHECK_FALSE(isApplyTemporary("app.py.excise-tmp-00001a2b"));  // not hidden
  CHECK_FALSE(isApplyTemporary(".app.py.excise-tmp-backup1"));  // not hex
  CHECK_FALSE(isApplyTemporary(".app.py.excise-tmp-00001A2B")); // upper case
  CHECK_FALSE(isApplyTemporary(".app.py.excise-tmp-1a2b"));     // too short
  CHECK_FALSE(isApplyTemporary(".excise-tmp-00001a2b"));        // no target
}

TEST_CASE("a second lock on a tree says it waits, and waits until the first "
          "is released",
          "[treelock]") {
  // flock locks belong to an open file description, so a second open in
  // this process conflicts as another process's would.
  std::optional<TreeLock> First;
  auto Got = TreeLock::acquire(".", [] { FAIL("the first lock waited"); });
  REQUIRE(bool(Got));
  First.emplace(std::move(*Got));
  std::atomic<bool> Waited{false}, Locked{false};
  std::thread Second([&] {
    auto L = TreeLock::acquire(".", [&] { Waited = true; });
    Locked = bool(L);
    if (!L)
      llvm::consumeError(L.takeError()); // Locked says it failed
  });
  while (!Waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(Locked);
  First.reset();
  Second.join();
  CHECK(Locked);
}
