//===- Matcher.h - Finding a pattern in a syntax tree -----------*- C++ -*-===//
//
// Matching compares trees, not text. A pattern node matches a node of the
// same kind whose significant children (comments, line continuations and
// separating commas left out) match in order; tokens and other leaves match
// by text (string quotes `'` and `"` are the same). On top of that:
//
//  - `$X` matches any one named node (in a block, any one statement). Written
//    twice, both places must hold the same code, layout and comments aside.
//  - `$$$X` matches a possibly empty run of the named nodes of a list:
//    arguments, list/tuple/set items, parameters, imported names,
//    statements. A run in the middle of a list is as short as possible; a
//    run that ends the pattern's list takes everything up to its end.
//  - The keyword arguments a pattern spells out (`f(x=1, y=$Y)`) are found
//    by name in any order; the other arguments, `$$$` runs included, match
//    what is left, in order.
//  - A pattern of several statements matches consecutive statements of one
//    block (or of the module), never across blocks. Its range starts at the
//    comment lines directly above its first statement and ends after the
//    trailing comment of its last one: comments inside the run belong to it.
//    A one-statement or expression pattern covers exactly its node.
//  - `where:` constraints must all hold, or the match does not count.
//
// Matches never overlap: inside a match nothing else is looked for.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_MATCHER_H
#define EXCISE_REWRITE_MATCHER_H

#include "rewrite/RewriteSpec.h"
#include "python/SyntaxTree.h"
#include "rewrite/Pattern.h"
#include "source/SourceFile.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace excise {

/// What a metavariable matched, in the file's tree.
struct MetaBinding {
  enum class Shape {
    Node,       ///< `$X`: one node.
    Items,      ///< `$$$X` in a list of arguments, items, parameters, names.
    Statements, ///< `$$$X` in a block.
  };
  Shape Kind = Shape::Node;
  std::vector<Node> Nodes; ///< One for Shape::Node; possibly none for a run.

  /// The bound source text: the node's, or the run's joined with ", " (items)
  /// or line breaks (statements). Used by `where: {regex: ...}`.
  std::string text(llvm::StringRef Source) const;
};

/// One place where the pattern matches.
struct Match {
  /// The bytes the match covers (see the file comment for statement runs).
  unsigned Start = 0;
  unsigned End = 0;
  /// The matched node, or the first and last statements of a run.
  Node First;
  Node Last;
  /// For statement runs: the enclosing `block` or `module`, and the indices
  /// of First and Last among its statements. Null for node matches.
  Node Block;
  size_t FirstIndex = 0;
  size_t LastIndex = 0;
  /// Capturing metavariables (not `_`, `_X`), by name.
  std::vector<std::pair<std::string, MetaBinding>> Bindings;

  const MetaBinding *binding(llvm::StringRef Name) const;
};

/// A compiled `where:` constraint.
struct CompiledConstraint {
  std::string Metavariable;
  Constraint::Test What = Constraint::Test::Regex;
  std::string Kind;
  std::shared_ptr<llvm::Regex> Regex; ///< Set for Test::Regex.
  bool Negated = false;

  /// True when \p B satisfies the constraint (negation applied).
  bool holds(const MetaBinding &B, llvm::StringRef Source) const;
};

/// Compiles \p Where against \p P: each names a metavariable of the pattern,
/// each regex is valid, each kind is a node kind of tree-sitter-python.
/// Errors are RewriteErrors whose offset is meaningless; the plan loader
/// checks the same things with locations.
llvm::Expected<std::vector<CompiledConstraint>>
compileConstraints(const Pattern &P, llvm::ArrayRef<Constraint> Where);

/// Every match of \p P in \p Tree (the parse of \p File) that satisfies
/// \p Where, in source order. Nodes of the result borrow from \p Tree.
std::vector<Match> findMatches(const Pattern &P,
                               llvm::ArrayRef<CompiledConstraint> Where,
                               const SourceFile &File, const SyntaxTree &Tree);

} // namespace excise

#endif
