//===- FileAnalyzer.h - The cascade's walk over one file --------*- C++ -*-===//
//
// Private to lib/semantics: the walk behind analyzeFile. It visits the
// file's blocks recursively; each statement stays, goes (with its cause), or
// stays with edits inside it. A block whose statements all go reports itself
// empty, and its owner decides: a side-effect-free `if` goes, a `try`
// unwraps its `else` and `finally`, a function becomes a removed no-op,
// anything else gets `pass`. The walk repeats until the file's facts stop
// changing, each time with a fresh RoundState.
//
// The walk asks and decides through its rooms: RemovalOracle (what is
// removed), Guards (what a test becomes), StatementEdits (what goes and how),
// Orphans (what lost its last use), DeadLocals (locals that lost their
// readers), Leftovers (what stays and is reported).
// Its visitors are defined in Cascade.cpp (the walk, blocks, simple
// statements, imports, definitions) and CompoundStatements.cpp (if, with,
// try, loops).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_FILEANALYZER_H
#define EXCISE_SEMANTICS_FILEANALYZER_H

#include "semantics/Cascade.h"
#include "semantics/DeadLocals.h"
#include "semantics/DerivedData.h"
#include "semantics/Guards.h"
#include "semantics/Leftovers.h"
#include "semantics/Orphans.h"
#include "semantics/RemovalOracle.h"
#include "semantics/RoundState.h"
#include "semantics/StatementEdits.h"

#include <string>
#include <vector>

namespace excise::cascade {

class FileAnalyzer {
public:
  /// \p File, \p Ctx and \p RewrittenAway (may be null) must outlive this.
  FileAnalyzer(const ParsedFile &File, const CascadeContext &Ctx,
               const llvm::StringMap<Cause> *RewrittenAway);

  /// Walks the file until its facts stop changing; the outcome of the last
  /// walk.
  FileOutcome run();

private:
  // Cascade.cpp
  bool visitBlock(Node Block);
  void visitStatement(Node S);
  void visitDelete(Node S);
  void visitReturn(Node S);
  void visitExpressionStatement(Node S);
  const CallRule *matchingCallRule(Node E) const;
  void visitAssignment(Node S, Node A);
  bool orphanedGlobal(Node S, Node A);
  bool visitDeadLocal(Node S, Node A);
  bool visitExportList(Node S, Node A);
  void taintTargets(Node Left, const Cause &Base, const std::string &What);
  const Cause *removedImportItem(Node Stmt, Node Item, std::string &What);
  void visitImport(Node S);
  bool isNoOpBody(Node Block, bool Now) const;
  bool visitDecorators(Node S);
  bool keepsDecorator(Node S) const;
  void visitDefinition(Node S);

  // CompoundStatements.cpp
  struct Clause;
  void visitIf(Node S);
  Cause firstBodyCause(const std::vector<Clause> &Clauses) const;
  void visitWith(Node S);
  void visitTry(Node S);
  void visitLoop(Node S);
  bool targetReadAfter(Node S) const;
  void visitMatch(Node S);

  const ParsedFile &F;
  const CascadeContext &Ctx;
  llvm::StringRef Src;
  const SourceFile &SF;
  const ScopeTree &ST;

  /// The walk in progress; the rooms below refer to it.
  RoundState Round;
  RemovalOracle Oracle;
  Orphans Orphan;
  DeadLocals Dead;
  DerivedData Derived;
  StatementEdits Edits;
  Leftovers Leftover;
  Guards Guard;
};

} // namespace excise::cascade

#endif
