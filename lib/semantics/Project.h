//===- Project.h - Parsed files and the lazy project-wide index -*- C++ -*-===//
//
// The cascade in one file needs a little of the rest of the project: what a
// package re-exports (`from .db import Repo` in `pkg/__init__.py` makes
// `pkg.Repo` mean `pkg.db.Repo`), which classes inherit from which, and what a
// module defines. Project answers those questions from per-module summaries
// that it builds on first use, by parsing the module's file once and keeping
// only the summary. A module asked about a name its text does not contain is
// not parsed at all: its words answer (most questions are of this kind, such
// as whether `pkg/__init__.py` re-exports a name a file imports through it).
// Memory stays bounded by the modules actually consulted, not by the tree.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_PROJECT_H
#define EXCISE_SEMANTICS_PROJECT_H

#include "python/ModuleIndex.h"
#include "python/SyntaxTree.h"
#include "semantics/Scopes.h"
#include "source/SourceFile.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace excise {

/// A Python file of the tree, parsed and scoped. Owns its text and tree.
struct ParsedFile {
  explicit ParsedFile(SourceFile S) : Source(std::move(S)) {}

  SourceFile Source;
  std::optional<SyntaxTree> Tree;
  std::unique_ptr<ScopeTree> Scopes; ///< Null when the file has syntax errors.
  std::string Module;                ///< "" when outside the import root.
  bool IsPackage = false;
  Node FirstError; ///< Set when the file does not parse.
  /// Set when the tree is nested deeper than MaxDepth (to the tree's depth)
  /// or the text is indented more than SyntaxTree::MaxIndentationLevels (to
  /// the levels): such a file is reported and not analysed, since the
  /// analysis recurses along the tree and the parser cannot take it.
  unsigned TooDeep = 0;
  static constexpr unsigned MaxDepth = 1500;
  /// Every `attribute` node, every assignment and augmented assignment, and
  /// every string, in source order: gathered by the walk that builds the
  /// scopes, for the analysis, which would otherwise walk the tree again.
  std::vector<Node> Attributes, Assignments, Strings;

  bool parsed() const { return Scopes != nullptr; }
};

/// What the rest of the project needs to know about one module.
struct ModuleSummary {
  /// Module-level names bound by `from X import Y [as Z]`: Z -> X.Y.
  llvm::StringMap<std::string> Exports;
  /// Modules imported with `from M import *` at the top level, in order.
  std::vector<std::string> Stars;
  /// Classes defined in the module (qualified) -> their bases, qualified as
  /// written through the module's imports (not yet canonical).
  llvm::StringMap<std::vector<std::string>> Bases;
  bool Parsed = false; ///< False when the file has syntax errors.

  /// Builds the summary of \p File.
  static ModuleSummary of(const ParsedFile &File);
};

class Project {
public:
  /// \p Root is the tree's root in \p FS; files are read from there on demand.
  Project(ModuleIndex Modules, llvm::vfs::FileSystem &FS, std::string Root);

  /// Reads, parses and scopes \p File (relative to the root); safe to call
  /// from many threads.
  static std::unique_ptr<ParsedFile> parse(SourceFile File,
                                           const ModuleIndex &Modules);

  /// Parses and scopes \p NewText, which is \p Before's text with \p Edits
  /// (sorted, non-overlapping) applied, reusing Before's tree.
  static std::unique_ptr<ParsedFile> reparse(const ParsedFile &Before, std::string NewText,
                                             llvm::ArrayRef<TextEdit> Edits,
                                             const ModuleIndex &Modules);

  const ModuleIndex &modules() const { return Modules; }

  /// The summary of \p Module, built on first use; null when the module has
  /// no file or cannot be read. Thread-safe.
  const ModuleSummary *summary(llvm::StringRef Module) const;
  /// The summary of \p Module when it may bind \p Name (a name of the
  /// module's top level, a class's first segment): null also when the
  /// module's text does not contain \p Name as a word. Such a module neither
  /// defines nor re-exports it, and is not parsed to learn so: the words of a
  /// module without a summary are kept instead, a set per module consulted.
  const ModuleSummary *summaryBinding(llvm::StringRef Module,
                                      llvm::StringRef Name) const;
  /// The dotted names \p Module defines at its top level and in its
  /// top-level classes (`Repo`, `Repo.save`, `CONSTANT`), read on first use;
  /// null when its file cannot be read or has syntax errors. Only the plan's
  /// targets need them: kept in every summary, they were half the memory of
  /// the summaries of a whole-tree run. Thread-safe.
  const llvm::StringSet<> *definitions(llvm::StringRef Module) const;
  /// How a class defines one of its members (memberKind).
  enum class MemberKind {
    Absent,          ///< Not defined in the class body, or not known.
    Method,          ///< Only `def`s in the class body.
    ExtendingMethod, ///< A `def` that calls `super().member(...)`: it
                     ///< extends an inherited method.
    Other,           ///< Some other binding of the class body.
  };
  /// How the class \p Cls (qualified: a top-level class of a project module)
  /// defines \p Member in its body; Absent as well when \p Cls is not such
  /// a class. Read with definitions(). Thread-safe.
  MemberKind memberKind(llvm::StringRef Cls, llvm::StringRef Member) const;
  /// Offers the summary of a file already parsed for other reasons, so that
  /// it is not parsed twice. Thread-safe.
  void offer(const ParsedFile &File) const;
  /// \p Module's file read and parsed anew, owned by the caller; null when it
  /// has none or cannot be read. Thread-safe; its tree comes from the
  /// calling thread's TreeMemoryScope, if one is open.
  std::unique_ptr<ParsedFile> parseModule(llvm::StringRef Module) const;

  /// Follows re-exports: `pkg.Repo` where `pkg/__init__.py` does
  /// `from .db import Repo` becomes `pkg.db.Repo`.
  std::string canonical(llvm::StringRef Name) const;
  /// True when \p Name is a class defined in the project.
  bool isClass(llvm::StringRef Name) const;
  /// The classes \p Name inherits from, transitively, nearest first, without
  /// \p Name itself.
  std::vector<std::string> ancestors(llvm::StringRef Name) const;

  /// The qualified name of the class or function owning scope \p S
  /// (`pkg.mod.Class.method`), or "" for scopes that have none.
  static std::string qualifiedName(const ParsedFile &F, const Scope &S);

private:
  /// Scopes \p File, whose tree is made; nothing when it has errors or is
  /// too deep (TooDeep says so).
  static void scope(ParsedFile &File);

  /// What definitions() and memberKind() read from a module, together.
  struct ModuleDefinitions {
    llvm::StringSet<> Names; ///< As definitions() returns them.
    /// `Cls.member` of the members of top-level classes that are not
    /// Absent, with their kind.
    llvm::StringMap<MemberKind> Members;
  };
  /// The definitions of \p Module, read on first use; null as for
  /// definitions().
  const ModuleDefinitions *moduleDefinitions(llvm::StringRef Module) const;
  /// What \p File, which parsed, defines.
  static std::unique_ptr<ModuleDefinitions> readDefinitions(const ParsedFile &File);

  ModuleIndex Modules;
  llvm::vfs::FileSystem &FS;
  std::string Root;
  mutable std::mutex Lock;
  mutable llvm::StringMap<std::unique_ptr<ModuleSummary>> Summaries;
  mutable llvm::StringMap<std::unique_ptr<ModuleDefinitions>> Definitions;
  /// Stands in a module's words for `import *`, which may bind any name.
  static constexpr llvm::StringLiteral StarWord = "*";
  /// The words of modules consulted before their summary was built.
  mutable llvm::StringMap<std::unique_ptr<llvm::StringSet<>>> Words;
};

} // namespace excise

#endif
