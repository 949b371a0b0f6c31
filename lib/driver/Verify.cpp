//===- Verify.cpp ---------------------------------------------------------===//
#include "driver/Verify.h"

#include "python/SyntaxTree.h"
#include "source/SourceFile.h"
#include "source/Words.h"

#include "llvm/ADT/StringExtras.h"

namespace excise {

bool isVerified(const Plan &P, llvm::StringRef Path) {
  if (P.Verify.Paths.empty())
    return true;
  for (const PlanString &S : P.Verify.Paths) {
    llvm::StringRef Prefix(S.Value);
    Prefix.consume_front("./");
    while (Prefix.endswith("/"))
      Prefix = Prefix.drop_back();
    if (Prefix.empty() || Prefix == "." || Path == Prefix ||
        (Path.startswith(Prefix) && Path.size() > Prefix.size() &&
         Path[Prefix.size()] == '/'))
      return true;
  }
  return false;
}

std::vector<Diagnostic> verifyFile(const Plan &P, const std::string &Path,
                                   const std::string &Text) {
  std::vector<Diagnostic> Out;
  if (P.Verify.Absent.empty() || llvm::StringRef(Text).contains('\0'))
    return Out;
  SourceFile File(Path, Text);
  std::optional<SyntaxTree> Tree;
  if (llvm::StringRef(Path).endswith(".py")) {
    auto T = SyntaxTree::parse(Text);
    if (T)
      Tree.emplace(std::move(*T));
    else
      // Why dropped: a file the parser refuses (too deep) is searched as
      // plain text, each hit counting.
      llvm::consumeError(T.takeError());
  }
  for (const PlanString &Name : P.Verify.Absent) {
    llvm::StringRef N(Name.Value);
    for (size_t Pos = Text.find(N.str()); Pos != std::string::npos;
         Pos = Text.find(N.str(), Pos + 1)) {
      if ((Pos > 0 && isWordChar(Text[Pos - 1]) && isWordChar(N.front())) ||
          (Pos + N.size() < Text.size() && isWordChar(Text[Pos + N.size()]) &&
           isWordChar(N.back())))
        continue;
      std::string Where = "text";
      if (Tree) {
        TSNode Raw = ts_node_descendant_for_byte_range(Tree->root().raw(), Pos,
                                                       Pos + N.size());
        Where = "code";
        for (Node X(Raw); X; X = X.parent()) {
          if (X.is("comment")) {
            Where = "a comment";
            break;
          }
          if (X.is("string")) {
            Where = "a string";
            break;
          }
        }
        if ((Where == "code" && !P.Verify.CountCode) ||
            (Where == "a string" && !P.Verify.CountStrings) ||
            (Where == "a comment" && !P.Verify.CountComments))
          continue;
      }
      Out.push_back(Diagnostic::at(File, Pos, Severity::Warning,
                                   "'" + N.str() + "' is still present (in " +
                                       Where + ") after the plan",
                                   "verify"));
    }
  }
  return Out;
}

} // namespace excise
