//===- Purity.cpp ---------------------------------------------------------===//
#include "semantics/Purity.h"

#include "python/Builtins.h"
#include "semantics/CascadeSyntax.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace excise {

namespace {

using K = KnownPureFunction;

/// The closed list (docs/semantics.md, "Pure expressions"). A function
/// belongs here when calling it reads the clock or its arguments and
/// nothing else.
constexpr KnownPureFunction KnownPure[] = {
    {K::Qualified, "builtins.abs"},
    {K::Qualified, "builtins.bool"},
    {K::Qualified, "builtins.callable"},
    {K::Qualified, "builtins.float"},
    {K::Qualified, "builtins.hash"},
    {K::Qualified, "builtins.id"},
    {K::Qualified, "builtins.int"},
    {K::Qualified, "builtins.isinstance"},
    {K::Qualified, "builtins.issubclass"},
    {K::Qualified, "builtins.len"},
    {K::Qualified, "builtins.repr"},
    {K::Qualified, "builtins.round"},
    {K::Qualified, "builtins.str"},
    {K::Qualified, "builtins.type"},
    {K::Qualified, "time.monotonic"},
    {K::Qualified, "time.monotonic_ns"},
    {K::Qualified, "time.perf_counter"},
    {K::Qualified, "time.perf_counter_ns"},
    {K::Qualified, "time.process_time"},
    {K::Qualified, "time.time"},
    {K::Qualified, "time.time_ns"},
    {K::Qualified, "datetime.datetime.now"},
    {K::Qualified, "datetime.datetime.utcnow"},
    {K::Qualified, "datetime.datetime.today"},
    {K::Qualified, "datetime.date.today"},
    {K::AnyReceiver, "items"},
    {K::AnyReceiver, "keys"},
    {K::AnyReceiver, "values"},
    {K::OnString, "endswith"},
    {K::OnString, "format"},
    {K::OnString, "join"},
    {K::OnString, "lower"},
    {K::OnString, "lstrip"},
    {K::OnString, "replace"},
    {K::OnString, "rstrip"},
    {K::OnString, "split"},
    {K::OnString, "startswith"},
    {K::OnString, "strip"},
    {K::OnString, "upper"},
};

bool isKnown(KnownPureFunction::KindType Kind, llvm::StringRef Name) {
  return llvm::any_of(KnownPure, [&](const KnownPureFunction &F) {
    return F.Kind == Kind && F.Name == Name;
  });
}

/// Answers whether the project function it is given (qualified) is pure.
using ProjectCallVerdict = llvm::function_ref<bool(llvm::StringRef)>;

/// The effect-finding walk over one file's expressions.
class EffectFinder {
public:
  EffectFinder(const ParsedFile &File, const Project &Proj,
               ProjectCallVerdict ProjectCall)
      : F(File), Src(File.Source.text()), Proj(Proj), ProjectCall(ProjectCall) {}

  /// The first node of \p E that may have an effect, or null.
  Node effectOf(Node E) const {
    llvm::StringRef Kind = E.kind();
    if (Kind == "identifier" || Kind == "integer" || Kind == "float" ||
        Kind == "true" || Kind == "false" || Kind == "none" ||
        Kind == "ellipsis" || Kind == "comment" || Kind == "string_start" ||
        Kind == "string_content" || Kind == "string_end" ||
        Kind == "escape_sequence" || Kind == "type_conversion" ||
        Kind == "line_continuation")
      return Node();
    if (Kind == "call")
      return callEffect(E);
    if (Kind == "attribute")
      return effectOf(E.field("object"));
    if (Kind == "string" || Kind == "concatenated_string" ||
        Kind == "interpolation" || Kind == "format_specifier" ||
        Kind == "format_expression" || Kind == "parenthesized_expression" ||
        Kind == "tuple" || Kind == "list" || Kind == "set" ||
        Kind == "dictionary" || Kind == "pair" || Kind == "expression_list" ||
        Kind == "subscript" || Kind == "slice" || Kind == "binary_operator" ||
        Kind == "unary_operator" || Kind == "comparison_operator" ||
        Kind == "boolean_operator" || Kind == "not_operator" ||
        Kind == "conditional_expression")
      return firstEffect(E);
    // await, yield, `:=`, lambdas, comprehensions and generators (which
    // iterate), splats, anything the grammar adds later.
    return E;
  }

private:
  Node firstEffect(Node E) const {
    for (Node C : E.namedChildren())
      if (Node Effect = effectOf(C))
        return Effect;
    return Node();
  }

  Node callEffect(Node Call) const {
    Node Args = Call.field("arguments");
    if (!Args.is("argument_list"))
      return Call; // f(x for x in xs) iterates
    unsigned Count = 0;
    for (Node A : Args.namedChildren()) {
      if (A.is("comment"))
        continue;
      ++Count;
      Node Value = A.is("keyword_argument") ? A.field("value") : A;
      if (Node Effect = effectOf(Value))
        return Effect;
    }
    Node Callee = Call.field("function");
    if (Callee.is("attribute")) {
      Node Object = Callee.field("object");
      llvm::StringRef Method = Callee.field("attribute").text(Src);
      if (Object.is("string") && isKnown(K::OnString, Method))
        return effectOf(Object) ? Call : Node();
      std::string Q = qualify(Callee);
      if (Q.empty()) {
        if (Count == 0 && isKnown(K::AnyReceiver, Method))
          return effectOf(Object) ? Call : Node();
        return Call;
      }
      return isKnown(K::Qualified, Q) || ProjectCall(Q) ? Node() : Call;
    }
    std::string Q = qualify(Callee);
    if (Q.empty())
      return Call;
    return isKnown(K::Qualified, Q) || ProjectCall(Q) ? Node() : Call;
  }

  /// The qualified name \p E spells through the file's bindings:
  /// `builtins.len`, `time.monotonic`, `pkg.mod.is_user`; "" when it is
  /// anything else (a local, a parameter, a class, a method...).
  std::string qualify(Node E) const {
    if (E.is("attribute")) {
      std::string Object = qualify(E.field("object"));
      if (Object.empty() || llvm::StringRef(Object).startswith("builtins."))
        return "";
      return Object + "." + E.field("attribute").text(Src).str();
    }
    if (!E.is("identifier"))
      return "";
    const Reference *R = F.Scopes->referenceAt(E);
    if (!R)
      return "";
    llvm::ArrayRef<Binding *> Bs = F.Scopes->bindingsOf(*R);
    llvm::StringRef Name = E.text(Src);
    if (Bs.empty())
      return isBuiltinName(Name) && !Src.contains("import *")
                 ? "builtins." + Name.str()
                 : "";
    // A name bound twice may be either.
    if (Bs.size() != 1)
      return "";
    const Binding *B = Bs.front();
    switch (B->Kind) {
    case BindingKind::Import:
    case BindingKind::ImportFrom:
      return B->ImportTarget.empty() ? "" : Proj.canonical(B->ImportTarget);
    case BindingKind::Function:
      if (B->Owner->Kind != Scope::Module || F.Module.empty())
        return "";
      return Proj.canonical(F.Module + "." + B->Name);
    default:
      return "";
    }
  }

  const ParsedFile &F;
  llvm::StringRef Src;
  const Project &Proj;
  ProjectCallVerdict ProjectCall;
};

/// The expression a simple function returns: its body is an optional
/// docstring and `return <expression>`. Null otherwise.
Node returnedExpression(Node Def) {
  for (Node C : Def.children())
    if (C.kind() == "async")
      return Node();
  std::vector<Node> Body = cascade::statementsOf(Def.field("body"));
  if (!Body.empty() && cascade::isStringStatement(Body.front()))
    Body.erase(Body.begin());
  if (Body.size() != 1 || !Body.front().is("return_statement"))
    return Node();
  Node Value;
  for (Node C : Body.front().namedChildren())
    if (!C.is("comment"))
      Value = C;
  return Value;
}

} // namespace

llvm::ArrayRef<KnownPureFunction> knownPureFunctions() { return KnownPure; }

Node Purity::effectIn(const ParsedFile &File, Node E) const {
  if (!File.parsed())
    return E;
  auto Verdict = [&](llvm::StringRef Q) { return isPureFunction(Q); };
  return EffectFinder(File, Proj, Verdict).effectOf(E);
}

bool Purity::isPureFunction(llvm::StringRef QualifiedName) const {
  llvm::StringSet<> InProgress;
  return isPureFunction(QualifiedName, InProgress);
}

// A function met again while its own verdict is pending calls itself,
// directly or not: it is not pure, nor is any function of that cycle, since
// each of them reaches one that is pending. So a verdict never depends on
// which function was asked about first, and each can be kept.
bool Purity::isPureFunction(llvm::StringRef QualifiedName,
                            llvm::StringSet<> &InProgress) const {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Verdicts.find(QualifiedName);
    if (It != Verdicts.end())
      return It->second;
  }
  if (InProgress.count(QualifiedName))
    return false;
  const Shape *S = shapeOf(QualifiedName);
  bool Pure = S && S->Simple;
  if (Pure) {
    InProgress.insert(QualifiedName);
    for (const std::string &Callee : S->Calls)
      if (!isPureFunction(Callee, InProgress)) {
        Pure = false;
        break;
      }
    InProgress.erase(QualifiedName);
  }
  std::lock_guard<std::mutex> Guard(Lock);
  Verdicts.try_emplace(QualifiedName, Pure);
  return Pure;
}

const Purity::Shape *Purity::shapeOf(llvm::StringRef QualifiedName) const {
  auto [Module, Function] = QualifiedName.rsplit('.');
  if (Function.empty() || !Proj.modules().hasModule(Module))
    return nullptr;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Shapes.find(Module);
    if (It != Shapes.end()) {
      auto S = It->second->find(Function);
      return S == It->second->end() ? nullptr : &S->second;
    }
  }
  // The module's functions, read from its text; its tree goes with Parsed.
  auto Found = std::make_unique<llvm::StringMap<Shape>>();
  if (std::unique_ptr<ParsedFile> Parsed = Proj.parseModule(Module);
      Parsed && Parsed->parsed()) {
    const Scope &Top = Parsed->Scopes->module();
    for (Node Def : cascade::statementsOf(Parsed->Tree->root())) {
      if (!Def.is("function_definition"))
        continue;
      llvm::StringRef Name = Def.field("name").text(Parsed->Source.text());
      // Bound once at the top level, or a call may reach another binding.
      const std::vector<Binding *> *Bs = Top.lookupLocal(Name);
      if (!Bs || Bs->size() != 1)
        continue;
      Shape &S = (*Found)[Name];
      Node Value = returnedExpression(Def);
      if (!Value)
        continue;
      std::vector<std::string> Calls;
      auto Collect = [&](llvm::StringRef Q) {
        Calls.push_back(Q.str());
        return true;
      };
      EffectFinder Finder(*Parsed, Proj, Collect);
      S.Simple = !Finder.effectOf(Value);
      if (S.Simple)
        S.Calls = std::move(Calls);
    }
  }
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Slot = Shapes[Module];
  if (!Slot)
    Slot = std::move(Found);
  auto S = Slot->find(Function);
  return S == Slot->end() ? nullptr : &S->second;
}

} // namespace excise
