//===- Cascade.cpp --------------------------------------------------------===//
//
// The file is analysed by one recursive walk over its blocks. Each statement
// either stays, goes (recorded in Deleted with its cause), or stays with edits
// inside it. A block whose statements all go reports itself empty, and its
// owner decides: a side-effect-free `if` goes, a `try` unwraps its `else` and
// `finally`, a function becomes a removed no-op, anything else gets `pass`.
// The walk repeats until local facts stop changing (a variable assigned from a
// removed value, an import whose last use went), then its edits are final.
//
//===----------------------------------------------------------------------===//
#include "semantics/Cascade.h"

#include "edit/Ranges.h"
#include "python/Builtins.h"
#include "source/Words.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace excise {
namespace {

uint64_t keyOf(Node N) { return (uint64_t(N.start()) << 32) | N.end(); }

bool isStatementContainer(Node N) { return N.is("block") || N.is("module"); }

std::vector<Node> statementsOf(Node Block) {
  std::vector<Node> Result;
  if (!Block)
    return Result;
  for (Node C : Block.namedChildren())
    if (!C.is("comment"))
      Result.push_back(C);
  return Result;
}

/// The block of a clause or compound statement.
Node blockOf(Node N) {
  if (Node B = N.field("body"))
    return B;
  if (Node B = N.field("consequence"))
    return B;
  Node Found;
  for (Node C : N.children())
    if (C.is("block"))
      Found = C;
  return Found;
}

bool isDunder(llvm::StringRef Name) {
  return Name.size() > 4 && Name.startswith("__") && Name.endswith("__");
}

bool isPrivate(llvm::StringRef Name) {
  return Name.startswith("_") && !isDunder(Name);
}

/// True when evaluating \p N cannot do anything observable: names,
/// attributes, literals and operators on them, no calls.
bool isSideEffectFree(Node N) {
  bool Free = true;
  N.walk([&](Node C) {
    if (C.is("call") || C.is("await") || C.is("yield") ||
        C.is("named_expression") || C.is("lambda"))
      Free = false;
    return Free;
  });
  return Free;
}

/// What a removed expression is, for messages: `db_logger`, `Repo`.
std::string describe(Node N, llvm::StringRef Src) {
  std::string S = N.text(Src).str();
  if (S.size() > 60 || S.find('\n') != std::string::npos) {
    size_t Cut = std::min<size_t>(S.find_first_of("(\n"), 60);
    S = S.substr(0, Cut) + "...";
  }
  return S;
}

struct PendingEdit {
  unsigned Start, End;
  std::string Text;
  Cause Why;
};

enum class Truth { Unknown, True, False };

/// What a test becomes once removed things are inert.
struct Condition {
  Truth Value = Truth::Unknown;
  /// For Unknown: the test's new source text when some operands went.
  std::optional<std::string> Residual;
  const Cause *Why = nullptr;
  std::string What;
};

/// True when \p Segment is one of the dotted \p Name's segments.
bool hasSegment(llvm::StringRef Name, llvm::StringRef Segment) {
  for (llvm::StringRef Rest = Name; !Rest.empty();) {
    auto [Head, Tail] = Rest.split('.');
    if (Head == Segment)
      return true;
    Rest = Tail;
  }
  return false;
}

class FileAnalyzer {
public:
  FileAnalyzer(const ParsedFile &F, const CascadeContext &C,
               const llvm::StringMap<Cause> *RewrittenAway)
      : F(F), Ctx(C), Src(F.Source.text()), SF(F.Source), ST(*F.Scopes),
        RewrittenAway(RewrittenAway) {
    indexReferences();
  }

  FileOutcome run() {
    // Local facts only grow, so this terminates; the bound is a safety net.
    for (unsigned Round = 0; Round < 64; ++Round) {
      Deleted.clear();
      Edits.clear();
      Diags.clear();
      LateGrowth = false;
      BindingsAsked.clear();
      SelfAsked.clear();
      SelfQueries.clear();
      SkippedWalks.clear();
      for (auto &Answers : NameCache)
        Answers.clear();
      // A module whose every statement goes becomes empty (its shebang and
      // encoding lines aside).
      if (visitBlock(F.Tree->root()))
        emitRuns(F.Tree->root(), statementsOf(F.Tree->root()));
      bool Same = sameKeys(Deleted, PrevDeleted);
      setPrevDeleted(Deleted);
      // Another round is needed only when a fact grew after something had
      // asked about it, or when the deletions changed in a way the orphan
      // rules can see.
      if (!LateGrowth && (Same || !anyOrphanCandidate()))
        break;
    }
    if (SkippedLeftoverWalk) {
      // Every question a skipped walk would have asked, and more: the log
      // must still name whatever a later round's names could change.
      // A name's question depends on its binding alone: one per binding.
      for (const auto &B : ST.bindings())
        removedBinding(B.get());
      // removedValue(A) asks about A's object (down to a binding, or to an
      // attribute of its own), then about A's qualified name. Every binding
      // was asked about above and every attribute is in the list, so asking
      // each attribute's name covers them all without walking each chain
      // again; where an object is removed it asks more than removedValue,
      // which stops there: still a superset.
      for (Node A : F.Attributes)
        if (std::string Q = qualify(A); !Q.empty())
          removedName(Q);
      for (Node S : F.Strings)
        if (llvm::StringRef Name = stringName(S); !Name.empty())
          logQuery(Query::FollowingBases, Name);
    }
    FileOutcome Out;
    for (PendingEdit &E : Edits) {
      Edit Ed;
      Ed.Replacement = clang::tooling::Replacement(
          F.Source.path(), E.Start, E.End - E.Start, E.Text);
      Ed.RuleId = E.Why.RuleId;
      Ed.Reason = E.Why.Chain;
      Out.Edits.push_back(std::move(Ed));
    }
    llvm::sort(Out.Edits);
    Out.Diagnostics = std::move(Diags);
    for (auto &Entry : Discovered)
      Out.Discovered.emplace_back(Entry.first, Entry.second);
    Out.Queries = Queried.entries(F.Module);
    return Out;
  }

private:
  const ParsedFile &F;
  const CascadeContext &Ctx;
  llvm::StringRef Src;
  const SourceFile &SF;
  const ScopeTree &ST;
  const llvm::StringMap<Cause> *RewrittenAway;

  /// The rewrite that took the last use of an otherwise unused binding.
  const Cause *rewrittenAway(const Binding *B) const {
    if (!RewrittenAway)
      return nullptr;
    auto It = RewrittenAway->find(B->Name);
    return It == RewrittenAway->end() ? nullptr : &It->second;
  }

  // Facts that persist across rounds.
  llvm::DenseMap<const Binding *, Cause> Tainted;
  std::map<std::string, Cause> Discovered;
  std::map<uint64_t, Cause> PrevDeleted;

  // Per round.
  std::map<uint64_t, Cause> Deleted;
  std::vector<PendingEdit> Edits;
  std::vector<Diagnostic> Diags;

  /// removedName() results of this round, by FollowingBases / WithoutBases.
  mutable llvm::StringMap<const Cause *> NameCache[2];
  /// Every question asked of the removed set, for FileOutcome::Queries.
  mutable QueryLog Queried;

  void logQuery(Query::Kind Kind, llvm::StringRef Name) const {
    Queried.record(Kind, Name);
    if (Kind == Query::WithoutBases && !SelfQueries.empty())
      SelfQueries.erase(Name);
  }

  /// True when some import or private definition has all its uses inside the
  /// deletions of PrevDeleted: the orphan rules would remove it next round.
  bool anyOrphanCandidate() const {
    for (const auto &BP : ST.bindings()) {
      const Binding *B = BP.get();
      bool Import = B->Kind == BindingKind::Import || B->Kind == BindingKind::ImportFrom;
      bool PrivateDef = isPrivate(B->Name) &&
                        (B->Owner->Kind == Scope::Module || B->Owner->Kind == Scope::Class);
      if (!Import && !PrivateDef)
        continue;
      if (Import ? orphaned(B) : orphanedDefinition(B))
        if (!insideDeleted(B->Statement))
          return true;
    }
    return false;
  }

  bool mayMatchDiscovered(llvm::StringRef Name) const {
    return llvm::any_of(Discovered, [&](const auto &Entry) {
      return hasSegment(Name, llvm::StringRef(Entry.first).rsplit('.').second);
    });
  }

  // Indexes built once.
  /// Uses of each name, per scope that binds it: every binding of a name in
  /// a scope sees the same uses, so they are kept once, not per binding.
  llvm::DenseMap<const Scope *, llvm::StringMap<std::vector<Node>>> UsesByScope;

  /// The uses of \p B's name that resolve to \p B's scope (null if none).
  const std::vector<Node> *usesOf(const Binding *B) const {
    auto S = UsesByScope.find(B->Owner);
    if (S == UsesByScope.end())
      return nullptr;
    auto N = S->second.find(B->Name);
    return N == S->second.end() ? nullptr : &N->second;
  }
  llvm::StringMap<std::vector<Node>> AttributeUses;
  /// class qualified name -> attribute -> `self.attr = ...` statements.
  std::map<std::string, std::map<std::string, unsigned>> SelfAssignments;

  template <typename M> static bool sameKeys(const M &A, const M &B) {
    if (A.size() != B.size())
      return false;
    return std::equal(A.begin(), A.end(), B.begin(),
                      [](const auto &X, const auto &Y) { return X.first == Y.first; });
  }

  //===--------------------------------------------------------------------===//
  // Indexes
  //===--------------------------------------------------------------------===//

  void indexReferences() {
    for (const Reference &R : ST.references())
      if (R.Resolved && !ST.bindingsOf(R).empty())
        UsesByScope[R.Resolved][R.Identifier.text(Src)].push_back(R.Identifier);
    for (Node N : F.Attributes)
      AttributeUses[N.field("attribute").text(Src)].push_back(N);
    for (Node N : F.Assignments)
      countSelfTargets(N.field("left"));
  }

  /// Counts `self.x = ...` targets (also inside tuple targets) per class.
  void countSelfTargets(Node Left) {
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

  /// True when \p Attr is `self.x` (or `cls.x`) inside a method; sets the
  /// class's qualified name.
  bool selfAttribute(Node Attr, std::string *ClassName) const {
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
  std::string selfClassOf(const Binding *B) const {
    if (B->Kind != BindingKind::Parameter)
      return "";
    const Scope *Fn = B->Owner;
    if (Fn->Kind != Scope::Function || !Fn->Parent || Fn->Parent->Kind != Scope::Class)
      return "";
    Node::Children Ps = Fn->Owner.field("parameters").namedChildren();
    if (Ps.empty() || Ps.front() != B->NameNode)
      return "";
    return Project::qualifiedName(F, *Fn->Parent);
  }
  /// selfClassOf, per binding: `self.x` is everywhere in a class.
  mutable llvm::DenseMap<const Binding *, std::string> SelfClass;

  //===--------------------------------------------------------------------===//
  // What is removed
  //===--------------------------------------------------------------------===//

  /// The cause when the qualified \p Name is removed, following class
  /// inheritance for attributes and re-exports for imports.
  const Cause *removedName(llvm::StringRef Name, bool FollowBases = true) const {
    Query::Kind Kind = FollowBases ? Query::FollowingBases : Query::WithoutBases;
    logQuery(Kind, Name);
    if (Ctx.Removed.size() == 0 && Discovered.empty())
      return nullptr;
    if (!Ctx.Removed.mayMatch(Name) && !mayMatchDiscovered(Name))
      return nullptr;
    auto Cached = NameCache[Kind].find(Name);
    if (Cached != NameCache[Kind].end())
      return Cached->second;
    const Cause *Result = removedNameUncached(Name, FollowBases);
    NameCache[Kind][Name] = Result;
    return Result;
  }

  const Cause *removedNameUncached(llvm::StringRef Name, bool FollowBases) const {
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

  /// The cause when binding \p B refers to a removed thing.
  const Cause *removedBinding(const Binding *B) const {
    SelfAsked.erase(B);
    BindingsAsked.insert(B);
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
      // A definition is removed by name, not through its class's bases.
      return Name.empty() ? nullptr : removedName(Name, /*FollowBases=*/false);
    }
    default:
      return nullptr;
    }
  }

  /// The qualified name of \p B when it is bound at module or class level
  /// (`pkg.mod.Cls.name`), or "".
  std::string definedName(const Binding *B) const {
    if (B->Owner->Kind != Scope::Module && B->Owner->Kind != Scope::Class)
      return "";
    std::string Outer = Project::qualifiedName(F, *B->Owner);
    return Outer.empty() ? "" : Outer + "." + B->Name;
  }

  /// The qualified name \p E spells, resolved through the file's bindings.
  std::string qualify(Node E) const {
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

  struct Removed {
    const Cause *Why = nullptr;
    bool ViaCall = false; ///< The value is the result of calling it.
    Node Root;            ///< The removed name or attribute at its base.
  };

  /// Whether \p E evaluates to a removed thing (or its attribute, its call's
  /// result, an awaited call of it...).
  std::optional<Removed> removedValue(Node E) const {
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
        if (const Cause *C = Ctx.Removed.targetSpelled(E.text(Src)))
          if (!isBuiltinName(E.text(Src)) && !Src.contains("import *"))
            return Removed{C, false, E};
        return std::nullopt;
      }
      const Cause *Why = nullptr;
      for (const Binding *B : Bs) {
        const Cause *C = removedBinding(B);
        if (!C)
          return std::nullopt;
        Why = Why ? Why : C;
      }
      return Removed{Why, false, E};
    }
    if (K == "attribute") {
      if (auto R = removedValue(E.field("object")))
        return R;
      std::string Q = qualify(E);
      if (!Q.empty())
        if (const Cause *C = removedName(Q))
          return Removed{C, false, E};
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

  //===--------------------------------------------------------------------===//
  // Recording decisions
  //===--------------------------------------------------------------------===//

  bool isDeleted(Node Stmt) const { return Deleted.count(keyOf(Stmt)); }

  /// True when \p N lies inside a statement deleted in the previous round.
  /// Nested deletions are covered by the outermost one, so the maximal ranges
  /// are disjoint and a binary search finds the only candidate.
  bool insideDeleted(Node N) const {
    auto It = std::upper_bound(PrevRanges.begin(), PrevRanges.end(),
                               std::make_pair(N.start(), ~0u));
    if (It == PrevRanges.begin())
      return false;
    --It;
    return N.start() >= It->first && N.end() <= It->second;
  }

  /// Sets PrevDeleted and its maximal ranges.
  void setPrevDeleted(std::map<uint64_t, Cause> Set) {
    PrevDeleted = std::move(Set);
    std::vector<std::pair<unsigned, unsigned>> All;
    for (const auto &Entry : PrevDeleted)
      All.emplace_back(unsigned(Entry.first >> 32), unsigned(Entry.first));
    llvm::sort(All);
    PrevRanges.clear();
    for (const auto &R : All)
      if (PrevRanges.empty() || R.first >= PrevRanges.back().second)
        PrevRanges.push_back(R);
      else
        PrevRanges.back().second = std::max(PrevRanges.back().second, R.second);
  }
  std::vector<std::pair<unsigned, unsigned>> PrevRanges;

  void deleteStatement(Node Stmt, Cause Why) {
    Deleted.emplace(keyOf(Stmt), std::move(Why));
  }

  void taint(const Binding *B, Cause Why) {
    if (Tainted.try_emplace(B, std::move(Why)).second)
      grew(B->Name, B);
  }

  /// \p B, when given, is the binding \p Name is the qualified name of.
  void discover(const std::string &Name, Cause Why, const Binding *B = nullptr) {
    logQuery(Query::OrPrefix, Name);
    if (Ctx.Removed.match(Name) || Discovered.count(Name))
      return;
    Discovered.emplace(Name, std::move(Why));
    grew(llvm::StringRef(Name).rsplit('.').second, B);
  }

  /// Set when a fact grew after this round had asked about it: an answer
  /// given before was wrong, so the round must be walked again.
  bool LateGrowth = false;
  /// Bindings whose removal this round asked about (see removedBinding).
  mutable llvm::SmallPtrSet<const Binding *, 32> BindingsAsked;
  /// Bindings, and names asked about WithoutBases, asked about only by their
  /// own definition so far this round (see visitDefinition); asking again
  /// removes them.
  mutable llvm::SmallPtrSet<const Binding *, 8> SelfAsked;
  mutable llvm::StringSet<> SelfQueries;
  /// Statements whose leftover walk this round skipped (see reportLeftovers).
  std::vector<std::pair<unsigned, unsigned>> SkippedWalks;

  /// A new fact about \p Name (the last segment of a discovered name, or a
  /// tainted binding's name \p B). Lookups later in the round see it; one
  /// made before it could only have concerned a name with \p Name as a
  /// segment (as asked, or canonical), \p B itself, or a statement whose
  /// skipped leftover walk mentions \p Name.
  void grew(llvm::StringRef Name, const Binding *B) {
    if (LateGrowth)
      return;
    bool Asked = Name.empty() || (B && BindingsAsked.count(B) && !SelfAsked.count(B));
    // A removedName lookup of a name without such a segment is cut short by
    // mayMatchDiscovered unless the plan's own names could match it, and
    // only then is the name made canonical first. (OrPrefix questions never
    // look at this file's facts.)
    if (!Asked)
      Asked = Queried.any([&](Query::Kind Kind, llvm::StringRef Q) {
        if (Kind == Query::OrPrefix ||
            (Kind == Query::WithoutBases && SelfQueries.count(Q)))
          return false;
        return hasSegment(Q, Name) ||
               (Ctx.Removed.mayMatch(Q) && hasSegment(Ctx.Proj.canonical(Q), Name));
      });
    for (size_t I = 0; !Asked && I < SkippedWalks.size(); ++I)
      forEachWord(Src.slice(SkippedWalks[I].first, SkippedWalks[I].second), Name,
                  [&](size_t) { return !(Asked = true); });
    LateGrowth = Asked;
  }

  /// Replaces [Start, End) with \p Text; edits inside the range are dropped,
  /// since the new text accounts for them.
  void replace(unsigned Start, unsigned End, std::string Text, const Cause &Why) {
    llvm::erase_if(Edits, [&](const PendingEdit &E) {
      return E.Start >= Start && E.End <= End && !(E.Start == E.End && (E.Start == Start || E.Start == End) && Start != End && false);
    });
    Edits.push_back({Start, End, std::move(Text), Why});
  }

  /// \p Offset, or the start of the next line when only blanks and a
  /// comment follow it on its line: whole-line edits of a block's last
  /// statement reach that far, so a compound statement is replaced up to there.
  unsigned throughLineEnd(unsigned Offset) const {
    unsigned Line = SF.position(Offset).Line;
    llvm::StringRef Rest = Src.slice(Offset, SF.lineEnd(Line)).trim();
    return Rest.empty() || Rest.startswith("#") ? SF.lineEnd(Line) : Offset;
  }

  /// Replaces compound statement \p S (through its line end) with \p Text,
  /// whose last line break stands for the one replaced.
  void replaceStatement(Node S, std::string Text, const Cause &Why) {
    unsigned End = throughLineEnd(S.end());
    if (End != S.end() && (Text.empty() || Text.back() != '\n'))
      Text += SF.lineBreakAt(S.end()).str();
    replace(S.start(), End, std::move(Text), Why);
  }

  /// The text of [Start, End) with the edits inside it applied; those edits
  /// are consumed.
  std::string renderRange(unsigned Start, unsigned End) {
    std::vector<PendingEdit> Inner;
    llvm::erase_if(Edits, [&](const PendingEdit &E) {
      if (E.Start >= Start && E.End <= End) {
        Inner.push_back(E);
        return true;
      }
      return false;
    });
    llvm::sort(Inner, [](const PendingEdit &A, const PendingEdit &B) {
      return std::tie(A.Start, A.End) < std::tie(B.Start, B.End);
    });
    std::string Out;
    unsigned Pos = Start;
    for (const PendingEdit &E : Inner) {
      if (E.Start < Pos)
        continue;
      Out += Src.slice(Pos, E.Start);
      Out += E.Text;
      Pos = E.End;
    }
    Out += Src.slice(Pos, End);
    return Out;
  }

  void leftover(Node At, const Cause &Why, const std::string &Message) {
    Diags.push_back(Diagnostic::at(SF, At.start(), Severity::Warning, Message,
                                   Why.RuleId));
  }

  /// Set when reportLeftovers skipped a walk: run() then logs the questions.
  bool SkippedLeftoverWalk = false;

  /// Whether removedValue() can answer anything but "not removed": not
  /// while the plan removes no name and this file has found none.
  bool anythingRemoved() const {
    return Ctx.Removed.size() != 0 || !Discovered.empty() || !Tainted.empty();
  }

  /// Reports every use of a removed thing inside \p N as a leftover.
  void reportLeftovers(Node N) {
    // While nothing is removed the walk could only log the names it looks
    // up (the query log tells the driver whether a later round's names
    // could change this file's result); run() logs them all at once then.
    if (!anythingRemoved()) {
      SkippedLeftoverWalk = true;
      SkippedWalks.emplace_back(N.start(), N.end());
      return;
    }
    N.walk([&](Node C) {
      llvm::StringRef K = C.kind();
      if (K == "identifier" || K == "attribute") {
        if (auto R = removedValue(C)) {
          leftover(C, *R->Why,
                   "'" + describe(C, Src) +
                       "' is removed by the plan but this use cannot be "
                       "removed safely");
          return false;
        }
        return K == "attribute";
      }
      if (K == "string") {
        checkStringLeftover(C);
        return false;
      }
      if (K == "lambda" || K == "function_definition" ||
          K == "class_definition")
        return false;
      return true;
    });
  }

  /// The dotted name string \p S may spell (`"pkg.db.Repo"`), or "".
  llvm::StringRef stringName(Node S) const {
    llvm::StringRef Value;
    for (Node C : S.namedChildren())
      if (C.is("string_content"))
        Value = C.text(Src);
    if (Value.empty() || Value.contains(' ') || !Value.contains('.'))
      return "";
    return Value;
  }

  /// A string naming a removed thing (`mock.patch("pkg.db.Repo")`).
  void checkStringLeftover(Node S) {
    llvm::StringRef Value = stringName(S);
    if (Value.empty())
      return;
    if (const Cause *C = removedName(Value))
      leftover(S, *C,
               "string names '" + Value.str() +
                   "', which the plan removes; update it by hand");
  }

  //===--------------------------------------------------------------------===//
  // Blocks
  //===--------------------------------------------------------------------===//

  /// Visits the statements of \p Block; returns true when all of them go, in
  /// which case no edit for them is recorded and the owner must decide.
  bool visitBlock(Node Block) {
    std::vector<Node> Stmts = statementsOf(Block);
    for (size_t I = 0; I < Stmts.size(); ++I) {
      visitStatement(Stmts[I]);
      // An attribute docstring goes with the assignment it documents.
      if (I > 0 && isDeleted(Stmts[I - 1]) && !isDeleted(Stmts[I]) &&
          isStringStatement(Stmts[I]) && isAssignmentStatement(Stmts[I - 1]) &&
          Stmts[I].startRow() == Stmts[I - 1].endRow() + 1)
        deleteStatement(Stmts[I], Deleted[keyOf(Stmts[I - 1])].then(
                                      "attribute docstring"));
    }
    if (!Stmts.empty() && llvm::all_of(Stmts, [&](Node S) { return isDeleted(S); }))
      return true;
    emitRuns(Block, Stmts);
    return false;
  }

  static bool isStringStatement(Node S) {
    return S.is("expression_statement") && S.namedChildCount() == 1 &&
           S.namedChild(0).is("string");
  }
  static bool isAssignmentStatement(Node S) {
    return S.is("expression_statement") && S.namedChildCount() == 1 &&
           S.namedChild(0).is("assignment");
  }

  void emitRuns(Node Block, const std::vector<Node> &Stmts) {
    for (size_t I = 0; I < Stmts.size();) {
      if (!isDeleted(Stmts[I])) {
        ++I;
        continue;
      }
      size_t J = I;
      while (J + 1 < Stmts.size() && isDeleted(Stmts[J + 1]))
        ++J;
      Range R = statementRunRange(SF, Block, Stmts, I, J);
      // One edit per statement, so each keeps its own rule and reason.
      unsigned From = R.Start;
      for (size_t K = I; K < J; ++K) {
        unsigned Split = attachedStart(SF, Block, Stmts[K + 1]);
        if (Split <= From || Split >= R.End)
          continue;
        replace(From, Split, "", Deleted[keyOf(Stmts[K])]);
        From = Split;
      }
      replace(From, R.End, "", Deleted[keyOf(Stmts[J])]);
      I = J + 1;
    }
  }

  /// Replaces the (all deleted) statements of \p Block with `pass`.
  void passBlock(Node Block, const Cause &Why) {
    std::vector<Node> Stmts = statementsOf(Block);
    if (Stmts.empty())
      return;
    Range R = blockContentRange(SF, Stmts);
    replace(R.Start, R.End, "pass", Why.then("emptied block gets pass"));
  }

  /// The text of \p Block's statements with their edits applied, dedented to
  /// the column of \p Owner, ready to replace \p Owner's whole range.
  std::string unwrapped(Node Owner, Node Block) {
    std::vector<Node> Stmts = statementsOf(Block);
    // From the line after the header, so that edits of whole lines (which
    // start before the block's first byte) are part of the text.
    unsigned Start = Block.start();
    unsigned FirstLine = blockFirstLine(SF, Block);
    if (SF.position(Block.start()).Line >= FirstLine)
      Start = SF.lineStart(FirstLine);
    unsigned End = Stmts.empty() ? Block.end() : std::max(Block.end(), Stmts.back().end());
    std::string Body = renderRange(Start, throughLineEnd(End));
    return dedentBlockText(SF, Owner, Block, Body, Start != Block.start());
  }

  //===--------------------------------------------------------------------===//
  // Statements
  //===--------------------------------------------------------------------===//

  void visitStatement(Node S) {
    llvm::StringRef K = S.kind();
    if (K == "expression_statement")
      return visitExpressionStatement(S);
    if (K == "import_statement" || K == "import_from_statement")
      return visitImport(S);
    if (K == "if_statement")
      return visitIf(S);
    if (K == "with_statement")
      return visitWith(S);
    if (K == "try_statement")
      return visitTry(S);
    if (K == "for_statement" || K == "while_statement")
      return visitLoop(S);
    if (K == "function_definition" || K == "class_definition" ||
        K == "decorated_definition")
      return visitDefinition(S);
    if (K == "delete_statement")
      return visitDelete(S);
    reportLeftovers(S);
  }

  /// `del removed` (every target removed) has nothing left to delete: the
  /// statement goes. A `del` of removed and kept things is a leftover.
  void visitDelete(Node S) {
    std::vector<Node> Targets;
    for (Node C : S.namedChildren()) {
      if (C.is("expression_list")) {
        for (Node T : C.namedChildren())
          if (!T.is("comment"))
            Targets.push_back(T);
      } else if (!C.is("comment")) {
        Targets.push_back(C);
      }
    }
    std::optional<Removed> First;
    for (Node T : Targets) {
      std::optional<Removed> R = removedValue(T);
      if (!R)
        return reportLeftovers(S);
      if (!First)
        First = R;
    }
    if (!First)
      return reportLeftovers(S);
    deleteStatement(S, First->Why->then("del of " + describe(First->Root, Src) +
                                        " (statement)"));
  }

  void visitExpressionStatement(Node S) {
    Node E = S.namedChild(0);
    if (S.namedChildCount() == 1 && (E.is("assignment") || E.is("augmented_assignment")))
      return visitAssignment(S, E);
    if (S.namedChildCount() == 1) {
      if (auto R = removedValue(E)) {
        deleteStatement(S, R->Why->then(std::string(R->ViaCall ? "call" : "use") +
                                        " of " + describe(R->Root, Src) +
                                        " (statement)"));
        return;
      }
      if (const CallRule *Rule = matchingCallRule(E)) {
        deleteStatement(S, Cause{Rule->RuleId, {"call matches " + calleeText(*Rule)}});
        return;
      }
    }
    reportLeftovers(S);
  }

  static std::string calleeText(const CallRule &R) {
    return R.Matcher.Callee.Value.empty() ? R.Matcher.Function.Value
                                          : R.Matcher.Callee.Value;
  }

  const CallRule *matchingCallRule(Node E) const {
    while (E.is("await"))
      E = E.namedChild(0);
    if (!E.is("call"))
      return nullptr;
    for (const CallRule &R : Ctx.Calls)
      if (matchesCallRule(F, E, R, Ctx.Proj))
        return &R;
    return nullptr;
  }

  void visitAssignment(Node S, Node A) {
    Node Right = A.field("right");
    while (Right && Right.is("assignment"))
      Right = Right.field("right");
    std::optional<Removed> R;
    if (Right)
      R = removedValue(Right);
    // A removed binding goes whole before its value is looked at: trimming
    // the entries of a removed `__all__` would leave it for a second run.
    if (!R)
      if (Node Left = A.field("left"); Left.is("identifier"))
        if (const Binding *B = ST.bindingAt(Left))
          if (const Cause *Why = removedBinding(B)) {
            deleteStatement(S, Why->then("definition of " + B->Name));
            return;
          }
    if (!R && visitExportList(S, A))
      return;
    if (!R && orphanedGlobal(S, A))
      return;
    if (!R) {
      // Assigning to something removed (`self.repo = None` elsewhere) is
      // inert too.
      Node Left = A.field("left");
      if ((Left.is("attribute") || Left.is("identifier")) && Right &&
          isSideEffectFree(Right))
        if (auto L = removedValue(Left)) {
          deleteStatement(S, L->Why->then("assignment to " + describe(Left, Src)));
          return;
        }
      if (Right && Right.is("call"))
        if (const CallRule *Rule = matchingCallRule(Right)) {
          leftover(Right, Cause{Rule->RuleId, {}},
                   "the value of this call is used; it cannot be removed safely");
          return;
        }
      reportLeftovers(S);
      return;
    }
    std::string What = describe(R->Root, Src);
    Cause Why = R->Why->then("assigned from " + What);
    deleteStatement(S, Why);
    if (A.is("augmented_assignment"))
      return;
    taintTargets(A.field("left"), *R->Why, What);
  }

  /// A private module global, used before and only by removed code now.
  bool orphanedGlobal(Node S, Node A) {
    Node Left = A.field("left");
    if (!Left.is("identifier") || !isPrivate(Left.text(Src)))
      return false;
    const Binding *B = ST.bindingAt(Left);
    if (!B || B->Owner->Kind != Scope::Module)
      return false;
    const auto *All = B->Owner->lookupLocal(B->Name);
    if (!All || All->size() != 1 || !orphanedDefinition(B))
      return false;
    if (Node Right = A.field("right"); Right && !isSideEffectFree(Right))
      return false;
    deleteStatement(S, orphanCause(B).then(B->Name + " no longer used"));
    return true;
  }

  /// `__all__ = [...]`: the entries naming removed things go.
  bool visitExportList(Node S, Node A) {
    Node Left = A.field("left"), Right = A.field("right");
    if (!Left.is("identifier") || Left.text(Src) != "__all__" || !Right ||
        !(Right.is("list") || Right.is("tuple")))
      return false;
    if (ST.scopeAt(S)->Kind != Scope::Module)
      return false;
    std::vector<Node> Items;
    std::vector<bool> Remove;
    const Cause *Why = nullptr;
    for (Node Item : Right.namedChildren()) {
      if (Item.is("comment"))
        continue;
      Items.push_back(Item);
      bool Gone = false;
      if (Item.is("string")) {
        llvm::StringRef Name;
        for (Node C : Item.namedChildren())
          if (C.is("string_content"))
            Name = C.text(Src);
        if (const auto *Bs = ST.module().lookupLocal(Name)) {
          const Cause *C = nullptr;
          Gone = !Bs->empty() && llvm::all_of(*Bs, [&](const Binding *B) {
            if (const Cause *X = removedBinding(B)) {
              C = C ? C : X;
              return true;
            }
            return insideDeleted(B->Statement);
          });
          if (Gone)
            Why = Why ? Why : C;
        }
      }
      Remove.push_back(Gone);
    }
    if (!llvm::is_contained(Remove, true))
      return false;
    Cause Base = Why ? *Why : Cause();
    if (llvm::all_of(Remove, [](bool B) { return B; })) {
      replace(Right.start(), Right.end(), Right.is("list") ? "[]" : "()",
              Base.then("__all__ entries"));
      return true;
    }
    std::vector<Range> Ranges = listItemRemovalRanges(SF, Items, Remove);
    // A tuple left with one element keeps a comma after it: `("Other")` is
    // a string, and `from m import *` would export its letters.
    std::optional<unsigned> CommaAt;
    if (Right.is("tuple") && llvm::count(Remove, false) == 1) {
      Node Kept = Items[llvm::find(Remove, false) - Remove.begin()];
      std::string After;
      unsigned Pos = Kept.end();
      for (const Range &R : Ranges)
        if (R.Start >= Pos) {
          After += Src.slice(Pos, R.Start);
          Pos = R.End;
        }
      After += Src.slice(Pos, Right.end());
      if (!llvm::StringRef(After).ltrim(" \t\r\n\\").startswith(","))
        CommaAt = Kept.end();
    }
    for (const Range &R : Ranges) {
      if (CommaAt && R.Start == *CommaAt) {
        replace(R.Start, R.End, ",", Base.then("__all__ entry"));
        CommaAt.reset();
        continue;
      }
      replace(R.Start, R.End, "", Base.then("__all__ entry"));
    }
    if (CommaAt)
      replace(*CommaAt, *CommaAt, ",", Base.then("__all__ entry"));
    return true;
  }

  void taintTargets(Node Left, const Cause &Base, const std::string &What) {
    llvm::StringRef K = Left.kind();
    if (K == "identifier") {
      // The target is bound where the assignment is; find that binding.
      if (const Binding *B = ST.bindingAt(Left)) {
        const auto *All = B->Owner->lookupLocal(B->Name);
        if (!All || All->size() != 1)
          return; // Other bindings keep the name alive.
        Cause Why = Base.then(B->Name + " (assigned from " + What + ")");
        if (std::string Name = definedName(B); !Name.empty())
          discover(Name, Why, B);
        taint(B, Why);
        return;
      }
      return;
    }
    if (K == "attribute") {
      std::string Cls;
      if (!selfAttribute(Left, &Cls))
        return;
      std::string Attr = Left.field("attribute").text(Src).str();
      if (SelfAssignments[Cls][Attr] != 1)
        return;
      discover(Cls + "." + Attr,
               Base.then(Left.text(Src).str() + " (assigned from " + What + ")"));
      return;
    }
    if (K == "pattern_list" || K == "tuple_pattern" || K == "list_pattern")
      for (Node C : Left.namedChildren())
        taintTargets(C, Base, What);
  }

  //===--------------------------------------------------------------------===//
  // Imports
  //===--------------------------------------------------------------------===//

  /// Why the import item \p Item (with its bindings) goes, or null.
  const Cause *removedImportItem(Node Stmt, Node Item, std::string &What) {
    if (Stmt.is("import_statement")) {
      Node Name = Item.is("aliased_import") ? Item.field("name") : Item;
      What = Name.text(Src).str();
      if (const Cause *C = removedName(What))
        return C;
    } else {
      std::string Module =
          importedModule(Stmt, Src, F.Module, F.IsPackage);
      if (Module.empty())
        return nullptr;
      if (Item.is("wildcard_import")) {
        What = Module + ".*";
        logQuery(Query::OrPrefix, Module);
        logQuery(Query::OrPrefix, Ctx.Proj.canonical(Module));
        return Ctx.Removed.isRemovedModule(Ctx.Proj.canonical(Module))
                   ? Ctx.Removed.match(Module)
                   : nullptr;
      }
      Node Name = Item.is("aliased_import") ? Item.field("name") : Item;
      What = Module + "." + Name.text(Src).str();
      if (const Cause *C = removedName(What))
        return C;
    }
    return nullptr;
  }

  /// The binding made by import item \p Item.
  const Binding *bindingOfItem(Node Item) const {
    return ST.bindingAt(Item);
  }

  /// True when the binding was used before the plan and every use is now
  /// inside removed code.
  bool orphaned(const Binding *B) const {
    const std::vector<Node> *Uses = usesOf(B);
    if (!Uses || Uses->empty())
      return rewrittenAway(B) != nullptr;
    return llvm::all_of(*Uses, [&](Node Use) { return insideDeleted(Use); });
  }

  void visitImport(Node S) {
    std::vector<Node> Items;
    for (Node C : S.namedChildren())
      if (C.is("dotted_name") || C.is("aliased_import") || C.is("wildcard_import"))
        if (!(S.is("import_from_statement") && C == S.field("module_name")))
          Items.push_back(C);
    std::vector<std::pair<Node, Cause>> Gone;
    for (Node Item : Items) {
      std::string What;
      if (const Cause *C = removedImportItem(S, Item, What)) {
        Gone.emplace_back(Item, C->then("import of " + What));
        continue;
      }
      const Binding *B = bindingOfItem(Item);
      if (B && orphaned(B)) {
        Gone.emplace_back(Item, orphanCause(B).then("import of " + B->Name +
                                                    " no longer used"));
      }
    }
    if (Gone.empty())
      return;
    if (Gone.size() == Items.size()) {
      deleteStatement(S, Gone.front().second);
      return;
    }
    std::vector<bool> Remove;
    for (Node Item : Items)
      Remove.push_back(llvm::any_of(Gone, [&](const auto &G) { return G.first == Item; }));
    for (const Range &R : listItemRemovalRanges(SF, Items, Remove)) {
      const Cause *Why = &Gone.front().second;
      for (const auto &G : Gone)
        if (G.first.start() >= R.Start && G.first.end() <= R.End)
          Why = &G.second;
      replace(R.Start, R.End, "", *Why);
    }
  }

  //===--------------------------------------------------------------------===//
  // Guards
  //===--------------------------------------------------------------------===//

  Condition evaluate(Node E) const {
    llvm::StringRef K = E.kind();
    if (K == "parenthesized_expression" && E.namedChildCount() == 1) {
      Condition C = evaluate(E.namedChild(0));
      if (C.Residual)
        C.Residual = "(" + *C.Residual + ")";
      return C;
    }
    if (auto R = removedValue(E)) {
      Condition C;
      // A presence test is true; a test of a result exists only to react to
      // it, so its branch never runs.
      C.Value = R->ViaCall ? Truth::False : Truth::True;
      C.Why = R->Why;
      C.What = describe(E, Src);
      return C;
    }
    if (K == "not_operator") {
      Node Arg = E.field("argument");
      Condition C = evaluate(Arg);
      if (C.Value == Truth::Unknown) {
        if (C.Residual)
          C.Residual = "not " + *C.Residual;
        return C;
      }
      auto R = removedValue(Arg);
      C.Value = (R && R->ViaCall) || C.Value == Truth::True ? Truth::False
                                                            : Truth::True;
      return C;
    }
    if (K == "comparison_operator") {
      Node::Children Kids = E.namedChildren();
      std::vector<Node> Ops = E.fields("operators");
      if (Kids.size() == 2 && Kids[1].is("none")) {
        auto R = removedValue(Kids[0]);
        if (R && !R->ViaCall) {
          std::string Op;
          for (auto [C, Field] : E.childrenWithFields())
            if (Field == "operators")
              Op += (Op.empty() ? "" : " ") + C.text(Src).str();
          Condition C;
          C.Why = R->Why;
          C.What = describe(Kids[0], Src);
          if (Op == "is" || Op == "==")
            C.Value = Truth::False;
          else if (Op == "is not" || Op == "!=")
            C.Value = Truth::True;
          else
            return Condition();
          return C;
        }
      }
      return Condition();
    }
    if (K == "boolean_operator") {
      bool IsAnd = E.field("operator").text(Src) == "and";
      Node L = E.field("left"), R = E.field("right");
      Condition CL = evaluate(L), CR = evaluate(R);
      Truth Absorbing = IsAnd ? Truth::False : Truth::True;
      Truth Neutral = IsAnd ? Truth::True : Truth::False;
      Condition Out;
      Out.Why = CL.Why ? CL.Why : CR.Why;
      Out.What = CL.Why ? CL.What : CR.What;
      if (CL.Value == Absorbing || CR.Value == Absorbing) {
        // `x and <never>`: x still runs when it has side effects.
        Node Other = CL.Value == Absorbing ? R : L;
        if (CL.Value == Absorbing || isSideEffectFree(Other)) {
          Out.Value = Absorbing;
          return Out;
        }
        return Condition();
      }
      if (CL.Value == Neutral && CR.Value == Neutral) {
        Out.Value = Neutral;
        return Out;
      }
      auto TextOf = [&](const Condition &C, Node N) {
        return C.Residual ? *C.Residual : N.text(Src).str();
      };
      if (CL.Value == Neutral) {
        Out.Residual = TextOf(CR, R);
        return Out;
      }
      if (CR.Value == Neutral) {
        Out.Residual = TextOf(CL, L);
        return Out;
      }
      if (CL.Residual || CR.Residual)
        Out.Residual = TextOf(CL, L) + (IsAnd ? " and " : " or ") + TextOf(CR, R);
      return Out;
    }
    return Condition();
  }

  struct Clause {
    Node N;         ///< if_statement itself for the first clause.
    Node Condition; ///< Null for else.
    Node Block;
    Node Header;    ///< The ':' ending the clause's header.
    bool IsElse = false;
  };

  static Node colonOf(Node N) {
    for (Node C : N.children())
      if (C.kind() == ":")
        return C;
    return Node();
  }

  void visitIf(Node S) {
    std::vector<Clause> Clauses;
    Clauses.push_back({S, S.field("condition"), S.field("consequence"), colonOf(S), false});
    for (Node Alt : S.fields("alternative")) {
      if (Alt.is("elif_clause"))
        Clauses.push_back({Alt, Alt.field("condition"), Alt.field("consequence"), colonOf(Alt), false});
      else
        Clauses.push_back({Alt, Node(), Alt.field("body"), colonOf(Alt), true});
    }
    struct Verdict {
      Truth Value = Truth::Unknown;
      std::optional<std::string> Residual;
      Cause Why;
      bool Empty = false;
    };
    std::vector<Verdict> V(Clauses.size());
    const Cause *AnyWhy = nullptr;
    for (size_t I = 0; I < Clauses.size(); ++I) {
      if (!Clauses[I].IsElse) {
        Condition C = evaluate(Clauses[I].Condition);
        V[I].Value = C.Value;
        V[I].Residual = C.Residual;
        if (C.Why) {
          std::string Kw = I == 0 ? "if" : "elif";
          V[I].Why = C.Why->then("guard `" + Kw + " " +
                                 describe(Clauses[I].Condition, Src) + ":`");
          AnyWhy = AnyWhy ? AnyWhy : &V[I].Why;
        } else if (C.Value == Truth::Unknown && !C.Residual) {
          reportLeftovers(Clauses[I].Condition);
        }
      } else {
        V[I].Value = Truth::True;
      }
      V[I].Empty = visitBlock(Clauses[I].Block);
      if (V[I].Value == Truth::False)
        markDead(Clauses[I].Block, V[I].Why.then("branch never runs"));
    }
    // Which clauses survive, and which one runs unconditionally.
    std::vector<size_t> Live;
    for (size_t I = 0; I < Clauses.size(); ++I) {
      if (V[I].Value == Truth::False)
        continue;
      Live.push_back(I);
      if (V[I].Value == Truth::True)
        break;
    }
    // Why the statement changes: a guard on a removed name, or else the
    // first removal in its clauses (an emptied else goes, say).
    Cause GuardWhy = AnyWhy ? *AnyWhy : firstBodyCause(Clauses);
    bool Changed = Live.size() != Clauses.size() ||
                   llvm::any_of(Live, [&](size_t I) {
                     return (!Clauses[I].IsElse && V[I].Value == Truth::True) ||
                            V[I].Residual;
                   });
    // Trailing clauses with empty bodies: an empty else goes.
    while (!Live.empty() && Clauses[Live.back()].IsElse && V[Live.back()].Empty &&
           Live.size() > 1) {
      Live.pop_back();
      Changed = true;
    }
    auto AllEmpty = llvm::all_of(Live, [&](size_t I) { return V[I].Empty; });
    auto HeadersFree = llvm::all_of(Live, [&](size_t I) {
      return Clauses[I].IsElse || V[I].Value == Truth::True ||
             isSideEffectFree(Clauses[I].Condition);
    });
    if (Live.empty() || (AllEmpty && HeadersFree)) {
      deleteStatement(S, GuardWhy.then(Live.empty() ? "branch never runs"
                                                    : "emptied if"));
      return;
    }
    if (!Changed) {
      for (size_t I = 0; I < Clauses.size(); ++I)
        if (V[I].Empty)
          passBlock(Clauses[I].Block, firstCause(Clauses[I].Block));
      return;
    }
    // The first live clause runs unconditionally: the statement becomes its
    // body.
    size_t First = Live.front();
    if (Clauses[First].IsElse || V[First].Value == Truth::True) {
      if (V[First].Empty) {
        deleteStatement(S, GuardWhy.then("emptied if"));
        return;
      }
      std::string Text = unwrapped(S, Clauses[First].Block);
      replaceStatement(S, Text, GuardWhy.then("guard always true: body kept"));
      return;
    }
    // Rebuild: drop dead clauses, rewrite tests, turn a true elif into else.
    std::string Out;
    for (size_t Pos = 0; Pos < Live.size(); ++Pos) {
      size_t I = Live[Pos];
      const Clause &C = Clauses[I];
      std::string Keyword = Pos == 0 ? "if" : (C.IsElse || V[I].Value == Truth::True ? "else" : "elif");
      if (Pos > 0)
        Out += indentOf(SF, S.start());
      if (Keyword == "else")
        Out += "else:";
      else
        Out += Keyword + " " + (V[I].Residual ? *V[I].Residual : C.Condition.text(Src).str()) + ":";
      unsigned BodyStart = C.Header.end();
      unsigned BodyEnd = std::max(C.Block.end(), statementsOf(C.Block).empty() ? C.Block.end() : statementsOf(C.Block).back().end());
      if (V[I].Empty) {
        passBlock(C.Block, firstCause(C.Block));
      }
      std::string Body = renderRange(BodyStart, throughLineEnd(BodyEnd));
      if (Body.empty() || Body.back() != '\n')
        Body += SF.lineBreakAt(BodyEnd).str();
      Out += Body;
    }
    replaceStatement(S, Out, GuardWhy.then("guard simplified"));
  }

  /// Records every statement of \p Block as gone, for the orphan rules; the
  /// caller replaces the block's text as a whole.
  void markDead(Node Block, const Cause &Why) {
    for (Node S : statementsOf(Block))
      Deleted.emplace(keyOf(S), Why);
  }

  Cause firstCause(Node Block) const {
    for (Node S : statementsOf(Block)) {
      auto It = Deleted.find(keyOf(S));
      if (It != Deleted.end())
        return It->second;
    }
    return Cause();
  }

  Cause firstBodyCause(const std::vector<Clause> &Clauses) const {
    for (const Clause &C : Clauses) {
      Cause Why = firstCause(C.Block);
      if (!Why.RuleId.empty())
        return Why;
    }
    return Cause();
  }

  //===--------------------------------------------------------------------===//
  // Other compound statements
  //===--------------------------------------------------------------------===//

  void visitWith(Node S) {
    Node Clause;
    for (Node C : S.namedChildren())
      if (C.is("with_clause"))
        Clause = C;
    std::vector<Node> Items;
    if (Clause)
      for (Node C : Clause.namedChildren())
        if (C.is("with_item"))
          Items.push_back(C);
    // Items on removed things go; the others stay. With none left, the body
    // is unwrapped.
    std::optional<Removed> R;
    std::vector<bool> Gone;
    for (Node Item : Items) {
      Node Value = Item.field("value");
      Node Target;
      if (Value.is("as_pattern")) {
        Target = Value.field("alias");
        Value = Value.namedChild(0);
      }
      auto ItemR = removedValue(Value);
      Gone.push_back(ItemR.has_value());
      if (!ItemR)
        continue;
      R = R ? R : ItemR;
      if (Target)
        for (Node Id : Target.namedChildren())
          if (const Binding *B = ST.bindingAt(Id))
            taint(B, ItemR->Why->then(B->Name + " (bound by with)"));
    }
    bool AllGone = !Items.empty() && llvm::all_of(Gone, [](bool G) { return G; });
    for (size_t I = 0; I < Items.size(); ++I)
      if (!Gone[I])
        reportLeftovers(Items[I]);
    if (R && !AllGone) {
      Cause Why = R->Why->then("context manager on a removed thing");
      for (const Range &Rg : listItemRemovalRanges(SF, Items, Gone))
        replace(Rg.Start, Rg.End, "", Why);
      R.reset();
    }
    Node Body = S.field("body");
    Cause Why = R ? R->Why->then("context `with " + describe(Items[0], Src) +
                                     ":` unwrapped")
                  : Cause();
    bool Empty = visitBlock(Body);
    if (R) {
      if (Empty) {
        deleteStatement(S, Why);
        return;
      }
      replaceStatement(S, unwrapped(S, Body), Why);
      return;
    }
    if (Empty)
      passBlock(Body, firstCause(Body));
  }

  void visitTry(Node S) {
    Node Body = S.field("body");
    bool BodyEmpty = visitBlock(Body);
    Cause BodyWhy = BodyEmpty ? firstCause(Body) : Cause();
    std::vector<Node> Handlers;
    Node Else, Finally;
    for (Node C : S.namedChildren()) {
      if (C.is("except_clause") || C.is("except_group_clause"))
        Handlers.push_back(C);
      else if (C.is("else_clause"))
        Else = C;
      else if (C.is("finally_clause"))
        Finally = C;
    }
    std::vector<bool> HandlerEmpty;
    for (Node H : Handlers) {
      for (Node C : H.namedChildren())
        if (!C.is("block"))
          reportLeftovers(C);
      HandlerEmpty.push_back(visitBlock(blockOf(H)));
    }
    bool ElseEmpty = Else ? visitBlock(blockOf(Else)) : true;
    bool FinallyEmpty = Finally ? visitBlock(blockOf(Finally)) : true;
    if (BodyEmpty) {
      // Nothing can raise any more: the handlers are dead; what ran after
      // the body (else) and always (finally) stays, in that order.
      Cause Why = BodyWhy.then("emptied try");
      for (Node H : Handlers)
        markDead(blockOf(H), Why.then("handler can no longer run"));
      std::string Text;
      if (Else && !ElseEmpty)
        Text += unwrapped(S, blockOf(Else));
      if (Finally && !FinallyEmpty) {
        if (!Text.empty())
          Text += (Text.back() == '\n' ? "" : SF.lineBreak().str()) +
                  indentOf(SF, S.start());
        Text += unwrapped(S, blockOf(Finally));
      }
      if (Text.empty()) {
        deleteStatement(S, Why);
        return;
      }
      replaceStatement(S, Text, Why);
      return;
    }
    for (size_t I = 0; I < Handlers.size(); ++I)
      if (HandlerEmpty[I])
        passBlock(blockOf(Handlers[I]), firstCause(blockOf(Handlers[I])));
    if (Else && ElseEmpty && !statementsOf(blockOf(Else)).empty()) {
      Range R = clauseRange(SF, Else);
      replace(R.Start, R.End, "", firstCause(blockOf(Else)).then("emptied else"));
    }
    if (Finally && FinallyEmpty && !statementsOf(blockOf(Finally)).empty()) {
      if (Handlers.empty())
        passBlock(blockOf(Finally), firstCause(blockOf(Finally)));
      else {
        Range R = clauseRange(SF, Finally);
        replace(R.Start, R.End, "", firstCause(blockOf(Finally)).then("emptied finally"));
      }
    }
  }

  void visitLoop(Node S) {
    for (auto [Child, Field] : S.childrenWithFields()) {
      if (Field == "left" || Field == "right" || Field == "condition")
        reportLeftovers(Child);
    }
    Node Body = S.field("body");
    bool Empty = visitBlock(Body);
    Node Alt = S.field("alternative");
    bool AltEmpty = Alt ? visitBlock(blockOf(Alt)) : true;
    Node Header = S.is("for_statement") ? S.field("right") : S.field("condition");
    if (Empty && (!Alt || AltEmpty) && isSideEffectFree(Header)) {
      deleteStatement(S, firstCause(Body).then("emptied loop"));
      return;
    }
    if (Empty)
      passBlock(Body, firstCause(Body));
    if (Alt && AltEmpty && !statementsOf(blockOf(Alt)).empty()) {
      Range R = clauseRange(SF, Alt);
      replace(R.Start, R.End, "", firstCause(blockOf(Alt)).then("emptied else"));
    }
  }

  /// The statements that may stay in a function that does nothing.
  bool isNoOpBody(Node Block, bool Now) const {
    std::vector<Node> Stmts = statementsOf(Block);
    for (size_t I = 0; I < Stmts.size(); ++I) {
      Node S = Stmts[I];
      if (Now && isDeleted(S))
        continue;
      if (I == 0 && isStringStatement(S))
        continue;
      if (S.is("pass_statement"))
        continue;
      if (S.is("return_statement") &&
          (S.namedChildCount() == 0 || S.namedChild(0).is("none")))
        continue;
      if (S.is("expression_statement") && S.namedChildCount() == 1 &&
          S.namedChild(0).is("ellipsis"))
        continue;
      // `if not ready: return` guards an early exit, nothing more.
      if (S.is("if_statement") && !S.field("alternative") &&
          isSideEffectFree(S.field("condition")) &&
          isNoOpBody(S.field("consequence"), Now))
        continue;
      return false;
    }
    return true;
  }

  void visitDefinition(Node S) {
    Node Def = S.is("decorated_definition") ? S.field("definition") : S;
    bool Decorated = S.is("decorated_definition");
    if (Decorated)
      for (Node C : S.namedChildren())
        if (C.is("decorator"))
          reportLeftovers(C);
    Node Name = Def.field("name");
    const Binding *B = ST.bindingAt(Name);
    if (B) {
      // If the body shows the definition goes, it goes here (with the cause
      // a second walk would give it), so this question alone does not make
      // the fact about B late: see grew().
      bool AskedBefore = BindingsAsked.count(B);
      std::string Key = definedName(B);
      bool KeyBefore = !Key.empty() && Queried.contains(Query::WithoutBases, Key);
      if (const Cause *Why = removedBinding(B)) {
        deleteStatement(S, Why->then("definition of " + B->Name));
        return;
      }
      if (!AskedBefore)
        SelfAsked.insert(B);
      if (!Key.empty() && !KeyBefore && Queried.contains(Query::WithoutBases, Key))
        SelfQueries.insert(Key);
    }
    // Orphans: private helpers used before and only by removed code now.
    if (B && isPrivate(B->Name) && orphanedDefinition(B)) {
      deleteStatement(S, orphanCause(B).then(B->Name + " no longer used"));
      return;
    }
    if (Def.is("class_definition")) {
      if (Node Supers = Def.field("superclasses"))
        reportLeftovers(Supers);
      Node Body = Def.field("body");
      if (visitBlock(Body))
        passBlock(Body, firstCause(Body));
      return;
    }
    Node Params = Def.field("parameters");
    for (Node P : Params.namedChildren())
      for (Node C : P.namedChildren())
        if (C.is("type") || P.field("value") == C)
          reportLeftovers(C);
    if (Node RT = Def.field("return_type"))
      reportLeftovers(RT);
    Node Body = Def.field("body");
    bool WasNoOp = isNoOpBody(Body, false);
    bool Empty = visitBlock(Body);
    bool NoOp = Empty || isNoOpBody(Body, true);
    if (!NoOp || WasNoOp)
      return;
    std::string FnName = Name.text(Src).str();
    Cause Why = firstCause(Body);
    if (isDunder(FnName) || Decorated || !B) {
      if (Empty)
        passBlock(Body, Why);
      return;
    }
    Why = Why.then(FnName + "() does nothing any more");
    // As the second walk would find it: removed by its own taint, without a
    // look at what is inside.
    deleteStatement(S, Why.then("definition of " + B->Name));
    llvm::erase_if(Diags, [&](const Diagnostic &D) {
      return D.Offset >= S.start() && D.Offset < S.end();
    });
    if (std::string Name = definedName(B); !Name.empty())
      discover(Name, Why, B);
    taint(B, Why);
  }

  bool orphanedDefinition(const Binding *B) const {
    std::vector<Node> Uses;
    if (const std::vector<Node> *Named = usesOf(B))
      Uses = *Named;
    if (B->Owner->Kind == Scope::Class)
      if (auto It = AttributeUses.find(B->Name); It != AttributeUses.end())
        Uses.insert(Uses.end(), It->second.begin(), It->second.end());
    if (Uses.empty())
      return rewrittenAway(B) != nullptr;
    return llvm::all_of(Uses, [&](Node U) { return insideDeleted(U); });
  }

  Cause orphanCause(const Binding *B) const {
    if (const Cause *C = rewrittenAway(B))
      if (!usesOf(B) || usesOf(B)->empty())
        return *C;
    std::vector<Node> Uses;
    if (const std::vector<Node> *Named = usesOf(B))
      Uses = *Named;
    if (auto It = AttributeUses.find(B->Name); It != AttributeUses.end())
      Uses.insert(Uses.end(), It->second.begin(), It->second.end());
    for (Node U : Uses)
      for (Node P = U; P; P = P.parent()) {
        auto D = PrevDeleted.find(keyOf(P));
        if (D != PrevDeleted.end())
          return D->second;
      }
    return Cause();
  }
};

} // namespace

FileOutcome analyzeFile(const ParsedFile &File, const CascadeContext &Context,
                        const llvm::StringMap<Cause> *RewrittenAway) {
  return FileAnalyzer(File, Context, RewrittenAway).run();
}

} // namespace excise
