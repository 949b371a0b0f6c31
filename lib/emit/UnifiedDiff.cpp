//===- UnifiedDiff.cpp - git-style patches --------------------------------===//
//
// The line diff is Myers' O(ND) algorithm in its linear-space form (the
// "middle snake" bisection), run on interned lines after the common prefix
// and suffix are trimmed. Past a cost limit the bisection takes the furthest
// point reached instead of the middle snake, as git's xdiff does, so that time
// stays bounded on huge, unrelated texts; memory is linear in any case.
//
// The output follows `git diff` byte for byte except that it leaves out the
// function-name heading after `@@` and the `index` lines, which need blob
// hashes and which neither `git apply` nor `patch` requires (but for empty
// files, whose blob name is fixed). Where several minimal diffs exist, the
// one chosen may differ from git's.
//
//===----------------------------------------------------------------------===//
#include "emit/UnifiedDiff.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <vector>

namespace excise {

namespace {

/// Marks, for two sequences of interned lines, which lines are not part of a
/// longest common subsequence (up to the cost limit).
class LineDiff {
public:
  LineDiff(llvm::ArrayRef<unsigned> A, llvm::ArrayRef<unsigned> B)
      : A(A), B(B), ChangedA(A.size()), ChangedB(B.size()) {}

  /// Runs the diff; afterwards changedA()/changedB() hold the result.
  void run();

  const std::vector<char> &changedA() const { return ChangedA; }
  const std::vector<char> &changedB() const { return ChangedB; }

private:
  /// Where a range is cut in two, and whether each half must be solved
  /// exactly (no cost limit).
  struct Split {
    long X, Y;
    bool MinLo, MinHi;
  };

  Split split(long XOff, long XLim, long YOff, long YLim, bool NeedMin);
  long &forward(long K) { return Forward[K + Offset]; }
  long &backward(long K) { return Backward[K + Offset]; }
  void slideDown();

  llvm::ArrayRef<unsigned> A, B;
  std::vector<char> ChangedA, ChangedB;
  /// Furthest-reaching x per diagonal k = x - y, for both search directions.
  std::vector<long> Forward, Backward;
  long Offset = 0;
  long MaxCost = 0;
};

} // namespace

/// Cost (half the edit distance) at which the bisection stops looking for the
/// middle snake. Diffs with up to about twice this many changed lines are
/// minimal; larger ones are still correct, only possibly longer.
static constexpr long MinMaxCost = 1024;

void LineDiff::run() {
  long N = A.size(), M = B.size();
  Forward.assign(N + M + 3, 0);
  Backward.assign(N + M + 3, 0);
  Offset = M + 1;
  MaxCost = MinMaxCost;
  for (long Root = 1; Root * Root < N + M; Root *= 2)
    MaxCost = std::max(MaxCost, Root);

  struct Range {
    long XOff, XLim, YOff, YLim;
    bool NeedMin;
  };
  // An explicit stack: heuristic splits can make the recursion deep.
  std::vector<Range> Work = {{0, N, 0, M, false}};
  while (!Work.empty()) {
    Range R = Work.back();
    Work.pop_back();
    while (R.XOff < R.XLim && R.YOff < R.YLim && A[R.XOff] == B[R.YOff])
      ++R.XOff, ++R.YOff;
    while (R.XOff < R.XLim && R.YOff < R.YLim && A[R.XLim - 1] == B[R.YLim - 1])
      --R.XLim, --R.YLim;
    if (R.XOff == R.XLim || R.YOff == R.YLim) {
      std::fill(ChangedA.begin() + R.XOff, ChangedA.begin() + R.XLim, 1);
      std::fill(ChangedB.begin() + R.YOff, ChangedB.begin() + R.YLim, 1);
      continue;
    }
    Split S = split(R.XOff, R.XLim, R.YOff, R.YLim, R.NeedMin);
    bool Degenerate = (S.X == R.XOff && S.Y == R.YOff) ||
                      (S.X == R.XLim && S.Y == R.YLim) || S.X < R.XOff ||
                      S.X > R.XLim || S.Y < R.YOff || S.Y > R.YLim;
    if (Degenerate) {
      // Cannot happen with a correct split; stay safe and replace the range.
      assert(false && "degenerate split");
      std::fill(ChangedA.begin() + R.XOff, ChangedA.begin() + R.XLim, 1);
      std::fill(ChangedB.begin() + R.YOff, ChangedB.begin() + R.YLim, 1);
      continue;
    }
    Work.push_back({S.X, R.XLim, S.Y, R.YLim, S.MinHi});
    Work.push_back({R.XOff, S.X, R.YOff, S.Y, S.MinLo});
  }
  slideDown();
}

LineDiff::Split LineDiff::split(long XOff, long XLim, long YOff, long YLim,
                                bool NeedMin) {
  const long DMin = XOff - YLim, DMax = XLim - YOff;
  const long FMid = XOff - YOff, BMid = XLim - YLim;
  const bool Odd = (FMid - BMid) & 1;
  long FMin = FMid, FMax = FMid, BMin = BMid, BMax = BMid;
  forward(FMid) = XOff;
  backward(BMid) = XLim;

  for (long Cost = 1;; ++Cost) {
    // One more step forward. Diagonals just outside the reachable band get a
    // sentinel so that they are never chosen.
    if (FMin > DMin)
      forward(--FMin - 1) = -1;
    else
      ++FMin;
    if (FMax < DMax)
      forward(++FMax + 1) = -1;
    else
      --FMax;
    for (long K = FMax; K >= FMin; K -= 2) {
      long X = forward(K - 1) >= forward(K + 1) ? forward(K - 1) + 1
                                                : forward(K + 1);
      long Y = X - K;
      while (X < XLim && Y < YLim && A[X] == B[Y])
        ++X, ++Y;
      forward(K) = X;
      if (Odd && BMin <= K && K <= BMax && backward(K) <= X)
        return {X, Y, true, true};
    }

    // One more step backward.
    if (BMin > DMin)
      backward(--BMin - 1) = LONG_MAX;
    else
      ++BMin;
    if (BMax < DMax)
      backward(++BMax + 1) = LONG_MAX;
    else
      --BMax;
    for (long K = BMax; K >= BMin; K -= 2) {
      long X = backward(K - 1) < backward(K + 1) ? backward(K - 1)
                                                 : backward(K + 1) - 1;
      long Y = X - K;
      while (X > XOff && Y > YOff && A[X - 1] == B[Y - 1])
        --X, --Y;
      backward(K) = X;
      if (!Odd && FMin <= K && K <= FMax && X <= forward(K))
        return {X, Y, true, true};
    }

    if (NeedMin || Cost < MaxCost)
      continue;

    // Too expensive: cut at whichever frontier point got furthest. The part
    // it was reached from has a known small cost and is solved exactly.
    long FBest = -1, FBestX = XOff;
    for (long K = FMax; K >= FMin; K -= 2) {
      long X = std::min(forward(K), XLim);
      long Y = X - K;
      if (Y > YLim)
        X = YLim + K, Y = YLim;
      if (X + Y > FBest)
        FBest = X + Y, FBestX = X;
    }
    long BBest = LONG_MAX, BBestX = XLim;
    for (long K = BMax; K >= BMin; K -= 2) {
      long X = std::max(XOff, backward(K));
      long Y = X - K;
      if (Y < YOff)
        X = YOff + K, Y = YOff;
      if (X + Y < BBest)
        BBest = X + Y, BBestX = X;
    }
    if ((XLim + YLim) - BBest < FBest - (XOff + YOff))
      return {FBestX, FBest - FBestX, true, false};
    return {BBestX, BBest - BBestX, false, true};
  }
}

/// Moves each pure deletion or insertion block as far down as it can go
/// without changing the diff's size, as git does, so that removing a
/// function and the blank lines after it reads as such rather than as
/// removing the blank lines before it and the function.
void LineDiff::slideDown() {
  size_t NA = A.size(), NB = B.size();
  size_t I = 0, J = 0;
  // Slides the changed block that starts at Start in (Seq, Changed), whose
  // lines are matched pairwise with the other side from Other on.
  auto Slide = [](llvm::ArrayRef<unsigned> Seq, std::vector<char> &Changed,
                  size_t &Start, size_t &End, size_t &Other,
                  const std::vector<char> &OtherChanged) {
    while (End < Seq.size() && Other < OtherChanged.size() &&
           Seq[Start] == Seq[End]) {
      Changed[Start] = 0;
      Changed[End] = 1;
      ++Start, ++End, ++Other;
      while (End < Seq.size() && Changed[End])
        ++End;
      if (Other < OtherChanged.size() && OtherChanged[Other])
        break;
    }
  };
  while (I < NA || J < NB) {
    if (I < NA && J < NB && !ChangedA[I] && !ChangedB[J]) {
      ++I, ++J;
      continue;
    }
    size_t EndA = I, EndB = J;
    while (EndA < NA && ChangedA[EndA])
      ++EndA;
    while (EndB < NB && ChangedB[EndB])
      ++EndB;
    if (EndA == I && EndB == J) {
      // Unequal numbers of unchanged lines: cannot happen.
      assert(false && "inconsistent line diff");
      return;
    }
    if (EndB == J)
      Slide(A, ChangedA, I, EndA, J, ChangedB);
    else if (EndA == I)
      Slide(B, ChangedB, J, EndB, I, ChangedA);
    EndA = I, EndB = J;
    while (EndA < NA && ChangedA[EndA])
      ++EndA;
    while (EndB < NB && ChangedB[EndB])
      ++EndB;
    I = EndA, J = EndB;
  }
}

//===----------------------------------------------------------------------===//
// Patch text
//===----------------------------------------------------------------------===//

static const char *const Bold = "\x1b[1m";
static const char *const Cyan = "\x1b[36m";
static const char *const Red = "\x1b[31m";
static const char *const Green = "\x1b[32m";
static const char *const Reset = "\x1b[m";

/// Splits \p Text into lines that keep their terminators; a last line
/// without one is kept too.
static std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

/// Whether git would write \p Name in C-style quotes (with core.quotePath,
/// its default: control characters, `"`, `\` and non-ASCII bytes).
static bool needsQuoting(llvm::StringRef Name) {
  return llvm::any_of(Name, [](char C) {
    unsigned char U = C;
    return U < 0x20 || U == '"' || U == '\\' || U >= 0x7f;
  });
}

/// Writes \p Prefix + \p Name as git does, quoting the whole when needed.
static std::string quotePath(llvm::StringRef Prefix, llvm::StringRef Name) {
  std::string Plain = (Prefix + Name).str();
  if (!needsQuoting(Plain))
    return Plain;
  std::string Out = "\"";
  for (char C : Plain) {
    unsigned char U = C;
    switch (C) {
    case '\a':
      Out += "\\a";
      continue;
    case '\b':
      Out += "\\b";
      continue;
    case '\t':
      Out += "\\t";
      continue;
    case '\n':
      Out += "\\n";
      continue;
    case '\v':
      Out += "\\v";
      continue;
    case '\f':
      Out += "\\f";
      continue;
    case '\r':
      Out += "\\r";
      continue;
    case '"':
      Out += "\\\"";
      continue;
    case '\\':
      Out += "\\\\";
      continue;
    default:
      break;
    }
    if (U < 0x20 || U >= 0x7f) {
      Out += '\\';
      Out += char('0' + (U >> 6));
      Out += char('0' + ((U >> 3) & 7));
      Out += char('0' + (U & 7));
    } else {
      Out += C;
    }
  }
  Out += '"';
  return Out;
}

static std::string octal(unsigned Value) {
  std::string Digits;
  do {
    Digits.insert(Digits.begin(), char('0' + (Value & 7)));
    Value >>= 3;
  } while (Value);
  return Digits;
}

namespace {

/// Writes one file's patch, with or without colors.
class PatchWriter {
public:
  PatchWriter(llvm::raw_ostream &OS, const DiffOptions &Options)
      : OS(OS), Options(Options) {}

  void write(const FileChange &Change);

private:
  void header(llvm::StringRef Line, bool TabAfter = false);
  void hunkHeader(size_t AStart, size_t ACount, size_t BStart, size_t BCount);
  void line(char Sign, llvm::StringRef Text);
  void hunks(llvm::ArrayRef<llvm::StringRef> A,
             llvm::ArrayRef<llvm::StringRef> B, const std::vector<char> &CA,
             const std::vector<char> &CB);

  llvm::raw_ostream &OS;
  const DiffOptions &Options;
};

/// One run of changed lines: ALen lines of A from AStart replaced by BLen
/// lines of B from BStart.
struct Change {
  size_t AStart, ALen, BStart, BLen;
};

} // namespace

void PatchWriter::header(llvm::StringRef Line, bool TabAfter) {
  if (Options.Color)
    OS << Bold << Line << Reset;
  else
    OS << Line;
  // git ends `---`/`+++` names that contain a space with a tab so that the
  // name's end is unambiguous to `patch`.
  if (TabAfter)
    OS << '\t';
  OS << '\n';
}

static void writeRange(llvm::raw_ostream &OS, size_t Start, size_t Count) {
  // git's conventions: an empty range names the line before it; a count of
  // one is left out.
  OS << (Count ? Start + 1 : Start);
  if (Count != 1)
    OS << ',' << Count;
}

void PatchWriter::hunkHeader(size_t AStart, size_t ACount, size_t BStart,
                             size_t BCount) {
  if (Options.Color)
    OS << Cyan;
  OS << "@@ -";
  writeRange(OS, AStart, ACount);
  OS << " +";
  writeRange(OS, BStart, BCount);
  OS << " @@";
  if (Options.Color)
    OS << Reset;
  OS << '\n';
}

void PatchWriter::line(char Sign, llvm::StringRef Text) {
  bool HasNewline = Text.endswith("\n");
  llvm::StringRef Body = HasNewline ? Text.drop_back() : Text;
  if (!Options.Color) {
    OS << Sign << Body;
  } else if (Sign == '+') {
    OS << Green << '+' << Reset;
    if (!Body.empty())
      OS << Green << Body << Reset;
  } else if (Sign == '-') {
    OS << Red << '-' << Body << Reset;
  } else {
    OS << ' ' << Body << Reset;
  }
  OS << '\n';
  if (!HasNewline) {
    OS << "\\ No newline at end of file";
    if (Options.Color)
      OS << Reset;
    OS << '\n';
  }
}

void PatchWriter::hunks(llvm::ArrayRef<llvm::StringRef> A,
                        llvm::ArrayRef<llvm::StringRef> B,
                        const std::vector<char> &CA,
                        const std::vector<char> &CB) {
  std::vector<Change> Script;
  size_t I = 0, J = 0;
  while (I < A.size() || J < B.size()) {
    if (I < A.size() && J < B.size() && !CA[I] && !CB[J]) {
      ++I, ++J;
      continue;
    }
    Change C{I, 0, J, 0};
    while (I < A.size() && CA[I])
      ++I, ++C.ALen;
    while (J < B.size() && CB[J])
      ++J, ++C.BLen;
    if (!C.ALen && !C.BLen) {
      assert(false && "inconsistent line diff");
      C.ALen = A.size() - I, C.BLen = B.size() - J;
      I = A.size(), J = B.size();
    }
    Script.push_back(C);
  }

  const size_t Context = Options.Context;
  for (size_t First = 0; First < Script.size();) {
    // Changes whose contexts touch or overlap share a hunk.
    size_t Last = First;
    while (Last + 1 < Script.size() &&
           Script[Last + 1].AStart -
                   (Script[Last].AStart + Script[Last].ALen) <=
               2 * Context)
      ++Last;
    const Change &F = Script[First], &L = Script[Last];
    size_t Before = std::min(Context, F.AStart);
    size_t After = std::min(Context, A.size() - (L.AStart + L.ALen));
    size_t AStart = F.AStart - Before, BStart = F.BStart - Before;
    size_t AEnd = L.AStart + L.ALen + After, BEnd = L.BStart + L.BLen + After;
    hunkHeader(AStart, AEnd - AStart, BStart, BEnd - BStart);

    size_t X = AStart;
    for (size_t K = First; K <= Last; ++K) {
      const Change &C = Script[K];
      for (; X < C.AStart; ++X)
        line(' ', A[X]);
      for (size_t D = 0; D < C.ALen; ++D)
        line('-', A[C.AStart + D]);
      for (size_t D = 0; D < C.BLen; ++D)
        line('+', B[C.BStart + D]);
      X = C.AStart + C.ALen;
    }
    for (; X < AEnd; ++X)
      line(' ', A[X]);
    First = Last + 1;
  }
}

void PatchWriter::write(const FileChange &Change) {
  bool Created = Change.isCreated(), Deleted = Change.isDeleted();
  if (Created && Deleted)
    return;
  llvm::StringRef OldText =
      Created ? llvm::StringRef() : llvm::StringRef(Change.OldText);
  llvm::StringRef NewText =
      Deleted ? llvm::StringRef() : llvm::StringRef(Change.NewText);
  const std::string &OldPath = Created ? Change.NewPath : Change.OldPath;
  const std::string &NewPath = Deleted ? Change.OldPath : Change.NewPath;
  bool Renamed = Change.isRenamed();
  if (!Created && !Deleted && !Renamed && OldText == NewText)
    return;

  std::vector<llvm::StringRef> A = splitLines(OldText), B = splitLines(NewText);
  llvm::DenseMap<llvm::StringRef, unsigned> Ids;
  auto intern = [&](llvm::ArrayRef<llvm::StringRef> Lines) {
    std::vector<unsigned> Out;
    Out.reserve(Lines.size());
    for (llvm::StringRef Line : Lines)
      Out.push_back(Ids.try_emplace(Line, Ids.size()).first->second);
    return Out;
  };
  std::vector<unsigned> AIds = intern(A), BIds = intern(B);
  LineDiff Diff(AIds, BIds);
  if (OldText != NewText)
    Diff.run();

  std::string OldLabel = quotePath("a/", OldPath);
  std::string NewLabel = quotePath("b/", NewPath);
  header("diff --git " + OldLabel + " " + NewLabel);
  if (Created)
    header("new file mode " + octal(Change.Mode));
  else if (Deleted)
    header("deleted file mode " + octal(Change.Mode));
  else if (Renamed) {
    // git's measure: bytes of the old text that survive, over the larger
    // size.
    size_t Kept = 0;
    for (size_t I = 0; I < A.size(); ++I)
      if (!Diff.changedA()[I])
        Kept += A[I].size();
    size_t Larger = std::max(OldText.size(), NewText.size());
    unsigned Similarity =
        OldText == NewText ? 100 : unsigned(Kept * 100 / Larger);
    header("similarity index " + std::to_string(Similarity) + "%");
    header("rename from " + quotePath("", OldPath));
    header("rename to " + quotePath("", NewPath));
  }
  // Like git, an empty created or deleted file, or a pure rename, has no
  // `---`/`+++` lines and no hunk. An empty file also gets git's `index` line
  // (the empty blob's name is fixed): without it, `patch` takes the deletion
  // of an empty file for a reversed patch and refuses it.
  if (OldText == NewText) {
    if (Created)
      header("index 0000000..e69de29");
    else if (Deleted)
      header("index e69de29..0000000");
    return;
  }
  std::string Minus = Created ? "/dev/null" : OldLabel;
  std::string Plus = Deleted ? "/dev/null" : NewLabel;
  header("--- " + Minus, llvm::StringRef(Minus).contains(' '));
  header("+++ " + Plus, llvm::StringRef(Plus).contains(' '));
  hunks(A, B, Diff.changedA(), Diff.changedB());
}

void writeUnifiedDiff(llvm::raw_ostream &OS, const FileChange &Change,
                      const DiffOptions &Options) {
  PatchWriter(OS, Options).write(Change);
}

void writeUnifiedDiff(llvm::raw_ostream &OS, llvm::ArrayRef<FileChange> Changes,
                      const DiffOptions &Options) {
  PatchWriter Writer(OS, Options);
  for (const FileChange &Change : Changes)
    Writer.write(Change);
}

} // namespace excise
