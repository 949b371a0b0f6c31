//===- Plan.h - A removal plan, loaded and validated ------------*- C++ -*-===//
//
// The plan is the declarative YAML file that says what goes (SPEC §3). Loading
// it checks its shape completely, so that a bad plan is refused before any file
// of the tree is read: unknown keys, wrong types, unknown operations, duplicate
// rule ids and paths leaving the root are errors with the plan's file, line and
// column, the offending line and a caret.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_PLAN_PLAN_H
#define EXCISE_PLAN_PLAN_H

#include "rewrite/RewriteSpec.h"
#include "source/PlanString.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace excise {

/// A predicate on one argument of a call, from `remove-calls: {args: ...}`.
/// A plain value matches a string literal whose value equals it; a value
/// written as "re:PATTERN" matches a string literal's value or, for any other
/// argument, its source text, by regular expression search. A keyword written
/// with the value "*" must be passed, with any value: it is the regex ".*".
struct ArgumentPredicate {
  std::optional<unsigned> Position; ///< Set for positional predicates (0-based).
  std::string Keyword;              ///< Set for keyword predicates.
  bool IsRegex = false;
  std::string Value; ///< Literal value, or the pattern without "re:".
  PlanLocation Loc;
};

/// `remove-calls`: call statements to delete.
struct CallMatcher {
  /// The callee as written, dotted, `*` standing for one segment
  /// (`logger.info`, `*.log_checkpoint`). Empty when Function is used.
  PlanString Callee;
  /// A qualified name resolved through imports (`src.flow.log_checkpoint`).
  PlanString Function;
  std::vector<ArgumentPredicate> Args;
};

struct FileMove {
  PlanString From;
  PlanString To; ///< A file path, or a directory when it ends with '/'.
};

struct NewFile {
  PlanString Path;
  std::string Content;
};

struct TextReplacement {
  std::vector<PlanString> Files; ///< Globs relative to the root.
  PlanString From;               ///< Literal, or "re:PATTERN".
  std::string To;
  bool WholeWord = true;
};

enum class OperationKind {
  RemoveSymbol,
  RemoveModule,
  RemoveCalls,
  DeleteFiles,
  MoveFiles,
  AddFile,
  ReplaceText,
  Rewrite,
};

/// The spelling of \p Kind in plan files (`remove-symbol`, ...).
llvm::StringRef operationName(OperationKind Kind);

/// One entry of `rules:`. Exactly the member matching Kind is filled.
struct Rule {
  std::string Id;
  PlanLocation Loc; ///< Where the rule's mapping starts.
  OperationKind Kind = OperationKind::RemoveSymbol;
  PlanLocation OperationLoc; ///< Where the operation key is written.
  bool Optional = false;     ///< A missing target is a warning, not an error.

  std::vector<PlanString> Symbols; ///< remove-symbol: dotted qualified names.
  std::vector<PlanString> Modules; ///< remove-module: dotted module names.
  CallMatcher Calls;               ///< remove-calls.
  std::vector<PlanString> Paths;   ///< delete-files: paths or globs.
  std::vector<FileMove> Moves;     ///< move-files.
  NewFile Add;                     ///< add-file.
  TextReplacement Replace;         ///< replace-text.
  RewriteSpec Rewrite;             ///< rewrite.
};

struct VerifySpec {
  std::vector<PlanString> Absent;
  std::vector<PlanString> Paths; ///< Empty means the whole root.
  /// Which hits in Python files count (`count: [code, strings, comments]`);
  /// all three by default. Other files are plain text and always count.
  bool CountCode = true;
  bool CountStrings = true;
  bool CountComments = true;
};

struct Plan {
  std::string Name;
  std::string Description;
  PlanString ImportRoot{".", {}};
  std::vector<Rule> Rules;
  VerifySpec Verify;

  std::string FilePath; ///< The plan file as given on the command line.
  std::string Text;     ///< The plan file's bytes, for located messages.
};

/// Kinds of plan errors; each message says which.
enum class PlanErrorKind {
  Io,             ///< The plan file cannot be read.
  Syntax,         ///< Not valid YAML (or not UTF-8).
  UnknownKey,     ///< A key the plan format does not have.
  UnknownOperation,
  WrongType,      ///< A scalar where a list is needed, and so on.
  MissingKey,
  DuplicateRuleId,
  InvalidValue,   ///< A bad regular expression, an empty name, ...
  PathOutsideRoot,
  UnresolvedTarget, ///< A symbol or module that is not in the tree.
  Conflict,         ///< Two rules whose edits overlap.
};

/// An error about the plan, located in the plan file. Its message is already
/// rendered clang-style (`plan.yaml:3:5: error: ...`, the line, a caret) and
/// ends with a newline; log() prints it without that final newline, as LLVM
/// adds its own when it joins errors.
class PlanError : public llvm::ErrorInfo<PlanError> {
public:
  static char ID;
  PlanError(PlanErrorKind Kind, std::string Rendered)
      : Kind(Kind), Rendered(std::move(Rendered)) {}

  PlanErrorKind kind() const { return Kind; }
  const std::string &rendered() const { return Rendered; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  PlanErrorKind Kind;
  std::string Rendered;
};

/// Makes a PlanError at \p Loc of \p P, rendering the plan line and a caret.
llvm::Error makePlanError(const Plan &P, PlanLocation Loc, PlanErrorKind Kind,
                          const llvm::Twine &Message);

/// Loads and validates the plan in \p Text; \p FilePath names it in messages.
/// Shape errors (YAML syntax, unknown or missing keys, wrong types, duplicate
/// ids, paths that leave the root) are PlanErrors. Whether symbols and modules
/// exist is checked later, against the tree.
llvm::Expected<Plan> parsePlan(llvm::StringRef Text, llvm::StringRef FilePath);

/// A key of the plan format and the mapping that accepts it.
struct PlanKey {
  llvm::StringRef Key; ///< As written in a plan: `callee`, `whole-word`, ...
  /// The mapping: "top level", "rule" (whose keys include the operations'
  /// names), "remove-calls", "move-files", "add-file", "replace-text",
  /// "rewrite", "where" (a metavariable's constraints), "not" or "verify".
  llvm::StringRef Where;
};

/// Every key the plan format accepts, with where it is accepted. These are
/// the tables the parser checks keys against, not a copy of them. Keys that
/// are names rather than fixed words (a metavariable under `where`, a keyword
/// argument in `remove-calls` `args`) are not listed.
std::vector<PlanKey> planKeys();

/// Reads \p FilePath from disk and parses it.
llvm::Expected<Plan> loadPlan(llvm::StringRef FilePath);

} // namespace excise

#endif
