//===- BindingFacts.h - What one file's names resolve to --------*- C++ -*-===//
//
// The binding invariant compares a file before and after the plan: every name
// that resolved before must resolve after, or be a reported leftover. These
// are the facts of one text that the comparison needs, read off its scopes:
// the reads that no binding reaches, the names the module binds at its top
// level, the modules it imports with `*`, and the names it takes from other
// project modules (`from m import X`, `m.X`, `m.sub.X`).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_INVARIANT_BINDINGFACTS_H
#define EXCISE_INVARIANT_BINDINGFACTS_H

#include "python/ModuleIndex.h"
#include "semantics/Project.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace excise {

/// A read of a name that no binding reaches: no scope binds it (and it is no
/// builtin), or the scope that binds it does so only after the read and not
/// in a loop around it.
struct UnboundRead {
  unsigned Offset = 0;
  std::string Name;
  /// The scope binds the name, later: at run time "may be unbound"
  /// (UnboundLocalError) rather than a NameError.
  bool BoundLater = false;
};

/// A name taken from another project module: `from Module import Name`, or
/// `Module.Name` through an import of Module (or of a package above it).
struct ModuleUse {
  unsigned Offset = 0; ///< Of the imported name, or of the whole `m.X`.
  std::string Module;
  std::string Name;
  bool IsImport = false; ///< `from Module import Name`; else an attribute.
  /// For an import at the top level: the name it binds, which the module
  /// then passes on to its own importers.
  std::string BoundAs;
};

struct BindingFacts {
  std::vector<UnboundRead> Unbound; ///< In source order.
  /// Names the module binds at its top level (or through `global`), each
  /// with the offset of its first binding.
  llvm::StringMap<unsigned> ModuleNames;
  /// Project modules imported with `from M import *` at the top level.
  std::vector<std::string> StarModules;
  std::vector<ModuleUse> Uses; ///< In source order.
};

/// True when every path through the code of \p Read's own scope to the
/// read runs a statement that binds its name: a parameter, a binding
/// statement before it in a block that holds it, or an `if`/`elif`/`else`,
/// `try`/`except`, `with` before it all of whose paths bind it or leave.
/// False for reads in nested functions, lambdas and comprehensions.
/// Bindings for which \p Ignored answers true are not counted.
bool definitelyBound(const ParsedFile &File, const Reference &Read,
                     llvm::function_ref<bool(const Binding *)> Ignored = nullptr);

/// The facts of \p File, which must have parsed; module names are resolved
/// against \p Modules.
BindingFacts bindingFacts(const ParsedFile &File, const ModuleIndex &Modules);

} // namespace excise

#endif
