//===- BindingPass.cpp ----------------------------------------------------===//
#include "driver/BindingPass.h"

#include "driver/ChangeSet.h"
#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "semantics/Project.h"
#include "source/Words.h"

#include "llvm/ADT/STLExtras.h"

#include <optional>
#include <utility>

namespace excise {

void BindingPass::checkEdited(const std::string &Path, llvm::StringRef OldText,
                              llvm::StringRef NewText, llvm::ArrayRef<Edit> Edits,
                              bool Moved) {
  std::unique_ptr<ParsedFile> Before =
      Project::parse(SourceFile(Path, OldText.str()), Modules);
  if (!Before->parsed())
    return;
  std::unique_ptr<ParsedFile> After =
      Project::parse(SourceFile(Path, NewText.str()), Modules);
  if (!After->parsed())
    return; // refused as unparsable by the caller
  EditedFileCheck Check = checkEditedFile(*Before, *After, Edits, Modules, Moved);
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
  if (!Check.After.Uses.empty() || !Check.After.StarModules.empty())
    Edited.push_back({Module, std::move(Check.After), std::move(Text)});
}

void BindingPass::examine(const SourceFile &File, llvm::StringRef Module,
                          const BindingFacts &Facts, const LostNames &Frontier,
                          LostNames &Next, std::vector<Diagnostic> &Found) {
  for (const ModuleUse &Use : Facts.Uses) {
    auto M = Frontier.find(Use.Module);
    if (M == Frontier.end())
      continue;
    auto N = M->second.find(Use.Name);
    if (N == M->second.end())
      continue;
    Found.push_back(Diagnostic::at(File, Use.Offset, Severity::Warning,
                                   lostNameMessage(Use.Module, Use.Name, N->second, false),
                                   N->second.RuleId));
  }
  for (const std::string &Star : Facts.StarModules) {
    auto M = Frontier.find(Star);
    if (M == Frontier.end())
      continue;
    for (const auto &Entry : M->second) {
      llvm::StringRef Name = Entry.first();
      if (Name.startswith("_") || Facts.ModuleNames.count(Name))
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
  std::vector<std::string> Others;
  for (const std::string &Path : In.PythonFiles)
    if (!In.Skipped.count(Path))
      Others.push_back(Path);
  for (unsigned Round = 0; Round < MaxRounds && !Frontier.empty(); ++Round) {
    LostNames Next;
    for (const EditedFile &E : Edited)
      examine(*E.Before, E.Module, E.After, Frontier, Next, Found);

    // A file takes a name from a module when it mentions the name, or passes
    // it on with `from ... import *` when it mentions the module.
    llvm::StringSet<> WordSet;
    for (const auto &[Module, Names] : Frontier) {
      WordSet.insert(llvm::StringRef(Module).rsplit('.').second.empty()
                         ? llvm::StringRef(Module)
                         : llvm::StringRef(Module).rsplit('.').second);
      for (const auto &Entry : Names)
        WordSet.insert(Entry.first());
    }
    std::vector<llvm::StringRef> Words;
    for (const auto &W : WordSet)
      Words.push_back(W.first());
    std::vector<std::optional<llvm::Error>> Failed(Others.size());
    std::mutex Merge;
    forEachIndex(In.Jobs, Others.size(), [&](size_t I) {
      const std::string &Path = Others[I];
      auto Buffer =
          In.FS.getBufferForFile(joinRoot(In.Options.Root, Path), -1, false);
      if (!Buffer) {
        Failed[I] = llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                            Path.c_str(),
                                            Buffer.getError().message().c_str());
        return;
      }
      llvm::StringRef Text = (*Buffer)->getBuffer();
      bool Mentions = llvm::any_of(Words, [&](llvm::StringRef W) {
        bool Seen = false;
        forEachWord(Text, W, [&](size_t) {
          Seen = true;
          return false;
        });
        return Seen;
      });
      if (!Mentions)
        return;
      std::unique_ptr<ParsedFile> F = Project::parse(SourceFile(Path, Text.str()), Modules);
      if (!F->parsed())
        return; // reported by the cascade when it reads it; nothing changes it
      BindingFacts Facts = bindingFacts(*F, Modules);
      LostNames MyNext;
      std::vector<Diagnostic> Mine;
      examine(F->Source, F->Module, Facts, Frontier, MyNext, Mine);
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
