//===- CallRules.h - Which calls a remove-calls rule removes ----*- C++ -*-===//
//
// A `remove-calls` rule names a callee, as written or as the function it
// resolves to through the file's imports, and optional predicates on its
// arguments (literal strings or regular expressions, by position or
// keyword). The cascade deletes a statement that is only such a call, and
// reports one whose value is used.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_CALLRULES_H
#define EXCISE_SEMANTICS_CALLRULES_H

#include "plan/Plan.h"
#include "semantics/Project.h"

#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <vector>

namespace excise {

/// A compiled `remove-calls` rule.
struct CallRule {
  std::string RuleId;
  CallMatcher Matcher;
  /// Compiled patterns, parallel to Matcher.Args (null for literal values).
  std::vector<std::shared_ptr<llvm::Regex>> Patterns;
};

/// True when \p Call (a `call` node of \p File) matches \p Rule.
bool matchesCallRule(const ParsedFile &File, Node Call, const CallRule &Rule,
                     const Project &Proj);

} // namespace excise

#endif
