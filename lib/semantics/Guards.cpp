//===- Guards.cpp ---------------------------------------------------------===//
#include "semantics/Guards.h"

#include "semantics/CascadeSyntax.h"

namespace excise::cascade {

Condition Guards::evaluate(Node E) const {
  llvm::StringRef K = E.kind();
  if (K == "parenthesized_expression" && E.namedChildCount() == 1) {
    Condition C = evaluate(E.namedChild(0));
    if (C.Residual)
      C.Residual = "(" + *C.Residual + ")";
    return C;
  }
  if (auto R = Oracle.removedValue(E)) {
    Condition C;
    // A presence test is true; a test of a result exists only to react to
    // it, so its branch never runs.
    C.Value = R->ViaCall || R->Result ? Truth::False : Truth::True;
    C.Why = R->Why;
    C.What = describe(E, Src);
    return C;
  }
  if (K == "not_operator") {
    Node Arg = E.field("argument");
    Condition C = evaluate(Arg);
    if (C.Value == Truth::Unknown) {
      if (C.Residual)
        C.Residual = "not " + *C.Residual;
      return C;
    }
    auto R = Oracle.removedValue(Arg);
    C.Value = (R && (R->ViaCall || R->Result)) || C.Value == Truth::True ? Truth::False
                                                          : Truth::True;
    return C;
  }
  if (K == "comparison_operator") {
    Node::Children Kids = E.namedChildren();
    std::vector<Node> Ops = E.fields("operators");
    if (Kids.size() == 2 && Kids[1].is("none")) {
      auto R = Oracle.removedValue(Kids[0]);
      if (R && !R->ViaCall && !R->Result) {
        std::string Op;
        for (auto [C, Field] : E.childrenWithFields())
          if (Field == "operators")
            Op += (Op.empty() ? "" : " ") + C.text(Src).str();
        Condition C;
        C.Why = R->Why;
        C.What = describe(Kids[0], Src);
        if (Op == "is" || Op == "==")
          C.Value = Truth::False;
        else if (Op == "is not" || Op == "!=")
          C.Value = Truth::True;
        else
          return Condition();
        return C;
      }
    }
    return Condition();
  }
  if (K == "boolean_operator") {
    bool IsAnd = E.field("operator").text(Src) == "and";
    Node L = E.field("left"), R = E.field("right");
    Condition CL = evaluate(L), CR = evaluate(R);
    Truth Absorbing = IsAnd ? Truth::False : Truth::True;
    Truth Neutral = IsAnd ? Truth::True : Truth::False;
    Condition Out;
    Out.Why = CL.Why ? CL.Why : CR.Why;
    Out.What = CL.Why ? CL.What : CR.What;
    if (CL.Value == Absorbing || CR.Value == Absorbing) {
      // `x and <never>`: x still runs when it has side effects.
      Node Other = CL.Value == Absorbing ? R : L;
      if (CL.Value == Absorbing || isSideEffectFree(Other)) {
        Out.Value = Absorbing;
        return Out;
      }
      return Condition();
    }
    if (CL.Value == Neutral && CR.Value == Neutral) {
      Out.Value = Neutral;
      return Out;
    }
    auto TextOf = [&](const Condition &C, Node N) {
      return C.Residual ? *C.Residual : N.text(Src).str();
    };
    if (CL.Value == Neutral) {
      Out.Residual = TextOf(CR, R);
      return Out;
    }
    if (CR.Value == Neutral) {
      Out.Residual = TextOf(CL, L);
      return Out;
    }
    if (CL.Residual || CR.Residual)
      Out.Residual = TextOf(CL, L) + (IsAnd ? " and " : " or ") + TextOf(CR, R);
    return Out;
  }
  return Condition();
}

} // namespace excise::cascade
