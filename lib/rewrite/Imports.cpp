//===- Imports.cpp - Adding the imports a rewrite's fix needs -------------===//
#include "rewrite/Imports.h"

#include "edit/Ranges.h"
#include "rewrite/Pattern.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <map>

namespace excise {

std::string ImportRequest::Name::bound() const {
  if (!Alias.empty())
    return Alias;
  return llvm::StringRef(Dotted).split('.').first.str();
}

std::string ImportRequest::Name::spelling() const {
  return Alias.empty() ? Dotted : Dotted + " as " + Alias;
}

/// \p Text without whitespace: `. event_logger` and `.event_logger` are one
/// module.
static std::string compact(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text)
    if (!llvm::StringRef(" \t\r\n\\").contains(C))
      Out += C;
  return Out;
}

/// The names of an import statement, as written.
static std::vector<ImportRequest::Name> importedNames(Node Statement,
                                                      llvm::StringRef Source) {
  std::vector<ImportRequest::Name> Out;
  for (Node N : Statement.fields("name")) {
    ImportRequest::Name Name;
    if (N.is("aliased_import")) {
      Name.Dotted = compact(N.field("name").text(Source));
      Name.Alias = N.field("alias").text(Source).str();
    } else {
      Name.Dotted = compact(N.text(Source));
    }
    Out.push_back(std::move(Name));
  }
  return Out;
}

llvm::Expected<ImportRequest> parseImport(llvm::StringRef Statement) {
  llvm::StringRef Text = Statement.trim();
  size_t Offset = Text.data() - Statement.data();
  auto Refuse = [&](const llvm::Twine &Why, size_t At) {
    return llvm::make_error<RewriteError>(Why.str(), At);
  };
  auto Tree = SyntaxTree::parse(Text);
  if (!Tree)
    return Tree.takeError();
  if (Tree->hasErrors()) {
    std::vector<size_t> Map;
    for (size_t I = 0; I <= Text.size(); ++I)
      Map.push_back(Offset + I);
    return syntaxError(*Tree, Text, Map, "import");
  }
  std::vector<Node> Statements;
  for (Node N : Tree->root().namedChildren())
    if (!N.is("comment"))
      Statements.push_back(N);
  if (Statements.size() != 1 || (!Statements[0].is("import_statement") &&
                                 !Statements[0].is("import_from_statement")))
    return Refuse("expected one 'import ...' or 'from ... import ...' "
                  "statement",
                  Offset);
  Node S = Statements[0];
  ImportRequest R;
  R.Statement = Text.str();
  R.IsFrom = S.is("import_from_statement");
  for (Node C : S.namedChildren())
    if (C.is("wildcard_import"))
      return Refuse("'import *' binds no name that can be checked; name what "
                    "the fix needs",
                    Offset + C.start());
  if (R.IsFrom)
    R.Module = compact(S.field("module_name").text(Text));
  R.Names = importedNames(S, Text);
  return R;
}

namespace {

/// What the module level of a file binds and imports.
struct ModuleNames {
  llvm::StringSet<> Bound;
  /// Modules imported whole and unaliased (`import a.b`).
  llvm::StringSet<> Modules;
  /// Top-level `from` imports, by module.
  std::map<std::string, Node> FromImports;
  /// The last import statement directly at module level.
  Node LastImport;
};

void collect(Node Block, llvm::StringRef Source, bool TopLevel,
             ModuleNames &Out) {
  for (Node S : Block.namedChildren()) {
    llvm::StringRef Kind = S.kind();
    if (Kind == "import_statement" || Kind == "import_from_statement" ||
        Kind == "future_import_statement") {
      if (TopLevel)
        Out.LastImport = S;
      for (const ImportRequest::Name &N : importedNames(S, Source)) {
        Out.Bound.insert(Kind == "import_statement" ? N.bound()
                         : N.Alias.empty()          ? N.Dotted
                                                    : N.Alias);
        if (Kind == "import_statement" && N.Alias.empty())
          Out.Modules.insert(N.Dotted);
      }
      bool Wildcard = llvm::any_of(
          S.namedChildren(), [](Node C) { return C.is("wildcard_import"); });
      if (TopLevel && Kind == "import_from_statement" && !Wildcard)
        Out.FromImports.emplace(compact(S.field("module_name").text(Source)),
                                S);
      continue;
    }
    if (Kind == "function_definition" || Kind == "class_definition") {
      Out.Bound.insert(S.field("name").text(Source));
      continue;
    }
    if (Kind == "decorated_definition") {
      if (Node Def = S.field("definition"))
        Out.Bound.insert(Def.field("name").text(Source));
      continue;
    }
    if (Kind == "expression_statement") {
      for (Node E : S.namedChildren())
        if (E.is("assignment") && E.field("left").is("identifier"))
          Out.Bound.insert(E.field("left").text(Source));
      continue;
    }
    // Names imported for type checkers only do not exist at run time.
    if (Kind == "if_statement" &&
        S.field("condition").text(Source).contains("TYPE_CHECKING"))
      continue;
    // Module-level code in blocks still binds module names.
    if (Kind == "if_statement" || Kind == "try_statement" ||
        Kind == "with_statement" || Kind == "else_clause" ||
        Kind == "elif_clause" || Kind == "except_clause" ||
        Kind == "finally_clause" || Kind == "block")
      collect(S, Source, /*TopLevel=*/false, Out);
  }
}

bool isDocstring(Node S) {
  if (!S.is("expression_statement"))
    return false;
  std::vector<Node> Inside = significantChildren(S);
  return Inside.size() == 1 && Inside[0].is("string");
}

} // namespace

std::vector<Edit> importEdits(const SourceFile &File, const SyntaxTree &Tree,
                              llvm::ArrayRef<ImportRequest> Requests,
                              llvm::StringRef RuleId) {
  llvm::StringRef Source = File.text();
  ModuleNames Names;
  collect(Tree.root(), Source, /*TopLevel=*/true, Names);
  llvm::StringRef LineBreak = File.lineBreak();

  // What is missing, in the order first requested: whole `import`
  // statements, and names of `from` imports by module.
  struct Pending {
    std::string Module;    ///< Set for a `from` import.
    std::string Statement; ///< Set for an `import` statement.
  };
  std::vector<Pending> Order;
  std::map<std::string, std::vector<std::string>> Missing;
  for (const ImportRequest &R : Requests) {
    if (!R.IsFrom) {
      std::vector<std::string> Parts;
      for (const ImportRequest::Name &N : R.Names) {
        // `import a.b` is only there when that very module is imported.
        bool Present =
            N.Alias.empty() && N.Dotted.find('.') != std::string::npos
                ? Names.Modules.count(N.Dotted) > 0
                : Names.Bound.count(N.bound()) > 0;
        if (Present)
          continue;
        Parts.push_back(N.spelling());
        Names.Bound.insert(N.bound());
        if (N.Alias.empty())
          Names.Modules.insert(N.Dotted);
      }
      if (!Parts.empty())
        Order.push_back({"", "import " + llvm::join(Parts, ", ")});
      continue;
    }
    for (const ImportRequest::Name &N : R.Names) {
      if (Names.Bound.count(N.bound()))
        continue;
      Names.Bound.insert(N.bound());
      if (!Missing.count(R.Module))
        Order.push_back({R.Module, ""});
      Missing[R.Module].push_back(N.spelling());
    }
  }

  std::vector<Edit> Out;
  auto Add = [&](unsigned Offset, unsigned Length, std::string Text,
                 const std::string &Why) {
    Edit E;
    E.Replacement = clang::tooling::Replacement(File.path(), Offset, Length,
                                                std::move(Text));
    E.RuleId = RuleId.str();
    E.Reason = {"rewrite: the fix needs `" + Why + "`"};
    Out.push_back(std::move(E));
  };

  std::vector<std::string> NewStatements;
  for (const Pending &P : Order) {
    if (P.Module.empty()) {
      NewStatements.push_back(P.Statement);
      continue;
    }
    const std::vector<std::string> &Spelled = Missing[P.Module];
    std::string Why =
        "from " + P.Module + " import " + llvm::join(Spelled, ", ");
    auto Existing = Names.FromImports.find(P.Module);
    if (Existing == Names.FromImports.end()) {
      NewStatements.push_back(Why);
      continue;
    }
    Node S = Existing->second;
    std::vector<Node> Imported = S.fields("name");
    Node Last = Imported.back();
    Node Open, Comma, Close;
    for (Node C : S.children()) {
      if (C.kind() == "(")
        Open = C;
      else if (C.kind() == ")")
        Close = C;
      else if (C.kind() == "," && C.start() >= Last.end())
        Comma = C;
    }
    if (Open && Comma && Close && Close.startRow() > Last.endRow()) {
      // One name per line: a line of its own for each.
      std::string Indent = indentOf(File, Last.start());
      std::string Text;
      for (const std::string &Name : Spelled)
        Text += Indent + Name + "," + LineBreak.str();
      unsigned Line = File.position(Comma.start()).Line;
      Add(File.lineEnd(Line), 0, std::move(Text), Why);
    } else if (Comma) {
      Add(Comma.end(), 0, " " + llvm::join(Spelled, ", ") + ",", Why);
    } else {
      Add(Last.end(), 0, ", " + llvm::join(Spelled, ", "), Why);
    }
  }

  if (NewStatements.empty())
    return Out;
  std::string Why = llvm::join(NewStatements, "; ");
  std::string Lines;
  for (const std::string &S : NewStatements)
    Lines += S + LineBreak.str();
  std::vector<Node> TopLevel;
  for (Node S : Tree.root().namedChildren())
    if (!S.is("comment"))
      TopLevel.push_back(S);

  if (Names.LastImport) {
    unsigned Line = File.position(Names.LastImport.end()).Line;
    unsigned At = File.lineEnd(Line);
    if (At == Source.size() && !File.endsWithNewline())
      Add(At, 0,
          LineBreak.str() +
              llvm::StringRef(Lines).drop_back(LineBreak.size()).str(),
          Why);
    else
      Add(At, 0, Lines, Why);
    return Out;
  }
  if (!TopLevel.empty() && isDocstring(TopLevel.front())) {
    unsigned Line = File.position(TopLevel.front().end()).Line;
    unsigned At = File.lineEnd(Line);
    bool AtEnd = At == Source.size();
    std::string Text =
        (AtEnd && !File.endsWithNewline() ? LineBreak.str() : "") +
        LineBreak.str() + Lines;
    if (!AtEnd && !File.lineText(Line + 1).trim().empty())
      Text += LineBreak.str();
    Add(At, 0, std::move(Text), Why);
    return Out;
  }
  if (!TopLevel.empty()) {
    Node First = TopLevel.front();
    unsigned At = File.lineStart(File.position(First.start()).Line);
    bool Definition = First.is("function_definition") ||
                      First.is("class_definition") ||
                      First.is("decorated_definition");
    Add(At, 0, Lines + LineBreak.str() + (Definition ? LineBreak.str() : ""),
        Why);
    return Out;
  }
  // Nothing but comments, or nothing at all.
  unsigned At = Source.size();
  Add(At, 0, (At && !File.endsWithNewline() ? LineBreak.str() : "") + Lines,
      Why);
  return Out;
}

} // namespace excise
