//===- HardInputsTest.cpp - Unusual and broken inputs ---------------------===//
//
// Most tests run a plan over an in-memory tree whose file under test is
// unusual: broken Python, odd bytes, odd line endings, huge or deeply nested
// code, or no Python at all. The tree is always the same: `pkg/legacy.py`
// defines `Repo`, which the plan removes, and `app/main.py` imports it with
// `from pkg.legacy import Repo` and calls `Repo().save()` among other code.
// What is checked is the exact output, or the exact diagnostics and the file
// left as it was. The last tests cover files that cannot be read, symlinks
// (in a scratch directory on disk), and the plan inputs test/plan does not.
//
// docs/hard-inputs.md lists every hard input with the test that backs it;
// [!mayfail] marks behaviour excise does not have yet, [.] hides the inputs
// that still crash the process.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "driver/Output.h"
#include "emit/UnifiedDiff.h"
#include "source/SourceFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <string>

using namespace excise;
using namespace excise::test;
using Catch::Matchers::Contains;

namespace {

const char *const LegacySource = R"py(class Repo:
    def save(self):
        pass
)py";

const char *const RemoveRepo = R"yaml(plan: t
rules:
  - id: drop-repo
    remove-symbol: pkg.legacy.Repo
)yaml";

const char *const File = "app/main.py";

/// The standard tree with `app/main.py` = \p Content.
Tree treeWith(const std::string &Content) {
  return {
      {"pkg/__init__.py", ""},
      {"pkg/legacy.py", LegacySource},
      {"app/__init__.py", ""},
      {File, Content},
  };
}

/// Runs the plan over the standard tree; fails the test when the run fails.
TreeRun run(const std::string &Content) {
  TreeRun Run = runOnTree(treeWith(Content), RemoveRepo);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  return Run;
}

/// The change excise reports for `app/main.py`, or null.
const FileChange *changeOf(const TreeRun &Run) {
  for (const FileChange &C : Run.Result.Changes)
    if (C.OldPath == File || C.NewPath == File)
      return &C;
  return nullptr;
}

/// The patch excise would print for `app/main.py`.
std::string patchOf(const TreeRun &Run) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (const FileChange *C = changeOf(Run))
    writeUnifiedDiff(OS, *C);
  return OS.str();
}

/// Runs the plan and checks that `app/main.py` becomes \p Expected, with no
/// diagnostic, and that running the plan again changes nothing.
void expectRewrite(const std::string &Input, const std::string &Expected) {
  TreeRun Run = run(Input);
  INFO(Run.diagnostics());
  CHECK(Run.Result.Diagnostics.empty());
  CHECK(Run.After[File] == Expected);
  CHECK(parsesCleanly(Run.After[File]));
  TreeRun Again = runOnTree(Run.After, RemoveRepo);
  CHECK(Again.Result.Changes.empty());
}

/// Checks that \p Run left `app/main.py` as \p Input, with no change at all.
void expectUntouched(const TreeRun &Run, const std::string &Input) {
  CHECK(changeOf(Run) == nullptr);
  CHECK(Run.After.at(File) == Input);
}

/// The number of error diagnostics about `app/main.py`.
unsigned errorsAbout(const TreeRun &Run) {
  unsigned N = 0;
  for (const Diagnostic &D : Run.Result.Diagnostics)
    if (D.File == File && D.Level == Severity::Error)
      ++N;
  return N;
}

/// A file system that refuses to open one file, as when it is not readable.
class UnreadableFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  UnreadableFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                       std::string Unreadable)
      : ProxyFileSystem(std::move(FS)), Unreadable(std::move(Unreadable)) {}

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    if (Path.str() == Unreadable)
      return std::make_error_code(std::errc::permission_denied);
    return ProxyFileSystem::openFileForRead(Path);
  }

private:
  std::string Unreadable;
};

/// A directory on disk for the tests that need real symlinks; removed with
/// everything in it when the test ends.
struct ScratchDirectory {
  llvm::SmallString<128> Path;
  ScratchDirectory() {
    REQUIRE_FALSE(llvm::sys::fs::createUniqueDirectory("excise-hard", Path));
  }
  ~ScratchDirectory() { llvm::sys::fs::remove_directories(Path); }
  std::string operator/(llvm::StringRef Rel) const {
    llvm::SmallString<128> P(Path);
    llvm::sys::path::append(P, Rel);
    return std::string(P.str());
  }
};

void writeFile(const std::string &Path, llvm::StringRef Content) {
  REQUIRE_FALSE(llvm::sys::fs::create_directories(
      llvm::sys::path::parent_path(Path)));
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  REQUIRE_FALSE(EC);
  OS << Content;
}

std::string readFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  REQUIRE(Buffer);
  return (*Buffer)->getBuffer().str();
}

/// Unwraps \p Value; fails the test with the error's message otherwise.
template <typename T> T valueOf(llvm::Expected<T> Value) {
  if (!Value)
    FAIL(llvm::toString(Value.takeError()));
  return std::move(*Value);
}

} // namespace

//===----------------------------------------------------------------------===//
// Files that are not valid Python
//===----------------------------------------------------------------------===//

TEST_CASE("a file with a syntax error is reported at the error and left as "
          "it was",
          "[hard]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo


def f(:
    Repo().save()
)py");
  TreeRun Run = run(Input);
  expectUntouched(Run, Input);
  CHECK(Run.diagnostics() ==
        "app/main.py:1:24: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n"
        "app/main.py:4:7: syntax error: file not edited\n"
        "app/main.py:5:5: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n");
  CHECK(errorsAbout(Run) == 1);
  CHECK(Run.Result.hasFindings());
}

TEST_CASE("a syntax error in one file does not stop the edits of the others",
          "[hard]") {
  Tree T = treeWith("from pkg.legacy import Repo\nRepo(\n");
  T["app/good.py"] = "import os\nfrom pkg.legacy import Repo\nRepo().save()\n"
                     "print(os.sep)\n";
  TreeRun Run = runOnTree(T, RemoveRepo);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After["app/good.py"] == "import os\nprint(os.sep)\n");
  CHECK(Run.After[File] == "from pkg.legacy import Repo\nRepo(\n");
  CHECK(errorsAbout(Run) == 1);
}

TEST_CASE("a stray invalid byte in code makes the file a reported syntax "
          "error",
          "[hard]") {
  std::string Input = "from pkg.legacy import Repo\n"
                      "Repo().save()\n"
                      "x = 1 \xff 2\n";
  TreeRun Run = run(Input);
  expectUntouched(Run, Input);
  CHECK(errorsAbout(Run) == 1);
  // tree-sitter's ERROR node starts at the operand before the bad byte.
  CHECK(Run.diagnostics() ==
        "app/main.py:1:24: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n"
        "app/main.py:2:1: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n"
        "app/main.py:3:5: syntax error: file not edited\n");
}

TEST_CASE("a binary file named .py is reported and not edited", "[hard]") {
  std::string Input("from pkg.legacy import Repo\n\0\x01\x02Repo\0\xff", 37);
  REQUIRE(Input.size() == 37);
  TreeRun Run = run(Input);
  expectUntouched(Run, Input);
  CHECK(errorsAbout(Run) == 1);
  CHECK(Run.diagnostics() ==
        "app/main.py:1:24: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n"
        "app/main.py:2:1: binary file (it holds NUL bytes), not Python: not edited\n"
        "app/main.py:2:4: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n");
}

TEST_CASE("a binary file is reported as binary without its raw bytes in the "
          "message",
          "[hard]") {
  // A NUL byte is never in Python source; echoing the line of a binary file
  // would send control bytes (here ^A and ^B) to the terminal.
  std::string Input("from pkg.legacy import Repo\n\0\x01\x02Repo\0\xff", 37);
  TreeRun Run = run(Input);
  expectUntouched(Run, Input);
  REQUIRE(errorsAbout(Run) == 1);
  auto IsControl = [](char C) {
    unsigned char U = static_cast<unsigned char>(C);
    return (U < 0x20 && U != '\t') || U == 0x7f;
  };
  for (const Diagnostic &D : Run.Result.Diagnostics) {
    INFO(D.Message);
    CHECK(std::none_of(D.LineText.begin(), D.LineText.end(), IsControl));
    if (D.Level == Severity::Error)
      CHECK_THAT(D.Message, Contains("binary"));
  }
}

TEST_CASE("control bytes of an echoed line are shown as question marks with "
          "the caret still under its column",
          "[hard]") {
  // ESC, DEL, ^A and CR would act on the terminal; a tab is kept, and the
  // caret line repeats it.
  SourceFile F("app/main.py", "x = 1\n\x1b[2J\x7f\tRepo\x01\r x\n");
  Diagnostic D = Diagnostic::at(F, 12, Severity::Warning, "possible leftover");
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printDiagnostic(OS, D);
  CHECK(OS.str() == "app/main.py:2:7: warning: possible leftover\n"
                    "?[2J?\tRepo?? x\n"
                    "     \t^\n");
}

TEST_CASE("a shell script named .py is reported and not edited", "[hard]") {
  std::string Input = py(R"py(
#!/bin/sh
set -e
if [ -f Repo ]; then
  echo "Repo"
fi
)py");
  TreeRun Run = run(Input);
  expectUntouched(Run, Input);
  CHECK(Run.diagnostics() ==
        "app/main.py:3:1: syntax error: file not edited\n"
        "app/main.py:3:9: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n"
        "app/main.py:4:9: possible leftover: 'Repo' in a file that does not "
        "parse [drop-repo]\n");
}

//===----------------------------------------------------------------------===//
// Encodings and line endings
//===----------------------------------------------------------------------===//

TEST_CASE("a UTF-8 byte order mark is kept when the file is edited",
          "[hard]") {
  std::string Input = "\xEF\xBB\xBF" + py(R"py(
import os
from pkg.legacy import Repo


def f():
    Repo().save()
    return os.sep
)py");
  std::string Expected = "\xEF\xBB\xBF" + py(R"py(
import os


def f():
    return os.sep
)py");
  expectRewrite(Input, Expected);
}

TEST_CASE("a UTF-8 byte order mark is kept when the first statement of the "
          "file is removed",
          "[hard]") {
  std::string Input = "\xEF\xBB\xBF" + py(R"py(
from pkg.legacy import Repo
import os


def f():
    Repo().save()
    return os.sep
)py");
  std::string Expected = "\xEF\xBB\xBF" + py(R"py(
import os


def f():
    return os.sep
)py");
  expectRewrite(Input, Expected);
}

TEST_CASE("in a file with mixed line endings each kept line keeps its own "
          "ending",
          "[hard]") {
  std::string Input = "import os\r\n"
                      "from pkg.legacy import Repo\r\n"
                      "\n"
                      "\n"
                      "def f():\r\n"
                      "    Repo().save()\n"
                      "    return os.sep\r\n";
  std::string Expected = "import os\r\n"
                         "\n"
                         "\n"
                         "def f():\r\n"
                         "    return os.sep\r\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a block emptied in a CRLF file gets pass with a CRLF ending and an "
          "unwrapped body keeps CRLF",
          "[hard]") {
  std::string Input = "import os\r\n"
                      "from pkg.legacy import Repo\r\n"
                      "\r\n"
                      "\r\n"
                      "def f():\r\n"
                      "    try:\r\n"
                      "        os.sync()\r\n"
                      "    except OSError:\r\n"
                      "        Repo().save()\r\n"
                      "    if Repo:\r\n"
                      "        os.sync()\r\n";
  std::string Expected = "import os\r\n"
                         "\r\n"
                         "\r\n"
                         "def f():\r\n"
                         "    try:\r\n"
                         "        os.sync()\r\n"
                         "    except OSError:\r\n"
                         "        pass\r\n"
                         "    os.sync()\r\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a file with only CR line endings is kept as it is or reported and "
          "never half-edited",
          "[hard]") {
  // Classic Mac line endings: tree-sitter does not treat a lone CR as a line
  // break, so the file is one long line to it.
  std::string Input = "import os\rfrom pkg.legacy import Repo\rRepo().save()\r"
                      "print(os.sep)\r";
  TreeRun Run = run(Input);
  const FileChange *C = changeOf(Run);
  if (C) {
    CHECK(C->NewText == "import os\rprint(os.sep)\r");
  } else {
    CHECK(Run.After[File] == Input);
    CHECK(errorsAbout(Run) == 1);
  }
}

//===----------------------------------------------------------------------===//
// Indentation and whitespace
//===----------------------------------------------------------------------===//

TEST_CASE("tab-indented code is edited and unwrapped with tabs", "[hard]") {
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "\tRepo().save()\n"
                      "\tif Repo:\n"
                      "\t\tos.sync()\n"
                      "\t\tos.sync()\n"
                      "\treturn os.sep\n";
  std::string Expected = "import os\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "\tos.sync()\n"
                         "\tos.sync()\n"
                         "\treturn os.sep\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a file indented with tabs in one function and spaces in another "
          "keeps both",
          "[hard]") {
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "\tRepo().save()\n"
                      "\treturn os.sep\n"
                      "\n"
                      "\n"
                      "def g():\n"
                      "    with Repo().span():\n"
                      "        os.sync()\n"
                      "    return 1\n";
  std::string Expected = "import os\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "\treturn os.sep\n"
                         "\n"
                         "\n"
                         "def g():\n"
                         "    os.sync()\n"
                         "    return 1\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a block indented with a tab and spaces on its lines is unwrapped "
          "with its own indentation",
          "[hard]") {
  // Eight columns either way: a tab, then spaces, as old editors wrote it.
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    if Repo:\n"
                      "\tos.sync()\n"
                      "\tos.sync()\n"
                      "    return os.sep\n";
  std::string Expected = "import os\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "    os.sync()\n"
                         "    os.sync()\n"
                         "    return os.sep\n";
  TreeRun Run = run(Input);
  INFO(Run.diagnostics());
  // Either unwrapped to the `if`'s own indentation, or left alone and
  // reported; never a file whose indentation Python would reject.
  if (changeOf(Run)) {
    CHECK(Run.After[File] == Expected);
    CHECK(parsesCleanly(Run.After[File]));
  } else {
    CHECK(Run.After[File] == Input);
    CHECK(Run.Result.hasFindings());
  }
}

TEST_CASE("form feeds between and inside definitions are kept", "[hard]") {
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\f\n"
                      "\n"
                      "def f():\n"
                      "    os.sync()\n"
                      "\f\n"
                      "    Repo().save()\n"
                      "    return os.sep\n";
  std::string Expected = "import os\n"
                         "\f\n"
                         "\n"
                         "def f():\n"
                         "    os.sync()\n"
                         "\f\n"
                         "    return os.sep\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a form feed at the start of an indented line does not disturb the "
          "block",
          "[hard]") {
  // Python resets the column at a form feed in indentation.
  std::string Input = "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "\f    Repo().save()\n"
                      "    return 1\n";
  std::string Expected = "def f():\n"
                         "    return 1\n";
  expectRewrite(Input, Expected);
}

//===----------------------------------------------------------------------===//
// Ends of files
//===----------------------------------------------------------------------===//

TEST_CASE("removing the last statement of a file without a final newline "
          "leaves a valid file and patch",
          "[hard]") {
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    x = os.sep\n"
                      "    Repo().save()";
  std::string Expected = "import os\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "    x = os.sep\n";
  expectRewrite(Input, Expected);
  TreeRun Run = run(Input);
  CHECK(patchOf(Run) == "diff --git a/app/main.py b/app/main.py\n"
                        "--- a/app/main.py\n"
                        "+++ b/app/main.py\n"
                        "@@ -1,7 +1,5 @@\n"
                        " import os\n"
                        "-from pkg.legacy import Repo\n"
                        " \n"
                        " \n"
                        " def f():\n"
                        "     x = os.sep\n"
                        "-    Repo().save()\n"
                        "\\ No newline at end of file\n");
}

TEST_CASE("a kept last line without a final newline stays without one",
          "[hard]") {
  std::string Input = "import os\n"
                      "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    Repo().save()\n"
                      "    return os.sep";
  std::string Expected = "import os\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "    return os.sep";
  expectRewrite(Input, Expected);
  TreeRun Run = run(Input);
  CHECK(patchOf(Run) == "diff --git a/app/main.py b/app/main.py\n"
                        "--- a/app/main.py\n"
                        "+++ b/app/main.py\n"
                        "@@ -1,7 +1,5 @@\n"
                        " import os\n"
                        "-from pkg.legacy import Repo\n"
                        " \n"
                        " \n"
                        " def f():\n"
                        "-    Repo().save()\n"
                        "     return os.sep\n"
                        "\\ No newline at end of file\n");
}

TEST_CASE("a file whose every statement goes becomes empty with or without "
          "a final newline",
          "[hard]") {
  for (std::string Input :
       {"from pkg.legacy import Repo", "from pkg.legacy import Repo\n",
        "from pkg.legacy import Repo\nRepo().save()\n"}) {
    INFO(Input);
    TreeRun Run = run(Input);
    CHECK(Run.After[File] == "");
    CHECK(Run.Result.Diagnostics.empty());
  }
}

TEST_CASE("an empty file is left unchanged and not reported", "[hard]") {
  TreeRun Run = run("");
  expectUntouched(Run, "");
  CHECK(Run.Result.Diagnostics.empty());
}

TEST_CASE("a file of blank lines or of only a byte order mark is left "
          "unchanged and not reported",
          "[hard]") {
  for (std::string Input : {"\n\n   \n", "\xEF\xBB\xBF", "\r\n\r\n", "\f\n"}) {
    INFO(Input.size());
    TreeRun Run = run(Input);
    expectUntouched(Run, Input);
    CHECK(Run.Result.Diagnostics.empty());
  }
}

//===----------------------------------------------------------------------===//
// Bytes that are not UTF-8
//===----------------------------------------------------------------------===//

TEST_CASE("invalid UTF-8 bytes in a string and a comment are kept while the "
          "file is edited",
          "[hard]") {
  std::string Input = "from pkg.legacy import Repo\n"
                      "x = \"\xff\xfe caf\xe9\"  # \xc3\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    Repo().save()  # \x80\x81\n"
                      "    return x  # d\xe9j\xe0\n";
  std::string Expected = "x = \"\xff\xfe caf\xe9\"  # \xc3\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "    return x  # d\xe9j\xe0\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a Latin-1 coding declaration above a removed import is kept with "
          "the Latin-1 bytes",
          "[hard]") {
  // The declaration is how Python decodes the bytes below it: it is not a
  // comment about the import.
  std::string Input = "# -*- coding: latin-1 -*-\n"
                      "from pkg.legacy import Repo\n"
                      "NAME = 'Andr\xe9'\n"
                      "Repo().save()\n";
  std::string Expected = "# -*- coding: latin-1 -*-\n"
                         "NAME = 'Andr\xe9'\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a shebang line above a removed first import is kept",
          "[hard]") {
  std::string Input = "#!/usr/bin/env python3\n"
                      "from pkg.legacy import Repo\n"
                      "import os\n"
                      "Repo().save()\n"
                      "print(os.sep)\n";
  std::string Expected = "#!/usr/bin/env python3\n"
                         "import os\n"
                         "print(os.sep)\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("Latin-1 bytes below a kept coding declaration are kept", "[hard]") {
  std::string Input = "# -*- coding: latin-1 -*-\n"
                      "import os\n"
                      "from pkg.legacy import Repo\n"
                      "NAME = 'Andr\xe9'\n"
                      "Repo().save()\n";
  std::string Expected = "# -*- coding: latin-1 -*-\n"
                         "import os\n"
                         "NAME = 'Andr\xe9'\n";
  expectRewrite(Input, Expected);
}

//===----------------------------------------------------------------------===//
// Size and depth
//===----------------------------------------------------------------------===//

TEST_CASE("a 20 MB generated file is edited in one pass", "[hard]") {
  // Shaped like protoc output: a header, imports, then thousands of long
  // serialized byte strings; the one use of the removed class is at the end.
  std::string Head = "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"
                     "import os\n";
  std::string Import = "from pkg.legacy import Repo\n";
  std::string Body = "\n\n";
  std::string Chunk = repeat("CgxsZWdhY3kucHJvdG8S", 205); // About 4 KB.
  for (unsigned I = 0; Body.size() < 20u * 1024 * 1024; ++I)
    Body += "_SERIALIZED_" + std::to_string(I) + " = b'" + Chunk + "'\n";
  std::string Tail = "\n\n"
                     "def register():\n"
                     "    Repo().save()\n"
                     "    return os.sep\n";
  std::string Input = Head + Import + Body + Tail;
  REQUIRE(Input.size() > 20u * 1024 * 1024);
  std::string Expected = Head + Body +
                         "\n\n"
                         "def register():\n"
                         "    return os.sep\n";
  TreeRun Run = run(Input);
  INFO(Run.diagnostics());
  CHECK(Run.Result.Diagnostics.empty());
  CHECK(Run.After[File].size() == Expected.size());
  CHECK(Run.After[File] == Expected);
}

TEST_CASE("a 1 MB line is kept byte for byte while the file around it is "
          "edited",
          "[hard]") {
  // Minified data or an embedded blob: one literal, one very long line.
  std::string Long = "BLOB = '" + repeat("0123456789abcdef", 64 * 1024) + "'";
  std::string Input = "from pkg.legacy import Repo\n"
                      "\n" +
                      Long +
                      "\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    Repo().save()\n"
                      "    return BLOB\n";
  std::string Expected = Long + "\n"
                                "\n"
                                "\n"
                                "def f():\n"
                                "    return BLOB\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a 1 MB line holding the removed call is edited on that line",
          "[hard]") {
  std::string Long = "BLOB = '" + repeat("0123456789abcdef", 64 * 1024) + "'";
  std::string Input = "from pkg.legacy import Repo\n" + Long +
                      "; Repo().save(); y = 1\n";
  std::string Expected = Long + "; y = 1\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a 1 MB line of ten thousand list items is kept while the file "
          "around it is edited",
          "[hard]") {
  std::string Long = "X = [";
  for (unsigned I = 0; Long.size() < 1024 * 1024; ++I)
    Long += "\"item-" + std::to_string(I) + "-" + repeat("x", 80) + "\", ";
  Long += "None]";
  std::string Input = "from pkg.legacy import Repo\n" + Long +
                      "\n"
                      "Repo().save()\n";
  expectRewrite(Input, Long + "\n");
}

TEST_CASE("a name rebound twenty thousand times in one scope is analysed in "
          "bounded memory",
          "[hard]") {
  // Uses are indexed per scope and name, not per binding: indexing them per
  // binding needed gigabytes here.
  std::string Input = "from pkg.legacy import Repo\nx = 1\n" +
                      repeat("x += 1\n", 20000) + "Repo().save()\ny = x\n";
  std::string Expected = "x = 1\n" + repeat("x += 1\n", 20000) + "y = x\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a thousand levels of nested parentheses are edited without crashing",
          "[hard]") {
  std::string Deep = repeat("(", 1000) + "1" + repeat(")", 1000);
  std::string Input = "from pkg.legacy import Repo\n"
                      "X = " +
                      Deep +
                      "\n"
                      "\n"
                      "\n"
                      "def f():\n"
                      "    Repo().save()\n"
                      "    return X\n";
  std::string Expected = "X = " + Deep +
                         "\n"
                         "\n"
                         "\n"
                         "def f():\n"
                         "    return X\n";
  expectRewrite(Input, Expected);
}

TEST_CASE("a thousand levels of nested calls holding the removed class are left "
          "and reported",
          "[hard]") {
  // Deeper than the analysis goes (2,000 tree levels): the file is reported
  // and not edited, and the mention of the removed name is a possible
  // leftover; with AddressSanitizer's large frames the recursive analysis
  // would otherwise overflow a worker thread's stack.
  std::string Input = "from pkg.legacy import Repo\n"
                      "X = " +
                      repeat("f(", 1000) + "Repo()" + repeat(")", 1000) + "\n";
  TreeRun Run = run(Input);
  INFO(Run.diagnostics());
  CHECK(Run.After[File] == Input);
  CHECK_THAT(Run.diagnostics(), Contains("app/main.py:2:2005:"));
  CHECK_THAT(Run.diagnostics(), Contains("levels deep"));
}

TEST_CASE("a thousand levels of nested if blocks are either edited or reported "
          "and never crash",
          "[hard]") {
  std::string Input = "from pkg.legacy import Repo\n"
                      "\n"
                      "\n"
                      "def f(x):\n";
  std::string Kept;
  for (unsigned I = 1; I <= 1000; ++I)
    Kept += std::string(I * 4, ' ') + "if x:\n";
  std::string Inner = std::string(1001 * 4, ' ');
  Input += Kept + Inner + "Repo().save()\n" + Inner + "x = 2\n" +
           "    return x\n";
  std::string Expected =
      "def f(x):\n" + Kept + Inner + "x = 2\n" + "    return x\n";
  TreeRun Run = run(Input);
  if (changeOf(Run)) {
    CHECK(Run.After[File] == Expected);
  } else {
    // tree-sitter-python keeps at most about 510 indentation levels, and
    // CPython refuses more than 100: the file is reported as too deep.
    CHECK(Run.After[File] == Input);
    CHECK(errorsAbout(Run) == 1);
    CHECK_THAT(Run.diagnostics(), Contains("app/main.py:1:1: nested"));
  }
}

TEST_CASE("twenty thousand nested brackets are reported instead of "
          "overflowing the stack",
          "[hard]") {
  // The analysis recurses along the tree, so a tree this deep is reported
  // rather than analysed.
  std::string Input = "from pkg.legacy import Repo\n"
                      "X = " +
                      repeat("[", 20000) + "Repo" + repeat("]", 20000) + "\n";
  TreeRun Run = run(Input);
  CHECK(Run.After[File] == Input);
  CHECK(errorsAbout(Run) == 1);
  CHECK_THAT(Run.diagnostics(),
             Contains("app/main.py:1:1: nested 20004 levels deep, more than "
                      "excise analyses: file not edited\n"));
}

TEST_CASE("a string 511 blocks deep does not crash the parser",
          "[hard]") {
  // tree-sitter-python's scanner serializes its indentation stack into
  // tree-sitter's 1024-byte buffer and writes past it at this depth; excise
  // never hands such a file to the parser and reports it instead.
  std::string Input = "Repo = 1\n";
  for (unsigned I = 0; I < 511; ++I)
    Input += std::string(I, ' ') + "if 1:\n";
  Input += std::string(511, ' ') + "\"\"\n";
  TreeRun Run = run(Input);
  CHECK(Run.After[File] == Input);
  CHECK_THAT(Run.diagnostics(),
             Contains("app/main.py:1:1: nested 511 levels deep, more than "
                      "excise analyses: file not edited\n"));
}

TEST_CASE("a string 511 blocks deep behind form feeds does not crash the "
          "parser",
          "[hard]") {
  // The scanner restarts the column at a form feed (or a CR) in indentation,
  // so lines that start with one open blocks as deep as spaces alone would.
  std::string Input = "Repo = 1\n";
  for (unsigned I = 0; I < 511; ++I)
    Input += "\f" + std::string(I, ' ') + "if 1:\n";
  Input += "\f" + std::string(511, ' ') + "\"\"\n";
  TreeRun Run = run(Input);
  CHECK(Run.After[File] == Input);
  CHECK_THAT(Run.diagnostics(),
             Contains("app/main.py:1:1: nested 511 levels deep"));
}

TEST_CASE("a string 511 blocks deep behind CRs, tabs or line continuations "
          "does not crash the parser",
          "[hard]") {
  // Each hides the depth from a count of leading bytes: the scanner restarts
  // the column at a CR, counts a tab as 8 columns, and goes on counting after
  // a backslash-newline.
  std::function<std::string(unsigned)> Indents[] = {
      [](unsigned Columns) { return "\r" + std::string(Columns, ' '); },
      [](unsigned Columns) {
        return std::string(Columns / 8, '\t') + std::string(Columns % 8, ' ');
      },
      [](unsigned Columns) {
        return std::string(Columns / 2, ' ') + "\\\n" +
               std::string(Columns - Columns / 2, ' ');
      }};
  for (const auto &Indent : Indents) {
    std::string Input = "Repo = 1\n";
    for (unsigned I = 0; I < 511; ++I)
      Input += Indent(I) + "if 1:\n";
    Input += Indent(511) + "\"\"\n";
    INFO(Input.substr(0, 80));
    TreeRun Run = run(Input);
    CHECK(Run.After[File] == Input);
    CHECK_THAT(Run.diagnostics(),
               Contains("app/main.py:1:1: nested 511 levels deep"));
  }
}

TEST_CASE("deeply indented lines inside a string literal do not stop the "
          "file from being edited",
          "[hard]") {
  // Only a chain of ever deeper lines can fill the scanner's indentation
  // stack; a few lines indented 1,000 columns cannot.
  std::string Deep = std::string(1000, ' ') + "x\n";
  std::string Input = "from pkg.legacy import Repo\n"
                      "BANNER = \"\"\"\n" +
                      Deep + Deep +
                      "\"\"\"\n"
                      "Repo().save()\n";
  std::string Expected = "BANNER = \"\"\"\n" +
                         Deep + Deep + "\"\"\"\n";
  expectRewrite(Input, Expected);
}

//===----------------------------------------------------------------------===//
// Files that cannot be read, symlinks
//===----------------------------------------------------------------------===//

TEST_CASE("an unreadable file is an I/O error naming it and the reason",
          "[hard]") {
  UnreadableFileSystem FS(
      inMemoryTree(treeWith("from pkg.legacy import Repo\nRepo().save()\n")),
      "/repo/app/main.py");
  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = "/repo";
  auto Result = runPlan(P, FS, Options);
  bool Refused = !Result;
  REQUIRE(Refused);
  std::string Message;
  std::error_code Code;
  llvm::handleAllErrors(Result.takeError(), [&](const llvm::ErrorInfoBase &E) {
    Message = E.message();
    Code = E.convertToErrorCode();
  });
  // main turns an I/O error into exit code 3; no change is reported at all.
  CHECK(Code == std::errc::io_error);
  CHECK_THAT(Message, Contains("app/main.py: cannot read: "));
  CHECK_THAT(Message, Contains("ermission denied"));
}

TEST_CASE("a symlink to a Python file outside the root is neither read nor "
          "edited",
          "[hard]") {
  ScratchDirectory Dir;
  std::string Root = Dir / "repo";
  std::string Use = "from pkg.legacy import Repo\nRepo().save()\nprint(1)\n";
  for (const auto &[Path, Content] : treeWith("import os\n"))
    writeFile(Root + "/" + Path, Content);
  writeFile(Dir / "outside/ext.py", Use);
  REQUIRE_FALSE(llvm::sys::fs::create_link(Dir / "outside/ext.py",
                                           Root + "/app/ext.py"));
  REQUIRE_FALSE(
      llvm::sys::fs::create_link(Dir / "outside", Root + "/app/extdir"));
  REQUIRE_FALSE(llvm::sys::fs::create_link("../app", Root + "/app/loop"));
  REQUIRE_FALSE(
      llvm::sys::fs::create_link(Dir / "nowhere.py", Root + "/app/dangling.py"));

  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = Root;
  RunResult Result =
      valueOf(runPlan(P, *llvm::vfs::getRealFileSystem(), Options));
  for (const FileChange &C : Result.Changes) {
    INFO(C.path());
    CHECK(llvm::StringRef(C.path()).startswith("pkg/"));
  }
  OutputOptions Out;
  Out.Mode = OutputMode::Apply;
  Out.Root = Root;
  Out.Quiet = true;
  CHECK(valueOf(writeOutput(P, Result, Out)) == 0);
  CHECK(readFile(Dir / "outside/ext.py") == Use);
  llvm::sys::fs::file_status Status;
  REQUIRE_FALSE(llvm::sys::fs::status(Root + "/app/ext.py", Status, false));
  CHECK(Status.type() == llvm::sys::fs::file_type::symlink_file);
}

TEST_CASE("a new file or a move through a symlinked directory is refused "
          "rather than written outside the root",
          "[hard]") {
  // `app/extdir/planted.py` stays inside the root on paper, but app/extdir is
  // a symlink to a directory outside it; the plan is refused at the path.
  struct Case {
    const char *Plan;
    const char *Message;
  } Cases[] = {
      {R"yaml(plan: t
rules:
  - id: plant
    add-file: { path: app/extdir/planted.py, content: "x = 1\n" }
)yaml",
       "plan.yaml:4:23: error: path 'app/extdir/planted.py' leaves the root "
       "through 'app/extdir', a symbolic link; excise does not write through "
       "links\n"},
      {R"yaml(plan: t
rules:
  - id: move-out
    move-files: [{ from: app/main.py, to: app/extdir/moved.py }]
)yaml",
       "plan.yaml:4:43: error: path 'app/extdir/moved.py' leaves the root "
       "through 'app/extdir', a symbolic link; excise does not write through "
       "links\n"}};
  for (const Case &C : Cases) {
    INFO(C.Plan);
    ScratchDirectory Dir;
    std::string Root = Dir / "repo";
    for (const auto &[Path, Content] : treeWith("import os\n"))
      writeFile(Root + "/" + Path, Content);
    REQUIRE_FALSE(llvm::sys::fs::create_directories(Dir / "outside"));
    REQUIRE_FALSE(
        llvm::sys::fs::create_link(Dir / "outside", Root + "/app/extdir"));
    Plan P = acceptPlan(C.Plan);
    RunOptions Options;
    Options.Root = Root;
    auto Result = runPlan(P, *llvm::vfs::getRealFileSystem(), Options);
    bool Refused = !Result;
    REQUIRE(Refused);
    std::string Message;
    llvm::handleAllErrors(Result.takeError(), [&](const PlanError &E) {
      Message = E.rendered();
      CHECK(E.kind() == PlanErrorKind::PathOutsideRoot);
    });
    CHECK_THAT(Message, Contains(C.Message));
    CHECK_FALSE(llvm::sys::fs::exists(Dir / "outside/planted.py"));
    CHECK_FALSE(llvm::sys::fs::exists(Dir / "outside/moved.py"));
  }
}

TEST_CASE("a new file through a symlink to a directory inside the root is "
          "refused as well",
          "[hard]") {
  ScratchDirectory Dir;
  std::string Root = Dir / "repo";
  for (const auto &[Path, Content] : treeWith("import os\n"))
    writeFile(Root + "/" + Path, Content);
  REQUIRE_FALSE(llvm::sys::fs::create_link("pkg", Root + "/current"));
  Plan P = acceptPlan(R"yaml(plan: t
rules:
  - id: plant
    add-file: { path: current/planted.py, content: "x = 1\n" }
)yaml");
  RunOptions Options;
  Options.Root = Root;
  auto Result = runPlan(P, *llvm::vfs::getRealFileSystem(), Options);
  bool Refused = !Result;
  REQUIRE(Refused);
  CHECK(llvm::toString(Result.takeError()) ==
        "plan.yaml:4:23: error: path 'current/planted.py' goes through "
        "'current', a symbolic link; excise does not write through links\n"
        "    add-file: { path: current/planted.py, content: \"x = 1\\n\" }\n"
        "                      ^");
  CHECK_FALSE(llvm::sys::fs::exists(Root + "/pkg/planted.py"));
}

//===----------------------------------------------------------------------===//
// Plans: what PlanTest does not cover
//===----------------------------------------------------------------------===//

TEST_CASE("a 10 MB plan is loaded with its last rule located", "[hard]") {
  std::string Text = "plan: big\nrules:\n";
  unsigned Rules = 0;
  for (; Text.size() < 10u * 1024 * 1024; ++Rules)
    Text += "  - id: rule-" + std::to_string(Rules) +
            "\n    remove-symbol: src.module" + std::to_string(Rules) +
            ".Name\n";
  Plan P = acceptPlan(Text);
  REQUIRE(P.Rules.size() == Rules);
  CHECK(P.Rules.back().Id == "rule-" + std::to_string(Rules - 1));
  CHECK(P.Rules.back().Symbols[0].Loc.Line == 2 * Rules + 2);
}

TEST_CASE("rules whose edits overlap are refused naming both and nothing is "
          "changed",
          "[hard]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-repo
    remove-symbol: pkg.legacy.Repo
  - id: rename-save
    replace-text: { files: ["app/*.py"], from: "Repo().save()", to: "Store().save()", whole-word: false }
)yaml";
  TreeRun Run = runOnTree(
      treeWith("import os\nfrom pkg.legacy import Repo\nRepo().save()\n"),
      Plan);
  CHECK_THAT(Run.ErrorMessage, Contains("app/main.py: conflicting edits"));
  CHECK_THAT(Run.ErrorMessage, Contains("[rename-save]"));
  CHECK_THAT(Run.ErrorMessage, Contains("[drop-repo]"));
  CHECK(Run.Result.Changes.empty());
}

TEST_CASE("an optional rule whose target is missing says nothing and does not "
          "fail the run",
          "[hard]") {
  // `optional: true` is for a target that may or may not be there; the notes
  // a rule gets for a target found nowhere are for the others (and --strict
  // fails on them), so an optional rule gets none.
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-gone
    optional: true
    remove-symbol: [pkg.legacy.Nope, pkg.gone.Thing]
  - id: drop-gone-module
    optional: true
    remove-module: pkg.gone
  - id: drop-gone-files
    optional: true
    delete-files: [app/gone.py]
)yaml";
  TreeRun Run = runOnTree(treeWith("import os\n"), Plan);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.Result.Changes.empty());
  CHECK(Run.diagnostics() == "");
}

TEST_CASE("a file changed between excise's read and its write is not overwritten "
          "and nothing is written",
          "[hard]") {
  ScratchDirectory Dir;
  std::string Root = Dir / "repo";
  writeFile(Root + "/pkg/__init__.py", "");
  writeFile(Root + "/pkg/legacy.py", "class Repo:\n    def save(self):\n        pass\n");
  std::string Main = "from pkg.legacy import Repo\n\n\ndef run():\n    Repo().save()\n    return 1\n";
  std::string Jobs = "from pkg.legacy import Repo\n\nREPO = Repo()\n";
  writeFile(Root + "/app/main.py", Main);
  writeFile(Root + "/app/jobs.py", Jobs);

  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = Root;
  RunResult Result = valueOf(runPlan(P, *llvm::vfs::getRealFileSystem(), Options));
  REQUIRE(Result.Changes.size() == 3); // main.py, jobs.py, pkg/legacy.py
  // Someone saves app/main.py while excise works out the plan.
  std::string Edited = Main + "\n\ndef added_meanwhile():\n    return 2\n";
  writeFile(Root + "/app/main.py", Edited);

  OutputOptions Out;
  Out.Mode = OutputMode::Apply;
  Out.Root = Root;
  Out.Quiet = true;
  auto Code = writeOutput(P, Result, Out);
  bool Refused = !Code;
  REQUIRE(Refused);
  std::string Message = llvm::toString(Code.takeError());
  CHECK(Message == Root + "/app/main.py: changed since excise read it; nothing "
                          "was written, run again");
  CHECK(readFile(Root + "/app/main.py") == Edited);
  CHECK(readFile(Root + "/app/jobs.py") == Jobs);
  CHECK(readFile(Root + "/pkg/legacy.py") ==
        "class Repo:\n    def save(self):\n        pass\n");
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End; It != End && !EC;
       It.increment(EC))
    CHECK_FALSE(llvm::StringRef(It->path()).contains(".excise-"));
}

namespace {

/// A file system on which one file reads as \p Later from its second read on,
/// as when someone saves it while excise works out the plan.
class ChangingFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  ChangingFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                     std::string Watched, std::string Later)
      : ProxyFileSystem(std::move(FS)), Watched(std::move(Watched)) {
    Changed.addFile(this->Watched, 0, llvm::MemoryBuffer::getMemBufferCopy(Later));
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    if (Path.str() != Watched || Reads++ == 0)
      return ProxyFileSystem::openFileForRead(Path);
    return Changed.openFileForRead(Watched);
  }

  std::atomic<unsigned> Reads{0};

private:
  std::string Watched;
  llvm::vfs::InMemoryFileSystem Changed;
};

} // namespace

TEST_CASE("a file changed between its analysis and the making of its change "
          "stops the run before any change is handed on",
          "[hard]") {
  std::string Main = "from pkg.legacy import Repo\n\n\ndef run():\n    Repo().save()\n"
                     "    return 1\n";
  ChangingFileSystem FS(inMemoryTree(treeWith(Main)), "/repo/app/main.py",
                        Main + "\n\ndef added_meanwhile():\n    return 2\n");
  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = "/repo";
  Options.Jobs = 1;
  unsigned Batches = 0;
  auto Result = runPlan(P, FS, Options, [&](std::vector<FileChange> &) {
    ++Batches;
    return llvm::Error::success();
  });
  bool Stopped = !Result;
  REQUIRE(Stopped);
  CHECK(llvm::toString(Result.takeError()) ==
        "app/main.py: changed while excise read it; nothing was changed, run again");
  CHECK(Batches == 0);
  CHECK(FS.Reads == 2); // analysed once, read again for its change
}

TEST_CASE("changes reach the sink in path order in batches of at most 512, and "
          "the sink's error stops the run",
          "[hard]") {
  Tree Files = treeWith("import os\n");
  for (unsigned I = 0; I < 600; ++I)
    Files["app/m" + std::to_string(1000 + I) + ".py"] =
        "from pkg.legacy import Repo\n\n\ndef use():\n    Repo().save()\n    return " +
        std::to_string(I) + "\n";
  auto FS = inMemoryTree(Files);
  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = "/repo";
  Options.Jobs = 2;
  RunResult Whole = valueOf(runPlan(P, *FS, Options));
  REQUIRE(Whole.Changes.size() == 601); // the 600 users and pkg/legacy.py

  std::vector<size_t> Sizes;
  std::vector<std::string> Paths, NewTexts;
  RunResult Streamed = valueOf(runPlan(P, *FS, Options, [&](std::vector<FileChange> &B) {
    Sizes.push_back(B.size());
    for (const FileChange &C : B) {
      Paths.push_back(C.path());
      NewTexts.push_back(C.NewText);
    }
    return llvm::Error::success();
  }));
  CHECK(Sizes == std::vector<size_t>{512, 89});
  CHECK(Streamed.Changes.empty());
  CHECK(Streamed.FilesChanged == 601);
  REQUIRE(Paths.size() == Whole.Changes.size());
  for (size_t K = 0; K < Paths.size(); ++K) {
    CHECK(Paths[K] == Whole.Changes[K].path());
    CHECK(NewTexts[K] == Whole.Changes[K].NewText);
  }
  CHECK(std::is_sorted(Paths.begin(), Paths.end()));

  unsigned Calls = 0;
  auto Stopped = runPlan(P, *FS, Options, [&](std::vector<FileChange> &) {
    ++Calls;
    return llvm::createStringError(std::make_error_code(std::errc::no_space_on_device),
                                   "out.patch: cannot write");
  });
  bool Refused = !Stopped;
  REQUIRE(Refused);
  CHECK(llvm::toString(Stopped.takeError()) == "out.patch: cannot write");
  CHECK(Calls == 1);
}

TEST_CASE("an apply or a patch file that is not finished leaves the tree and "
          "the patch's path as they were",
          "[hard]") {
  ScratchDirectory Dir;
  std::string Root = Dir / "repo";
  std::string Main = "from pkg.legacy import Repo\n\n\ndef run():\n    Repo().save()\n"
                     "    return 1\n";
  for (const auto &[Path, Content] : treeWith(Main))
    writeFile(Root + "/" + Path, Content);
  Plan P = acceptPlan(RemoveRepo);
  RunOptions Options;
  Options.Root = Root;
  std::string Patch = Dir / "out.patch";
  auto NoTemporaries = [&] {
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(Dir / "", EC), End;
         It != End && !EC; It.increment(EC))
      CHECK_FALSE(llvm::StringRef(It->path()).contains(".excise-"));
  };
  auto OutputTo = [&](OutputMode Mode) {
    OutputOptions Out;
    Out.Mode = Mode;
    Out.Root = Root;
    Out.Path = Patch;
    Out.Quiet = true;
    return Out;
  };
  auto RunInto = [&](OutputWriter &Writer) {
    return valueOf(runPlan(P, *llvm::vfs::getRealFileSystem(), Options,
                           [&](std::vector<FileChange> &Batch) {
                             return Writer.take(Batch);
                           }));
  };
  for (OutputMode Mode : {OutputMode::Apply, OutputMode::Diff}) {
    INFO((Mode == OutputMode::Apply ? "apply" : "diff"));
    {
      OutputWriter Writer(P, OutputTo(Mode));
      CHECK(RunInto(Writer).FilesChanged == 2);
      // Dropped before finish(), as when a later batch fails.
    }
    CHECK(readFile(Root + "/app/main.py") == Main);
    CHECK(readFile(Root + "/pkg/legacy.py") == LegacySource);
    CHECK_FALSE(llvm::sys::fs::exists(Patch));
    NoTemporaries();
  }

  // Finished, the patch file is the whole patch.
  OutputWriter Writer(P, OutputTo(OutputMode::Diff));
  RunResult Result = RunInto(Writer);
  CHECK_FALSE(llvm::sys::fs::exists(Patch));
  CHECK(valueOf(Writer.finish(Result)) == 0);
  RunResult Whole = valueOf(runPlan(P, *llvm::vfs::getRealFileSystem(), Options));
  std::string Expected;
  llvm::raw_string_ostream OS(Expected);
  writeUnifiedDiff(OS, Whole.Changes);
  CHECK(readFile(Patch) == OS.str());
  CHECK_THAT(readFile(Patch), Contains("-    Repo().save()\n"));
  NoTemporaries();
}
