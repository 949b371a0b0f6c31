//===- Leftovers.cpp ------------------------------------------------------===//
#include "semantics/Leftovers.h"

#include "semantics/CascadeSyntax.h"

#include "llvm/ADT/STLExtras.h"

namespace excise::cascade {

Leftovers::Leftovers(const ParsedFile &File, const RemovalOracle &Oracle,
                     RoundState &Round)
    : F(File), SF(File.Source), Src(File.Source.text()), Oracle(Oracle),
      Round(Round) {}

void Leftovers::add(Node At, const Cause &Why, const std::string &Message) {
  Round.Diags.push_back(
      Diagnostic::at(SF, At.start(), Severity::Warning, Message, Why.RuleId));
}

void Leftovers::note(Node At, const Cause &Why, const std::string &Message) {
  Round.Diags.push_back(
      Diagnostic::at(SF, At.start(), Severity::Note, Message, Why.RuleId));
}

void Leftovers::dropInside(Node S) {
  llvm::erase_if(Round.Diags, [&](const Diagnostic &D) {
    return D.Offset >= S.start() && D.Offset < S.end();
  });
}

void Leftovers::report(Node N) {
  // While nothing is removed the walk could only log the names it looks
  // up (the query log tells the driver whether a later round's names
  // could change this file's result); logSkippedQuestions() logs them all
  // at once then.
  if (!Oracle.anythingRemoved()) {
    SkippedWalk = true;
    Round.SkippedWalks.emplace_back(N.start(), N.end());
    return;
  }
  N.walk([&](Node C) {
    llvm::StringRef K = C.kind();
    if (K == "identifier" || K == "attribute") {
      if (auto R = Oracle.removedValue(C)) {
        add(C, *R->Why,
            "'" + describe(C, Src) +
                "' is removed by the plan but this use cannot be "
                "removed safely");
        return false;
      }
      return K == "attribute";
    }
    if (K == "string") {
      checkString(C);
      return false;
    }
    if (K == "lambda" || K == "function_definition" || K == "class_definition")
      return false;
    return true;
  });
}

/// The dotted name string \p S may spell (`"pkg.db.Repo"`), or "".
llvm::StringRef Leftovers::stringName(Node S) const {
  llvm::StringRef Value;
  for (Node C : S.namedChildren())
    if (C.is("string_content"))
      Value = C.text(Src);
  if (Value.empty() || Value.contains(' ') || !Value.contains('.'))
    return "";
  return Value;
}

/// A string naming a removed thing (`mock.patch("pkg.db.Repo")`).
void Leftovers::checkString(Node S) {
  llvm::StringRef Value = stringName(S);
  if (Value.empty())
    return;
  if (const Cause *C = Oracle.removedName(Value))
    add(S, *C,
        "string names '" + Value.str() +
            "', which the plan removes; update it by hand");
}

void Leftovers::logSkippedQuestions() const {
  // Every question a skipped walk would have asked, and more: the log
  // must still name whatever a later round's names could change.
  // A name's question depends on its binding alone: one per binding.
  for (const auto &B : F.Scopes->bindings())
    Oracle.removedBinding(B.get());
  // removedValue(A) asks about A's object (down to a binding, or to an
  // attribute of its own), then about A's qualified name. Every binding
  // was asked about above and every attribute is in the list, so asking
  // each attribute's name covers them all without walking each chain
  // again; where an object is removed it asks more than removedValue,
  // which stops there: still a superset.
  for (Node A : F.Attributes)
    if (std::string Q = Oracle.qualify(A); !Q.empty())
      Oracle.removedName(Q);
  for (Node S : F.Strings)
    if (llvm::StringRef Name = stringName(S); !Name.empty())
      Oracle.record(Query::FollowingBases, Name);
}

} // namespace excise::cascade
