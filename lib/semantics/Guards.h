//===- Guards.h - What a test becomes once removed things go ----*- C++ -*-===//
//
// A removed thing is inert: testing it is always true (it was there), a test
// of its call's result never holds (the call existed to be reacted to), and
// comparing it with None follows. Guards evaluates an `if`'s or `elif`'s
// test under these rules: true, false, or unknown with a residual test when
// some operands of `and`/`or`/`not` went. FileAnalyzer::visitIf rebuilds the
// statement from the verdicts.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_GUARDS_H
#define EXCISE_SEMANTICS_GUARDS_H

#include "semantics/RemovalOracle.h"

#include <optional>
#include <string>

namespace excise::cascade {

enum class Truth { Unknown, True, False };

/// What a test becomes once removed things are inert.
struct Condition {
  Truth Value = Truth::Unknown;
  /// For Unknown: the test's new source text when some operands went.
  std::optional<std::string> Residual;
  const Cause *Why = nullptr;
  std::string What;
};

class Guards {
public:
  /// \p Src and \p Oracle must outlive this.
  Guards(llvm::StringRef Src, const RemovalOracle &Oracle)
      : Src(Src), Oracle(Oracle) {}

  /// What the test \p E becomes.
  Condition evaluate(Node E) const;

private:
  llvm::StringRef Src;
  const RemovalOracle &Oracle;
};

} // namespace excise::cascade

#endif
