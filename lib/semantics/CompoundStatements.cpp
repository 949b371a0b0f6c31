//===- CompoundStatements.cpp - if, with, try and loops in the walk -------===//
//
// FileAnalyzer's visitors of compound statements (FileAnalyzer.h). Each one
// visits its blocks first, then decides from what emptied: an `if` is
// rebuilt from its clauses' verdicts (Guards) and goes when its blocks
// emptied and its tests are pure (Purity), a `with` on removed things is
// unwrapped, an emptied `try` keeps its `else` and `finally`, an emptied
// loop goes when its header has no side effects.
//
//===----------------------------------------------------------------------===//
#include "semantics/CascadeSyntax.h"
#include "semantics/FileAnalyzer.h"

#include "edit/Ranges.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <optional>

namespace excise::cascade {

struct FileAnalyzer::Clause {
  Node N;         ///< if_statement itself for the first clause.
  Node Condition; ///< Null for else.
  Node Block;
  Node Header; ///< The ':' ending the clause's header.
  bool IsElse = false;
};

void FileAnalyzer::visitIf(Node S) {
  std::vector<Clause> Clauses;
  Clauses.push_back(
      {S, S.field("condition"), S.field("consequence"), colonOf(S), false});
  for (Node Alt : S.fields("alternative")) {
    if (Alt.is("elif_clause"))
      Clauses.push_back({Alt, Alt.field("condition"), Alt.field("consequence"),
                         colonOf(Alt), false});
    else
      Clauses.push_back({Alt, Node(), Alt.field("body"), colonOf(Alt), true});
  }
  struct Verdict {
    Truth Value = Truth::Unknown;
    std::optional<std::string> Residual;
    Cause Why;
    bool Empty = false;
  };
  std::vector<Verdict> V(Clauses.size());
  const Cause *AnyWhy = nullptr;
  for (size_t I = 0; I < Clauses.size(); ++I) {
    if (!Clauses[I].IsElse) {
      Condition C = Guard.evaluate(Clauses[I].Condition);
      V[I].Value = C.Value;
      V[I].Residual = C.Residual;
      if (C.Why) {
        std::string Kw = I == 0 ? "if" : "elif";
        V[I].Why = C.Why->then("guard `" + Kw + " " +
                               describe(Clauses[I].Condition, Src) + ":`");
        AnyWhy = AnyWhy ? AnyWhy : &V[I].Why;
      } else if (C.Value == Truth::Unknown && !C.Residual) {
        Leftover.report(Clauses[I].Condition);
      }
    } else {
      V[I].Value = Truth::True;
    }
    V[I].Empty = visitBlock(Clauses[I].Block);
    if (V[I].Value == Truth::False)
      Edits.markDead(Clauses[I].Block, V[I].Why.then("branch never runs"));
  }
  // Which clauses survive, and which one runs unconditionally.
  std::vector<size_t> Live;
  for (size_t I = 0; I < Clauses.size(); ++I) {
    if (V[I].Value == Truth::False)
      continue;
    Live.push_back(I);
    if (V[I].Value == Truth::True)
      break;
  }
  // Why the statement changes: a guard on a removed name, or else the
  // first removal in its clauses (an emptied else goes, say).
  Cause GuardWhy = AnyWhy ? *AnyWhy : firstBodyCause(Clauses);
  bool Changed =
      Live.size() != Clauses.size() || llvm::any_of(Live, [&](size_t I) {
        return (!Clauses[I].IsElse && V[I].Value == Truth::True) ||
               V[I].Residual;
      });
  // Trailing clauses with empty bodies: an empty else goes.
  while (!Live.empty() && Clauses[Live.back()].IsElse && V[Live.back()].Empty &&
         Live.size() > 1) {
    Live.pop_back();
    Changed = true;
  }
  auto AllEmpty = llvm::all_of(Live, [&](size_t I) { return V[I].Empty; });
  // A test that calls only pure functions (`if is_user(subject):`) does
  // nothing but decide, like one without calls.
  auto HeadersFree = [&] {
    return llvm::all_of(Live, [&](size_t I) {
      return Clauses[I].IsElse || V[I].Value == Truth::True ||
             Ctx.Pure.isPure(F, Clauses[I].Condition);
    });
  };
  if (Live.empty() || (AllEmpty && HeadersFree())) {
    Edits.deleteStatement(
        S, GuardWhy.then(Live.empty() ? "branch never runs" : "emptied if"));
    return;
  }
  if (!Changed) {
    for (size_t I = 0; I < Clauses.size(); ++I)
      if (V[I].Empty)
        Edits.passBlock(Clauses[I].Block, Edits.firstCause(Clauses[I].Block));
    return;
  }
  // The first live clause runs unconditionally: the statement becomes its
  // body.
  size_t First = Live.front();
  if (Clauses[First].IsElse || V[First].Value == Truth::True) {
    if (V[First].Empty) {
      Edits.deleteStatement(S, GuardWhy.then("emptied if"));
      return;
    }
    std::string Text = Edits.unwrapped(S, Clauses[First].Block);
    Edits.replaceStatement(S, Text,
                           GuardWhy.then("guard always true: body kept"));
    return;
  }
  // Rebuild: drop dead clauses, rewrite tests, turn a true elif into else.
  std::string Out;
  for (size_t Pos = 0; Pos < Live.size(); ++Pos) {
    size_t I = Live[Pos];
    const Clause &C = Clauses[I];
    std::string Keyword =
        Pos == 0 ? "if"
                 : (C.IsElse || V[I].Value == Truth::True ? "else" : "elif");
    if (Pos > 0)
      Out += indentOf(SF, S.start());
    if (Keyword == "else")
      Out += "else:";
    else
      Out += Keyword + " " +
             (V[I].Residual ? *V[I].Residual : C.Condition.text(Src).str()) +
             ":";
    unsigned BodyStart = C.Header.end();
    unsigned BodyEnd =
        std::max(C.Block.end(), statementsOf(C.Block).empty()
                                    ? C.Block.end()
                                    : statementsOf(C.Block).back().end());
    if (V[I].Empty) {
      Edits.passBlock(C.Block, Edits.firstCause(C.Block));
    }
    std::string Body =
        Edits.renderRange(BodyStart, Edits.throughLineEnd(BodyEnd));
    if (Body.empty() || Body.back() != '\n')
      Body += SF.lineBreakAt(BodyEnd).str();
    Out += Body;
  }
  Edits.replaceStatement(S, Out, GuardWhy.then("guard simplified"));
}

Cause FileAnalyzer::firstBodyCause(const std::vector<Clause> &Clauses) const {
  for (const Clause &C : Clauses) {
    Cause Why = Edits.firstCause(C.Block);
    if (!Why.RuleId.empty())
      return Why;
  }
  return Cause();
}

void FileAnalyzer::visitWith(Node S) {
  Node Clause;
  for (Node C : S.namedChildren())
    if (C.is("with_clause"))
      Clause = C;
  std::vector<Node> Items;
  if (Clause)
    for (Node C : Clause.namedChildren())
      if (C.is("with_item"))
        Items.push_back(C);
  // Items on removed things go; the others stay. With none left, the body
  // is unwrapped.
  std::optional<RemovedValue> R;
  std::vector<bool> Gone;
  for (Node Item : Items) {
    Node Value = Item.field("value");
    Node Target;
    if (Value.is("as_pattern")) {
      Target = Value.field("alias");
      Value = Value.namedChild(0);
    }
    auto ItemR = Oracle.removedValue(Value);
    Gone.push_back(ItemR.has_value());
    if (!ItemR)
      continue;
    R = R ? R : ItemR;
    if (Target)
      for (Node Id : Target.namedChildren())
        if (const Binding *B = ST.bindingAt(Id))
          Oracle.taint(B, ItemR->Why->then(B->Name + " (bound by with)"));
  }
  bool AllGone = !Items.empty() && llvm::all_of(Gone, [](bool G) { return G; });
  for (size_t I = 0; I < Items.size(); ++I)
    if (!Gone[I])
      Leftover.report(Items[I]);
  if (R && !AllGone) {
    Cause Why = R->Why->then("context manager on a removed thing");
    for (const Range &Rg : listItemRemovalRanges(SF, Items, Gone))
      Edits.replace(Rg.Start, Rg.End, "", Why);
    R.reset();
  }
  Node Body = S.field("body");
  Cause Why = R ? R->Why->then("context `with " + describe(Items[0], Src) +
                               ":` unwrapped")
                : Cause();
  bool Empty = visitBlock(Body);
  if (R) {
    if (Empty) {
      Edits.deleteStatement(S, Why);
      return;
    }
    Edits.replaceStatement(S, Edits.unwrapped(S, Body), Why);
    return;
  }
  if (Empty)
    Edits.passBlock(Body, Edits.firstCause(Body));
}

void FileAnalyzer::visitTry(Node S) {
  Node Body = S.field("body");
  bool BodyEmpty = visitBlock(Body);
  Cause BodyWhy = BodyEmpty ? Edits.firstCause(Body) : Cause();
  std::vector<Node> Handlers;
  Node Else, Finally;
  for (Node C : S.namedChildren()) {
    if (C.is("except_clause") || C.is("except_group_clause"))
      Handlers.push_back(C);
    else if (C.is("else_clause"))
      Else = C;
    else if (C.is("finally_clause"))
      Finally = C;
  }
  std::vector<bool> HandlerEmpty;
  for (Node H : Handlers) {
    for (Node C : H.namedChildren())
      if (!C.is("block"))
        Leftover.report(C);
    HandlerEmpty.push_back(visitBlock(blockOf(H)));
  }
  bool ElseEmpty = Else ? visitBlock(blockOf(Else)) : true;
  bool FinallyEmpty = Finally ? visitBlock(blockOf(Finally)) : true;
  if (BodyEmpty) {
    // Nothing can raise any more: the handlers are dead; what ran after
    // the body (else) and always (finally) stays, in that order.
    Cause Why = BodyWhy.then("emptied try");
    for (Node H : Handlers)
      Edits.markDead(blockOf(H), Why.then("handler can no longer run"));
    std::string Text;
    if (Else && !ElseEmpty)
      Text += Edits.unwrapped(S, blockOf(Else));
    if (Finally && !FinallyEmpty) {
      if (!Text.empty())
        Text += (Text.back() == '\n' ? "" : SF.lineBreak().str()) +
                indentOf(SF, S.start());
      Text += Edits.unwrapped(S, blockOf(Finally));
    }
    if (Text.empty()) {
      Edits.deleteStatement(S, Why);
      return;
    }
    Edits.replaceStatement(S, Text, Why);
    return;
  }
  for (size_t I = 0; I < Handlers.size(); ++I)
    if (HandlerEmpty[I])
      Edits.passBlock(blockOf(Handlers[I]),
                      Edits.firstCause(blockOf(Handlers[I])));
  if (Else && ElseEmpty && !statementsOf(blockOf(Else)).empty()) {
    Range R = clauseRange(SF, Else);
    Edits.replace(R.Start, R.End, "",
                  Edits.firstCause(blockOf(Else)).then("emptied else"));
  }
  if (Finally && FinallyEmpty && !statementsOf(blockOf(Finally)).empty()) {
    if (Handlers.empty())
      Edits.passBlock(blockOf(Finally), Edits.firstCause(blockOf(Finally)));
    else {
      Range R = clauseRange(SF, Finally);
      Edits.replace(R.Start, R.End, "",
                    Edits.firstCause(blockOf(Finally)).then("emptied finally"));
    }
  }
}

/// True when a name the `for` loop \p S binds is read outside it: the loop
/// still binds it (to the last item), so an emptied loop stays, with `pass`.
bool FileAnalyzer::targetReadAfter(Node S) const {
  if (!S.is("for_statement"))
    return false;
  std::vector<const Binding *> Targets;
  S.field("left").walk([&](Node N) {
    if (const Binding *B = N.is("identifier") ? ST.bindingAt(N) : nullptr)
      Targets.push_back(B);
    return true;
  });
  if (Targets.empty())
    return false;
  for (const Reference &R : ST.references()) {
    if (R.Identifier.start() >= S.start() && R.Identifier.end() <= S.end())
      continue;
    for (const Binding *B : Targets)
      if (R.Resolved == B->Owner && R.Identifier.text(Src) == B->Name)
        return true;
  }
  return false;
}

void FileAnalyzer::visitLoop(Node S) {
  for (auto [Child, Field] : S.childrenWithFields()) {
    if (Field == "left" || Field == "right" || Field == "condition")
      Leftover.report(Child);
  }
  Node Body = S.field("body");
  bool Empty = visitBlock(Body);
  Node Alt = S.field("alternative");
  bool AltEmpty = Alt ? visitBlock(blockOf(Alt)) : true;
  Node Header = S.is("for_statement") ? S.field("right") : S.field("condition");
  if (Empty && (!Alt || AltEmpty) && isSideEffectFree(Header) && !targetReadAfter(S)) {
    Edits.deleteStatement(S, Edits.firstCause(Body).then("emptied loop"));
    return;
  }
  if (Empty)
    Edits.passBlock(Body, Edits.firstCause(Body));
  if (Alt && AltEmpty && !statementsOf(blockOf(Alt)).empty()) {
    Range R = clauseRange(SF, Alt);
    Edits.replace(R.Start, R.End, "",
                  Edits.firstCause(blockOf(Alt)).then("emptied else"));
  }
}

/// A `match`: its subjects, patterns and guards are uses; each case's body
/// is visited, and one whose every statement goes gets `pass`, since
/// removing the case would change which later case matches.
void FileAnalyzer::visitMatch(Node S) {
  for (Node Subject : S.fields("subject"))
    Leftover.report(Subject);
  for (Node Case : S.field("body").namedChildren()) {
    if (!Case.is("case_clause"))
      continue;
    Node Block = Case.field("consequence");
    for (Node C : Case.namedChildren())
      if (C != Block && !C.is("comment"))
        Leftover.report(C);
    if (visitBlock(Block))
      Edits.passBlock(Block, Edits.firstCause(Block));
  }
}

} // namespace excise::cascade
