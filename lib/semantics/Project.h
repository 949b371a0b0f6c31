//===- Project.h - Every parsed file and the project-wide index -*- C++ -*-===//
#ifndef EXCISE_SEMANTICS_PROJECT_H
#define EXCISE_SEMANTICS_PROJECT_H

#include "python/ModuleIndex.h"
#include "python/SyntaxTree.h"
#include "semantics/Scopes.h"
#include "source/SourceFile.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
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

  bool parsed() const { return Scopes != nullptr; }
};

/// The view of the whole project the cascade needs: which module is in which
/// file, which classes inherit from which, and what packages re-export.
class Project {
public:
  explicit Project(ModuleIndex Modules) : Modules(std::move(Modules)) {}

  /// Parses \p File and builds its scopes; safe to call from many threads.
  static std::unique_ptr<ParsedFile> parse(SourceFile File,
                                           const ModuleIndex &Modules);
  /// Takes a parsed file and records its module, classes and re-exports.
  ParsedFile &add(std::unique_ptr<ParsedFile> File);
  /// Call once every file is added: resolves class bases across files.
  void finish();

  const ModuleIndex &modules() const { return Modules; }
  const std::vector<std::unique_ptr<ParsedFile>> &files() const { return Files; }
  /// The parsed file of \p Module, or null.
  ParsedFile *fileOfModule(llvm::StringRef Module) const;

  /// Follows re-exports: `pkg.Repo` where `pkg/__init__.py` does
  /// `from .db import Repo` becomes `pkg.db.Repo`.
  std::string canonical(llvm::StringRef Name) const;
  /// True when \p Name is a class defined in the project.
  bool isClass(llvm::StringRef Name) const { return Bases.count(Name); }
  /// The classes \p Name inherits from, transitively, nearest first, without
  /// \p Name itself.
  std::vector<std::string> ancestors(llvm::StringRef Name) const;
  /// The project's classes that inherit from \p Name, transitively.
  std::vector<std::string> descendants(llvm::StringRef Name) const;

  /// The qualified name of the class or function owning scope \p S
  /// (`pkg.mod.Class.method`), or "" for scopes that have none.
  static std::string qualifiedName(const ParsedFile &F, const Scope &S);

private:
  ModuleIndex Modules;
  std::vector<std::unique_ptr<ParsedFile>> Files;
  llvm::StringMap<ParsedFile *> ByModule;
  llvm::StringMap<std::string> Exports;
  /// Class -> base expressions as written, qualified where possible.
  llvm::StringMap<std::vector<std::string>> Bases;
  llvm::StringMap<std::vector<std::string>> RawBases;
};

} // namespace excise

#endif
