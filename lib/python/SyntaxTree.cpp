//===- SyntaxTree.cpp -----------------------------------------------------===//
#include "python/SyntaxTree.h"

namespace excise {

std::vector<Node> Node::fields(llvm::StringRef Name) const {
  std::vector<Node> Result;
  for (unsigned I = 0, E = childCount(); I < E; ++I)
    if (fieldNameOfChild(I) == Name)
      Result.push_back(child(I));
  return Result;
}

llvm::StringRef Node::fieldNameOfChild(unsigned I) const {
  const char *Name = ts_node_field_name_for_child(Raw, I);
  return Name ? Name : "";
}

std::vector<Node> Node::children() const {
  std::vector<Node> Result;
  for (unsigned I = 0, E = childCount(); I < E; ++I)
    Result.push_back(child(I));
  return Result;
}

std::vector<Node> Node::namedChildren() const {
  std::vector<Node> Result;
  for (unsigned I = 0, E = namedChildCount(); I < E; ++I)
    Result.push_back(namedChild(I));
  return Result;
}

llvm::Expected<SyntaxTree> SyntaxTree::parse(llvm::StringRef Source) {
  std::unique_ptr<TSParser, decltype(&ts_parser_delete)> Parser(
      ts_parser_new(), &ts_parser_delete);
  if (!ts_parser_set_language(Parser.get(), tree_sitter_python()))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter-python: incompatible ABI");
  TSTree *T = ts_parser_parse_string(Parser.get(), nullptr, Source.data(),
                                     Source.size());
  if (!T)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter could not parse the file");
  return SyntaxTree(T);
}

Node SyntaxTree::firstError() const {
  Node Found;
  root().walk([&](Node N) {
    if (Found)
      return false;
    if (N.is("ERROR") || N.isMissing()) {
      Found = N;
      return false;
    }
    return N.hasError();
  });
  return Found;
}

} // namespace excise
