//===- Scopes.h - Python's binding rules for one file -----------*- C++ -*-===//
//
// Builds the scopes of a parsed file (module, class, function, lambda,
// comprehension), the names each binds and where, and resolves every name
// reference to the scope whose binding it sees, following Python's rules:
// names bound anywhere in a function are local to it, class scopes are not
// visible from their methods, `global` and `nonlocal` redirect bindings.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_SCOPES_H
#define EXCISE_SEMANTICS_SCOPES_H

#include "python/SyntaxTree.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace excise {

enum class BindingKind {
  Import,     ///< `import a.b`, `import a.b as c`.
  ImportFrom, ///< `from m import x [as y]`, relative or not.
  Function,   ///< `def`, `async def`.
  Class,
  Assignment, ///< `=`, `:=`, augmented assignment, annotated assignment.
  Parameter,
  Other,      ///< for targets, with/except targets, ...
};

struct Scope;

/// One place where a name is bound.
struct Binding {
  std::string Name;
  BindingKind Kind = BindingKind::Other;
  Node NameNode;  ///< The identifier, or the import item (aliased or dotted).
  Node Statement; ///< The statement that binds it (import, def, assignment...).
  /// For imports: the dotted module or `module.name` the binding refers to,
  /// relative imports already resolved. Empty when it cannot be resolved.
  std::string ImportTarget;
  Scope *Owner = nullptr;
};

struct Scope {
  enum KindType { Module, Class, Function, Lambda, Comprehension } Kind;
  Node Owner; ///< The module, class_definition, function_definition, ...
  Scope *Parent = nullptr;
  std::string Name; ///< The class or function name; empty otherwise.
  llvm::StringMap<std::vector<Binding *>> Names;
  llvm::StringMap<bool> Globals;   ///< Names declared `global` here.
  llvm::StringMap<bool> Nonlocals; ///< Names declared `nonlocal` here.
  std::vector<Scope *> Children;

  /// The bindings of \p Name in this scope, or null.
  const std::vector<Binding *> *lookupLocal(llvm::StringRef Name) const;
};

/// A name used in load position, and the scope whose binding it resolves to
/// (null for builtins and undefined names).
struct Reference {
  Node Identifier;
  Scope *From = nullptr;     ///< The scope the reference appears in.
  Scope *Resolved = nullptr; ///< Where its binding lives, or null.
};

/// A name read in text the parser does not look into: a string annotation
/// (`def f(r: "Repo")`, `x: List["Repo"] = []`) or a type comment
/// (`# type: (Repo) -> None`). Type checkers resolve it where it stands,
/// like a read there; the first segment of a dotted name is the read.
struct TextReference {
  unsigned Offset = 0;
  llvm::StringRef Name; ///< Into the source.
  Scope *From = nullptr;
  Scope *Resolved = nullptr;
};

/// Resolves a relative import: \p Level dots and the optional \p Module after
/// them, seen from the module \p Importer (`pkg.sub.mod`, or `pkg.sub` for a
/// package's `__init__`; \p ImporterIsPackage says which).
std::string resolveRelativeModule(llvm::StringRef Importer,
                                  bool ImporterIsPackage, unsigned Level,
                                  llvm::StringRef Module);

/// The absolute module that the import_from_statement \p Stmt imports from,
/// relative imports resolved as seen from \p Importer; empty when a relative
/// import cannot be resolved (the file is outside the import root).
std::string importedModule(Node Stmt, llvm::StringRef Source,
                           llvm::StringRef Importer, bool ImporterIsPackage);

/// Nodes the analysis looks up by kind, in source order: gathered by the
/// walk that builds the scopes, so that no other walk is needed for them.
struct IndexedNodes {
  std::vector<Node> Attributes;  ///< Every `attribute`.
  std::vector<Node> Assignments; ///< Every assignment and augmented assignment.
  std::vector<Node> Strings;     ///< Every `string`.
};

class ScopeTree {
public:
  /// Analyses \p Root (a `module` node) of a file whose text is \p Source and
  /// whose dotted module name is \p ModuleName (empty when the file is not
  /// under the import root). The tree and text must outlive the ScopeTree.
  /// With \p Index, also gathers the nodes it holds. The walk recurses along
  /// the tree; it enters no node more than \p DepthLimit levels down, and
  /// truncated() says whether it had to stop.
  ScopeTree(Node Root, llvm::StringRef Source, std::string ModuleName,
            bool IsPackage, IndexedNodes *Index = nullptr, unsigned DepthLimit = ~0u);

  /// The most nested node the walk entered, in levels below the root: never
  /// more than the tree's depth. The walk enters every node but leaves
  /// (identifiers, comments, string contents), import statements' parts and
  /// the containers of parameters, decorators and comprehension clauses, none
  /// more than two levels in a row, so the tree is at most three times plus
  /// four as deep.
  unsigned depthSeen() const { return DepthSeen; }
  bool truncated() const { return Truncated; }

  Scope &module() const { return *Scopes.front(); }
  const std::vector<std::unique_ptr<Scope>> &scopes() const { return Scopes; }
  const std::vector<std::unique_ptr<Binding>> &bindings() const {
    return Bindings;
  }
  const std::vector<Reference> &references() const { return References; }
  /// The names read in string annotations and type comments, in source
  /// order.
  const std::vector<TextReference> &textReferences() const { return TextReferences; }

  /// The reference record of identifier \p N, or null when N is not a
  /// reference (a binding, an attribute name, a keyword...).
  const Reference *referenceAt(Node N) const;
  /// The bindings the reference sees: all bindings of its name in the scope
  /// it resolves to. Empty for builtins and undefined names.
  llvm::ArrayRef<Binding *> bindingsOf(const Reference &R) const;
  /// The binding whose name node (identifier or import item) is \p N, or
  /// null when \p N binds nothing.
  const Binding *bindingAt(Node N) const;
  /// The innermost scope whose owner contains \p N.
  Scope *scopeAt(Node N) const;

  llvm::StringRef source() const { return Source; }
  llvm::StringRef moduleName() const { return ModuleName; }

private:
  class Builder;
  llvm::StringRef Source;
  std::string ModuleName;
  bool IsPackage;
  std::vector<std::unique_ptr<Scope>> Scopes;
  std::vector<std::unique_ptr<Binding>> Bindings;
  std::vector<Reference> References;
  std::vector<TextReference> TextReferences;
  llvm::DenseMap<uintptr_t, unsigned> ReferenceIndex;
  llvm::DenseMap<uint64_t, Binding *> BindingIndex;
  llvm::DenseMap<uintptr_t, Scope *> ScopeOfOwner;
  unsigned DepthSeen = 0;
  bool Truncated = false;
};

} // namespace excise

#endif
