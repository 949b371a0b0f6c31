//===- Removals.cpp -------------------------------------------------------===//
#include "semantics/Removals.h"

#include "llvm/ADT/STLExtras.h"

namespace excise {

void Cause::join(const Cause &Other) {
  auto Names = [&](llvm::StringRef Rule) {
    return Rule == RuleId ||
           llvm::any_of(Also, [&](const Cause &C) { return C.RuleId == Rule; });
  };
  if (!Names(Other.RuleId))
    Also.push_back({Other.RuleId, Other.Chain, {}});
  for (const Cause &C : Other.Also)
    if (!Names(C.RuleId))
      Also.push_back(C);
}

bool RemovalSet::add(llvm::StringRef Name, Cause Why, bool IsModule) {
  if (match(Name))
    return false;
  Entries.try_emplace(Name, Entry{std::move(Why), IsModule});
  llvm::StringRef Last = Name.rsplit('.').second;
  LastSegments[Last.empty() ? Name : Last] = true;
  Order.push_back(Name.str());
  return true;
}

const Cause *RemovalSet::match(llvm::StringRef Name) const {
  for (llvm::StringRef Prefix = Name; !Prefix.empty();) {
    auto It = Entries.find(Prefix);
    if (It != Entries.end())
      return &It->second.Why;
    size_t Dot = Prefix.rfind('.');
    if (Dot == llvm::StringRef::npos)
      break;
    Prefix = Prefix.take_front(Dot);
  }
  return nullptr;
}

bool RemovalSet::mayMatch(llvm::StringRef Name) const {
  while (!Name.empty()) {
    auto [Segment, Rest] = Name.split('.');
    if (LastSegments.count(Segment))
      return true;
    Name = Rest;
  }
  return false;
}

void RemovalSet::addModuleLevelTarget(llvm::StringRef Name) {
  llvm::StringRef Last = Name.rsplit('.').second;
  TargetsByLastSegment.try_emplace(Last.empty() ? Name : Last, Name.str());
}

void RemovalSet::addClassMemberTarget(llvm::StringRef Name) {
  MemberTargets.insert(Name);
  MemberTargetNames.insert(Name.rsplit('.').second);
}

const Cause *RemovalSet::targetSpelled(llvm::StringRef Identifier) const {
  auto It = TargetsByLastSegment.find(Identifier);
  return It == TargetsByLastSegment.end() ? nullptr : match(It->second);
}

bool RemovalSet::isRemovedModule(llvm::StringRef Name) const {
  auto It = Entries.find(Name);
  return It != Entries.end() && It->second.IsModule;
}

} // namespace excise
