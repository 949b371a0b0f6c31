//===- Project.cpp --------------------------------------------------------===//
#include "semantics/Project.h"

#include "llvm/ADT/StringSet.h"

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
  auto Tree = SyntaxTree::parse(F->Source.text());
  if (!Tree) {
    llvm::consumeError(Tree.takeError());
    return F;
  }
  F->Tree.emplace(std::move(*Tree));
  if (F->Tree->hasErrors()) {
    F->FirstError = F->Tree->firstError();
    return F;
  }
  F->Scopes = std::make_unique<ScopeTree>(F->Tree->root(), F->Source.text(),
                                          F->Module, F->IsPackage);
  return F;
}

ParsedFile &Project::add(std::unique_ptr<ParsedFile> File) {
  Files.push_back(std::move(File));
  ParsedFile &F = *Files.back();
  if (!F.Module.empty())
    ByModule[F.Module] = &F;
  if (F.Module.empty() || !F.parsed())
    return F;
  for (const auto &S : F.Scopes->scopes()) {
    if (S->Kind != Scope::Class)
      continue;
    std::string Name = qualifiedName(F, *S);
    if (Name.empty())
      continue;
    std::vector<std::string> &Out = RawBases[Name];
    if (Node Supers = S->Owner.field("superclasses"))
      for (Node Base : Supers.namedChildren())
        if (Base.is("identifier") || Base.is("attribute"))
          if (std::string Q = dottedName(F, Base); !Q.empty())
            Out.push_back(Q);
  }
  for (const auto &Entry : F.Scopes->module().Names)
    for (const Binding *B : Entry.getValue())
      if (B->Kind == BindingKind::ImportFrom && !B->ImportTarget.empty())
        Exports[F.Module + "." + B->Name] = B->ImportTarget;
  return F;
}

void Project::finish() {
  for (const auto &Entry : RawBases) {
    std::vector<std::string> &Out = Bases[Entry.getKey()];
    for (const std::string &B : Entry.getValue())
      Out.push_back(canonical(B));
  }
}

ParsedFile *Project::fileOfModule(llvm::StringRef Module) const {
  auto It = ByModule.find(Module);
  return It == ByModule.end() ? nullptr : It->second;
}

std::string Project::canonical(llvm::StringRef Name) const {
  std::string Current = Name.str();
  // Each step replaces a re-exported prefix; bound the walk against cycles.
  for (unsigned Step = 0; Step < 16; ++Step) {
    bool Changed = false;
    for (size_t Dot = Current.find('.'); Dot != std::string::npos;
         Dot = Current.find('.', Dot + 1)) {
      size_t End = Current.find('.', Dot + 1);
      std::string Prefix = Current.substr(0, End);
      auto It = Exports.find(Prefix);
      if (It != Exports.end() && It->second != Prefix) {
        Current = It->second + (End == std::string::npos ? "" : Current.substr(End));
        Changed = true;
        break;
      }
    }
    if (!Changed)
      break;
  }
  return Current;
}

std::vector<std::string> Project::ancestors(llvm::StringRef Name) const {
  std::vector<std::string> Result;
  llvm::StringSet<> Seen;
  std::vector<std::string> Work{Name.str()};
  while (!Work.empty()) {
    std::string C = Work.front();
    Work.erase(Work.begin());
    auto It = Bases.find(C);
    if (It == Bases.end())
      continue;
    for (const std::string &B : It->second)
      if (Seen.insert(B).second) {
        Result.push_back(B);
        Work.push_back(B);
      }
  }
  return Result;
}

std::vector<std::string> Project::descendants(llvm::StringRef Name) const {
  std::vector<std::string> Result;
  for (const auto &Entry : Bases) {
    auto A = ancestors(Entry.getKey());
    if (std::find(A.begin(), A.end(), Name.str()) != A.end())
      Result.push_back(Entry.getKey().str());
  }
  std::sort(Result.begin(), Result.end());
  return Result;
}

} // namespace excise
