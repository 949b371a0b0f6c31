//===- Cascade.cpp --------------------------------------------------------===//
//
// analyzeFile, and the walk of FileAnalyzer (FileAnalyzer.h): the walks
// until the file's facts stop changing, blocks, expression statements,
// assignments and `__all__`, `del`, imports and definitions. The compound
// statements are in CompoundStatements.cpp.
//
//===----------------------------------------------------------------------===//
#include "semantics/Cascade.h"

#include "edit/Ranges.h"
#include "semantics/CascadeSyntax.h"
#include "semantics/FileAnalyzer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>

namespace excise {

FileOutcome analyzeFile(const ParsedFile &File, const CascadeContext &Context,
                        const llvm::StringMap<Cause> *RewrittenAway) {
  return cascade::FileAnalyzer(File, Context, RewrittenAway).run();
}

namespace cascade {

FileAnalyzer::FileAnalyzer(const ParsedFile &File, const CascadeContext &Ctx,
                           const llvm::StringMap<Cause> *RewrittenAway)
    : F(File), Ctx(Ctx), Src(File.Source.text()), SF(File.Source),
      ST(*File.Scopes), Oracle(File, Ctx, Round), Orphan(File, RewrittenAway),
      Dead(File, Ctx.Pure, Orphan), Derived(File, Oracle, Ctx.Pure), Edits(File, Round), Leftover(File, Oracle, Round), Guard(Src, Oracle) {}

FileOutcome FileAnalyzer::run() {
  // Local facts only grow, so this terminates; the bound is a safety net.
  for (unsigned Walk = 0; Walk < 64; ++Walk) {
    Round = RoundState();
    // A module whose every statement goes becomes empty (its shebang and
    // encoding lines aside).
    if (visitBlock(F.Tree->root()))
      Edits.emitRuns(F.Tree->root(), statementsOf(F.Tree->root()));
    bool Same = Orphan.endWalk(std::move(Round.Deleted));
    // Another walk is needed only when a fact grew after something had
    // asked about it, or when the deletions changed in a way the orphan
    // or dead-local rules can see.
    if (!Round.LateGrowth &&
        (Same || (!Orphan.anyCandidate() && !Dead.anyCandidate())))
      break;
  }
  if (Leftover.skippedAny())
    Leftover.logSkippedQuestions();
  FileOutcome Out;
  Out.Edits = Edits.finalEdits();
  Out.Diagnostics = std::move(Round.Diags);
  for (const auto &Entry : Oracle.discovered())
    Out.Discovered.emplace_back(Entry.first, Entry.second);
  Out.Queries = Oracle.log().entries(F.Module);
  return Out;
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

/// Visits the statements of \p Block; returns true when all of them go, in
/// which case no edit for them is recorded and the owner must decide.
bool FileAnalyzer::visitBlock(Node Block) {
  std::vector<Node> Stmts = statementsOf(Block);
  for (size_t I = 0; I < Stmts.size(); ++I) {
    visitStatement(Stmts[I]);
    // An attribute docstring goes with the assignment it documents.
    if (I > 0 && Edits.isDeleted(Stmts[I - 1]) && !Edits.isDeleted(Stmts[I]) &&
        isStringStatement(Stmts[I]) && isAssignmentStatement(Stmts[I - 1]) &&
        Stmts[I].startRow() == Stmts[I - 1].endRow() + 1)
      Edits.deleteStatement(
          Stmts[I], Edits.causeOf(Stmts[I - 1]).then("attribute docstring"));
  }
  // `global` and `nonlocal` declare names for the statements around them:
  // when all of those go, so do they.
  auto IsDeclaration = [](Node S) {
    return S.is("global_statement") || S.is("nonlocal_statement");
  };
  auto Goes = [&](Node S) { return Edits.isDeleted(S); };
  Node FirstGone;
  for (Node S : Stmts)
    if (!FirstGone && Goes(S))
      FirstGone = S;
  if (FirstGone && llvm::all_of(Stmts, [&](Node S) { return Goes(S) || IsDeclaration(S); }))
    for (Node S : Stmts)
      if (IsDeclaration(S))
        Edits.deleteStatement(S, Edits.causeOf(FirstGone).then("declaration of nothing left"));
  if (!Stmts.empty() && llvm::all_of(Stmts, Goes))
    return true;
  Edits.emitRuns(Block, Stmts);
  return false;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void FileAnalyzer::visitStatement(Node S) {
  llvm::StringRef K = S.kind();
  if (K == "expression_statement")
    return visitExpressionStatement(S);
  if (K == "import_statement" || K == "import_from_statement")
    return visitImport(S);
  if (K == "if_statement")
    return visitIf(S);
  if (K == "with_statement")
    return visitWith(S);
  if (K == "try_statement")
    return visitTry(S);
  if (K == "for_statement" || K == "while_statement")
    return visitLoop(S);
  if (K == "function_definition" || K == "class_definition" ||
      K == "decorated_definition")
    return visitDefinition(S);
  if (K == "delete_statement")
    return visitDelete(S);
  if (K == "return_statement")
    return visitReturn(S);
  if (K == "match_statement")
    return visitMatch(S);
  Leftover.report(S);
}

/// `del removed` (every target removed) has nothing left to delete: the
/// statement goes. A `del` of removed and kept things is a leftover.
void FileAnalyzer::visitDelete(Node S) {
  std::vector<Node> Targets;
  for (Node C : S.namedChildren()) {
    if (C.is("expression_list")) {
      for (Node T : C.namedChildren())
        if (!T.is("comment"))
          Targets.push_back(T);
    } else if (!C.is("comment")) {
      Targets.push_back(C);
    }
  }
  std::optional<RemovedValue> First;
  for (Node T : Targets) {
    std::optional<RemovedValue> R = Oracle.removedValue(T);
    if (!R)
      return Leftover.report(S);
    if (!First)
      First = R;
  }
  if (!First)
    return Leftover.report(S);
  Edits.deleteStatement(S, First->Why->then("del of " +
                                            describe(First->Root, Src) +
                                            " (statement)"));
}

/// `return removed` as the only statement left (but a docstring) of a function
/// that goes when it does nothing (not a dunder, without a decorator that
/// stays): the
/// function only handed the removed thing on, so the return goes, and the
/// function with it (visitDefinition). Anywhere else a return of a removed
/// value is a leftover: without it the function would go on past it.
void FileAnalyzer::visitReturn(Node S) {
  Node Block = S.parent(), Def = Block.parent();
  // What the walk already deleted before it is not there: a re-run would
  // find the return alone.
  std::vector<Node> Stmts;
  if (Block.is("block"))
    for (Node Other : statementsOf(Block))
      if (!Edits.isDeleted(Other))
        Stmts.push_back(Other);
  bool Only = Stmts.size() == 1 || (Stmts.size() == 2 && isStringStatement(Stmts[0]));
  if (S.namedChildCount() == 1 && Only && Stmts.back() == S &&
      Def.is("function_definition") && !keepsDecorator(Def.parent()) &&
      !isDunder(Def.field("name").text(Src)))
    if (std::optional<RemovedValue> R = Oracle.removedValue(S.namedChild(0))) {
      Edits.deleteStatement(S, R->Why->then("return of " + describe(R->Root, Src) +
                                            ", all the function did"));
      return;
    }
  Leftover.report(S);
}

static std::string calleeText(const CallRule &R) {
  return R.Matcher.Callee.Value.empty() ? R.Matcher.Function.Value
                                        : R.Matcher.Callee.Value;
}

void FileAnalyzer::visitExpressionStatement(Node S) {
  Node E = S.namedChild(0);
  if (S.namedChildCount() == 1 &&
      (E.is("assignment") || E.is("augmented_assignment")))
    return visitAssignment(S, E);
  if (S.namedChildCount() == 1) {
    if (auto R = Oracle.removedValue(E)) {
      Edits.deleteStatement(
          S, R->Why->then(std::string(R->ViaCall ? "call" : "use") + " of " +
                          describe(R->Root, Src) + " (statement)"));
      return;
    }
    if (const CallRule *Rule = matchingCallRule(E)) {
      Edits.deleteStatement(
          S, Cause{Rule->RuleId, {"call matches " + calleeText(*Rule)}});
      return;
    }
    // A call given nothing but removed values and literals served them:
    // `app.include_router(search_router)`, `base.update({...})`.
    if (const Cause *Why = Derived.callOfDerived(E)) {
      Node Call = E;
      while (Call.is("await"))
        Call = Call.namedChild(0);
      std::string Callee = Call.field("function").text(Src).str();
      Edits.deleteStatement(S, Why->then("call of " + Callee + " with removed values only"));
      if (!Ctx.Pure.isPure(F, Call) && !isLoggingCall(Call, Src))
        Leftover.note(S, *Why,
                      "'" + Callee + "(...)' went with the removed values it was given; it may "
                      "have had an effect");
      return;
    }
  }
  Leftover.report(S);
}

const CallRule *FileAnalyzer::matchingCallRule(Node E) const {
  while (E.is("await"))
    E = E.namedChild(0);
  if (!E.is("call"))
    return nullptr;
  for (const CallRule &R : Ctx.Calls)
    if (matchesCallRule(F, E, R, Ctx.Proj))
      return &R;
  return nullptr;
}

void FileAnalyzer::visitAssignment(Node S, Node A) {
  Node Right = A.field("right");
  while (Right && Right.is("assignment"))
    Right = Right.field("right");
  std::optional<RemovedValue> R;
  if (Right)
    R = Oracle.removedValue(Right);
  // A removed binding goes whole before its value is looked at: trimming
  // the entries of a removed `__all__` would leave it for a second run.
  if (!R)
    if (Node Left = A.field("left"); Left.is("identifier"))
      if (const Binding *B = ST.bindingAt(Left))
        if (const Cause *Why = Oracle.removedBinding(B)) {
          Edits.deleteStatement(S, Why->then("definition of " + B->Name));
          return;
        }
  if (!R && visitExportList(S, A))
    return;
  if (!R && orphanedGlobal(S, A))
    return;
  if (!R && visitDeadLocal(S, A))
    return;
  // A value computed from removed things only is removed too.
  if (!R && Right && !A.is("augmented_assignment"))
    if (const Cause *Why = Derived.derived(Right)) {
      Edits.deleteStatement(S, Why->then("assigned a value computed from removed things"));
      Cause Base = *Why;
      Base.Result = true;
      taintTargets(A.field("left"), Base, "a value computed from removed things");
      return;
    }
  if (!R) {
    // Assigning to something removed (`self.repo = None` elsewhere) is
    // inert too.
    Node Target = A.field("left");
    if ((Target.is("attribute") || Target.is("identifier")) && Right &&
        isSideEffectFree(Right))
      if (auto L = Oracle.removedValue(Target)) {
        Edits.deleteStatement(
            S, L->Why->then("assignment to " + describe(Target, Src)));
        return;
      }
    if (Right && Right.is("call"))
      if (const CallRule *Rule = matchingCallRule(Right)) {
        Leftover.add(
            Right, Cause{Rule->RuleId, {}},
            "the value of this call is used; it cannot be removed safely");
        return;
      }
    Leftover.report(S);
    return;
  }
  std::string What = describe(R->Root, Src);
  Cause Why = R->Why->then("assigned from " + What);
  Edits.deleteStatement(S, Why);
  if (A.is("augmented_assignment"))
    return;
  // What a removed function returned (`enabled = start_profiler()`) is a
  // result, unless the callee makes objects (`get_logger()`, `Repo(db)`) or
  // the code uses it as one (taintTargets): then it stands for the thing.
  Cause Base = *R->Why;
  Base.Result = R->Result || (R->ViaCall && !namesFactory(describe(R->Root, Src)));
  taintTargets(A.field("left"), Base, What);
}

/// A private module global, used before and only by removed code now.
bool FileAnalyzer::orphanedGlobal(Node S, Node A) {
  Node Target = A.field("left");
  if (!Target.is("identifier") || !isPrivate(Target.text(Src)))
    return false;
  const Binding *B = ST.bindingAt(Target);
  if (!B || B->Owner->Kind != Scope::Module)
    return false;
  const auto *All = B->Owner->lookupLocal(B->Name);
  if (!All || All->size() != 1 || !Orphan.orphanedDefinition(B))
    return false;
  if (Node Right = A.field("right"); Right && !isSideEffectFree(Right))
    return false;
  Edits.deleteStatement(S, Orphan.causeOf(B).then(B->Name + " no longer used"));
  return true;
}

/// Lines, for messages: `line 12`, `lines 12 and 15`, `lines 3, 5 and 9`.
static std::string linesText(const std::vector<unsigned> &Lines) {
  std::string Out = Lines.size() == 1 ? "line " : "lines ";
  for (size_t I = 0; I < Lines.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Lines.size() ? " and " : ", ";
    Out += std::to_string(Lines[I]);
  }
  return Out;
}

/// Names, for messages: `'rows'`, `'start' and 'count'`.
static std::string namesText(const std::vector<std::string> &Names) {
  std::string Out;
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Names.size() ? " and " : ", ";
    Out += "'" + Names[I] + "'";
  }
  return Out;
}

/// A function's local whose readers the plan removed: its assignment goes
/// when the value is pure; otherwise it stays, with a note.
bool FileAnalyzer::visitDeadLocal(Node S, Node A) {
  std::optional<DeadAssignment> D = Dead.deadAssignment(S, A);
  if (!D)
    return false;
  if (!D->Effect) {
    Edits.deleteStatement(S, D->Why.then(llvm::join(D->Names, ", ") +
                                         " no longer read"));
    return true;
  }
  bool One = D->Names.size() == 1;
  std::string Readers =
      D->Readers == 1 ? std::string(One ? "its only reader" : "their only reader")
                      : std::string(One ? "its readers" : "their readers");
  Leftover.note(S, D->Why,
                namesText(D->Names) + (One ? " is" : " are") +
                    " no longer read: the plan removed " + Readers + " at " +
                    linesText(D->ReaderLines) + "; " + (One ? "its" : "their") +
                    " value is kept because '" + describe(D->Effect, Src) +
                    "' may have an effect");
  return false;
}

/// `__all__ = [...]`: the entries naming removed things go.
bool FileAnalyzer::visitExportList(Node S, Node A) {
  Node Target = A.field("left"), Right = A.field("right");
  if (!Target.is("identifier") || Target.text(Src) != "__all__" || !Right ||
      !(Right.is("list") || Right.is("tuple")))
    return false;
  if (ST.scopeAt(S)->Kind != Scope::Module)
    return false;
  std::vector<Node> Items;
  std::vector<bool> Remove;
  const Cause *Why = nullptr;
  for (Node Item : Right.namedChildren()) {
    if (Item.is("comment"))
      continue;
    Items.push_back(Item);
    bool Gone = false;
    if (Item.is("string")) {
      llvm::StringRef Name;
      for (Node C : Item.namedChildren())
        if (C.is("string_content"))
          Name = C.text(Src);
      if (const auto *Bs = ST.module().lookupLocal(Name)) {
        const Cause *C = nullptr;
        Gone = !Bs->empty() && llvm::all_of(*Bs, [&](const Binding *B) {
          if (const Cause *X = Oracle.removedBinding(B)) {
            C = C ? C : X;
            return true;
          }
          return Orphan.insideDeleted(B->Statement);
        });
        if (Gone)
          Why = Why ? Why : C;
      }
    }
    Remove.push_back(Gone);
  }
  if (!llvm::is_contained(Remove, true))
    return false;
  Cause Base = Why ? *Why : Cause();
  if (llvm::all_of(Remove, [](bool B) { return B; })) {
    Edits.replace(Right.start(), Right.end(), Right.is("list") ? "[]" : "()",
                  Base.then("__all__ entries"));
    return true;
  }
  std::vector<Range> Ranges = listItemRemovalRanges(SF, Items, Remove);
  // A tuple left with one element keeps a comma after it: `("Other")` is
  // a string, and `from m import *` would export its letters.
  std::optional<unsigned> CommaAt;
  if (Right.is("tuple") && llvm::count(Remove, false) == 1) {
    Node Kept = Items[llvm::find(Remove, false) - Remove.begin()];
    std::string After;
    unsigned Pos = Kept.end();
    for (const Range &R : Ranges)
      if (R.Start >= Pos) {
        After += Src.slice(Pos, R.Start);
        Pos = R.End;
      }
    After += Src.slice(Pos, Right.end());
    if (!llvm::StringRef(After).ltrim(" \t\r\n\\").startswith(","))
      CommaAt = Kept.end();
  }
  for (const Range &R : Ranges) {
    if (CommaAt && R.Start == *CommaAt) {
      Edits.replace(R.Start, R.End, ",", Base.then("__all__ entry"));
      CommaAt.reset();
      continue;
    }
    Edits.replace(R.Start, R.End, "", Base.then("__all__ entry"));
  }
  if (CommaAt)
    Edits.replace(*CommaAt, *CommaAt, ",", Base.then("__all__ entry"));
  return true;
}

void FileAnalyzer::taintTargets(Node Target, const Cause &Base,
                                const std::string &What) {
  llvm::StringRef K = Target.kind();
  if (K == "identifier") {
    // The target is bound where the assignment is; find that binding.
    if (const Binding *B = ST.bindingAt(Target)) {
      const auto *All = B->Owner->lookupLocal(B->Name);
      if (!All || All->size() != 1)
        return; // Other bindings keep the name alive.
      Cause Why = Base.then(B->Name + " (assigned from " + What + ")");
      Why.Result = Base.Result && llvm::none_of(ST.references(), [&](const Reference &R) {
                     return usedAsObject(R.Identifier) &&
                            llvm::is_contained(ST.bindingsOf(R), B);
                   });
      if (std::string Name = Oracle.definedName(B); !Name.empty())
        Oracle.discover(Name, Why, B);
      Oracle.taint(B, Why);
      return;
    }
    return;
  }
  if (K == "attribute") {
    std::string Cls;
    if (!Oracle.selfAttribute(Target, &Cls))
      return;
    std::string Attr = Target.field("attribute").text(Src).str();
    if (Oracle.selfAssignments(Cls, Attr) != 1)
      return;
    Cause Why = Base.then(Target.text(Src).str() + " (assigned from " + What + ")");
    Why.Result = Base.Result && llvm::none_of(F.Attributes, [&](Node A) {
                   std::string Of;
                   return A.field("attribute").text(Src) == Attr && usedAsObject(A) &&
                          Oracle.selfAttribute(A, &Of) && Of == Cls;
                 });
    Oracle.discover(Cls + "." + Attr, std::move(Why));
    return;
  }
  if (K == "pattern_list" || K == "tuple_pattern" || K == "list_pattern")
    for (Node C : Target.namedChildren())
      taintTargets(C, Base, What);
}

//===----------------------------------------------------------------------===//
// Imports
//===----------------------------------------------------------------------===//

/// Why the import item \p Item (with its bindings) goes, or null.
const Cause *FileAnalyzer::removedImportItem(Node Stmt, Node Item,
                                             std::string &What) {
  if (Stmt.is("import_statement")) {
    Node Name = Item.is("aliased_import") ? Item.field("name") : Item;
    What = Name.text(Src).str();
    if (const Cause *C = Oracle.removedName(What))
      return C;
  } else {
    std::string Module = importedModule(Stmt, Src, F.Module, F.IsPackage);
    if (Module.empty())
      return nullptr;
    if (Item.is("wildcard_import")) {
      What = Module + ".*";
      Oracle.record(Query::OrPrefix, Module);
      Oracle.record(Query::OrPrefix, Ctx.Proj.canonical(Module));
      return Ctx.Removed.isRemovedModule(Ctx.Proj.canonical(Module))
                 ? Ctx.Removed.match(Module)
                 : nullptr;
    }
    Node Name = Item.is("aliased_import") ? Item.field("name") : Item;
    What = Module + "." + Name.text(Src).str();
    if (const Cause *C = Oracle.removedName(What))
      return C;
  }
  return nullptr;
}

void FileAnalyzer::visitImport(Node S) {
  std::vector<Node> Items;
  for (Node C : S.namedChildren())
    if (C.is("dotted_name") || C.is("aliased_import") ||
        C.is("wildcard_import"))
      if (!(S.is("import_from_statement") && C == S.field("module_name")))
        Items.push_back(C);
  std::vector<std::pair<Node, Cause>> Gone;
  for (Node Item : Items) {
    std::string What;
    if (const Cause *C = removedImportItem(S, Item, What)) {
      Gone.emplace_back(Item, C->then("import of " + What));
      continue;
    }
    // The binding the item makes.
    const Binding *B = ST.bindingAt(Item);
    if (B && Orphan.orphaned(B)) {
      Gone.emplace_back(Item, Orphan.causeOf(B).then("import of " + B->Name +
                                                     " no longer used"));
    }
  }
  if (Gone.empty())
    return;
  if (Gone.size() == Items.size()) {
    Cause Why = Gone.front().second;
    for (const auto &G : Gone)
      Why.join(G.second);
    Edits.deleteStatement(S, std::move(Why));
    return;
  }
  std::vector<bool> Remove;
  for (Node Item : Items)
    Remove.push_back(
        llvm::any_of(Gone, [&](const auto &G) { return G.first == Item; }));
  for (const Range &R : listItemRemovalRanges(SF, Items, Remove)) {
    const Cause *Why = &Gone.front().second;
    for (const auto &G : Gone)
      if (G.first.start() >= R.Start && G.first.end() <= R.End)
        Why = &G.second;
    Cause Joint = *Why;
    for (const auto &G : Gone)
      if (G.first.start() >= R.Start && G.first.end() <= R.End)
        Joint.join(G.second);
    Edits.replace(R.Start, R.End, "", Joint);
  }
}

//===----------------------------------------------------------------------===//
// Definitions
//===----------------------------------------------------------------------===//

/// The statements that may stay in a function that does nothing.
bool FileAnalyzer::isNoOpBody(Node Block, bool Now) const {
  std::vector<Node> Stmts = statementsOf(Block);
  for (size_t I = 0; I < Stmts.size(); ++I) {
    Node S = Stmts[I];
    if (Now && Edits.isDeleted(S))
      continue;
    if (I == 0 && isStringStatement(S))
      continue;
    if (S.is("pass_statement"))
      continue;
    if (S.is("return_statement") &&
        (S.namedChildCount() == 0 || S.namedChild(0).is("none")))
      continue;
    if (S.is("expression_statement") && S.namedChildCount() == 1 &&
        S.namedChild(0).is("ellipsis"))
      continue;
    // `if not ready: return` guards an early exit, nothing more.
    if (S.is("if_statement") && !S.field("alternative") &&
        isSideEffectFree(S.field("condition")) &&
        isNoOpBody(S.field("consequence"), Now))
      continue;
    return false;
  }
  return true;
}

/// The decorators of \p S whose expression is a removed thing (`@timed`,
/// `@timed(...)`, `@metrics.timed`, `@tracer.span(...)`) go, as an inert
/// decorator hands back what it decorates; the others stay, and what they
/// use is looked at. Returns true when a decorator stays.
bool FileAnalyzer::visitDecorators(Node S) {
  bool Kept = false;
  for (Node C : S.namedChildren()) {
    if (!C.is("decorator"))
      continue;
    if (Node E = C.namedChild(0))
      if (auto R = Oracle.removedValue(E)) {
        Node Named = E.is("call") ? E.field("function") : E;
        Edits.deleteDecorator(C, R->Why->then("decorator @" + describe(Named, Src)));
        continue;
      }
    Kept = true;
    Leftover.report(C);
  }
  return Kept;
}

/// True when \p S is a decorated definition and one of its decorators
/// stays; visitDecorators has seen them.
bool FileAnalyzer::keepsDecorator(Node S) const {
  if (!S.is("decorated_definition"))
    return false;
  return llvm::any_of(S.namedChildren(), [&](Node C) {
    return C.is("decorator") && !Edits.isDeleted(C);
  });
}

void FileAnalyzer::visitDefinition(Node S) {
  Node Def = S.is("decorated_definition") ? S.field("definition") : S;
  Node Name = Def.field("name");
  const Binding *B = ST.bindingAt(Name);
  // If the body shows the definition goes, it goes here (with the cause a
  // second walk would give it), so this question alone does not make the
  // fact about B late.
  if (B)
    if (const Cause *Why = Oracle.removedOwnDefinition(B)) {
      Edits.deleteStatement(S, Why->then("definition of " + B->Name));
      return;
    }
  // Orphans: private helpers used before and only by removed code now.
  if (B && isPrivate(B->Name) && Orphan.orphanedDefinition(B)) {
    Edits.deleteStatement(S,
                          Orphan.causeOf(B).then(B->Name + " no longer used"));
    return;
  }
  bool Decorated = S.is("decorated_definition") && visitDecorators(S);
  if (Def.is("class_definition")) {
    if (Node Supers = Def.field("superclasses"))
      Leftover.report(Supers);
    Node Body = Def.field("body");
    if (visitBlock(Body))
      Edits.passBlock(Body, Edits.firstCause(Body));
    return;
  }
  Node Params = Def.field("parameters");
  for (Node P : Params.namedChildren())
    for (Node C : P.namedChildren())
      if (C.is("type") || P.field("value") == C)
        Leftover.report(C);
  if (Node RT = Def.field("return_type"))
    Leftover.report(RT);
  Node Body = Def.field("body");
  bool WasNoOp = isNoOpBody(Body, false);
  bool Empty = visitBlock(Body);
  bool NoOp = Empty || isNoOpBody(Body, true);
  if (!NoOp || WasNoOp)
    return;
  std::string FnName = Name.text(Src).str();
  Cause Why = Edits.firstCause(Body);
  if (isDunder(FnName) || Decorated || !B) {
    if (Empty)
      Edits.passBlock(Body, Why);
    return;
  }
  Why = Why.then(FnName + "() does nothing any more");
  // As the second walk would find it: removed by its own taint, without a
  // look at what is inside.
  Edits.deleteStatement(S, Why.then("definition of " + B->Name));
  Leftover.dropInside(S);
  if (std::string QName = Oracle.definedName(B); !QName.empty())
    Oracle.discover(QName, Why, B);
  Oracle.taint(B, Why);
}

} // namespace cascade
} // namespace excise
