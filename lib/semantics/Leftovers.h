//===- Leftovers.h - Uses of removed things that stay -----------*- C++ -*-===//
//
// A use of a removed thing that the cascade cannot remove safely (an
// argument, a base class, a string naming it) is reported as a leftover: a
// warning at the use, with the rule that removed the thing. While nothing is
// removed at all, the walk over a statement is skipped and only the
// questions it would have asked are logged (logSkippedQuestions), since the
// driver needs them to know which later names could change the file.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_LEFTOVERS_H
#define EXCISE_SEMANTICS_LEFTOVERS_H

#include "semantics/RemovalOracle.h"
#include "semantics/RoundState.h"

#include <string>

namespace excise::cascade {

class Leftovers {
public:
  /// \p File, \p Oracle and \p Round must outlive this; \p Round is the walk
  /// in progress, which holds the diagnostics.
  Leftovers(const ParsedFile &File, const RemovalOracle &Oracle,
            RoundState &Round);

  /// Reports every use of a removed thing inside \p N as a leftover.
  void report(Node N);
  /// Reports a leftover at \p At.
  void add(Node At, const Cause &Why, const std::string &Message);
  /// Notes at \p At something the plan left that a reviewer should know
  /// of, though nothing is broken (a local kept for its value's effect).
  void note(Node At, const Cause &Why, const std::string &Message);
  /// Drops the leftovers reported inside \p S (which goes after all).
  void dropInside(Node S);
  /// True when report() skipped a walk in some walk of the file.
  bool skippedAny() const { return SkippedWalk; }
  /// Logs every question a skipped walk would have asked, and more.
  void logSkippedQuestions() const;

private:
  llvm::StringRef stringName(Node S) const;
  void checkString(Node S);

  const ParsedFile &F;
  const SourceFile &SF;
  llvm::StringRef Src;
  const RemovalOracle &Oracle;
  RoundState &Round;
  /// Set when report() skipped a walk: the questions are logged at the end.
  bool SkippedWalk = false;
};

} // namespace excise::cascade

#endif
