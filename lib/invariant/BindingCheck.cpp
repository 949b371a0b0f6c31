//===- BindingCheck.cpp ---------------------------------------------------===//
#include "invariant/BindingCheck.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "python/Builtins.h"
#include "source/Words.h"

#include <cstdint>
#include <set>
#include <utility>

namespace excise {

OffsetMap::OffsetMap(llvm::ArrayRef<Edit> Edits) : Edits(Edits) {
  int64_t Delta = 0;
  for (const Edit &E : Edits) {
    NewStarts.push_back(int64_t(E.offset()) + Delta);
    Delta += int64_t(E.text().size()) - int64_t(E.length());
  }
}

unsigned OffsetMap::before(unsigned After, bool *Inside) const {
  if (Inside)
    *Inside = false;
  // The last edit whose new text starts at or before After.
  size_t I = llvm::upper_bound(NewStarts, int64_t(After)) - NewStarts.begin();
  if (I == 0)
    return After;
  const Edit &E = Edits[I - 1];
  int64_t Start = NewStarts[I - 1];
  if (After < Start + int64_t(E.text().size())) {
    if (Inside)
      *Inside = true;
    return E.offset();
  }
  // Past E: shifted as E shifted what followed it.
  return unsigned(int64_t(After) - (Start + int64_t(E.text().size())) + E.offset() + E.length());
}

const Edit *OffsetMap::editAt(unsigned Before) const {
  auto It = llvm::upper_bound(Edits, Before,
                              [](unsigned O, const Edit &E) { return O < E.offset(); });
  if (It == Edits.begin() || Before >= std::prev(It)->offset() + std::prev(It)->length())
    return nullptr;
  return &*std::prev(It);
}

namespace {

bool isWordByte(char C) { return llvm::isAlnum(C) || C == '_'; }

/// True when \p Text may bind a name (see mayChangeBindings). Strings and
/// comments are skipped; a word or operator inside them binds nothing.
bool mayBind(llvm::StringRef Text) {
  unsigned Depth = 0;
  for (size_t I = 0, N = Text.size(); I < N; ++I) {
    char C = Text[I];
    if (C == '#') {
      I = Text.find('\n', I);
      if (I == llvm::StringRef::npos)
        return false;
      continue;
    }
    if (C == '"' || C == '\'') {
      llvm::StringRef Quote = Text.substr(I, 3) == std::string(3, C)
                                  ? Text.substr(I, 3)
                                  : Text.substr(I, 1);
      size_t J = I + Quote.size();
      while (J < N && !Text.substr(J).startswith(Quote))
        J += Text[J] == '\\' ? 2 : 1;
      I = J + Quote.size() - 1;
      continue;
    }
    if (C == '(' || C == '[' || C == '{') {
      ++Depth;
      continue;
    }
    if (C == ')' || C == ']' || C == '}') {
      Depth -= Depth > 0;
      continue;
    }
    if (C == ':' && I + 1 < N && Text[I + 1] == '=')
      return true;
    if (C == '=' && Depth == 0) {
      char Prev = I ? Text[I - 1] : ' ';
      char Next = I + 1 < N ? Text[I + 1] : ' ';
      if (Next != '=' && Prev != '=' && Prev != '!' && Prev != '<' && Prev != '>')
        return true;
      ++I;
      continue;
    }
    if (isWordByte(C)) {
      size_t J = I;
      while (J < N && isWordByte(Text[J]))
        ++J;
      llvm::StringRef Word = Text.slice(I, J);
      if (Word == "def" || Word == "class" || Word == "import" || Word == "as" ||
          Word == "global" || Word == "nonlocal" || Word == "case" ||
          (Word == "for" && Depth == 0))
        return true;
      I = J - 1;
    }
  }
  return false;
}

/// Calls \p Visit with each name in \p Text but `pass` (words that start
/// with a digit are numbers), until it returns false; false then.
bool everyName(llvm::StringRef Text, llvm::function_ref<bool(llvm::StringRef)> Visit) {
  for (size_t I = 0, N = Text.size(); I < N; ++I) {
    if (!isWordByte(Text[I]))
      continue;
    size_t J = I;
    while (J < N && isWordByte(Text[J]))
      ++J;
    llvm::StringRef Word = Text.slice(I, J);
    if (!llvm::isDigit(Word.front()) && Word != "pass" && !Visit(Word))
      return false;
    I = J;
  }
  return true;
}

/// True when \p Text holds a name other than `pass`.
bool namesSomething(llvm::StringRef Text) {
  return !everyName(Text, [](llvm::StringRef) { return false; });
}

} // namespace

bool mayChangeBindings(llvm::StringRef OldText, llvm::ArrayRef<Edit> Edits) {
  return llvm::any_of(Edits, [&](const Edit &E) {
    return namesSomething(E.text()) || mayBind(OldText.substr(E.offset(), E.length()));
  });
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

unsigned countWords(llvm::StringRef Text, llvm::StringRef Word) {
  unsigned N = 0;
  forEachWord(Text, Word, [&](size_t) {
    ++N;
    return true;
  });
  return N;
}

/// True when every name in \p Text is one of \p Old's (or `pass`).
bool namesFrom(llvm::StringRef Text, llvm::StringRef Old) {
  return everyName(Text, [&](llvm::StringRef Word) { return countWords(Old, Word) != 0; });
}

} // namespace

namespace {

/// \p Class without its module's name.
llvm::StringRef inModule(llvm::StringRef Class, llvm::StringRef Module) {
  if (!Module.empty() && Class.startswith(Module) && Class.size() > Module.size() &&
      Class[Module.size()] == '.')
    return Class.drop_front(Module.size() + 1);
  return Class;
}

/// True for `__init__` and the like: `object` has most of them, and the
/// others are looked up on the type by the language, not read as attributes.
bool isDunder(llvm::StringRef Name) {
  return Name.size() > 4 && Name.startswith("__") && Name.endswith("__");
}

/// The classes of other modules that may provide \p Member to \p Class (one
/// of \p Facts' classes) through its bases; false when a class of the file
/// on the way binds it or may provide it unseen.
bool basesToAsk(const MemberFacts &Facts, llvm::StringRef Class, llvm::StringRef Member,
                std::vector<std::string> &Ask) {
  std::vector<std::string> Work{Class.str()};
  for (size_t I = 0; I < Work.size(); ++I) {
    auto It = Facts.Classes.find(Work[I]);
    if (It == Facts.Classes.end()) {
      Ask.push_back(Work[I]);
      continue;
    }
    if (It->second.Open || It->second.OpenInstances ||
        (I > 0 && It->second.Members.count(Member)) || Work.size() > 64)
      return false;
    for (const std::string &B : It->second.Bases)
      if (!llvm::is_contained(Work, B))
        Work.push_back(B);
    // A metaclass gives the class object its attributes.
    if (!It->second.Meta.empty() && !llvm::is_contained(Work, It->second.Meta))
      Work.push_back(It->second.Meta);
  }
  return true;
}

/// True when the class \p Class of \p Facts reaches \p Ancestor through its
/// bases and metaclasses in the file, no class on the way binding \p Member
/// or being open (ClassFacts::Open).
bool inherits(const MemberFacts &Facts, llvm::StringRef Class, llvm::StringRef Ancestor,
              llvm::StringRef Member) {
  std::vector<std::string> Work{Class.str()};
  for (size_t I = 0; I < Work.size() && I < 64; ++I) {
    if (Work[I] == Ancestor)
      return true;
    auto It = Facts.Classes.find(Work[I]);
    if (It == Facts.Classes.end() || It->second.Open || It->second.OpenInstances ||
        It->second.Members.count(Member))
      continue;
    for (const std::string &B : It->second.Bases)
      if (!llvm::is_contained(Work, B))
        Work.push_back(B);
    if (!It->second.Meta.empty() && !llvm::is_contained(Work, It->second.Meta))
      Work.push_back(It->second.Meta);
  }
  return false;
}

/// The members \p Old has that \p New (the same text's classes as the edits
/// leave them) does not, and the reads in \p Uses (of New, offsets in the
/// text before, the edits' own left out) of them.
void compareMembers(const ParsedFile &Before, const MemberFacts &Old,
                           const MemberFacts &New, llvm::ArrayRef<MemberUse> Uses,
                           std::vector<MemberLoss> &Losses, std::vector<MemberRead> &Reads) {
  llvm::StringMap<llvm::StringMap<size_t>> Index; // class -> member -> loss
  for (const auto &Class : Old.Classes) {
    auto Now = New.Classes.find(Class.first());
    // A class that goes is a name that goes: its reads are checked as such.
    if (Now == New.Classes.end())
      continue;
    for (const auto &M : Class.second.Members) {
      llvm::StringRef Name = M.first();
      if (Now->second.Members.count(Name) || isDunder(Name))
        continue;
      MemberLoss L;
      if (!basesToAsk(New, Class.first(), Name, L.Ask))
        continue;
      L.Class = Class.first().str();
      L.Name = Name.str();
      L.Offset = M.second.Offset;
      L.Line = Before.Source.position(L.Offset).Line;
      L.Assigned = M.second.OnInstance;
      Index[L.Class][L.Name] = Losses.size();
      Losses.push_back(std::move(L));
    }
  }
  // The file's classes that inherit a lost member (through their bases or,
  // for the class object, their metaclass) lose it too: other modules read
  // it through them (`from m import RedisStore` ... `RedisStore().flush()`).
  // This file's reads name the class that lost it (not indexed).
  for (size_t I = 0, Own = Losses.size(); I < Own; ++I)
    for (const auto &Class : New.Classes) {
      llvm::StringRef D = Class.first();
      if (D == Losses[I].Class || Index.lookup(D).count(Losses[I].Name) ||
          !inherits(New, D, Losses[I].Class, Losses[I].Name))
        continue;
      MemberLoss L = Losses[I];
      L.Class = D.str();
      L.Ask.clear();
      if (basesToAsk(New, D, L.Name, L.Ask))
        Losses.push_back(std::move(L));
    }
  if (Losses.empty())
    return;
  for (const MemberUse &U : Uses)
    for (const std::string &C : U.Classes) {
      auto Class = Index.find(C);
      auto It = Class == Index.end() ? nullptr : &Class->second;
      if (!It || !It->count(U.Member))
        continue;
      const MemberLoss &L = Losses[It->lookup(U.Member)];
      LostName Why;
      Why.Where = Before.Source.path().str() + ":" + std::to_string(L.Line);
      Why.Assigned = L.Assigned;
      MemberRead R{Diagnostic::at(Before.Source, U.Offset, Severity::Warning,
                                  lostMemberMessage(inModule(C, Before.Module), U.Member, Why)),
                   L.Offset, U.Member, L.Ask, U.ClassObject};
      for (const std::string &O : U.Others)
        if (O != C && !llvm::is_contained(R.Ask, O))
          R.Ask.push_back(O);
      Reads.push_back(std::move(R));
      break;
    }
}

/// True when the binding \p B assigns None: `X = None`.
bool assignsNone(const Binding *B) {
  Node A = B->NameNode.parent();
  return B->Kind == BindingKind::Assignment && A.is("assignment") &&
         A.field("left") == B->NameNode && A.field("right").is("none");
}

/// The leftover at the use \p Use of \p Before of what the assignment at
/// \p SetterAt no longer sets: \p Name is now only ever None.
BindingImpact::Read onlyNoneRead(const ParsedFile &Before, const NoneUse &Use,
                                 llvm::StringRef Name, unsigned SetterAt) {
  std::string Message =
      (Use.Alias.empty() ? "'" + Name.str() + "' is now"
                         : "'" + Use.Alias + "' may now be None: it takes '" + Name.str() +
                               "', which is now") +
      " only ever None: the plan removes the assignment at line " +
      std::to_string(Before.Source.position(SetterAt).Line) +
      " that set it; this use cannot be removed safely";
  return {Diagnostic::at(Before.Source, Use.Read.start(), Severity::Warning, std::move(Message)),
          SetterAt};
}

/// The reads of module globals that \p Edits (sorted deletions and
/// replacements) leave bound to None alone: every binding they keep assigns
/// None (`_current = None` at the top), and one they delete set something
/// else (`global _current; _current = id_` in a removed function).
/// `X.a`, `X[i]` and `X(...)` then fail at run time, and `return X` hands
/// None to callers, unless a condition around them tests X (see noneUses).
std::vector<BindingImpact::Read> onlyNoneReads(const ParsedFile &Before,
                                               llvm::ArrayRef<TextEdit> Edits) {
  std::vector<BindingImpact::Read> Out;
  const ScopeTree &T = *Before.Scopes;
  llvm::StringRef Src = Before.Source.text();
  llvm::StringMap<const Binding *> Setters; // name -> the deleted binding
  for (const auto &Entry : T.module().Names) {
    const Binding *Setter = nullptr;
    bool KeptNone = false, KeptOther = false;
    for (const Binding *B : Entry.second) {
      const TextEdit *E = editAt(Edits, B->NameNode.start());
      if (E && countWords(E->Text, B->Name)) {
        KeptOther = true; // said again: which binding it is, unknown
        break;
      }
      if (E && !Setter && !assignsNone(B))
        Setter = B;
      else if (!E)
        (assignsNone(B) ? KeptNone : KeptOther) = true;
    }
    if (Setter && KeptNone && !KeptOther)
      Setters[Entry.first()] = Setter;
  }
  if (Setters.empty())
    return Out;
  for (const Reference &R : T.references()) {
    if (R.Resolved != &T.module())
      continue;
    llvm::StringRef Name = R.Identifier.text(Src);
    auto It = Setters.find(Name);
    if (It == Setters.end() || editAt(Edits, R.Identifier.start()))
      continue;
    for (const NoneUse &Use : noneUses(T, R.Identifier, Name, Src, [&](Node N) {
           return editsTakeAway(Edits, N, Src);
         }))
      Out.push_back(onlyNoneRead(Before, Use, Name, It->second->NameNode.start()));
  }
  return Out;
}

/// The top-level `from M import *` of project modules that \p Edits delete
/// whole, with the names the module keeps binding itself.
std::vector<BindingImpact::LostStar> lostStars(const ParsedFile &Before,
                                               llvm::ArrayRef<TextEdit> Edits,
                                               const ModuleIndex &Modules) {
  std::vector<BindingImpact::LostStar> Out;
  if (!Before.Tree || !Before.Source.text().contains("import *"))
    return Out;
  for (Node S : Before.Tree->root().namedChildren()) {
    if (!S.is("import_from_statement") ||
        llvm::none_of(S.namedChildren(), [](Node I) { return I.is("wildcard_import"); }))
      continue;
    const TextEdit *E = editAt(Edits, S.start());
    if (!E || !E->Text.empty() || S.end() > E->Offset + E->Length)
      continue;
    std::string M = importedModule(S, Before.Source.text(), Before.Module, Before.IsPackage);
    if (M.empty() || !Modules.hasModule(M))
      continue;
    BindingImpact::LostStar L{M, S.start(), Before.Source.position(S.start()).Line, {}};
    for (const auto &Entry : Before.Scopes->module().Names)
      if (llvm::any_of(Entry.second,
                       [&](const Binding *B) { return !editAt(Edits, B->NameNode.start()); }))
        L.Kept.push_back(Entry.first().str());
    Out.push_back(std::move(L));
  }
  return Out;
}

BindingImpact impactOf(const ParsedFile &Before, llvm::ArrayRef<TextEdit> Edits,
                       const ModuleIndex &Modules) {
  BindingImpact Impact;
  llvm::StringRef Src = Before.Source.text();
  auto OldOf = [&](const TextEdit &E) { return Src.substr(E.Offset, E.Length); };
  // An edit that puts text back (a guard unwrapped, a branch dropped) may
  // only say again what it replaces; one that brings a new name in needs the
  // texts compared.
  for (const TextEdit &E : Edits)
    if (!E.Text.empty() && !namesFrom(E.Text, OldOf(E))) {
      Impact.NeedsCheck = true;
      return Impact;
    }
  auto EditAt = [&](unsigned Offset) { return editAt(Edits, Offset); };
  // A binding is gone when an edit deletes it, or says again fewer of its
  // name's words than it replaces (which of them went, only the text after
  // tells); a read is gone when no word of its name is said again.
  auto Gone = [&](const Binding *B) {
    const TextEdit *E = EditAt(B->NameNode.start());
    return E && (E->Text.empty() ||
                 countWords(E->Text, B->Name) < countWords(OldOf(*E), B->Name));
  };
  auto Deleted = [&](const Binding *B) {
    const TextEdit *E = EditAt(B->NameNode.start());
    return E && !countWords(E->Text, B->Name);
  };
  auto ReadGone = [&](unsigned At, llvm::StringRef Name) {
    const TextEdit *E = EditAt(At);
    return E && !countWords(E->Text, Name);
  };
  const ScopeTree &T = *Before.Scopes;
  // Whether a scope around the read's, other than the one it resolves to,
  // binds the name (class bodies are not seen from their methods).
  auto boundOutside = [&](const Scope *From, const Scope *Resolved, llvm::StringRef Name) {
    bool First = true;
    for (const Scope *S = From; S; S = S->Parent, First = false)
      if (S != Resolved && (First || S->Kind != Scope::Class) && S->lookupLocal(Name))
        return true;
    return isBuiltinName(Name);
  };
  // A read unbound by the edits, which the tree before tells when its every
  // binding is certainly deleted and no other scope may bind it.
  auto ReportUnbound = [&](unsigned At, llvm::StringRef Name, const Binding *Lost) {
    UnboundRead U{At, Name.str(), false};
    unsigned Line = Before.Source.position(Lost->NameNode.start()).Line;
    Impact.Unbound.push_back({Diagnostic::at(Before.Source, At, Severity::Warning,
                                             unboundMessage(U, LostBinding{"", Line})),
                              Lost->NameNode.start()});
  };
  // The members the edits take away, and the reads of them they keep, told
  // from the tree before: the classes as the edits leave them are those
  // without the bindings the edits delete.
  if (editsDeleteMember(Before, Edits)) {
    auto Deleted = [&](Node Name) { return deletedByEdits(Before, Edits, Name); };
    MemberFacts New = memberFacts(Before, Modules, /*WithUses=*/true, Deleted);
    llvm::erase_if(New.Uses, [&](const MemberUse &U) { return editAt(Edits, U.Offset); });
    compareMembers(Before, memberFacts(Before, Modules, false), New, New.Uses,
                   Impact.LostMembers, Impact.MemberReads);
  }
  std::set<std::pair<const Scope *, llvm::StringRef>> Touched;
  for (const auto &B : T.bindings())
    if (Gone(B.get()))
      Touched.emplace(B->Owner, B->Name);
  if (Touched.empty())
    return Impact;
  // A read the edits leave needs the texts compared unless, without the
  // bindings the edits may take, its own scope's code still binds it on
  // every path (or did not before either, and a binding before it is left),
  // or, read from a nested scope, some binding is surely left.
  for (const Reference &R : T.references()) {
    llvm::StringRef Name = R.Identifier.text(Src);
    if (!R.Resolved || !Touched.count({R.Resolved, Name}) ||
        ReadGone(R.Identifier.start(), Name))
      continue;
    llvm::ArrayRef<Binding *> All = T.bindingsOf(R);
    bool Bound;
    unsigned At = R.Identifier.start();
    if (R.Resolved == R.From && R.From->Kind != Scope::Lambda &&
        R.From->Kind != Scope::Comprehension)
      // A read no binding came before was unbound already (or bound by a
      // loop's next turn, which the texts' comparison does not see either).
      Bound = llvm::none_of(All, [&](const Binding *B) { return B->NameNode.start() < At; }) ||
              definitelyBound(Before, R, Gone) ||
              (!definitelyBound(Before, R) && llvm::any_of(All, [&](const Binding *B) {
                 return !Gone(B) && B->NameNode.start() < At;
               }));
    else
      Bound = !llvm::all_of(All, Gone);
    if (Bound)
      continue;
    // Every binding of its scope certainly deleted, and no other scope to
    // fall back on: unbound, which the tree before says without the text
    // after.
    if (llvm::all_of(All, Deleted) && !boundOutside(R.From, R.Resolved, Name)) {
      ReportUnbound(At, Name, All.front()); // as lostBindingOf: the first
      continue;
    }
    Impact.NeedsCheck = true;
    return Impact;
  }
  // A name read in a string annotation or a type comment: read after the
  // module ran, so any binding left will do.
  for (const TextReference &R : T.textReferences()) {
    if (!R.Resolved || !Touched.count({R.Resolved, R.Name}) || ReadGone(R.Offset, R.Name))
      continue;
    // The bindings a type checker sees: not those of `else:` under
    // `if TYPE_CHECKING:`.
    llvm::SmallVector<const Binding *, 4> All;
    for (const Binding *B : *R.Resolved->lookupLocal(R.Name))
      if (!hiddenFromTypeCheckers(B, Src))
        All.push_back(B);
    if (All.empty() || !llvm::all_of(All, Gone))
      continue;
    if (llvm::all_of(All, Deleted) && !boundOutside(R.From, R.Resolved, R.Name)) {
      ReportUnbound(R.Offset, R.Name, All.front());
      continue;
    }
    Impact.NeedsCheck = true;
    return Impact;
  }
  for (const auto &[Owner, Name] : Touched) {
    if (Owner != &T.module())
      continue;
    const std::vector<Binding *> &All = *Owner->lookupLocal(Name);
    if (!llvm::all_of(All, Deleted))
      continue;
    unsigned First = All.front()->NameNode.start();
    for (const Binding *B : All)
      First = std::min(First, B->NameNode.start());
    Impact.Lost.push_back(
        {Name.str(), First,
         LostName{"", Before.Source.path().str() + ":" +
                          std::to_string(Before.Source.position(First).Line)}});
  }
  return Impact;
}

} // namespace

BindingImpact bindingImpact(const ParsedFile &Before, llvm::ArrayRef<TextEdit> Given,
                            const ModuleIndex &Modules) {
  std::vector<TextEdit> Edits = asDeletions(Before.Source.text(), Given);
  BindingImpact Impact = impactOf(Before, Edits, Modules);
  Impact.OnlyNone = onlyNoneReads(Before, Edits);
  for (const NoneMemberRead &R : noneOnlyMemberReads(Before, Edits))
    Impact.OnlyNone.push_back(
        onlyNoneRead(Before, {R.Read, R.Alias}, R.Class + "." + R.Member, R.SetterOffset));
  Impact.LostStars = lostStars(Before, Edits, Modules);
  return Impact;
}

void settleImpact(BindingImpact &Impact, const ParsedFile &Before,
                  llvm::ArrayRef<Edit> Edits, const ModuleIndex &Modules) {
  llvm::StringRef Old = Before.Source.text();
  std::string New;
  std::vector<TextEdit> Changes;
  unsigned Pos = 0;
  for (const Edit &E : Edits) {
    New += Old.slice(Pos, E.offset());
    New += E.text();
    Pos = E.offset() + E.length();
    Changes.push_back({E.offset(), E.length(), E.text()});
  }
  New += Old.drop_front(Pos);
  std::unique_ptr<ParsedFile> After = Project::reparse(Before, std::move(New), Changes, Modules);
  if (!After->parsed())
    return;
  // Members are the impact's (kept below): here every other module's class
  // may provide them, so the comparison reports none of its own.
  EditedFileCheck Check = checkEditedFile(Before, *After, Edits, Modules, /*Moved=*/false,
                                          [](llvm::StringRef, llvm::StringRef, bool) { return true; });
  BindingImpact Settled;
  // The members and the globals left None were worked out from the tree
  // before; they stand.
  Settled.LostMembers = std::move(Impact.LostMembers);
  Settled.MemberReads = std::move(Impact.MemberReads);
  Settled.OnlyNone = std::move(Impact.OnlyNone);
  Settled.LostStars = std::move(Impact.LostStars);
  for (Diagnostic &D : Check.Leftovers)
    Settled.Unbound.push_back({std::move(D), 0});
  for (auto &Entry : Check.Lost)
    Settled.Lost.push_back({Entry.first().str(), 0, std::move(Entry.second)});
  Impact = std::move(Settled);
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

std::string lostMemberMessage(llvm::StringRef Class, llvm::StringRef Member,
                              const LostName &Why) {
  std::string Where = Why.Where.empty() ? "" : " at " + Why.Where;
  return "'" + Class.str() + "." + Member.str() + "' is no longer " +
         (Why.Assigned ? "set or defined: the plan removes its assignment"
                       : "defined: the plan removes its definition") +
         Where + "; this use cannot be removed safely";
}

bool anyProvides(llvm::ArrayRef<std::string> Ask, llvm::StringRef Member,
                 MemberProvider Provides, bool ClassObject) {
  return llvm::any_of(Ask,
                      [&](const std::string &C) { return Provides(C, Member, ClassObject); });
}

bool lookupFails(const MemberUse &Use, llvm::StringRef Lost, MemberProvider Provides) {
  return llvm::none_of(Use.Others, [&](const std::string &C) {
    return C != Lost && Provides(C, Use.Member, Use.ClassObject);
  });
}

EditedFileCheck checkEditedFile(const ParsedFile &Before, const ParsedFile &After,
                                llvm::ArrayRef<Edit> Edits,
                                const ModuleIndex &Modules, bool Moved,
                                MemberProvider Provides, AttributeSource Inherited) {
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
  // The names, with their scopes, that lost a binding.
  std::set<std::pair<const Scope *, llvm::StringRef>> Touched;
  for (const auto &B : Before.Scopes->bindings())
    if (Removed(B.get()))
      Touched.emplace(B->Owner, B->Name);

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
    if (!R.Resolved || Touched.empty())
      continue;
    llvm::StringRef Name = R.Identifier.text(NewText);
    bool Inside = false;
    unsigned OldAt = Map.before(R.Identifier.start(), &Inside);
    auto It = OldReads.find(OldAt);
    if (Inside || It == OldReads.end() || !Touched.count({It->second->Resolved, Name}) ||
        !definitelyBound(Before, *It->second) || definitelyBound(After, R))
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
    bool Inside = false;
    U.Offset = Map.before(U.Offset, &Inside);
    if (WasUnbound.count(U.Offset) || Reported.count(U.Offset))
      continue;
    // A read an edit says again (a guard unwrapped) was unbound before if
    // the text it replaces read the name unbound.
    if (const Edit *E = Inside ? Map.editAt(U.Offset) : nullptr)
      if (llvm::any_of(Old.Unbound, [&](const UnboundRead &O) {
            return O.Name == U.Name && O.Offset >= E->offset() &&
                   O.Offset < E->offset() + E->length();
          }))
        continue;
    LostBinding Lost = lostBindingOf(Before, U.Offset, Map, Edits, OldReads);
    Check.Leftovers.push_back(Diagnostic::at(Before.Source, U.Offset, Severity::Warning,
                                             unboundMessage(U, Lost), Lost.RuleId));
  }
  for (ModuleUse &Use : New.Uses)
    Use.Offset = Map.before(Use.Offset);

  // The attributes: a member of a class of the file that the edits take
  // away leaves its reads failing (AttributeError), here and in importers.
  std::vector<TextEdit> Changes;
  for (const Edit &E : Edits)
    Changes.push_back({E.offset(), E.length(), E.text()});
  MemberFacts NewMembers = memberFacts(After, Modules, /*WithUses=*/true, nullptr, Inherited);
  std::vector<MemberUse> Uses;
  for (MemberUse &U : NewMembers.Uses) {
    bool Inside = false;
    U.Offset = Map.before(U.Offset, &Inside);
    if (Inside)
      continue;
    if (!U.Others.empty())
      Check.MemberUses.push_back(U);
    Uses.push_back(std::move(U));
  }
  std::vector<MemberLoss> Losses;
  std::vector<MemberRead> Reads;
  if (editsDeleteMember(Before, Changes))
    compareMembers(Before, memberFacts(Before, Modules, false), NewMembers, Uses, Losses,
                   Reads);
  auto RuleAt = [&](unsigned Offset) {
    const Edit *E = Map.editAt(Offset);
    return E ? E->RuleId : Edits.empty() ? "" : Edits.front().RuleId;
  };
  for (MemberRead &R : Reads)
    if (!anyProvides(R.Ask, R.Member, Provides, R.ClassObject)) {
      R.Leftover.RuleId = RuleAt(R.BindingOffset);
      Check.Leftovers.push_back(std::move(R.Leftover));
    }
  for (const MemberLoss &L : Losses) {
    llvm::StringRef Rel = inModule(L.Class, Before.Module);
    if (Moved || Rel == L.Class || anyProvides(L.Ask, L.Name, Provides))
      continue;
    LostName Why{RuleAt(L.Offset),
                 Before.Source.path().str() + ":" + std::to_string(L.Line), L.Assigned};
    Check.Lost[(Rel + "." + L.Name).str()] = std::move(Why);
  }

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
