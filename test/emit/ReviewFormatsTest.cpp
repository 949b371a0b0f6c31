//===- ReviewFormatsTest.cpp - json, sarif, rdjson, fixes-yaml ------------===//
#include "emit/ReviewFormats.h"

#include "TestSupport.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

#include <string>

using namespace excise;
using namespace excise::test;

namespace {

const char *const MainSource = "import os\n"
                               "from pkg.legacy import Repo\n"
                               "\n"
                               "s = \"\xC3\xA9\xF0\x9F\x98\x80\"; import pkg.legacy; x = 1\n"
                               "\n"
                               "\n"
                               "def make():\n"
                               "    return Repo()\n";

Tree sampleTree() {
  return {
      {"pkg/__init__.py", ""},
      {"pkg/legacy.py", "class Repo:\n    pass\n"},
      {"pkg/other.py", "def other():\n    return 1\n"},
      {"app/__init__.py", ""},
      {"app/main.py", MainSource},
      {"app/broken.py", "from pkg.legacy import Repo\ndef f(:\n    pass\n"},
  };
}

const char *const SamplePlan = R"yaml(plan: review-formats
rules:
  - id: drop-legacy
    remove-module: pkg.legacy
  - id: add-notes
    add-file:
      path: docs/removed.md
      content: "pkg.legacy is gone\n"
  - id: move-other
    move-files: {from: pkg/other.py, to: pkg/kept.py}
)yaml";

} // namespace

TEST_CASE("debug output", "[formats-debug]") {
  TreeRun Run = runOnTree(sampleTree(), SamplePlan);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  auto P = parsePlan(SamplePlan, "plan.yaml");
  REQUIRE(bool(P));
  llvm::outs() << "=== json\n";
  writeJson(llvm::outs(), *P, Run.Result);
  llvm::outs() << "=== sarif\n";
  writeSarif(llvm::outs(), *P, Run.Result);
  llvm::outs() << "=== rdjson\n";
  writeRdjson(llvm::outs(), *P, Run.Result);
  llvm::outs() << "=== yaml\n";
  writeFixesYaml(llvm::outs(), *P, Run.Result, "/tmp/x");
}
