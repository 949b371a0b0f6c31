//===- Rewrite.cpp - Applying a `rewrite` rule to one file ----------------===//
#include "rewrite/Rewrite.h"

#include "edit/Ranges.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace excise {

llvm::Expected<RewriteRule> RewriteRule::compile(const RewriteSpec &Spec) {
  auto P = Pattern::compile(Spec.Pattern.Value);
  if (!P)
    return P.takeError();
  auto T = Template::compile(Spec.Fix.Value, *P);
  if (!T)
    return T.takeError();
  RewriteRule R(std::move(*P), std::move(*T));
  auto Where = compileConstraints(R.ThePattern, Spec.Where);
  if (!Where)
    return Where.takeError();
  R.Where = std::move(*Where);
  for (const PlanString &S : Spec.Imports) {
    auto I = parseImport(S.Value);
    if (!I)
      return I.takeError();
    R.Imports.push_back(std::move(*I));
  }
  for (const PlanString &S : Spec.Files)
    R.Files.push_back(S.Value);
  return R;
}

/// Matches \p Path against \p Glob as the plan's file operations do: `*` and
/// `?` as in a shell but crossing `/`, `**/` also matching no directory, and a
/// path without wildcards naming a file or a directory.
static bool matchesGlob(llvm::StringRef Glob, llvm::StringRef Path) {
  llvm::SmallString<128> Normal(Glob);
  llvm::sys::path::remove_dots(Normal, /*remove_dot_dot=*/true,
                               llvm::sys::path::Style::posix);
  std::string P = Normal.str().rtrim('/').str();
  if (P.empty() || P == ".")
    return true;
  if (P.find_first_of("*?[") == std::string::npos)
    return Path == P || Path.startswith(P + "/");
  std::vector<std::string> Variants{P};
  for (size_t At = P.find("**/"); At != std::string::npos;
       At = P.find("**/", At + 1))
    Variants.push_back(P.substr(0, At) + P.substr(At + 3));
  return llvm::any_of(Variants, [&](const std::string &V) {
    auto G = llvm::GlobPattern::create(V);
    if (!G) {
      // Why dropped: a pattern that is not a valid glob matches no file; a
      // rewrite that then matches nothing gets a plan note.
      llvm::consumeError(G.takeError());
      return false;
    }
    return G->match(Path);
  });
}

bool RewriteRule::appliesTo(llvm::StringRef Path) const {
  if (Files.empty())
    return Path.endswith(".py");
  return llvm::any_of(
      Files, [&](const std::string &G) { return matchesGlob(G, Path); });
}

bool RewriteRule::mightMatch(llvm::StringRef Text) const {
  return llvm::all_of(ThePattern.literalNames(), [&](const std::string &Name) {
    return Text.contains(Name);
  });
}

/// The statements of a `block` or `module`, comments left out.
static std::vector<Node> statementsOf(Node Block) {
  std::vector<Node> Out;
  for (Node C : Block.namedChildren())
    if (!C.is("comment"))
      Out.push_back(C);
  return Out;
}

/// The statement that \p N is, or is the whole expression of; null when it
/// is part of something larger.
static Node wholeStatement(Node N) {
  Node Parent = N.parent();
  if (Parent.is("block") || Parent.is("module"))
    return N;
  if (Parent.is("expression_statement") &&
      significantChildren(Parent).size() == 1) {
    Node Grand = Parent.parent();
    if (Grand.is("block") || Grand.is("module"))
      return Parent;
  }
  return Node();
}

llvm::Expected<std::vector<Edit>> applyRewrite(const RewriteRule &R,
                                               const SourceFile &F,
                                               const SyntaxTree &T,
                                               llvm::StringRef RuleId) {
  if (!R.mightMatch(F.text()))
    return std::vector<Edit>();
  std::vector<Match> Matches = findMatches(R.pattern(), R.where(), F, T);
  if (Matches.empty())
    return std::vector<Edit>();

  FileStyle Style = detectStyle(F, T);
  FileEdits Edits(F.path().str());
  bool Changed = false;
  for (const Match &M : Matches) {
    llvm::StringRef FirstLine = F.text().slice(M.First.start(), M.End);
    FirstLine = FirstLine.take_until([](char C) { return C == '\n'; }).rtrim();
    Edit E;
    E.RuleId = RuleId.str();
    E.Reason = {"rewrite: matched `" + FirstLine.str() + "`"};
    if (!R.fix().isDeletion()) {
      E.Replacement = clang::tooling::Replacement(
          F.path(), M.Start, M.End - M.Start, R.fix().render(M, F, Style));
    } else {
      Node Block = M.Block;
      size_t First = M.FirstIndex, Last = M.LastIndex;
      std::vector<Node> Statements;
      if (Block) {
        Statements = statementsOf(Block);
      } else {
        Node Statement = wholeStatement(M.First);
        if (!Statement)
          continue;
        Block = Statement.parent();
        Statements = statementsOf(Block);
        First = Last =
            std::find(Statements.begin(), Statements.end(), Statement) -
            Statements.begin();
      }
      Range Gone;
      std::string With;
      if (First == 0 && Last + 1 == Statements.size() && !Block.is("module")) {
        // A block must keep a statement.
        Gone = blockContentRange(F, Statements);
        With = "pass";
      } else {
        Gone = statementRunRange(F, Block, Statements, First, Last);
      }
      E.Replacement = clang::tooling::Replacement(F.path(), Gone.Start,
                                                  Gone.End - Gone.Start, With);
    }
    if (E.Replacement.getLength() == 0 &&
        E.Replacement.getReplacementText().empty())
      continue;
    if (E.Replacement.getLength() ==
            E.Replacement.getReplacementText().size() &&
        F.text().substr(E.Replacement.getOffset(), E.Replacement.getLength()) ==
            E.Replacement.getReplacementText())
      continue; // Already in the fixed form.
    if (llvm::Error Err = Edits.add(std::move(E)))
      return Err;
    Changed = true;
  }
  if (!Changed)
    return std::vector<Edit>();

  for (Edit &E : importEdits(F, T, R.imports(), RuleId))
    if (llvm::Error Err = Edits.add(std::move(E)))
      return Err;

  // Every file that parsed before must still parse.
  if (!T.hasErrors()) {
    auto After = Edits.apply(F.text());
    if (!After)
      return After.takeError();
    // Reparsing around a few edits is cheap; around many, a fresh parse is
    // cheaper.
    std::vector<TextEdit> Changes;
    for (const Edit &E : Edits.edits())
      Changes.push_back({E.offset(), E.length(), E.text()});
    auto Check = Changes.size() <= 64 ? T.reparse(F.text(), Changes, *After)
                                      : SyntaxTree::parse(*After);
    if (!Check)
      return Check.takeError();
    if (Check->hasErrors()) {
      SourceFile Result(F.path().str(), *After);
      LineColumn At = Result.position(Check->firstError().start());
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%s: rule '%s' would leave the file unparsable (line %u, column %u "
          "of the result); check its fix",
          F.path().str().c_str(), RuleId.str().c_str(), At.Line, At.Column);
    }
  }
  return Edits.edits();
}

} // namespace excise
