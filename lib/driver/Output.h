//===- Output.h - Presenting a run: patch, explanation, apply ---*- C++ -*-===//
#ifndef EXCISE_DRIVER_OUTPUT_H
#define EXCISE_DRIVER_OUTPUT_H

#include "driver/Run.h"
#include "plan/Plan.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

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
  std::string Root = ".";
  unsigned Jobs = 0; ///< Threads staging `apply`'s files; 0: one per core.
};

/// Prints diagnostics to stderr and the mode's output; for `apply`, writes the
/// changes under Options.Root. Returns the process exit code (0, or 1 when
/// `check` finds something).
llvm::Expected<int> writeOutput(const Plan &P, const RunResult &Result,
                                const OutputOptions &Options);

/// Writes the `explain` listing: every edit, file:line:col, its rule and the
/// chain of cascade steps that caused it.
void writeExplanation(llvm::raw_ostream &OS, const RunResult &Result);

/// Writes what \p Write prints to \p Path atomically: a temporary file in
/// the same directory, flushed to disk, then renamed over the target, with
/// \p Mode.
llvm::Error writeFileAtomically(llvm::StringRef Path, unsigned Mode,
                                llvm::function_ref<void(llvm::raw_ostream &)> Write);

} // namespace excise

#endif
