//===- Verify.h - The plan's `verify` section -------------------*- C++ -*-===//
//
// Like the `rg` checks that close a removal plan, but syntax-aware: a name that
// must be absent is looked up in the tree as the plan leaves it, and each hit
// in a Python file says whether it is in code, in a string or in a comment.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_VERIFY_H
#define EXCISE_DRIVER_VERIFY_H

#include "plan/Plan.h"
#include "source/Diagnostic.h"

#include <string>
#include <vector>

namespace excise {

/// The hits of \p P's `verify.absent` names in the file \p Path whose text
/// after the plan is \p Text. Whole words only; Python files are parsed to
/// tell code, strings and comments apart (and to count only the kinds the
/// plan asks for); binary files are skipped.
std::vector<Diagnostic> verifyFile(const Plan &P, const std::string &Path,
                                   const std::string &Text);

/// True when \p Path is one of the plan's `verify.paths` (or under one).
bool isVerified(const Plan &P, llvm::StringRef Path);

} // namespace excise

#endif
