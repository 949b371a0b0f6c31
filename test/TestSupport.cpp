//===- TestSupport.cpp ----------------------------------------------------===//
#include "TestSupport.h"

#include "python/SyntaxTree.h"

#include <catch2/catch.hpp>

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace excise::test {

std::string TreeRun::diagnostics() const {
  std::string S;
  for (const Diagnostic &D : Result.Diagnostics) {
    S += D.File + ":" + std::to_string(D.Line) + ":" + std::to_string(D.Column) +
         ": " + D.Message;
    if (!D.RuleId.empty())
      S += " [" + D.RuleId + "]";
    S += "\n";
  }
  return S;
}

TreeRun runOnTree(const Tree &Files, llvm::StringRef PlanYaml, unsigned Jobs) {
  TreeRun Run;
  Run.After = Files;
  auto P = parsePlan(PlanYaml, "plan.yaml");
  if (!P) {
    Run.ErrorMessage = llvm::toString(P.takeError());
    return Run;
  }
  llvm::vfs::InMemoryFileSystem FS;
  FS.setCurrentWorkingDirectory("/repo");
  for (const auto &[Path, Content] : Files)
    FS.addFile("/repo/" + Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Content));
  RunOptions Options;
  Options.Root = "/repo";
  Options.Jobs = Jobs;
  auto Result = runPlan(*P, FS, Options);
  if (!Result) {
    Run.ErrorMessage = llvm::toString(Result.takeError());
    return Run;
  }
  Run.Result = std::move(*Result);
  for (const FileChange &C : Run.Result.Changes) {
    if (!C.OldPath.empty())
      Run.After.erase(C.OldPath);
    if (!C.NewPath.empty())
      Run.After[C.NewPath] = C.NewText;
  }
  return Run;
}

std::string afterPlan(const Tree &Files, llvm::StringRef PlanYaml,
                      llvm::StringRef File) {
  TreeRun Run = runOnTree(Files, PlanYaml);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  auto It = Run.After.find(File.str());
  REQUIRE(It != Run.After.end());
  return It->second;
}

bool parsesCleanly(llvm::StringRef Source) {
  auto Tree = SyntaxTree::parse(Source);
  return Tree && !Tree->hasErrors();
}

} // namespace excise::test
