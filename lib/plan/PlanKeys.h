//===- PlanKeys.h - The keys each mapping of a plan accepts -----*- C++ -*-===//
//
// Private to lib/plan: the fixed sets of keys the parser checks each kind of
// mapping against, and the operations' names, which are a rule's other keys.
// planKeys() (PlanKeys.cpp) lists these same tables.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_PLAN_PLANKEYS_H
#define EXCISE_PLAN_PLANKEYS_H

#include "plan/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <vector>

namespace excise::planparse {

// The keys each kind of mapping accepts. The parser refuses any other key of
// such a mapping before it reads the value, and planKeys() lists these very
// tables (KeyTables in PlanKeys.cpp), so what is accepted and what is listed
// are one.
inline const llvm::StringRef TopLevelKeys[] = {
    "plan", "description", "import-root", "rules", "verify"};
inline const llvm::StringRef RuleKeys[] = {"id", "optional", "description"};
inline const llvm::StringRef VerifyKeys[] = {"absent", "paths", "count"};
inline const llvm::StringRef CallKeys[] = {"callee", "function", "args"};
inline const llvm::StringRef MoveKeys[] = {"from", "to"};
inline const llvm::StringRef AddFileKeys[] = {"path", "content"};
inline const llvm::StringRef ReplaceKeys[] = {"files", "from", "to",
                                              "whole-word"};
inline const llvm::StringRef RewriteKeys[] = {"pattern", "fix", "where",
                                              "imports", "files"};
inline const llvm::StringRef ConstraintKeys[] = {"regex", "kind", "not"};
inline const llvm::StringRef NegatedConstraintKeys[] = {"regex", "kind"};

/// The operations' names, in the order of the table of operations.
std::vector<llvm::StringRef> operationNames();

/// The operation spelt \p Name, if it is one.
std::optional<OperationKind> operationKind(llvm::StringRef Name);

} // namespace excise::planparse

#endif
