//===- MemberFacts.cpp ----------------------------------------------------===//
#include "invariant/MemberFacts.h"

#include "invariant/BindingFacts.h"
#include "python/LibraryClasses.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include <utility>

namespace excise {

namespace {

bool isScopeOf(const Scope *S, Scope::KindType Kind) { return S && S->Kind == Kind; }

/// True when \p B is the first parameter of a method of a class (not of a
/// staticmethod): `self`, or `cls` in a classmethod. \p Src is the text.
bool isFirstParameter(const Binding *B, llvm::StringRef Src) {
  if (B->Kind != BindingKind::Parameter || !isScopeOf(B->Owner, Scope::Function) ||
      !isScopeOf(B->Owner->Parent, Scope::Class))
    return false;
  Node Def = B->Owner->Owner;
  Node::Children Ps = Def.field("parameters").namedChildren();
  if (Ps.empty() || (Ps.front() != B->NameNode && Ps.front() != B->NameNode.parent()))
    return false;
  Node Decorated = Def.parent();
  if (Decorated.is("decorated_definition"))
    for (Node D : Decorated.namedChildren())
      if (D.is("decorator") && D.text(Src).trim() == "@staticmethod")
        return false;
  return true;
}

/// The class whose method has the identifier \p Object as its first
/// parameter (bound nowhere else), or null.
const Scope *classOfFirstParameter(const ScopeTree &T, Node Object, llvm::StringRef Src) {
  const Reference *R = Object.is("identifier") ? T.referenceAt(Object) : nullptr;
  llvm::ArrayRef<Binding *> Bs = R ? T.bindingsOf(*R) : llvm::ArrayRef<Binding *>();
  return Bs.size() == 1 && isFirstParameter(Bs.front(), Src) ? Bs.front()->Owner->Parent
                                                             : nullptr;
}

/// The attribute targets of the assignment \p A (`x.a = `, `x.a, y = `,
/// `x.a: T = `, `x.a += `), in order.
void attributeTargets(Node A, llvm::SmallVectorImpl<Node> &Out) {
  Node Left = A.field("left");
  llvm::SmallVector<Node, 4> Work{Left};
  while (!Work.empty()) {
    Node N = Work.pop_back_val();
    if (N.is("attribute"))
      Out.push_back(N);
    else if (N.is("pattern_list") || N.is("tuple_pattern") || N.is("list_pattern") ||
             N.is("tuple") || N.is("list") || N.is("parenthesized_expression"))
      for (Node C : N.namedChildren())
        Work.push_back(C);
  }
}

/// Resolves what the names of one file stand for, as far as classes go.
class ClassResolver {
public:
  ClassResolver(const ParsedFile &File, const ModuleIndex &Modules)
      : File(File), T(*File.Scopes), Src(File.Source.text()), Modules(Modules) {
    for (const auto &S : T.scopes())
      if (S->Kind == Scope::Class)
        if (std::string Q = qualified(*S); !Q.empty())
          Names[S.get()] = std::move(Q);
    // What `isinstance(X, ...)` tests, gathered once: asked of every object.
    static constexpr llvm::StringLiteral Call = "isinstance(";
    for (size_t At = Src.find(Call); At != llvm::StringRef::npos; At = Src.find(Call, At + 1))
      Tested.insert(Src.substr(At + Call.size()).split(',').first);
  }

  /// The qualified name of the class scope \p S; empty for a class local to
  /// a function.
  std::string qualified(const Scope &S) const {
    std::string Name = S.Name;
    for (const Scope *P = S.Parent; P; P = P->Parent) {
      if (P->Kind == Scope::Module)
        return File.Module.empty() ? Name : File.Module + "." + Name;
      if (P->Kind != Scope::Class)
        return "";
      Name = P->Name + "." + Name;
    }
    return "";
  }

  const llvm::DenseMap<const Scope *, std::string> &classes() const { return Names; }

  /// The class scope whose method has \p B as its first parameter, or null.
  const Scope *selfClass(const Binding *B) const {
    return isFirstParameter(B, Src) ? B->Owner->Parent : nullptr;
  }

  /// The qualified class that the expression \p E names: a class of this
  /// file, a name imported from a project module (`from m import C`,
  /// `m.C`); empty otherwise. Whether an imported name is a class is left to
  /// whoever looks its members up.
  std::string classNamed(Node E) const {
    if (E.is("identifier")) {
      const Reference *R = T.referenceAt(E);
      if (!R)
        return "";
      llvm::ArrayRef<Binding *> Bs = T.bindingsOf(*R);
      if (Bs.size() != 1)
        return "";
      const Binding *B = Bs.front();
      if (B->Kind == BindingKind::Class) {
        const Scope *S = T.scopeAt(B->NameNode);
        auto It = Names.find(S);
        return It != Names.end() && S->Owner == B->NameNode.parent() ? It->second : "";
      }
      if (B->Kind == BindingKind::ImportFrom && !B->ImportTarget.empty() &&
          !Modules.hasModule(B->ImportTarget) &&
          Modules.hasModule(llvm::StringRef(B->ImportTarget).rsplit('.').first))
        return B->ImportTarget;
      return "";
    }
    llvm::SmallVector<Node, 8> Parts;
    if (!E.is("attribute") || !dottedChain(E, Src, Parts) || Parts.size() < 2)
      return "";
    const Reference *Root = T.referenceAt(Parts.front());
    if (!Root)
      return "";
    std::string Module = importedModuleOf(T.bindingsOf(*Root), Modules);
    if (Module.empty())
      return "";
    for (size_t I = 1; I + 1 < Parts.size(); ++I)
      Module += "." + Parts[I].text(Src).str();
    std::string Name = Module + "." + Parts.back().text(Src).str();
    return Modules.hasModule(Module) && !Modules.hasModule(Name) ? Name : "";
  }

  /// The known library class (LibraryClasses) that the base \p Base names:
  /// a builtin (`dict`, `type`), an import of one (`from unittest import
  /// TestCase`, `unittest.TestCase`), or `type(X)` (taken as `type`, the
  /// metaclass of most classes); empty otherwise.
  std::string libraryClass(Node Base) const {
    if (Base.is("call") && Base.field("function").text(Src) == "type" &&
        unbound(Base.field("function")))
      return "type";
    std::string Name;
    if (Base.is("identifier")) {
      const Reference *R = T.referenceAt(Base);
      if (!R)
        return "";
      llvm::ArrayRef<Binding *> Bs = T.bindingsOf(*R);
      if (!R->Resolved)
        Name = Base.text(Src).str();
      else if (Bs.size() == 1 && Bs.front()->Kind == BindingKind::ImportFrom)
        Name = Bs.front()->ImportTarget;
    } else if (llvm::SmallVector<Node, 4> Parts;
               Base.is("attribute") && dottedChain(Base, Src, Parts) && Parts.size() >= 2) {
      const Reference *R = T.referenceAt(Parts.front());
      llvm::ArrayRef<Binding *> Bs = R ? T.bindingsOf(*R) : llvm::ArrayRef<Binding *>();
      if (Bs.size() != 1 || Bs.front()->Kind != BindingKind::Import ||
          Bs.front()->ImportTarget != Parts.front().text(Src))
        return "";
      Name = Parts.front().text(Src).str();
      for (size_t I = 1; I < Parts.size(); ++I)
        Name += "." + Parts[I].text(Src).str();
    }
    return isKnownLibraryClass(Name) ? Name : "";
  }

  /// True when \p E stands for a class itself, not an instance: a name of
  /// a class (`Repo.X`), or the first parameter of a classmethod (`cls.X`).
  bool isClassObject(Node E) const {
    if (!E.is("identifier"))
      return false;
    if (!classNamed(E).empty())
      return true;
    const Reference *R = T.referenceAt(E);
    llvm::ArrayRef<Binding *> Bs = R ? T.bindingsOf(*R) : llvm::ArrayRef<Binding *>();
    if (Bs.size() != 1 || !isFirstParameter(Bs.front(), Src))
      return false;
    Node Decorated = Bs.front()->Owner->Owner.parent();
    return Decorated.is("decorated_definition") &&
           llvm::any_of(Decorated.namedChildren(), [&](Node D) {
             return D.is("decorator") && D.text(Src).trim() == "@classmethod";
           });
  }

  /// The class of the object \p E stands for (an instance of it, or the
  /// class itself), in the forms MemberUse lists; empty otherwise.
  std::string classOf(Node E) const {
    if (E.is("call") && E.field("function").text(Src) == "super")
      return superClass(E);
    if (E.is("call"))
      return classNamed(E.field("function"));
    if (std::string C = narrowedClass(E); !C.empty())
      return C;
    if (E.is("attribute")) {
      llvm::ArrayRef<std::string> Of = attributeClasses(E);
      return Of.size() == 1 ? Of.front() : "";
    }
    if (!E.is("identifier"))
      return "";
    if (std::string C = classNamed(E); !C.empty())
      return C;
    const Reference *R = T.referenceAt(E);
    if (!R)
      return "";
    // The binding that reaches the read: the last one before it; from a
    // nested scope (a comprehension, a lambda, a closure), a parameter
    // bound once, which is the same object there.
    const Binding *Last = nullptr;
    llvm::ArrayRef<Binding *> All = T.bindingsOf(*R);
    if (R->Resolved != R->From) {
      if (All.size() != 1 || All.front()->Kind != BindingKind::Parameter)
        return "";
      Last = All.front();
    }
    for (const Binding *B : R->Resolved == R->From ? All : llvm::ArrayRef<Binding *>())
      if (B->NameNode.start() < E.start() && (!Last || B->NameNode.start() > Last->NameNode.start()))
        Last = B;
    if (!Last)
      return "";
    if (Last->Kind == BindingKind::Parameter) {
      if (const Scope *S = selfClass(Last)) {
        auto It = Names.find(S);
        return It == Names.end() ? "" : It->second;
      }
      Node P = Last->NameNode.parent();
      if ((P.is("typed_parameter") || P.is("typed_default_parameter")) &&
          T.bindingsOf(*R).size() == 1)
        if (Node Type = P.field("type"))
          return classNamed(Type.namedChildCount() == 1 ? Type.namedChild(0) : Type);
      return "";
    }
    Node A = Last->NameNode.parent();
    // `except C as e:`
    if (A.is("as_pattern_target"))
      if (Node Pattern = A.parent(); Pattern.is("as_pattern") && Pattern.parent().is("except_clause"))
        return classNamed(Pattern.namedChild(0));
    if (Last->Kind == BindingKind::Assignment && A.is("assignment") &&
        A.field("left") == Last->NameNode)
      if (Node Right = A.field("right"); Right.is("call"))
        return classNamed(Right.field("function"));
    return "";
  }

  /// The class `super()` (the call \p Super, without arguments) looks
  /// members up in, in a method of a class with one base: that base.
  std::string superClass(Node Super) const {
    const Reference *R = T.referenceAt(Super.field("function"));
    if (!R || R->Resolved || Super.field("arguments").namedChildCount() != 0)
      return "";
    const Scope *F = R->From;
    while (F && (F->Kind == Scope::Comprehension || F->Kind == Scope::Lambda))
      F = F->Parent;
    if (!F || F->Kind != Scope::Function || !F->Parent || F->Parent->Kind != Scope::Class)
      return "";
    Node Supers = F->Parent->Owner.field("superclasses");
    if (!Supers)
      return "";
    llvm::SmallVector<Node, 2> Bases;
    for (Node B : Supers.namedChildren())
      if (!B.is("keyword_argument"))
        Bases.push_back(B);
    return Bases.size() == 1 ? classNamed(Bases.front()) : "";
  }

  /// The class \p E (a name or an attribute) is narrowed to by an
  /// `isinstance(E, C)` that must hold where it stands: the condition of the
  /// `if` or `while` whose body holds it, the left of an `and` it is the
  /// right of, the condition of a conditional expression it is the value of.
  std::string narrowedClass(Node E) const {
    llvm::StringRef Text = E.text(Src);
    if (!Tested.count(Text))
      return "";
    for (Node Child = E, P = E.parent(); P; Child = P, P = P.parent()) {
      if (P.is("function_definition") || P.is("class_definition") || P.is("lambda"))
        return "";
      Node Cond;
      if (P.is("boolean_operator") && P.field("operator").text(Src) == "and" &&
          P.field("right") == Child)
        Cond = P.field("left");
      else if ((P.is("if_statement") || P.is("while_statement")) && P.field("consequence") == Child)
        Cond = P.field("condition");
      else if (P.is("if_statement") && P.field("body") == Child)
        Cond = P.field("condition");
      else if (P.is("conditional_expression") && P.namedChildCount() == 3 &&
               P.namedChild(0) == Child)
        Cond = P.namedChild(1);
      if (Cond)
        if (std::string C = isinstanceClass(Cond, Text); !C.empty())
          return C;
    }
    return "";
  }

  /// The class of `isinstance(<Text>, C)` in \p Cond, or in an operand of
  /// the `and` it is.
  std::string isinstanceClass(Node Cond, llvm::StringRef Text) const {
    while (Cond.is("parenthesized_expression") && Cond.namedChildCount() == 1)
      Cond = Cond.namedChild(0);
    if (Cond.is("boolean_operator") && Cond.field("operator").text(Src) == "and") {
      if (std::string C = isinstanceClass(Cond.field("left"), Text); !C.empty())
        return C;
      return isinstanceClass(Cond.field("right"), Text);
    }
    if (!Cond.is("call") || Cond.field("function").text(Src) != "isinstance")
      return "";
    Node::Children Args = Cond.field("arguments").namedChildren();
    if (Args.size() != 2 || Args[0].text(Src) != Text)
      return "";
    return classNamed(Args[1]);
  }

  /// The classes of the objects the attribute `E` (`self.a`) is set to, as
  /// far as the assignments tell: `self.a = C(...)`, `self.a = C(...) if t
  /// else D(...)`, in the object's class or, when it sets none, in its
  /// bases (those of other modules as Inherited answers).
  llvm::ArrayRef<std::string> attributeClasses(Node E) const {
    std::string Owner = classOf(E.field("object"));
    llvm::StringRef Name = E.field("attribute").text(Src);
    if (Owner.empty())
      return {};
    std::vector<std::string> Work{Owner};
    for (size_t I = 0; I < Work.size() && I < 64; ++I) {
      auto It = AttributeClasses.find(Work[I]);
      if (It != AttributeClasses.end())
        if (auto Attr = It->second.find(Name); Attr != It->second.end())
          return Attr->second;
      auto C = Classes ? Classes->find(Work[I]) : llvm::StringMap<ClassFacts>::const_iterator();
      if (!Classes || C == Classes->end()) {
        if (!Inherited || I == 0)
          return {};
        std::vector<std::string> &Found = InheritedCache[Work[I]][Name];
        if (Found.empty())
          Found = Inherited(Work[I], Name);
        if (!Found.empty())
          return Found;
        continue;
      }
      // The class sets it to what the file cannot tell, or may.
      if (C->second.Open || C->second.OpenInstances || C->second.Members.count(Name))
        return {};
      for (const std::string &B : C->second.Bases)
        if (!llvm::is_contained(Work, B))
          Work.push_back(B);
    }
    return {};
  }

  /// The file's classes, once known, and what answers for other modules'.
  void setClasses(const llvm::StringMap<ClassFacts> *C, AttributeSource Source) {
    Classes = C;
    Inherited = Source;
  }

  /// What noteAttribute gathered.
  llvm::StringMap<llvm::StringMap<std::vector<std::string>>> takeAttributeClasses() {
    return std::move(AttributeClasses);
  }

  /// The classes an object of the expression \p E may be of, as far as the
  /// file tells: those of classOf, or, for an attribute set to objects of
  /// several classes, each of them.
  std::vector<std::string> classesOf(Node E) const {
    if (E.is("attribute")) {
      if (std::string C = narrowedClass(E); !C.empty())
        return {C};
      return attributeClasses(E).vec();
    }
    std::string C = classOf(E);
    return C.empty() ? std::vector<std::string>() : std::vector<std::string>{C};
  }

  /// Notes that class \p Class sets `self.<Attr>` to \p Value.
  void noteAttribute(const std::string &Class, llvm::StringRef Attr, Node Value) {
    std::vector<std::string> &Of = AttributeClasses[Class][Attr];
    llvm::SmallVector<Node, 2> Values{Value};
    if (Value.is("conditional_expression") && Value.namedChildCount() == 3)
      Values = {Value.namedChild(0), Value.namedChild(2)};
    for (Node V : Values)
      if (std::string C = V.is("call") ? classNamed(V.field("function")) : "";
          !C.empty() && !llvm::is_contained(Of, C))
        Of.push_back(std::move(C));
  }

  /// The class scope whose method sets the attribute \p Target on its first
  /// parameter, or null.
  const Scope *memberTarget(Node Target) const {
    return classOfFirstParameter(T, Target.field("object"), Src);
  }

  /// Whether the identifier \p E is a read no binding of the file reaches
  /// (a builtin, if any name).
  bool unbound(Node E) const {
    const Reference *R = E.is("identifier") ? T.referenceAt(E) : nullptr;
    return R && !R->Resolved;
  }

private:
  const ParsedFile &File;
  const ScopeTree &T;
  llvm::StringRef Src;
  const ModuleIndex &Modules;
  llvm::DenseMap<const Scope *, std::string> Names;
  /// Class -> attribute set on `self` -> the classes of the values it is
  /// set to that the file tells (values it cannot tell are passed over).
  llvm::StringMap<llvm::StringMap<std::vector<std::string>>> AttributeClasses;
  /// The first arguments of the file's `isinstance(` calls, as written.
  llvm::StringSet<> Tested;
  const llvm::StringMap<ClassFacts> *Classes = nullptr;
  AttributeSource Inherited = nullptr;
  mutable llvm::StringMap<llvm::StringMap<std::vector<std::string>>> InheritedCache;
};

/// Whether the class body \p Body calls `setattr` on itself (\p OnClass:
/// `setattr(cls, ...)`, `setattr(type(self), ...)`) or on its instances
/// (\p OnInstances: `setattr(self, ...)`, or on a name it binds to a new
/// instance, `obj = cls(...)`), outside the ranges \p Skip (of \p Body).
/// A `setattr` on another object sets nothing of this class.
void setsAttributesByName(llvm::StringRef Body, llvm::ArrayRef<std::pair<size_t, size_t>> Skip,
                          bool &OnClass, bool &OnInstances) {
  for (size_t At = Body.find("setattr("); At != llvm::StringRef::npos;
       At = Body.find("setattr(", At + 1)) {
    if (llvm::any_of(Skip, [&](auto R) { return R.first <= At && At < R.second; }))
      continue;
    llvm::StringRef Object = Body.substr(At + 8).split(',').first.trim();
    if (Object == "cls" || Object == "type(self)" || Object == "self.__class__" ||
        Object.empty())
      OnClass = true;
    else if (Object == "self")
      OnInstances = true;
    else
      for (llvm::StringRef New : {" = cls(", " = self.__class__(", " = type(self)("})
        if (Body.contains((Object + New).str()))
          OnInstances = true;
  }
}

/// A builtin exception class whose instances have the attributes of
/// BaseException and no others (OSError and its kin have `errno`...,
/// SyntaxError `lineno`..., so are left out).
bool isPlainException(llvm::StringRef Name) {
  static const llvm::StringLiteral Plain[] = {
      "ArithmeticError", "AssertionError",  "BaseException",      "BufferError",
      "DeprecationWarning", "EOFError",     "Exception",          "FutureWarning",
      "IndexError",      "KeyError",        "LookupError",        "MemoryError",
      "NotImplementedError", "OverflowError", "PendingDeprecationWarning",
      "RecursionError",  "ReferenceError",  "RuntimeError",       "RuntimeWarning",
      "TypeError",       "UserWarning",     "ValueError",         "Warning",
      "ZeroDivisionError"};
  return llvm::is_contained(Plain, Name);
}

/// Whether \p Body writes attributes through the mapping \p Dict
/// (`self.__dict__`): `.update(`, `.setdefault(`, `[k] = v`, or a whole new
/// mapping. Reading it (`state = self.__dict__.copy()`) sets nothing.
bool writesThrough(llvm::StringRef Body, llvm::StringRef Dict) {
  for (size_t At = Body.find(Dict); At != llvm::StringRef::npos; At = Body.find(Dict, At + 1)) {
    llvm::StringRef After = Body.substr(At + Dict.size());
    if (After.startswith(".update(") || After.startswith(".setdefault(") ||
        (After.ltrim(" ").startswith("=") && !After.ltrim(" ").startswith("==")))
      return true;
    if (After.startswith("[")) {
      size_t Close = After.find(']');
      llvm::StringRef Rest =
          Close == llvm::StringRef::npos ? "" : After.substr(Close + 1).ltrim(" ");
      if (Rest.startswith("=") && !Rest.startswith("=="))
        return true;
    }
  }
  return false;
}

bool isTypingGeneric(Node Base, llvm::StringRef Src) {
  if (!Base.is("subscript"))
    return false;
  llvm::StringRef Value = Base.field("value").text(Src);
  return Value == "Generic" || Value == "typing.Generic" || Value == "Protocol" ||
         Value == "typing.Protocol";
}

/// The facts of the class \p S (its members aside from those set on `self`,
/// but those whose every binding is \p Gone).
ClassFacts classFactsOf(const Scope &S, const ClassResolver &Resolve, llvm::StringRef Src,
                        llvm::function_ref<bool(Node)> Gone) {
  ClassFacts C;
  for (const auto &Entry : S.Names) {
    unsigned First = ~0u;
    for (const Binding *B : Entry.second)
      if (!Gone || !Gone(B->NameNode))
        First = std::min(First, B->NameNode.start());
    if (First != ~0u)
      C.Members[Entry.first()] = {First, false};
  }
  if (S.Names.count("__getattr__") || S.Names.count("__getattribute__"))
    C.OpenInstances = true;
  // Attributes set by name: which ones, the text does not say.
  llvm::StringRef Body = S.Owner.text(Src);
  // Unpickling sets again what the object had: not a member of its own.
  llvm::SmallVector<std::pair<size_t, size_t>, 1> Restoring;
  for (const Scope *M : S.Children)
    if (M->Kind == Scope::Function && M->Name == "__setstate__")
      Restoring.emplace_back(M->Owner.start() - S.Owner.start(), M->Owner.end() - S.Owner.start());
  setsAttributesByName(Body, Restoring, C.Open, C.OpenInstances);
  if (writesThrough(Body, "cls.__dict__"))
    C.Open = true;
  if (writesThrough(Body, "self.__dict__") || writesThrough(Body, "vars(self)"))
    C.OpenInstances = true;
  if (Node Supers = S.Owner.field("superclasses"))
    for (Node Base : Supers.namedChildren()) {
      if (Base.is("keyword_argument")) {
        llvm::StringRef Meta = Base.field("value").text(Src);
        if (Base.field("name").text(Src) != "metaclass" || Meta == "ABCMeta" ||
            Meta == "abc.ABCMeta")
          continue;
        C.Meta = Resolve.classNamed(Base.field("value"));
        if (C.Meta.empty())
          C.Open = true;
        continue;
      }
      if (Base.is("identifier") && Base.text(Src) == "object" &&
          Resolve.classNamed(Base).empty())
        continue;
      if (isTypingGeneric(Base, Src))
        continue;
      std::string Q = Resolve.classNamed(Base);
      if (!Q.empty())
        C.Bases.push_back(std::move(Q));
      else if (Resolve.unbound(Base) && isPlainException(Base.text(Src)))
        for (llvm::StringRef Member : {"args", "with_traceback", "add_note", "__traceback__",
                                       "__cause__", "__context__", "__suppress_context__",
                                       "__notes__"})
          C.Members.try_emplace(Member, ClassMember{Base.start(), false});
      else if (std::string L = Resolve.libraryClass(Base); !L.empty())
        C.Bases.push_back(std::move(L));
      else
        C.Open = true;
    }
  return C;
}

} // namespace

MemberFacts memberFacts(const ParsedFile &File, const ModuleIndex &Modules, bool WithUses,
                        llvm::function_ref<bool(Node)> Gone, AttributeSource Inherited) {
  MemberFacts Facts;
  llvm::StringRef Src = File.Source.text();
  ClassResolver Resolve(File, Modules);
  for (const auto &[S, Name] : Resolve.classes())
    Facts.Classes[Name] = classFactsOf(*S, Resolve, Src, Gone);
  for (const auto &Entry : File.Scopes->module().Names)
    if (Entry.second.size() == 1 && Entry.second.front()->Kind == BindingKind::ImportFrom &&
        Modules.hasModule(llvm::StringRef(Entry.second.front()->ImportTarget).rsplit('.').first))
      Facts.Imported[Entry.first()] = Entry.second.front()->ImportTarget;
  // What methods set on their first parameter.
  for (Node A : File.Assignments) {
    llvm::SmallVector<Node, 2> Targets;
    attributeTargets(A, Targets);
    for (Node Target : Targets) {
      const Scope *S = Resolve.memberTarget(Target);
      auto It = S ? Resolve.classes().find(S) : Resolve.classes().end();
      if (It == Resolve.classes().end() || (Gone && Gone(Target.field("attribute"))))
        continue;
      llvm::StringRef Attr = Target.field("attribute").text(Src);
      Facts.Classes[It->second].Members.try_emplace(
          Attr, ClassMember{Target.field("attribute").start(), true});
      if (A.is("assignment"))
        if (Node Right = A.field("right"))
          Resolve.noteAttribute(It->second, Attr, Right);
    }
  }
  if (!WithUses) {
    Facts.AttributeClasses = Resolve.takeAttributeClasses();
    return Facts;
  }
  Resolve.setClasses(&Facts.Classes, Inherited);

  // The classes an attribute lookup on an object of class Q (the class
  // itself when ClassObject) goes through before it finds Member: none when
  // this file's code of Q or an ancestor binds it, or may provide it unseen.
  // A class object's lookup ends in the metaclasses of the classes on the
  // way; an instance's lookup does not know what a metaclass makes.
  auto Lookup = [&](const std::string &Q, llvm::StringRef Member, bool ClassObject,
                    MemberUse &U) {
    std::vector<std::string> Work{Q}, Metas;
    for (size_t I = 0; I < Work.size() && I < 64; ++I) {
      auto It = Facts.Classes.find(Work[I]);
      bool OfMeta = llvm::is_contained(Metas, Work[I]);
      if (It == Facts.Classes.end()) {
        U.Others.push_back(Work[I]); // another module's: looked up there
      } else {
        const ClassFacts &C = It->second;
        if (C.Open || (C.OpenInstances && !ClassObject) || C.Members.count(Member) ||
            (!C.Meta.empty() && !ClassObject && !OfMeta))
          return false;
        U.Classes.push_back(Work[I]);
        for (const std::string &B : C.Bases)
          if (!llvm::is_contained(Work, B))
            Work.push_back(B);
        if (ClassObject && !OfMeta && !C.Meta.empty() && !llvm::is_contained(Metas, C.Meta))
          Metas.push_back(C.Meta);
      }
      // The class's own ancestors first, then the metaclasses'.
      if (I + 1 == Work.size())
        for (const std::string &M : Metas)
          if (!llvm::is_contained(Work, M))
            Work.push_back(M);
    }
    return true;
  };
  for (Node A : File.Attributes) {
    Node Attr = A.field("attribute");
    if (!Attr.is("identifier"))
      continue;
    // Stores are bindings, not reads.
    Node P = A.parent();
    while (P.is("pattern_list") || P.is("tuple_pattern") || P.is("list_pattern"))
      P = P.parent();
    if ((P.is("assignment") || P.is("augmented_assignment") || P.is("for_statement")) &&
        P.field("left").start() <= A.start() && A.end() <= P.field("left").end())
      continue;
    if (P.is("delete_statement"))
      continue;
    llvm::StringRef Member = Attr.text(Src);
    bool ClassObject = Resolve.isClassObject(A.field("object"));
    for (const std::string &Q : Resolve.classesOf(A.field("object"))) {
      MemberUse U{A.start(), Member.str(), ClassObject, {}, {}};
      if (Lookup(Q, Member, ClassObject, U)) {
        Facts.Uses.push_back(std::move(U));
        break;
      }
    }
  }
  Facts.AttributeClasses = Resolve.takeAttributeClasses();
  return Facts;
}

bool editsDeleteMember(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits) {
  llvm::StringRef Src = File.Source.text();
  auto Deleted = [&](Node Name) { return deletedByEdits(File, Edits, Name); };
  const ScopeTree &T = *File.Scopes;
  for (const auto &B : T.bindings())
    if (isScopeOf(B->Owner, Scope::Class) && Deleted(B->NameNode) &&
        !Deleted(B->Owner->Owner.field("name")))
      return true;
  // Attributes set on `self`, in the assignments the edits cover.
  for (const TextEdit &E : Edits) {
    auto It = llvm::lower_bound(File.Assignments, E.Offset,
                                [](Node A, unsigned O) { return A.start() < O; });
    for (; It != File.Assignments.end() && It->start() < E.Offset + E.Length; ++It) {
      llvm::SmallVector<Node, 2> Targets;
      attributeTargets(*It, Targets);
      for (Node Target : Targets) {
        const Scope *C = classOfFirstParameter(T, Target.field("object"), Src);
        if (C && Deleted(Target.field("attribute")) && !Deleted(C->Owner.field("name")))
          return true;
      }
    }
  }
  return false;
}

std::vector<NoneMemberRead> noneOnlyMemberReads(const ParsedFile &File,
                                                llvm::ArrayRef<TextEdit> Edits) {
  std::vector<NoneMemberRead> Out;
  const ScopeTree &T = *File.Scopes;
  llvm::StringRef Src = File.Source.text();
  struct Assignments {
    Node Setter; ///< A deleted one that set something else.
    bool KeptNone = false, KeptOther = false;
  };
  std::map<std::pair<const Scope *, std::string>, Assignments> Members;
  for (Node A : File.Assignments) {
    llvm::SmallVector<Node, 2> Targets;
    attributeTargets(A, Targets);
    for (Node Target : Targets) {
      const Scope *C = classOfFirstParameter(T, Target.field("object"), Src);
      if (!C)
        continue;
      Node Attr = Target.field("attribute");
      llvm::StringRef Name = Attr.text(Src);
      Assignments &M = Members[{C, Name.str()}];
      bool None = A.is("assignment") && A.field("left") == Target && A.field("right").is("none");
      const TextEdit *E = editAt(Edits, Attr.start());
      bool Deleted = E && E->Text.empty();
      if (E && !Deleted)
        M.KeptOther = true; // said again: which assignment it is, unknown
      else if (Deleted && !None && !M.Setter)
        M.Setter = Attr;
      else if (!E)
        (None ? M.KeptNone : M.KeptOther) = true;
    }
  }
  for (auto It = Members.begin(); It != Members.end();)
    It = !It->second.Setter || !It->second.KeptNone || It->second.KeptOther ? Members.erase(It)
                                                                             : std::next(It);
  if (Members.empty())
    return Out;
  for (Node A : File.Attributes) {
    const Scope *C = classOfFirstParameter(T, A.field("object"), Src);
    if (!C || editAt(Edits, A.start()))
      continue;
    llvm::StringRef Name = A.field("attribute").text(Src);
    auto It = Members.find({C, Name.str()});
    if (It == Members.end())
      continue;
    for (NoneUse &Use : noneUses(T, A, Name, Src, [&](Node N) {
           return editsTakeAway(Edits, N, Src);
         }))
      Out.push_back({Use.Read, std::move(Use.Alias), C->Name, Name.str(),
                     It->second.Setter.start()});
  }
  return Out;
}

} // namespace excise
