//===- BindingCheck.cpp ---------------------------------------------------===//
#include "invariant/BindingCheck.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <set>
#include <utility>

namespace excise {

unsigned OffsetMap::before(unsigned After, bool *Inside) const {
  int64_t Delta = 0;
  if (Inside)
    *Inside = false;
  for (const Edit &E : Edits) {
    int64_t NewStart = int64_t(E.offset()) + Delta;
    if (After < NewStart)
      break;
    if (After < NewStart + int64_t(E.text().size())) {
      if (Inside)
        *Inside = true;
      return E.offset();
    }
    Delta += int64_t(E.text().size()) - int64_t(E.length());
  }
  return unsigned(int64_t(After) - Delta);
}

const Edit *OffsetMap::editAt(unsigned Before) const {
  for (const Edit &E : Edits)
    if (E.offset() <= Before && Before < E.offset() + E.length())
      return &E;
  return nullptr;
}

std::string lostNameMessage(llvm::StringRef Module, llvm::StringRef Name,
                            const LostName &Why, bool ThroughStar) {
  std::string Where = Why.Where.empty() ? "" : " at " + Why.Where;
  if (ThroughStar)
    return "'" + Name.str() + "' came from 'from " + Module.str() +
           " import *', but the plan removes it" + Where +
           "; this use cannot be removed safely";
  return "'" + Name.str() + "' is no longer defined in '" + Module.str() +
         "': the plan removes it" + Where + "; this use cannot be removed safely";
}

namespace {

/// Where, why and by which rule the read of an unbound name lost its
/// binding: the first binding of it that reached the read before and that
/// an edit removes.
struct LostBinding {
  std::string RuleId;
  unsigned Line = 0;
};

LostBinding lostBindingOf(const ParsedFile &Before, unsigned ReadOffset,
                          const OffsetMap &Map, llvm::ArrayRef<Edit> Edits,
                          const llvm::DenseMap<unsigned, const Reference *> &OldReads) {
  LostBinding Lost;
  if (const Edit *Inside = Map.editAt(ReadOffset))
    Lost.RuleId = Inside->RuleId;
  auto It = OldReads.find(ReadOffset);
  if (It != OldReads.end())
    for (const Binding *B : Before.Scopes->bindingsOf(*It->second))
      if (const Edit *E = Map.editAt(B->NameNode.start())) {
        Lost.RuleId = E->RuleId;
        Lost.Line = Before.Source.position(B->NameNode.start()).Line;
        break;
      }
  if (Lost.RuleId.empty() && !Edits.empty())
    Lost.RuleId = Edits.front().RuleId;
  return Lost;
}

std::string unboundMessage(const UnboundRead &U, const LostBinding &Lost) {
  std::string Where =
      Lost.Line ? " the plan removes its binding at line " + std::to_string(Lost.Line)
                : " the plan's edits remove its binding";
  if (U.BoundLater)
    return "'" + U.Name + "' may be unbound here:" + Where +
           ", and the bindings left come after this use; it cannot be removed "
           "safely";
  return "'" + U.Name + "' is left unbound here:" + Where +
         "; this use cannot be removed safely";
}

} // namespace

EditedFileCheck checkEditedFile(const ParsedFile &Before, const ParsedFile &After,
                                llvm::ArrayRef<Edit> Edits,
                                const ModuleIndex &Modules, bool Moved) {
  EditedFileCheck Check;
  BindingFacts Old = bindingFacts(Before, Modules);
  Check.After = bindingFacts(After, Modules);
  BindingFacts &New = Check.After;
  OffsetMap Map(Edits);

  // A binding is removed when an edit takes its name away and the edit's
  // new text does not bind the name again (a rewrite of the statement).
  std::set<std::pair<std::string, unsigned>> Rebound;
  for (const auto &B : After.Scopes->bindings()) {
    bool Inside = false;
    unsigned At = Map.before(B->NameNode.start(), &Inside);
    if (Inside)
      Rebound.emplace(B->Name, At);
  }
  auto Removed = [&](const Binding *B) -> const Edit * {
    const Edit *E = Map.editAt(B->NameNode.start());
    return E && !Rebound.count({B->Name, E->offset()}) ? E : nullptr;
  };
  llvm::StringSet<> Touched;
  for (const auto &B : Before.Scopes->bindings())
    if (Removed(B.get()))
      Touched.insert(B->Name);

  llvm::DenseMap<unsigned, const Reference *> OldReads;
  if (!Touched.empty() || !New.Unbound.empty())
    for (const Reference &R : Before.Scopes->references())
      OldReads[R.Identifier.start()] = &R;
  llvm::DenseMap<unsigned, const UnboundRead *> UnboundAt;
  for (const UnboundRead &U : New.Unbound)
    UnboundAt[U.Offset] = &U;
  llvm::DenseSet<unsigned> Reported;
  llvm::StringRef NewText = After.Source.text();

  // A read that every path reached with a binding before, and that a path
  // reaches without one after: "may be unbound" at run time.
  for (const Reference &R : After.Scopes->references()) {
    llvm::StringRef Name = R.Identifier.text(NewText);
    if (!Touched.count(Name) || !R.Resolved)
      continue;
    bool Inside = false;
    unsigned OldAt = Map.before(R.Identifier.start(), &Inside);
    auto It = OldReads.find(OldAt);
    if (Inside || It == OldReads.end() || !definitelyBound(Before, *It->second) ||
        definitelyBound(After, R))
      continue;
    // The removed binding to name: the last before the read, else the first.
    const Binding *Lost = nullptr;
    for (const Binding *B : Before.Scopes->bindingsOf(*It->second))
      if (Removed(B) && (!Lost || B->NameNode.start() < OldAt))
        Lost = B;
    if (!Lost)
      continue;
    const Edit *By = Removed(Lost);
    unsigned Line = Before.Source.position(Lost->NameNode.start()).Line;
    Check.Leftovers.push_back(Diagnostic::at(
        Before.Source, OldAt, Severity::Warning,
        "'" + Name.str() + "' may be unbound here: the plan removes its binding at line " +
            std::to_string(Line) +
            ", and a path to this use is left without one; it cannot be removed safely",
        By->RuleId));
    Reported.insert(OldAt);
  }

  // Any other read left without a binding.
  llvm::DenseSet<unsigned> WasUnbound;
  for (const UnboundRead &U : Old.Unbound)
    WasUnbound.insert(U.Offset);
  for (UnboundRead &U : New.Unbound) {
    U.Offset = Map.before(U.Offset);
    if (WasUnbound.count(U.Offset) || Reported.count(U.Offset))
      continue;
    LostBinding Lost = lostBindingOf(Before, U.Offset, Map, Edits, OldReads);
    Check.Leftovers.push_back(Diagnostic::at(Before.Source, U.Offset, Severity::Warning,
                                             unboundMessage(U, Lost), Lost.RuleId));
  }
  for (ModuleUse &Use : New.Uses)
    Use.Offset = Map.before(Use.Offset);

  if (Moved || New.ModuleNames.count("__getattr__"))
    return Check;
  for (const auto &Entry : Old.ModuleNames) {
    if (New.ModuleNames.count(Entry.first()))
      continue;
    LostName L;
    const Edit *E = Map.editAt(Entry.second);
    L.RuleId = E ? E->RuleId : Edits.empty() ? "" : Edits.front().RuleId;
    L.Where = Before.Source.path().str() + ":" +
              std::to_string(Before.Source.position(Entry.second).Line);
    Check.Lost[Entry.first()] = std::move(L);
  }
  return Check;
}

} // namespace excise
