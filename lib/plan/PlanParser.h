//===- PlanParser.h - The walk over a plan's YAML nodes ---------*- C++ -*-===//
//
// Private to lib/plan: PlanParser walks the YAML nodes of a plan and fills a
// Plan, stopping at the first error. Its members are defined by job: reading
// nodes and checking values in PlanReading.cpp; the top level, the rules and
// 'verify' in PlanShape.cpp; the operations in PlanOperations.cpp; rewrites
// in PlanRewrite.cpp. parsePlan (Plan.cpp) runs it once the YAML is known to
// be valid.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_PLAN_PLANPARSER_H
#define EXCISE_PLAN_PLANPARSER_H

#include "plan/Plan.h"
#include "plan/PlanKeys.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <string>
#include <vector>

namespace excise::planparse {

/// True for a Python identifier. Non-ASCII bytes are accepted as identifier
/// characters: Python allows most letters, and a finer check buys nothing.
bool isPythonIdentifier(llvm::StringRef Name);

/// Returns the candidate closest to \p Word when it is close enough to be
/// what was meant, or an empty string.
llvm::StringRef closestName(llvm::StringRef Word,
                            llvm::ArrayRef<llvm::StringRef> Candidates);

/// \p Value between single quotes, with line breaks and other control
/// characters escaped so that a message stays on one line.
std::string quoted(llvm::StringRef Value);

/// `'a', 'b' or 'c'`.
std::string quotedList(llvm::ArrayRef<llvm::StringRef> Names);

/// A key of a mapping with its value, as met while walking the mapping.
struct Field {
  llvm::StringRef Key;
  PlanLocation KeyLoc;
  llvm::yaml::Node *Value;
};

/// What a path may name besides files below the root.
enum class PathUse {
  File,      ///< Must name something below the root.
  RootOk,    ///< May be the root itself (`.`).
  Directory, ///< May be the root; the root is written `./`.
};

/// Walks the YAML nodes of a plan and fills a Plan, stopping at the first
/// error. Locations are computed through the SourceMgr that owns the buffer.
class PlanParser {
public:
  PlanParser(Plan &P, llvm::SourceMgr &SM) : P(P), SM(SM) {}

  llvm::Error parseStream(llvm::yaml::Stream &Stream);

private:
  Plan &P;
  llvm::SourceMgr &SM;
  /// Where each rule id was first written, for duplicate ids.
  llvm::StringMap<PlanLocation> RuleIds;

  PlanLocation locate(llvm::SMLoc Loc) const {
    auto LineColumn = SM.getLineAndColumn(Loc);
    return {LineColumn.first, LineColumn.second};
  }
  PlanLocation locate(const llvm::yaml::Node *N, PlanLocation Fallback) const;

  llvm::Error fail(PlanLocation Loc, PlanErrorKind Kind,
                   const llvm::Twine &Message) const {
    return makePlanError(P, Loc, Kind, Message);
  }
  llvm::Error wrongType(const llvm::yaml::Node *N, PlanLocation Loc,
                        llvm::StringRef Expected) const;

  llvm::Error
  forEachField(llvm::yaml::MappingNode *M,
               llvm::function_ref<llvm::Error(const Field &)> Handle);
  /// forEachField for a mapping whose keys are the fixed set \p Known: any
  /// other key is refused as unknown in \p Where before \p Handle sees it.
  llvm::Error
  forEachField(llvm::yaml::MappingNode *M,
               llvm::ArrayRef<llvm::StringRef> Known, llvm::StringRef Where,
               llvm::function_ref<llvm::Error(const Field &)> Handle);
  llvm::Error unknownKey(const Field &F, llvm::StringRef Where,
                         llvm::ArrayRef<llvm::StringRef> Known) const;

  llvm::Expected<llvm::yaml::MappingNode *>
  readMapping(llvm::yaml::Node *N, PlanLocation Loc,
              llvm::StringRef Expected) const;
  llvm::Expected<PlanString> readString(llvm::yaml::Node *N, PlanLocation Loc,
                                        llvm::StringRef Expected) const;
  llvm::Expected<PlanString> readString(const Field &F,
                                        llvm::StringRef Expected) const {
    return readString(F.Value, F.KeyLoc, Expected);
  }
  llvm::Expected<bool> readBool(const Field &F) const;
  llvm::Error readStrings(const Field &F, llvm::StringRef Expected,
                          std::vector<PlanString> &Out) const;

  llvm::Error checkNonEmpty(const Field &F,
                            const std::vector<PlanString> &Values,
                            llvm::StringRef What) const;
  llvm::Error checkDottedName(const PlanString &S, bool AllowWildcard) const;
  llvm::Error checkPath(PlanString &S, PathUse Use) const;
  llvm::Error checkRegex(const PlanString &S, llvm::StringRef Pattern) const;

  llvm::Error parseTopLevel(llvm::yaml::Node *Root);
  llvm::Error parseRules(const Field &F);
  llvm::Error parseVerify(const Field &F);
  llvm::Error parseRule(llvm::yaml::Node *N, PlanLocation Loc);
  llvm::Error unknownRuleKey(const Field &F) const;
  llvm::Error parseOperation(Rule &R, const Field &F);
  llvm::Error parseNames(const Field &F, std::vector<PlanString> &Out);
  llvm::Error parseCalls(const Field &F, CallMatcher &Calls);
  llvm::Error parseArgs(const Field &F, std::vector<ArgumentPredicate> &Args);
  llvm::Error parseArgValue(llvm::yaml::Node *N, PlanLocation Loc,
                            ArgumentPredicate &Pred);
  llvm::Error parseMoves(const Field &F, std::vector<FileMove> &Moves);
  llvm::Error parseMove(llvm::yaml::Node *N, PlanLocation Loc,
                        std::vector<FileMove> &Moves);
  llvm::Error parseAddFile(const Field &F, NewFile &Add);
  llvm::Error parseReplace(const Field &F, TextReplacement &Replace);
  llvm::Error parseRewrite(const Field &F, RewriteSpec &Rewrite);
  llvm::Error parseWhere(const Field &F, std::vector<Constraint> &Where,
                         std::vector<PlanString> &Names);
  llvm::Error parseConstraint(const Field &F, llvm::StringRef Metavariable,
                              bool Negated, std::vector<Constraint> &Where);
  llvm::Error checkRewrite(const RewriteSpec &Rewrite,
                           const std::vector<PlanString> &WhereNames,
                           const llvm::yaml::Node *PatternNode,
                           const llvm::yaml::Node *FixNode,
                           const std::vector<const llvm::yaml::Node *> &ImportNodes);
  PlanLocation locateIn(const llvm::yaml::Node *N, const PlanString &S,
                        size_t Offset) const;
};

} // namespace excise::planparse

#endif
