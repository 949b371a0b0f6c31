//===- Run.cpp - The pipeline over a whole tree ---------------------------===//
#include "driver/Run.h"

#include "driver/FileOperations.h"
#include "driver/Verify.h"
#include "semantics/Cascade.h"
#include "semantics/Project.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace excise {

bool operator<(const FileChange &A, const FileChange &B);

bool RunResult::hasFindings() const {
  return llvm::any_of(Diagnostics, [](const Diagnostic &D) {
    return D.Level != Severity::Note;
  });
}

namespace {

namespace path = llvm::sys::path;

/// Directories that are never part of the service's code.
bool isSkippedDirectory(llvm::StringRef Name) {
  return Name == ".git" || Name == "node_modules" || Name == "__pycache__" ||
         Name == ".venv" || Name == "venv" || Name == ".tox" ||
         Name == ".mypy_cache" || Name == ".pytest_cache" || Name == "build" ||
         Name == "dist" || Name == ".hg" || Name == ".svn";
}

/// Every regular file under \p Root, relative to it, sorted.
llvm::Expected<std::vector<std::string>> listTree(llvm::vfs::FileSystem &FS,
                                                  llvm::StringRef Root) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::vfs::recursive_directory_iterator It(FS, Root, EC), End;
       It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = path::filename(It->path());
    if (It->type() == llvm::sys::fs::file_type::directory_file) {
      if (isSkippedDirectory(Name))
        It.no_push();
      continue;
    }
    if (It->type() != llvm::sys::fs::file_type::regular_file &&
        It->type() != llvm::sys::fs::file_type::symlink_file)
      continue;
    llvm::SmallString<256> Rel(It->path());
    if (!path::replace_path_prefix(Rel, Root, ""))
      continue;
    llvm::StringRef R = path::relative_path(Rel);
    R.consume_front("/");
    std::string P = path::convert_to_slash(R);
    Files.push_back(P);
  }
  if (EC)
    return llvm::createStringError(EC, "%s: cannot list: %s", Root.str().c_str(),
                                   EC.message().c_str());
  llvm::sort(Files);
  return Files;
}

std::string joinRoot(llvm::StringRef Root, llvm::StringRef Rel) {
  llvm::SmallString<256> P(Root);
  path::append(P, path::Style::posix, Rel);
  return std::string(P.str());
}

/// True when \p File is one of \p Paths or inside one of them.
bool isSelected(llvm::StringRef File, const std::vector<std::string> &Paths) {
  if (Paths.empty())
    return true;
  return llvm::any_of(Paths, [&](const std::string &P) {
    llvm::StringRef Prefix(P);
    Prefix.consume_front("./");
    while (Prefix.endswith("/"))
      Prefix = Prefix.drop_back();
    if (Prefix.empty() || Prefix == ".")
      return true;
    return File == Prefix ||
           (File.startswith(Prefix) && File.size() > Prefix.size() &&
            File[Prefix.size()] == '/');
  });
}

/// Does module \p Module (a file) define \p Name at its top level, or, for a
/// dotted \p Name, a class member?
bool definesName(const ParsedFile &F, llvm::StringRef Name) {
  if (!F.parsed())
    return true; // Cannot tell; the file is reported anyway.
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Name.split(Parts, '.');
  const Scope *S = &F.Scopes->module();
  for (size_t I = 0; I < Parts.size(); ++I) {
    const auto *Bs = S->lookupLocal(Parts[I]);
    if (!Bs || Bs->empty())
      return false;
    if (I + 1 == Parts.size())
      return true;
    const Binding *B = Bs->front();
    if (B->Kind != BindingKind::Class)
      return false;
    const Scope *Next = nullptr;
    for (const Scope *C : S->Children)
      if (C->Kind == Scope::Class && C->Owner == B->NameNode.parent())
        Next = C;
    if (!Next)
      return false;
    S = Next;
  }
  return true;
}

} // namespace

llvm::Expected<RunResult> runPlan(const Plan &P, llvm::vfs::FileSystem &FS,
                                  const RunOptions &Options) {
  RunResult Result;
  auto Listed = listTree(FS, Options.Root);
  if (!Listed)
    return Listed.takeError();
  std::vector<std::string> PythonFiles;
  for (const std::string &F : *Listed)
    if (llvm::StringRef(F).endswith(".py"))
      PythonFiles.push_back(F);

  auto Ops = resolveFileOperations(P, FS, Options.Root, *Listed);
  if (!Ops)
    return Ops.takeError();

  ModuleIndex Modules(P.ImportRoot.Value, PythonFiles);
  Project Proj(Modules);

  // Read and parse in parallel; keep the order of the listing.
  unsigned Jobs = Options.Jobs ? Options.Jobs : llvm::hardware_concurrency().compute_thread_count();
  std::vector<std::unique_ptr<ParsedFile>> Parsed(PythonFiles.size());
  std::vector<std::string> ReadErrors(PythonFiles.size());
  {
    llvm::ThreadPool Pool(llvm::hardware_concurrency(Jobs));
    for (size_t I = 0; I < PythonFiles.size(); ++I)
      Pool.async([&, I] {
        auto Source = SourceFile::read(FS, joinRoot(Options.Root, PythonFiles[I]));
        if (!Source) {
          ReadErrors[I] = llvm::toString(Source.takeError());
          return;
        }
        SourceFile Rel(PythonFiles[I], Source->text().str());
        Parsed[I] = Project::parse(std::move(Rel), Modules);
      });
    Pool.wait();
  }
  for (size_t I = 0; I < PythonFiles.size(); ++I) {
    if (!ReadErrors[I].empty())
      return llvm::createStringError(std::make_error_code(std::errc::io_error),
                                     ReadErrors[I]);
    ++Result.FilesRead;
    if (Parsed[I]->parsed())
      ++Result.FilesParsed;
    Proj.add(std::move(Parsed[I]));
  }
  Proj.finish();

  // Resolve the plan's targets against the tree.
  RemovalSet Removed;
  std::vector<CallRule> Calls;
  std::set<std::string> DeletedModules;
  std::map<std::string, std::string> DeletedModuleRule;
  for (const Rule &R : P.Rules) {
    switch (R.Kind) {
    case OperationKind::RemoveModule:
      for (const PlanString &M : R.Modules) {
        if (!Modules.hasModule(M.Value) && !Modules.isPackage(M.Value)) {
          if (R.Optional)
            continue;
          return makePlanError(P, M.Loc, PlanErrorKind::UnresolvedTarget,
                               "module '" + M.Value + "' is not in the tree (no " +
                                   llvm::StringRef(M.Value).str() +
                                   " under import root '" + P.ImportRoot.Value + "')");
        }
        Removed.add(M.Value, Cause{R.Id, {"module " + M.Value}}, /*IsModule=*/true);
        for (const std::string &Sub : Modules.modulesUnder(M.Value)) {
          DeletedModules.insert(Modules.fileOf(Sub));
          DeletedModuleRule[Modules.fileOf(Sub)] = R.Id;
        }
      }
      break;
    case OperationKind::RemoveSymbol:
      for (const PlanString &S : R.Symbols) {
        std::string Module = Modules.longestModulePrefix(S.Value);
        llvm::StringRef Rest = llvm::StringRef(S.Value).drop_front(Module.size());
        Rest.consume_front(".");
        ParsedFile *F = Module.empty() ? nullptr : Proj.fileOfModule(Module);
        if (!F || Rest.empty() || !definesName(*F, Rest)) {
          if (R.Optional)
            continue;
          std::string Why = !F || Rest.empty()
                                ? "no module of the tree contains it"
                                : "module '" + Module + "' (" + F->Source.path().str() +
                                      ") does not define '" + Rest.str() + "'";
          return makePlanError(P, S.Loc, PlanErrorKind::UnresolvedTarget,
                               "symbol '" + S.Value + "' not found: " + Why);
        }
        Removed.add(S.Value, Cause{R.Id, {S.Value}});
      }
      break;
    case OperationKind::RemoveCalls: {
      CallRule C;
      C.RuleId = R.Id;
      C.Matcher = R.Calls;
      for (const ArgumentPredicate &A : R.Calls.Args)
        C.Patterns.push_back(A.IsRegex ? std::make_shared<llvm::Regex>(A.Value)
                                       : nullptr);
      Calls.push_back(std::move(C));
      break;
    }
    default:
      break;
    }
  }

  // The cascade: analyse every file until no file discovers anything new.
  std::vector<ParsedFile *> Live;
  for (const auto &F : Proj.files())
    if (F->parsed() && !DeletedModules.count(F->Source.path().str()) &&
        !Ops->Deleted.count(F->Source.path().str()))
      Live.push_back(F.get());
  std::vector<FileOutcome> Outcomes(Live.size());
  for (unsigned Round = 0; Round < 64; ++Round) {
    CascadeContext Ctx{Proj, Removed, Calls};
    {
      llvm::ThreadPool Pool(llvm::hardware_concurrency(Jobs));
      for (size_t I = 0; I < Live.size(); ++I)
        Pool.async([&, I] { Outcomes[I] = analyzeFile(*Live[I], Ctx); });
      Pool.wait();
    }
    bool Grew = false;
    for (const FileOutcome &O : Outcomes)
      for (const auto &[Name, Why] : O.Discovered)
        Grew |= Removed.add(Name, Why);
    if (!Grew)
      break;
  }

  // Changes and diagnostics, in path order.
  std::map<std::string, RuleSummary> Summary;
  for (const Rule &R : P.Rules)
    Summary[R.Id].RuleId = R.Id;
  // Every edited file: its text and its edits, from the cascade and from
  // replace-text alike, so that Replacements sees them all together.
  struct Pending {
    std::string Text;
    std::vector<Edit> Edits;
    bool IsPython = false;
  };
  std::map<std::string, Pending> Edited;
  for (size_t I = 0; I < Live.size(); ++I) {
    const ParsedFile &F = *Live[I];
    FileOutcome &O = Outcomes[I];
    bool Selected = isSelected(F.Source.path(), Options.Paths);
    if (Selected)
      for (Diagnostic &D : O.Diagnostics) {
        ++Summary[D.RuleId].Leftovers;
        Result.Diagnostics.push_back(std::move(D));
      }
    if (O.Edits.empty() || !Selected)
      continue;
    Pending &E = Edited[F.Source.path().str()];
    E.Text = F.Source.text().str();
    E.IsPython = true;
    E.Edits = std::move(O.Edits);
  }
  for (auto &[Path, Edits] : Ops->TextEdits) {
    if (Edits.empty() || Ops->Deleted.count(Path) || !isSelected(Path, Options.Paths))
      continue;
    Pending &E = Edited[Path];
    if (E.Text.empty())
      E.Text = Ops->Texts[Path];
    E.IsPython |= llvm::StringRef(Path).endswith(".py");
    E.Edits.insert(E.Edits.end(), Edits.begin(), Edits.end());
  }
  for (auto &[Path, Pend] : Edited) {
    FileEdits Set(Path);
    for (Edit &E : Pend.Edits)
      if (llvm::Error Err = Set.add(E))
        return std::move(Err);
    auto NewText = Set.apply(Pend.Text);
    if (!NewText)
      return NewText.takeError();
    // The invariant: a file that parsed still parses. If the engine ever
    // broke it, refuse the edit rather than write a broken file.
    if (Pend.IsPython) {
      auto Before = SyntaxTree::parse(Pend.Text);
      auto After = SyntaxTree::parse(*NewText);
      bool Broke = Before && After && !Before->hasErrors() && After->hasErrors();
      if (!Before)
        llvm::consumeError(Before.takeError());
      if (!After)
        llvm::consumeError(After.takeError());
      if (Broke) {
        Result.Diagnostics.push_back(Diagnostic::at(
            SourceFile(Path, Pend.Text), 0, Severity::Error,
            "internal error: the edits would leave this file unparsable; it is "
            "not edited",
            Set.edits().front().RuleId));
        continue;
      }
    }
    FileChange C;
    C.OldPath = C.NewPath = Path;
    if (auto M = Ops->Moved.find(Path); M != Ops->Moved.end())
      C.NewPath = M->second.first, C.RuleId = M->second.second;
    C.OldText = Pend.Text;
    C.NewText = std::move(*NewText);
    C.Edits = Set.edits();
    llvm::StringSet<> Rules;
    for (const Edit &E : C.Edits) {
      ++Summary[E.RuleId].Edits;
      if (Rules.insert(E.RuleId).second)
        ++Summary[E.RuleId].Files;
    }
    Result.Changes.push_back(std::move(C));
  }
  for (const auto &[From, To] : Ops->Moved) {
    if (Edited.count(From) || !isSelected(From, Options.Paths))
      continue;
    FileChange C;
    C.OldPath = From;
    C.NewPath = To.first;
    C.OldText = C.NewText = Ops->Texts[From];
    C.RuleId = To.second;
    ++Summary[C.RuleId].Files;
    Result.Changes.push_back(std::move(C));
  }
  for (const auto &[Path, Rule] : Ops->Deleted) {
    if (!isSelected(Path, Options.Paths) || DeletedModules.count(Path))
      continue;
    FileChange C;
    C.OldPath = Path;
    llvm::SmallString<256> Full(Options.Root);
    path::append(Full, Path);
    auto Buffer = FS.getBufferForFile(Full, -1, false);
    if (!Buffer)
      return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                     Path.c_str(), Buffer.getError().message().c_str());
    C.OldText = (*Buffer)->getBuffer().str();
    C.RuleId = Rule;
    ++Summary[C.RuleId].Files;
    Result.Changes.push_back(std::move(C));
  }
  for (const auto &[Path, Added] : Ops->Added) {
    if (!isSelected(Path, Options.Paths))
      continue;
    FileChange C;
    C.NewPath = Path;
    C.NewText = Added.first;
    C.RuleId = Added.second;
    ++Summary[C.RuleId].Files;
    Result.Changes.push_back(std::move(C));
  }
  for (const auto &F : Proj.files()) {
    std::string Path = F->Source.path().str();
    if (!isSelected(Path, Options.Paths))
      continue;
    if (DeletedModules.count(Path)) {
      FileChange C;
      C.OldPath = Path;
      C.OldText = F->Source.text().str();
      C.RuleId = DeletedModuleRule[Path];
      ++Summary[C.RuleId].Files;
      Result.Changes.push_back(std::move(C));
      continue;
    }
    if (F->parsed() || Ops->Deleted.count(Path))
      continue;
    // Not Python we can read: report it, and every mention of a removed name
    // as a possible leftover; never edit it.
    Diagnostic D;
    if (F->FirstError)
      D = Diagnostic::at(F->Source, F->FirstError.start(), Severity::Error,
                         "syntax error: file not edited");
    else
      D = Diagnostic::at(F->Source, 0, Severity::Error,
                         "cannot parse: file not edited");
    Result.Diagnostics.push_back(D);
    for (const std::string &Name : Removed.names()) {
      llvm::StringRef Last = llvm::StringRef(Name).rsplit('.').second;
      if (Last.empty())
        Last = Name;
      llvm::StringRef Text = F->Source.text();
      for (size_t Pos = Text.find(Last); Pos != llvm::StringRef::npos;
           Pos = Text.find(Last, Pos + 1)) {
        auto IsWord = [](char C) { return llvm::isAlnum(C) || C == '_'; };
        if ((Pos > 0 && IsWord(Text[Pos - 1])) ||
            (Pos + Last.size() < Text.size() && IsWord(Text[Pos + Last.size()])))
          continue;
        const Cause *Why = Removed.match(Name);
        Result.Diagnostics.push_back(Diagnostic::at(
            F->Source, Pos, Severity::Warning,
            "possible leftover: '" + Last.str() + "' in a file that does not parse",
            Why ? Why->RuleId : ""));
      }
    }
  }
  llvm::sort(Result.Changes);
  llvm::sort(Result.Diagnostics);

  // verify: the tree as the plan leaves it.
  if (!P.Verify.Absent.empty()) {
    std::map<std::string, const FileChange *> ChangeOf;
    std::set<std::string> Gone;
    for (const FileChange &C : Result.Changes) {
      if (!C.OldPath.empty() && C.OldPath != C.NewPath)
        Gone.insert(C.OldPath);
      if (!C.NewPath.empty())
        ChangeOf[C.NewPath] = &C;
    }
    std::set<std::string> After(Listed->begin(), Listed->end());
    for (const auto &[Path, Pend] : Ops->Added)
      After.insert(Path);
    for (const auto &[From, To] : Ops->Moved)
      After.insert(To.first);
    for (const std::string &Path : After) {
      if (Gone.count(Path) || Ops->Deleted.count(Path) || DeletedModules.count(Path) ||
          !isVerified(P, Path))
        continue;
      std::string Text;
      if (auto It = ChangeOf.find(Path); It != ChangeOf.end()) {
        Text = It->second->NewText;
      } else if (auto A = Ops->Added.find(Path); A != Ops->Added.end()) {
        Text = A->second.first;
      } else {
        llvm::SmallString<256> Full(Options.Root);
        path::append(Full, Path);
        auto Buffer = FS.getBufferForFile(Full, -1, false);
        if (!Buffer)
          continue;
        Text = (*Buffer)->getBuffer().str();
      }
      for (Diagnostic &D : verifyFile(P, Path, Text))
        Result.Verification.push_back(std::move(D));
    }
    llvm::sort(Result.Verification);
  }
  for (const Rule &R : P.Rules)
    Result.Summary.push_back(Summary[R.Id]);
  return Result;
}

} // namespace excise
