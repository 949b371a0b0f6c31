//===- BindingPass.cpp ----------------------------------------------------===//
#include "driver/BindingPass.h"

#include "driver/ChangeSet.h"
#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "python/LibraryClasses.h"
#include "semantics/Project.h"
#include "source/Words.h"

#include "llvm/ADT/STLExtras.h"

#include <cstring>
#include <optional>
#include <utility>

namespace excise {

void BindingPass::checkEdited(const std::string &Path, llvm::StringRef OldText,
                              llvm::StringRef NewText, llvm::ArrayRef<Edit> Edits,
                              bool Moved) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Checked.insert(Path);
  }
  std::unique_ptr<ParsedFile> Before =
      Project::parse(SourceFile(Path, OldText.str()), Modules);
  if (!Before->parsed())
    return;
  std::vector<TextEdit> Changes;
  for (const Edit &E : Edits)
    Changes.push_back({E.offset(), E.length(), E.text()});
  std::unique_ptr<ParsedFile> After = Project::reparse(*Before, NewText.str(), Changes, Modules);
  if (!After->parsed())
    return; // refused as unparsable by the caller
  EditedFileCheck Check =
      checkEditedFile(
          *Before, *After, Edits, Modules, Moved,
          [&](llvm::StringRef C, llvm::StringRef M, bool O) { return mayProvide(C, M, O); },
          [&](llvm::StringRef C, llvm::StringRef A) { return inheritedAttributeClasses(C, A); });
  std::string Module = Before->Module;
  After.reset();
  // The trees go; the text before stays for the importers' diagnostics.
  auto Text = std::make_unique<SourceFile>(std::move(Before->Source));
  Before.reset();

  std::lock_guard<std::mutex> Guard(Lock);
  for (Diagnostic &D : Check.Leftovers)
    Found.push_back(std::move(D));
  if (!Check.Lost.empty() && !Module.empty()) {
    llvm::StringMap<LostName> &Names = Lost[Module];
    for (auto &Entry : Check.Lost)
      Names[Entry.first()] = std::move(Entry.second);
  }
  if (!Check.After.Uses.empty() || !Check.After.StarModules.empty() ||
      !Check.MemberUses.empty())
    Edited.push_back(
        {Module, std::move(Check.After), std::move(Text), std::move(Check.MemberUses)});
}

const MemberFacts *BindingPass::classesOf(const std::string &Module) {
  {
    std::lock_guard<std::mutex> Guard(ClassesLock);
    auto It = Classes.find(Module);
    if (It != Classes.end())
      return It->second.get();
  }
  std::unique_ptr<MemberFacts> Facts;
  std::string Path = Modules.fileOf(Module);
  if (auto Buffer = FS.getBufferForFile(joinRoot(Root, Path), -1, false)) {
    std::unique_ptr<ParsedFile> F =
        Project::parse(SourceFile(Path, (*Buffer)->getBuffer().str()), Modules);
    if (F->parsed())
      Facts = std::make_unique<MemberFacts>(memberFacts(*F, Modules, false));
  }
  std::lock_guard<std::mutex> Guard(ClassesLock);
  // Another thread may have read it meanwhile: the first answer stays.
  return Classes.try_emplace(Module, std::move(Facts)).first->second.get();
}

std::vector<std::string> BindingPass::starExports(const std::string &Module) {
  std::vector<std::string> Names;
  std::string Path = Modules.fileOf(Module);
  auto Buffer = FS.getBufferForFile(joinRoot(Root, Path), -1, false);
  if (!Buffer)
    return Names;
  std::unique_ptr<ParsedFile> F =
      Project::parse(SourceFile(Path, (*Buffer)->getBuffer().str()), Modules);
  if (!F->parsed())
    return Names;
  llvm::StringRef Src = F->Source.text();
  for (Node S : F->Tree->root().namedChildren()) {
    Node A = S.is("expression_statement") ? S.namedChild(0) : Node();
    if (!A || !A.is("assignment") || A.field("left").text(Src) != "__all__")
      continue;
    Node Value = A.field("right");
    if (!Value || !(Value.is("list") || Value.is("tuple")))
      return Names; // computed: which names, the text does not say
    Names.clear();
    for (Node Item : Value.namedChildren()) {
      if (!Item.is("string"))
        return {};
      for (Node C : Item.namedChildren())
        if (C.is("string_content"))
          Names.push_back(C.text(Src).str());
    }
  }
  if (!Names.empty())
    return Names;
  for (const auto &Entry : F->Scopes->module().Names)
    if (!Entry.first().startswith("_"))
      Names.push_back(Entry.first().str());
  return Names;
}

const ClassFacts *BindingPass::projectClass(llvm::StringRef Class, std::string &Where,
                                           const MemberFacts *&In) {
  Where = Class.str();
  // A class a module imports (a package's re-export): where it is defined.
  for (unsigned Hops = 0; Hops < 8; ++Hops) {
    std::string Module = Modules.longestModulePrefix(Where);
    const MemberFacts *Facts = Module.empty() ? nullptr : classesOf(Module);
    if (!Facts || Where.size() <= Module.size())
      return nullptr;
    if (auto It = Facts->Classes.find(Where); It != Facts->Classes.end()) {
      In = Facts;
      return &It->second;
    }
    auto From = Facts->Imported.find(llvm::StringRef(Where).drop_front(Module.size() + 1));
    if (From == Facts->Imported.end() || From->second == Where)
      return nullptr;
    Where = From->second;
  }
  return nullptr;
}

bool BindingPass::mayProvide(llvm::StringRef Class, llvm::StringRef Member, bool ClassObject) {
  std::vector<std::string> Work{Class.str()};
  for (size_t I = 0; I < Work.size(); ++I) {
    // A standard-library base has what its table says (its own bases too).
    if (isKnownLibraryClass(Work[I])) {
      if (libraryClassHas(Work[I], Member))
        return true;
      continue;
    }
    std::string Where;
    const MemberFacts *In = nullptr;
    const ClassFacts *C = projectClass(Work[I], Where, In);
    // What a metaclass makes, the project does not show.
    if (!C || C->Open || (C->OpenInstances && !ClassObject) || !C->Meta.empty() ||
        C->Members.count(Member) || Work.size() > 64)
      return true;
    for (const std::string &B : C->Bases)
      if (!llvm::is_contained(Work, B))
        Work.push_back(B);
  }
  return false;
}

std::vector<std::string> BindingPass::inheritedAttributeClasses(llvm::StringRef Class,
                                                              llvm::StringRef Attr) {
  std::vector<std::string> Work{Class.str()};
  for (size_t I = 0; I < Work.size() && I < 64; ++I) {
    std::string Where;
    const MemberFacts *In = nullptr;
    const ClassFacts *C = projectClass(Work[I], Where, In);
    if (!C)
      return {};
    if (auto Set = In->AttributeClasses.find(Where); Set != In->AttributeClasses.end())
      if (auto Of = Set->second.find(Attr); Of != Set->second.end())
        return Of->second;
    if (C->Open || C->OpenInstances || C->Members.count(Attr))
      return {};
    for (const std::string &B : C->Bases)
      if (!llvm::is_contained(Work, B))
        Work.push_back(B);
  }
  return {};
}

std::vector<MemberUse> BindingPass::otherModulesMemberUses(const ParsedFile &F) {
  auto Inherited = [&](llvm::StringRef C, llvm::StringRef A) {
    return inheritedAttributeClasses(C, A);
  };
  std::vector<MemberUse> Uses =
      memberFacts(F, Modules, /*WithUses=*/true, nullptr, Inherited).Uses;
  llvm::erase_if(Uses, [](const MemberUse &U) { return U.Others.empty(); });
  return Uses;
}

namespace {

/// memmem: llvm::StringRef::find was a third of a run's time here.
bool contains(llvm::StringRef Text, llvm::StringRef Needle) {
  if (Text.size() < Needle.size() || Needle.empty())
    return Needle.empty();
  return memmem(Text.data(), Text.size(), Needle.data(), Needle.size()) != nullptr;
}

/// True when \p Text, the text of module \p FileModule, may import
/// \p Module: it spells it (`import a.b.m`, `from a.b.m import`), or its
/// package and its last segment (`from a.b import m`), or, from within the
/// same top-level package, imports relatively in a way that may reach it
/// (`from .m import`, `from ..b.m import`, `from . import m`).
bool mayImport(llvm::StringRef Text, llvm::StringRef FileModule, llvm::StringRef Module) {
  auto [Package, Last] = Module.rsplit('.');
  if (Last.empty())
    Last = Module;
  // A package's own modules take from it with `from . import X`.
  if (FileModule.startswith((Module + ".").str()) && contains(Text, "from ."))
    return true;
  // Every other form spells the last segment (`.m`, `import m`, `a.b.m`).
  if (!mentionsWord(Text, Last))
    return false;
  if (contains(Text, Module))
    return true;
  if (Package.empty())
    return false;
  if (contains(Text, Package) && mentionsWord(Text, Last))
    return true;
  if (FileModule.split('.').first != Module.split('.').first || !contains(Text, "from ."))
    return false;
  return contains(Text, ("." + Last).str()) || contains(Text, ("import " + Last).str()) ||
         (contains(Text, "import (") && mentionsWord(Text, Last));
}

} // namespace

BindingPass::Index::Index(const LostNames &Lost) {
  for (const auto &[Module, Names] : Lost) {
    Modules.push_back(Module);
    for (const auto &Entry : Names) {
      auto [Name, Member] = Entry.first().rsplit('.');
      // A class's lost member (`Class.member`) is read by its name through
      // the class (its first segment).
      if (Member.empty())
        ModulesOf[Name].push_back(Module);
      else
        MembersOf[Member].push_back({Name.split('.').first.str(), Module});
    }
  }
}

bool BindingPass::Index::mayTake(llvm::StringRef Text, llvm::StringRef FileModule) const {
  if (Modules.empty())
    return false;
  if (contains(Text, "import *"))
    for (const std::string &M : Modules)
      if (mayImport(Text, FileModule, M))
        return true;
  for (const auto &Entry : ModulesOf)
    if (mentionsWord(Text, Entry.first()))
      for (const std::string &M : Entry.second)
        if (mayImport(Text, FileModule, M))
          return true;
  for (const auto &Entry : MembersOf)
    if (mentionsWord(Text, Entry.first()))
      for (const auto &[Class, M] : Entry.second)
        if (mentionsWord(Text, Class) && mayImport(Text, FileModule, M))
          return true;
  return false;
}

void BindingPass::addImpact(const std::string &Path, const BindingImpact &Impact,
                            llvm::ArrayRef<Edit> Edits, bool Moved) {
  OffsetMap Map(Edits);
  auto RuleAt = [&](unsigned Offset) -> std::string {
    const Edit *E = Map.editAt(Offset);
    return E ? E->RuleId : Edits.empty() ? "" : Edits.front().RuleId;
  };
  std::string Module = Moved ? "" : Modules.moduleOf(Path);
  // The members, unless a base in another module provides them (asked
  // before the lock is taken: the answer may read that module).
  auto Provides = [&](llvm::StringRef C, llvm::StringRef M, bool O) { return mayProvide(C, M, O); };
  std::vector<Diagnostic> MemberLeftovers;
  for (const MemberRead &R : Impact.MemberReads)
    if (!anyProvides(R.Ask, R.Member, Provides, R.ClassObject)) {
      MemberLeftovers.push_back(R.Leftover);
      MemberLeftovers.back().RuleId = RuleAt(R.BindingOffset);
    }
  llvm::StringMap<LostName> Members;
  std::string Prefix = Module + ".";
  for (const MemberLoss &L : Impact.LostMembers)
    if (!Module.empty() && llvm::StringRef(L.Class).startswith(Prefix) &&
        !anyProvides(L.Ask, L.Name, Provides))
      Members[L.Class.substr(Prefix.size()) + "." + L.Name] = {
          RuleAt(L.Offset), Path + ":" + std::to_string(L.Line), L.Assigned};

  // What a deleted star import brought, read before the lock is taken.
  llvm::StringMap<LostName> FromStars;
  if (!Module.empty())
    for (const BindingImpact::LostStar &S : Impact.LostStars)
      for (std::string &Name : starExports(S.Module))
        if (!llvm::is_contained(S.Kept, Name))
          FromStars.try_emplace(
              Name, LostName{RuleAt(S.Offset), Path + ":" + std::to_string(S.Line)});

  std::lock_guard<std::mutex> Guard(Lock);
  for (const auto *Reads : {&Impact.Unbound, &Impact.OnlyNone})
    for (const BindingImpact::Read &R : *Reads) {
      Found.push_back(R.Leftover);
      if (Found.back().RuleId.empty())
        Found.back().RuleId = RuleAt(R.BindingOffset);
    }
  std::move(MemberLeftovers.begin(), MemberLeftovers.end(), std::back_inserter(Found));
  if (Module.empty() || (Impact.Lost.empty() && Members.empty() && FromStars.empty()))
    return;
  llvm::StringMap<LostName> &Names = Lost[Module];
  for (auto &Entry : FromStars)
    Names.try_emplace(Entry.first(), std::move(Entry.second));
  for (const BindingImpact::TopLevel &U : Impact.Lost)
    Names[U.Name] = {U.Why.RuleId.empty() ? RuleAt(U.Offset) : U.Why.RuleId, U.Why.Where};
  for (auto &Entry : Members)
    Names[Entry.first()] = std::move(Entry.second);
}

void BindingPass::noteEdited(const std::string &Path, llvm::StringRef OldText,
                             llvm::StringRef NewText, llvm::ArrayRef<Edit> Edits) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Lost.empty() || Checked.count(Path))
      return;
    if (!LostIndex)
      LostIndex.emplace(Lost);
  }
  // Neither Lost nor its index changes while the changes are made.
  if (!LostIndex->mayTake(NewText, Modules.moduleOf(Path)))
    return;
  std::unique_ptr<ParsedFile> F = Project::parse(SourceFile(Path, OldText.str()), Modules);
  if (!F->parsed())
    return;
  BindingFacts Facts = bindingFacts(*F, Modules);
  std::vector<MemberUse> MemberUses = otherModulesMemberUses(*F);
  // What the edits delete is not there after them.
  OffsetMap Map(Edits);
  llvm::erase_if(Facts.Uses, [&](const ModuleUse &U) { return Map.editAt(U.Offset); });
  llvm::erase_if(Facts.Unbound, [&](const UnboundRead &U) { return Map.editAt(U.Offset); });
  llvm::erase_if(MemberUses, [&](const MemberUse &U) { return Map.editAt(U.Offset); });
  std::string Module = F->Module;
  auto Text = std::make_unique<SourceFile>(std::move(F->Source));
  F.reset();
  std::lock_guard<std::mutex> Guard(Lock);
  Edited.push_back({Module, std::move(Facts), std::move(Text), std::move(MemberUses)});
}

void BindingPass::examine(const SourceFile &File, llvm::StringRef Module,
                          const BindingFacts &Facts, llvm::ArrayRef<MemberUse> MemberUses,
                          const LostNames &Frontier, LostNames &Next,
                          std::vector<Diagnostic> &Found) {
  for (const MemberUse &Use : MemberUses)
    for (const std::string &Class : Use.Others) {
      std::string Of = Modules.longestModulePrefix(Class);
      auto M = Frontier.find(Of);
      if (Of.empty() || M == Frontier.end())
        continue;
      llvm::StringRef Name = llvm::StringRef(Class).drop_front(Of.size() + 1);
      auto N = M->second.find((Name + "." + Use.Member).str());
      if (N == M->second.end() ||
          !lookupFails(Use, Class, [&](llvm::StringRef C, llvm::StringRef X, bool O) {
            return mayProvide(C, X, O);
          }))
        continue;
      Found.push_back(Diagnostic::at(File, Use.Offset, Severity::Warning,
                                     lostMemberMessage(Name, Use.Member, N->second),
                                     N->second.RuleId));
      break;
    }
  for (const ModuleUse &Use : Facts.Uses) {
    auto M = Frontier.find(Use.Module);
    if (M == Frontier.end())
      continue;
    // A top-level import of a class passes its lost members on:
    // `from m import C` makes this module's `C.x` m's.
    if (!Use.BoundAs.empty() && !Module.empty())
      for (const auto &Entry : M->second)
        if (llvm::StringRef Key = Entry.first();
            Key.startswith(Use.Name) && Key.size() > Use.Name.size() &&
            Key[Use.Name.size()] == '.')
          Next[Module.str()][(Use.BoundAs + Key.drop_front(Use.Name.size())).str()] =
              Entry.second;
    auto N = M->second.find(Use.Name);
    if (N == M->second.end())
      continue;
    Found.push_back(Diagnostic::at(File, Use.Offset, Severity::Warning,
                                   lostNameMessage(Use.Module, Use.Name, N->second, false),
                                   N->second.RuleId));
    // A top-level import of a name that is gone fails, and what it bound is
    // gone for the module's own importers.
    if (!Use.BoundAs.empty() && !Module.empty())
      Next[Module.str()][Use.BoundAs] = N->second;
  }
  for (const std::string &Star : Facts.StarModules) {
    auto M = Frontier.find(Star);
    if (M == Frontier.end())
      continue;
    for (const auto &Entry : M->second) {
      llvm::StringRef Name = Entry.first();
      if (Name.startswith("_") || Facts.ModuleNames.count(Name.split('.').first))
        continue;
      for (const UnboundRead &U : Facts.Unbound)
        if (!U.BoundLater && U.Name == Name)
          Found.push_back(Diagnostic::at(File, U.Offset, Severity::Warning,
                                         lostNameMessage(Star, Name, Entry.second, true),
                                         Entry.second.RuleId));
      // The module passes the name on: its importers lose it too.
      if (!Module.empty() && !Facts.ModuleNames.count("__getattr__"))
        Next[Module.str()][Name] = Entry.second;
    }
  }
}

llvm::Error BindingPass::finish(const ImporterInputs &In, RunResult &Result,
                                std::map<std::string, RuleSummary> &Summary) {
  LostNames Frontier = Lost;
  // Star imports can chain; each round follows one link. A chain longer
  // than this in a real tree would be a cycle, which the rounds also end.
  constexpr unsigned MaxRounds = 8;
  std::vector<size_t> Others;
  for (size_t I = 0; I < In.PythonFiles.size(); ++I)
    if (!In.Skipped.count(In.PythonFiles[I]))
      Others.push_back(I);
  for (unsigned Round = 0; Round < MaxRounds && !Frontier.empty(); ++Round) {
    LostNames Next;
    for (const EditedFile &E : Edited)
      examine(*E.Before, E.Module, E.After, E.MemberUses, Frontier, Next, Found);

    Index Candidates(Frontier);
    bool MembersLost = llvm::any_of(Frontier, [](const auto &Entry) {
      return llvm::any_of(Entry.second,
                          [](const auto &Name) { return Name.first().contains('.'); });
    });
    std::vector<std::optional<llvm::Error>> Failed(Others.size());
    std::mutex Merge;
    forEachIndex(In.Jobs, Others.size(), [&](size_t I) {
      const std::string &Path = In.PythonFiles[Others[I]];
      llvm::StringRef Text;
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer(nullptr);
      if (In.Kept.size() > Others[I] && In.Kept[Others[I]]) {
        Text = *In.Kept[Others[I]];
      } else {
        Buffer = In.FS.getBufferForFile(joinRoot(In.Options.Root, Path), -1, false);
        if (!Buffer) {
          Failed[I] = llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                              Path.c_str(),
                                              Buffer.getError().message().c_str());
          return;
        }
        Text = (*Buffer)->getBuffer();
      }
      if (!Candidates.mayTake(Text, Modules.moduleOf(Path)))
        return;
      std::unique_ptr<ParsedFile> F = Project::parse(SourceFile(Path, Text.str()), Modules);
      if (!F->parsed())
        return; // reported by the cascade when it reads it; nothing changes it
      BindingFacts Facts = bindingFacts(*F, Modules);
      std::vector<MemberUse> MemberUses;
      if (MembersLost)
        MemberUses = otherModulesMemberUses(*F);
      LostNames MyNext;
      std::vector<Diagnostic> Mine;
      examine(F->Source, F->Module, Facts, MemberUses, Frontier, MyNext, Mine);
      std::lock_guard<std::mutex> Guard(Merge);
      std::move(Mine.begin(), Mine.end(), std::back_inserter(Found));
      for (auto &[Module, Names] : MyNext)
        for (auto &Entry : Names)
          Next[Module][Entry.first()] = Entry.second;
    });
    if (llvm::Error Err = firstError(Failed))
      return Err;

    // Only the names a module had not lost yet go on to the next round.
    Frontier.clear();
    for (auto &[Module, Names] : Next)
      for (auto &Entry : Names)
        if (Lost[Module].try_emplace(Entry.first(), Entry.second).second)
          Frontier[Module][Entry.first()] = Entry.second;
  }

  std::set<std::pair<std::string, unsigned>> Reported;
  for (const Diagnostic &D : Result.Diagnostics)
    Reported.emplace(D.File, D.Offset);
  llvm::sort(Found);
  for (Diagnostic &D : Found) {
    if (!isSelected(D.File, In.Options.Paths) || !Reported.emplace(D.File, D.Offset).second)
      continue;
    ++Summary[D.RuleId].Leftovers;
    Result.Diagnostics.push_back(std::move(D));
  }
  llvm::sort(Result.Diagnostics);
  return llvm::Error::success();
}

} // namespace excise
