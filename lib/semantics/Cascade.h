//===- Cascade.h - What a removal implies in one file -----------*- C++ -*-===//
//
// Given what the plan (and the cascade so far) removes, works out for one file
// every statement that goes, every guard that simplifies, every block that
// empties, and the references that cannot be removed safely (leftovers). It
// also reports what the file adds to the removed set (a no-op function, an
// attribute assigned from a removed thing), which the driver feeds back until
// nothing new appears.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_CASCADE_H
#define EXCISE_SEMANTICS_CASCADE_H

#include "edit/Edit.h"
#include "plan/Plan.h"
#include "semantics/Project.h"
#include "semantics/Removals.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace excise {

/// A compiled `remove-calls` rule.
struct CallRule {
  std::string RuleId;
  CallMatcher Matcher;
  /// Compiled patterns, parallel to Matcher.Args (null for literal values).
  std::vector<std::shared_ptr<llvm::Regex>> Patterns;
};

struct CascadeContext {
  const Project &Proj;
  const RemovalSet &Removed;
  const std::vector<CallRule> &Calls;
};

struct FileOutcome {
  std::vector<Edit> Edits; ///< Sorted, non-overlapping.
  std::vector<Diagnostic> Diagnostics;
  /// Qualified names this file adds to the removed set, with their causes.
  std::vector<std::pair<std::string, Cause>> Discovered;
  /// Every question the analysis asked of the removed set, one per line:
  /// `+NAME` (is NAME removed, following base classes), `-NAME` (without
  /// them), `=NAME` (is NAME or a dotted prefix of it in the set). A leading
  /// `@` in NAME stands for the file's module and a dot. The result depends
  /// on the removed set only through these answers, so a later round needs
  /// to analyse the file again only when a new name changes one of them
  /// (see queriesAffectedBy).
  std::string Queries;
};

/// The names a cascade round added to the removed set, indexed by their last
/// segment for queriesAffectedBy.
struct RoundNames {
  RoundNames() = default;
  RoundNames(std::vector<std::string> Added, const Project &Proj);

  std::vector<std::string> Names;
  llvm::StringMap<std::vector<size_t>> ByLast; ///< Last segment -> Names index.
  /// One of them is a class, which changes how the attributes of its
  /// subclasses resolve.
  bool HasClass = false;
};

/// True when adding \p New's names, except those \p Ignored accepts, to the
/// removed set could change the answer to one of \p Queries
/// (FileOutcome::Queries of a file of module \p Module). Conservative: true
/// whenever it cannot tell.
bool queriesAffectedBy(llvm::StringRef Queries, llvm::StringRef Module,
                       const RoundNames &New,
                       llvm::function_ref<bool(llvm::StringRef)> Ignored,
                       const Project &Proj);

/// Works out the cascade in \p File. The file must have parsed.
/// \p RewrittenAway names whose uses a rewrite took out of the file, with the
/// rewrite's cause: their imports and private definitions become orphans like
/// those whose uses the removal took.
FileOutcome analyzeFile(const ParsedFile &File, const CascadeContext &Context,
                        const llvm::StringMap<Cause> *RewrittenAway = nullptr);

/// True when \p Call (a `call` node of \p File) matches \p Rule.
bool matchesCallRule(const ParsedFile &File, Node Call, const CallRule &Rule,
                     const Project &Proj);

} // namespace excise

#endif
