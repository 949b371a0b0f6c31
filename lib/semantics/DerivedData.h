//===- DerivedData.h - Values computed from removed things ------*- C++ -*-===//
//
// A value computed from a removed thing is removed too: `f"archive_{k}"`
// over `archive_stats.items()`, `[removed, 1]`, `len(removed.rows)`. An
// expression is derived when it is made of removed values (RemovalOracle),
// literals, operators, f-strings, containers and comprehensions over them,
// and calls of known-pure functions (Purity) on them, with at least one
// removed value. The cascade deletes an assignment of a derived value (its
// targets are removed in turn) and a call statement whose arguments are all
// derived or literals (`app.include_router(search_router)`,
// `base.update({...})`), noting a callee that may have an effect.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_DERIVEDDATA_H
#define EXCISE_SEMANTICS_DERIVEDDATA_H

#include "semantics/Purity.h"
#include "semantics/RemovalOracle.h"

#include "llvm/ADT/SmallVector.h"

namespace excise::cascade {

class DerivedData {
public:
  /// \p File, \p Oracle and \p Pure must outlive this.
  DerivedData(const ParsedFile &File, const RemovalOracle &Oracle, const Purity &Pure)
      : F(File), Src(File.Source.text()), Oracle(Oracle), Pure(Pure) {}

  /// The cause of the first removed value in \p E when \p E is derived (see
  /// the file comment); null otherwise.
  const Cause *derived(Node E) const;

  /// For the call \p Call (`f(a, b=c)`, awaited or not) whose function is
  /// not removed: the cause when every argument is derived or a literal and
  /// one at least is derived; null otherwise.
  const Cause *callOfDerived(Node Call) const;

private:
  enum class Kind { Not, Literal, Derived };
  /// What \p E is, with the first removed value's cause in \p Why; names
  /// in \p Bound are comprehension variables over derived values.
  Kind classify(Node E, const Cause *&Why, llvm::SmallVectorImpl<llvm::StringRef> &Bound) const;
  Kind all(Node::Children Kids, const Cause *&Why,
           llvm::SmallVectorImpl<llvm::StringRef> &Bound) const;

  const ParsedFile &F;
  llvm::StringRef Src;
  const RemovalOracle &Oracle;
  const Purity &Pure;
};

} // namespace excise::cascade

#endif
