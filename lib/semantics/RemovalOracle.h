//===- RemovalOracle.h - Is this name or node removed, and why --*- C++ -*-===//
//
// Answers, for one file, whether a qualified name, a binding or an
// expression refers to something removed, and with which cause: through the
// plan's removed set, the names the file discovered (a no-op function, an
// attribute assigned from a removed thing) and the bindings it tainted (a
// variable assigned from a removed value). Every question goes into the
// file's QueryLog; a fact that grows after a walk asked about it marks the
// walk late (RoundState::LateGrowth), so that it is walked again.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_REMOVALORACLE_H
#define EXCISE_SEMANTICS_REMOVALORACLE_H

#include "semantics/Cascade.h"
#include "semantics/QueryLog.h"
#include "semantics/RoundState.h"

#include "llvm/ADT/DenseMap.h"

#include <map>
#include <optional>
#include <string>

namespace excise::cascade {

/// What a removed expression is.
struct RemovedValue {
  const Cause *Why = nullptr;
  bool ViaCall = false; ///< The value is the result of calling it.
  Node Root;            ///< The removed name or attribute at its base.
  /// The value is what a removed function returned, kept in a local or an
  /// attribute (see Cause::Result): tested like a call's result.
  bool Result = false;
};

class RemovalOracle {
public:
  /// \p File, \p Ctx and \p Round must outlive the oracle; \p Round is the
  /// walk in progress (the caller makes it fresh for each walk).
  RemovalOracle(const ParsedFile &File, const CascadeContext &Ctx,
                RoundState &Round);

  /// The cause when the qualified \p Name is removed, following class
  /// inheritance for attributes and re-exports for imports.
  const Cause *removedName(llvm::StringRef Name, bool FollowBases = true) const;
  /// The cause when binding \p B refers to a removed thing.
  const Cause *removedBinding(const Binding *B) const;
  /// removedBinding(B), asked by \p B's own definition: if that alone asked
  /// about B, a later fact about B does not make the walk late (see grew()),
  /// since the definition goes with the cause a second walk would give it.
  const Cause *removedOwnDefinition(const Binding *B) const;
  /// Whether \p E evaluates to a removed thing (or its attribute, its call's
  /// result, an awaited call of it...).
  std::optional<RemovedValue> removedValue(Node E) const;
  /// Whether removedValue() can answer anything but "not removed": not
  /// while the plan removes no name and this file has found none.
  bool anythingRemoved() const;

  /// The qualified name of \p B when it is bound at module or class level
  /// (`pkg.mod.Cls.name`), or "".
  std::string definedName(const Binding *B) const;
  /// The qualified name \p E spells, resolved through the file's bindings.
  std::string qualify(Node E) const;
  /// True when \p Attr is `self.x` (or `cls.x`) inside a method; sets the
  /// class's qualified name.
  bool selfAttribute(Node Attr, std::string *ClassName) const;
  /// How many `self.Attr = ...` targets class \p Cls has in the file.
  unsigned selfAssignments(const std::string &Cls,
                           const std::string &Attr) const;

  /// The method \p Member of an ancestor of class \p Cls (qualified) that
  /// the plan names, when it is the removed interface that `Cls.Member`
  /// overrides and `super().Member` in \p Cls reaches: \p Member is not a
  /// dunder, that method does not extend an inherited one (it does not
  /// call `super().Member`), and no other ancestor provides \p Member but
  /// the ones that override it too (a known library base such as
  /// unittest.TestCase provides what the library says). Its cause, and \p Root set to its
  /// qualified name; null otherwise.
  const Cause *removedInheritedMethod(const std::string &Cls,
                                     llvm::StringRef Member,
                                     std::string *Root) const;

  /// Records a question asked of the removed set without asking it.
  void record(Query::Kind Kind, llvm::StringRef Name) const;
  const QueryLog &log() const { return Log; }

  /// \p B now refers to a removed thing.
  void taint(const Binding *B, Cause Why);
  /// The qualified \p Name is removed too; \p B, when given, is the binding
  /// \p Name is the qualified name of.
  void discover(const std::string &Name, Cause Why, const Binding *B = nullptr);
  /// The names this file added to the removed set.
  const std::map<std::string, Cause> &discovered() const { return Discovered; }

private:
  const Cause *removedNameUncached(llvm::StringRef Name,
                                   bool FollowBases) const;
  bool mayMatchDiscovered(llvm::StringRef Name) const;
  const Cause *removedOverride(const Binding *B, const std::string &Name) const;
  const Cause *removedSuperMember(Node Attr) const;
  std::string withoutModule(llvm::StringRef Name) const;
  std::string selfClassOf(const Binding *B) const;
  void countSelfTargets(Node Left);
  void grew(llvm::StringRef Name, const Binding *B);

  const ParsedFile &F;
  const CascadeContext &Ctx;
  llvm::StringRef Src;
  /// Whether the text says `import *` anywhere: a name bound nowhere may be
  /// bound by a star import. Asked for every builtin read, so said once.
  bool SaysStarImport;
  const ScopeTree &ST;
  /// The walk in progress: its cached answers and what it asked are changed
  /// by the const questions too.
  RoundState &Round;

  // Facts that persist across walks.
  llvm::DenseMap<const Binding *, Cause> Tainted;
  std::map<std::string, Cause> Discovered;
  /// Every question asked of the removed set, for FileOutcome::Queries.
  mutable QueryLog Log;

  /// class qualified name -> attribute -> `self.attr = ...` statements.
  std::map<std::string, std::map<std::string, unsigned>> SelfAssignments;
  /// selfClassOf, per binding: `self.x` is everywhere in a class.
  mutable llvm::DenseMap<const Binding *, std::string> SelfClass;
  /// removedOverride's answers, per method binding: they depend on the
  /// plan's names and the project, which a file's walks do not change.
  mutable std::map<const Binding *, std::optional<Cause>> Overrides;
};

} // namespace excise::cascade

#endif
