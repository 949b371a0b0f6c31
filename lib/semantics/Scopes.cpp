//===- Scopes.cpp ---------------------------------------------------------===//
#include "semantics/Scopes.h"

#include "python/Builtins.h"
#include "source/Words.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace excise {

static uint64_t rangeKey(Node N) {
  return (uint64_t(N.start()) << 32) | N.end();
}

const std::vector<Binding *> *Scope::lookupLocal(llvm::StringRef N) const {
  auto It = Names.find(N);
  return It == Names.end() ? nullptr : &It->second;
}

std::string resolveRelativeModule(llvm::StringRef Importer,
                                  bool ImporterIsPackage, unsigned Level,
                                  llvm::StringRef Module) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  if (!Importer.empty())
    Importer.split(Parts, '.');
  // One dot is the importer's package: the module itself for an __init__.
  unsigned Drop = Level - (ImporterIsPackage ? 1 : 0);
  if (Level == 0)
    Drop = Parts.size();
  if (Drop > Parts.size())
    return "";
  Parts.resize(Parts.size() - Drop);
  std::string Result = llvm::join(Parts, ".");
  if (!Module.empty())
    Result += (Result.empty() ? "" : ".") + Module.str();
  return Result;
}

std::string importedModule(Node Stmt, llvm::StringRef Source,
                           llvm::StringRef ModuleName, bool IsPackage) {
  Node M = Stmt.field("module_name");
  if (!M.is("relative_import"))
    return M.text(Source).str();
  unsigned Level = 0;
  llvm::StringRef Rest;
  for (Node C : M.children()) {
    if (C.is("import_prefix"))
      Level = C.end() - C.start();
    else if (C.is("dotted_name"))
      Rest = C.text(Source);
  }
  if (ModuleName.empty())
    return "";
  return resolveRelativeModule(ModuleName, IsPackage, Level, Rest);
}

/// Walks the tree once, creating scopes and bindings and recording references
/// with the scope they appear in; references are resolved at the end, when
/// every binding of every scope is known.
class ScopeTree::Builder {
public:
  Builder(ScopeTree &T, IndexedNodes *Index, unsigned DepthLimit)
      : T(T), Index(Index), DepthLimit(DepthLimit) {}

  void run(Node Root) {
    Scope *M = newScope(Scope::Module, Root, nullptr, "");
    visitChildren(Root, M);
    resolve();
    if (Index) {
      // The walk meets some nodes out of source order (a comprehension's
      // targets before its body); an outer node comes before the nodes it
      // holds, so sorting by start, outer first, gives source order.
      auto SourceOrder = [](Node A, Node B) {
        return A.start() != B.start() ? A.start() < B.start() : A.end() > B.end();
      };
      for (std::vector<Node> *L : {&Index->Attributes, &Index->Assignments, &Index->Strings})
        std::stable_sort(L->begin(), L->end(), SourceOrder);
    }
  }

private:
  ScopeTree &T;
  IndexedNodes *Index;
  const unsigned DepthLimit;
  unsigned Depth = 0;

  /// One level further down the tree for as long as it lives; false when
  /// that is beyond the limit, and the node must not be entered.
  class Descent {
  public:
    explicit Descent(Builder &B) : B(B) {
      ++B.Depth;
      B.T.DepthSeen = std::max(B.T.DepthSeen, B.Depth);
      if (B.Depth > B.DepthLimit)
        B.T.Truncated = true;
    }
    ~Descent() { --B.Depth; }
    explicit operator bool() const { return B.Depth <= B.DepthLimit; }

  private:
    Builder &B;
  };

  void gather(Node N, llvm::StringRef Kind) {
    if (!Index)
      return;
    if (Kind == "attribute")
      Index->Attributes.push_back(N);
    else if (Kind == "assignment" || Kind == "augmented_assignment")
      Index->Assignments.push_back(N);
    else if (Kind == "string")
      Index->Strings.push_back(N);
  }

  /// Gathers what \p N holds without binding or referring to anything.
  void gatherOnly(Node N) {
    Descent D(*this);
    if (!D)
      return;
    gather(N, N.kind());
    for (Node C : N.namedChildren())
      gatherOnly(C);
  }

  llvm::StringRef text(Node N) const { return N.text(T.Source); }

  Scope *newScope(Scope::KindType K, Node Owner, Scope *Parent,
                  llvm::StringRef Name) {
    T.Scopes.push_back(std::make_unique<Scope>());
    Scope *S = T.Scopes.back().get();
    S->Kind = K;
    S->Owner = Owner;
    S->Parent = Parent;
    S->Name = Name.str();
    if (Parent)
      Parent->Children.push_back(S);
    T.ScopeOfOwner[rangeKey(Owner)] = S;
    return S;
  }

  Scope *bindingScope(Scope *S, llvm::StringRef Name) {
    if (S->Globals.count(Name))
      return &T.module();
    if (S->Nonlocals.count(Name))
      for (Scope *P = S->Parent; P; P = P->Parent)
        if (P->Kind == Scope::Function && P->lookupLocal(Name))
          return P;
    return S;
  }

  Binding *bind(Scope *S, Node NameNode, llvm::StringRef Name, BindingKind K,
                Node Statement) {
    S = bindingScope(S, Name);
    T.Bindings.push_back(std::make_unique<Binding>());
    Binding *B = T.Bindings.back().get();
    B->Name = Name.str();
    B->Kind = K;
    B->NameNode = NameNode;
    B->Statement = Statement;
    B->Owner = S;
    S->Names[Name].push_back(B);
    T.BindingIndex.try_emplace(rangeKey(NameNode), B);
    return B;
  }

  void reference(Node Identifier, Scope *S) {
    T.ReferenceIndex[Identifier.start()] = T.References.size();
    T.References.push_back({Identifier, S, nullptr});
  }

  /// Whether the walk is in an annotation, where a string is a type.
  bool InAnnotation = false;

  void visitAnnotation(Node Type, Scope *S) {
    bool Outer = InAnnotation;
    InAnnotation = true;
    visit(Type, S);
    InAnnotation = Outer;
  }

  /// The names \p Text (at \p Offset) reads as a type: the first segment of
  /// each dotted name, outside quotes nested in it (`Literal["a"]`).
  void textReferences(llvm::StringRef Text, unsigned Offset, Scope *S) {
    char Quote = 0;
    for (size_t I = 0, N = Text.size(); I < N;) {
      char C = Text[I];
      if (Quote || C == '"' || C == '\'') {
        Quote = !Quote ? C : C == Quote ? 0 : Quote;
        ++I;
        continue;
      }
      if (!isWordChar(C)) {
        ++I;
        continue;
      }
      size_t Start = I;
      while (I < N && isWordChar(Text[I]))
        ++I;
      llvm::StringRef Word = Text.slice(Start, I);
      size_t Before = Text.find_last_not_of(" \t", Start == 0 ? 0 : Start - 1);
      bool Member = Start > 0 && Before != llvm::StringRef::npos && Text[Before] == '.';
      if (!Member && !llvm::isDigit(Word.front()) && !isPythonKeyword(Word))
        T.TextReferences.push_back({Offset + unsigned(Start), Word, S, nullptr});
    }
  }

  /// A string annotation's names; a string in it that holds other text
  /// (`Annotated[int, "meters"]`) reads names that resolve nowhere, which
  /// the comparison before and after leaves alone.
  void visitAnnotationString(Node N, Scope *S) {
    for (Node C : N.namedChildren())
      if (C.is("string_content"))
        textReferences(text(C), C.start(), S);
  }

  /// `Literal["a", "b"]` holds values, not types; `Annotated[T, "x"]` a type
  /// and values. Other generics hold types.
  void visitGeneric(Node N, Scope *S) {
    Node::Children Kids = N.namedChildren();
    if (Kids.empty())
      return;
    llvm::StringRef Head = text(Kids.front());
    Head = Head.substr(Head.rfind('.') + 1);
    if (Head != "Literal" && Head != "Annotated")
      return visitChildren(N, S);
    visit(Kids.front(), S);
    // The values: the rest of Literal's, all but the first of Annotated's.
    bool Outer = InAnnotation;
    bool First = true;
    for (Node C : llvm::drop_begin(Kids)) {
      llvm::SmallVector<Node, 4> Items;
      if (C.is("type_parameter") || C.is("tuple") || C.is("expression_list"))
        for (Node Item : C.namedChildren())
          Items.push_back(Item);
      else
        Items.push_back(C);
      for (Node Item : Items) {
        InAnnotation = Outer && Head == "Annotated" && First;
        First = false;
        visit(Item, S);
      }
    }
    InAnnotation = Outer;
  }

  /// A type comment's names (`# type: List[Repo]`, `# type: (int) -> Repo`),
  /// but not `# type: ignore`.
  void visitComment(Node N, Scope *S) {
    llvm::StringRef Text = text(N);
    llvm::StringRef Rest = Text.drop_front(1).ltrim();
    if (!Rest.consume_front("type:"))
      return;
    Rest = Rest.ltrim();
    if (Rest.startswith("ignore"))
      return;
    textReferences(Rest, N.start() + unsigned(Rest.data() - Text.data()), S);
  }

  /// The statement being visited: the child of the innermost block (set as
  /// the walk enters it, which avoids tree-sitter's costly parent lookups).
  Node CurrentStatement;
  Node enclosingStatement(Node) const { return CurrentStatement; }

  void visitChildren(Node N, Scope *S) {
    bool Statements = N.is("block") || N.is("module");
    Node Outer = CurrentStatement;
    for (Node C : N.children()) {
      if (Statements)
        CurrentStatement = C;
      visit(C, S);
    }
    CurrentStatement = Outer;
  }

  /// Binds every name in an assignment target; attribute and subscript
  /// targets bind nothing but their objects are references.
  void visitTarget(Node N, Scope *S, BindingKind K, Node Statement) {
    llvm::StringRef Kind = N.kind();
    if (Kind == "identifier") {
      bind(S, N, text(N), K, Statement);
      return;
    }
    if (Kind == "pattern_list" || Kind == "tuple_pattern" ||
        Kind == "list_pattern" || Kind == "list_splat_pattern" ||
        Kind == "parenthesized_expression" || Kind == "tuple" ||
        Kind == "list" || Kind == "as_pattern_target" ||
        Kind == "list_splat") {
      Descent D(*this);
      if (!D)
        return;
      for (Node C : N.namedChildren())
        visitTarget(C, S, K, Statement);
      return;
    }
    visit(N, S);
  }

  void visitParameters(Node Params, Scope *Outer, Scope *Inner) {
    for (Node P : Params.namedChildren()) {
      llvm::StringRef Kind = P.kind();
      if (Kind == "identifier") {
        bind(Inner, P, text(P), BindingKind::Parameter, Params);
      } else if (Kind == "default_parameter" ||
                 Kind == "typed_default_parameter") {
        Node Name = P.field("name");
        if (Name.is("identifier"))
          bind(Inner, Name, text(Name), BindingKind::Parameter, Params);
        if (Node Type = P.field("type"))
          visitAnnotation(Type, Outer);
        if (Node Value = P.field("value"))
          visit(Value, Outer);
      } else if (Kind == "typed_parameter") {
        for (Node C : P.namedChildren()) {
          if (C.is("identifier"))
            bind(Inner, C, text(C), BindingKind::Parameter, Params);
          else if (C.is("list_splat_pattern") ||
                   C.is("dictionary_splat_pattern"))
            for (Node Id : C.namedChildren())
              bind(Inner, Id, text(Id), BindingKind::Parameter, Params);
          else
            visitAnnotation(C, Outer);
        }
      } else if (Kind == "list_splat_pattern" ||
                 Kind == "dictionary_splat_pattern") {
        for (Node Id : P.namedChildren())
          if (Id.is("identifier"))
            bind(Inner, Id, text(Id), BindingKind::Parameter, Params);
      } else if (Kind == "tuple_pattern") {
        visitTarget(P, Inner, BindingKind::Parameter, Params);
      }
    }
  }

  void visitImport(Node Stmt, Scope *S) {
    for (Node Item : Stmt.fields("name")) {
      if (Item.is("aliased_import")) {
        Node Alias = Item.field("alias");
        Binding *B = bind(S, Item, text(Alias), BindingKind::Import, Stmt);
        B->ImportTarget = text(Item.field("name")).str();
      } else {
        // `import a.b.c` binds `a`; the item still names module a.b.c.
        llvm::StringRef Dotted = text(Item);
        Binding *B = bind(S, Item, Dotted.split('.').first,
                          BindingKind::Import, Stmt);
        B->ImportTarget = Dotted.split('.').first.str();
      }
    }
  }

  void visitImportFrom(Node Stmt, Scope *S) {
    std::string Module = importFromModule(Stmt);
    for (Node Item : Stmt.fields("name")) {
      Node Name = Item.is("aliased_import") ? Item.field("name") : Item;
      Node Bound = Item.is("aliased_import") ? Item.field("alias") : Item;
      Binding *B = bind(S, Item, text(Bound), BindingKind::ImportFrom, Stmt);
      if (!Module.empty())
        B->ImportTarget = Module + "." + text(Name).str();
    }
  }

private:
  std::string importFromModule(Node Stmt) {
    return importedModule(Stmt, T.Source, T.ModuleName, T.IsPackage);
  }

  void visit(Node N, Scope *S) {
    if (!N.isNamed())
      return;
    Descent D(*this);
    if (!D)
      return;
    llvm::StringRef Kind = N.kind();
    gather(N, Kind);
    if (Kind == "identifier") {
      reference(N, S);
      return;
    }
    if (Kind == "comment")
      return visitComment(N, S);
    if (Kind == "string" && InAnnotation)
      return visitAnnotationString(N, S);
    if (InAnnotation && (Kind == "generic_type" || Kind == "subscript"))
      return visitGeneric(N, S);
    if (Kind == "string_content" || Kind == "escape_sequence")
      return;
    if (Kind == "import_statement")
      return visitImport(N, S);
    if (Kind == "import_from_statement")
      return visitImportFrom(N, S);
    if (Kind == "future_import_statement")
      return;
    if (Kind == "global_statement" || Kind == "nonlocal_statement") {
      for (Node Id : N.namedChildren())
        if (Id.is("identifier"))
          (Kind == "global_statement" ? S->Globals : S->Nonlocals)[text(Id)] =
              true;
      return;
    }
    if (Kind == "decorated_definition") {
      for (Node C : N.namedChildren())
        if (C.is("decorator"))
          visitChildren(C, S);
      visit(N.field("definition"), S);
      return;
    }
    if (Kind == "function_definition") {
      Node Name = N.field("name");
      bind(S, Name, text(Name), BindingKind::Function, enclosingStatement(N));
      Scope *F = newScope(Scope::Function, N, S, text(Name));
      // PEP 695 type parameters bind in a scope of their own, which the
      // analysis does not model: gathered, not resolved.
      if (Node TP = N.field("type_parameters"))
        gatherOnly(TP);
      visitParameters(N.field("parameters"), S, F);
      if (Node R = N.field("return_type"))
        visitAnnotation(R, S);
      // A signature's type comment sits between the colon and the body.
      for (Node C : N.children())
        if (C.is("comment"))
          visitComment(C, S);
      visit(N.field("body"), F);
      return;
    }
    if (Kind == "class_definition") {
      Node Name = N.field("name");
      bind(S, Name, text(Name), BindingKind::Class, enclosingStatement(N));
      if (Node TP = N.field("type_parameters"))
        gatherOnly(TP);
      if (Node Supers = N.field("superclasses"))
        visit(Supers, S);
      Scope *C = newScope(Scope::Class, N, S, text(Name));
      visit(N.field("body"), C);
      return;
    }
    if (Kind == "lambda") {
      Scope *L = newScope(Scope::Lambda, N, S, "");
      if (Node P = N.field("parameters"))
        visitParameters(P, S, L);
      visit(N.field("body"), L);
      return;
    }
    if (Kind == "list_comprehension" || Kind == "set_comprehension" ||
        Kind == "dictionary_comprehension" || Kind == "generator_expression") {
      Scope *C = newScope(Scope::Comprehension, N, S, "");
      // Targets first, so the body's references see them.
      for (Node Clause : N.namedChildren())
        if (Clause.is("for_in_clause"))
          visitTarget(Clause.field("left"), C, BindingKind::Other, N);
      for (Node Clause : N.namedChildren()) {
        if (Clause.is("for_in_clause")) {
          for (Node R : Clause.fields("right"))
            visit(R, C);
        } else {
          visit(Clause, C);
        }
      }
      return;
    }
    if (Kind == "assignment") {
      Node Stmt = enclosingStatement(N);
      visitTarget(N.field("left"), S, BindingKind::Assignment, Stmt);
      if (Node Type = N.field("type"))
        visitAnnotation(Type, S);
      if (Node Right = N.field("right"))
        visit(Right, S);
      return;
    }
    if (Kind == "augmented_assignment") {
      Node Left = N.field("left");
      if (Left.is("identifier"))
        reference(Left, S);
      visitTarget(Left, S, BindingKind::Assignment, enclosingStatement(N));
      visit(N.field("right"), S);
      return;
    }
    if (Kind == "named_expression") {
      Node Name = N.field("name");
      Scope *Target = S;
      while (Target->Kind == Scope::Comprehension && Target->Parent)
        Target = Target->Parent;
      bind(Target, Name, text(Name), BindingKind::Assignment,
           enclosingStatement(N));
      visit(N.field("value"), S);
      return;
    }
    if (Kind == "for_statement") {
      visitTarget(N.field("left"), S, BindingKind::Other, N);
      for (auto [C, Field] : N.childrenWithFields())
        if (Field != "left")
          visit(C, S);
      return;
    }
    if (Kind == "as_pattern") {
      for (Node C : N.namedChildren()) {
        if (C.is("as_pattern_target"))
          visitTarget(C, S, BindingKind::Other, enclosingStatement(N));
        else
          visit(C, S);
      }
      return;
    }
    if (Kind == "attribute") {
      visit(N.field("object"), S);
      return;
    }
    if (Kind == "keyword_argument") {
      visit(N.field("value"), S);
      return;
    }
    if (Kind == "delete_statement")
      return visitChildren(N, S);
    visitChildren(N, S);
  }

  void resolve() {
    for (Reference &R : T.References)
      R.Resolved = resolve(R.From, text(R.Identifier), R.Identifier.start());
    for (TextReference &R : T.TextReferences)
      R.Resolved = resolve(R.From, R.Name, ~0u);
  }

  /// Whether a binding of \p Bindings (of a class body) is made before the
  /// read at \p At runs: earlier, and not by the assignment whose value
  /// reads (a loop's body runs after its target is bound).
  static bool boundBefore(const std::vector<Binding *> &Bindings, unsigned At) {
    return llvm::any_of(Bindings, [&](const Binding *B) {
      bool OwnAssignment = B->Kind == BindingKind::Assignment && B->Statement &&
                           B->Statement.start() <= At && At < B->Statement.end() &&
                           !B->NameNode.parent().is("named_expression");
      return B->NameNode.start() < At && !OwnAssignment;
    });
  }

  /// The scope whose binding a read of \p Name at \p At in \p From sees,
  /// or null.
  Scope *resolve(Scope *From, llvm::StringRef Name, unsigned At) {
    Scope *S = From;
    bool First = true;
    for (; S; S = S->Parent, First = false) {
      // A class body is visible only to code directly in it, and only once
      // it has bound the name: `colspecs = colspecs` reads the module's.
      if (S->Kind == Scope::Class &&
          (!First || (S->lookupLocal(Name) && !boundBefore(*S->lookupLocal(Name), At))))
        continue;
      if (S->Globals.count(Name)) {
        S = &T.module();
        break;
      }
      if (S->lookupLocal(Name))
        break;
    }
    return S && S->lookupLocal(Name) ? S : nullptr;
  }
};

ScopeTree::ScopeTree(Node Root, llvm::StringRef Source, std::string ModuleName,
                     bool IsPackage, IndexedNodes *Index, unsigned DepthLimit)
    : Source(Source), ModuleName(std::move(ModuleName)), IsPackage(IsPackage) {
  Builder(*this, Index, DepthLimit).run(Root);
}

const Reference *ScopeTree::referenceAt(Node N) const {
  auto It = ReferenceIndex.find(N.start());
  if (It == ReferenceIndex.end())
    return nullptr;
  const Reference &R = References[It->second];
  return R.Identifier == N ? &R : nullptr;
}

llvm::ArrayRef<Binding *> ScopeTree::bindingsOf(const Reference &R) const {
  if (!R.Resolved)
    return {};
  const auto *Found = R.Resolved->lookupLocal(R.Identifier.text(Source));
  return Found ? llvm::ArrayRef<Binding *>(*Found) : llvm::ArrayRef<Binding *>();
}

const Binding *ScopeTree::bindingAt(Node N) const {
  auto It = BindingIndex.find(rangeKey(N));
  return It == BindingIndex.end() || It->second->NameNode != N ? nullptr
                                                               : It->second;
}

Scope *ScopeTree::scopeAt(Node N) const {
  for (Node P = N; P; P = P.parent()) {
    auto It = ScopeOfOwner.find(rangeKey(P));
    if (It != ScopeOfOwner.end() && It->second->Owner == P)
      return It->second;
  }
  return Scopes.front().get();
}

} // namespace excise
