//===- RunResult.h - What a run found, for the output formats ---*- C++ -*-===//
//
// What a run of a plan produced: the changes, the diagnostics, the summary
// of each rule and the verify findings. The driver fills it; the output
// formats (lib/emit) and the command line read it.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EMIT_RUNRESULT_H
#define EXCISE_EMIT_RUNRESULT_H

#include "edit/FileChange.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/STLExtras.h"

#include <string>
#include <vector>

namespace excise {

struct RuleSummary {
  std::string RuleId;
  unsigned Edits = 0;
  unsigned Files = 0;
  unsigned Leftovers = 0;
};

struct RunResult {
  /// Sorted by path; empty when the changes went to a ChangeSink.
  std::vector<FileChange> Changes;
  std::vector<Diagnostic> Diagnostics; ///< Sorted by file and offset.
  std::vector<RuleSummary> Summary;    ///< In plan order.
  /// Hits of the plan's `verify.absent` names in the tree as the plan leaves
  /// it, sorted; empty when the plan has no verify section or nothing is left.
  std::vector<Diagnostic> Verification;
  unsigned FilesRead = 0;
  unsigned FilesParsed = 0;
  unsigned FilesChanged = 0; ///< Changes made, whether kept or sent to a sink.

  /// True when some diagnostic is a leftover or an error about the tree.
  bool hasFindings() const {
    return llvm::any_of(Diagnostics,
                        [](const Diagnostic &D) { return D.Level != Severity::Note; });
  }
};

} // namespace excise

#endif
