//===- Removals.h - What is removed, and why --------------------*- C++ -*-===//
#ifndef EXCISE_SEMANTICS_REMOVALS_H
#define EXCISE_SEMANTICS_REMOVALS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace excise {

/// Why something goes: the plan rule and the cascade steps from the rule to
/// it, outermost first.
struct Cause {
  std::string RuleId;
  std::vector<std::string> Chain;
  /// Causes of other rules for the same thing (two rules each removing one
  /// name of an import statement that goes whole), one per rule, each with
  /// its own chain. Empty for most causes.
  std::vector<Cause> Also;
  /// What is removed holds what a removed function returned (`enabled =
  /// start_profiler()`), not a removed thing itself: a test of it is a test
  /// of that result, not of the thing's presence.
  bool Result = false;

  /// This cause extended by one step (every rule's chain).
  Cause then(std::string Step) const {
    Cause C = *this;
    for (Cause &Other : C.Also)
      Other.Chain.push_back(Step);
    C.Chain.push_back(std::move(Step));
    return C;
  }

  /// Adds \p Other's rules that this cause does not name yet to Also.
  void join(const Cause &Other);
};

/// The qualified names that a plan removes: modules (with everything in them)
/// and symbols (with their attributes), including what the cascade derives,
/// such as `pkg.mod.Class.attr` for an attribute assigned from a removed
/// thing, or a function that became a no-op.
class RemovalSet {
public:
  /// Adds \p Name; returns false when it (or a prefix of it) was already there.
  bool add(llvm::StringRef Name, Cause Why, bool IsModule = false);
  /// The cause when \p Name or one of its dotted prefixes is removed.
  const Cause *match(llvm::StringRef Name) const;
  /// True when exactly \p Name was added as a module.
  bool isRemovedModule(llvm::StringRef Name) const;
  /// False when no segment of the dotted \p Name is the last segment of a
  /// removed name: then neither \p Name nor anything it re-exports or
  /// inherits (which keep that segment) can be removed. A cheap test before
  /// the costly resolution.
  bool mayMatch(llvm::StringRef Name) const;
  /// Records that the plan itself removes \p Name, a name bound at a
  /// module's top level (added before with add()): an identifier spelled
  /// like its last segment that no scope binds is then a use of it
  /// (targetSpelled).
  void addModuleLevelTarget(llvm::StringRef Name);
  /// The cause of the plan's module-level target whose last segment is
  /// \p Identifier, or null: for a use no binding explains, such as one
  /// whose import an earlier run of the plan removed.
  const Cause *targetSpelled(llvm::StringRef Identifier) const;
  /// Records that the plan itself names \p Name, a member of a class
  /// (`pkg.mod.Cls.track`, added before with add()): the overrides of such
  /// a method in the project's subclasses go with it.
  void addClassMemberTarget(llvm::StringRef Name);
  /// True when the plan itself names \p Name as a member of a class.
  bool isClassMemberTarget(llvm::StringRef Name) const {
    return MemberTargets.count(Name) != 0;
  }
  /// True when the plan names a member of a class called \p Member: a
  /// cheap test before looking for the method an override overrides.
  bool namesClassMember(llvm::StringRef Member) const {
    return MemberTargetNames.count(Member) != 0;
  }
  /// The names in the order they were added.
  const std::vector<std::string> &names() const { return Order; }
  size_t size() const { return Order.size(); }

private:
  struct Entry {
    Cause Why;
    bool IsModule;
  };
  llvm::StringMap<Entry> Entries;
  llvm::StringMap<bool> LastSegments;
  llvm::StringMap<std::string> TargetsByLastSegment;
  llvm::StringSet<> MemberTargets;
  llvm::StringSet<> MemberTargetNames; ///< Their last segments.
  std::vector<std::string> Order;
};

} // namespace excise

#endif
