//===- RemovalOracle.cpp --------------------------------------------------===//
#include "semantics/RemovalOracle.h"

#include "python/Builtins.h"
#include "python/LibraryClasses.h"
#include "semantics/CascadeSyntax.h"
#include "source/Words.h"

#include "llvm/ADT/STLExtras.h"

namespace excise::cascade {

RemovalOracle::RemovalOracle(const ParsedFile &File, const CascadeContext &Ctx,
                             RoundState &Round)
    : F(File), Ctx(Ctx), Src(File.Source.text()), SaysStarImport(Src.contains("import *")),
      ST(*File.Scopes),
      Round(Round) {
  for (Node N : F.Assignments)
    countSelfTargets(N.field("left"));
}

/// Counts `self.x = ...` targets (also inside tuple targets) per class.
void RemovalOracle::countSelfTargets(Node Left) {
  if (!Left)
    return;
  if (Left.is("pattern_list") || Left.is("tuple_pattern") ||
      Left.is("list_pattern")) {
    for (Node C : Left.namedChildren())
      countSelfTargets(C);
    return;
  }
  std::string Cls;
  if (Left.is("attribute") && selfAttribute(Left, &Cls))
    ++SelfAssignments[Cls][Left.field("attribute").text(Src).str()];
}

unsigned RemovalOracle::selfAssignments(const std::string &Cls,
                                        const std::string &Attr) const {
  auto C = SelfAssignments.find(Cls);
  if (C == SelfAssignments.end())
    return 0;
  auto A = C->second.find(Attr);
  return A == C->second.end() ? 0 : A->second;
}

bool RemovalOracle::selfAttribute(Node Attr, std::string *ClassName) const {
  Node Object = Attr.field("object");
  if (!Object.is("identifier"))
    return false;
  const Reference *R = ST.referenceAt(Object);
  if (!R)
    return false;
  auto Bs = ST.bindingsOf(*R);
  if (Bs.empty())
    return false;
  auto [It, New] = SelfClass.try_emplace(Bs.front());
  if (New)
    It->second = selfClassOf(Bs.front());
  if (It->second.empty())
    return false;
  *ClassName = It->second;
  return true;
}

/// The qualified name of the class whose method takes \p B as its first
/// parameter, or "".
std::string RemovalOracle::selfClassOf(const Binding *B) const {
  if (B->Kind != BindingKind::Parameter)
    return "";
  const Scope *Fn = B->Owner;
  if (Fn->Kind != Scope::Function || !Fn->Parent ||
      Fn->Parent->Kind != Scope::Class)
    return "";
  Node::Children Ps = Fn->Owner.field("parameters").namedChildren();
  if (Ps.empty() || Ps.front() != B->NameNode)
    return "";
  return Project::qualifiedName(F, *Fn->Parent);
}

void RemovalOracle::record(Query::Kind Kind, llvm::StringRef Name) const {
  Log.record(Kind, Name);
  if (Kind == Query::WithoutBases && !Round.SelfQueries.empty())
    Round.SelfQueries.erase(Name);
}

bool RemovalOracle::mayMatchDiscovered(llvm::StringRef Name) const {
  return llvm::any_of(Discovered, [&](const auto &Entry) {
    return hasSegment(Name, llvm::StringRef(Entry.first).rsplit('.').second);
  });
}

bool RemovalOracle::anythingRemoved() const {
  return Ctx.Removed.size() != 0 || !Discovered.empty() || !Tainted.empty();
}

const Cause *RemovalOracle::removedName(llvm::StringRef Name,
                                        bool FollowBases) const {
  Query::Kind Kind = FollowBases ? Query::FollowingBases : Query::WithoutBases;
  record(Kind, Name);
  if (Ctx.Removed.size() == 0 && Discovered.empty())
    return nullptr;
  if (!Ctx.Removed.mayMatch(Name) && !mayMatchDiscovered(Name))
    return nullptr;
  auto Cached = Round.Answers[Kind].find(Name);
  if (Cached != Round.Answers[Kind].end())
    return Cached->second;
  const Cause *Result = removedNameUncached(Name, FollowBases);
  Round.Answers[Kind][Name] = Result;
  return Result;
}

const Cause *RemovalOracle::removedNameUncached(llvm::StringRef Name,
                                                bool FollowBases) const {
  // A name spelled through a removed module (or symbol) is gone with it,
  // whatever it re-exports: `from app.db.base import Database`, where
  // base.py holds `from sqlite3 import dbapi2 as Database`, fails once
  // base.py is deleted. Only then is the re-export followed.
  if (const Cause *C = Ctx.Removed.match(Name))
    return C;
  std::string Canon = Ctx.Proj.canonical(Name);
  if (const Cause *C = Ctx.Removed.match(Canon))
    return C;
  auto D = Discovered.find(Canon);
  if (D != Discovered.end())
    return &D->second;
  // `Sub.attr` is removed when a base class's `attr` is (not when the base
  // class itself is: then Sub stays and naming it is a leftover).
  if (!FollowBases)
    return nullptr;
  for (size_t Dot = Canon.rfind('.'); Dot != std::string::npos && Dot > 0;
       Dot = Canon.rfind('.', Dot - 1)) {
    llvm::StringRef Cls = llvm::StringRef(Canon).take_front(Dot);
    if (!Ctx.Proj.isClass(Cls))
      continue;
    llvm::StringRef Rest = llvm::StringRef(Canon).drop_front(Dot);
    for (const std::string &Base : Ctx.Proj.ancestors(Cls)) {
      if (Ctx.Removed.match(Base))
        continue;
      if (const Cause *C = Ctx.Removed.match(Base + Rest.str()))
        return C;
      // What this file discovered about its own base classes counts too.
      auto D = Discovered.find(Base + Rest.str());
      if (D != Discovered.end())
        return &D->second;
    }
    break;
  }
  return nullptr;
}

const Cause *RemovalOracle::removedBinding(const Binding *B) const {
  Round.SelfAsked.erase(B);
  Round.BindingsAsked.insert(B);
  auto T = Tainted.find(B);
  if (T != Tainted.end())
    return &T->second;
  switch (B->Kind) {
  case BindingKind::Import:
  case BindingKind::ImportFrom:
    return B->ImportTarget.empty() ? nullptr : removedName(B->ImportTarget);
  case BindingKind::Function:
  case BindingKind::Class:
  case BindingKind::Assignment: {
    std::string Name = definedName(B);
    if (Name.empty())
      return nullptr;
    // A definition is removed by name, not through its class's bases...
    if (const Cause *Why = removedName(Name, /*FollowBases=*/false))
      return Why;
    // ...but a method that overrides a removed one implements what the
    // plan removes: it goes too.
    if (B->Kind == BindingKind::Function && B->Owner->Kind == Scope::Class)
      return removedOverride(B, Name);
    return nullptr;
  }
  default:
    return nullptr;
  }
}

/// Why method \p B (qualified name \p Name) goes as the override of a
/// removed method, or null.
const Cause *RemovalOracle::removedOverride(const Binding *B,
                                            const std::string &Name) const {
  auto [It, New] = Overrides.try_emplace(B);
  if (New) {
    std::string Cls = llvm::StringRef(Name).rsplit('.').first.str();
    std::string Root;
    if (const Cause *Why = removedInheritedMethod(Cls, B->Name, &Root))
      It->second = Why->then(withoutModule(Name) + " overrides removed " +
                             withoutModule(Root));
  }
  return It->second ? &*It->second : nullptr;
}

const Cause *RemovalOracle::removedInheritedMethod(const std::string &Cls,
                                                   llvm::StringRef Member,
                                                   std::string *Root) const {
  // `__init__` and the other protocol methods are not an interface of the
  // removed class: every class has them.
  if (isDunder(Member) || !Ctx.Removed.namesClassMember(Member))
    return nullptr;
  // Asked as `self.Member` is, so that the query log knows what the
  // answer depends on (a base class removed in a later round, a method of
  // another base removed too).
  if (!removedName(Cls + "." + Member.str()))
    return nullptr;
  std::vector<std::string> Ancestors = Ctx.Proj.ancestors(Cls);
  for (const std::string &Base : Ancestors) {
    std::string Method = Base + "." + Member.str();
    // A removed class takes its methods along, and its subclasses stay.
    if (Ctx.Removed.match(Base) || !Ctx.Removed.isClassMemberTarget(Method) ||
        Ctx.Proj.memberKind(Base, Member) != Project::MemberKind::Method)
      continue;
    // Another ancestor that provides the member keeps it there, unless it
    // is a subclass of Base (its definition is an override that goes) or
    // the plan removes its definition as well.
    bool Kept = llvm::any_of(Ancestors, [&](const std::string &Other) {
      // `setUp` of a removed base of test cases overrides
      // unittest.TestCase's, as the subclasses' do.
      if (isKnownLibraryClass(Other))
        return libraryClassHas(Other, Member);
      if (Other == Base ||
          Ctx.Proj.memberKind(Other, Member) == Project::MemberKind::Absent ||
          Ctx.Removed.match(Other + "." + Member.str()))
        return false;
      return !llvm::is_contained(Ctx.Proj.ancestors(Other), Base);
    });
    if (Kept)
      return nullptr;
    *Root = Method;
    return Ctx.Removed.match(Method);
  }
  return nullptr;
}

/// Why `super().X` (\p Attr) in a method reaches only a removed method, or
/// null.
const Cause *RemovalOracle::removedSuperMember(Node Attr) const {
  Node Object = Attr.field("object");
  if (!Object.is("call"))
    return nullptr;
  Node Callee = Object.field("function");
  if (!Callee.is("identifier") || Callee.text(Src) != "super")
    return nullptr;
  // The builtin, not a name the file binds.
  if (const Reference *R = ST.referenceAt(Callee); !R || !ST.bindingsOf(*R).empty())
    return nullptr;
  // Without arguments, super() needs the method's own frame.
  const Scope *Fn = ST.scopeAt(Attr);
  if (!Fn || Fn->Kind != Scope::Function || !Fn->Parent ||
      Fn->Parent->Kind != Scope::Class)
    return nullptr;
  std::string Cls = Project::qualifiedName(F, *Fn->Parent);
  if (Cls.empty())
    return nullptr;
  std::string Root;
  return removedInheritedMethod(Cls, Attr.field("attribute").text(Src), &Root);
}

/// \p Name without the module it is in: `AnalyticsBackend.track`.
std::string RemovalOracle::withoutModule(llvm::StringRef Name) const {
  std::string Module = Ctx.Proj.modules().longestModulePrefix(Name);
  if (Module.empty() || Module.size() >= Name.size())
    return Name.str();
  return Name.drop_front(Module.size() + 1).str();
}

const Cause *RemovalOracle::removedOwnDefinition(const Binding *B) const {
  bool AskedBefore = Round.BindingsAsked.count(B);
  std::string Name = definedName(B);
  bool NameBefore = !Name.empty() && Log.contains(Query::WithoutBases, Name);
  if (const Cause *Why = removedBinding(B))
    return Why;
  if (!AskedBefore)
    Round.SelfAsked.insert(B);
  if (!Name.empty() && !NameBefore && Log.contains(Query::WithoutBases, Name))
    Round.SelfQueries.insert(Name);
  return nullptr;
}

std::string RemovalOracle::definedName(const Binding *B) const {
  if (B->Owner->Kind != Scope::Module && B->Owner->Kind != Scope::Class)
    return "";
  std::string Outer = Project::qualifiedName(F, *B->Owner);
  return Outer.empty() ? "" : Outer + "." + B->Name;
}

std::string RemovalOracle::qualify(Node E) const {
  if (E.is("attribute")) {
    std::string Cls;
    if (selfAttribute(E, &Cls))
      return Cls + "." + E.field("attribute").text(Src).str();
    std::string Object = qualify(E.field("object"));
    return Object.empty() ? ""
                          : Object + "." + E.field("attribute").text(Src).str();
  }
  if (!E.is("identifier"))
    return "";
  const Reference *R = ST.referenceAt(E);
  if (!R)
    return "";
  auto Bs = ST.bindingsOf(*R);
  if (Bs.empty())
    return "";
  const Binding *B = Bs.front();
  switch (B->Kind) {
  case BindingKind::Import:
  case BindingKind::ImportFrom:
    return B->ImportTarget.empty() ? "" : Ctx.Proj.canonical(B->ImportTarget);
  case BindingKind::Function:
  case BindingKind::Class:
  case BindingKind::Assignment:
    return definedName(B);
  default:
    return "";
  }
}

std::optional<RemovedValue> RemovalOracle::removedValue(Node E) const {
  llvm::StringRef K = E.kind();
  if (K == "identifier") {
    const Reference *R = ST.referenceAt(E);
    if (!R)
      return std::nullopt;
    auto Bs = ST.bindingsOf(*R);
    if (Bs.empty()) {
      // Bound nowhere: a use of a target whose binding is gone (a re-run
      // of the plan after its import went), unless a star import may
      // bind it.
      llvm::StringRef Name = E.text(Src);
      if (const Cause *C = Ctx.Removed.targetSpelled(Name))
        if (!isBuiltinName(Name) && !SaysStarImport)
          return RemovedValue{C, false, E};
      // Or a name a star import brings from a module where it is removed.
      if (!F.Module.empty() && SaysStarImport)
        if (const ModuleSummary *S = Ctx.Proj.summary(F.Module))
          for (const std::string &Star : S->Stars)
            if (const Cause *C = removedName(Star + "." + Name.str(), /*FollowBases=*/false))
              return RemovedValue{C, false, E};
      return std::nullopt;
    }
    const Cause *Why = nullptr;
    for (const Binding *B : Bs) {
      const Cause *C = removedBinding(B);
      if (!C)
        return std::nullopt;
      Why = Why ? Why : C;
    }
    return RemovedValue{Why, false, E, Why->Result};
  }
  if (K == "attribute") {
    if (auto R = removedValue(E.field("object")))
      return R;
    std::string Q = qualify(E);
    if (!Q.empty())
      if (const Cause *C = removedName(Q))
        return RemovedValue{C, false, E, C->Result};
    if (const Cause *C = removedSuperMember(E))
      return RemovedValue{C, false, E, C->Result};
    return std::nullopt;
  }
  if (K == "call") {
    if (auto R = removedValue(E.field("function"))) {
      R->ViaCall = true;
      return R;
    }
    return std::nullopt;
  }
  if (K == "await" || K == "parenthesized_expression") {
    Node::Children Kids = E.namedChildren();
    if (Kids.size() == 1)
      return removedValue(Kids.front());
    return std::nullopt;
  }
  if (K == "subscript")
    return removedValue(E.field("value"));
  return std::nullopt;
}

void RemovalOracle::taint(const Binding *B, Cause Why) {
  if (Tainted.try_emplace(B, std::move(Why)).second)
    grew(B->Name, B);
}

void RemovalOracle::discover(const std::string &Name, Cause Why,
                             const Binding *B) {
  record(Query::OrPrefix, Name);
  if (Ctx.Removed.match(Name) || Discovered.count(Name))
    return;
  Discovered.emplace(Name, std::move(Why));
  grew(llvm::StringRef(Name).rsplit('.').second, B);
}

/// A new fact about \p Name (the last segment of a discovered name, or a
/// tainted binding's name \p B). Lookups later in the walk see it; one made
/// before it could only have concerned a name with \p Name as a segment (as
/// asked, or canonical), \p B itself, or a statement whose skipped leftover
/// walk mentions \p Name.
void RemovalOracle::grew(llvm::StringRef Name, const Binding *B) {
  if (Round.LateGrowth)
    return;
  bool Asked = Name.empty() ||
               (B && Round.BindingsAsked.count(B) && !Round.SelfAsked.count(B));
  // A removedName lookup of a name without such a segment is cut short by
  // mayMatchDiscovered unless the plan's own names could match it, and
  // only then is the name made canonical first. (OrPrefix questions never
  // look at this file's facts.)
  if (!Asked)
    Asked = Log.any([&](Query::Kind Kind, llvm::StringRef Q) {
      if (Kind == Query::OrPrefix ||
          (Kind == Query::WithoutBases && Round.SelfQueries.count(Q)))
        return false;
      return hasSegment(Q, Name) || (Ctx.Removed.mayMatch(Q) &&
                                     hasSegment(Ctx.Proj.canonical(Q), Name));
    });
  for (size_t I = 0; !Asked && I < Round.SkippedWalks.size(); ++I)
    forEachWord(
        Src.slice(Round.SkippedWalks[I].first, Round.SkippedWalks[I].second),
        Name, [&](size_t) { return !(Asked = true); });
  Round.LateGrowth = Asked;
}

} // namespace excise::cascade
