//===- ScopeWalkTest.cpp - What the scope walk gathers and measures -------===//
//
// Project::parse walks each tree once, building the scopes; the same walk
// gathers the attributes, assignments and strings the analysis looks up, and
// measures how deep the tree goes. These tests hold it to a walk of every
// node: the same nodes in the same order, and the same verdict on depth.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "semantics/Project.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace excise;
using excise::test::repeat;

namespace {

using Ranges = std::vector<std::pair<unsigned, unsigned>>;

Ranges rangesOf(const std::vector<Node> &Nodes) {
  Ranges R;
  for (Node N : Nodes)
    R.emplace_back(N.start(), N.end());
  return R;
}

/// The nodes of the three kinds, from a walk of every node in source order.
struct EveryNode {
  Ranges Attributes, Assignments, Strings;
  unsigned Depth = 0;
};

EveryNode walkEveryNode(const SyntaxTree &Tree) {
  EveryNode E;
  E.Depth = Tree.depth([&](Node N) {
    llvm::StringRef Kind = N.kind();
    if (Kind == "attribute")
      E.Attributes.emplace_back(N.start(), N.end());
    else if (Kind == "assignment" || Kind == "augmented_assignment")
      E.Assignments.emplace_back(N.start(), N.end());
    else if (Kind == "string")
      E.Strings.emplace_back(N.start(), N.end());
  });
  return E;
}

/// Parses \p Text as pkg/mod.py and checks the gathered nodes against a walk
/// of every node.
void checkGathered(const std::string &Text, const std::string &What) {
  INFO(What);
  ModuleIndex Modules("", {"pkg/__init__.py", "pkg/mod.py"});
  auto F = Project::parse(SourceFile("pkg/mod.py", Text), Modules);
  REQUIRE(F->parsed());
  EveryNode E = walkEveryNode(*F->Tree);
  CHECK(rangesOf(F->Attributes) == E.Attributes);
  CHECK(rangesOf(F->Assignments) == E.Assignments);
  CHECK(rangesOf(F->Strings) == E.Strings);
}

} // namespace

TEST_CASE("the scope walk gathers every attribute, assignment and string, in "
          "source order, wherever the syntax puts them",
          "[semantics]") {
  const std::pair<const char *, const char *> Cases[] = {
      {"comprehension targets before their body",
       "rows = [f(r.a, 'k') for r.b in self.items if r.c == \"x\"]\n"
       "index = {k.name: v for k, v.attr in pairs}\n"},
      {"decorators, defaults, annotations and return types",
       "@app.route('/items', methods=['GET'])\n"
       "@retry(times=config.RETRIES)\n"
       "async def handler(req: web.Request, limit: int = settings.LIMIT,\n"
       "                  *args: 'typing.Any', key=lambda r=defaults.row: r.id,\n"
       "                  **kw) -> 'web.Response':\n"
       "    total = 0\n"
       "    total += req.query.count\n"
       "    return total\n"},
      {"type parameters and type aliases",
       "class Box[T: base.Item, *Ts, **P](Generic, metaclass=meta.Meta):\n"
       "    value: T = 'empty'\n"
       "def first[K: (str, 'bytes'), V: models.Row](xs: dict[K, V]) -> V: ...\n"
       "type Alias[T: shapes.Shape] = list[T] | 'other.Shape'\n"},
      {"targets of every shape",
       "a = b = obj.attr = 'x'\n"
       "(c, [d.e, *f.g]), h['k'] = pairs\n"
       "for i.j, (k, l.m) in rows:\n"
       "    pass\n"
       "else:\n"
       "    done.flag = True\n"
       "with open('p') as fh, ctx.lock as (x.y, z):\n"
       "    n = (w := q.r)\n"
       "try:\n"
       "    pass\n"
       "except (errors.A, errors.B) as exc:\n"
       "    exc.note = f'{exc.args[0]!r:>{width.value}} {\"inner\"}'\n"},
      {"match statements, globals and deletions",
       "def f(cmd):\n"
       "    global STATE\n"
       "    match cmd.kind:\n"
       "        case 'stop' | \"halt\":\n"
       "            STATE = cmd.ctx.state\n"
       "        case Point(x=0, y=limits.Y) if cmd.extra.on:\n"
       "            del cmd.cache['point'], cmd.tmp\n"
       "        case {'key': value, **rest}:\n"
       "            print(value.text, rest)\n"},
      {"imports, strings beside them and nested functions",
       "'''Module docstring.'''\n"
       "from __future__ import annotations\n"
       "import os.path as osp, json\n"
       "from .db import (Repo as R,  # comment\n"
       "    helper)\n"
       "def outer():\n"
       "    x = 'a' 'b' f'{osp.sep}'\n"
       "    def inner(y=x.upper()):\n"
       "        nonlocal x\n"
       "        x = y.strip()\n"
       "    return inner\n"},
  };
  for (const auto &[What, Text] : Cases)
    checkGathered(Text, What);
}

TEST_CASE("the scope walk gathers the same nodes as a walk of every node on "
          "every example service file",
          "[semantics]") {
  std::error_code EC;
  unsigned Files = 0;
  for (llvm::sys::fs::recursive_directory_iterator
           It(EXCISE_SOURCE_DIR "/examples", EC),
       End;
       It != End && !EC; It.increment(EC)) {
    if (llvm::sys::path::extension(It->path()) != ".py")
      continue;
    auto Buffer = llvm::MemoryBuffer::getFile(It->path());
    REQUIRE(Buffer);
    checkGathered((*Buffer)->getBuffer().str(), It->path());
    ++Files;
  }
  REQUIRE(!EC);
  CHECK(Files > 20);
}

TEST_CASE("a tree nested around the depth limit where the scope walk sees "
          "only a third of the levels gets the exact depth's verdict",
          "[semantics]") {
  // Each lambda is entered by the walk; its parameter list and the default
  // parameter are not: three tree levels per level the walk counts.
  ModuleIndex Modules("", {"pkg/__init__.py", "pkg/mod.py"});
  for (unsigned N : {10u, 300u, 490u, 499u, 500u, 501u, 510u, 700u}) {
    std::string Text = "f = " + repeat("lambda a=", N) + "0" + repeat(": a", N) + "\n";
    INFO("lambdas nested " << N << " deep");
    auto Tree = SyntaxTree::parse(Text);
    REQUIRE(static_cast<bool>(Tree));
    REQUIRE(!Tree->hasErrors());
    unsigned Depth = Tree->depth();
    auto F = Project::parse(SourceFile("pkg/mod.py", Text), Modules);
    if (Depth > ParsedFile::MaxDepth) {
      CHECK(F->TooDeep == Depth);
      CHECK(!F->parsed());
    } else {
      CHECK(F->TooDeep == 0);
      CHECK(F->parsed());
    }
  }
}

TEST_CASE("a tree deeper than the first scope walk goes but within the limit "
          "is walked whole",
          "[semantics]") {
  // A call and its argument list are both entered: 650 nested calls are
  // some 1,300 levels, past the first walk's stop at 500 and within 1,500.
  std::string Text = "X = " + repeat("f(", 650) + "y.attr" + repeat(")", 650) + "\n";
  ModuleIndex Modules("", {"pkg/__init__.py", "pkg/mod.py"});
  auto F = Project::parse(SourceFile("pkg/mod.py", Text), Modules);
  REQUIRE(F->parsed());
  EveryNode E = walkEveryNode(*F->Tree);
  CHECK(E.Depth > ParsedFile::MaxDepth / 3);
  CHECK(E.Depth <= ParsedFile::MaxDepth);
  CHECK(rangesOf(F->Attributes) == E.Attributes);
  CHECK(rangesOf(F->Attributes).size() == 1);
  CHECK(F->Scopes->depthSeen() > ParsedFile::MaxDepth / 3);
  CHECK(!F->Scopes->truncated());
}
