//===- CascadeRounds.cpp - The removal cascade over the tree --------------===//
#include "driver/CascadeRounds.h"

#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "driver/Targets.h"
#include "invariant/BindingCheck.h"
#include "source/HugePages.h"
#include "source/Words.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

namespace excise {

namespace {

/// True when \p Text contains one of \p Anchors as a whole word (an empty
/// anchor is in every text).
bool mentionsAny(llvm::StringRef Text, llvm::ArrayRef<std::string> Anchors) {
  bool Found = false;
  for (const std::string &A : Anchors) {
    if (A.empty())
      return true;
    forEachWord(Text, A, [&](size_t) { return !(Found = true); });
    if (Found)
      return true;
  }
  return false;
}

/// The anchors of the names that files analysed in this round discovered,
/// published while the round goes on: a file that mentions none of the
/// round's anchors is also checked against those published so far, so that
/// the next round, whose anchors come from these names, need not read it
/// again when they were all published before it was read. Appends are
/// serialised; readers take a prefix without a lock (published slots never
/// change). Past its capacity it takes no more, and a later round reads the
/// files it cannot vouch for as before.
class EarlyAnchors {
public:
  EarlyAnchors() : Slots(new std::string[Capacity]) {}

  /// Publishes the anchor of \p Name unless it is there already.
  void publish(llvm::StringRef Name) {
    std::lock_guard<std::mutex> Guard(Lock);
    size_t N = Count.load(std::memory_order_relaxed);
    llvm::StringRef Anchor = anchorOf(Name);
    if (N == Capacity || !Known.insert(Anchor).second)
      return;
    Slots[N] = Anchor.str();
    Count.store(N + 1, std::memory_order_release);
  }

  /// The anchors published so far.
  llvm::ArrayRef<std::string> published() const {
    return llvm::makeArrayRef(Slots.get(), Count.load(std::memory_order_acquire));
  }

  /// How many of the first published anchors a file must have been checked
  /// against to be known to mention none of \p Anchors; none when one of
  /// them was never published.
  std::optional<size_t> prefixCovering(llvm::ArrayRef<std::string> Anchors) const {
    llvm::ArrayRef<std::string> All = published();
    size_t Needed = 0;
    for (const std::string &A : Anchors) {
      const std::string *It = llvm::find(All, A);
      if (It == All.end())
        return std::nullopt;
      Needed = std::max(Needed, size_t(It - All.begin()) + 1);
    }
    return Needed;
  }

  void clear() {
    Count.store(0, std::memory_order_relaxed);
    Known.clear();
  }

private:
  static constexpr size_t Capacity = 1024;
  std::unique_ptr<std::string[]> Slots;
  std::atomic<size_t> Count{0};
  std::mutex Lock;
  llvm::StringSet<> Known;
};

} // namespace

llvm::Expected<CascadeOutcome> runCascadeRounds(const CascadeInputs &In,
                                                const std::vector<std::string> &Anchors,
                                                RemovalSet &Removed, CauseTable &Causes,
                                                llvm::function_ref<void(unsigned Round)> StartRound) {
  const std::vector<std::string> &PythonFiles = In.Files;
  const std::vector<size_t> &Candidates = In.Candidates;
  const RunOptions &Options = In.Options;
  const std::vector<std::unique_ptr<EditLayers>> &RewriteOf = In.Rewrites.Rewritten;
  const std::vector<llvm::StringMap<Cause>> &RewrittenAway = In.Rewrites.TakenAway;
  CascadeOutcome Out;
  std::vector<FileResult> &Results = Out.Results;
  Results.resize(PythonFiles.size());
  std::vector<std::string> ReadErrors(PythonFiles.size());
  std::vector<char> Parsed(PythonFiles.size(), 0);
  std::vector<char> Scanned(PythonFiles.size(), 0);
  std::vector<std::string> RoundAnchors = Anchors;
  // The names the previous round added, and which files discovered each: a
  // file analysed before is analysed again only when one of them, found by
  // another file, changes an answer its analysis got from the removed set.
  RoundNames NewNames;
  llvm::StringMap<std::set<size_t>> NameSources;
  std::atomic<unsigned> Done{0};
  // The bytes of files that mentioned no name, up to a budget: a later round
  // that looks for new names scans them again without reading the tree again.
  Out.KeptBytes = std::make_unique<HugePageArena>();
  HugePageArena &KeptBytes = *Out.KeptBytes;
  std::vector<std::optional<llvm::StringRef>> &Unmentioned = Out.Kept;
  Unmentioned.resize(PythonFiles.size());
  std::atomic<size_t> UnmentionedBytes{0};
  const size_t UnmentionedBudget = size_t(64) << 20;
  // For each file that mentioned none of a round's anchors: how many of the
  // anchors published during that round it was also found not to mention
  // (see EarlyAnchors), and whether it mentioned one of them.
  EarlyAnchors Early;
  std::vector<unsigned> EarlyChecked(PythonFiles.size(), 0);
  std::vector<char> EarlyMentioned(PythonFiles.size(), 0);
  std::optional<size_t> Covering;
  Purity Pure(In.Proj);
  for (unsigned Round = 0; Round < 64 && !RoundAnchors.empty(); ++Round) {
    StartRound(Round);
    CascadeContext Ctx{In.Proj, Removed, In.Calls, Pure};
    {
      forEachIndex(In.Jobs, Candidates.size(), [&](size_t K) {
          size_t I = Candidates[K];
          // Known, from the previous round, to mention none of this
          // round's anchors: nothing to read. It is not checked against
          // this round's publications, so the next round reads it.
          if (Round > 0 && Options.Prefilter && !Results[I].Analysed &&
              !EarlyMentioned[I] && Covering && EarlyChecked[I] >= *Covering) {
            EarlyChecked[I] = 0;
            return;
          }
          if (Round > 0 && Options.Prefilter && Results[I].Analysed) {
            // What it already found stands unless a new name changes it; a
            // file that does not parse is reported with the final set anyway.
            if (Results[I].Unparsable)
              return;
            // A name this file alone discovered, it has seen already.
            auto OwnDiscovery = [&](llvm::StringRef N) {
              const std::set<size_t> &From = NameSources.find(N)->second;
              return From.size() == 1 && From.count(I);
            };
            if (!queriesAffectedBy(Results[I].Outcome.Queries,
                                   In.Modules.moduleOf(PythonFiles[I]), NewNames,
                                   OwnDiscovery, In.Proj))
              return;
          }
          // Only the bytes for the prefilter; a SourceFile (with its line
          // table) is made for the files that mention a name.
          llvm::StringRef Bytes;
          llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer(nullptr);
          if (RewriteOf[I]) {
            Bytes = RewriteOf[I]->current();
          } else if (Unmentioned[I]) {
            Bytes = *Unmentioned[I];
          } else {
            Buffer = In.FS.getBufferForFile(joinRoot(Options.Root, PythonFiles[I]),
                                         /*FileSize=*/-1,
                                         /*RequiresNullTerminator=*/false);
            if (!Buffer) {
              ReadErrors[I] = PythonFiles[I] + ": cannot read: " +
                              Buffer.getError().message();
              return;
            }
            Bytes = (*Buffer)->getBuffer();
          }
          Scanned[I] = 1;
          if (Options.Progress)
            Options.Progress(++Done, Candidates.size());
          // A rewritten file is analysed at least once: what the rewrite took
          // may have orphaned an import even where no removed name is left.
          bool Rewritten = Round == 0 && RewriteOf[I];
          if (Options.Prefilter && !Rewritten && !Results[I].Analysed) {
            // Not analysed yet, so it discovered none of these names.
            if (!mentionsAny(Bytes, RoundAnchors)) {
              llvm::ArrayRef<std::string> Published = Early.published();
              EarlyMentioned[I] = mentionsAny(Bytes, Published);
              EarlyChecked[I] = unsigned(Published.size());
              // Kept for the next round's names while the budget lasts.
              if (Buffer && *Buffer &&
                  (UnmentionedBytes += Bytes.size()) <= UnmentionedBudget)
                Unmentioned[I] = KeptBytes.save(Bytes);
              return;
            }
          }
          // The file's tree and everything tree-sitter makes for it are
          // given back at once when the file is done (F goes first).
          TreeMemoryScope TreeMemory;
          auto F = Project::parse(SourceFile(PythonFiles[I], Bytes.str()), In.Modules);
          Parsed[I] = 1;
          FileResult &R = Results[I];
          R.Analysed = true;
          if (!F->parsed()) {
            R.Unparsable = true;
            R.TooDeep = F->TooDeep;
            R.ErrorOffset = F->FirstError ? F->FirstError.start() : 0;
            R.Text = F->Source.text().str();
            return;
          }
          In.Proj.offer(*F);
          R.Outcome = analyzeFile(*F, Ctx, RewrittenAway[I].empty() ? nullptr
                                                                 : &RewrittenAway[I]);
          for (const auto &Found : R.Outcome.Discovered)
            Early.publish(Found.first);
          R.Checked = false;
          R.Impact.reset();
          R.Edits = PackedEdits(R.Outcome.Edits, Causes);
          if (R.Edits.empty())
            return;
          llvm::StringRef Text = F->Source.text();
          R.Hash = llvm::xxHash64(Text);
          std::vector<TextEdit> Edits = R.Edits.textEdits();
          // What the edits do to the bindings, while the tree is at hand (of
          // the text on disk; a rewritten text's is worked out later).
          if (!RewriteOf[I]) {
            R.Impact = bindingImpact(*F, Edits, In.Modules);
            if (R.Impact->NeedsCheck)
              settleImpact(*R.Impact, *F, R.Outcome.Edits, In.Modules);
          }
          R.Outcome.Edits = {};
          // The invariant that an edited file still parses, checked while the
          // tree is at hand: edits that only delete whole statements cannot
          // break it; others are checked with an incremental reparse.
          if (F->Tree->onlyDeletesStatements(Text, Edits)) {
            R.Checked = true;
            return;
          }
          std::string NewText;
          unsigned Pos = 0;
          for (const TextEdit &E : Edits) {
            NewText += Text.slice(Pos, E.Offset);
            NewText += E.Text;
            Pos = E.Offset + E.Length;
          }
          NewText += Text.drop_front(Pos);
          auto After = F->Tree->reparse(Text, Edits, NewText);
          if (After && !After->hasErrors())
            R.Checked = true;
          else if (!After)
            // Why dropped: a text the incremental reparse refuses stays
            // unChecked, and is parsed whole when its change is made.
            llvm::consumeError(After.takeError());
        });
    }
    for (size_t I = 0; I < ReadErrors.size(); ++I)
      if (!ReadErrors[I].empty())
        return llvm::createStringError(std::make_error_code(std::errc::io_error),
                                       ReadErrors[I]);
    std::vector<std::tuple<std::string, Cause, size_t>> Found;
    for (size_t I : Candidates)
      for (const auto &[Name, Why] : Results[I].Outcome.Discovered)
        Found.emplace_back(Name, Why, I);
    // Stable, so that a name two files discover keeps the same cause on
    // every run.
    std::stable_sort(Found.begin(), Found.end(), [](const auto &A, const auto &B) {
      return std::get<0>(A) < std::get<0>(B);
    });
    RoundAnchors.clear();
    NameSources.clear();
    for (auto &[Name, Why, From] : Found)
      NameSources[Name].insert(From);
    std::vector<std::string> Added;
    for (auto &[Name, Why, From] : Found)
      if (Removed.add(Name, Why)) {
        Added.push_back(Name);
        RoundAnchors.push_back(anchorOf(Name).str());
      }
    NewNames = RoundNames(std::move(Added), In.Proj);
    llvm::sort(RoundAnchors);
    RoundAnchors.erase(std::unique(RoundAnchors.begin(), RoundAnchors.end()),
                       RoundAnchors.end());
    if (!Options.Prefilter && !RoundAnchors.empty())
      RoundAnchors = {""};
    Covering = Early.prefixCovering(RoundAnchors);
    Early.clear();
  }
  for (size_t I = 0; I < PythonFiles.size(); ++I) {
    Out.FilesRead += Scanned[I];
    Out.FilesParsed += Parsed[I];
    // Only the rounds need them, and they take megabytes on a large tree
    // (plan 2 of the benchmark).
    Results[I].Outcome.Queries.release();
  }
  return std::move(Out);
}

} // namespace excise
