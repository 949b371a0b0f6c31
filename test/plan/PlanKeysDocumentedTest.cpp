//===- PlanKeysDocumentedTest.cpp - The plan reference covers every key ---===//
//
// planKeys() lists the tables the plan parser checks keys against, so a key
// added to the parser shows up here; docs/plan-format.md must name it, in
// backticks, or this test fails and names the key and the mapping it is in.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <catch2/catch.hpp>

#include <string>

using namespace excise;

static bool isListed(llvm::StringRef Key, llvm::StringRef Where) {
  return llvm::any_of(planKeys(), [&](const PlanKey &K) {
    return K.Key == Key && K.Where == Where;
  });
}

TEST_CASE("the key list is the parser's: known keys of every mapping are in it",
          "[plan]") {
  // Not a copy of the tables (that would test nothing), a few samples that
  // keep the documentation test below from passing on an empty list.
  CHECK(isListed("import-root", "top level"));
  CHECK(isListed("optional", "rule"));
  CHECK(isListed("remove-calls", "rule"));
  CHECK(isListed("rewrite", "rule"));
  CHECK(isListed("function", "remove-calls"));
  CHECK(isListed("to", "move-files"));
  CHECK(isListed("content", "add-file"));
  CHECK(isListed("whole-word", "replace-text"));
  CHECK(isListed("imports", "rewrite"));
  CHECK(isListed("kind", "where"));
  CHECK(isListed("regex", "not"));
  CHECK(isListed("count", "verify"));
  CHECK_FALSE(isListed("not", "not"));
  // Every operation is a key of a rule.
  for (llvm::StringRef Op :
       {"remove-symbol", "remove-module", "remove-calls", "delete-files",
        "move-files", "add-file", "replace-text", "rewrite"})
    CHECK(isListed(Op, "rule"));
}

TEST_CASE("every key the plan parser accepts is documented in "
          "docs/plan-format.md",
          "[plan]") {
  const char *Path = EXCISE_SOURCE_DIR "/docs/plan-format.md";
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  INFO("reading " << Path);
  REQUIRE(Buffer);
  llvm::StringRef Doc = (*Buffer)->getBuffer();

  std::vector<PlanKey> Keys = planKeys();
  REQUIRE(Keys.size() > 20);
  std::string Missing;
  for (const PlanKey &K : Keys)
    if (!Doc.contains(("`" + K.Key + "`").str()))
      Missing += "  `" + K.Key.str() + "` (in " + K.Where.str() + ")\n";
  INFO("keys the plan parser accepts that docs/plan-format.md does not name "
       "in backticks:\n"
       << Missing);
  CHECK(Missing.empty());
}
