//===- TestSupport.h - Running plans over in-memory trees -------*- C++ -*-===//
#ifndef EXCISE_TEST_TESTSUPPORT_H
#define EXCISE_TEST_TESTSUPPORT_H

#include "driver/Run.h"
#include "plan/Plan.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <string>

namespace excise::test {

/// Path (relative to the root, forward slashes) -> file content.
using Tree = std::map<std::string, std::string>;

/// The outcome of running a plan over an in-memory tree.
struct TreeRun {
  Tree After;               ///< Every file of the tree after the plan.
  RunResult Result;         ///< Changes and diagnostics as excise reports them.
  std::string ErrorMessage; ///< Set when runPlan or plan parsing failed.

  /// Diagnostics rendered one per line as `file:line:col: message [rule]`.
  std::string diagnostics() const;
};

/// \p Files in memory under `/repo`, which is also the working directory.
llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> inMemoryTree(const Tree &Files);

/// Parses \p PlanYaml and runs it over \p Files with the given job count.
TreeRun runOnTree(const Tree &Files, llvm::StringRef PlanYaml,
                  unsigned Jobs = 1);

/// Runs the plan and returns the new text of \p File (the old text when the
/// plan does not change it). Fails the current test when the run fails.
std::string afterPlan(const Tree &Files, llvm::StringRef PlanYaml,
                      llvm::StringRef File);

/// Drops the newline that follows `R"py(` so that code can start on its own
/// line in the test source.
std::string py(const char *Text);

/// \p S written \p N times in a row.
std::string repeat(const std::string &S, unsigned N);

/// True when tree-sitter parses \p Source without ERROR or MISSING nodes.
bool parsesCleanly(llvm::StringRef Source);

/// The plan in \p Text (as `plan.yaml`); fails the current test when it is
/// refused.
Plan acceptPlan(llvm::StringRef Text);

/// The kind and rendered text of the error a plan is refused with.
struct Refusal {
  PlanErrorKind Kind = PlanErrorKind::Io;
  std::string Rendered;
};

/// The error the plan in \p Text is refused with; fails the current test
/// (and returns an empty Refusal) when it is accepted or refused with
/// something other than a PlanError.
Refusal refusePlan(llvm::StringRef Text);

} // namespace excise::test

#endif
