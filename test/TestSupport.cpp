//===- TestSupport.cpp ----------------------------------------------------===//
#include "TestSupport.h"

#include "emit/ReviewFormats.h"
#include "python/SyntaxTree.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
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

llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> inMemoryTree(const Tree &Files) {
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  FS->setCurrentWorkingDirectory("/repo");
  for (const auto &[Path, Content] : Files)
    FS->addFile("/repo/" + Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Content));
  return FS;
}

namespace {

/// True when \p Rel is a relative path that stays inside the directory it
/// is joined to (no root, no `..`).
bool staysInside(llvm::StringRef Rel) {
  if (Rel.empty() || llvm::sys::path::has_root_path(Rel))
    return false;
  return llvm::none_of(llvm::make_range(llvm::sys::path::begin(Rel),
                                        llvm::sys::path::end(Rel)),
                       [](llvm::StringRef Part) { return Part == ".."; });
}

/// Writes \p Content to \p Path, creating the directories it needs; fails
/// the current test when it cannot.
void writeCaseFile(const llvm::Twine &Path, llvm::StringRef Content) {
  llvm::SmallString<256> Full;
  Path.toVector(Full);
  std::error_code EC =
      llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Full));
  if (!EC) {
    llvm::raw_fd_ostream OS(Full, EC);
    if (!EC)
      OS << Content;
  }
  if (EC)
    FAIL_CHECK("EXCISE_ORACLE_DUMP: cannot write " << Full.str().str() << ": "
                                                   << EC.message());
}

/// When EXCISE_ORACLE_DUMP names a directory, writes the run as one case of
/// test/oracles/fixture-oracles.py: the tree before and after the plan, the
/// JSON report `excise diff --format json` would print, and the test case's
/// name and the plan's import root. Each case has a directory of its own,
/// named by the process and a counter, so that the test processes ctest or
/// the script start side by side never share one.
void dumpCase(const Tree &Before, const Plan &P, const TreeRun &Run) {
  const char *Dir = std::getenv("EXCISE_ORACLE_DUMP");
  if (!Dir || !*Dir)
    return;
  static std::atomic<unsigned> Counter{0};
  std::string Case;
  llvm::raw_string_ostream(Case)
      << Dir << "/"
      << llvm::format("%d-%04u", int(llvm::sys::Process::getProcessId()),
                      Counter++);
  std::string Info = "test: " + Catch::getResultCapture().getCurrentTestName() +
                     "\nimport-root: " + P.ImportRoot.Value + "\n";
  // A fixture about paths outside the root cannot be written as a tree: the
  // case says so instead, and the script counts it as skipped.
  for (const Tree *Side : {&Before, &Run.After})
    for (const auto &[Path, Content] : *Side)
      if (!staysInside(Path)) {
        writeCaseFile(Case + "/case.txt", Info + "skipped: " + Path + "\n");
        return;
      }
  for (const auto &[Path, Content] : Before)
    writeCaseFile(Case + "/before/" + Path, Content);
  for (const auto &[Path, Content] : Run.After)
    writeCaseFile(Case + "/after/" + Path, Content);
  std::string Report;
  llvm::raw_string_ostream OS(Report);
  writeJson(OS, P, Run.Result);
  OS.flush();
  writeCaseFile(Case + "/report.json", Report);
  // Written last: a case without case.txt is one whose writing did not end.
  writeCaseFile(Case + "/case.txt", Info);
}

/// runOnTree's run of a parsed plan, with the invariants checked.
TreeRun runChecked(const Tree &Files, const Plan &P, unsigned Jobs) {
  TreeRun Run;
  Run.After = Files;
  auto Memory = inMemoryTree(Files);
  llvm::vfs::InMemoryFileSystem &FS = *Memory;
  RunOptions Options;
  Options.Root = "/repo";
  Options.Jobs = Jobs;
  auto Result = runPlan(P, FS, Options);
  if (Result && Jobs == 1) {
    // The prefilter never changes the result.
    Options.Prefilter = false;
    auto Unfiltered = runPlan(P, FS, Options);
    if (!Unfiltered) {
      FAIL("without the prefilter the run fails: " << llvm::toString(Unfiltered.takeError()));
      return Run;
    }
    std::string A, B;
    for (const FileChange &C : Result->Changes)
      A += C.path() + "\n" + C.NewText;
    for (const FileChange &C : Unfiltered->Changes)
      B += C.path() + "\n" + C.NewText;
    INFO("the prefilter changed the result");
    CHECK(A == B);
  }
  if (!Result) {
    Run.ErrorMessage = llvm::toString(Result.takeError());
    return Run;
  }
  Run.Result = std::move(*Result);
  // Invariants checked on every fixture of the suite: bytes outside the
  // edits are unchanged, and the result does not depend on the job count.
  for (const FileChange &C : Run.Result.Changes) {
    if (C.isCreated() || C.isDeleted())
      continue;
    std::string Rebuilt;
    unsigned Pos = 0;
    for (const Edit &E : C.Edits) {
      REQUIRE(E.offset() >= Pos);
      Rebuilt += llvm::StringRef(C.OldText).slice(Pos, E.offset()).str();
      Rebuilt += E.text().str();
      Pos = E.offset() + E.length();
    }
    Rebuilt += llvm::StringRef(C.OldText).drop_front(Pos).str();
    INFO("bytes outside the edits of " << C.OldPath << " changed");
    CHECK(Rebuilt == C.NewText);
    // A Python file that parsed still parses, however the engine checked it.
    if (llvm::StringRef(C.OldPath).endswith(".py") && parsesCleanly(C.OldText)) {
      INFO(C.OldPath << " no longer parses:\n" << C.NewText);
      CHECK(parsesCleanly(C.NewText));
    }
  }
  if (Jobs == 1) {
    TreeRun Parallel = runChecked(Files, P, 4);
    INFO("-j1 and -j4 differ");
    CHECK(Parallel.ErrorMessage.empty());
    CHECK(Parallel.diagnostics() == Run.diagnostics());
    CHECK(Parallel.Result.Changes.size() == Run.Result.Changes.size());
    for (size_t I = 0; I < std::min(Parallel.Result.Changes.size(),
                                    Run.Result.Changes.size());
         ++I)
      CHECK(Parallel.Result.Changes[I].NewText == Run.Result.Changes[I].NewText);
  }
  for (const FileChange &C : Run.Result.Changes) {
    if (!C.OldPath.empty())
      Run.After.erase(C.OldPath);
    if (!C.NewPath.empty())
      Run.After[C.NewPath] = C.NewText;
  }
  return Run;
}

} // namespace

TreeRun runOnTree(const Tree &Files, llvm::StringRef PlanYaml, unsigned Jobs) {
  auto P = parsePlan(PlanYaml, "plan.yaml");
  if (!P) {
    TreeRun Run;
    Run.After = Files;
    Run.ErrorMessage = llvm::toString(P.takeError());
    return Run;
  }
  TreeRun Run = runChecked(Files, *P, Jobs);
  if (Run.ErrorMessage.empty())
    dumpCase(Files, *P, Run);
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

std::string py(const char *Text) {
  std::string S = Text;
  if (!S.empty() && S.front() == '\n')
    S.erase(0, 1);
  return S;
}

std::string repeat(const std::string &S, unsigned N) {
  std::string R;
  R.reserve(S.size() * N);
  for (unsigned I = 0; I < N; ++I)
    R += S;
  return R;
}

bool parsesCleanly(llvm::StringRef Source) {
  auto Tree = SyntaxTree::parse(Source);
  return Tree && !Tree->hasErrors();
}

Plan acceptPlan(llvm::StringRef Text) {
  llvm::Expected<Plan> P = parsePlan(Text, "plan.yaml");
  if (!P)
    FAIL(llvm::toString(P.takeError()));
  return std::move(*P);
}

Refusal refusePlan(llvm::StringRef Text) {
  Refusal R;
  llvm::Expected<Plan> P = parsePlan(Text, "plan.yaml");
  if (P) {
    FAIL_CHECK("the plan was accepted");
    return R;
  }
  llvm::Error Rest = llvm::handleErrors(P.takeError(), [&](const PlanError &E) {
    R.Kind = E.kind();
    R.Rendered = E.rendered();
  });
  if (Rest)
    FAIL_CHECK("not a PlanError: " << llvm::toString(std::move(Rest)));
  return R;
}

} // namespace excise::test
