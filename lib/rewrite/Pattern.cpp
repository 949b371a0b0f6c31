//===- Pattern.cpp - Compiling rewrite patterns ---------------------------===//
#include "rewrite/Pattern.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

namespace excise {

char RewriteError::ID;

void RewriteError::log(llvm::raw_ostream &OS) const { OS << Message; }

std::error_code RewriteError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

static constexpr llvm::StringLiteral SinglePrefix = "__excise_mv_";
static constexpr llvm::StringLiteral SequencePrefix = "__excise_mvs_";

static bool isNameStart(char C) { return (C >= 'A' && C <= 'Z') || C == '_'; }
static bool isNameChar(char C) {
  return (C >= 'A' && C <= 'Z') || llvm::isDigit(C) || C == '_';
}
static bool isIdentifierChar(char C) {
  return llvm::isAlnum(C) || C == '_' || static_cast<unsigned char>(C) >= 0x80;
}

bool isCapturingName(llvm::StringRef Name) {
  return !Name.empty() && !Name.startswith("_");
}

/// Reads the reference starting at the `$` at \p I, if it is one.
static std::optional<MetavariableRef> readReference(llvm::StringRef Text,
                                                    size_t I) {
  MetavariableRef Ref;
  Ref.Offset = I;
  size_t J = I + 1;
  if (Text.substr(I).startswith("$$$")) {
    Ref.IsSequence = true;
    J = I + 3;
  }
  size_t NameStart = J;
  if (J < Text.size() && isNameStart(Text[J]))
    while (J < Text.size() && isNameChar(Text[J]))
      ++J;
  // `$Xyz` is not `$X` followed by `yz`: names are written in capitals.
  if (J < Text.size() && isIdentifierChar(Text[J]))
    return std::nullopt;
  Ref.Name = Text.slice(NameStart, J).str();
  if (Ref.Name.empty()) {
    if (!Ref.IsSequence)
      return std::nullopt;
    Ref.Name = "_";
  }
  Ref.Length = J - I;
  return Ref;
}

llvm::Expected<std::vector<MetavariableRef>>
scanMetavariables(llvm::StringRef Text) {
  std::vector<MetavariableRef> Out;
  char Quote = 0;
  bool Triple = false, InComment = false;
  size_t I = 0;
  while (I < Text.size()) {
    char C = Text[I];
    bool InString = Quote || InComment;
    if (C == '$') {
      std::optional<MetavariableRef> Ref = readReference(Text, I);
      if (Ref) {
        Ref->InString = InString;
        I += Ref->Length;
        Out.push_back(std::move(*Ref));
        continue;
      }
      if (!InString)
        return llvm::make_error<RewriteError>(
            "'$' starts no metavariable; write $NAME for one node or "
            "$$$NAME for a run, NAME in capitals",
            I);
      ++I;
      continue;
    }
    if (InComment) {
      InComment = C != '\n';
      ++I;
      continue;
    }
    if (Quote) {
      if (C == '\\') {
        I += 2;
        continue;
      }
      if (C == Quote &&
          (!Triple || Text.substr(I).startswith(std::string(3, Quote)))) {
        I += Triple ? 3 : 1;
        Quote = 0;
        continue;
      }
      // An unterminated one-line string ends with its line; the parser
      // reports it.
      if (C == '\n' && !Triple)
        Quote = 0;
      ++I;
      continue;
    }
    if (C == '#') {
      InComment = true;
    } else if (C == '\'' || C == '"') {
      Quote = C;
      Triple = Text.substr(I).startswith(std::string(3, C));
      I += Triple ? 3 : 1;
      continue;
    }
    ++I;
  }
  return Out;
}

std::string substituteMetavariables(llvm::StringRef Text,
                                    llvm::ArrayRef<MetavariableRef> Refs,
                                    std::vector<size_t> &OriginalOffset) {
  std::string Out;
  OriginalOffset.clear();
  size_t From = 0;
  for (const MetavariableRef &Ref : Refs) {
    for (size_t I = From; I < Ref.Offset; ++I) {
      Out += Text[I];
      OriginalOffset.push_back(I);
    }
    std::string Placeholder =
        (Ref.IsSequence ? SequencePrefix : SinglePrefix).str() + Ref.Name;
    Out += Placeholder;
    OriginalOffset.insert(OriginalOffset.end(), Placeholder.size(), Ref.Offset);
    From = Ref.Offset + Ref.Length;
  }
  for (size_t I = From; I < Text.size(); ++I) {
    Out += Text[I];
    OriginalOffset.push_back(I);
  }
  OriginalOffset.push_back(Text.size());
  return Out;
}

/// The first token of \p N, for "unexpected ..." messages.
static Node firstLeaf(Node N) {
  while (N.childCount())
    N = N.child(0);
  return N;
}

/// The first bracket among \p Error's children that is not closed there.
static Node unclosedBracket(Node Error) {
  std::vector<Node> Open;
  for (Node C : Error.children()) {
    llvm::StringRef Kind = C.kind();
    if (Kind == "(" || Kind == "[" || Kind == "{") {
      Open.push_back(C);
    } else if (Kind == ")" || Kind == "]" || Kind == "}") {
      if (!Open.empty())
        Open.pop_back();
    }
  }
  return Open.empty() ? Node() : Open.front();
}

static bool isCompoundKeyword(llvm::StringRef Token) {
  static const llvm::StringLiteral Keywords[] = {
      "if",   "elif", "else",   "for",     "while", "def",   "class",
      "with", "try",  "except", "finally", "async", "match", "case"};
  return llvm::is_contained(Keywords, Token);
}

llvm::Error syntaxError(const SyntaxTree &Tree, llvm::StringRef Text,
                        const std::vector<size_t> &OriginalOffset,
                        llvm::StringRef What) {
  Node Error = Tree.firstError();
  unsigned At = Error ? Error.start() : 0;
  std::string Message = ("the " + What + " is not valid Python").str();
  if (Error && Error.isMissing()) {
    Message += "; missing '" + Error.kind().str() + "'";
  } else if (Error) {
    llvm::StringRef Token = firstLeaf(Error).text(Text);
    llvm::StringRef Line =
        Text.substr(Error.start()).take_until([](char C) { return C == '\n'; });
    llvm::StringRef Header = Line.split('#').first.rtrim();
    if (Node Bracket = unclosedBracket(Error)) {
      At = Bracket.start();
      Message += "; '" + Bracket.kind().str() + "' is not closed";
    } else if (isCompoundKeyword(Token) && !Header.endswith(":")) {
      At = Error.start() + Header.size();
      Message += "; expected ':' at the end of the '" + Token.str() + "' line";
    } else if (Token.startswith(SinglePrefix) ||
               Token.startswith(SequencePrefix)) {
      Message += "; a metavariable cannot stand here";
    } else if (!Token.empty() && !Token.contains('\n')) {
      Message += "; unexpected '" + Token.str() + "'";
    }
  }
  size_t Offset =
      At < OriginalOffset.size() ? OriginalOffset[At] : OriginalOffset.back();
  return llvm::make_error<RewriteError>(std::move(Message), Offset);
}

bool isNodeKind(llvm::StringRef Kind) {
  const TSLanguage *Python = tree_sitter_python();
  TSSymbol Symbol = ts_language_symbol_for_name(
      Python, Kind.data(), static_cast<uint32_t>(Kind.size()), true);
  return Symbol != 0 &&
         ts_language_symbol_type(Python, Symbol) == TSSymbolTypeRegular;
}

std::vector<llvm::StringRef> nodeKinds() {
  const TSLanguage *Python = tree_sitter_python();
  std::vector<llvm::StringRef> Kinds;
  llvm::StringSet<> Seen;
  for (TSSymbol S = 1, E = ts_language_symbol_count(Python); S < E; ++S) {
    if (ts_language_symbol_type(Python, S) != TSSymbolTypeRegular)
      continue;
    llvm::StringRef Name = ts_language_symbol_name(Python, S);
    if (!Name.startswith("_") && Seen.insert(Name).second)
      Kinds.push_back(Name);
  }
  return Kinds;
}

//===----------------------------------------------------------------------===//
// Pattern
//===----------------------------------------------------------------------===//

struct Pattern::Compiled {
  std::string Text;
  std::optional<SyntaxTree> Tree;
  std::vector<Node> Roots;
  bool IsStatementRun = false;
  std::vector<MetavariableRef> Metavariables;
  std::vector<std::string> LiteralNames;
};

/// The metavariable named by placeholder identifier \p Text, if it is one.
static std::optional<PatternHole> holeOfIdentifier(llvm::StringRef Text) {
  PatternHole Hole;
  if (Text.startswith(SequencePrefix)) {
    Hole.Name = Text.drop_front(SequencePrefix.size());
    Hole.IsSequence = true;
    return Hole;
  }
  if (Text.startswith(SinglePrefix)) {
    Hole.Name = Text.drop_front(SinglePrefix.size());
    return Hole;
  }
  return std::nullopt;
}

std::vector<Node> significantChildren(Node N) {
  std::vector<Node> Out;
  // The parentheses around imported names are only layout.
  bool Import = N.is("import_from_statement");
  for (Node C : N.children()) {
    llvm::StringRef Kind = C.kind();
    if (Kind == "comment" || Kind == "line_continuation" || Kind == "," ||
        Kind == ";" || (Import && (Kind == "(" || Kind == ")")))
      continue;
    Out.push_back(C);
  }
  return Out;
}

std::optional<PatternHole> Pattern::holeOf(Node N) const {
  if (N.is("identifier"))
    return holeOfIdentifier(N.text(Impl->Text));
  // A statement, or a dotted name, that is only a placeholder.
  if (N.is("expression_statement") || N.is("dotted_name")) {
    std::vector<Node> Children = significantChildren(N);
    if (Children.size() == 1 && Children[0].is("identifier"))
      return holeOfIdentifier(Children[0].text(Impl->Text));
  }
  return std::nullopt;
}

/// Node kinds whose children form a list that `$$$` may stand in.
static bool isSequenceContainer(llvm::StringRef Kind) {
  static const llvm::StringLiteral Kinds[] = {"argument_list",
                                              "list",
                                              "tuple",
                                              "set",
                                              "expression_list",
                                              "parameters",
                                              "lambda_parameters",
                                              "pattern_list",
                                              "tuple_pattern",
                                              "list_pattern",
                                              "block",
                                              "module",
                                              "import_from_statement",
                                              "import_statement"};
  return llvm::is_contained(Kinds, Kind);
}

llvm::Expected<Pattern> Pattern::compile(llvm::StringRef Source) {
  auto Refs = scanMetavariables(Source);
  if (!Refs)
    return Refs.takeError();
  auto Impl = std::make_shared<Compiled>();
  std::vector<MetavariableRef> Holes;
  for (const MetavariableRef &Ref : *Refs) {
    if (Ref.InString)
      continue;
    Holes.push_back(Ref);
    const MetavariableRef *Seen = nullptr;
    for (const MetavariableRef &Other : Impl->Metavariables)
      if (Other.Name == Ref.Name)
        Seen = &Other;
    if (!Seen) {
      Impl->Metavariables.push_back(Ref);
      continue;
    }
    if (Seen->IsSequence != Ref.IsSequence && isCapturingName(Ref.Name))
      return llvm::make_error<RewriteError>(
          "'" + Source.substr(Ref.Offset, Ref.Length).str() +
              "' is also written '" +
              Source.substr(Seen->Offset, Seen->Length).str() +
              "'; a metavariable is either one node or a run",
          Ref.Offset);
  }

  std::vector<size_t> OriginalOffset;
  Impl->Text = substituteMetavariables(Source, Holes, OriginalOffset);
  auto Tree = SyntaxTree::parse(Impl->Text);
  if (!Tree)
    return Tree.takeError();
  Impl->Tree.emplace(std::move(*Tree));
  const SyntaxTree &T = *Impl->Tree;
  if (T.hasErrors())
    return syntaxError(T, Impl->Text, OriginalOffset, "pattern");

  std::vector<Node> Statements;
  for (Node C : T.root().namedChildren())
    if (!C.is("comment"))
      Statements.push_back(C);
  if (Statements.empty())
    return llvm::make_error<RewriteError>(
        "the pattern is empty; expected Python code to match", 0);

  Pattern P(Impl);
  auto OriginalOf = [&](Node N) { return OriginalOffset[N.start()]; };
  // `$$$X` stands for a run, so it must sit where a list is.
  llvm::Error Misplaced = llvm::Error::success();
  T.root().walk([&](Node N) {
    if (Misplaced || !N.is("identifier"))
      return !Misplaced;
    std::optional<PatternHole> Hole = holeOfIdentifier(N.text(Impl->Text));
    if (!Hole || !Hole->IsSequence)
      return true;
    Node Outer = N;
    Node Parent = N.parent();
    if ((Parent.is("expression_statement") || Parent.is("dotted_name")) &&
        P.holeOf(Parent)) {
      Outer = Parent;
      Parent = Parent.parent();
    }
    if (!isSequenceContainer(Parent.kind())) {
      // Why dropped: Misplaced is empty here (success); assigning over an
      // llvm::Error requires it to be checked first.
      llvm::consumeError(std::move(Misplaced));
      Misplaced = llvm::make_error<RewriteError>(
          "'$$$" + Hole->Name.str() +
              "' stands for a run of arguments, items, parameters or "
              "statements, which cannot stand here; write '$" +
              Hole->Name.str() + "' for one node",
          OriginalOf(N));
    }
    return true;
  });
  if (Misplaced)
    return Misplaced;

  if (Statements.size() == 1) {
    Node Only = Statements.front();
    std::vector<Node> Inside = significantChildren(Only);
    if (Only.is("expression_statement") && Inside.size() == 1 &&
        Inside[0].isNamed())
      Only = Inside[0];
    std::optional<PatternHole> Hole = P.holeOf(Only);
    if (Hole && Hole->IsSequence)
      return llvm::make_error<RewriteError>(
          "a pattern that is only '$$$" + Hole->Name.str() +
              "' would match everything; write the code around it",
          OriginalOf(Only));
    Impl->Roots.push_back(Only);
  } else {
    Impl->Roots = Statements;
    Impl->IsStatementRun = true;
  }

  llvm::StringSet<> Names;
  T.root().walk([&](Node N) {
    if (N.is("identifier") && !holeOfIdentifier(N.text(Impl->Text))) {
      llvm::StringRef Name = N.text(Impl->Text);
      if (Names.insert(Name).second)
        Impl->LiteralNames.push_back(Name.str());
    }
    return true;
  });
  return P;
}

const std::vector<Node> &Pattern::roots() const { return Impl->Roots; }
bool Pattern::isStatementRun() const { return Impl->IsStatementRun; }
llvm::StringRef Pattern::text() const { return Impl->Text; }
const std::vector<MetavariableRef> &Pattern::metavariables() const {
  return Impl->Metavariables;
}
const std::vector<std::string> &Pattern::literalNames() const {
  return Impl->LiteralNames;
}

const MetavariableRef *Pattern::find(llvm::StringRef Name) const {
  for (const MetavariableRef &Ref : Impl->Metavariables)
    if (Ref.Name == Name)
      return &Ref;
  return nullptr;
}

} // namespace excise
