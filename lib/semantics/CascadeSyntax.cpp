//===- CascadeSyntax.cpp --------------------------------------------------===//
#include "semantics/CascadeSyntax.h"

#include <algorithm>

namespace excise::cascade {

std::vector<Node> statementsOf(Node Block) {
  std::vector<Node> Result;
  if (!Block)
    return Result;
  for (Node C : Block.namedChildren())
    if (!C.is("comment"))
      Result.push_back(C);
  return Result;
}

Node blockOf(Node N) {
  if (Node B = N.field("body"))
    return B;
  if (Node B = N.field("consequence"))
    return B;
  Node Found;
  for (Node C : N.children())
    if (C.is("block"))
      Found = C;
  return Found;
}

Node colonOf(Node N) {
  for (Node C : N.children())
    if (C.kind() == ":")
      return C;
  return Node();
}

bool isStringStatement(Node S) {
  return S.is("expression_statement") && S.namedChildCount() == 1 &&
         S.namedChild(0).is("string");
}

bool isAssignmentStatement(Node S) {
  return S.is("expression_statement") && S.namedChildCount() == 1 &&
         S.namedChild(0).is("assignment");
}

bool namesFactory(llvm::StringRef Name) {
  llvm::StringRef Last = Name.rsplit('.').second.empty() ? Name : Name.rsplit('.').second;
  Last = Last.ltrim('_');
  if (!Last.empty() && Last.front() >= 'A' && Last.front() <= 'Z')
    return true;
  for (llvm::StringRef Prefix :
       {"get_", "create_", "make_", "build_", "new_", "open_", "connect", "load_"})
    if (Last.startswith(Prefix))
      return true;
  return false;
}

bool isLoggingCall(Node Call, llvm::StringRef Src) {
  Node Fn = Call.field("function");
  if (!Fn.is("attribute"))
    return false;
  static const llvm::StringLiteral Methods[] = {"debug", "info",      "warning",  "warn",
                                                "error", "exception", "critical", "log"};
  if (!llvm::is_contained(Methods, Fn.field("attribute").text(Src)))
    return false;
  llvm::StringRef Receiver = Fn.field("object").text(Src);
  if (!Receiver.rsplit('.').second.empty())
    Receiver = Receiver.rsplit('.').second;
  return Receiver.contains_insensitive("log");
}

bool usedAsObject(Node E) {
  Node P = E.parent();
  return (P.is("attribute") && P.field("object") == E) ||
         (P.is("subscript") && P.field("value") == E) ||
         (P.is("call") && P.field("function") == E);
}

bool isSideEffectFree(Node N) {
  bool Free = true;
  N.walk([&](Node C) {
    if (C.is("call") || C.is("await") || C.is("yield") ||
        C.is("named_expression") || C.is("lambda"))
      Free = false;
    return Free;
  });
  return Free;
}

std::string describe(Node N, llvm::StringRef Src) {
  std::string S = N.text(Src).str();
  if (S.size() > 60 || S.find('\n') != std::string::npos) {
    size_t Cut = std::min<size_t>(S.find_first_of("(\n"), 60);
    S = S.substr(0, Cut) + "...";
  }
  return S;
}

bool hasSegment(llvm::StringRef Name, llvm::StringRef Segment) {
  for (llvm::StringRef Rest = Name; !Rest.empty();) {
    auto [Head, Tail] = Rest.split('.');
    if (Head == Segment)
      return true;
    Rest = Tail;
  }
  return false;
}

} // namespace excise::cascade
