//===- CallRules.cpp ------------------------------------------------------===//
#include "semantics/CallRules.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <functional>

namespace excise {

static bool matchesSegments(llvm::StringRef Pattern, llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 8> P, T;
  Pattern.split(P, '.');
  Text.split(T, '.');
  if (P.size() != T.size())
    return false;
  for (size_t I = 0; I < P.size(); ++I)
    if (P[I] != "*" && P[I] != T[I])
      return false;
  return true;
}

static std::string stringValue(Node S, llvm::StringRef Src, bool &IsString) {
  IsString = S.is("string");
  if (!IsString)
    return "";
  std::string V;
  for (Node C : S.namedChildren())
    if (C.is("string_content"))
      V += C.text(Src).str();
  return V;
}

bool matchesCallRule(const ParsedFile &File, Node Call, const CallRule &Rule,
                     const Project &Proj) {
  llvm::StringRef Src = File.Source.text();
  Node Fn = Call.field("function");
  std::string Written;
  for (char C : Fn.text(Src))
    if (!llvm::isSpace(C))
      Written += C;
  const CallMatcher &M = Rule.Matcher;
  if (!M.Callee.Value.empty()) {
    if (!matchesSegments(M.Callee.Value, Written))
      return false;
  } else {
    // Resolve through the file's imports.
    std::string Q;
    std::function<std::string(Node)> Qualify = [&](Node E) -> std::string {
      if (E.is("attribute")) {
        std::string O = Qualify(E.field("object"));
        return O.empty() ? "" : O + "." + E.field("attribute").text(Src).str();
      }
      if (!E.is("identifier"))
        return "";
      const Reference *R = File.Scopes->referenceAt(E);
      if (!R)
        return "";
      auto Bs = File.Scopes->bindingsOf(*R);
      if (Bs.empty())
        return "";
      const Binding *B = Bs.front();
      if (B->Kind == BindingKind::Import || B->Kind == BindingKind::ImportFrom)
        return B->ImportTarget;
      if ((B->Kind == BindingKind::Function || B->Kind == BindingKind::Class) &&
          B->Owner->Kind == Scope::Module)
        return File.Module + "." + B->Name;
      return "";
    };
    Q = Qualify(Fn);
    if (Q.empty() || Proj.canonical(Q) != Proj.canonical(M.Function.Value))
      return false;
  }
  Node ArgList = Call.field("arguments");
  std::vector<Node> Positional;
  std::vector<Node> Keywords;
  if (ArgList)
    for (Node A : ArgList.namedChildren()) {
      if (A.is("comment"))
        continue;
      if (A.is("keyword_argument"))
        Keywords.push_back(A);
      else
        Positional.push_back(A);
    }
  for (size_t I = 0; I < M.Args.size(); ++I) {
    const ArgumentPredicate &P = M.Args[I];
    Node Value;
    if (P.Position) {
      if (*P.Position >= Positional.size())
        return false;
      Value = Positional[*P.Position];
    } else {
      for (Node K : Keywords)
        if (K.field("name").text(Src) == P.Keyword)
          Value = K.field("value");
      if (!Value)
        return false;
    }
    bool IsString;
    std::string Literal = stringValue(Value, Src, IsString);
    if (P.IsRegex) {
      llvm::StringRef Subject =
          IsString ? llvm::StringRef(Literal) : Value.text(Src);
      if (!Rule.Patterns[I] || !Rule.Patterns[I]->match(Subject))
        return false;
    } else if (!IsString || Literal != P.Value) {
      return false;
    }
  }
  return true;
}

} // namespace excise
