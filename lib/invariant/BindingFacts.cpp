//===- BindingFacts.cpp ---------------------------------------------------===//
#include "invariant/BindingFacts.h"

#include "python/Builtins.h"
#include "source/Words.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <set>
#include <utility>

namespace excise {

namespace {

bool isLoop(Node N) { return N.is("for_statement") || N.is("while_statement"); }

/// True when one of \p Bindings is inside a loop that also holds \p Read,
/// below \p Owner (the scope's node): the loop's next turn sees it.
bool boundInLoopAround(Node Read, llvm::ArrayRef<const Binding *> Bindings, Node Owner) {
  for (Node P = Read.parent(); P && P != Owner; P = P.parent()) {
    if (!isLoop(P))
      continue;
    for (const Binding *B : Bindings)
      if (B->NameNode.start() >= P.start() && B->NameNode.end() <= P.end())
        return true;
  }
  return false;
}

void gatherStarImports(Node N, const ParsedFile &F, const ModuleIndex &Modules,
                       std::vector<std::string> &Out) {
  for (Node C : N.namedChildren()) {
    llvm::StringRef K = C.kind();
    if (K == "function_definition" || K == "class_definition" ||
        K == "decorated_definition")
      continue;
    if (K == "import_from_statement") {
      if (llvm::any_of(C.namedChildren(),
                       [](Node I) { return I.is("wildcard_import"); })) {
        std::string M = importedModule(C, F.Source.text(), F.Module, F.IsPackage);
        if (!M.empty() && Modules.hasModule(M))
          Out.push_back(std::move(M));
      }
      continue;
    }
    if (K.endswith("statement") || K == "block" || K.endswith("clause"))
      gatherStarImports(C, F, Modules, Out);
  }
}

/// True when \p Read is in the assignment that \p B binds, after the name:
/// `x = f(x)` reads the `x` bound before it.
bool readInOwnAssignment(const Binding *B, Node Read) {
  if (B->Kind != BindingKind::Assignment || !B->Statement ||
      B->NameNode.parent().is("named_expression"))
    return false;
  return B->Statement.start() <= Read.start() && Read.end() <= B->Statement.end();
}

/// Statements of one scope that bind one name whenever they complete.
class AlwaysBinds {
public:
  AlwaysBinds(llvm::ArrayRef<Binding *> Bindings,
              llvm::function_ref<bool(const Binding *)> Ignored) {
    for (const Binding *B : Bindings) {
      if (Ignored && Ignored(B))
        continue;
      if (B->Kind == BindingKind::Parameter)
        Parameter = true;
      Node S = B->Statement;
      // A loop may not run; an `except ... as` binds only on its path.
      if (!S || S.is("for_statement") || S.is("try_statement") ||
          S.is("while_statement"))
        continue;
      Statements.insert({S.start(), S.end()});
    }
  }

  bool Parameter = false;

  /// True when \p S binds the name whenever it completes.
  bool statement(Node S) const {
    if (Statements.count({S.start(), S.end()}))
      return true;
    llvm::StringRef K = S.kind();
    if (K == "with_statement")
      return blockOrExit(S.field("body"));
    if (K == "if_statement") {
      if (!blockOrExit(S.field("consequence")))
        return false;
      bool Else = false;
      for (Node A : S.fields("alternative")) {
        Else = Else || A.is("else_clause");
        if (!blockOrExit(A.is("else_clause") ? A.field("body") : A.field("consequence")))
          return false;
      }
      return Else;
    }
    if (K == "try_statement") {
      bool Handlers = blockOrExit(S.field("body"));
      for (Node C : S.namedChildren()) {
        if (C.is("finally_clause") && blockOrExit(lastBlock(C)))
          return true;
        if (C.is("except_clause") || C.is("except_group_clause"))
          Handlers = Handlers && blockOrExit(lastBlock(C));
      }
      return Handlers;
    }
    return false;
  }

  /// True when the statements of \p Block bind the name whenever they
  /// complete, or never complete (return, raise, break, continue).
  bool blockOrExit(Node Block) const {
    if (!Block)
      return false;
    for (Node S : Block.namedChildren()) {
      llvm::StringRef K = S.kind();
      if (K == "return_statement" || K == "raise_statement" ||
          K == "break_statement" || K == "continue_statement" || statement(S))
        return true;
    }
    return false;
  }

private:
  static Node lastBlock(Node Clause) {
    Node Last;
    for (Node C : Clause.namedChildren())
      if (C.is("block"))
        Last = C;
    return Last;
  }

  std::set<std::pair<unsigned, unsigned>> Statements;
};

} // namespace

/// The segments of \p N when it is a chain of identifiers and attributes
/// (`a.b.c`), root first; empty otherwise.
bool dottedChain(Node N, llvm::StringRef Src, llvm::SmallVectorImpl<Node> &Parts) {
  if (N.is("identifier")) {
    Parts.push_back(N);
    return true;
  }
  if (!N.is("attribute"))
    return false;
  if (!dottedChain(N.field("object"), Src, Parts))
    return false;
  Node Attr = N.field("attribute");
  if (!Attr.is("identifier"))
    return false;
  Parts.push_back(Attr);
  return true;
}

/// The module a reference's bindings all import, when it is a module of the
/// project: `import a.b` binds `a` to a; `import a.b as c` and
/// `from a import b` (b a module) bind to a.b. Imports of modules outside
/// the project among them are passed over. Empty otherwise.
std::string importedModuleOf(llvm::ArrayRef<Binding *> Bindings,
                             const ModuleIndex &Modules) {
  std::string Module;
  for (const Binding *B : Bindings) {
    if (B->ImportTarget.empty() ||
        (B->Kind != BindingKind::Import && B->Kind != BindingKind::ImportFrom))
      return "";
    // An import from outside the project (`try: import sqla_plugin_base as
    // plugin_base` / `except ImportError: from . import plugin_base`) leaves
    // the name to the project's module where the project runs.
    if (!Modules.hasModule(B->ImportTarget) &&
        !Modules.hasModule(llvm::StringRef(B->ImportTarget).split('.').first))
      continue;
    if (!Module.empty() && Module != B->ImportTarget)
      return "";
    Module = B->ImportTarget;
  }
  return !Module.empty() && Modules.hasModule(Module) ? Module : "";
}

bool definitelyBound(const ParsedFile &File, const Reference &Read,
                     llvm::function_ref<bool(const Binding *)> Ignored) {
  if (!Read.Resolved || Read.Resolved != Read.From)
    return false;
  llvm::ArrayRef<Binding *> All = File.Scopes->bindingsOf(Read);
  AlwaysBinds Binds(All, Ignored);
  if (Binds.Parameter)
    return true;
  Node At = Read.Identifier;
  Node Owner = Read.From->Owner;
  for (Node P = At.parent(), Prev = At; P; Prev = P, P = P.parent()) {
    if (P.is("block") || P.is("module"))
      for (Node S : P.namedChildren()) {
        if (S.end() > At.start())
          break;
        if (Binds.statement(S))
          return true;
      }
    // The body of a `for`, `with` or `except ... as` runs after its head
    // bound the targets.
    if (Prev.is("block") && (P.is("for_statement") || P.is("with_statement") ||
                             P.is("except_clause") || P.is("except_group_clause")))
      for (const Binding *B : All)
        if ((!Ignored || !Ignored(B)) && B->NameNode.start() >= P.start() &&
            B->NameNode.end() <= Prev.start())
          return true;
    if (P == Owner)
      break;
  }
  return false;
}

const TextEdit *editAt(llvm::ArrayRef<TextEdit> Edits, unsigned Offset) {
  auto It = llvm::upper_bound(Edits, Offset, [](unsigned O, const TextEdit &E) {
    return O < E.Offset;
  });
  if (It == Edits.begin() || Offset >= std::prev(It)->Offset + std::prev(It)->Length)
    return nullptr;
  return &*std::prev(It);
}

std::vector<TextEdit> asDeletions(llvm::StringRef Src, llvm::ArrayRef<TextEdit> Edits) {
  auto InWord = [](char C) {
    return llvm::isAlnum(C) || C == '_' || static_cast<unsigned char>(C) >= 0x80;
  };
  // A cut whose end falls inside a word changes that word: not a deletion.
  auto Splits = [&](size_t At) {
    return At > 0 && At < Src.size() && InWord(Src[At - 1]) && InWord(Src[At]);
  };
  std::vector<TextEdit> Out;
  Out.reserve(Edits.size());
  for (const TextEdit &E : Edits) {
    llvm::StringRef Old = Src.substr(E.Offset, E.Length), New = E.Text;
    if (New.empty() || New.size() >= Old.size()) {
      Out.push_back(E);
      continue;
    }
    size_t Prefix = 0;
    while (Prefix < New.size() && Old[Prefix] == New[Prefix])
      ++Prefix;
    size_t Suffix = 0;
    while (Prefix + Suffix < New.size() &&
           Old[Old.size() - 1 - Suffix] == New[New.size() - 1 - Suffix])
      ++Suffix;
    unsigned Start = E.Offset + Prefix, End = E.Offset + Old.size() - Suffix;
    if (Prefix + Suffix != New.size() || Splits(Start) || Splits(End)) {
      Out.push_back(E);
      continue;
    }
    Out.push_back({Start, End - Start, {}});
  }
  return Out;
}

bool editsTakeAway(llvm::ArrayRef<TextEdit> Edits, Node N, llvm::StringRef Src) {
  const TextEdit *E = editAt(Edits, N.start());
  return E && N.end() <= E->Offset + E->Length &&
         (E->Text.empty() || !llvm::StringRef(E->Text).contains(N.text(Src)));
}

bool deletedByEdits(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits, Node Name) {
  const TextEdit *E = editAt(Edits, Name.start());
  if (!E)
    return false;
  if (E->Text.empty())
    return true;
  llvm::StringRef Src = File.Source.text();
  llvm::StringRef Word = Name.text(Src);
  unsigned Old = 0, New = 0;
  forEachWord(Src.substr(E->Offset, E->Length), Word, [&](size_t) {
    ++Old;
    return true;
  });
  forEachWord(E->Text, Word, [&](size_t) {
    ++New;
    return true;
  });
  return New < Old;
}

bool hiddenFromTypeCheckers(const Binding *B, llvm::StringRef Src) {
  for (Node P = B->NameNode.parent(); P; P = P.parent()) {
    if (P.is("function_definition") || P.is("class_definition") || P.is("module"))
      return false;
    if (P.is("else_clause") && P.parent().is("if_statement") &&
        P.parent().field("condition").text(Src).endswith("TYPE_CHECKING"))
      return true;
  }
  return false;
}

bool testedAround(Node Read, llvm::StringRef Name, llvm::StringRef Src,
                  llvm::function_ref<bool(Node)> Gone) {
  auto Mentions = [&](Node Cond) { return Cond && mentionsWord(Cond.text(Src), Name); };
  for (Node Child = Read, P = Read.parent(); P; Child = P, P = P.parent()) {
    if (P.is("function_definition") || P.is("class_definition") || P.is("module"))
      return false;
    if ((P.is("if_statement") || P.is("elif_clause") || P.is("while_statement")) &&
        P.field("condition") != Child && Mentions(P.field("condition")))
      return true;
    if (P.is("boolean_operator") && P.field("right") == Child && Mentions(P.field("left")))
      return true;
    if (P.is("conditional_expression") && P.namedChildCount() == 3 &&
        P.namedChild(1) != Child && Mentions(P.namedChild(1)))
      return true;
    if (P.is("block"))
      for (Node S = Child.prevNamedSibling(); S; S = S.prevNamedSibling())
        if (S.is("if_statement") && Mentions(S.field("condition")) && !(Gone && Gone(S)))
          return true;
  }
  return false;
}

namespace {

/// True when the value of \p E is what the `return` around it gives back:
/// `return E`, `return a or E`, `return E and b`, `return E if t else b`.
bool returned(Node E) {
  for (Node Child = E, P = E.parent(); P; Child = P, P = P.parent()) {
    if (P.is("return_statement"))
      return true;
    if (P.is("parenthesized_expression") || P.is("expression_list"))
      continue;
    if (P.is("boolean_operator") || (P.is("conditional_expression") && P.namedChildCount() == 3 &&
                                     P.namedChild(1) != Child))
      continue;
    return false;
  }
  return false;
}

} // namespace

std::vector<NoneUse> noneUses(const ScopeTree &T, Node E, llvm::StringRef Name,
                              llvm::StringRef Src, llvm::function_ref<bool(Node)> Gone) {
  std::vector<NoneUse> Out;
  if ((cascade::usedAsObject(E) || returned(E)) && !testedAround(E, Name, Src, Gone)) {
    Out.push_back({E, ""});
    return Out;
  }
  Node Value = E;
  while (Value.parent().is("parenthesized_expression"))
    Value = Value.parent();
  Node A = Value.parent();
  if (!A.is("assignment") || A.field("right") != Value || !A.field("left").is("identifier"))
    return Out;
  const Binding *Copy = T.bindingAt(A.field("left"));
  if (!Copy)
    return Out;
  llvm::StringRef Alias = A.field("left").text(Src);
  for (const Reference &R : T.references()) {
    Node Read = R.Identifier;
    if (Read.start() < A.end() || R.Resolved != Copy->Owner || (Gone && Gone(Read)) ||
        !llvm::is_contained(T.bindingsOf(R), Copy))
      continue;
    if ((cascade::usedAsObject(Read) || returned(Read)) && !testedAround(Read, Alias, Src, Gone) &&
        !testedAround(Read, Name, Src, Gone))
      Out.push_back({Read, Alias.str()});
  }
  return Out;
}


BindingFacts bindingFacts(const ParsedFile &File, const ModuleIndex &Modules) {
  BindingFacts Facts;
  const ScopeTree &T = *File.Scopes;
  llvm::StringRef Src = File.Source.text();

  for (const Reference &R : T.references()) {
    llvm::StringRef Name = R.Identifier.text(Src);
    if (!R.Resolved) {
      if (!isBuiltinName(Name))
        Facts.Unbound.push_back({R.Identifier.start(), Name.str(), false});
      continue;
    }
    // Code of a function, a class body or the module runs top to bottom: a
    // read that its own scope binds only further down is unbound unless a
    // loop brings the binding round. Closures and comprehensions read later.
    if (R.Resolved != R.From || R.From->Kind == Scope::Lambda ||
        R.From->Kind == Scope::Comprehension)
      continue;
    llvm::ArrayRef<Binding *> Bindings = T.bindingsOf(R);
    unsigned At = R.Identifier.start();
    if (llvm::any_of(Bindings, [&](const Binding *B) {
          return B->NameNode.start() < At && !readInOwnAssignment(B, R.Identifier);
        }))
      continue;
    std::vector<const Binding *> Later(Bindings.begin(), Bindings.end());
    if (boundInLoopAround(R.Identifier, Later, R.From->Owner))
      continue;
    Facts.Unbound.push_back({At, Name.str(), true});
  }
  // A string annotation or a type comment is read when a type checker (or
  // `typing.get_type_hints`) asks: after the module has run, not in order.
  for (const TextReference &R : T.textReferences()) {
    bool Seen = R.Resolved && llvm::any_of(*R.Resolved->lookupLocal(R.Name), [&](const Binding *B) {
      return !hiddenFromTypeCheckers(B, Src);
    });
    if (!Seen && !isBuiltinName(R.Name))
      Facts.Unbound.push_back({R.Offset, R.Name.str(), false});
  }
  llvm::sort(Facts.Unbound, [](const UnboundRead &A, const UnboundRead &B) {
    return A.Offset < B.Offset;
  });

  for (const auto &Entry : T.module().Names) {
    unsigned First = ~0u;
    for (const Binding *B : Entry.second)
      First = std::min(First, B->NameNode.start());
    Facts.ModuleNames[Entry.first()] = First;
  }
  if (File.Tree)
    gatherStarImports(File.Tree->root(), File, Modules, Facts.StarModules);

  for (const auto &B : T.bindings()) {
    if (B->Kind != BindingKind::ImportFrom || B->ImportTarget.empty())
      continue;
    auto [Module, Name] = llvm::StringRef(B->ImportTarget).rsplit('.');
    if (Module.empty() || !Modules.hasModule(Module) || Modules.hasModule(B->ImportTarget))
      continue;
    Node Item = B->NameNode.is("aliased_import") ? B->NameNode.field("name") : B->NameNode;
    Facts.Uses.push_back({Item.start(), Module.str(), Name.str(), true,
                          B->Owner == &T.module() ? B->Name : ""});
  }
  for (Node A : File.Attributes) {
    llvm::SmallVector<Node, 8> Parts;
    if (!dottedChain(A, Src, Parts) || Parts.size() < 2)
      continue;
    const Reference *Root = T.referenceAt(Parts.front());
    if (!Root)
      continue;
    std::string Module = importedModuleOf(T.bindingsOf(*Root), Modules);
    if (Module.empty())
      continue;
    for (size_t I = 1; I + 1 < Parts.size(); ++I)
      Module += "." + Parts[I].text(Src).str();
    llvm::StringRef Name = Parts.back().text(Src);
    if (!Modules.hasModule(Module) || Modules.hasModule(Module + "." + Name.str()))
      continue;
    Facts.Uses.push_back({A.start(), Module, Name.str(), false, ""});
  }
  llvm::sort(Facts.Uses, [](const ModuleUse &A, const ModuleUse &B) {
    return A.Offset < B.Offset;
  });
  return Facts;
}

} // namespace excise
