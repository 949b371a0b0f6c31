//===- Purity.h - Whether evaluating an expression can do anything -*- C++ -*-===//
//
// The cascade may drop an expression whose evaluation does nothing
// observable: the test of an `if` whose blocks emptied, the value of a local
// nobody reads any more. Purity decides it. An expression is pure when it is
// made of names, literals, attribute reads, subscripts, operators, f-strings
// and containers of pure expressions, and calls of pure functions: those of
// a closed list (knownPureFunctions: `len()`, `time.monotonic()`,
// `datetime.now()`, ...) and the project's own functions whose body is one
// `return` of a pure expression, which is inferred from their text, module
// by module, on first use. Anything else (any other call, `await`, `yield`,
// `:=`, a lambda, a comprehension, which iterates) may have an effect.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_PURITY_H
#define EXCISE_SEMANTICS_PURITY_H

#include "semantics/Project.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace excise {

/// One entry of the closed list of functions known to have no effect.
struct KnownPureFunction {
  enum KindType {
    Qualified,   ///< A function by its qualified name (`time.monotonic`);
                 ///< a builtin as `builtins.len`.
    AnyReceiver, ///< A method called without arguments on any object
                 ///< (`.items()`): the dictionary views.
    OnString,    ///< A method of a string literal (`", ".join(...)`).
  } Kind;
  llvm::StringLiteral Name;
};

/// The closed list, as docs/semantics.md gives it.
llvm::ArrayRef<KnownPureFunction> knownPureFunctions();

class Purity {
public:
  /// \p Proj must outlive this.
  explicit Purity(const Project &Proj) : Proj(Proj) {}

  /// The first node of \p E (an expression of \p File), in source order,
  /// whose evaluation may have an effect: a call of a function not known
  /// pure, an `await`, a `yield`...; a null node when evaluating \p E can do
  /// nothing observable. Thread-safe.
  Node effectIn(const ParsedFile &File, Node E) const;
  bool isPure(const ParsedFile &File, Node E) const { return !effectIn(File, E); }

  /// True when the project function \p QualifiedName (`pkg.mod.is_user`,
  /// re-exports followed) is a top-level, undecorated, non-async function
  /// whose body, after an optional docstring, is a single `return` of a pure
  /// expression. A function that may call itself, directly or through
  /// others, is not. Thread-safe; verdicts are kept for the run.
  bool isPureFunction(llvm::StringRef QualifiedName) const;

private:
  /// What a project function's body says about its purity, read once.
  struct Shape {
    /// The body is a docstring and one `return` whose expression would be
    /// pure if the project functions it calls are.
    bool Simple = false;
    /// Those project functions, qualified.
    std::vector<std::string> Calls;
  };
  const Shape *shapeOf(llvm::StringRef QualifiedName) const;
  bool isPureFunction(llvm::StringRef QualifiedName,
                      llvm::StringSet<> &InProgress) const;

  const Project &Proj;
  mutable std::mutex Lock;
  /// Module -> its top-level functions' shapes; built from the module's text
  /// when first asked, its tree given back at once.
  mutable llvm::StringMap<std::unique_ptr<llvm::StringMap<Shape>>> Shapes;
  mutable llvm::StringMap<bool> Verdicts;
};

} // namespace excise

#endif
