//===- Rewrite.h - Applying a `rewrite` rule to one file --------*- C++ -*-===//
//
// The entry point of the rewrite stage: a RewriteRule is the compiled form of
// a plan's RewriteSpec (pattern, fix, constraints, imports, files), and
// applyRewrite turns its matches in one file into edits. Rewrites run before
// the removal cascade: the driver applies their edits and the cascade works
// on the rewritten text.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_REWRITE_H
#define EXCISE_REWRITE_REWRITE_H

#include "edit/Edit.h"
#include "rewrite/RewriteSpec.h"
#include "python/SyntaxTree.h"
#include "rewrite/Imports.h"
#include "rewrite/Matcher.h"
#include "rewrite/Pattern.h"
#include "rewrite/Template.h"
#include "source/SourceFile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace excise {

/// A `rewrite` operation, validated and ready to run. Cheap to copy; safe to
/// use from several threads at once.
class RewriteRule {
public:
  /// Compiles \p Spec. A spec that came through parsePlan compiles; other
  /// specs may fail with a RewriteError (offset into the offending text).
  static llvm::Expected<RewriteRule> compile(const RewriteSpec &Spec);

  /// True when \p Path (relative to the root, forward slashes) is one of the
  /// rule's files: a .py file when the spec names none, otherwise a file a
  /// glob matches (`**` crossing directories) or one under a named directory.
  bool appliesTo(llvm::StringRef Path) const;
  /// False when \p Text lacks an identifier the pattern spells out, so that
  /// it cannot match and need not be parsed.
  bool mightMatch(llvm::StringRef Text) const;
  /// The identifiers every match contains, for the driver's prefilter.
  const std::vector<std::string> &anchors() const {
    return ThePattern.literalNames();
  }

  const Pattern &pattern() const { return ThePattern; }
  const Template &fix() const { return TheFix; }
  const std::vector<CompiledConstraint> &where() const { return Where; }
  const std::vector<ImportRequest> &imports() const { return Imports; }

private:
  RewriteRule(Pattern P, Template T)
      : ThePattern(std::move(P)), TheFix(std::move(T)) {}

  Pattern ThePattern;
  Template TheFix;
  std::vector<CompiledConstraint> Where;
  std::vector<ImportRequest> Imports;
  std::vector<std::string> Files;
};

/// The edits \p R makes to \p F, parsed as \p T: one per match, plus the
/// imports its fix needs when something matched. Each edit carries \p RuleId
/// and the reason "rewrite: matched `<first line of the match>`". An empty
/// fix deletes the matched statements like a removal does (a block left
/// empty gets `pass`); an expression match that is not a whole statement is
/// then left alone. The edits are sorted and free of conflicts. Fails with
/// an EditConflictError when edits overlap, and with a StringError when the
/// rewritten file would no longer parse (the file is then left to the
/// caller: nothing is applied). \p F's path is the one the edits name.
llvm::Expected<std::vector<Edit>> applyRewrite(const RewriteRule &R,
                                               const SourceFile &F,
                                               const SyntaxTree &T,
                                               llvm::StringRef RuleId);

} // namespace excise

#endif
