//===- Project.cpp --------------------------------------------------------===//
#include "semantics/Project.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <functional>

#include "source/Words.h"

namespace excise {

std::string Project::qualifiedName(const ParsedFile &F, const Scope &S) {
  if (S.Kind == Scope::Module)
    return F.Module;
  if (S.Kind != Scope::Class && S.Kind != Scope::Function)
    return "";
  if (!S.Parent)
    return "";
  if (S.Parent->Kind != Scope::Module && S.Parent->Kind != Scope::Class)
    return "";
  std::string Outer = qualifiedName(F, *S.Parent);
  if (Outer.empty())
    return "";
  return Outer + "." + S.Name;
}

/// The dotted name an expression spells when it is made of names and
/// attributes only, each name resolved through the file's imports.
static std::string dottedName(const ParsedFile &F, Node E) {
  llvm::StringRef Src = F.Source.text();
  if (E.is("attribute")) {
    std::string Object = dottedName(F, E.field("object"));
    if (Object.empty())
      return "";
    return Object + "." + E.field("attribute").text(Src).str();
  }
  if (!E.is("identifier"))
    return "";
  const Reference *R = F.Scopes->referenceAt(E);
  if (!R)
    return "";
  for (const Binding *B : F.Scopes->bindingsOf(*R)) {
    if ((B->Kind == BindingKind::Import || B->Kind == BindingKind::ImportFrom) &&
        !B->ImportTarget.empty())
      return B->ImportTarget;
    if (B->Kind == BindingKind::Class || B->Kind == BindingKind::Function) {
      std::string Outer = Project::qualifiedName(F, *B->Owner);
      return Outer.empty() ? "" : Outer + "." + B->Name;
    }
  }
  return "";
}

std::unique_ptr<ParsedFile> Project::parse(SourceFile Source,
                                           const ModuleIndex &Modules) {
  auto F = std::make_unique<ParsedFile>(std::move(Source));
  F->Module = Modules.moduleOf(F->Source.path());
  F->IsPackage = ModuleIndex::isPackageFile(F->Source.path());
  // tree-sitter-python's scanner keeps its indentation stack in a fixed
  // buffer and overruns it from 384 open blocks; a file that could open that
  // many is reported instead of parsed.
  unsigned Levels = 0;
  auto Tree = SyntaxTree::parse(F->Source.text(), &Levels);
  if (Levels > SyntaxTree::MaxIndentationLevels)
    F->TooDeep = Levels;
  if (!Tree) {
    // Why dropped: a file without a tree is reported as unparsable (TooDeep
    // says why) by whoever asked for it.
    llvm::consumeError(Tree.takeError());
    return F;
  }
  F->Tree.emplace(std::move(*Tree));
  scope(*F);
  return F;
}

std::unique_ptr<ParsedFile> Project::reparse(const ParsedFile &Before, std::string NewText,
                                             llvm::ArrayRef<TextEdit> Edits,
                                             const ModuleIndex &Modules) {
  if (!Before.Tree)
    return parse(SourceFile(Before.Source.path().str(), std::move(NewText)), Modules);
  auto F = std::make_unique<ParsedFile>(
      SourceFile(Before.Source.path().str(), std::move(NewText)));
  F->Module = Before.Module;
  F->IsPackage = Before.IsPackage;
  // Edits only take indentation away or keep it: no deeper than before.
  auto Tree = Before.Tree->reparse(Before.Source.text(), Edits, F->Source.text());
  if (!Tree) {
    // Why dropped: the incremental reparse refused; a whole parse decides.
    llvm::consumeError(Tree.takeError());
    return parse(SourceFile(Before.Source.path().str(), F->Source.text().str()), Modules);
  }
  F->Tree.emplace(std::move(*Tree));
  scope(*F);
  return F;
}

void Project::scope(ParsedFile &File) {
  ParsedFile *F = &File;
  if (F->Tree->hasErrors()) {
    F->FirstError = F->Tree->firstError();
    return;
  }
  // The scope builder recurses along the tree, as the analysis does. A
  // first walk goes no deeper than a third of MaxDepth levels; since the
  // tree is at most three times plus four as deep as the walk saw (see
  // ScopeTree::depthSeen), the exact depth is measured only when the walk
  // had to stop or came near, which ordinary code never does. A tree that
  // the analysis takes after all is walked again without the stop.
  const unsigned FirstLimit = ParsedFile::MaxDepth / 3;
  IndexedNodes Index;
  auto Scopes = std::make_unique<ScopeTree>(F->Tree->root(), F->Source.text(), F->Module,
                                            F->IsPackage, &Index, FirstLimit);
  if (Scopes->truncated() || 3 * Scopes->depthSeen() + 4 > ParsedFile::MaxDepth) {
    unsigned Depth = F->Tree->depth();
    if (Depth > ParsedFile::MaxDepth) {
      F->TooDeep = Depth;
      return;
    }
    if (Scopes->truncated()) {
      Index = IndexedNodes();
      Scopes = std::make_unique<ScopeTree>(F->Tree->root(), F->Source.text(), F->Module,
                                           F->IsPackage, &Index);
    }
  }
  F->Scopes = std::move(Scopes);
  F->Attributes = std::move(Index.Attributes);
  F->Assignments = std::move(Index.Assignments);
  F->Strings = std::move(Index.Strings);
}

ModuleSummary ModuleSummary::of(const ParsedFile &F) {
  ModuleSummary S;
  S.Parsed = F.parsed();
  if (!F.parsed())
    return S;
  for (const auto &Sc : F.Scopes->scopes()) {
    if (Sc->Kind != Scope::Class)
      continue;
    std::string Name = Project::qualifiedName(F, *Sc);
    if (Name.empty())
      continue;
    std::vector<std::string> &Out = S.Bases[Name];
    if (Node Supers = Sc->Owner.field("superclasses"))
      for (Node Base : Supers.namedChildren())
        if (Base.is("identifier") || Base.is("attribute"))
          if (std::string Q = dottedName(F, Base); !Q.empty())
            Out.push_back(Q);
  }
  for (const auto &Entry : F.Scopes->module().Names)
    for (const Binding *B : Entry.getValue())
      if (B->Kind == BindingKind::ImportFrom && !B->ImportTarget.empty())
        S.Exports[B->Name] = B->ImportTarget;
  // `from M import *` at the top level, or in a top-level `if` or `try`.
  std::function<void(Node)> Stars = [&](Node N) {
    for (Node C : N.namedChildren()) {
      if (C.is("import_from_statement")) {
        if (llvm::any_of(C.namedChildren(), [](Node I) { return I.is("wildcard_import"); }))
          if (std::string M = importedModule(C, F.Source.text(), F.Module, F.IsPackage);
              !M.empty())
            S.Stars.push_back(std::move(M));
      } else if (C.is("if_statement") || C.is("try_statement") || C.is("block") ||
                 C.is("else_clause") || C.is("elif_clause") || C.is("except_clause") ||
                 C.is("finally_clause")) {
        Stars(C);
      }
    }
  };
  Stars(F.Tree->root());
  return S;
}

/// True when function \p Def calls `super().Name(...)` (or
/// `super(...).Name(...)`) in its body.
static bool callsSuper(Node Def, llvm::StringRef Name, llvm::StringRef Src) {
  bool Found = false;
  Def.field("body").walk([&](Node N) {
    if (Found)
      return false;
    if (N.is("call"))
      if (Node Fn = N.field("function"); Fn.is("attribute"))
        if (Node Object = Fn.field("object"); Object.is("call"))
          if (Node Callee = Object.field("function");
              Callee.is("identifier") && Callee.text(Src) == "super" &&
              Fn.field("attribute").text(Src) == Name)
            Found = true;
    return !Found;
  });
  return Found;
}

/// The names \p F defines at its top level and in its top-level classes
/// (`Repo`, `Repo.save`, `CONSTANT`), and how those classes define their
/// members.
std::unique_ptr<Project::ModuleDefinitions>
Project::readDefinitions(const ParsedFile &F) {
  using Kind = MemberKind;
  auto Defs = std::make_unique<ModuleDefinitions>();
  llvm::StringRef Src = F.Source.text();
  const Scope &M = F.Scopes->module();
  for (const auto &Entry : M.Names)
    Defs->Names.insert(Entry.getKey());
  for (const Scope *C : M.Children) {
    if (C->Kind != Scope::Class)
      continue;
    for (const auto &Entry : C->Names) {
      std::string Member = C->Name + "." + Entry.getKey().str();
      Defs->Names.insert(Member);
      Kind K = Kind::Method;
      for (const Binding *B : Entry.getValue()) {
        if (B->Kind != BindingKind::Function) {
          K = Kind::Other;
          break;
        }
        if (callsSuper(B->NameNode.parent(), Entry.getKey(), Src))
          K = Kind::ExtendingMethod;
      }
      Defs->Members[Member] = K;
    }
  }
  return Defs;
}

Project::Project(ModuleIndex Modules, llvm::vfs::FileSystem &FS, std::string Root)
    : Modules(std::move(Modules)), FS(FS), Root(std::move(Root)) {}

std::unique_ptr<ParsedFile> Project::parseModule(llvm::StringRef Module) const {
  std::string File = Modules.fileOf(Module);
  if (File.empty())
    return nullptr;
  llvm::SmallString<256> Full(Root);
  llvm::sys::path::append(Full, File);
  auto Buffer = FS.getBufferForFile(Full, -1, false);
  if (!Buffer)
    return nullptr;
  return parse(SourceFile(File, (*Buffer)->getBuffer().str()), Modules);
}

const ModuleSummary *Project::summary(llvm::StringRef Module) const {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Summaries.find(Module);
    if (It != Summaries.end())
      return It->second.get();
  }
  std::unique_ptr<ModuleSummary> S;
  if (auto Parsed = parseModule(Module))
    S = std::make_unique<ModuleSummary>(ModuleSummary::of(*Parsed));
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Slot = Summaries[Module];
  if (!Slot)
    Slot = std::move(S);
  Words.erase(Module); // the summary answers from now on
  return Slot.get();
}

const Project::ModuleDefinitions *
Project::moduleDefinitions(llvm::StringRef Module) const {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Definitions.find(Module);
    if (It != Definitions.end())
      return It->second.get();
  }
  std::unique_ptr<ModuleDefinitions> Defs;
  if (auto Parsed = parseModule(Module); Parsed && Parsed->parsed())
    Defs = readDefinitions(*Parsed);
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Slot = Definitions[Module];
  if (!Slot)
    Slot = std::move(Defs);
  return Slot.get();
}

const llvm::StringSet<> *Project::definitions(llvm::StringRef Module) const {
  const ModuleDefinitions *Defs = moduleDefinitions(Module);
  return Defs ? &Defs->Names : nullptr;
}

Project::MemberKind Project::memberKind(llvm::StringRef Cls,
                                        llvm::StringRef Member) const {
  std::string Module = Modules.longestModulePrefix(Cls);
  if (Module.empty() || Module.size() >= Cls.size())
    return MemberKind::Absent;
  const ModuleDefinitions *Defs = moduleDefinitions(Module);
  if (!Defs)
    return MemberKind::Absent;
  auto It = Defs->Members.find(
      (Cls.drop_front(Module.size() + 1) + "." + Member).str());
  return It == Defs->Members.end() ? MemberKind::Absent : It->second;
}

const ModuleSummary *Project::summaryBinding(llvm::StringRef Module,
                                             llvm::StringRef Name) const {
  // A name with a byte that is not a word character may sit inside a longer
  // run of such bytes: only the summary can tell.
  if (Name.empty() || !llvm::all_of(Name, isWordChar))
    return summary(Module);
  std::optional<bool> Known;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto S = Summaries.find(Module);
    if (S != Summaries.end())
      return S->second.get();
    auto W = Words.find(Module);
    if (W != Words.end())
      Known = W->second->contains(Name) || W->second->contains(StarWord);
  }
  if (Known)
    return *Known ? summary(Module) : nullptr;
  // Every maximal run of word characters: a name the module binds is one of
  // them, since an identifier's neighbours are not word characters.
  auto Set = std::make_unique<llvm::StringSet<>>();
  std::string File = Modules.fileOf(Module);
  if (!File.empty()) {
    llvm::SmallString<256> Full(Root);
    llvm::sys::path::append(Full, File);
    if (auto Buffer = FS.getBufferForFile(Full, -1, false)) {
      llvm::StringRef Text = (*Buffer)->getBuffer();
      for (size_t I = 0; I < Text.size();) {
        if (!isWordChar(Text[I])) {
          ++I;
          continue;
        }
        size_t J = I + 1;
        while (J < Text.size() && isWordChar(Text[J]))
          ++J;
        Set->insert(Text.slice(I, J));
        I = J;
      }
      // A module that imports with `*` may bind any name.
      if (Text.size() >= 8 && memmem(Text.data(), Text.size(), "import *", 8))
        Set->insert(StarWord);
    }
  }
  bool Contains = Set->contains(Name) || Set->contains(StarWord);
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Summaries.count(Module))
      Words.try_emplace(Module, std::move(Set));
  }
  return Contains ? summary(Module) : nullptr;
}

void Project::offer(const ParsedFile &File) const {
  if (File.Module.empty())
    return;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Summaries.count(File.Module))
      return;
  }
  auto S = std::make_unique<ModuleSummary>(ModuleSummary::of(File));
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Slot = Summaries[File.Module];
  if (!Slot)
    Slot = std::move(S);
  Words.erase(File.Module);
}

/// The segment of \p Name right after its module prefix \p Module: the
/// top-level name of the module that \p Name is in (`pkg.mod.Cls.m` -> `Cls`).
static llvm::StringRef topLevelName(llvm::StringRef Name, llvm::StringRef Module) {
  llvm::StringRef Rest = Name.drop_front(Module.size());
  Rest.consume_front(".");
  return Rest.split('.').first;
}

bool Project::isClass(llvm::StringRef Name) const {
  std::string Module = Modules.longestModulePrefix(Name);
  if (Module.empty())
    return false;
  const ModuleSummary *S = summaryBinding(Module, topLevelName(Name, Module));
  return S && S->Bases.count(Name);
}

std::string Project::canonical(llvm::StringRef Name) const {
  std::string Current = Name.str();
  // Each step replaces a re-exported prefix; bound the walk against cycles.
  for (unsigned Step = 0; Step < 16; ++Step) {
    bool Changed = false;
    for (size_t Dot = Current.find('.'); Dot != std::string::npos;
         Dot = Current.find('.', Dot + 1)) {
      llvm::StringRef Module = llvm::StringRef(Current).take_front(Dot);
      if (!Modules.hasModule(Module))
        continue;
      size_t End = Current.find('.', Dot + 1);
      llvm::StringRef Name =
          llvm::StringRef(Current).slice(Dot + 1, End == std::string::npos ? Current.size() : End);
      const ModuleSummary *S = summaryBinding(Module, Name);
      if (!S)
        continue;
      auto It = S->Exports.find(Name);
      if (It != S->Exports.end() && It->second != Module.str() + "." + Name.str()) {
        Current = It->second + (End == std::string::npos ? "" : Current.substr(End));
        Changed = true;
        break;
      }
      // A name the module does not bind itself, from the first of its star
      // imports that binds it (a public name: `*` skips `_names`).
      if (It != S->Exports.end() || S->Stars.empty() || Name.startswith("_"))
        continue;
      const llvm::StringSet<> *Own = definitions(Module);
      if (!Own || Own->count(Name))
        continue;
      for (const std::string &Star : S->Stars) {
        const llvm::StringSet<> *Defined = definitions(Star);
        const ModuleSummary *Next = summaryBinding(Star, Name);
        if ((Defined && Defined->count(Name)) || (Next && !Next->Stars.empty())) {
          Current = Star + "." + Name.str() +
                    (End == std::string::npos ? "" : Current.substr(End));
          Changed = true;
          break;
        }
      }
      if (Changed)
        break;
    }
    if (!Changed)
      break;
  }
  return Current;
}

std::vector<std::string> Project::ancestors(llvm::StringRef Name) const {
  std::vector<std::string> Result;
  llvm::StringSet<> Seen;
  std::vector<std::string> Work{canonical(Name)};
  for (size_t I = 0; I < Work.size() && Work.size() < 256; ++I) {
    std::string Module = Modules.longestModulePrefix(Work[I]);
    if (Module.empty())
      continue;
    const ModuleSummary *S = summaryBinding(Module, topLevelName(Work[I], Module));
    if (!S)
      continue;
    auto It = S->Bases.find(Work[I]);
    if (It == S->Bases.end())
      continue;
    for (const std::string &Raw : It->second) {
      std::string B = canonical(Raw);
      if (Seen.insert(B).second) {
        Result.push_back(B);
        Work.push_back(B);
      }
    }
  }
  return Result;
}

} // namespace excise
