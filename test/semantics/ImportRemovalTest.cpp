//===- ImportRemovalTest.cpp - Removing imports of removed things ---------===//
//
// One behaviour per test: the input file and the expected file side by side.
// Most tests run a plan over a small tree: `pkg/legacy.py` (Repo, helper,
// CONST) is removed or loses symbols, `pkg/other.py` (Keep, other_fn) stays,
// and one file that imports them is checked.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <catch2/catch.hpp>

#include <string>

using namespace excise::test;
using Catch::Matchers::Contains;
using excise::Diagnostic;
using excise::Severity;

namespace {

const char *const LegacySource = R"py(class Repo:
    pass


def helper():
    return 1


CONST = 1
)py";

const char *const OtherSource = R"py(class Keep:
    pass


def other_fn():
    return 2
)py";

/// The standard tree plus \p File with \p Content.
Tree treeWith(const std::string &File, const std::string &Content) {
  Tree T = {
      {"pkg/__init__.py", ""},
      {"pkg/legacy.py", LegacySource},
      {"pkg/other.py", OtherSource},
      {"app/__init__.py", ""},
  };
  T[File] = Content;
  return T;
}

const char *const RemoveLegacyModule = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-module: pkg.legacy
)yaml";

const char *const RemoveRepo = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: pkg.legacy.Repo
)yaml";

const char *const RemoveRepoAndHelper = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: [pkg.legacy.Repo, pkg.legacy.helper]
)yaml";

const char *const RemoveHelper = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: pkg.legacy.helper
)yaml";

/// The line of \p Run's diagnostics that starts with \p Location
/// (`file:line:col:`), or an empty string.
std::string diagnosticAt(const TreeRun &Run, const std::string &Location) {
  std::string All = Run.diagnostics();
  size_t Pos = 0;
  while (Pos < All.size()) {
    size_t End = All.find('\n', Pos);
    if (End == std::string::npos)
      End = All.size();
    std::string Line = All.substr(Pos, End - Pos);
    if (Line.rfind(Location, 0) == 0)
      return Line;
    Pos = End + 1;
  }
  return "";
}

/// Runs \p Plan over the standard tree with \p File = \p Input and checks
/// that \p File becomes \p Expected and still parses.
void expectRewrite(const char *Plan, const std::string &File,
                   const std::string &Input, const std::string &Expected) {
  std::string Output = afterPlan(treeWith(File, Input), Plan, File);
  CHECK(Output == Expected);
  CHECK(parsesCleanly(Output));
}

} // namespace

//===----------------------------------------------------------------------===//
// Every import form of a removed module
//===----------------------------------------------------------------------===//

TEST_CASE("removing a module deletes a plain import of it", "[imports]") {
  std::string Input = py(R"py(
import os
import pkg.legacy
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes an aliased import of it", "[imports]") {
  std::string Input = py(R"py(
import os
import pkg.legacy as lg
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes a from-import of one of its names",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes a from-import of several of its names",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo, helper, CONST
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes an aliased from-import of its name",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo as R
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes an import of it from its package",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg import legacy
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module keeps the sibling modules imported from its "
          "package in the same statement",
          "[imports]") {
  std::string Input = py(R"py(
from pkg import legacy, other
)py");
  std::string Expected = py(R"py(
from pkg import other
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes a star import of it", "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import *
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module deletes a relative import of it from its own "
          "package",
          "[imports]") {
  std::string Input = py(R"py(
import os
from . import legacy
from . import other
)py");
  std::string Expected = py(R"py(
import os
from . import other
)py");
  expectRewrite(RemoveLegacyModule, "pkg/service.py", Input, Expected);
}

TEST_CASE("removing a module keeps its siblings in a relative import of "
          "several modules",
          "[imports]") {
  std::string Input = py(R"py(
from . import legacy, other
)py");
  std::string Expected = py(R"py(
from . import other
)py");
  expectRewrite(RemoveLegacyModule, "pkg/service.py", Input, Expected);
}

TEST_CASE("removing a module deletes a relative from-import of its names",
          "[imports]") {
  std::string Input = py(R"py(
from .legacy import Repo, helper
from .other import Keep
)py");
  std::string Expected = py(R"py(
from .other import Keep
)py");
  expectRewrite(RemoveLegacyModule, "pkg/service.py", Input, Expected);
}

TEST_CASE("removing a module deletes a parent-relative import of it from a "
          "subpackage",
          "[imports]") {
  Tree T = treeWith("pkg/sub/mod.py", py(R"py(
from ..legacy import Repo
from ..other import Keep
)py"));
  T["pkg/sub/__init__.py"] = "";
  std::string Output = afterPlan(T, RemoveLegacyModule, "pkg/sub/mod.py");
  CHECK(Output == py(R"py(
from ..other import Keep
)py"));
  CHECK(parsesCleanly(Output));
}

TEST_CASE("removing a module deletes a parent-relative import that names its "
          "package from a sibling subpackage",
          "[imports]") {
  Tree T = {
      {"top/__init__.py", ""},
      {"top/pkg/__init__.py", ""},
      {"top/pkg/legacy.py", LegacySource},
      {"top/pkg/other.py", OtherSource},
      {"top/sub/__init__.py", ""},
      {"top/sub/mod.py", py(R"py(
from ..pkg.legacy import Repo
from ..pkg.other import Keep
)py")},
  };
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-module: top.pkg.legacy
)yaml";
  std::string Output = afterPlan(T, Plan, "top/sub/mod.py");
  CHECK(Output == py(R"py(
from ..pkg.other import Keep
)py"));
  CHECK(parsesCleanly(Output));
}

TEST_CASE("removing a module deletes the re-export of its names from the "
          "package's __init__",
          "[imports]") {
  std::string Input = py(R"py(
from .legacy import Repo
from .other import Keep
)py");
  std::string Expected = py(R"py(
from .other import Keep
)py");
  expectRewrite(RemoveLegacyModule, "pkg/__init__.py", Input, Expected);
}

TEST_CASE("module names in a plan start at the import root", "[imports]") {
  Tree T = {
      {"src/pkg/__init__.py", ""},
      {"src/pkg/legacy.py", LegacySource},
      {"src/pkg/other.py", OtherSource},
      {"src/app/__init__.py", ""},
      {"src/app/main.py", py(R"py(
from pkg.legacy import Repo
from pkg.other import Keep
)py")},
  };
  const char *Plan = R"yaml(plan: t
import-root: src
rules:
  - id: drop-legacy
    remove-module: pkg.legacy
)yaml";
  std::string Output = afterPlan(T, Plan, "src/app/main.py");
  CHECK(Output == py(R"py(
from pkg.other import Keep
)py"));
  CHECK(parsesCleanly(Output));
}

TEST_CASE("removing a module leaves modules whose names merely start with its "
          "name alone",
          "[imports]") {
  Tree T = treeWith("app/main.py", py(R"py(
import pkg.legacy_tools
from pkg.legacy_tools import tool
)py"));
  T["pkg/legacy_tools.py"] = "def tool():\n    return 3\n";
  std::string Input = T["app/main.py"];
  CHECK(afterPlan(T, RemoveLegacyModule, "app/main.py") == Input);
}

//===----------------------------------------------------------------------===//
// `import a, b, c` lists
//===----------------------------------------------------------------------===//

TEST_CASE("removing the middle module of an import list keeps the others",
          "[imports]") {
  std::string Input = py(R"py(
import os, pkg.legacy, sys
)py");
  std::string Expected = py(R"py(
import os, sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing the first module of an import list keeps the others",
          "[imports]") {
  std::string Input = py(R"py(
import pkg.legacy as lg, os
)py");
  std::string Expected = py(R"py(
import os
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing the last module of an import list keeps the others",
          "[imports]") {
  std::string Input = py(R"py(
import os, pkg.legacy
)py");
  std::string Expected = py(R"py(
import os
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing a module continued on the next line of an import list "
          "removes the continuation",
          "[imports]") {
  std::string Input = py(R"py(
import os, \
    pkg.legacy
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Removing symbols: only their names go
//===----------------------------------------------------------------------===//

TEST_CASE("removing a symbol keeps the other names imported from its module",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo, helper
)py");
  std::string Expected = py(R"py(
from pkg.legacy import helper
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a symbol deletes a from-import whose only name it is",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a symbol leaves a plain import of its module alone",
          "[imports]") {
  std::string Input = py(R"py(
import pkg.legacy


def run():
    return pkg.legacy.helper()
)py");
  CHECK(afterPlan(treeWith("app/main.py", Input), RemoveRepo, "app/main.py") ==
        Input);
}

TEST_CASE("removing a symbol leaves an import of its module from the package "
          "alone",
          "[imports]") {
  std::string Input = py(R"py(
from pkg import legacy


def run():
    return legacy.helper()
)py");
  CHECK(afterPlan(treeWith("app/main.py", Input), RemoveRepo, "app/main.py") ==
        Input);
}

TEST_CASE("removing the middle name of a from-import keeps the list tidy",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import CONST, Repo, helper
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST, helper
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing the first name of a from-import keeps the list tidy",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo, CONST, helper
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST, helper
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing the last name of a from-import keeps the list tidy",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import CONST, helper, Repo
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST, helper
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a symbol removes its aliased name from a from-import",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import CONST, Repo as R
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing several symbols removes each of their names", "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo, CONST, helper
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST
)py");
  expectRewrite(RemoveRepoAndHelper, "app/main.py", Input, Expected);
}

TEST_CASE("removing every name of a from-import deletes the statement",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo, helper
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveRepoAndHelper, "app/main.py", Input, Expected);
}

TEST_CASE("removing a symbol removes its name from a relative from-import",
          "[imports]") {
  std::string Input = py(R"py(
from .legacy import Repo, helper
)py");
  std::string Expected = py(R"py(
from .legacy import helper
)py");
  expectRewrite(RemoveRepo, "pkg/service.py", Input, Expected);
}

TEST_CASE("removing a symbol keeps the trailing comment of a statement that "
          "stays",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo, helper  # storage helpers
)py");
  std::string Expected = py(R"py(
from pkg.legacy import helper  # storage helpers
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a symbol leaves another name imported under its name "
          "alone",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import helper as Repo


def run():
    return Repo()
)py");
  CHECK(afterPlan(treeWith("app/main.py", Input), RemoveRepo, "app/main.py") ==
        Input);
}

TEST_CASE("removing a symbol leaves a same-named symbol of another module "
          "alone",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.other import helper


def run():
    helper()
    return helper()
)py");
  Tree T = treeWith("app/main.py", Input);
  T["pkg/other.py"] = std::string(OtherSource) + "\n\ndef helper():\n    return 4\n";
  T["app/uses_legacy.py"] = "from pkg.legacy import helper, CONST\n";
  TreeRun Run = runOnTree(T, RemoveHelper);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After["app/main.py"] == Input);
  CHECK(Run.After["app/uses_legacy.py"] == "from pkg.legacy import CONST\n");
}

//===----------------------------------------------------------------------===//
// Parenthesized lists and continuations
//===----------------------------------------------------------------------===//

TEST_CASE("removing the last name of a parenthesized import deletes the "
          "statement",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import (
    Repo,
)
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing every name of a multi-line parenthesized import deletes "
          "all its lines",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import (
    Repo,
    helper,
)
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveRepoAndHelper, "app/main.py", Input, Expected);
}

TEST_CASE("a name alone on its line of a parenthesized import loses the whole "
          "line with its comment",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import (
    CONST,
    Repo,  # the old storage
    helper,
)
)py");
  std::string Expected = py(R"py(
from pkg.legacy import (
    CONST,
    helper,
)
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a name sharing a line of a parenthesized import leaves no "
          "trailing whitespace",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import (
    CONST, Repo,
    helper,
)
)py");
  std::string Expected = py(R"py(
from pkg.legacy import (
    CONST,
    helper,
)
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing the last name before a trailing comma keeps the trailing "
          "comma valid",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import (CONST, Repo,)
)py");
  std::string Expected = py(R"py(
from pkg.legacy import (CONST,)
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing the first name of a one-line parenthesized import keeps "
          "the parentheses",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import (Repo, CONST, helper)
)py");
  std::string Expected = py(R"py(
from pkg.legacy import (CONST, helper)
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

TEST_CASE("removing a name continued after a backslash removes the "
          "continuation",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import CONST, \
    Repo
import sys
)py");
  std::string Expected = py(R"py(
from pkg.legacy import CONST
import sys
)py");
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Comments and blank lines around a deleted statement
//===----------------------------------------------------------------------===//

TEST_CASE("a deleted import takes its trailing comment with it", "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo  # noqa: F401
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a deleted import takes the comment lines directly above it",
          "[imports]") {
  std::string Input = py(R"py(
import os
# Storage layer, to be retired.
# See ticket 42.
from pkg.legacy import Repo
import sys
)py");
  std::string Expected = py(R"py(
import os
import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a comment separated from a deleted import by a blank line stays",
          "[imports]") {
  std::string Input = py(R"py(
import os
# Section: storage

from pkg.legacy import Repo
import sys
)py");
  std::string Expected = py(R"py(
import os
# Section: storage

import sys
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("deleting a top-level import between two statements keeps the "
          "larger blank-line gap",
          "[imports]") {
  std::string Input = py(R"py(
import os

from pkg.legacy import Repo


def run():
    return os.sep
)py");
  std::string Expected = py(R"py(
import os


def run():
    return os.sep
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("deleting an import between two definitions leaves two blank lines, "
          "not four",
          "[imports]") {
  std::string Input = py(R"py(
def first():
    return 1


from pkg.legacy import Repo


def second():
    return 2
)py");
  std::string Expected = py(R"py(
def first():
    return 1


def second():
    return 2
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("deleting the first statement of a file removes the blank lines "
          "that followed it",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo

import os
)py");
  std::string Expected = py(R"py(
import os
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("deleting the last statement of a file leaves no blank line at its "
          "end",
          "[imports]") {
  std::string Input = py(R"py(
import os

from pkg.legacy import Repo
)py");
  std::string Expected = py(R"py(
import os
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("deleting the import after a module docstring keeps one blank line "
          "after the docstring",
          "[imports]") {
  std::string Input = py(R"py(
"""Service entry point."""

from pkg.legacy import Repo

import os
)py");
  std::string Expected = py(R"py(
"""Service entry point."""

import os
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Semicolon-separated statements
//===----------------------------------------------------------------------===//

TEST_CASE("a removed import between semicolons leaves its neighbours",
          "[imports]") {
  std::string Input = py(R"py(
import os; import pkg.legacy; x = 1
)py");
  std::string Expected = py(R"py(
import os; x = 1
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a removed import at the start of a semicolon line leaves the rest",
          "[imports]") {
  std::string Input = py(R"py(
import pkg.legacy; x = 1
)py");
  std::string Expected = py(R"py(
x = 1
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a removed import at the end of a semicolon line leaves the rest",
          "[imports]") {
  std::string Input = py(R"py(
x = 1; import pkg.legacy
)py");
  std::string Expected = py(R"py(
x = 1
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Imports inside blocks
//===----------------------------------------------------------------------===//

TEST_CASE("an import inside a function is removed and the other statements "
          "stay",
          "[imports]") {
  std::string Input = py(R"py(
def load():
    import json
    from pkg.legacy import helper
    return json.loads("{}")
)py");
  std::string Expected = py(R"py(
def load():
    import json
    return json.loads("{}")
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("removing the first statement of a function body leaves no blank "
          "line at the start of the block",
          "[imports]") {
  std::string Input = py(R"py(
def load():
    from pkg.legacy import helper

    return 1
)py");
  std::string Expected = py(R"py(
def load():
    return 1
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("an import in a TYPE_CHECKING block is removed and the block keeps "
          "its other imports",
          "[imports]") {
  std::string Input = py(R"py(
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.legacy import Repo
    from pkg.other import Keep


def build() -> "Keep":
    ...
)py");
  std::string Expected = py(R"py(
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.other import Keep


def build() -> "Keep":
    ...
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a TYPE_CHECKING block whose only statement was a removed import "
          "is deleted",
          "[imports]") {
  // TYPE_CHECKING is also used by the other block, so its import stays.
  std::string Input = py(R"py(
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.other import Keep

if TYPE_CHECKING:
    from pkg.legacy import Repo


def build() -> "Keep":
    ...
)py");
  std::string Expected = py(R"py(
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.other import Keep


def build() -> "Keep":
    ...
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a typing.TYPE_CHECKING block whose only statement was a removed "
          "import is deleted",
          "[imports]") {
  std::string Input = py(R"py(
import typing

if typing.TYPE_CHECKING:
    from pkg.legacy import Repo


def find(key: str) -> typing.Optional[str]:
    return None
)py");
  std::string Expected = py(R"py(
import typing


def find(key: str) -> typing.Optional[str]:
    return None
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("an except body whose only statement was a removed import becomes "
          "pass",
          "[imports]") {
  std::string Input = py(R"py(
try:
    import ujson as json
except ImportError:
    from pkg.legacy import helper
)py");
  std::string Expected = py(R"py(
try:
    import ujson as json
except ImportError:
    pass
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a try whose body was only a removed import is deleted with its "
          "handlers",
          "[imports]") {
  std::string Input = py(R"py(
import os

try:
    from pkg.legacy import helper
except ImportError:
    pass

print(os.sep)
)py");
  std::string Expected = py(R"py(
import os

print(os.sep)
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Uses that cannot be removed are reported, not guessed at
//===----------------------------------------------------------------------===//

TEST_CASE("a returned use of a removed class stays and is reported at its "
          "location",
          "[imports]") {
  std::string Input = py(R"py(
import os

from pkg.legacy import Repo


def make():
    root = os.getcwd()
    return Repo(root)
)py");
  TreeRun Run = runOnTree(treeWith("app/main.py", Input), RemoveLegacyModule);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  std::string Output = Run.After["app/main.py"];
  CHECK(Output == py(R"py(
import os


def make():
    root = os.getcwd()
    return Repo(root)
)py"));
  CHECK(parsesCleanly(Output));
  INFO(Run.diagnostics());
  std::string D = diagnosticAt(Run, "app/main.py:8:12:");
  CHECK_THAT(D, Contains("[drop-legacy]"));
}

TEST_CASE("a removed class passed as an argument stays and is reported at its "
          "location",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo


def make(cls, name):
    return cls


def build(name):
    x = make(Repo, name)
    return x
)py");
  TreeRun Run = runOnTree(treeWith("app/main.py", Input), RemoveRepo);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  std::string Output = Run.After["app/main.py"];
  CHECK(Output == py(R"py(
def make(cls, name):
    return cls


def build(name):
    x = make(Repo, name)
    return x
)py"));
  CHECK(parsesCleanly(Output));
  INFO(Run.diagnostics());
  std::string D = diagnosticAt(Run, "app/main.py:9:14:");
  CHECK_THAT(D, Contains("[drop-legacy]"));
}

TEST_CASE("a use through a removed module's alias stays and is reported at "
          "the alias",
          "[imports]") {
  std::string Input = py(R"py(
import pkg.legacy as lg


def make(pooled):
    return lg.Repo() if pooled else None
)py");
  TreeRun Run = runOnTree(treeWith("app/main.py", Input), RemoveLegacyModule);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  std::string Output = Run.After["app/main.py"];
  CHECK(Output == py(R"py(
def make(pooled):
    return lg.Repo() if pooled else None
)py"));
  CHECK(parsesCleanly(Output));
  INFO(Run.diagnostics());
  std::string D = diagnosticAt(Run, "app/main.py:5:12:");
  CHECK_THAT(D, Contains("[drop-legacy]"));
}

//===----------------------------------------------------------------------===//
// What must not change
//===----------------------------------------------------------------------===//

TEST_CASE("unrelated code around a removed import is byte-for-byte unchanged",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.legacy import Repo
x  =  [1,2 ,3]   # odd   spacing
def   f( a ):
	return a   
y = {'k' :1}
)py");
  std::string Expected = py(R"py(
import os
x  =  [1,2 ,3]   # odd   spacing
def   f( a ):
	return a   
y = {'k' :1}
)py");
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a file that does not refer to the removed module is unchanged",
          "[imports]") {
  std::string Input = py(R"py(
import os
from pkg.other import Keep


def run():
    return Keep(), os.sep
)py");
  Tree T = treeWith("app/main.py", Input);
  T["app/uses_legacy.py"] = "from pkg.legacy import Repo\n";
  TreeRun Run = runOnTree(T, RemoveLegacyModule);
  INFO(Run.ErrorMessage);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After["app/main.py"] == Input);
  for (const excise::FileChange &C : Run.Result.Changes)
    CHECK(C.path() != "app/main.py");
}

TEST_CASE("a file defining its own class with a removed class's name is "
          "unchanged",
          "[imports]") {
  std::string Input = py(R"py(
class Repo:
    def save(self):
        return 1


def run():
    Repo().save()
    return Repo()
)py");
  CHECK(afterPlan(treeWith("app/main.py", Input), RemoveRepo, "app/main.py") ==
        Input);
}

TEST_CASE("a CRLF file keeps CRLF line endings when an import is deleted",
          "[imports]") {
  std::string Input =
      "import os\r\nfrom pkg.legacy import Repo\r\nimport sys\r\n";
  std::string Expected = "import os\r\nimport sys\r\n";
  expectRewrite(RemoveLegacyModule, "app/main.py", Input, Expected);
}

TEST_CASE("a CRLF file keeps CRLF line endings when a parenthesized name is "
          "removed",
          "[imports]") {
  std::string Input = "from pkg.legacy import (\r\n"
                      "    CONST,\r\n"
                      "    Repo,\r\n"
                      "    helper,\r\n"
                      ")\r\n";
  std::string Expected = "from pkg.legacy import (\r\n"
                         "    CONST,\r\n"
                         "    helper,\r\n"
                         ")\r\n";
  expectRewrite(RemoveRepo, "app/main.py", Input, Expected);
}

//===----------------------------------------------------------------------===//
// Plans naming things that are not in the tree (a typo, or a plan that ran
// before): a note at the name, tagged [plan], and the target still counts as
// removed
//===----------------------------------------------------------------------===//

/// The notes about the plan in \p Run, one per line: `line:col: message`.
static std::string planNotes(const TreeRun &Run) {
  std::string Out;
  for (const Diagnostic &D : Run.Result.Diagnostics)
    if (D.RuleId == "plan") {
      CHECK(D.Level == Severity::Note);
      Out += std::to_string(D.Line) + ":" + std::to_string(D.Column) + ": " +
             D.Message + "\n";
    }
  return Out;
}

TEST_CASE("a plan removing a module that is not in the tree gets a note at "
          "the name with the closest module, and runs",
          "[imports]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-module: pkg.legcy
)yaml";
  TreeRun Run = runOnTree(treeWith("app/main.py", "import os\n"), Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(planNotes(Run) ==
        "4:20: rule 'drop-legacy': module 'pkg.legcy' is not in the tree (no "
        "pkg.legcy under import root '.'); did you mean 'pkg.legacy'?\n");
  CHECK(Run.Result.Changes.empty());
  CHECK_FALSE(Run.Result.hasFindings());
}

TEST_CASE("a plan removing a symbol that its module does not define gets a "
          "note with the closest name the module defines",
          "[imports]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: pkg.legacy.Rpeo
)yaml";
  TreeRun Run = runOnTree(treeWith("app/main.py", "import os\n"), Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(planNotes(Run) ==
        "4:20: rule 'drop-legacy': symbol 'pkg.legacy.Rpeo' not found: module "
        "'pkg.legacy' (pkg/legacy.py) does not define 'Rpeo'; did you mean "
        "'pkg.legacy.Repo'?\n");
}

TEST_CASE("a missing symbol in a list of symbols is located at its own entry, "
          "and a name that is itself a target is never what it meant",
          "[imports]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: [pkg.legacy.Repo, pkg.legacy.Rpeo]
)yaml";
  TreeRun Run = runOnTree(treeWith("app/main.py", "import os\n"), Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(planNotes(Run) ==
        "4:38: rule 'drop-legacy': symbol 'pkg.legacy.Rpeo' not found: module "
        "'pkg.legacy' (pkg/legacy.py) does not define 'Rpeo'\n");
  // The target that is there is removed all the same.
  CHECK(Run.After.at("pkg/legacy.py").find("class Repo") == std::string::npos);
}

TEST_CASE("a plan removing a symbol of a module that is not in the tree gets "
          "a note with the closest module holding that name",
          "[imports]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-legacy
    remove-symbol: pkg.legacyy.Repo
)yaml";
  TreeRun Run = runOnTree(treeWith("app/main.py", "import os\n"), Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(planNotes(Run) ==
        "4:20: rule 'drop-legacy': symbol 'pkg.legacyy.Repo' not found: module "
        "'pkg' (pkg/__init__.py) does not define 'legacyy.Repo'; did you mean "
        "'pkg.legacy.Repo'?\n");
}

TEST_CASE("a rule that matches nothing gets a note at its operation",
          "[imports]") {
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-repo
    remove-symbol: pkg.legacy.Repo
  - id: drop-debug
    remove-calls: { callee: log.debug }
)yaml";
  TreeRun Run = runOnTree(treeWith("app/main.py", "import os\n"), Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(planNotes(Run) == "6:5: rule 'drop-debug' matches no call of 'log.debug'\n");
}

TEST_CASE("a plan whose definitions are gone still removes a use that comes "
          "back with its import",
          "[imports]") {
  // The plan ran before: pkg/legacy.py has no Repo any more. Someone brings
  // back a use; the hook must catch it.
  Tree T = treeWith("app/main.py", py(R"py(
from pkg.legacy import Repo, helper


def run():
    Repo().save()
    return helper()


def make(pooled):
    return Repo() if pooled else None
)py"));
  T["pkg/legacy.py"] = "def helper():\n    return 1\n";
  TreeRun Run = runOnTree(T, RemoveRepo);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After.at("app/main.py") == py(R"py(
from pkg.legacy import helper


def run():
    return helper()


def make(pooled):
    return Repo() if pooled else None
)py"));
  CHECK(Run.diagnostics() ==
        "app/main.py:10:12: 'Repo' is removed by the plan but this use cannot "
        "be removed safely [drop-legacy]\n"
        "plan.yaml:4:20: rule 'drop-legacy': symbol 'pkg.legacy.Repo' not "
        "found: module 'pkg.legacy' (pkg/legacy.py) does not define 'Repo' "
        "[plan]\n");
}

TEST_CASE("a use of a removed symbol that no binding explains is a use of it, "
          "unless a builtin or a star import may bind it",
          "[imports]") {
  // What the first run leaves: the import went, a leftover stayed.
  std::string Input = py(R"py(
def run():
    Repo().save()
    return wrap(Repo)
)py");
  Tree T = treeWith("app/main.py", Input);
  TreeRun Run = runOnTree(T, RemoveRepo);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After.at("app/main.py") == py(R"py(
def run():
    return wrap(Repo)
)py"));
  CHECK_THAT(Run.diagnostics(),
             Contains("app/main.py:3:17: 'Repo' is removed by the plan"));

  std::string Starred = "from pkg.other import *\n\n" + Input;
  CHECK(afterPlan(treeWith("app/main.py", Starred), RemoveRepo, "app/main.py") ==
        Starred);
  const char *RemoveOpen = R"yaml(plan: t
rules:
  - id: drop-open
    remove-symbol: pkg.legacy.open
)yaml";
  Tree WithOpen = treeWith("app/main.py", "def run(p):\n    open(p).close()\n");
  WithOpen["pkg/legacy.py"] = "def open(p):\n    return p\n";
  CHECK(afterPlan(WithOpen, RemoveOpen, "app/main.py") ==
        "def run(p):\n    open(p).close()\n");
}

TEST_CASE("a plan removes a symbol of a package named build, and its uses",
          "[imports]") {
  // Build output is skipped, but a package named build is code (pip has
  // pip/_internal/operations/build/).
  Tree T = {
      {"pkg/__init__.py", ""},
      {"pkg/build/__init__.py", ""},
      {"pkg/build/wheel.py", "def build_wheel(path):\n    return path\n\n\n"
                             "def keep():\n    return 1\n"},
      {"pkg/cli.py", py(R"py(
from pkg.build.wheel import build_wheel, keep


def run(p):
    build_wheel(p)
    return keep()
)py")},
  };
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-wheel
    remove-symbol: pkg.build.wheel.build_wheel
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics() == "");
  CHECK(Run.After.at("pkg/build/wheel.py") == "def keep():\n    return 1\n");
  CHECK(Run.After.at("pkg/cli.py") == py(R"py(
from pkg.build.wheel import keep


def run(p):
    return keep()
)py"));
}

TEST_CASE("an import of a name a removed module re-exports from elsewhere goes "
          "with the module",
          "[imports]") {
  // base.py re-exports sqlite3's dbapi2; once base.py is deleted the import
  // through it fails, whatever it named.
  Tree T = {
      {"app/__init__.py", ""},
      {"app/db/__init__.py", ""},
      {"app/db/base.py", "from sqlite3 import dbapi2 as Database\n\n\n"
                         "class Wrapper:\n    pass\n"},
      {"app/adapter.py", py(R"py(
from app.db.base import Database


class Adapter:
    def conform(self, protocol):
        if protocol is Database.PrepareProtocol:
            return str(self)
)py")},
  };
  const char *Plan = R"yaml(plan: t
rules:
  - id: drop-base
    remove-module: app.db.base
)yaml";
  TreeRun Run = runOnTree(T, Plan);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.After.count("app/db/base.py") == 0);
  CHECK(Run.After.at("app/adapter.py").find("import Database") == std::string::npos);
  CHECK_THAT(Run.diagnostics(),
             Contains("app/adapter.py:6:24: 'Database.PrepareProtocol' is removed "
                      "by the plan"));
}

TEST_CASE("an __all__ tuple left with one name keeps a comma after it",
          "[imports]") {
  // `("helper")` is a string: `from pkg.legacy import *` would export its
  // letters.
  auto After = [](const std::string &Exports) {
    Tree T = treeWith("app/main.py", "import os\n");
    T["pkg/legacy.py"] = Exports + "\n\nclass Repo:\n    pass\n\n\ndef helper():\n"
                                   "    return 1\n";
    std::string Out = afterPlan(T, RemoveRepo, "pkg/legacy.py");
    return Out.substr(0, Out.find("\n\n"));
  };
  CHECK(After(R"(__all__ = ("helper", "Repo"))") == R"(__all__ = ("helper",))");
  CHECK(After(R"(__all__ = ("Repo", "helper"))") == R"(__all__ = ("helper",))");
  CHECK(After(R"(__all__ = ("helper", "Repo",))") == R"(__all__ = ("helper",))");
  CHECK(After(R"(__all__ = ["helper", "Repo"])") == R"(__all__ = ["helper"])");
  CHECK(After("__all__ = (\n    \"helper\",\n    \"Repo\",\n)") ==
        "__all__ = (\n    \"helper\",\n)");
}

TEST_CASE("a del of removed things goes; a del that also names kept things is "
          "a leftover",
          "[imports]") {
  std::string Input = py(R"py(
from pkg.legacy import Repo


def run(cache, key):
    repo = Repo()
    repo.save()
    del repo
    del Repo.registry[key], cache[key]
    return key
)py");
  TreeRun Run = runOnTree(treeWith("app/main.py", Input), RemoveRepo);
  REQUIRE(Run.ErrorMessage.empty());
  // The import goes with the removed class, as always; the leftover says
  // where the use is that needs a hand.
  CHECK(Run.After.at("app/main.py") == py(R"py(
def run(cache, key):
    del Repo.registry[key], cache[key]
    return key
)py"));
  CHECK(Run.diagnostics() ==
        "app/main.py:8:9: 'Repo.registry' is removed by the plan but this use "
        "cannot be removed safely [drop-legacy]\n");
}
