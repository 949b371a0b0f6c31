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

#include "invariant/MemberFacts.h"
#include "python/ModuleIndex.h"
#include "semantics/CascadeSyntax.h"
#include "semantics/Project.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
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

/// The segments of \p N when it is a chain of identifiers and attributes
/// (`a.b.c`), root first; false otherwise.
bool dottedChain(Node N, llvm::StringRef Src, llvm::SmallVectorImpl<Node> &Parts);

/// The module a reference's bindings all import, when it is a module of the
/// project: `import a.b` binds `a` to a; `import a.b as c` and
/// `from a import b` (b a module) bind to a.b. Imports of modules outside
/// the project among them are passed over. Empty otherwise.
std::string importedModuleOf(llvm::ArrayRef<Binding *> Bindings, const ModuleIndex &Modules);

/// The edit of \p Edits (sorted, non-overlapping) whose replaced range holds
/// \p Offset, or null.
const TextEdit *editAt(llvm::ArrayRef<TextEdit> Edits, unsigned Offset);

/// \p Edits (sorted) of the text \p Src, each edit that only cuts one span
/// out of the text it replaces (an `else` branch dropped from an `if` said
/// again) written as the deletion of that span, so that which words it keeps
/// is known: the same text after, told word by word.
std::vector<TextEdit> asDeletions(llvm::StringRef Src, llvm::ArrayRef<TextEdit> Edits);

/// True when an edit of \p Edits (sorted) takes the node \p N of the text
/// \p Src away: it replaces all of it with a text that does not hold it.
bool editsTakeAway(llvm::ArrayRef<TextEdit> Edits, Node N, llvm::StringRef Src);

/// True when an edit of \p Edits (sorted) replaces the name \p Name of
/// \p File with a text that says it fewer times than the text it replaces
/// (which occurrence went, only the text after tells).
bool deletedByEdits(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits, Node Name);

/// True when every path through the code of \p Read's own scope to the
/// read runs a statement that binds its name: a parameter, a binding
/// statement before it in a block that holds it, or an `if`/`elif`/`else`,
/// `try`/`except`, `with` before it all of whose paths bind it or leave.
/// False for reads in nested functions, lambdas and comprehensions.
/// Bindings for which \p Ignored answers true are not counted.
bool definitelyBound(const ParsedFile &File, const Reference &Read,
                     llvm::function_ref<bool(const Binding *)> Ignored = nullptr);

/// True when \p B is made in the `else` of an `if TYPE_CHECKING:` (or
/// `typing.TYPE_CHECKING`), which type checkers do not see: it binds nothing
/// for a string annotation or a type comment.
bool hiddenFromTypeCheckers(const Binding *B, llvm::StringRef Src);

/// True when a condition that must hold, or was tested, where \p Read
/// stands mentions \p Name: the condition of an `if`, `elif`, `while`, an
/// `and` or a conditional expression around it, or of an `if` statement
/// before it in a block around it (`if X is None: return`) that \p Gone
/// does not answer true for (a test the plan deletes tests nothing).
bool testedAround(Node Read, llvm::StringRef Name, llvm::StringRef Src,
                  llvm::function_ref<bool(Node)> Gone = nullptr);

/// A use of a value that may now be None, where None fails or escapes.
struct NoneUse {
  Node Read;
  /// The local the value was copied into first (`v = self.x` ... `v.get()`),
  /// empty when Read is the read of the value itself.
  std::string Alias;
};

/// The uses of the value read at \p E (an identifier or an attribute, which
/// names \p Name) where None fails or escapes to callers: E itself when it
/// is used as an object (usedAsObject) or returned (`return E`,
/// `return a or E`, a branch of a returned conditional expression); and for
/// `v = E`, the reads of v after it that the same binding reaches and that
/// use it so. Reads tested around (testedAround) for the name or the local,
/// and reads \p Gone answers true for, are left out.
std::vector<NoneUse> noneUses(const ScopeTree &T, Node E, llvm::StringRef Name,
                              llvm::StringRef Src, llvm::function_ref<bool(Node)> Gone);

/// The facts of \p File, which must have parsed; module names are resolved
/// against \p Modules.
BindingFacts bindingFacts(const ParsedFile &File, const ModuleIndex &Modules);

} // namespace excise

#endif
