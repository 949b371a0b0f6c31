//===- Run.cpp - The pipeline over a whole tree ---------------------------===//
#include "driver/Run.h"

#include "driver/FileOperations.h"
#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "driver/CascadeRounds.h"
#include "driver/ChangeSet.h"
#include "driver/RewritePass.h"
#include "driver/Targets.h"
#include "driver/Verify.h"
#include "edit/Layers.h"
#include "edit/PackedEdits.h"
#include "python/SyntaxTree.h"
#include "rewrite/Rewrite.h"
#include "semantics/Cascade.h"
#include "semantics/Project.h"
#include "source/HugePages.h"
#include "source/Words.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

namespace excise {

bool operator<(const FileChange &A, const FileChange &B);

bool RunResult::hasFindings() const {
  return llvm::any_of(Diagnostics, [](const Diagnostic &D) {
    return D.Level != Severity::Note;
  });
}

namespace {

namespace path = llvm::sys::path;

std::string joinRoot(llvm::StringRef Root, llvm::StringRef Rel) {
  llvm::SmallString<256> P(Root);
  path::append(P, path::Style::posix, Rel);
  return std::string(P.str());
}

/// The phases of a run, each timed with an llvm::Timer of the group the
/// caller asked for (--time-report); nothing without one.
class PhaseClock {
public:
  explicit PhaseClock(llvm::TimerGroup *Group) : Group(Group) {}
  ~PhaseClock() { stop(); }

  /// Ends the phase under way, if any, and starts (or resumes) \p Name.
  void start(llvm::StringRef Name, llvm::StringRef Description) {
    if (!Group)
      return;
    stop();
    std::unique_ptr<llvm::Timer> &T = Timers[Name];
    if (!T)
      T = std::make_unique<llvm::Timer>(Name, Description, *Group);
    Running = T.get();
    Running->startTimer();
  }

  void stop() {
    if (Running)
      Running->stopTimer();
    Running = nullptr;
  }

private:
  llvm::TimerGroup *Group;
  llvm::StringMap<std::unique_ptr<llvm::Timer>> Timers;
  llvm::Timer *Running = nullptr;
};

/// What a rule that changed and found nothing says about itself.
std::string matchedNothing(const Rule &R) {
  std::string Message = "rule '" + R.Id + "' ";
  switch (R.Kind) {
  case OperationKind::RemoveCalls:
    return Message + "matches no call of '" +
           (R.Calls.Callee.Value.empty() ? R.Calls.Function.Value
                                         : R.Calls.Callee.Value) +
           "'";
  case OperationKind::AddFile:
    return Message + "has nothing to do: '" + R.Add.Path.Value +
           "' exists already with this content";
  case OperationKind::ReplaceText:
    return Message + "finds no '" + R.Replace.From.Value + "' to replace";
  case OperationKind::Rewrite:
    return Message + "matches nothing";
  default:
    return Message + "changed nothing and found no use of its targets";
  }
}

/// Adds the plan's notes to \p Result: \p Notes (targets found nowhere)
/// and, when the whole root was reported on, every other rule that made no
/// edit, touched no file and left no leftover, and is not one of the
/// \p MatchedRewrites. Notes go at their line of the plan, under
/// PlanNoteRule, in line order.
void addPlanNotes(const Plan &P, const RunOptions &Options,
                  std::vector<PlanNote> Notes, const llvm::StringSet<> &MatchedRewrites,
                  RunResult &Result) {
  llvm::StringSet<> Noted;
  for (const PlanNote &N : Notes)
    Noted.insert(N.RuleId);
  if (Options.Paths.empty())
    for (size_t I = 0; I < P.Rules.size(); ++I) {
      const Rule &R = P.Rules[I];
      const RuleSummary &S = Result.Summary[I];
      if (R.Optional || Noted.count(R.Id) || MatchedRewrites.count(R.Id) || S.Edits ||
          S.Files || S.Leftovers)
        continue;
      Notes.push_back({R.OperationLoc, matchedNothing(R), R.Id});
    }
  if (Notes.empty())
    return;
  SourceFile PlanFile(P.FilePath, P.Text);
  for (const PlanNote &N : Notes)
    Result.Diagnostics.push_back(Diagnostic::at(
        PlanFile, N.Loc.Line ? PlanFile.lineStart(N.Loc.Line) + N.Loc.Column - 1 : 0,
        Severity::Note, N.Message, PlanNoteRule.str()));
  llvm::sort(Result.Diagnostics);
}

} // namespace

llvm::Expected<RunResult> runPlan(const Plan &P, llvm::vfs::FileSystem &FS,
                                  const RunOptions &Options, ChangeSink Sink) {
  RunResult Result;
  PhaseClock Clock(Options.Timers);
  Clock.start("listing", "Listing the tree");
  unsigned Jobs = Options.Jobs ? Options.Jobs
                               : llvm::hardware_concurrency().compute_thread_count();
  ListingOptions Listing = Options.Listing;
  Listing.Jobs = Jobs;
  auto Listed = listTree(FS, Options.Root, Listing);
  if (!Listed)
    return Listed.takeError();
  std::vector<std::string> PythonFiles;
  for (const std::string &F : *Listed)
    if (llvm::StringRef(F).endswith(".py"))
      PythonFiles.push_back(F);

  Clock.start("targets", "Resolving the plan's targets and file operations");
  auto Ops = resolveFileOperations(P, FS, Options.Root, *Listed);
  if (!Ops)
    return Ops.takeError();

  ModuleIndex Modules(P.ImportRoot.Value, PythonFiles);
  Project Proj(Modules, FS, Options.Root);

  auto Resolved = resolveTargets(P, Modules, Proj, Ops->Notes);
  if (!Resolved)
    return Resolved.takeError();
  RemovalSet &Removed = Resolved->Removed;
  const std::vector<CallRule> &Calls = Resolved->Calls;
  const std::map<std::string, std::string> &DeletedModules = Resolved->DeletedModules;

  // Which files take part: never the deleted ones.
  std::vector<size_t> Candidates;
  for (size_t I = 0; I < PythonFiles.size(); ++I)
    if (!DeletedModules.count(PythonFiles[I]) && !Ops->Deleted.count(PythonFiles[I]))
      Candidates.push_back(I);

  Clock.start("rewrites", "Rewrites");
  auto Rewrites = runRewrites(P, FS, Options.Root, PythonFiles, Candidates, Jobs);
  if (!Rewrites)
    return Rewrites.takeError();
  std::vector<std::unique_ptr<EditLayers>> &RewriteOf = Rewrites->Rewritten;
  std::vector<llvm::StringMap<Cause>> &RewrittenAway = Rewrites->TakenAway;

  CauseTable Causes;
  CascadeInputs Inputs{FS, Options, Jobs, PythonFiles, Candidates, Modules, Proj,
                       Calls, *Rewrites};
  auto Cascade = runCascadeRounds(Inputs, Resolved->Anchors, Removed, Causes,
                                  [&](unsigned Round) {
                                    if (Round == 0)
                                      Clock.start("round-1", "Cascade, round 1: reading, "
                                                             "filtering, parsing, analysing");
                                    else
                                      Clock.start("later-rounds", "Cascade, later rounds");
                                  });
  if (!Cascade)
    return Cascade.takeError();
  std::vector<FileResult> &Results = Cascade->Results;
  Result.FilesRead = Cascade->FilesRead;
  Result.FilesParsed = Cascade->FilesParsed;

  Clock.start("combining", "Combining each file's edits");
  std::map<std::string, RuleSummary> Summary;
  for (const Rule &R : P.Rules)
    Summary[R.Id].RuleId = R.Id;
  auto Edited = collectEdits(P, Options, Jobs, PythonFiles, Candidates, Results,
                             RewriteOf, *Ops, Removed, Causes, Summary, Result);
  if (!Edited)
    return Edited.takeError();

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
  for (auto &[Path, Pend] : *Edited) {
    auto M = Ops->Moved.find(Path);
    if (M == Ops->Moved.end())
      Add(Path, Path, "", &Pend);
    else
      Add(Path, M->second.first, M->second.second, &Pend);
  }
  for (const auto &[From, To] : Ops->Moved)
    if (!Edited->count(From) && isSelected(From, Options.Paths))
      Add(From, To.first, To.second, nullptr);
  std::map<std::string, std::string> Deletions = Ops->Deleted;
  for (const auto &[Path, RuleId] : DeletedModules)
    Deletions[Path] = RuleId;
  for (const auto &[Path, Rule] : Deletions)
    if (isSelected(Path, Options.Paths))
      Add(Path, "", Rule, nullptr);
  for (const auto &[Path, Added] : Ops->Added)
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
    return Verifying && !Gone.count(Path) && !Ops->Deleted.count(Path) &&
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
  // Ops->Texts and Ops->Added are only looked up from the jobs.
  auto Make = [&](Outgoing &O, std::optional<Diagnostic> &Refused) -> llvm::Error {
    FileChange &C = O.Change;
    if (!O.Pend) {
      if (C.isCreated())
        C.NewText = Ops->Added.find(C.NewPath)->second.first;
      else if (C.isDeleted())
        return Read(C.OldPath, C.OldText);
      else
        C.OldText = C.NewText = textOf(Ops->Texts, C.OldPath);
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
          llvm::consumeError(Before.takeError());
      }
      auto After = SyntaxTree::parse(*NewText);
      bool Broke = ParsedBefore && After && After->hasErrors();
      if (!After)
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
    C.OldText = std::move(Pend.Text);
    C.NewText = std::move(*NewText);
    C.Edits = Set.edits();
    return llvm::Error::success();
  };
  Clock.start("changes", "Making the changes and writing the output");
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
        for (const Edit &E : C.Edits) {
          ++Summary[E.RuleId].Edits;
          if (Rules.insert(E.RuleId).second)
            ++Summary[E.RuleId].Files;
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
    Clock.start("verify", "Verifying the files the plan does not change");
    std::set<std::string> After(Listed->begin(), Listed->end());
    for (const auto &[Path, Pend] : Ops->Added)
      After.insert(Path);
    for (const auto &[From, To] : Ops->Moved)
      After.insert(To.first);
    for (const std::string &Path : After) {
      if (VerifiedAlready.count(Path) || !Verified(Path))
        continue;
      std::string Text;
      if (auto A = Ops->Added.find(Path); A != Ops->Added.end()) {
        Text = A->second.first;
      } else if (llvm::Error Err = Read(Path, Text)) {
        llvm::consumeError(std::move(Err));
        continue;
      }
      for (Diagnostic &D : verifyFile(P, Path, Text))
        Result.Verification.push_back(std::move(D));
    }
    llvm::sort(Result.Verification);
  }
  for (const Rule &R : P.Rules)
    Result.Summary.push_back(Summary[R.Id]);
  addPlanNotes(P, Options, Ops->Notes, Rewrites->Matched, Result);
  return Result;
}

llvm::Expected<RunResult> runPlan(const Plan &P, llvm::vfs::FileSystem &FS,
                                  const RunOptions &Options) {
  std::vector<FileChange> All;
  auto Result = runPlan(P, FS, Options, [&](std::vector<FileChange> &Batch) {
    std::move(Batch.begin(), Batch.end(), std::back_inserter(All));
    return llvm::Error::success();
  });
  if (Result)
    Result->Changes = std::move(All);
  return Result;
}

} // namespace excise
