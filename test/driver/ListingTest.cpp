//===- ListingTest.cpp - Which files of the tree take part ----------------===//
#include "driver/Listing.h"

#include "llvm/Support/MemoryBuffer.h"

#include <catch2/catch.hpp>

#include <map>

using namespace excise;

namespace {

using Files = std::vector<std::string>;

/// Lists a tree of \p Contents (path -> bytes) rooted at /repo.
Files listed(const std::map<std::string, std::string> &Contents,
             const ListingOptions &Options = {}) {
  llvm::vfs::InMemoryFileSystem FS;
  for (const auto &[Path, Bytes] : Contents)
    FS.addFile("/repo/" + Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Bytes));
  auto Result = listTree(FS, "/repo", Options);
  if (!Result)
    FAIL(llvm::toString(Result.takeError()));
  return *Result;
}

} // namespace

TEST_CASE("virtualenvs, node_modules, build output and .git are not listed",
          "[listing]") {
  std::map<std::string, std::string> Tree = {
      {"app/main.py", "x = 1\n"},
      {".git/hooks/pre-commit.py", ""},
      {"venv/lib/python3.11/site-packages/six.py", ""},
      {".venv/lib/site.py", ""},
      {"env311/pyvenv.cfg", "home = /usr/bin\n"},
      {"env311/lib/python3.11/site-packages/attr.py", ""},
      {"web/node_modules/flatted/python/flatted.py", ""},
      {"build/lib/app/main.py", ""},
      {"app/__pycache__/main.cpython-311.py", ""},
  };
  CHECK(listed(Tree) == Files{"app/main.py"});
}

TEST_CASE("a package named build or dist is listed; build output is not",
          "[listing]") {
  std::map<std::string, std::string> Tree = {
      {"pip/_internal/operations/build/__init__.py", ""},
      {"pip/_internal/operations/build/wheel.py", "def build_wheel(): ...\n"},
      {"shop/dist/__init__.py", ""},
      {"shop/dist/rates.py", ""},
      {"build/lib/shop/main.py", ""},
      {"dist/shop-1.0.tar.py", ""},
      {"shop/build/gen.py", ""},
  };
  CHECK(listed(Tree) == Files{"pip/_internal/operations/build/__init__.py",
                              "pip/_internal/operations/build/wheel.py",
                              "shop/dist/__init__.py", "shop/dist/rates.py"});
}

TEST_CASE("with the default skips off only .git stays out", "[listing]") {
  std::map<std::string, std::string> Tree = {
      {"app/main.py", ""},
      {".git/config.py", ""},
      {"venv/six.py", ""},
      {"build/gen.py", ""},
  };
  ListingOptions O;
  O.SkipDefaultDirectories = false;
  CHECK(listed(Tree, O) == Files{"app/main.py", "build/gen.py", "venv/six.py"});
}

TEST_CASE("what the root's .gitignore excludes is not listed", "[listing]") {
  std::map<std::string, std::string> Tree = {
      {".gitignore", "# generated\n*_pb2.py\n/scratch.py\nlocal/\n"},
      {"app/main.py", ""},
      {"app/events_pb2.py", ""},
      {"scratch.py", ""},
      {"app/scratch.py", ""},
      {"local/settings.py", ""},
  };
  CHECK(listed(Tree) == Files{".gitignore", "app/main.py", "app/scratch.py"});
}

TEST_CASE("a nested .gitignore applies below its directory and can re-include",
          "[listing]") {
  std::map<std::string, std::string> Tree = {
      {".gitignore", "*.gen.py\n"},
      {"app/.gitignore", "!keep.gen.py\nfixtures/*.py\n"},
      {"app/a.gen.py", ""},
      {"app/keep.gen.py", ""},
      {"app/fixtures/big.py", ""},
      {"lib/keep.gen.py", ""},
      {"lib/fixtures/big.py", ""},
  };
  CHECK(listed(Tree) == Files{".gitignore", "app/.gitignore", "app/keep.gen.py",
                              "lib/fixtures/big.py"});
}

TEST_CASE("double-star patterns match at any depth, including none", "[listing]") {
  std::map<std::string, std::string> Tree = {
      {".gitignore", "**/migrations/\nservices/**/legacy_*.py\n"},
      {"migrations/0001.py", ""},
      {"app/db/migrations/0002.py", ""},
      {"services/legacy_a.py", ""},
      {"services/billing/v2/legacy_b.py", ""},
      {"services/billing/current.py", ""},
  };
  CHECK(listed(Tree) == Files{".gitignore", "services/billing/current.py"});
}

TEST_CASE("a directory-only pattern leaves a file of that name listed", "[listing]") {
  std::map<std::string, std::string> Tree = {
      {".gitignore", "cache/\n"},
      {"cache/data.py", ""},
      {"app/cache", "not a directory\n"},
  };
  CHECK(listed(Tree) == Files{".gitignore", "app/cache"});
}

TEST_CASE("with .gitignore off the excluded files are listed", "[listing]") {
  std::map<std::string, std::string> Tree = {
      {".gitignore", "*_pb2.py\n"},
      {"app/events_pb2.py", ""},
  };
  ListingOptions O;
  O.RespectGitignore = false;
  CHECK(listed(Tree, O) == Files{".gitignore", "app/events_pb2.py"});
}
