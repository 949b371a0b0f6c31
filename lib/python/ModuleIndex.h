//===- ModuleIndex.h - Dotted module names and the files behind them -*- C++ -*-===//
#ifndef EXCISE_PYTHON_MODULEINDEX_H
#define EXCISE_PYTHON_MODULEINDEX_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace excise {

/// Maps dotted module names to the Python files of the tree: module `a.b` is
/// `<import-root>/a/b.py` or the package `<import-root>/a/b/__init__.py`.
class ModuleIndex {
public:
  /// \p ImportRoot is relative to the root ("." for the root itself); \p Files
  /// are the tree's Python files, relative to the root, forward slashes.
  ModuleIndex(llvm::StringRef ImportRoot, const std::vector<std::string> &Files);

  /// The dotted name of the module in \p File, or "" when the file is not
  /// under the import root or its path is not made of identifiers.
  std::string moduleOf(llvm::StringRef File) const;
  /// True when \p File is a package's `__init__.py`.
  static bool isPackageFile(llvm::StringRef File);
  /// The file of \p Module, or "" when the tree has none.
  std::string fileOf(llvm::StringRef Module) const;
  bool hasModule(llvm::StringRef Module) const { return !fileOf(Module).empty(); }
  /// True when \p Module is a package (an `__init__.py`, or a directory of
  /// modules without one).
  bool isPackage(llvm::StringRef Module) const;
  /// Every module of the tree, sorted.
  std::vector<std::string> modules() const { return modulesUnder(""); }
  /// Every module whose name is \p Module or starts with `Module.`.
  std::vector<std::string> modulesUnder(llvm::StringRef Module) const;
  /// The longest prefix of the dotted \p Name that is a module; "" if none.
  std::string longestModulePrefix(llvm::StringRef Name) const;

private:
  std::string ImportRoot;
  llvm::StringMap<std::string> FileOfModule;
  llvm::StringMap<bool> Packages;
};

} // namespace excise

#endif
