//===- Pattern.h - Python code with metavariables, compiled ----*- C++ -*-===//
//
// A rewrite's `pattern:` is Python source in which `$NAME` stands for any one
// syntax node and `$$$NAME` for a run of arguments, items, parameters or
// statements (NAME in capitals, digits and `_`; a name starting with `_`, and
// a bare `$$$`, match without binding). `$` is not valid Python, so each
// metavariable is first replaced by an identifier no real code uses
// (`__excise_mv_NAME`, `__excise_mvs_NAME`) and the result is parsed with
// tree-sitter-python like any file. The compiled pattern is that tree.
//
// A `$` inside a string literal or a comment of the pattern is plain text.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_PATTERN_H
#define EXCISE_REWRITE_PATTERN_H

#include "python/SyntaxTree.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace excise {

/// A problem with the text of a rewrite (its pattern, fix, a constraint or an
/// import), at byte \p Offset of that text. The plan loader turns it into a
/// PlanError located in the plan file.
class RewriteError : public llvm::ErrorInfo<RewriteError> {
public:
  static char ID;
  RewriteError(std::string Message, size_t Offset)
      : Message(std::move(Message)), Offset(Offset) {}

  const std::string &reason() const { return Message; }
  size_t offset() const { return Offset; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string Message;
  size_t Offset;
};

/// One metavariable as written in a pattern or a fix.
struct MetavariableRef {
  std::string Name;        ///< Without `$`; "_" for a bare `$$$`.
  bool IsSequence = false; ///< Written `$$$NAME`.
  size_t Offset = 0;       ///< Of the first `$`.
  size_t Length = 0;       ///< Of the whole reference, `$`s included.
  bool InString = false;   ///< Inside a string literal or a comment.
};

/// Finds the metavariable references of \p Text (a pattern or a fix), in
/// order. A `$` outside strings and comments that does not start a valid
/// reference is a RewriteError at its offset.
llvm::Expected<std::vector<MetavariableRef>>
scanMetavariables(llvm::StringRef Text);

/// True for a name that binds what it matches (not `_`, `_X`).
bool isCapturingName(llvm::StringRef Name);

/// True when \p Kind is a named node kind of tree-sitter-python (`call`,
/// `identifier`, ...).
bool isNodeKind(llvm::StringRef Kind);

/// The named node kinds of tree-sitter-python, for suggestions.
std::vector<llvm::StringRef> nodeKinds();

/// The children of \p N that take part in matching: all but comments, line
/// continuations, the commas and semicolons that only separate, and the
/// parentheses around imported names.
std::vector<Node> significantChildren(Node N);

/// A metavariable placeholder found in the pattern's tree.
struct PatternHole {
  llvm::StringRef Name;
  bool IsSequence = false;
};

/// A compiled pattern. Cheap to copy: copies share the parsed tree, which
/// lives as long as the last copy.
class Pattern {
public:
  /// Parses \p Source. Fails with a RewriteError (offset into \p Source) when
  /// it is empty, is not valid Python, writes a `$` that starts no
  /// metavariable, uses one name as both `$X` and `$$$X`, or puts `$$$X`
  /// where only one node fits.
  static llvm::Expected<Pattern> compile(llvm::StringRef Source);

  /// The nodes to match: one (an expression, or a statement that is not an
  /// expression statement) or, for a statement run, two or more statements.
  /// They point into text(), not into the original source.
  const std::vector<Node> &roots() const;
  /// True when the pattern is two or more statements, matched against
  /// consecutive statements of one block.
  bool isStatementRun() const;
  /// The pattern after metavariables were replaced by identifiers.
  llvm::StringRef text() const;
  /// Every metavariable of the pattern, each name once, in order.
  const std::vector<MetavariableRef> &metavariables() const;
  /// The metavariable \p Name as the pattern binds it, if it does.
  const MetavariableRef *find(llvm::StringRef Name) const;
  /// The metavariable \p N stands for, when \p N is a placeholder identifier
  /// (or a statement that is only one).
  std::optional<PatternHole> holeOf(Node N) const;
  /// The identifiers the pattern spells out (not metavariables): a file that
  /// lacks one of them cannot match.
  const std::vector<std::string> &literalNames() const;

private:
  struct Compiled;
  explicit Pattern(std::shared_ptr<const Compiled> Impl)
      : Impl(std::move(Impl)) {}
  std::shared_ptr<const Compiled> Impl;
};

/// Replaces every metavariable reference of \p Text that \p Refs lists by its
/// placeholder identifier. \p OriginalOffset receives, for each byte of the
/// result and one past its end, the offset in \p Text it comes from.
std::string substituteMetavariables(llvm::StringRef Text,
                                    llvm::ArrayRef<MetavariableRef> Refs,
                                    std::vector<size_t> &OriginalOffset);

/// A RewriteError for the first syntax error of \p Tree, parsed from a text
/// whose bytes map back through \p OriginalOffset; \p What names the text
/// ("pattern", "fix", "import").
llvm::Error syntaxError(const SyntaxTree &Tree, llvm::StringRef Text,
                        const std::vector<size_t> &OriginalOffset,
                        llvm::StringRef What);

} // namespace excise

#endif
