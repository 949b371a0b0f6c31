//===- StatementEdits.h - Statements that go, blocks that empty -*- C++ -*-===//
//
// The edits of one walk of a file: which statements go (with their causes),
// how a run of deleted statements becomes one edit per statement (the
// delete-a-statement checklist of lib/edit Ranges), how an emptied block gets
// `pass`, how a compound statement is replaced by its unwrapped body, and
// the final Edits of the file.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_STATEMENTEDITS_H
#define EXCISE_SEMANTICS_STATEMENTEDITS_H

#include "edit/Edit.h"
#include "semantics/Project.h"
#include "semantics/RoundState.h"

#include <string>
#include <vector>

namespace excise::cascade {

class StatementEdits {
public:
  /// \p File and \p Round must outlive this; \p Round is the walk in
  /// progress, which holds the deletions and edits.
  StatementEdits(const ParsedFile &File, RoundState &Round);

  /// \p Stmt goes, for \p Why; its text goes in emitRuns().
  void deleteStatement(Node Stmt, Cause Why);
  bool isDeleted(Node Stmt) const;
  /// The cause of deleted statement \p Stmt.
  const Cause &causeOf(Node Stmt);
  /// Records every statement of \p Block as gone, for the orphan rules; the
  /// caller replaces the block's text as a whole.
  void markDead(Node Block, const Cause &Why);
  /// The cause of the first deleted statement of \p Block, or an empty one.
  Cause firstCause(Node Block) const;

  /// Decorator \p D goes, for \p Why: its lines, and the comment after it
  /// on its last line; the lines around it stay. It counts as deleted for
  /// the orphan rules.
  void deleteDecorator(Node D, Cause Why);

  /// Replaces [Start, End) with \p Text; edits inside the range are dropped,
  /// since the new text accounts for them.
  void replace(unsigned Start, unsigned End, std::string Text,
               const Cause &Why);
  /// Replaces compound statement \p S (through its line end) with \p Text,
  /// whose last line break stands for the one replaced.
  void replaceStatement(Node S, std::string Text, const Cause &Why);
  /// \p Offset, or the start of the next line when only blanks and a
  /// comment follow it on its line: whole-line edits of a block's last
  /// statement reach that far, so a compound statement is replaced up to there.
  unsigned throughLineEnd(unsigned Offset) const;
  /// The text of [Start, End) with the edits inside it applied; those edits
  /// are consumed.
  std::string renderRange(unsigned Start, unsigned End);

  /// Deletes the text of each run of deleted statements among \p Stmts (the
  /// statements of \p Block), one edit per statement.
  void emitRuns(Node Block, const std::vector<Node> &Stmts);
  /// Replaces the (all deleted) statements of \p Block with `pass`.
  void passBlock(Node Block, const Cause &Why);
  /// The text of \p Block's statements with their edits applied, dedented to
  /// the column of \p Owner, ready to replace \p Owner's whole range.
  std::string unwrapped(Node Owner, Node Block);

  /// The walk's edits as the file's Edits, sorted.
  std::vector<Edit> finalEdits() const;

private:
  const ParsedFile &F;
  const SourceFile &SF;
  llvm::StringRef Src;
  RoundState &Round;
};

} // namespace excise::cascade

#endif
