//===- Matcher.cpp - Finding a pattern in a syntax tree -------------------===//
//
// Matching is a backtracking search written in continuation-passing style:
// each step gets "the rest of the match" as a callback and returns whether
// the whole match succeeded. A `$$$` run tries its possible lengths one by
// one, so a later part of the pattern, or a `where:` constraint checked at
// the very end, can make it pick another length.
//
//===----------------------------------------------------------------------===//
#include "rewrite/Matcher.h"

#include "edit/Ranges.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <iterator>
#include <map>

namespace excise {

std::string MetaBinding::text(llvm::StringRef Source) const {
  std::string Out;
  llvm::StringRef Separator = Kind == Shape::Statements ? "\n" : ", ";
  for (size_t I = 0; I < Nodes.size(); ++I) {
    if (I)
      Out += Separator.str();
    Out += Nodes[I].text(Source).str();
  }
  return Out;
}

const MetaBinding *Match::binding(llvm::StringRef Name) const {
  for (const auto &Entry : Bindings)
    if (Entry.first == Name)
      return &Entry.second;
  return nullptr;
}

/// True when \p N is of \p Kind, looking through a statement that is only
/// an expression (a `$X` in a block binds the statement).
static bool isOfKind(Node N, llvm::StringRef Kind) {
  if (N.kind() == Kind)
    return true;
  if (!N.is("expression_statement"))
    return false;
  std::vector<Node> Inside = significantChildren(N);
  return Inside.size() == 1 && Inside[0].kind() == Kind;
}

bool CompiledConstraint::holds(const MetaBinding &B, llvm::StringRef Source) const {
  bool Result;
  if (What == Constraint::Test::Regex)
    Result = Regex->match(B.text(Source));
  else
    Result = llvm::all_of(B.Nodes, [&](Node N) { return isOfKind(N, Kind); });
  return Result != Negated;
}

llvm::Expected<std::vector<CompiledConstraint>>
compileConstraints(const Pattern &P, llvm::ArrayRef<Constraint> Where) {
  std::vector<CompiledConstraint> Out;
  for (const Constraint &C : Where) {
    const MetavariableRef *Ref = P.find(C.Metavariable);
    if (!Ref || !isCapturingName(C.Metavariable))
      return llvm::make_error<RewriteError>(
          "'where' names $" + C.Metavariable +
              ", which the pattern does not bind",
          0);
    CompiledConstraint CC;
    CC.Metavariable = C.Metavariable;
    CC.What = C.What;
    CC.Negated = C.Negated;
    if (C.What == Constraint::Test::Regex) {
      CC.Regex = std::make_shared<llvm::Regex>(C.Value);
      std::string Problem;
      if (!CC.Regex->isValid(Problem))
        return llvm::make_error<RewriteError>(
            "invalid regular expression '" + C.Value + "': " + Problem, 0);
    } else {
      if (!isNodeKind(C.Value))
        return llvm::make_error<RewriteError>(
            "'" + C.Value + "' is not a node kind of tree-sitter-python", 0);
      CC.Kind = C.Value;
    }
    Out.push_back(std::move(CC));
  }
  return Out;
}

namespace {

using Continue = llvm::function_ref<bool()>;
using ContinueAt = llvm::function_ref<bool(size_t)>;

/// The text a leaf is compared by: quotes of either kind are the same.
std::string leafText(Node N, llvm::StringRef Source) {
  std::string Text = N.text(Source).str();
  if (N.is("string_start") || N.is("string_end"))
    std::replace(Text.begin(), Text.end(), '\'', '"');
  return Text;
}

/// Nodes compared by their text rather than their children. A string's
/// content has escape sequences as children but the rest of its text is not
/// in any node.
bool isLeaf(Node N) { return N.childCount() == 0 || N.is("string_content"); }

/// True when \p A and \p B (both of \p Source) are the same code, comments
/// and layout aside.
bool sameCode(Node A, Node B, llvm::StringRef Source) {
  if (A.kind() != B.kind())
    return false;
  if (isLeaf(A) || isLeaf(B))
    return leafText(A, Source) == leafText(B, Source);
  std::vector<Node> AC = significantChildren(A), BC = significantChildren(B);
  if (AC.size() != BC.size())
    return false;
  for (size_t I = 0; I < AC.size(); ++I)
    if (!sameCode(AC[I], BC[I], Source))
      return false;
  return true;
}

class MatchState {
public:
  MatchState(const Pattern &P, llvm::ArrayRef<CompiledConstraint> Where,
             llvm::StringRef Source)
      : P(P), Where(Where), PatternText(P.text()), Source(Source) {}

  bool matchNode(Node Pat, Node Tgt, Continue K);
  bool matchList(const std::vector<Node> &Pat, size_t PI,
                 const std::vector<Node> &Tgt, size_t TI, MetaBinding::Shape Shape,
                 ContinueAt K);
  bool constraintsHold() const;

  /// Bindings of the match in progress; names point into the pattern.
  std::vector<std::pair<llvm::StringRef, MetaBinding>> Bound;

private:
  bool bind(const PatternHole &Hole, MetaBinding B, Continue K);
  bool matchArguments(const std::vector<Node> &Pat,
                      const std::vector<Node> &Tgt, Continue K);

  const Pattern &P;
  llvm::ArrayRef<CompiledConstraint> Where;
  llvm::StringRef PatternText;
  llvm::StringRef Source;
};

bool MatchState::bind(const PatternHole &Hole, MetaBinding B, Continue K) {
  if (!isCapturingName(Hole.Name))
    return K();
  for (const auto &Entry : Bound) {
    if (Entry.first != Hole.Name)
      continue;
    const std::vector<Node> &Old = Entry.second.Nodes;
    if (Old.size() != B.Nodes.size())
      return false;
    for (size_t I = 0; I < Old.size(); ++I)
      if (!sameCode(Old[I], B.Nodes[I], Source))
        return false;
    return K();
  }
  Bound.emplace_back(Hole.Name, std::move(B));
  if (K())
    return true;
  Bound.pop_back();
  return false;
}

bool MatchState::matchNode(Node Pat, Node Tgt, Continue K) {
  if (std::optional<PatternHole> Hole = P.holeOf(Pat)) {
    if (!Tgt.isNamed())
      return false;
    MetaBinding B;
    B.Kind = Hole->IsSequence ? MetaBinding::Shape::Items : MetaBinding::Shape::Node;
    B.Nodes.push_back(Tgt);
    return bind(*Hole, std::move(B), K);
  }
  if (Pat.kind() != Tgt.kind())
    return false;
  if (isLeaf(Pat) || isLeaf(Tgt))
    return leafText(Pat, PatternText) == leafText(Tgt, Source) && K();
  std::vector<Node> PC = significantChildren(Pat);
  std::vector<Node> TC = significantChildren(Tgt);
  if (Pat.is("argument_list"))
    return matchArguments(PC, TC, K);
  MetaBinding::Shape Shape = Pat.is("block") || Pat.is("module")
                             ? MetaBinding::Shape::Statements
                             : MetaBinding::Shape::Items;
  return matchList(PC, 0, TC, 0, Shape,
                   [&](size_t End) { return End == TC.size() && K(); });
}

bool MatchState::matchList(const std::vector<Node> &Pat, size_t PI,
                           const std::vector<Node> &Tgt, size_t TI,
                           MetaBinding::Shape Shape, ContinueAt K) {
  if (PI == Pat.size())
    return K(TI);
  std::optional<PatternHole> Hole = P.holeOf(Pat[PI]);
  if (Hole && Hole->IsSequence) {
    // A run takes named nodes only: never a bracket or a keyword token.
    size_t Max = TI;
    while (Max < Tgt.size() && Tgt[Max].isNamed())
      ++Max;
    auto TryUpTo = [&](size_t End) {
      MetaBinding B;
      B.Kind = Shape;
      B.Nodes.assign(Tgt.begin() + TI, Tgt.begin() + End);
      return bind(*Hole, std::move(B),
                  [&] { return matchList(Pat, PI + 1, Tgt, End, Shape, K); });
    };
    if (PI + 1 == Pat.size()) {
      for (size_t End = Max + 1; End-- > TI;)
        if (TryUpTo(End))
          return true;
      return false;
    }
    for (size_t End = TI; End <= Max; ++End)
      if (TryUpTo(End))
        return true;
    return false;
  }
  if (TI == Tgt.size())
    return false;
  return matchNode(Pat[PI], Tgt[TI], [&] {
    return matchList(Pat, PI + 1, Tgt, TI + 1, Shape, K);
  });
}

bool MatchState::matchArguments(const std::vector<Node> &Pat,
                                const std::vector<Node> &Tgt, Continue K) {
  // Keyword arguments the pattern spells out are found by name; the rest of
  // the pattern matches the rest of the arguments in order.
  std::vector<Node> Keywords, PatRest;
  for (Node C : Pat) {
    if (C.is("keyword_argument") && !P.holeOf(C.field("name")))
      Keywords.push_back(C);
    else
      PatRest.push_back(C);
  }
  auto MatchRest = [&](const std::vector<Node> &TgtRest) {
    return matchList(PatRest, 0, TgtRest, 0, MetaBinding::Shape::Items,
                     [&](size_t End) { return End == TgtRest.size() && K(); });
  };
  if (Keywords.empty())
    return MatchRest(Tgt);
  std::vector<Node> Partners;
  std::vector<bool> Taken(Tgt.size(), false);
  for (Node Keyword : Keywords) {
    llvm::StringRef Name = Keyword.field("name").text(PatternText);
    bool Found = false;
    for (size_t I = 0; I < Tgt.size() && !Found; ++I) {
      if (Taken[I] || !Tgt[I].is("keyword_argument") ||
          Tgt[I].field("name").text(Source) != Name)
        continue;
      Taken[I] = Found = true;
      Partners.push_back(Tgt[I]);
    }
    if (!Found)
      return false;
  }
  std::vector<Node> TgtRest;
  for (size_t I = 0; I < Tgt.size(); ++I)
    if (!Taken[I])
      TgtRest.push_back(Tgt[I]);
  auto Step = [&](size_t I, auto &Self) -> bool {
    if (I == Keywords.size())
      return MatchRest(TgtRest);
    return matchNode(Keywords[I], Partners[I],
                     [&] { return Self(I + 1, Self); });
  };
  return Step(0, Step);
}

bool MatchState::constraintsHold() const {
  for (const CompiledConstraint &C : Where) {
    for (const auto &Entry : Bound)
      if (Entry.first == C.Metavariable && !C.holds(Entry.second, Source))
        return false;
  }
  return true;
}

/// The statements of a `block` or `module`, comments left out.
std::vector<Node> statementsOf(Node Block) {
  std::vector<Node> Out;
  for (Node C : Block.namedChildren())
    if (!C.is("comment"))
      Out.push_back(C);
  return Out;
}

} // namespace

std::vector<Match> findMatches(const Pattern &P,
                               llvm::ArrayRef<CompiledConstraint> Where,
                               const SourceFile &File, const SyntaxTree &Tree) {
  MatchState State(P, Where, File.text());
  std::vector<Match> Out;
  // Matched ranges by start; they never overlap.
  std::map<unsigned, unsigned> Covered;
  auto Inside = [&](Node N) {
    auto After = Covered.upper_bound(N.start());
    return After != Covered.begin() && std::prev(After)->second >= N.end();
  };
  auto Record = [&](Match M) {
    for (const auto &Entry : State.Bound)
      M.Bindings.emplace_back(Entry.first.str(), Entry.second);
    Covered.emplace(M.Start, M.End);
    Out.push_back(std::move(M));
  };

  if (!P.isStatementRun()) {
    Node Root = P.roots().front();
    bool RootIsHole = P.holeOf(Root).has_value();
    Tree.root().walk([&](Node N) {
      if (!N.isNamed() || N.is("comment"))
        return false;
      if (N.is("module") || (!RootIsHole && N.kind() != Root.kind()))
        return true;
      bool Found = State.matchNode(Root, N, [&] {
        if (!State.constraintsHold())
          return false;
        Match M;
        M.Start = N.start();
        M.End = N.end();
        M.First = M.Last = N;
        Record(std::move(M));
        return true;
      });
      State.Bound.clear();
      return !Found;
    });
    return Out;
  }

  Tree.root().walk([&](Node N) {
    if (!N.isNamed() || N.is("comment"))
      return false;
    if (!N.is("block") && !N.is("module"))
      return true;
    // A block inside a run that matched is part of that match.
    if (Inside(N))
      return false;
    std::vector<Node> Statements = statementsOf(N);
    for (size_t I = 0; I < Statements.size();) {
      size_t End = I;
      State.matchList(P.roots(), 0, Statements, I, MetaBinding::Shape::Statements,
                      [&](size_t E) {
                        if (E == I || !State.constraintsHold())
                          return false;
                        End = E;
                        Match M;
                        M.First = Statements[I];
                        M.Last = Statements[E - 1];
                        M.Block = N;
                        M.FirstIndex = I;
                        M.LastIndex = E - 1;
                        // Comment lines directly above the run belong to it.
                        unsigned Attached = attachedStart(File, N, M.First);
                        M.Start = File.position(Attached).Line <
                                          File.position(M.First.start()).Line
                                      ? Attached
                                      : M.First.start();
                        M.End = blockContentRange(File, {M.Last}).End;
                        Record(std::move(M));
                        return true;
                      });
      State.Bound.clear();
      I = End > I ? End : I + 1;
    }
    return true;
  });
  // Runs of an outer block are found before those of the blocks they hold.
  std::stable_sort(Out.begin(), Out.end(), [](const Match &A, const Match &B) {
    return A.Start < B.Start;
  });
  return Out;
}

} // namespace excise
