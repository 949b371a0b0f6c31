//===- Ranges.cpp ---------------------------------------------------------===//
#include "edit/Ranges.h"

#include "llvm/ADT/StringRef.h"

namespace excise {
namespace {

bool isBlank(llvm::StringRef Line) { return Line.trim().empty(); }

bool isCommentLine(llvm::StringRef Line) {
  return Line.ltrim().startswith("#");
}

/// True when only whitespace precedes \p Offset on its line.
bool startsLine(const SourceFile &F, unsigned Offset) {
  unsigned Line = F.position(Offset).Line;
  llvm::StringRef Before = F.text().slice(F.lineStart(Line), Offset);
  if (Line == 1)
    Before.consume_front("\xEF\xBB\xBF");
  return isBlank(Before);
}

/// True when only whitespace and a comment follow \p Offset on its line.
bool endsLine(const SourceFile &F, unsigned Offset) {
  unsigned Line = F.position(Offset).Line;
  llvm::StringRef Rest = F.text().slice(Offset, F.lineEnd(Line)).trim();
  return Rest.empty() || Rest.startswith("#");
}

/// Offset just past the trailing comment of \p Offset's line, if the rest of
/// the line is only a comment; \p Offset otherwise.
unsigned pastTrailingComment(const SourceFile &F, unsigned Offset) {
  unsigned Line = F.position(Offset).Line;
  llvm::StringRef Rest = F.text().slice(Offset, F.lineEnd(Line));
  llvm::StringRef Trimmed = Rest.ltrim(" \t");
  if (!Trimmed.startswith("#"))
    return Offset;
  return Offset + Rest.rtrim("\r\n").size();
}

} // namespace

unsigned blockFirstLine(const SourceFile &F, Node Block) {
  if (Block.is("module"))
    return 1;
  // The line after the header's ':' (a block may start with a comment).
  Node Colon = Block.prevSibling();
  while (Colon && Colon.is("comment"))
    Colon = Colon.prevSibling();
  if (Colon)
    return F.position(Colon.end()).Line + 1;
  return F.position(Block.start()).Line;
}

/// True for the lines a module keeps whatever goes: a shebang on line 1 and
/// an encoding declaration on line 1 or 2 (PEP 263).
static bool isPinnedLine(const SourceFile &F, unsigned Line) {
  if (Line > 2)
    return false;
  llvm::StringRef Text = F.lineText(Line);
  Text.consume_front("\xEF\xBB\xBF");
  if (Line == 1 && Text.startswith("#!"))
    return true;
  Text = Text.ltrim();
  return Text.startswith("#") && (Text.contains("coding:") || Text.contains("coding="));
}

/// The byte offset where line \p Line starts, past a UTF-8 byte order mark.
static unsigned contentStart(const SourceFile &F, unsigned Line) {
  unsigned Start = F.lineStart(Line);
  if (Start == 0 && F.text().startswith("\xEF\xBB\xBF"))
    return 3;
  return Start;
}

unsigned attachedStart(const SourceFile &F, Node Block, Node Stmt) {
  if (!startsLine(F, Stmt.start()))
    return Stmt.start();
  unsigned Floor = blockFirstLine(F, Block);
  while (Block.is("module") && isPinnedLine(F, Floor))
    ++Floor;
  unsigned Line = F.position(Stmt.start()).Line;
  while (Line > Floor && isCommentLine(F.lineText(Line - 1)))
    --Line;
  return contentStart(F, Line);
}

std::string indentOf(const SourceFile &F, unsigned Offset) {
  llvm::StringRef Line = F.lineText(F.position(Offset).Line);
  return Line.take_while([](char C) { return C == ' ' || C == '\t' || C == '\f'; }).str();
}

Range statementRunRange(const SourceFile &F, Node Block,
                        const std::vector<Node> &Stmts, size_t I, size_t J) {
  unsigned A = Stmts[I].start(), B = Stmts[J].end();
  bool HasNextStmt = J + 1 < Stmts.size();
  bool HasPrevStmt = I > 0;
  if (!startsLine(F, A) || !endsLine(F, B)) {
    // Shares its line with statements that stay: `a; gone(); b`.
    if (HasNextStmt && Stmts[J + 1].startRow() == Stmts[J].endRow())
      return {A, Stmts[J + 1].start()};
    if (HasPrevStmt && Stmts[I - 1].endRow() == Stmts[I].startRow())
      return {Stmts[I - 1].end(), B};
    return {A, B};
  }
  unsigned LastLine = F.position(B).Line;
  unsigned RegionFirst = blockFirstLine(F, Block);
  while (Block.is("module") && isPinnedLine(F, RegionFirst) &&
         RegionFirst < F.position(A).Line)
    ++RegionFirst;
  unsigned FirstLine = F.position(attachedStart(F, Block, Stmts[I])).Line;
  unsigned BlanksBefore = 0;
  while (FirstLine - BlanksBefore > RegionFirst &&
         isBlank(F.lineText(FirstLine - BlanksBefore - 1)))
    ++BlanksBefore;
  unsigned BlanksAfter = 0;
  while (LastLine + BlanksAfter < F.lineCount() &&
         isBlank(F.lineText(LastLine + BlanksAfter + 1)))
    ++BlanksAfter;
  // Something above the run within the block (a statement or a comment that
  // is not attached) counts as a neighbour for the blank-line rules.
  bool HasPrev = HasPrevStmt || FirstLine - BlanksBefore > RegionFirst;
  bool HasNext = HasNextStmt;
  if (LastLine + BlanksAfter >= F.lineCount() && !HasNext)
    BlanksAfter = BlanksAfter; // Trailing blank lines at the end of the file.
  unsigned StartLine = FirstLine, EndLine = LastLine;
  if (!HasPrev)
    EndLine += HasNext || Block.is("module") ? BlanksAfter : 0;
  else if (!HasNext)
    StartLine -= BlanksBefore;
  else if (BlanksBefore >= BlanksAfter)
    EndLine += BlanksAfter;
  else
    StartLine -= BlanksBefore;
  return {contentStart(F, StartLine), F.lineEnd(EndLine)};
}

Range blockContentRange(const SourceFile &F, const std::vector<Node> &Stmts) {
  return {Stmts.front().start(), pastTrailingComment(F, Stmts.back().end())};
}

std::vector<Range> listItemRemovalRanges(const SourceFile &F,
                                         const std::vector<Node> &Items,
                                         const std::vector<bool> &Remove) {
  std::vector<Range> Out;
  llvm::StringRef Src = F.text();
  // The comma after item I, if any: the first ',' between it and the next
  // item (or the closing bracket).
  auto CommaAfter = [&](size_t I) -> int {
    unsigned From = Items[I].end();
    unsigned To = I + 1 < Items.size() ? Items[I + 1].start() : Src.size();
    for (unsigned P = From; P < To; ++P) {
      char C = Src[P];
      if (C == ',')
        return P;
      if (C == ')' || C == '\n' || C == '#')
        if (C != '\n' || (P > 0 && Src[P - 1] != '\\'))
          return -1;
    }
    return -1;
  };
  size_t LastKept = 0;
  bool AnyKept = false;
  for (size_t I = 0; I < Items.size(); ++I)
    if (!Remove[I]) {
      LastKept = I;
      AnyKept = true;
    }
  if (!AnyKept)
    return Out;
  // Only a bracketed list can lose whole lines; a backslash-continued one
  // would be left dangling.
  bool Bracketed = false;
  for (Node C : Items.front().parent().children())
    if (C.kind() == "(" || C.kind() == "[")
      Bracketed = true;
  for (size_t I = 0; I < Items.size(); ++I) {
    if (!Remove[I])
      continue;
    unsigned Start = Items[I].start(), End = Items[I].end();
    int Comma = CommaAfter(I);
    unsigned AfterItem = Comma >= 0 ? Comma + 1 : End;
    // Alone on its line(s): the whole lines go, trailing comment included.
    if (Bracketed && startsLine(F, Start) && endsLine(F, AfterItem) &&
        (I + 1 >= Items.size() || Items[I + 1].startRow() > Items[I].endRow()) &&
        (I == 0 || Items[I - 1].endRow() < Items[I].startRow())) {
      unsigned L1 = F.position(Start).Line, L2 = F.position(AfterItem).Line;
      Out.push_back({F.lineStart(L1), F.lineEnd(L2)});
      continue;
    }
    if (I < LastKept) {
      // Item, its comma and the space up to the next item.
      unsigned Next = Items[I + 1].start();
      unsigned Stop = AfterItem;
      while (Stop < Next && (Src[Stop] == ' ' || Src[Stop] == '\t'))
        ++Stop;
      if (Stop < Next && (Src[Stop] == '\n' || Src[Stop] == '\r' || Src[Stop] == '\\')) {
        // Line ends after the comma: keep the line break, drop the space
        // before the item instead.
        unsigned Back = Start;
        while (Back > 0 && (Src[Back - 1] == ' ' || Src[Back - 1] == '\t'))
          --Back;
        Out.push_back({Back, AfterItem});
      } else {
        Out.push_back({Start, Stop});
      }
      continue;
    }
    // After the last kept item: take the comma before it instead, so that a
    // trailing comma of the list (if any) stays.
    unsigned PrevEnd = Items[I - 1].end();
    if (Remove[I - 1]) {
      // Merged with the previous removed item's range.
      Out.back().End = End;
      continue;
    }
    Out.push_back({PrevEnd, End});
  }
  // Merge touching ranges so replacements never overlap.
  std::vector<Range> Merged;
  for (const Range &R : Out) {
    if (!Merged.empty() && R.Start <= Merged.back().End)
      Merged.back().End = std::max(Merged.back().End, R.End);
    else
      Merged.push_back(R);
  }
  return Merged;
}

Range clauseRange(const SourceFile &F, Node Clause) {
  unsigned Start = Clause.start();
  unsigned End = pastTrailingComment(F, Clause.end());
  if (startsLine(F, Start) && endsLine(F, End)) {
    unsigned L1 = F.position(Start).Line, L2 = F.position(End).Line;
    return {F.lineStart(L1), F.lineEnd(L2)};
  }
  Node Prev = Clause.prevSibling();
  return {Prev ? Prev.end() : Start, End};
}

std::string dedentBlockText(const SourceFile &F, Node Owner, Node Block,
                            const std::string &Body, bool FromLineStart) {
  std::string OwnerIndent = indentOf(F, Owner.start());
  if (!startsLine(F, Block.start()))
    return Body; // `if x: body` on one line: nothing to re-indent.
  std::string BlockIndent = indentOf(F, Block.start());
  std::string Out;
  llvm::StringRef Rest(Body);
  bool First = !FromLineStart;
  bool InString = false;
  llvm::StringRef Quote;
  while (!Rest.empty()) {
    size_t NL = Rest.find('\n');
    llvm::StringRef Line = NL == llvm::StringRef::npos ? Rest : Rest.take_front(NL + 1);
    Rest = Rest.drop_front(Line.size());
    if (!First && !InString && llvm::StringRef(Line).startswith(BlockIndent))
      Out += OwnerIndent + Line.drop_front(BlockIndent.size()).str();
    else
      Out += Line.str();
    First = false;
    // Track triple-quoted strings so their insides keep their spacing.
    for (size_t P = 0; P + 2 < Line.size(); ++P) {
      llvm::StringRef Tri = Line.substr(P, 3);
      if (Tri != "\"\"\"" && Tri != "'''")
        continue;
      if (!InString) {
        InString = true;
        Quote = Tri;
      } else if (Tri == Quote) {
        InString = false;
      }
      P += 2;
    }
  }
  if (FromLineStart) {
    // Drop leading blank lines and the indentation the owner already has.
    llvm::StringRef R(Out);
    while (true) {
      size_t NL = R.find('\n');
      if (NL == llvm::StringRef::npos || !R.take_front(NL).trim().empty())
        break;
      R = R.drop_front(NL + 1);
    }
    R.consume_front(OwnerIndent);
    return R.str();
  }
  return Out;
}

} // namespace excise
