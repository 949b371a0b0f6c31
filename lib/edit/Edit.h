//===- Edit.h - Replacements that remember why they exist -------*- C++ -*-===//
//
// Every change excise makes is a clang::tooling::Replacement (offset, length,
// text) that also carries the plan rule it comes from and the chain of cascade
// steps that led to it, so that `excise explain` and the review formats can say
// why. Conflicts are decided by clang::tooling::Replacements alone.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EDIT_EDIT_H
#define EXCISE_EDIT_EDIT_H

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace excise {

/// Why an edit was made: a plan rule and the steps that led from it.
struct EditCause {
  std::string RuleId;
  std::vector<std::string> Reason;

  /// "rule-id → step → step".
  std::string explanation() const;
};

bool operator==(const EditCause &A, const EditCause &B);

struct Edit {
  clang::tooling::Replacement Replacement;
  std::string RuleId;
  /// The cascade steps, outermost first, e.g. {"self.processing_log_repo
  /// (assigned from ProcessingLogRepo)", "call statement"}.
  std::vector<std::string> Reason;
  /// The other causes of an edit that several rules or steps made together
  /// (a rewrite's edit inside a guard the cascade unwrapped): each keeps its
  /// own rule and steps. Empty for most edits; never repeats RuleId/Reason.
  std::vector<EditCause> AlsoBy;
  /// The causes of edits this one made moot by deleting all they wrote (a
  /// rewrite inside a method the plan removes): not made, not counted, but
  /// shown by `explain` and the JSON report.
  std::vector<EditCause> Subsumed;

  unsigned offset() const { return Replacement.getOffset(); }
  unsigned length() const { return Replacement.getLength(); }
  llvm::StringRef text() const { return Replacement.getReplacementText(); }
  /// "rule-id: step → step → step".
  std::string explanation() const;
  /// Every cause, RuleId/Reason first, then AlsoBy.
  std::vector<EditCause> causes() const;
  /// The distinct rule ids of causes(), in that order.
  std::vector<std::string> ruleIds() const;
  /// Adds \p C to the causes unless it is one already.
  void addCause(EditCause C);
};

bool operator<(const Edit &A, const Edit &B);

/// An edit that overlaps another one; names both.
class EditConflictError : public llvm::ErrorInfo<EditConflictError> {
public:
  static char ID;
  EditConflictError(std::string File, Edit Existing, Edit New)
      : File(std::move(File)), Existing(std::move(Existing)),
        New(std::move(New)) {}
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

  std::string File;
  Edit Existing;
  Edit New;
};

/// The edits of one file, kept sorted and free of overlaps.
class FileEdits {
public:
  explicit FileEdits(std::string Path) : Path(std::move(Path)) {}

  /// Adds \p E. An identical edit is accepted once, with the causes of both;
  /// an edit that overlaps a different one is an EditConflictError naming
  /// both, and nothing changes.
  llvm::Error add(Edit E);
  /// Adds all of \p Group or none of it.
  llvm::Error addGroup(std::vector<Edit> Group);

  llvm::StringRef path() const { return Path; }
  bool empty() const { return Edits.empty(); }
  /// Sorted by offset, length, then text.
  const std::vector<Edit> &edits() const { return Edits; }
  const clang::tooling::Replacements &replacements() const { return Set; }

  /// \p Original with every edit applied.
  llvm::Expected<std::string> apply(llvm::StringRef Original) const;

private:
  std::string Path;
  clang::tooling::Replacements Set;
  std::vector<Edit> Edits;
};

} // namespace excise

#endif
