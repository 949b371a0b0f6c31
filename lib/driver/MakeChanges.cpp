//===- MakeChanges.cpp - Every change made, verified and handed on -------===//
#include "driver/MakeChanges.h"

#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "driver/Verify.h"
#include "python/SyntaxTree.h"
#include "source/SourceFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <optional>
#include <set>

namespace excise {

bool operator<(const FileChange &A, const FileChange &B);

llvm::Error makeChanges(const ChangeInputs &In, ChangedFiles &Edited,
                        std::map<std::string, RuleSummary> &Summary, RunResult &Result,
                        ChangeSink Sink,
                        llvm::function_ref<void(llvm::StringRef Name,
                                                llvm::StringRef Description)>
                            StartPhase) {
  const Plan &P = In.P;
  const RunOptions &Options = In.Options;
  const FileOperations &Ops = In.Ops;
  const std::map<std::string, std::string> &DeletedModules = In.DeletedModules;
  const std::vector<std::string> &Listed = In.Listed;
  llvm::vfs::FileSystem &FS = In.FS;
  CauseTable &Causes = In.Causes;
  unsigned Jobs = In.Jobs;
  // Every change, without its texts yet, in path order: edited files (maybe
  // moved too), moved files, deleted files (those the plan names and the
  // files of removed modules) and created ones.
  struct Outgoing {
    FileChange Change;
    PendingFile *Pend = nullptr; ///< For an edited file.
  };
  std::vector<Outgoing> Out;
  auto Add = [&](std::string OldPath, std::string NewPath, std::string RuleId,
                 PendingFile *Pend) {
    Outgoing O;
    O.Change.OldPath = std::move(OldPath);
    O.Change.NewPath = std::move(NewPath);
    O.Change.RuleId = std::move(RuleId);
    O.Pend = Pend;
    Out.push_back(std::move(O));
  };
  for (auto &[Path, Pend] : Edited) {
    auto M = Ops.Moved.find(Path);
    if (M == Ops.Moved.end())
      Add(Path, Path, "", &Pend);
    else
      Add(Path, M->second.first, M->second.second, &Pend);
  }
  for (const auto &[From, To] : Ops.Moved)
    if (!Edited.count(From) && isSelected(From, Options.Paths))
      Add(From, To.first, To.second, nullptr);
  std::map<std::string, std::string> Deletions = Ops.Deleted;
  for (const auto &[Path, RuleId] : DeletedModules)
    Deletions[Path] = RuleId;
  for (const auto &[Path, Rule] : Deletions)
    if (isSelected(Path, Options.Paths))
      Add(Path, "", Rule, nullptr);
  for (const auto &[Path, Added] : Ops.Added)
    if (isSelected(Path, Options.Paths))
      Add("", Path, Added.second, nullptr);
  llvm::sort(Out, [](const Outgoing &A, const Outgoing &B) {
    return A.Change < B.Change;
  });

  // verify: the tree as the plan leaves it. A changed file is checked as it
  // is made; the others once all are made.
  bool Verifying = !P.Verify.Absent.empty();
  std::set<std::string> Gone;
  for (const Outgoing &O : Out)
    if (O.Change.isRenamed())
      Gone.insert(O.Change.OldPath);
  auto Verified = [&](const std::string &Path) {
    return Verifying && !Gone.count(Path) && !Ops.Deleted.count(Path) &&
           !DeletedModules.count(Path) && isVerified(P, Path);
  };
  std::set<std::string> VerifiedAlready;

  // The changes are made a batch at a time, each by a job of its own: an
  // edited file is read again (or its text taken from the rewrite or the
  // plan's file operations), its edits applied and the result checked.
  // Each batch goes to the sink in path order and is then freed.
  auto Read = [&](const std::string &Path, std::string &Text) -> llvm::Error {
    auto Buffer = FS.getBufferForFile(joinRoot(Options.Root, Path), -1, false);
    if (!Buffer)
      return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                     Path.c_str(),
                                     Buffer.getError().message().c_str());
    Text = (*Buffer)->getBuffer().str();
    return llvm::Error::success();
  };
  // Ops.Texts and Ops.Added are only looked up from the jobs.
  auto Make = [&](Outgoing &O, std::optional<Diagnostic> &Refused) -> llvm::Error {
    FileChange &C = O.Change;
    if (!O.Pend) {
      if (C.isCreated())
        C.NewText = Ops.Added.find(C.NewPath)->second.first;
      else if (C.isDeleted())
        return Read(C.OldPath, C.OldText);
      else
        C.OldText = C.NewText = textOf(Ops.Texts, C.OldPath);
      return llvm::Error::success();
    }
    PendingFile &Pend = *O.Pend;
    const std::string &Path = C.OldPath;
    if (Pend.ReadAgain)
      if (llvm::Error Err = Read(Path, Pend.Text))
        return Err;
    if (Pend.Analysed && llvm::xxHash64(Pend.Text) != Pend.Hash)
      return llvm::createStringError(
          std::make_error_code(std::errc::resource_unavailable_try_again),
          "%s: changed while excise read it; nothing was changed, run again",
          Path.c_str());
    FileEdits Set(Path);
    for (Edit &E : Pend.Edits.unpack(Path, Causes))
      if (llvm::Error Err = Set.add(std::move(E)))
        return Err; // cannot happen: they were combined once already
    Pend.Edits = {};
    auto NewText = Set.apply(Pend.Text);
    if (!NewText)
      return NewText.takeError();
    // The invariant: a file that parsed still parses. If the engine ever
    // broke it, refuse the edit rather than write a broken file.
    if (Pend.IsPython && !Pend.Checked) {
      // Files the cascade edited parsed before; others (replace-text on a
      // .py file) may not have.
      bool ParsedBefore = Pend.FromCascade;
      if (!ParsedBefore) {
        auto Before = SyntaxTree::parse(Pend.Text);
        ParsedBefore = Before && !Before->hasErrors();
        if (!Before)
          // Why dropped: a text the parser refuses (too deep) did not parse
          // before, so there is no invariant to keep.
          llvm::consumeError(Before.takeError());
      }
      auto After = SyntaxTree::parse(*NewText);
      bool Broke = ParsedBefore && (!After || After->hasErrors());
      if (!After)
        // Why dropped: a new text the parser refuses counts as one that does
        // not parse: the edits are refused below.
        llvm::consumeError(After.takeError());
      if (Broke) {
        Refused = Diagnostic::at(
            SourceFile(Path, Pend.Text), 0, Severity::Error,
            "internal error: the edits would leave this file unparsable; it is "
            "not edited",
            Set.edits().front().RuleId);
        Pend.Text = std::string();
        return llvm::Error::success();
      }
    }
    if (Pend.IsPython)
      In.Bindings.noteEdited(Path, Pend.Text, *NewText, Set.edits());
    C.OldText = std::move(Pend.Text);
    C.NewText = std::move(*NewText);
    C.Edits = Set.edits();
    return llvm::Error::success();
  };
  // The binding invariant, first on the files whose edits may take a
  // binding away: what their modules lose is known before any change is
  // made, so that each other edited file is checked against it as it is.
  StartPhase("bindings", "Checking that every name read is still bound");
  {
    std::vector<Outgoing *> Python;
    for (Outgoing &O : Out)
      if (O.Pend && O.Pend->IsPython)
        Python.push_back(&O);
    std::vector<std::optional<llvm::Error>> Failed(Python.size());
    forEachIndex(Jobs, Python.size(), [&](size_t K) {
      Outgoing &O = *Python[K];
      PendingFile &Pend = *O.Pend;
      const std::string &Path = O.Change.OldPath;
      bool Moved = O.Change.isRenamed();
      if (Pend.Impact && !Pend.Impact->NeedsCheck) {
        if (!Pend.Impact->Lost.empty() || !Pend.Impact->Unbound.empty() ||
            !Pend.Impact->OnlyNone.empty() || !Pend.Impact->LostMembers.empty() ||
            !Pend.Impact->LostStars.empty())
          In.Bindings.addImpact(Path, *Pend.Impact, Pend.Edits.unpack(Path, Causes), Moved);
        return;
      }
      // The text is read here, once: the change is made from it.
      if (Pend.ReadAgain) {
        if (llvm::Error Err = Read(Path, Pend.Text)) {
          Failed[K] = std::move(Err);
          return;
        }
        Pend.ReadAgain = false;
        if (Pend.Analysed && llvm::xxHash64(Pend.Text) != Pend.Hash) {
          Failed[K] = llvm::createStringError(
              std::make_error_code(std::errc::resource_unavailable_try_again),
              "%s: changed while excise read it; nothing was changed, run again",
              Path.c_str());
          return;
        }
      }
      std::vector<Edit> Edits = Pend.Edits.unpack(Path, Causes);
      if (!mayChangeBindings(Pend.Text, Edits))
        return;
      FileEdits Set(Path);
      for (Edit &E : Edits)
        if (llvm::Error Err = Set.add(std::move(E))) {
          Failed[K] = std::move(Err); // cannot happen: combined once already
          return;
        }
      auto NewText = Set.apply(Pend.Text);
      if (!NewText) {
        Failed[K] = NewText.takeError();
        return;
      }
      In.Bindings.checkEdited(Path, Pend.Text, *NewText, Set.edits(), Moved);
    });
    if (llvm::Error Err = firstError(Failed))
      return Err;
  }

  StartPhase("changes", "Making the changes and writing the output");
  constexpr size_t Batch = 512;
  std::vector<FileChange> Made;
  for (size_t From = 0; From < Out.size(); From += Batch) {
    size_t Count = std::min(Batch, Out.size() - From);
    std::vector<std::optional<Diagnostic>> Refused(Count);
    std::vector<std::optional<llvm::Error>> Failed(Count);
    std::vector<std::vector<Diagnostic>> Findings(Count);
    forEachIndex(Jobs, Count, [&](size_t K) {
      Outgoing &O = Out[From + K];
      if (llvm::Error Err = Make(O, Refused[K])) {
        Failed[K] = std::move(Err);
        return;
      }
      if (!Refused[K] && !O.Change.isDeleted() && Verified(O.Change.NewPath))
        Findings[K] = verifyFile(P, O.Change.NewPath, O.Change.NewText);
    });
    if (llvm::Error Err = firstError(Failed))
      return std::move(Err);
    Made.clear();
    for (size_t K = 0; K < Count; ++K) {
      if (Refused[K]) {
        Result.Diagnostics.push_back(std::move(*Refused[K]));
        continue;
      }
      FileChange &C = Out[From + K].Change;
      if (C.Edits.empty()) {
        ++Summary[C.RuleId].Files;
      } else {
        llvm::StringSet<> Rules;
        // An edit several rules made together counts once for each of them.
        for (const Edit &E : C.Edits)
          for (const std::string &Id : E.ruleIds()) {
            ++Summary[Id].Edits;
            if (Rules.insert(Id).second)
              ++Summary[Id].Files;
          }
      }
      if (!C.isDeleted())
        VerifiedAlready.insert(C.NewPath);
      for (Diagnostic &D : Findings[K])
        Result.Verification.push_back(std::move(D));
      ++Result.FilesChanged;
      Made.push_back(std::move(C));
    }
    if (llvm::Error Err = Sink(Made))
      return Err;
  }
  Out = {};
  llvm::sort(Result.Diagnostics);

  if (Verifying) {
    StartPhase("verify", "Verifying the files the plan does not change");
    std::set<std::string> After(Listed.begin(), Listed.end());
    for (const auto &[Path, Pend] : Ops.Added)
      After.insert(Path);
    for (const auto &[From, To] : Ops.Moved)
      After.insert(To.first);
    for (const std::string &Path : After) {
      if (VerifiedAlready.count(Path) || !Verified(Path))
        continue;
      std::string Text;
      if (auto A = Ops.Added.find(Path); A != Ops.Added.end()) {
        Text = A->second.first;
      } else if (llvm::Error Err = Read(Path, Text)) {
        // A file listed but unreadable is an I/O failure, as anywhere else:
        // verify never passes over what it could not read.
        return Err;
      }
      for (Diagnostic &D : verifyFile(P, Path, Text))
        Result.Verification.push_back(std::move(D));
    }
    llvm::sort(Result.Verification);
  }
  return llvm::Error::success();
}

} // namespace excise
