//===- StatementEdits.cpp -------------------------------------------------===//
#include "semantics/StatementEdits.h"

#include "edit/Ranges.h"
#include "semantics/CascadeSyntax.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <tuple>

namespace excise::cascade {

StatementEdits::StatementEdits(const ParsedFile &File, RoundState &Round)
    : F(File), SF(File.Source), Src(File.Source.text()), Round(Round) {}

void StatementEdits::deleteStatement(Node Stmt, Cause Why) {
  Round.Deleted.emplace(keyOf(Stmt), std::move(Why));
}

void StatementEdits::deleteDecorator(Node D, Cause Why) {
  // A decorator is a line of its own (or several, for a call with its
  // arguments on more lines): nothing else starts or ends on them but a
  // comment after it.
  unsigned Start = SF.lineStart(SF.position(D.start()).Line);
  unsigned End = SF.lineEnd(SF.position(D.end()).Line);
  replace(Start, End, "", Why);
  Round.Deleted.emplace(keyOf(D), std::move(Why));
}

bool StatementEdits::isDeleted(Node Stmt) const {
  return Round.Deleted.count(keyOf(Stmt));
}

const Cause &StatementEdits::causeOf(Node Stmt) {
  return Round.Deleted[keyOf(Stmt)];
}

void StatementEdits::markDead(Node Block, const Cause &Why) {
  for (Node S : statementsOf(Block))
    Round.Deleted.emplace(keyOf(S), Why);
}

Cause StatementEdits::firstCause(Node Block) const {
  for (Node S : statementsOf(Block)) {
    auto It = Round.Deleted.find(keyOf(S));
    if (It != Round.Deleted.end())
      return It->second;
  }
  return Cause();
}

void StatementEdits::replace(unsigned Start, unsigned End, std::string Text,
                             const Cause &Why) {
  llvm::erase_if(Round.Edits, [&](const PendingEdit &E) {
    return E.Start >= Start && E.End <= End;
  });
  Round.Edits.push_back({Start, End, std::move(Text), Why});
}

unsigned StatementEdits::throughLineEnd(unsigned Offset) const {
  unsigned Line = SF.position(Offset).Line;
  llvm::StringRef Rest = Src.slice(Offset, SF.lineEnd(Line)).trim();
  return Rest.empty() || Rest.startswith("#") ? SF.lineEnd(Line) : Offset;
}

void StatementEdits::replaceStatement(Node S, std::string Text,
                                      const Cause &Why) {
  unsigned End = throughLineEnd(S.end());
  if (End != S.end() && (Text.empty() || Text.back() != '\n'))
    Text += SF.lineBreakAt(S.end()).str();
  replace(S.start(), End, std::move(Text), Why);
}

std::string StatementEdits::renderRange(unsigned Start, unsigned End) {
  std::vector<PendingEdit> Inner;
  llvm::erase_if(Round.Edits, [&](const PendingEdit &E) {
    if (E.Start >= Start && E.End <= End) {
      Inner.push_back(E);
      return true;
    }
    return false;
  });
  llvm::sort(Inner, [](const PendingEdit &A, const PendingEdit &B) {
    return std::tie(A.Start, A.End) < std::tie(B.Start, B.End);
  });
  std::string Out;
  unsigned Pos = Start;
  for (const PendingEdit &E : Inner) {
    if (E.Start < Pos)
      continue;
    Out += Src.slice(Pos, E.Start);
    Out += E.Text;
    Pos = E.End;
  }
  Out += Src.slice(Pos, End);
  return Out;
}

void StatementEdits::emitRuns(Node Block, const std::vector<Node> &Stmts) {
  for (size_t I = 0; I < Stmts.size();) {
    if (!isDeleted(Stmts[I])) {
      ++I;
      continue;
    }
    size_t J = I;
    while (J + 1 < Stmts.size() && isDeleted(Stmts[J + 1]))
      ++J;
    Range R = statementRunRange(SF, Block, Stmts, I, J);
    // One edit per statement, so each keeps its own rule and reason.
    unsigned From = R.Start;
    for (size_t K = I; K < J; ++K) {
      unsigned Split = attachedStart(SF, Block, Stmts[K + 1]);
      if (Split <= From || Split >= R.End)
        continue;
      replace(From, Split, "", Round.Deleted[keyOf(Stmts[K])]);
      From = Split;
    }
    replace(From, R.End, "", Round.Deleted[keyOf(Stmts[J])]);
    I = J + 1;
  }
}

void StatementEdits::passBlock(Node Block, const Cause &Why) {
  std::vector<Node> Stmts = statementsOf(Block);
  if (Stmts.empty())
    return;
  Range R = blockContentRange(SF, Stmts);
  replace(R.Start, R.End, "pass", Why.then("emptied block gets pass"));
}

std::string StatementEdits::unwrapped(Node Owner, Node Block) {
  std::vector<Node> Stmts = statementsOf(Block);
  // From the line after the header, so that edits of whole lines (which
  // start before the block's first byte) are part of the text.
  unsigned Start = Block.start();
  unsigned FirstLine = blockFirstLine(SF, Block);
  if (SF.position(Block.start()).Line >= FirstLine)
    Start = SF.lineStart(FirstLine);
  unsigned End =
      Stmts.empty() ? Block.end() : std::max(Block.end(), Stmts.back().end());
  std::string Body = renderRange(Start, throughLineEnd(End));
  return dedentBlockText(SF, Owner, Block, Body, Start != Block.start());
}

std::vector<Edit> StatementEdits::finalEdits() const {
  std::vector<Edit> Out;
  for (const PendingEdit &E : Round.Edits) {
    Edit Ed;
    Ed.Replacement = clang::tooling::Replacement(F.Source.path(), E.Start,
                                                 E.End - E.Start, E.Text);
    Ed.RuleId = E.Why.RuleId;
    Ed.Reason = E.Why.Chain;
    for (const Cause &Other : E.Why.Also)
      Ed.AlsoBy.push_back({Other.RuleId, Other.Chain});
    Out.push_back(std::move(Ed));
  }
  llvm::sort(Out);
  return Out;
}

} // namespace excise::cascade
