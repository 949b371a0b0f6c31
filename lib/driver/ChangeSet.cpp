//===- ChangeSet.cpp - Every edited file's edits, combined ----------------===//
#include "driver/ChangeSet.h"

#include "driver/Parallel.h"
#include "driver/Targets.h"
#include "source/Words.h"

namespace excise {

namespace {

/// A file that does not parse is never edited: it is reported, and every
/// mention of a removed name in it is a possible leftover.
void reportUnparsable(const SourceFile &F, unsigned ErrorOffset, unsigned TooDeep,
                      const RemovalSet &Removed, RunResult &Result) {
  Result.Diagnostics.push_back(Diagnostic::at(
      F, ErrorOffset, Severity::Error,
      TooDeep ? "nested " + std::to_string(TooDeep) +
                    " levels deep, more than excise analyses: file not edited"
      : F.text().contains('\0')
          ? std::string("binary file (it holds NUL bytes), not Python: not edited")
          : std::string("syntax error: file not edited")));
  llvm::StringRef Text = F.text();
  for (const std::string &Name : Removed.names()) {
    llvm::StringRef Last = anchorOf(Name);
    forEachWord(Text, Last, [&](size_t Pos) {
      const Cause *Why = Removed.match(Name);
      Result.Diagnostics.push_back(Diagnostic::at(
          F, Pos, Severity::Warning,
          "possible leftover: '" + Last.str() + "' in a file that does not parse",
          Why ? Why->RuleId : ""));
      return true;
    });
  }
}

} // namespace

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

/// The text \p Path has in \p Texts, or none.
const std::string &textOf(const std::map<std::string, std::string> &Texts,
                          const std::string &Path) {
  static const std::string None;
  auto It = Texts.find(Path);
  return It == Texts.end() ? None : It->second;
}

/// The first error of \p Failed, in order: the one reported on every run
/// whatever the thread timing; the others are dropped.
llvm::Error firstError(std::vector<std::optional<llvm::Error>> &Failed) {
  llvm::Error First = llvm::Error::success();
  for (std::optional<llvm::Error> &F : Failed) {
    if (!F)
      continue;
    if (First)
      // Why dropped: one error is reported, the first in path order, so
      // that every run reports the same one.
      llvm::consumeError(std::move(*F));
    else
      First = std::move(*F);
  }
  return First;
}

llvm::Expected<ChangedFiles>
collectEdits(const Plan &P, const RunOptions &Options, unsigned Jobs,
             const std::vector<std::string> &PythonFiles,
             const std::vector<size_t> &Candidates, std::vector<FileResult> &Results,
             std::vector<std::unique_ptr<EditLayers>> &RewriteOf,
             const FileOperations &Ops, const RemovalSet &Removed, CauseTable &Causes,
             std::map<std::string, RuleSummary> &Summary, RunResult &Result) {
  ChangedFiles Edited;
  for (size_t I : Candidates) {
    FileResult &R = Results[I];
    const std::string &Path = PythonFiles[I];
    bool Selected = isSelected(Path, Options.Paths);
    if (!R.Analysed || !Selected)
      continue;
    for (Diagnostic &D : R.Outcome.Diagnostics) {
      // A note (a local kept for its value's effect) is no leftover.
      if (D.Level != Severity::Note)
        ++Summary[D.RuleId].Leftovers;
      Result.Diagnostics.push_back(std::move(D));
    }
    if (R.Unparsable) {
      reportUnparsable(SourceFile(Path, R.Text), R.ErrorOffset, R.TooDeep, Removed,
                       Result);
      continue;
    }
    if (R.Edits.empty())
      continue;
    PendingFile &E = Edited[Path];
    E.IsPython = true;
    E.FromCascade = true;
    E.Checked = R.Checked;
    if (RewriteOf[I]) {
      // The cascade edited the rewritten text: report both against the
      // original, and refuse a removal of what a rewrite wrote.
      if (llvm::Error Err =
              RewriteOf[I]->add(R.Edits.unpack(Path, Causes), /*Guarded=*/true))
        return std::move(Err);
      E.Text = RewriteOf[I]->original();
      E.Edits = PackedEdits(RewriteOf[I]->composed(), Causes);
      RewriteOf[I].reset();
      continue;
    }
    E.ReadAgain = E.Analysed = true;
    E.Hash = R.Hash;
    E.Edits = std::move(R.Edits);
    E.Impact = std::move(R.Impact);
  }
  for (size_t I : Candidates) {
    // Files only a rewrite changed.
    if (!RewriteOf[I] || !isSelected(PythonFiles[I], Options.Paths))
      continue;
    PendingFile &E = Edited[PythonFiles[I]];
    E.IsPython = true;
    E.FromCascade = true;
    E.Checked = true; // applyRewrite refuses a result that does not parse.
    E.Text = RewriteOf[I]->original();
    E.Edits = PackedEdits(RewriteOf[I]->composed(), Causes);
  }
  for (auto &[Path, Edits] : Ops.TextEdits) {
    if (Edits.empty() || Ops.Deleted.count(Path) || !isSelected(Path, Options.Paths))
      continue;
    PendingFile &E = Edited[Path];
    if (E.Text.empty()) {
      // Read with the plan's file operations; still checked against what
      // the cascade analysed, if it did.
      E.Text = textOf(Ops.Texts, Path);
      E.ReadAgain = false;
    }
    E.IsPython |= llvm::StringRef(Path).endswith(".py");
    E.Checked = false;
    E.Impact.reset();
    E.Edits.append(Edits, Causes);
  }

  // Each edited file's edits are combined on their own, in parallel, before
  // any change is made: a conflict stops the run before anything is output.
  // The first error in path order is the one reported on every run.
  std::vector<std::pair<const std::string *, PendingFile *>> Entries;
  for (auto &[Path, Pend] : Edited)
    Entries.emplace_back(&Path, &Pend);
  {
    std::vector<std::optional<llvm::Error>> Failed(Entries.size());
    forEachIndex(Jobs, Entries.size(), [&](size_t K) {
      PendingFile &Pend = *Entries[K].second;
      FileEdits Set(*Entries[K].first);
      for (Edit &E : Pend.Edits.unpack(*Entries[K].first, Causes))
        if (llvm::Error Err = Set.add(std::move(E))) {
          Failed[K] = std::move(Err);
          return;
        }
      Pend.Edits = PackedEdits(Set.edits(), Causes); // sorted, each once
    });
    if (llvm::Error Err = firstError(Failed))
      return std::move(Err);
  }
  return std::move(Edited);
}

} // namespace excise
