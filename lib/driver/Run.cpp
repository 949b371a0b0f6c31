//===- Run.cpp - The pipeline over a whole tree ---------------------------===//
#include "driver/Run.h"

#include "driver/BindingPass.h"
#include "driver/FileOperations.h"
#include "driver/Listing.h"
#include "driver/MakeChanges.h"
#include "driver/CascadeRounds.h"
#include "driver/ChangeSet.h"
#include "driver/RewritePass.h"
#include "driver/Targets.h"
#include "edit/Layers.h"
#include "semantics/Cascade.h"
#include "semantics/Project.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/Timer.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>

namespace excise {

bool operator<(const FileChange &A, const FileChange &B);

namespace {

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

  BindingPass Bindings(Modules, FS, Options.Root);
  ChangeInputs In{P, Options, Jobs, FS, *Listed, *Ops, DeletedModules, Causes, Bindings};
  if (llvm::Error Err = makeChanges(In, *Edited, Summary, Result, Sink,
                                    [&](llvm::StringRef Name, llvm::StringRef What) {
                                      Clock.start(Name, What);
                                    }))
    return std::move(Err);
  Clock.start("importers", "Following the names the plan unbinds into their importers");
  std::set<std::string> Skipped;
  for (const auto &Entry : Ops->Deleted)
    Skipped.insert(Entry.first);
  for (const auto &Entry : DeletedModules)
    Skipped.insert(Entry.first);
  for (const auto &Entry : *Edited)
    Skipped.insert(Entry.first);
  if (llvm::Error Err =
          Bindings.finish({FS, Options, Jobs, PythonFiles, Cascade->Kept, Skipped}, Result,
                          Summary))
    return std::move(Err);
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
