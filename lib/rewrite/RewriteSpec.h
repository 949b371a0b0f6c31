//===- RewriteSpec.h - A rewrite rule as the plan writes it -----*- C++ -*-===//
//
// What a `rewrite` rule of the plan says (pattern, fix, conditions, imports,
// files), as plain data: the plan loads it, lib/rewrite compiles it.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_REWRITESPEC_H
#define EXCISE_REWRITE_REWRITESPEC_H

#include "source/PlanString.h"

#include <string>
#include <vector>

namespace excise {

/// A condition on what a metavariable of a `rewrite` pattern binds, from
/// `where: {NAME: {regex: ..., kind: ..., not: {...}}}`. All the conditions
/// of a rewrite must hold for a match to count.
struct Constraint {
  enum class Test {
    Regex, ///< The bound source text contains a match of Value (POSIX ERE).
    Kind,  ///< The bound node is of tree-sitter-python kind Value; for a
           ///< `$$$` run, every node of it is.
  };
  std::string Metavariable; ///< Its name without `$`, e.g. "REPO".
  Test What = Test::Regex;
  std::string Value;
  bool Negated = false; ///< Written under `not:`: the test must fail.
  PlanLocation Loc;     ///< Where the value is written.
};

/// `rewrite`: a structural search and replace on the syntax tree (see
/// lib/rewrite). Rewrites run before the removal cascade, which then sees
/// the rewritten text.
struct RewriteSpec {
  /// Python source with metavariables (`$NAME`, `$$$NAME`): one expression,
  /// or one or more consecutive statements.
  PlanString Pattern;
  /// What a match becomes, with the pattern's metavariables; empty to delete
  /// the matched statements.
  PlanString Fix;
  std::vector<Constraint> Where;
  /// Import statements the fix needs (`from .event_logger import
  /// EventLogger`), added to a changed file when it lacks them.
  std::vector<PlanString> Imports;
  std::vector<PlanString> Files; ///< Globs; empty means every .py file.
};

} // namespace excise

#endif
