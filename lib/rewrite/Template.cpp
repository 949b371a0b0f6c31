//===- Template.cpp - Rendering a rewrite's fix ---------------------------===//
#include "rewrite/Template.h"

#include "edit/Ranges.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace excise {

FileStyle detectStyle(const SourceFile &File, const SyntaxTree &Tree) {
  FileStyle Style;
  Style.LineBreak = File.lineBreak().str();
  bool Found = false;
  Tree.root().walk([&](Node N) {
    if (Found)
      return false;
    if (!N.is("block"))
      return true;
    Node Header = N.parent();
    std::vector<Node> Statements;
    for (Node C : N.namedChildren())
      if (!C.is("comment"))
        Statements.push_back(C);
    if (!Header || Statements.empty() ||
        Statements.front().startRow() == Header.startRow())
      return true;
    std::string Outer = indentOf(File, Header.start());
    std::string Inner = indentOf(File, Statements.front().start());
    if (Inner.size() > Outer.size() &&
        llvm::StringRef(Inner).startswith(Outer)) {
      Style.IndentUnit = Inner.substr(Outer.size());
      Found = true;
    }
    return !Found;
  });
  return Style;
}

//===----------------------------------------------------------------------===//
// Compiling
//===----------------------------------------------------------------------===//

static bool isBlank(llvm::StringRef S) { return S.trim().empty(); }

static size_t indentWidth(llvm::StringRef Line) {
  return Line.size() - Line.ltrim(" \t").size();
}

/// The error for \p Ref, written in the fix \p Text but not bound by \p P.
static llvm::Error unboundReference(llvm::StringRef Text,
                                    const MetavariableRef &Ref,
                                    const Pattern &P, size_t Offset) {
  std::string Written = Text.substr(Ref.Offset, Ref.Length).str();
  std::string Message = "'" + Written + "' ";
  Message += isCapturingName(Ref.Name)
                 ? "is used in the fix but the pattern does not bind it"
                 : "matches without binding and cannot be used in the fix";
  std::string Names;
  for (const MetavariableRef &M : P.metavariables())
    if (isCapturingName(M.Name))
      Names += (Names.empty() ? "" : ", ") +
               std::string(M.IsSequence ? "$$$" : "$") + M.Name;
  Message += Names.empty() ? "; the pattern binds no metavariable"
                           : "; the pattern binds " + Names;
  return llvm::make_error<RewriteError>(std::move(Message), Offset);
}

llvm::Expected<Template> Template::compile(llvm::StringRef Fix,
                                           const Pattern &P) {
  Template T;
  llvm::StringRef Body = Fix.rtrim();
  if (isBlank(Body))
    return T;

  // Dedent the fix (a quoted fix may be indented as a whole), remembering
  // where each byte comes from for located errors.
  llvm::SmallVector<llvm::StringRef, 16> RawLines;
  Body.split(RawLines, '\n');
  size_t First = 0;
  while (isBlank(RawLines[First]))
    ++First;
  size_t MinIndent = std::string::npos;
  for (size_t I = First; I < RawLines.size(); ++I)
    if (!isBlank(RawLines[I]))
      MinIndent = std::min(MinIndent, indentWidth(RawLines[I]));
  std::string Text;
  std::vector<size_t> Map;
  for (size_t I = First; I < RawLines.size(); ++I) {
    llvm::StringRef Line = RawLines[I].rtrim('\r');
    size_t Base = Line.data() - Fix.data();
    size_t Drop = isBlank(Line) ? Line.size() : MinIndent;
    for (size_t J = Drop; J < Line.size(); ++J) {
      Text += Line[J];
      Map.push_back(Base + J);
    }
    if (I + 1 < RawLines.size()) {
      Text += '\n';
      Map.push_back(Base + Line.size());
    }
  }
  Map.push_back(Fix.size());

  auto Refs = scanMetavariables(Text);
  if (!Refs) {
    return llvm::handleErrors(Refs.takeError(), [&](const RewriteError &E) {
      return llvm::Error(
          llvm::make_error<RewriteError>(E.reason(), Map[E.offset()]));
    });
  }
  std::vector<MetavariableRef> Used, Parsed;
  for (const MetavariableRef &Ref : *Refs) {
    bool Bound = P.find(Ref.Name) && isCapturingName(Ref.Name);
    if (!Ref.InString && !Bound)
      return unboundReference(Text, Ref, P, Map[Ref.Offset]);
    if (!Ref.InString || Bound)
      Parsed.push_back(Ref);
    if (Bound)
      Used.push_back(Ref);
  }

  // The fix must be Python once filled in; metavariables parse as names.
  std::vector<size_t> Substituted;
  std::string Check = substituteMetavariables(Text, Parsed, Substituted);
  auto Tree = SyntaxTree::parse(Check);
  if (!Tree)
    return Tree.takeError();
  if (Tree->hasErrors()) {
    for (size_t &Offset : Substituted)
      Offset = Map[Offset];
    return syntaxError(*Tree, Check, Substituted, "fix");
  }

  size_t LineStart = 0;
  size_t NextRef = 0;
  while (LineStart <= Text.size()) {
    size_t LineEnd = Text.find('\n', LineStart);
    if (LineEnd == std::string::npos)
      LineEnd = Text.size();
    llvm::StringRef Whole = llvm::StringRef(Text).slice(LineStart, LineEnd);
    Line L;
    L.Blank = isBlank(Whole);
    size_t ContentStart =
        LineStart + (L.Blank ? Whole.size() : indentWidth(Whole));
    L.Indent = Text.substr(LineStart, ContentStart - LineStart);
    if (L.Blank)
      L.Indent.clear();
    size_t At = ContentStart;
    for (; NextRef < Used.size() && Used[NextRef].Offset < LineEnd; ++NextRef) {
      const MetavariableRef &Ref = Used[NextRef];
      if (Ref.Offset > At)
        L.Pieces.push_back({Text.substr(At, Ref.Offset - At), false});
      L.Pieces.push_back({Ref.Name, true});
      At = Ref.Offset + Ref.Length;
    }
    if (At < LineEnd)
      L.Pieces.push_back({Text.substr(At, LineEnd - At), false});
    if (!L.Blank && L.Indent.find_first_not_of(' ') == std::string::npos &&
        !L.Indent.empty())
      T.IndentWidth = T.IndentWidth
                          ? std::min<unsigned>(T.IndentWidth, L.Indent.size())
                          : L.Indent.size();
    T.Lines.push_back(std::move(L));
    LineStart = LineEnd + 1;
  }
  return T;
}

//===----------------------------------------------------------------------===//
// Rendering
//===----------------------------------------------------------------------===//

namespace {

/// Renders one match; the file's text and layout at hand.
class Renderer {
public:
  Renderer(const Match &M, const SourceFile &File, const FileStyle &Style)
      : M(M), File(File), Style(Style) {}

  /// The text of bytes [Start, End), which \p Nodes cover, with its
  /// continuation lines moved from the indentation of Start's line to
  /// \p NewIndent.
  std::string reindented(llvm::ArrayRef<Node> Nodes, unsigned Start,
                         unsigned End, llvm::StringRef NewIndent) const;
  /// What \p B becomes on a line indented by \p NewIndent; \p OnePerLine for
  /// a run written alone on its line.
  std::string bindingText(const MetaBinding &B, llvm::StringRef NewIndent,
                          bool OnePerLine) const;

  const Match &M;
  const SourceFile &File;
  const FileStyle &Style;
};

std::string Renderer::reindented(llvm::ArrayRef<Node> Nodes, unsigned Start,
                                 unsigned End,
                                 llvm::StringRef NewIndent) const {
  llvm::StringRef Text = File.text().slice(Start, End);
  std::string OldIndent = indentOf(File, Start);
  if (OldIndent == NewIndent || !Text.contains('\n'))
    return Text.str();
  // Lines that begin inside a multi-line string are part of its value.
  std::vector<std::pair<unsigned, unsigned>> Strings;
  for (Node Covering : Nodes)
    Covering.walk([&](Node N) {
      if (N.startRow() == N.endRow())
        return false;
      if (N.is("string")) {
        Strings.emplace_back(N.start(), N.end());
        return false;
      }
      return true;
    });
  auto InString = [&](unsigned Offset) {
    return llvm::any_of(Strings, [&](const std::pair<unsigned, unsigned> &S) {
      return Offset > S.first && Offset < S.second;
    });
  };
  std::string Out;
  size_t From = 0;
  for (size_t NewLine = Text.find('\n'); NewLine != llvm::StringRef::npos;
       NewLine = Text.find('\n', From)) {
    Out += Text.slice(From, NewLine + 1).str();
    From = NewLine + 1;
    llvm::StringRef Rest = Text.substr(From);
    if (!InString(Start + From) && Rest.startswith(OldIndent) &&
        !isBlank(Rest.take_until([](char C) { return C == '\n'; }))) {
      Out += NewIndent.str();
      From += OldIndent.size();
    }
  }
  Out += Text.substr(From).str();
  return Out;
}

/// True when only separators (whitespace, commas, backslashes and comments)
/// lie between \p A and \p B in \p Source.
bool onlySeparatorsBetween(Node A, Node B, llvm::StringRef Source) {
  llvm::StringRef Gap = Source.slice(A.end(), B.start());
  bool InComment = false;
  for (char C : Gap) {
    if (InComment) {
      InComment = C != '\n';
      continue;
    }
    if (C == '#')
      InComment = true;
    else if (!llvm::StringRef(" \t\r\n\f,\\").contains(C))
      return false;
  }
  return true;
}

std::string Renderer::bindingText(const MetaBinding &B, llvm::StringRef NewIndent,
                                  bool OnePerLine) const {
  if (B.Nodes.empty())
    return "";
  llvm::StringRef Source = File.text();
  if (B.Kind == MetaBinding::Shape::Node)
    return reindented(B.Nodes, B.Nodes[0].start(), B.Nodes[0].end(), NewIndent);
  if (B.Kind == MetaBinding::Shape::Statements) {
    // The statements with what lies between them; the last one's trailing
    // comment too when the match takes it.
    unsigned End = blockContentRange(File, {B.Nodes.back()}).End;
    if (End > M.End)
      End = B.Nodes.back().end();
    return reindented(B.Nodes, B.Nodes.front().start(), End, NewIndent);
  }
  if (OnePerLine) {
    std::string Out;
    for (size_t I = 0; I < B.Nodes.size(); ++I) {
      if (I)
        Out += "," + Style.LineBreak + NewIndent.str();
      Out += reindented(B.Nodes[I], B.Nodes[I].start(), B.Nodes[I].end(),
                        NewIndent);
    }
    return Out;
  }
  bool Consecutive = true;
  for (size_t I = 1; I < B.Nodes.size(); ++I)
    Consecutive &= onlySeparatorsBetween(B.Nodes[I - 1], B.Nodes[I], Source);
  if (Consecutive)
    return reindented(B.Nodes, B.Nodes.front().start(), B.Nodes.back().end(),
                      NewIndent);
  std::string Out;
  for (size_t I = 0; I < B.Nodes.size(); ++I) {
    if (I)
      Out += ", ";
    Out +=
        reindented(B.Nodes[I], B.Nodes[I].start(), B.Nodes[I].end(), NewIndent);
  }
  return Out;
}

/// True when \p S holds at most a comma, whitespace and a comment.
bool isTrailingSeparator(llvm::StringRef S) {
  S = S.ltrim(" \t");
  S.consume_front(",");
  S = S.ltrim(" \t");
  return S.empty() || S.startswith("#");
}

} // namespace

std::string Template::render(const Match &M, const SourceFile &File,
                             const FileStyle &Style) const {
  Renderer R(M, File, Style);
  std::string BaseIndent = indentOf(File, M.First.start());
  llvm::StringRef LineBreak = File.lineBreakAt(M.First.start());
  if (LineBreak.empty())
    LineBreak = Style.LineBreak;

  // Template indentation in the file's unit.
  auto Indent = [&](const std::string &Own) -> std::string {
    if (!IndentWidth || Own.find_first_not_of(' ') != std::string::npos ||
        Own.size() % IndentWidth)
      return Own;
    std::string Out;
    for (size_t I = 0; I < Own.size() / IndentWidth; ++I)
      Out += Style.IndentUnit;
    return Out;
  };

  std::vector<std::string> Out;
  for (size_t LineIndex = 0; LineIndex < Lines.size(); ++LineIndex) {
    const Line &L = Lines[LineIndex];
    if (L.Blank) {
      Out.emplace_back();
      continue;
    }
    std::string Own = Indent(L.Indent);
    std::string LineIndent = BaseIndent + Own;
    // A reference alone on its line (but for a comma and a comment).
    std::optional<size_t> Alone;
    for (size_t I = 0; I < L.Pieces.size(); ++I)
      if (L.Pieces[I].IsReference) {
        bool Before = I == 0;
        bool After = I + 1 == L.Pieces.size() ||
                     (I + 2 == L.Pieces.size() &&
                      isTrailingSeparator(L.Pieces[I + 1].Text));
        if (Before && After)
          Alone = I;
        break;
      }

    std::string Content;
    bool DropLine = false;
    bool SkipComma = false;
    for (size_t I = 0; I < L.Pieces.size(); ++I) {
      const Piece &Pc = L.Pieces[I];
      if (!Pc.IsReference) {
        llvm::StringRef Text = Pc.Text;
        if (SkipComma) {
          llvm::StringRef Trimmed = Text.ltrim(" \t");
          if (Trimmed.consume_front(","))
            Text = Trimmed.ltrim(" \t");
          SkipComma = false;
        }
        Content += Text.str();
        continue;
      }
      const MetaBinding *B = M.binding(Pc.Text);
      if (!B)
        continue;
      bool IsAlone = Alone && *Alone == I;
      if (B->Kind != MetaBinding::Shape::Node && B->Nodes.empty()) {
        if (IsAlone) {
          DropLine = true;
          break;
        }
        // Take a comma with it: the next one, or else the previous one.
        bool CommaFollows =
            I + 1 < L.Pieces.size() && !L.Pieces[I + 1].IsReference &&
            llvm::StringRef(L.Pieces[I + 1].Text).ltrim(" \t").startswith(",");
        if (CommaFollows) {
          SkipComma = true;
        } else {
          llvm::StringRef Kept = llvm::StringRef(Content).rtrim(" \t");
          if (Kept.endswith(","))
            Content.resize(Kept.size() - 1);
        }
        continue;
      }
      Content += R.bindingText(*B, LineIndent,
                               IsAlone && B->Kind == MetaBinding::Shape::Items);
    }
    if (DropLine) {
      // An empty run of statements that was a block's only content: `pass`.
      const MetaBinding *B = M.binding(L.Pieces[*Alone].Text);
      if (B && B->Kind == MetaBinding::Shape::Statements) {
        auto Previous =
            std::find_if(Lines.rbegin() + (Lines.size() - LineIndex),
                         Lines.rend(), [](const Line &X) { return !X.Blank; });
        auto Next = std::find_if(Lines.begin() + LineIndex + 1, Lines.end(),
                                 [](const Line &X) { return !X.Blank; });
        bool OpensBlock =
            Previous != Lines.rend() && !Previous->Pieces.empty() &&
            llvm::StringRef(Previous->Pieces.back().Text).rtrim().endswith(":");
        bool BlockEnds =
            Next == Lines.end() || Next->Indent.size() < L.Indent.size();
        if (OpensBlock && BlockEnds) {
          Out.push_back(Own + "pass");
          continue;
        }
      }
      continue;
    }
    Out.push_back(Own + llvm::StringRef(Content).rtrim(" \t").str());
  }

  std::string Text;
  for (size_t I = 0; I < Out.size(); ++I) {
    if (I)
      Text += LineBreak.str();
    if (I && !Out[I].empty())
      Text += BaseIndent;
    Text += Out[I];
  }
  // A run that took the comment lines above it starts at a line's start.
  if (M.Start < M.First.start() && File.position(M.Start).Column == 1)
    Text = BaseIndent + Text;
  return Text;
}

} // namespace excise
