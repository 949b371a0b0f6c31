//===- DerivedData.cpp ----------------------------------------------------===//
#include "semantics/DerivedData.h"

#include "llvm/ADT/STLExtras.h"

namespace excise::cascade {

namespace {

bool isLiteralKind(llvm::StringRef K) {
  return K == "integer" || K == "float" || K == "true" || K == "false" || K == "none" ||
         K == "ellipsis";
}

} // namespace

DerivedData::Kind DerivedData::all(Node::Children Kids, const Cause *&Why,
                                   llvm::SmallVectorImpl<llvm::StringRef> &Bound) const {
  Kind Out = Kind::Literal;
  for (Node K : Kids) {
    if (K.is("comment"))
      continue;
    Kind Each = classify(K, Why, Bound);
    if (Each == Kind::Not)
      return Kind::Not;
    if (Each == Kind::Derived)
      Out = Kind::Derived;
  }
  return Out;
}

DerivedData::Kind DerivedData::classify(Node E, const Cause *&Why,
                                        llvm::SmallVectorImpl<llvm::StringRef> &Bound) const {
  llvm::StringRef K = E.kind();
  if (isLiteralKind(K))
    return Kind::Literal;
  if (K == "identifier" && llvm::is_contained(Bound, E.text(Src)))
    return Kind::Derived;
  if (std::optional<RemovedValue> R = Oracle.removedValue(E)) {
    if (!Why)
      Why = R->Why;
    return Kind::Derived;
  }
  if (K == "string") {
    Kind Out = Kind::Literal;
    for (Node C : E.namedChildren())
      if (C.is("interpolation")) {
        Kind Each = classify(C.field("expression"), Why, Bound);
        if (Each == Kind::Not)
          return Kind::Not;
        if (Each == Kind::Derived)
          Out = Kind::Derived;
      }
    return Out;
  }
  if (K == "concatenated_string" || K == "parenthesized_expression" || K == "list" ||
      K == "tuple" || K == "set" || K == "dictionary" || K == "pair" ||
      K == "expression_list" || K == "binary_operator" || K == "boolean_operator" ||
      K == "comparison_operator" || K == "unary_operator" || K == "not_operator" ||
      K == "conditional_expression" || K == "list_splat" || K == "dictionary_splat")
    return all(E.namedChildren(), Why, Bound);
  if (K == "list_comprehension" || K == "set_comprehension" ||
      K == "dictionary_comprehension" || K == "generator_expression") {
    size_t Mark = Bound.size();
    Kind Out = Kind::Literal;
    // The clauses first: their variables are derived when what they go
    // over is.
    for (Node C : E.namedChildren()) {
      if (C.is("for_in_clause")) {
        if (classify(C.field("right"), Why, Bound) != Kind::Derived) {
          Bound.resize(Mark);
          return Kind::Not;
        }
        Out = Kind::Derived;
        llvm::SmallVector<Node, 4> Work{C.field("left")};
        while (!Work.empty()) {
          Node T = Work.pop_back_val();
          if (T.is("identifier"))
            Bound.push_back(T.text(Src));
          else
            for (Node Sub : T.namedChildren())
              Work.push_back(Sub);
        }
      } else if (C.is("if_clause")) {
        if (all(C.namedChildren(), Why, Bound) == Kind::Not) {
          Bound.resize(Mark);
          return Kind::Not;
        }
      }
    }
    Node::Children Body;
    if (Node B = E.field("body"))
      Body.push_back(B);
    Kind Value = all(Body, Why, Bound);
    Bound.resize(Mark);
    return Value == Kind::Not ? Kind::Not : Out;
  }
  if (K == "call") {
    // A known-pure function of derived values (`len(removed.rows)`).
    Node Args = E.field("arguments");
    if (!Args || !Args.is("argument_list") || !Pure.isPure(F, E))
      return Kind::Not;
    return all(Args.namedChildren(), Why, Bound);
  }
  if (K == "keyword_argument")
    return classify(E.field("value"), Why, Bound);
  return Kind::Not;
}

const Cause *DerivedData::derived(Node E) const {
  const Cause *Why = nullptr;
  llvm::SmallVector<llvm::StringRef, 4> Bound;
  return classify(E, Why, Bound) == Kind::Derived ? Why : nullptr;
}

const Cause *DerivedData::callOfDerived(Node Call) const {
  while (Call.is("await"))
    Call = Call.namedChild(0);
  if (!Call.is("call") || Oracle.removedValue(Call.field("function")))
    return nullptr;
  Node Args = Call.field("arguments");
  if (!Args || !Args.is("argument_list"))
    return nullptr;
  const Cause *Why = nullptr;
  llvm::SmallVector<llvm::StringRef, 4> Bound;
  return all(Args.namedChildren(), Why, Bound) == Kind::Derived ? Why : nullptr;
}

} // namespace excise::cascade
