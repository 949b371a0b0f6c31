//===- Diagnostic.h - Located messages for people and bots ------*- C++ -*-===//
#ifndef EXCISE_SOURCE_DIAGNOSTIC_H
#define EXCISE_SOURCE_DIAGNOSTIC_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace excise {

class SourceFile;

enum class Severity { Error, Warning, Note };

/// A message about one place in a file of the tree (or in the plan). Leftovers
/// of a removal are warnings; files that cannot be read or parsed are errors.
struct Diagnostic {
  Severity Level = Severity::Warning;
  std::string File;   ///< Path relative to the root (or the plan's path).
  unsigned Offset = 0; ///< Byte offset in the file.
  unsigned Line = 0;   ///< 1-based; 0 when the message is about the whole file.
  unsigned Column = 0; ///< 1-based, in bytes.
  std::string Message;
  std::string RuleId;   ///< The plan rule it comes from, empty when none.
  std::string LineText; ///< The source line, for the caret display; control
                        ///< bytes but tabs are shown as '?'.

  /// Builds a diagnostic at \p Offset of \p File, filling line, column and text.
  static Diagnostic at(const SourceFile &File, unsigned Offset, Severity Level,
                       std::string Message, std::string RuleId = "");
};

/// The rule id of the notes about the plan itself (a target found nowhere, a
/// rule that matched nothing), printed `[plan]`.
inline constexpr llvm::StringLiteral PlanNoteRule = "plan";

llvm::StringRef severityName(Severity Level);

/// Prints \p D clang-style: `file:line:col: severity: message [rule-id]`, then
/// the source line and a caret under the column.
void printDiagnostic(llvm::raw_ostream &OS, const Diagnostic &D,
                     bool Color = false);

/// Orders diagnostics by file, offset, then message, so that output does not
/// depend on thread timing.
bool operator<(const Diagnostic &A, const Diagnostic &B);

} // namespace excise

#endif
