//===- FuzzRemoval.cpp - libFuzzer target for the whole removal pipeline --===//
//
// The input is a choice followed by a Python source:
//
//   byte 0     which things of pkg/legacy.py go: bit 0 Repo, bit 1 helper,
//              bit 2 CONST, bit 3 Repo.load, bit 4 the whole module instead,
//              bit 5 adds a remove-calls rule for `logger.info`, bit 6 also
//              runs with two jobs and compares.
//   bytes 1-2  a mask over the first 16 names the source defines at its top
//              level (functions, classes, methods of top-level classes,
//              assigned names; no dunder names), in source order: those go
//              too.
//   the rest   the source, as pkg/mod.py.
//
// The tree also holds pkg/legacy.py and pkg/client.py, which use the legacy
// names, and pkg/mod.py is free to use them as well. Every rule is optional,
// so that the plan always loads and a second run finds nothing to do.
//
// Invariants, each a trap when broken:
//   - nothing crashes (the sanitizers watch memory and undefined behaviour);
//   - every edit lies inside its file, edits are sorted and disjoint, and
//     applying them to the old text gives the new text;
//   - a file that parsed before parses after, and the engine never has to
//     fall back on its own "internal error" refusal;
//   - a source that does not parse is never edited;
//   - running the plan again on its own output changes nothing;
//   - with bit 6, one job and two jobs give the same changes.
//
//===----------------------------------------------------------------------===//
#include "driver/Run.h"
#include "plan/Plan.h"
#include "python/Builtins.h"
#include "python/SyntaxTree.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace excise;

namespace {

using Tree = std::map<std::string, std::string>;

const char *const LegacySource = R"py(import logging

logger = logging.getLogger(__name__)


class Repo:
    def save(self):
        logger.info("saved")

    def load(self):
        return 1


def helper():
    return 1


CONST = 1
)py";

const char *const ClientSource = R"py(from pkg.legacy import CONST, Repo, helper
from pkg import legacy


def use():
    repo = Repo()
    repo.save()
    helper()
    legacy.logger.info("used %s", CONST)
    return repo.load()
)py";

/// Stops the run with a message that says which invariant broke.
[[noreturn]] void violated(const char *What, const std::string &Detail = "") {
  std::fprintf(stderr, "invariant violated: %s\n%s\n", What, Detail.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

/// True for an ASCII Python 3 identifier that is not a keyword: the names a
/// plan can spell. (tree-sitter-python also takes `async`, `await` and the
/// like as names, as Python 2 and 3.6 did.)
bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  for (char C : S)
    if (!(llvm::isAlnum(C) || C == '_'))
      return false;
  return !isPythonKeyword(S);
}

/// The names \p Source defines at its top level, in source order: functions,
/// classes, methods of those classes (as `Class.method`), assigned names.
std::vector<std::string> topLevelNames(const SyntaxTree &T,
                                       llvm::StringRef Source) {
  std::vector<std::string> Names;
  // Dunder names (`__all__`, `__version__`) are the module's protocol, not
  // things a plan removes.
  auto Add = [&](llvm::StringRef Name) {
    if (isIdentifier(Name) && Name != "_" &&
        !(Name.startswith("__") && Name.endswith("__")))
      Names.push_back(Name.str());
  };
  for (Node S : T.root().namedChildren()) {
    Node Def = S.is("decorated_definition") ? S.field("definition") : S;
    if (Def.is("function_definition")) {
      Add(Def.field("name").text(Source));
    } else if (Def.is("class_definition")) {
      llvm::StringRef Class = Def.field("name").text(Source);
      Add(Class);
      if (!isIdentifier(Class))
        continue;
      if (Node Body = Def.field("body"))
        for (Node M : Body.namedChildren()) {
          Node MDef = M.is("decorated_definition") ? M.field("definition") : M;
          if (MDef.is("function_definition"))
            if (llvm::StringRef Name = MDef.field("name").text(Source);
                isIdentifier(Name))
              Names.push_back(Class.str() + "." + Name.str());
        }
    } else if (S.is("expression_statement") && S.namedChildCount() == 1 &&
               S.namedChild(0).is("assignment")) {
      if (Node Left = S.namedChild(0).field("left"); Left.is("identifier"))
        Add(Left.text(Source));
    }
    if (Names.size() >= 16)
      break;
  }
  return Names;
}

std::string yamlList(const std::vector<std::string> &Items) {
  std::string S = "[";
  for (size_t I = 0; I < Items.size(); ++I)
    S += (I ? ", " : "") + Items[I];
  return S + "]";
}

/// The plan the choice bytes describe, or "" when it removes nothing.
std::string planFor(uint8_t Legacy, uint16_t ModMask,
                    const std::vector<std::string> &ModNames) {
  std::string Rules;
  if (Legacy & 0x10) {
    Rules += "  - id: drop-legacy-module\n"
             "    optional: true\n"
             "    remove-module: pkg.legacy\n";
  } else {
    std::vector<std::string> Symbols;
    const char *const Names[] = {"pkg.legacy.Repo", "pkg.legacy.helper",
                                 "pkg.legacy.CONST", "pkg.legacy.Repo.load"};
    for (unsigned I = 0; I < 4; ++I)
      if (Legacy & (1u << I))
        Symbols.push_back(Names[I]);
    if (!Symbols.empty())
      Rules += "  - id: drop-legacy\n"
               "    optional: true\n"
               "    remove-symbol: " +
               yamlList(Symbols) + "\n";
  }
  std::vector<std::string> Mine;
  for (size_t I = 0; I < ModNames.size() && I < 16; ++I)
    if (ModMask & (1u << I))
      Mine.push_back("pkg.mod." + ModNames[I]);
  if (!Mine.empty())
    Rules += "  - id: drop-mod\n"
             "    optional: true\n"
             "    remove-symbol: " +
             yamlList(Mine) + "\n";
  if (Legacy & 0x20)
    Rules += "  - id: drop-calls\n"
             "    optional: true\n"
             "    remove-calls: { callee: logger.info }\n";
  if (Rules.empty())
    return "";
  return "plan: fuzz\nrules:\n" + Rules;
}

/// Runs \p P over \p Files in memory into \p Out. Plan errors and edit
/// conflicts are refusals, not crashes: they make it return false.
bool runOver(const Plan &P, const Tree &Files, unsigned Jobs, RunResult &Out) {
  llvm::vfs::InMemoryFileSystem FS;
  FS.setCurrentWorkingDirectory("/repo");
  for (const auto &[Path, Content] : Files)
    FS.addFile("/repo/" + Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Content));
  RunOptions Options;
  Options.Root = "/repo";
  Options.Jobs = Jobs;
  auto Result = runPlan(P, FS, Options);
  if (!Result) {
    llvm::consumeError(Result.takeError());
    return false;
  }
  Out = std::move(*Result);
  return true;
}

/// \p Files after \p Result's changes.
Tree applied(const Tree &Files, const RunResult &Result) {
  Tree After = Files;
  for (const FileChange &C : Result.Changes) {
    if (!C.OldPath.empty())
      After.erase(C.OldPath);
    if (!C.NewPath.empty())
      After[C.NewPath] = C.NewText;
  }
  return After;
}

bool parsesCleanly(llvm::StringRef Source) {
  auto T = SyntaxTree::parse(Source);
  if (!T) {
    llvm::consumeError(T.takeError());
    return false;
  }
  return !T->hasErrors();
}

void checkEdits(const FileChange &C) {
  if (C.isCreated() || C.isDeleted())
    return;
  if (C.Edits.empty()) {
    if (C.OldText != C.NewText)
      violated("a change without edits alters the text", C.path());
    return;
  }
  std::string Rebuilt;
  unsigned Pos = 0;
  for (const Edit &E : C.Edits) {
    size_t End = size_t(E.offset()) + E.length();
    if (End > C.OldText.size())
      violated("an edit ends past the end of its file", C.path());
    if (E.offset() < Pos)
      violated("edits overlap or are not sorted", C.path());
    Rebuilt.append(C.OldText, Pos, E.offset() - Pos);
    Rebuilt += E.text().str();
    Pos = End;
  }
  Rebuilt.append(C.OldText, Pos, std::string::npos);
  if (Rebuilt != C.NewText)
    violated("the new text is not the old text with the edits applied",
             C.path());
}

bool sameChanges(const RunResult &A, const RunResult &B) {
  if (A.Changes.size() != B.Changes.size())
    return false;
  for (size_t I = 0; I < A.Changes.size(); ++I)
    if (A.Changes[I].OldPath != B.Changes[I].OldPath ||
        A.Changes[I].NewPath != B.Changes[I].NewPath ||
        A.Changes[I].NewText != B.Changes[I].NewText)
      return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size < 3)
    return 0;
  uint8_t Legacy = Data[0];
  uint16_t ModMask = uint16_t(Data[1] | (Data[2] << 8));
  std::string Source(reinterpret_cast<const char *>(Data + 3), Size - 3);

  auto Parsed = SyntaxTree::parse(Source);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return 0;
  }
  bool SourceParses = !Parsed->hasErrors();
  std::vector<std::string> ModNames = topLevelNames(*Parsed, Source);

  std::string PlanText = planFor(Legacy, ModMask, ModNames);
  if (PlanText.empty())
    return 0;
  auto P = parsePlan(PlanText, "fuzz.yaml");
  if (!P)
    violated("the harness wrote a plan excise refuses",
             PlanText + llvm::toString(P.takeError()));

  Tree Files = {{"pkg/__init__.py", ""},
                {"pkg/legacy.py", LegacySource},
                {"pkg/client.py", ClientSource},
                {"pkg/mod.py", Source}};
  RunResult First;
  if (!runOver(*P, Files, 1, First))
    return 0;

  for (const Diagnostic &D : First.Diagnostics)
    if (llvm::StringRef(D.Message).startswith("internal error"))
      violated("the engine refused its own edits", D.File + ": " + D.Message);
  for (const FileChange &C : First.Changes) {
    checkEdits(C);
    if (C.OldPath == "pkg/mod.py" && !SourceParses)
      violated("a file that does not parse was edited");
    bool ParsedBefore = C.OldPath == "pkg/mod.py" ? SourceParses : true;
    if (ParsedBefore && !C.isDeleted() &&
        llvm::StringRef(C.NewPath).endswith(".py") &&
        !parsesCleanly(C.NewText))
      violated("an edited file no longer parses", C.path() + "\n" + C.NewText);
  }

  if (Legacy & 0x40) {
    RunResult Parallel;
    if (!runOver(*P, Files, 2, Parallel) || !sameChanges(First, Parallel))
      violated("two jobs give other changes than one");
  }

  RunResult Second;
  Tree After = applied(Files, First);
  if (!runOver(*P, After, 1, Second))
    violated("the plan fails on its own output");
  if (!Second.Changes.empty()) {
    const FileChange &C = Second.Changes.front();
    violated("a second run changes the output again",
             C.path() + "\n--- after the first run:\n" + C.OldText +
                 "\n--- after the second run:\n" + C.NewText);
  }
  return 0;
}
