//===- CascadeSyntax.h - What the cascade asks of Python syntax -*- C++ -*-===//
//
// Small questions about statements and expressions that every room of the
// cascade asks: a block's statements, a clause's block, whether evaluating
// an expression can do anything, private and dunder names, and how a removed
// expression is named in a reason.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_CASCADESYNTAX_H
#define EXCISE_SEMANTICS_CASCADESYNTAX_H

#include "python/SyntaxTree.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace excise::cascade {

/// A key for the statement \p N (its range), stable across walks.
inline uint64_t keyOf(Node N) { return (uint64_t(N.start()) << 32) | N.end(); }

/// The statements of \p Block (a `block` or the `module`), comments aside.
std::vector<Node> statementsOf(Node Block);

/// The block of a clause or compound statement.
Node blockOf(Node N);

/// The ':' ending the header of clause \p N, or a null node.
Node colonOf(Node N);

inline bool isDunder(llvm::StringRef Name) {
  return Name.size() > 4 && Name.startswith("__") && Name.endswith("__");
}

inline bool isPrivate(llvm::StringRef Name) {
  return Name.startswith("_") && !isDunder(Name);
}

/// True when \p S is a string alone (a docstring).
bool isStringStatement(Node S);
/// True when \p S is an assignment alone.
bool isAssignmentStatement(Node S);

/// True when the callee \p Name (dotted) is spelled like what makes an
/// object: a class (`Repo`, `models.AuditLog`) or a factory (`get_logger`,
/// `create_client`, `make_`, `build_`, `new_`, `open_`, `connect`, `load_`).
bool namesFactory(llvm::StringRef Name);

/// True when the call \p Call logs: a method `debug`, `info`, `warning`,
/// `warn`, `error`, `exception`, `critical` or `log` of a receiver named like
/// a logger (`log`, `logger`, `self.logger`, `logging`, `_log`...).
bool isLoggingCall(Node Call, llvm::StringRef Src);

/// True when \p E is used as an object: the object of an attribute, the
/// value of a subscript or the function of a call (where None fails).
bool usedAsObject(Node E);

/// True when evaluating \p N cannot do anything observable: names,
/// attributes, literals and operators on them, no calls.
bool isSideEffectFree(Node N);

/// What a removed expression is, for messages: `db_logger`, `Repo`.
std::string describe(Node N, llvm::StringRef Src);

/// True when \p Segment is one of the dotted \p Name's segments.
bool hasSegment(llvm::StringRef Name, llvm::StringRef Segment);

} // namespace excise::cascade

#endif
