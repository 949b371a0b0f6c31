//===- UnifiedDiffTest.cpp - git-style patches ----------------------------===//
#include "emit/UnifiedDiff.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace excise;

static FileChange edited(std::string Path, std::string Old, std::string New) {
  FileChange C;
  C.OldPath = Path;
  C.NewPath = std::move(Path);
  C.OldText = std::move(Old);
  C.NewText = std::move(New);
  return C;
}

static FileChange created(std::string Path, std::string Text) {
  FileChange C;
  C.NewPath = std::move(Path);
  C.NewText = std::move(Text);
  return C;
}

static FileChange deleted(std::string Path, std::string Text) {
  FileChange C;
  C.OldPath = std::move(Path);
  C.OldText = std::move(Text);
  return C;
}

static FileChange moved(std::string From, std::string To, std::string Old,
                        std::string New) {
  FileChange C;
  C.OldPath = std::move(From);
  C.NewPath = std::move(To);
  C.OldText = std::move(Old);
  C.NewText = std::move(New);
  return C;
}

static std::string patchOf(const FileChange &Change,
                           const DiffOptions &Options = {}) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeUnifiedDiff(OS, Change, Options);
  return OS.str();
}

static std::string patchOf(llvm::ArrayRef<FileChange> Changes) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeUnifiedDiff(OS, Changes);
  return OS.str();
}

/// "1\n2\n...\nN\n" with each line prefixed by \p Prefix.
static std::string numbered(unsigned N, llvm::StringRef Prefix = "") {
  std::string S;
  for (unsigned I = 1; I <= N; ++I)
    S += (Prefix + llvm::Twine(I) + "\n").str();
  return S;
}

//===----------------------------------------------------------------------===//
// Hunks
//===----------------------------------------------------------------------===//

TEST_CASE("changing one line in the middle of a file shows it with three "
          "lines of context",
          "[diff]") {
  std::string Old = numbered(9);
  std::string New = R"(1
2
3
4
five
6
7
8
9
)";
  CHECK(patchOf(edited("app/m.py", Old, New)) ==
        R"(diff --git a/app/m.py b/app/m.py
--- a/app/m.py
+++ b/app/m.py
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
)");
}

TEST_CASE("inserting lines shows only plus lines between the context",
          "[diff]") {
  std::string Old = R"(import os


def main():
    run()
)";
  std::string New = R"(import os
import sys


def main():
    run()
)";
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,4 +1,5 @@
 import os
+import sys
 
 
 def main():
)");
}

TEST_CASE("deleting the first line has no context before it", "[diff]") {
  std::string Old = numbered(6);
  std::string New = numbered(6).substr(2);
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,4 +1,3 @@
-1
 2
 3
 4
)");
}

TEST_CASE("deleting the last line has no context after it", "[diff]") {
  std::string Old = numbered(6);
  std::string New = numbered(5);
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -3,4 +3,3 @@
 3
 4
 5
-6
)");
}

TEST_CASE("a one-line file changed entirely has single-line ranges without "
          "counts",
          "[diff]") {
  CHECK(patchOf(edited("m.py", "x = 1\n", "x = 2\n")) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1 +1 @@
-x = 1
+x = 2
)");
}

TEST_CASE("a range left empty names the line before it", "[diff]") {
  // Deleting line 5 of 9 with no context: the new side is empty and starts at
  // line 4, as git writes it.
  DiffOptions NoContext;
  NoContext.Context = 0;
  std::string New = "1\n2\n3\n4\n6\n7\n8\n9\n";
  CHECK(patchOf(edited("m.py", numbered(9), New), NoContext) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -5 +4,0 @@
-5
)");
  CHECK(patchOf(edited("m.py", New, numbered(9)), NoContext) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -4,0 +5 @@
+5
)");
}

TEST_CASE("two changes far apart make two hunks", "[diff]") {
  std::string Old = numbered(20);
  std::string New = Old;
  New.replace(New.find("2\n"), 2, "two\n");
  New.replace(New.find("18\n"), 3, "eighteen\n");
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,5 +1,5 @@
 1
-2
+two
 3
 4
 5
@@ -15,6 +15,6 @@
 15
 16
 17
-18
+eighteen
 19
 20
)");
}

TEST_CASE("two changes whose contexts touch share one hunk", "[diff]") {
  // Six unchanged lines between the changes: three of context after the
  // first and three before the second meet, so git writes one hunk.
  std::string Old = numbered(12);
  std::string New = Old;
  New.replace(New.find("2\n"), 2, "");
  New.replace(New.find("9\n"), 2, "nine\n");
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,12 +1,11 @@
 1
-2
 3
 4
 5
 6
 7
 8
-9
+nine
 10
 11
 12
)");
}

TEST_CASE("two changes seven unchanged lines apart make two hunks", "[diff]") {
  std::string Old = numbered(12);
  std::string New = Old;
  New.replace(New.find("2\n"), 2, "");
  New.replace(New.find("10\n"), 3, "ten\n");
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,5 +1,4 @@
 1
-2
 3
 4
 5
@@ -7,6 +6,6 @@
 7
 8
 9
-10
+ten
 11
 12
)");
}

TEST_CASE("the context length follows the options", "[diff]") {
  DiffOptions One;
  One.Context = 1;
  std::string New = numbered(9);
  New.replace(New.find("5\n"), 2, "five\n");
  CHECK(patchOf(edited("m.py", numbered(9), New), One) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -4,3 +4,3 @@
 4
-5
+five
 6
)");
}

TEST_CASE("removing a function and the blank lines after it shows the "
          "function first",
          "[diff]") {
  // The removed block could also start at the blank lines before `def a`;
  // like git, the block is moved as far down as it goes.
  std::string Old = R"(import x


def a():
    pass


def b():
    pass
)";
  std::string New = R"(import x


def b():
    pass
)";
  CHECK(patchOf(edited("m.py", Old, New)) == R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,9 +1,5 @@
 import x
 
 
-def a():
-    pass
-
-
 def b():
     pass
)");
}

//===----------------------------------------------------------------------===//
// Line ends
//===----------------------------------------------------------------------===//

TEST_CASE("a missing newline at the end of the old text is marked after the "
          "old line",
          "[diff]") {
  CHECK(patchOf(edited("m.py", "a\nb\nc", "a\nb\nc\n")) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,3 +1,3 @@
 a
 b
-c
\ No newline at end of file
+c
)");
}

TEST_CASE("a missing newline at the end of the new text is marked after the "
          "new line",
          "[diff]") {
  CHECK(patchOf(edited("m.py", "a\nb\nc\n", "a\nb\nc")) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,3 +1,3 @@
 a
 b
-c
+c
\ No newline at end of file
)");
}

TEST_CASE("a changed last line without newline on both sides is marked on "
          "both",
          "[diff]") {
  CHECK(patchOf(edited("m.py", "a\nb\nc", "a\nb\nC")) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,3 +1,3 @@
 a
 b
-c
\ No newline at end of file
+C
\ No newline at end of file
)");
}

TEST_CASE("an unchanged last line without newline is marked once as context",
          "[diff]") {
  CHECK(patchOf(edited("m.py", "a\nb\nc", "A\nb\nc")) ==
        R"(diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,3 +1,3 @@
-a
+A
 b
 c
\ No newline at end of file
)");
}

TEST_CASE("CRLF lines keep their carriage returns", "[diff]") {
  CHECK(patchOf(edited("m.py", "a\r\nb\r\nc\r\n", "a\r\nc\r\n")) ==
        "diff --git a/m.py b/m.py\n"
        "--- a/m.py\n"
        "+++ b/m.py\n"
        "@@ -1,3 +1,2 @@\n"
        " a\r\n"
        "-b\r\n"
        " c\r\n");
}

TEST_CASE("a line that only loses its carriage return is changed", "[diff]") {
  CHECK(patchOf(edited("m.py", "a\r\nb\n", "a\nb\n")) ==
        "diff --git a/m.py b/m.py\n"
        "--- a/m.py\n"
        "+++ b/m.py\n"
        "@@ -1,2 +1,2 @@\n"
        "-a\r\n"
        "+a\n"
        " b\n");
}

//===----------------------------------------------------------------------===//
// Created, deleted and moved files
//===----------------------------------------------------------------------===//

TEST_CASE("a created file is one hunk from /dev/null", "[diff]") {
  CHECK(patchOf(created("pkg/__init__.py", "from .a import b\nc = 1\n")) ==
        R"(diff --git a/pkg/__init__.py b/pkg/__init__.py
new file mode 100644
--- /dev/null
+++ b/pkg/__init__.py
@@ -0,0 +1,2 @@
+from .a import b
+c = 1
)");
}

TEST_CASE("a created one-line file leaves out the count", "[diff]") {
  CHECK(patchOf(created("a.py", "x = 1\n")) == R"(diff --git a/a.py b/a.py
new file mode 100644
--- /dev/null
+++ b/a.py
@@ -0,0 +1 @@
+x = 1
)");
}

TEST_CASE("an empty created file has only the mode and index lines", "[diff]") {
  CHECK(patchOf(created("pkg/py.typed", "")) ==
        R"(diff --git a/pkg/py.typed b/pkg/py.typed
new file mode 100644
index 0000000..e69de29
)");
}

TEST_CASE("a deleted file is one hunk to /dev/null", "[diff]") {
  CHECK(patchOf(deleted("app/logs.py", "import logging\n\nLOG = 1\n")) ==
        R"(diff --git a/app/logs.py b/app/logs.py
deleted file mode 100644
--- a/app/logs.py
+++ /dev/null
@@ -1,3 +0,0 @@
-import logging
-
-LOG = 1
)");
}

TEST_CASE("an empty deleted file has only the mode and index lines", "[diff]") {
  // Without the index line naming the empty blob, `patch` takes the patch
  // for a reversed one.
  CHECK(patchOf(deleted("app/__init__.py", "")) ==
        R"(diff --git a/app/__init__.py b/app/__init__.py
deleted file mode 100644
index e69de29..0000000
)");
}

TEST_CASE("the file mode is written in octal", "[diff]") {
  FileChange C = deleted("bin/run", "#!/bin/sh\n");
  C.Mode = 0100755;
  CHECK(patchOf(C) == R"(diff --git a/bin/run b/bin/run
deleted file mode 100755
--- a/bin/run
+++ /dev/null
@@ -1 +0,0 @@
-#!/bin/sh
)");
}

TEST_CASE("a rename without change has similarity 100% and no hunk", "[diff]") {
  CHECK(patchOf(moved("app/old.py", "app/new.py", "a\nb\n", "a\nb\n")) ==
        R"(diff --git a/app/old.py b/app/new.py
similarity index 100%
rename from app/old.py
rename to app/new.py
)");
}

TEST_CASE("a rename with change shows the similarity and the hunks", "[diff]") {
  // git measures 28 of 31 bytes kept: 90%.
  std::string New = numbered(10, "l");
  New.replace(New.find("l4\n"), 3, "X\n");
  CHECK(patchOf(moved("r.txt", "r2.txt", numbered(10, "l"), New)) ==
        R"(diff --git a/r.txt b/r2.txt
similarity index 90%
rename from r.txt
rename to r2.txt
--- a/r.txt
+++ b/r2.txt
@@ -1,7 +1,7 @@
 l1
 l2
 l3
-l4
+X
 l5
 l6
 l7
)");
}

TEST_CASE("an unchanged file in place writes nothing", "[diff]") {
  CHECK(patchOf(edited("m.py", "a\n", "a\n")).empty());
}

TEST_CASE("changes are written in the given order", "[diff]") {
  std::vector<FileChange> Changes = {edited("b.py", "1\n", "2\n"),
                                     created("a.py", "3\n")};
  CHECK(patchOf(Changes) == R"(diff --git a/b.py b/b.py
--- a/b.py
+++ b/b.py
@@ -1 +1 @@
-1
+2
diff --git a/a.py b/a.py
new file mode 100644
--- /dev/null
+++ b/a.py
@@ -0,0 +1 @@
+3
)");
}

TEST_CASE("changes sort by reported path, then by old path", "[diff]") {
  std::vector<FileChange> Changes = {
      edited("c.py", "", "x"), deleted("b.py", "x"),
      moved("z.py", "a.py", "x", "x"), moved("y.py", "a.py", "x", "x")};
  std::sort(Changes.begin(), Changes.end());
  CHECK(Changes[0].OldPath == "y.py");
  CHECK(Changes[1].OldPath == "z.py");
  CHECK(Changes[2].path() == "b.py");
  CHECK(Changes[3].path() == "c.py");
}

//===----------------------------------------------------------------------===//
// Paths and colors
//===----------------------------------------------------------------------===//

TEST_CASE("a path with a space is not quoted but ends its ---/+++ line with "
          "a tab",
          "[diff]") {
  CHECK(patchOf(edited("my app/m.py", "a\n", "b\n")) ==
        "diff --git a/my app/m.py b/my app/m.py\n"
        "--- a/my app/m.py\t\n"
        "+++ b/my app/m.py\t\n"
        "@@ -1 +1 @@\n"
        "-a\n"
        "+b\n");
  CHECK(patchOf(created("new file.txt", "n\n")) ==
        "diff --git a/new file.txt b/new file.txt\n"
        "new file mode 100644\n"
        "--- /dev/null\n"
        "+++ b/new file.txt\t\n"
        "@@ -0,0 +1 @@\n"
        "+n\n");
}

TEST_CASE("a path with quotes, tabs or non-ASCII bytes is quoted as git "
          "quotes it",
          "[diff]") {
  CHECK(patchOf(moved("\xC3\xBC.txt", "q y\".txt", "u\n", "u\n")) ==
        R"(diff --git "a/\303\274.txt" "b/q y\".txt"
similarity index 100%
rename from "\303\274.txt"
rename to "q y\".txt"
)");
  CHECK(patchOf(edited("t\tb.txt", "a\n", "b\n")) ==
        R"(diff --git "a/t\tb.txt" "b/t\tb.txt"
--- "a/t\tb.txt"
+++ "b/t\tb.txt"
@@ -1 +1 @@
-a
+b
)");
}

TEST_CASE("colors wrap headers in bold, hunk headers in cyan, removed lines "
          "in red and added lines in green",
          "[diff]") {
  DiffOptions Color;
  Color.Color = true;
  CHECK(patchOf(edited("m.py", "a\nb\n\nd", "a\nB\n\n\nd"), Color) ==
        "\x1b[1mdiff --git a/m.py b/m.py\x1b[m\n"
        "\x1b[1m--- a/m.py\x1b[m\n"
        "\x1b[1m+++ b/m.py\x1b[m\n"
        "\x1b[36m@@ -1,4 +1,5 @@\x1b[m\n"
        " a\x1b[m\n"
        "\x1b[31m-b\x1b[m\n"
        "\x1b[32m+\x1b[m\x1b[32mB\x1b[m\n"
        "\x1b[32m+\x1b[m\n"
        " \x1b[m\n"
        " d\x1b[m\n"
        "\\ No newline at end of file\x1b[m\n");
}

TEST_CASE("without the color option there are no escape sequences", "[diff]") {
  CHECK(patchOf(edited("m.py", "a\n", "b\n")).find('\x1b') ==
        std::string::npos);
}

//===----------------------------------------------------------------------===//
// The line diff
//===----------------------------------------------------------------------===//

/// Length of a longest common subsequence, by dynamic programming.
static size_t lcsLength(const std::vector<std::string> &A,
                        const std::vector<std::string> &B) {
  std::vector<size_t> Row(B.size() + 1, 0), Prev(B.size() + 1, 0);
  for (size_t I = 1; I <= A.size(); ++I) {
    std::swap(Row, Prev);
    for (size_t J = 1; J <= B.size(); ++J)
      Row[J] = A[I - 1] == B[J - 1] ? Prev[J - 1] + 1
                                    : std::max(Prev[J], Row[J - 1]);
  }
  return Row[B.size()];
}

static std::string joined(const std::vector<std::string> &Lines) {
  std::string S;
  for (const std::string &L : Lines)
    S += L + "\n";
  return S;
}

/// Applies the hunks of a single-file \p Patch to \p Old, checking that the
/// context and removed lines match; returns the result.
static std::string applyHunks(llvm::StringRef Old, llvm::StringRef Patch) {
  std::vector<llvm::StringRef> OldLines;
  for (llvm::StringRef Rest = Old; !Rest.empty();) {
    size_t End = Rest.find('\n');
    End = End == llvm::StringRef::npos ? Rest.size() : End + 1;
    OldLines.push_back(Rest.take_front(End));
    Rest = Rest.drop_front(End);
  }
  std::string Out;
  size_t Next = 0;        // Next old line to copy.
  bool LastAdded = false; // Whether the last patch line was a `+` line.
  bool InHunks = false;   // Past the file header.
  llvm::SmallVector<llvm::StringRef, 0> PatchLines;
  Patch.split(PatchLines, '\n');
  for (llvm::StringRef L : PatchLines) {
    if (L.startswith("@@ -")) {
      unsigned long long Start = 0;
      llvm::StringRef Num = L.drop_front(4);
      Num.consumeInteger(10, Start);
      if (!Num.startswith(",0"))
        --Start; // 1-based, unless the range is empty.
      while (Next < Start)
        Out += OldLines[Next++].str();
      LastAdded = false;
      InHunks = true;
      continue;
    }
    if (!InHunks)
      continue;
    if (L.startswith(" ") || L.startswith("-")) {
      REQUIRE(Next < OldLines.size());
      REQUIRE(OldLines[Next].rtrim('\n') == L.drop_front());
      if (L.startswith(" "))
        Out += OldLines[Next].str();
      ++Next;
    } else if (L.startswith("+")) {
      Out += L.drop_front().str() + "\n";
    } else if (L.startswith("\\") && LastAdded) {
      Out.pop_back();
    }
    LastAdded = L.startswith("+");
  }
  while (Next < OldLines.size())
    Out += OldLines[Next++].str();
  return Out;
}

TEST_CASE("random edits give minimal diffs that rebuild the new text",
          "[diff]") {
  std::mt19937 Rng(20240611);
  const char *Alphabet[] = {"a", "b", "c", "", "pass", "d"};
  auto pick = [&](unsigned N) { return unsigned(Rng() % N); };
  for (int Round = 0; Round < 300; ++Round) {
    std::vector<std::string> A, B;
    unsigned Len = pick(40);
    for (unsigned I = 0; I < Len; ++I)
      A.push_back(Alphabet[pick(6)]);
    B = A;
    for (unsigned Mutations = pick(8); Mutations; --Mutations) {
      unsigned At = pick(B.size() + 1);
      switch (pick(3)) {
      case 0:
        B.insert(B.begin() + At, Alphabet[pick(6)]);
        break;
      case 1:
        if (At < B.size())
          B.erase(B.begin() + At);
        break;
      default:
        if (At < B.size())
          B[At] = Alphabet[pick(6)];
      }
    }
    if (Round % 3 == 0)
      std::shuffle(B.begin(), B.end(), Rng);
    std::string Old = joined(A), New = joined(B);
    if (Round % 5 == 1 && !Old.empty())
      Old.pop_back();
    if (Round % 7 == 2 && !New.empty())
      New.pop_back();
    INFO("old:\n" << Old << "\nnew:\n" << New);
    std::string Patch = patchOf(edited("m.py", Old, New));
    if (Old == New) {
      CHECK(Patch.empty());
      continue;
    }
    CHECK(applyHunks(Old, Patch) == New);
    size_t Removed = 0;
    llvm::SmallVector<llvm::StringRef, 0> Lines;
    llvm::StringRef(Patch).split(Lines, '\n');
    for (llvm::StringRef L : Lines)
      if (L.startswith("-") && !L.startswith("--- "))
        ++Removed;
    // Line sets differ only at the end when a newline is missing, which the
    // LCS of the newline-terminated lines ignores; compare where it does not.
    if (Round % 5 != 1 && Round % 7 != 2)
      CHECK(Removed == A.size() - lcsLength(A, B));
  }
}

//===----------------------------------------------------------------------===//
// Patches that git and patch apply
//===----------------------------------------------------------------------===//

namespace {

/// A temporary directory holding a git repository, removed at the end.
class TempRepo {
public:
  TempRepo() {
    std::error_code EC =
        llvm::sys::fs::createUniqueDirectory("excise-diff-test", Dir);
    REQUIRE(!EC);
    REQUIRE(run("git init -q"));
  }
  ~TempRepo() { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Relative) const {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Relative);
    return std::string(P);
  }

  void write(llvm::StringRef Relative, llvm::StringRef Text) const {
    std::string P = path(Relative);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    REQUIRE(!EC);
    OS << Text;
  }

  /// The file's content, or "<missing>".
  std::string read(llvm::StringRef Relative) const {
    auto Buffer = llvm::MemoryBuffer::getFile(path(Relative));
    if (!Buffer)
      return "<missing>";
    return (*Buffer)->getBuffer().str();
  }

  /// Runs \p Command in the repository; true when it exits with 0.
  bool run(llvm::StringRef Command) const {
    std::string Line = ("cd '" + Dir + "' && " + Command + " >/dev/null").str();
    return std::system(Line.c_str()) == 0;
  }

  /// Writes \p Patch and checks that both `git apply --check` and
  /// `patch -p1 --dry-run` accept it, then applies it with git.
  void apply(llvm::StringRef Patch) const {
    write("../" + llvm::sys::path::filename(Dir).str() + ".patch", Patch);
    std::string PatchFile =
        path("../" + llvm::sys::path::filename(Dir).str() + ".patch");
    INFO("patch:\n" << Patch.str());
    CHECK(run("git apply --check '" + PatchFile + "'"));
    CHECK(run("patch -p1 --dry-run -s < '" + PatchFile + "'"));
    CHECK(run("git apply '" + PatchFile + "'"));
    llvm::sys::fs::remove(PatchFile);
  }

private:
  llvm::SmallString<128> Dir;
};

} // namespace

TEST_CASE("git apply and patch accept an edit patch and produce the new text",
          "[diff][git]") {
  TempRepo Repo;
  std::string Old = R"(import logging
from app.repo import ProcessingLogRepo


class Service:
    def __init__(self):
        self.repo = ProcessingLogRepo()
        self.name = "svc"

    def run(self):
        self.repo.log("start")
        work()
        self.repo.log("end")
        return 1
)";
  std::string New = R"(import logging


class Service:
    def __init__(self):
        self.name = "svc"

    def run(self):
        work()
        return 1
)";
  Repo.write("app/service.py", Old);
  Repo.write("my dir/a b.py", "x\ny\n");
  std::vector<FileChange> Changes = {
      edited("app/service.py", Old, New),
      edited("my dir/a b.py", "x\ny\n", "x\nz\n")};
  Repo.apply(patchOf(Changes));
  CHECK(Repo.read("app/service.py") == New);
  CHECK(Repo.read("my dir/a b.py") == "x\nz\n");
}

TEST_CASE("git apply and patch accept created, deleted and renamed files",
          "[diff][git]") {
  TempRepo Repo;
  std::string Moved = numbered(10, "l");
  std::string MovedNew = Moved;
  MovedNew.replace(MovedNew.find("l4\n"), 3, "X\n");
  Repo.write("gone.py", "import os\nprint(os.getcwd())\n");
  Repo.write("gone_empty.py", "");
  Repo.write("same.py", "a\nb\n");
  Repo.write("r.txt", Moved);
  std::vector<FileChange> Changes = {
      created("pkg/new.py", "x = 1\ny = 2\n"),
      created("pkg/py.typed", ""),
      deleted("gone.py", "import os\nprint(os.getcwd())\n"),
      deleted("gone_empty.py", ""),
      moved("same.py", "moved/same.py", "a\nb\n", "a\nb\n"),
      moved("r.txt", "r2.txt", Moved, MovedNew)};
  Repo.apply(patchOf(Changes));
  CHECK(Repo.read("pkg/new.py") == "x = 1\ny = 2\n");
  CHECK(Repo.read("pkg/py.typed") == "");
  CHECK(Repo.read("gone.py") == "<missing>");
  CHECK(Repo.read("gone_empty.py") == "<missing>");
  CHECK(Repo.read("same.py") == "<missing>");
  CHECK(Repo.read("moved/same.py") == "a\nb\n");
  CHECK(Repo.read("r.txt") == "<missing>");
  CHECK(Repo.read("r2.txt") == MovedNew);
}

TEST_CASE("git apply and patch accept missing final newlines and CRLF lines",
          "[diff][git]") {
  TempRepo Repo;
  std::vector<FileChange> Changes = {
      edited("a.py", "a\nb\nc", "a\nb\nc\n"),
      edited("b.py", "a\nb\nc\n", "a\nB\nc"),
      edited("c.py", "a\r\nb\r\nc", "a\r\nc\r\nd"),
      edited("d.py", "x\r\ny\r\n", "x\ny\r\n")};
  for (const FileChange &C : Changes)
    Repo.write(C.OldPath, C.OldText);
  Repo.apply(patchOf(Changes));
  for (const FileChange &C : Changes)
    CHECK(Repo.read(C.NewPath) == C.NewText);
}

TEST_CASE("git applies the diff of two large unrelated texts", "[diff][git]") {
  // Thousands of changed lines go past the search limit: the diff is no longer
  // guaranteed minimal but must still be correct.
  std::string Old, New;
  for (unsigned I = 0; I < 6000; ++I) {
    Old += "old " + std::to_string(I * 7919 % 6000) + "\n";
    New += I % 10 == 0 ? "old " + std::to_string(I * 7919 % 6000) + "\n"
                       : "new " + std::to_string(I) + "\n";
  }
  TempRepo Repo;
  Repo.write("big.py", Old);
  std::string Patch = patchOf(edited("big.py", Old, New));
  CHECK(applyHunks(Old, Patch) == New);
  Repo.apply(Patch);
  CHECK(Repo.read("big.py") == New);
}
