//===- Output.h - Presenting a run: patch, explanation, apply ---*- C++ -*-===//
#ifndef EXCISE_DRIVER_OUTPUT_H
#define EXCISE_DRIVER_OUTPUT_H

#include "driver/Run.h"
#include "plan/Plan.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace excise {

enum class OutputMode { Diff, Apply, Check, Verify, Explain };

/// How `diff` and `check` print their findings (`--format`).
enum class OutputFormat { Diff, Json, Sarif, Rdjson, FixesYaml };

struct OutputOptions {
  OutputMode Mode = OutputMode::Diff;
  OutputFormat Format = OutputFormat::Diff;
  std::string Path = "-"; ///< Where the patch or explanation goes.
  bool Color = false;     ///< Colors in the patch.
  bool DiagnosticColor = false;
  bool Quiet = false;
  /// Plan notes (a target found nowhere, a rule that matched nothing) make
  /// `check` and `verify` exit 1, and are printed even when quiet.
  bool Strict = false;
  std::string Root = ".";
  unsigned Jobs = 0; ///< Threads staging `apply`'s files; 0: one per core.
};

/// Presents a run: takes its changes as they are made (a ChangeSink) and
/// streams the patch, the explanation or `apply`'s staged files a batch at a
/// time; only the formats that print one document (JSON, SARIF, rdjson,
/// fixes YAML) keep the changes until the end. A patch or explanation going
/// to a file is written to a temporary beside it and renamed at the end.
/// A writer destroyed before finish() removes what it staged or half wrote.
class OutputWriter {
public:
  OutputWriter(const Plan &P, OutputOptions Options);
  ~OutputWriter();
  OutputWriter(const OutputWriter &) = delete;
  OutputWriter &operator=(const OutputWriter &) = delete;

  /// Takes the next changes in path order.
  llvm::Error take(std::vector<FileChange> &Batch);
  /// Prints the diagnostics, the mode's remaining output and the summary;
  /// for `apply`, flushes the staged files and renames them into place.
  /// Returns the process exit code (0, or 1 when `check` finds something).
  llvm::Expected<int> finish(RunResult &Result);

private:
  llvm::raw_ostream &output();
  llvm::Error closeOutput();
  llvm::Error stage(std::vector<FileChange> &Batch);
  llvm::Error applyStaged(llvm::raw_ostream &Log);
  void discard();

  const Plan &P;
  OutputOptions Options;
  bool Finished = false;
  /// The changes without their texts and edits: what `apply` and `check`
  /// report at the end.
  std::vector<FileChange> Shells;
  /// The whole changes, for the formats that print one document.
  std::vector<FileChange> Kept;
  /// The patch or explanation file being written, and its temporary.
  std::unique_ptr<llvm::raw_fd_ostream> File;
  int FileFD = -1;
  std::string FileTemp;
  std::error_code FileError; ///< The temporary could not be created.
  llvm::raw_null_ostream Nowhere;
  /// `apply`: new contents written beside their targets, not yet renamed.
  struct Staged {
    std::string Temp, Target;
  };
  std::vector<Staged> Staging;
  std::set<std::string> Directories; ///< Cleared of stale temporaries.
};

/// Prints diagnostics to stderr and the mode's output; for `apply`, writes the
/// changes under Options.Root. Returns the process exit code (0, or 1 when
/// `check` finds something). For a result whose changes are all at hand.
llvm::Expected<int> writeOutput(const Plan &P, const RunResult &Result,
                                const OutputOptions &Options);

/// Writes one change of the `explain` listing: every edit, file:line:col,
/// its rule and the chain of cascade steps that caused it.
void writeExplanation(llvm::raw_ostream &OS, const FileChange &C);

} // namespace excise

#endif
