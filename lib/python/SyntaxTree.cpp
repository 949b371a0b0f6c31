//===- SyntaxTree.cpp -----------------------------------------------------===//
#include "python/SyntaxTree.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include "llvm/Support/Compiler.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace excise {

namespace {
/// Bump-allocated memory for the tree-sitter objects of one file, given
/// back all at once (see TreeMemoryScope). Every block starts with its size,
/// for realloc. Plain members: other thread-local objects free their memory
/// through owns() while threads exit, perhaps after this one's destructor.
class Arena {
public:
  ~Arena() {
    for (unsigned I = 0; I < Count; ++I)
      std::free(Chunks[I].Begin);
    Count = 0;
  }

  void *allocate(size_t Size) {
    size_t Needed = (Size + Header + 15) & ~size_t(15);
    if (Count == 0 || Chunks[Count - 1].Used + Needed > Chunks[Count - 1].Size)
      grow(Needed);
    Chunk &C = Chunks[Count - 1];
    char *Block = C.Begin + C.Used;
    C.Used += Needed;
    __asan_unpoison_memory_region(Block, Needed);
    *reinterpret_cast<size_t *>(Block) = Size;
    return Block + Header;
  }

  bool owns(const void *P) const {
    const char *Byte = static_cast<const char *>(P);
    for (unsigned I = 0; I < Count; ++I)
      if (Byte >= Chunks[I].Begin && Byte < Chunks[I].Begin + Chunks[I].Size)
        return true;
    return false;
  }

  static size_t sizeOf(const void *P) {
    return *reinterpret_cast<const size_t *>(static_cast<const char *>(P) - Header);
  }

  /// Keeps the largest chunk, empty, for the next file.
  void reset() {
    if (Count == 0)
      return;
    std::swap(Chunks[0], Chunks[Count - 1]); // the last made is the largest
    for (unsigned I = 1; I < Count; ++I)
      std::free(Chunks[I].Begin);
    Count = 1;
    // Under AddressSanitizer a use of a given-back tree is reported.
    __asan_poison_memory_region(Chunks[0].Begin, Chunks[0].Used);
    Chunks[0].Used = 0;
  }

private:
  static constexpr size_t Header = 16; // keeps blocks 16-byte aligned
  struct Chunk {
    char *Begin;
    size_t Size, Used;
  };
  void grow(size_t Needed) {
    // Each chunk is twice the last: 48 of them are more than memory holds.
    size_t Size = std::max<size_t>(Needed, Count ? 2 * Chunks[Count - 1].Size : 1 << 20);
    char *Begin = static_cast<char *>(std::malloc(Size));
    if (!Begin || Count == MaxChunks)
      llvm::report_bad_alloc_error("tree-sitter arena");
    __asan_poison_memory_region(Begin, Size);
    Chunks[Count++] = {Begin, Size, 0};
  }
  static constexpr unsigned MaxChunks = 48;
  Chunk Chunks[MaxChunks];
  unsigned Count = 0;
};

thread_local Arena ThreadArena;
/// Open TreeMemoryScopes on this thread.
thread_local unsigned ArenaDepth = 0;

// tree-sitter's allocator while excise runs: the arena inside a scope, the C
// library outside; either frees what it made.
void *arenaMalloc(size_t Size) {
  return ArenaDepth ? ThreadArena.allocate(Size) : std::malloc(Size);
}
void *arenaCalloc(size_t Count, size_t Size) {
  if (!ArenaDepth)
    return std::calloc(Count, Size);
  if (Size && Count > SIZE_MAX / Size)
    llvm::report_bad_alloc_error("tree-sitter arena");
  void *P = ThreadArena.allocate(Count * Size);
  std::memset(P, 0, Count * Size);
  return P;
}
void *arenaRealloc(void *P, size_t Size) {
  if (P && ThreadArena.owns(P)) {
    void *Q = ThreadArena.allocate(Size);
    std::memcpy(Q, P, std::min(Size, Arena::sizeOf(P)));
    return Q;
  }
  if (!P && ArenaDepth)
    return ThreadArena.allocate(Size);
  return std::realloc(P, Size);
}
void arenaFree(void *P) {
  if (P && !ThreadArena.owns(P))
    std::free(P);
}

void useArenaAllocator() {
  static const bool Installed = [] {
    ts_set_allocator(arenaMalloc, arenaCalloc, arenaRealloc, arenaFree);
    return true;
  }();
  (void)Installed;
}

/// Runs \p Make with the arena set aside: for objects that outlive a scope.
template <typename Fn> auto outsideArena(Fn &&Make) {
  unsigned Saved = ArenaDepth;
  ArenaDepth = 0;
  auto Result = Make();
  ArenaDepth = Saved;
  return Result;
}

/// One tree cursor per thread, reset for each use: creating a cursor
/// allocates its stack, and nodes' children are listed very often. Made
/// outside any arena, since it outlives them.
struct ThreadCursor {
  TSTreeCursor Cursor;
  bool Live = false;
  ~ThreadCursor() {
    if (Live)
      ts_tree_cursor_delete(&Cursor);
  }
  TSTreeCursor &at(TSNode N) {
    if (Live)
      ts_tree_cursor_reset(&Cursor, N);
    else
      Cursor = outsideArena([&] { return ts_tree_cursor_new(N); });
    Live = true;
    return Cursor;
  }
};

/// Iterates the children of a node with a tree cursor: linear in the number
/// of children, where ts_node_child(I) in a loop would be quadratic. \p Visit
/// must not list children itself (the cursor is the thread's only one).
template <typename Fn> void forEachChild(TSNode N, Fn &&Visit) {
  // Most nodes are leaves: no cursor for them.
  if (ts_node_child_count(N) == 0)
    return;
  static thread_local ThreadCursor Slot;
  TSTreeCursor &Cursor = Slot.at(N);
  if (!ts_tree_cursor_goto_first_child(&Cursor))
    return;
  do {
    Visit(Node(ts_tree_cursor_current_node(&Cursor)), Cursor);
  } while (ts_tree_cursor_goto_next_sibling(&Cursor));
}

llvm::StringRef fieldNameAt(const TSTreeCursor &Cursor) {
  const char *Field = ts_tree_cursor_current_field_name(&Cursor);
  return Field ? Field : "";
}

/// A parser and whether it took the grammar.
struct ParserSlot {
  TSParser *Parser = nullptr;
  bool Usable = false;
  void make() {
    Parser = ts_parser_new();
    Usable = ts_parser_set_language(Parser, tree_sitter_python());
  }
};

/// Outside a scope, one parser per thread, kept between files: a parser
/// allocates its stack, lexer and node pool when it is made. Inside, one per
/// scope from the arena: a kept parser would hold the arena's memory in
/// arrays it grows on first use. Null when the grammar's ABI is not the
/// library's.
thread_local ParserSlot ScopeParser;
TSParser *threadParser() {
  useArenaAllocator();
  if (ArenaDepth) {
    if (!ScopeParser.Parser)
      ScopeParser.make();
    return ScopeParser.Usable ? ScopeParser.Parser : nullptr;
  }
  struct Kept {
    ParserSlot Slot;
    Kept() { Slot.make(); }
    ~Kept() { ts_parser_delete(Slot.Parser); }
  };
  static thread_local Kept K;
  return K.Slot.Usable ? K.Slot.Parser : nullptr;
}

/// The grammar's field ids by name, looked up once: tree-sitter's own
/// lookup compares the name with every field name of the grammar.
TSFieldId fieldId(llvm::StringRef Name) {
  static const llvm::StringMap<TSFieldId> Ids = [] {
    llvm::StringMap<TSFieldId> M;
    const TSLanguage *L = tree_sitter_python();
    for (TSFieldId I = 1, E = ts_language_field_count(L); I <= E; ++I)
      if (const char *FieldName = ts_language_field_name_for_id(L, I))
        M[FieldName] = I;
    return M;
  }();
  auto It = Ids.find(Name);
  return It == Ids.end() ? 0 : It->second;
}
} // namespace

llvm::StringRef Node::kindName(TSSymbol Symbol) {
  // ts_node_symbol gives the public symbol: the first of the grammar's
  // symbols with the node's name. ERROR (65535) is past the table.
  static const std::vector<llvm::StringRef> Names = [] {
    const TSLanguage *L = tree_sitter_python();
    std::vector<llvm::StringRef> N(ts_language_symbol_count(L));
    for (TSSymbol I = 0; I < N.size(); ++I)
      N[I] = ts_language_symbol_name(L, I);
    return N;
  }();
  return Symbol < Names.size()
             ? Names[Symbol]
             : llvm::StringRef(ts_language_symbol_name(tree_sitter_python(), Symbol));
}

Node Node::field(llvm::StringRef Name) const {
  TSFieldId Id = fieldId(Name);
  return Id ? Node(ts_node_child_by_field_id(Raw, Id)) : Node();
}

std::vector<Node> Node::fields(llvm::StringRef Name) const {
  std::vector<Node> Result;
  forEachChild(Raw, [&](Node C, const TSTreeCursor &Cursor) {
    if (fieldNameAt(Cursor) == Name)
      Result.push_back(C);
  });
  return Result;
}

std::vector<std::pair<Node, llvm::StringRef>> Node::childrenWithFields() const {
  std::vector<std::pair<Node, llvm::StringRef>> Result;
  forEachChild(Raw, [&](Node C, const TSTreeCursor &Cursor) {
    Result.emplace_back(C, fieldNameAt(Cursor));
  });
  return Result;
}

llvm::StringRef Node::fieldNameOfChild(unsigned I) const {
  const char *Name = ts_node_field_name_for_child(Raw, I);
  return Name ? Name : "";
}

Node::Children Node::children() const {
  Children Result;
  forEachChild(Raw, [&](Node C, const TSTreeCursor &) { Result.push_back(C); });
  return Result;
}

Node::Children Node::namedChildren() const {
  Children Result;
  forEachChild(Raw, [&](Node C, const TSTreeCursor &) {
    if (C.isNamed())
      Result.push_back(C);
  });
  return Result;
}

unsigned SyntaxTree::indentationLevels(llvm::StringRef Source) {
  // The scanner of tree-sitter-python 0.25.0 measures indentation in a
  // uint16_t from the last newline it crosses (or the NUL ending a comment):
  // a space counts 1, a tab 8, a form feed or a CR starts again from 0, and a
  // backslash-newline continues the count. It pushes a measure onto its
  // stack only when it is larger than the top, whatever brackets, strings or
  // error recovery do, so the stack is a strictly increasing chain of
  // measures in file order: at most as long as the longest such chain.
  // Tails[K] is the least last measure of the chains of length K + 1 found
  // so far (patience sorting).
  std::vector<uint16_t> Tails;
  auto Chain = [&](uint16_t Measure) {
    if (Measure == 0)
      return; // The bottom of the stack, never pushed.
    auto It = std::lower_bound(Tails.begin(), Tails.end(), Measure);
    if (It == Tails.end())
      Tails.push_back(Measure);
    else
      *It = Measure;
  };
  size_t N = Source.size();
  for (size_t I = 0; I < N;) {
    if (Source[I] != '\n' && Source[I] != '\0') {
      ++I;
      continue;
    }
    // The measure from I and from each backslash-newline of the run, in
    // order: the running sum at each start, and which starts come after the
    // last form feed or CR.
    llvm::SmallVector<uint16_t, 4> Starts{0};
    uint16_t Sum = 0, SumAtReset = 0;
    size_t AfterReset = 0;
    size_t J = I + 1;
    while (J < N) {
      char C = Source[J];
      if (C == ' ' || C == '\t') {
        Sum += C == ' ' ? 1 : 8;
        ++J;
      } else if (C == '\f' || C == '\r') {
        SumAtReset = Sum;
        AfterReset = Starts.size();
        ++J;
      } else if (C == '\\') {
        size_t K = J + 1;
        if (K < N && Source[K] == '\r')
          ++K;
        if (K >= N || Source[K] != '\n')
          break;
        Starts.push_back(Sum);
        J = K + 1;
      } else {
        break;
      }
    }
    // A run that ends at a newline is measured again from there.
    if (J >= N || Source[J] != '\n')
      for (size_t S = 0; S < Starts.size(); ++S)
        Chain(Sum - (S < AfterReset ? SumAtReset : Starts[S]));
    I = J;
  }
  return Tails.size();
}

llvm::Expected<SyntaxTree> SyntaxTree::parse(llvm::StringRef Source,
                                             unsigned *LevelsOut) {
  // tree-sitter-python's scanner overruns its fixed serialization buffer
  // from about 384 open indentation levels; never hand it such a file.
  unsigned Levels = indentationLevels(Source);
  if (LevelsOut)
    *LevelsOut = Levels;
  if (Levels > MaxIndentationLevels)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "indented %u levels deep", Levels);
  TSParser *Parser = threadParser();
  if (!Parser)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter-python: incompatible ABI");
  TSTree *T = ts_parser_parse_string(Parser, nullptr, Source.data(),
                                     Source.size());
  if (!T) {
    // A parse that stopped would otherwise resume on the next call.
    ts_parser_reset(Parser);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter could not parse the file");
  }
  return SyntaxTree(T);
}

static TSPoint pointAt(const std::vector<unsigned> &LineStarts, unsigned Offset) {
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  unsigned Row = It - LineStarts.begin() - 1;
  return {Row, Offset - LineStarts[Row]};
}

llvm::Expected<SyntaxTree> SyntaxTree::reparse(llvm::StringRef OldText,
                                               llvm::ArrayRef<TextEdit> Edits,
                                               llvm::StringRef NewText) const {
  unsigned Levels = indentationLevels(NewText);
  if (Levels > MaxIndentationLevels)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "indented %u levels deep", Levels);
  std::vector<unsigned> LineStarts{0};
  for (unsigned I = 0; I < OldText.size(); ++I)
    if (OldText[I] == '\n')
      LineStarts.push_back(I + 1);
  std::unique_ptr<TSTree, decltype(&ts_tree_delete)> Copy(ts_tree_copy(Tree.get()),
                                                          &ts_tree_delete);
  // From the last edit to the first, so that each edit's old coordinates are
  // still those of the text being edited.
  for (auto It = Edits.rbegin(); It != Edits.rend(); ++It) {
    TSInputEdit E;
    E.start_byte = It->Offset;
    E.old_end_byte = It->Offset + It->Length;
    E.new_end_byte = It->Offset + It->Text.size();
    E.start_point = pointAt(LineStarts, E.start_byte);
    E.old_end_point = pointAt(LineStarts, E.old_end_byte);
    TSPoint End = E.start_point;
    for (char C : It->Text) {
      if (C == '\n') {
        ++End.row;
        End.column = 0;
      } else {
        ++End.column;
      }
    }
    E.new_end_point = End;
    ts_tree_edit(Copy.get(), &E);
  }
  TSParser *Parser = threadParser();
  if (!Parser)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter-python: incompatible ABI");
  TSTree *T = ts_parser_parse_string(Parser, Copy.get(), NewText.data(),
                                     NewText.size());
  if (!T) {
    // A parse that stopped would otherwise resume on the next call.
    ts_parser_reset(Parser);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tree-sitter could not parse the file");
  }
  return SyntaxTree(T);
}

namespace {
/// Reads the deletable units of [Pos, End) of \p Text: comments, statements
/// of blocks, and else/elif clauses. Fails on anything else between them (a
/// backslash, a ';', a statement begun before Pos or ending after End).
class UnitScanner {
public:
  UnitScanner(Node Root, llvm::StringRef Text) : Root(Root), Text(Text) {}

  /// Calls \p Unit on each statement or clause of [Pos, End).
  template <typename Fn> bool scan(unsigned Pos, unsigned End, Fn &&Unit) {
    while (Pos < End) {
      char C = Text[Pos];
      if (C == ' ' || C == '\t' || C == '\f' || C == '\r' || C == '\n') {
        ++Pos;
        continue;
      }
      Node U = unitAt(Pos);
      if (!U || U.end() > End)
        return false;
      if (!U.is("comment") && !Unit(U))
        return false;
      Pos = U.end();
    }
    return true;
  }

private:
  /// The comment, block statement or else/elif clause starting at \p Pos.
  Node unitAt(unsigned Pos) const {
    for (Node At = Root;;) {
      Node Child(ts_node_first_named_child_for_byte(At.raw(), Pos));
      if (!Child || Child.start() > Pos)
        return Node();
      if (Child.start() == Pos &&
          (Child.is("comment") || At.is("block") || At.is("module") ||
           Child.is("else_clause") || Child.is("elif_clause")))
        return Child;
      At = Child;
    }
  }

  Node Root;
  llvm::StringRef Text;
};

/// True when replacing [Offset, End) of \p Text with `pass` leaves the
/// file as parsable as it was: the range holds a block's statements, from
/// the start of the first to the end of the last (and comments), and only a
/// comment follows on the last one's line.
bool replacesStatements(UnitScanner &Units, llvm::StringRef Text,
                        unsigned Offset, unsigned End) {
  Node Block;
  bool First = true;
  if (!Units.scan(Offset, End, [&](Node U) {
        Node Parent = U.parent();
        // A match statement's cases are not statements `pass` could stand
        // for.
        if ((First && U.start() != Offset) || !Parent.is("block") ||
            Parent.parent().is("match_statement") || (Block && Parent != Block))
          return false;
        First = false;
        Block = Parent;
        return true;
      }))
    return false;
  if (!Block)
    return false;
  llvm::StringRef Rest = Text.drop_front(End);
  Rest = Rest.take_until([](char C) { return C == '\n'; }).ltrim(" \t");
  return Rest.rtrim("\r").empty() || Rest.startswith("#");
}

/// When \p E's text is the text it replaces with one run of bytes taken
/// out, sets [Offset, End) to that run, slid back to start a line if it can.
bool asDeletion(llvm::StringRef Text, const TextEdit &E, unsigned &Offset,
                unsigned &End) {
  llvm::StringRef Old = Text.substr(E.Offset, E.Length), New = E.Text;
  if (New.size() >= Old.size())
    return false;
  size_t Prefix = 0;
  while (Prefix < New.size() && Old[Prefix] == New[Prefix])
    ++Prefix;
  if (!Old.endswith(New.drop_front(Prefix)))
    return false;
  Offset = E.Offset + Prefix;
  End = Offset + (Old.size() - New.size());
  // Sliding the run back one byte gives the same text when the byte before
  // it equals its last byte.
  while (Offset > E.Offset && Text[Offset - 1] != '\n' &&
         Text[Offset - 1] == Text[End - 1])
    --Offset, --End;
  return true;
}
} // namespace

bool SyntaxTree::onlyDeletesStatements(llvm::StringRef Text,
                                       llvm::ArrayRef<TextEdit> Edits) const {
  // Statements deleted, and the blocks they were deleted from.
  llvm::SmallVector<TSNode, 16> Gone, Blocks;
  UnitScanner Units(root(), Text);
  for (const TextEdit &E : Edits) {
    if (E.Offset + E.Length > Text.size() || E.Length == 0)
      return false;
    if (E.Text == "pass") {
      if (!replacesStatements(Units, Text, E.Offset, E.Offset + E.Length))
        return false;
      continue;
    }
    // An edit that rewrites a statement with lines taken out of it (an
    // `else:` dropped from an `if`) is that deletion.
    unsigned Offset = E.Offset, End = E.Offset + E.Length;
    if (!E.Text.empty() && !asDeletion(Text, E, Offset, End))
      return false;
    // Whole lines: from a line start (or just past a byte order mark) to
    // just past a newline or to the end, and the line before does not
    // continue into the deleted ones with a backslash.
    llvm::StringRef Before = Text.take_front(Offset);
    if (!Before.empty() && Before != "\xEF\xBB\xBF") {
      if (!Before.endswith("\n"))
        return false;
      if (Before.drop_back().rtrim("\r").endswith("\\"))
        return false;
    }
    if (End < Text.size() && Text[End - 1] != '\n')
      return false;
    Node Block;
    if (!Units.scan(Offset, End, [&](Node U) {
          if (U.is("else_clause") || U.is("elif_clause"))
            return true; // An if, for, while or try stands without them.
          Node Parent = U.parent();
          if (Block && Parent != Block)
            return false;
          Block = Parent;
          Gone.push_back(U.raw());
          return true;
        }))
      return false;
    if (Block)
      Blocks.push_back(Block.raw());
  }
  // Every block keeps a statement (a module may become empty).
  for (TSNode B : Blocks) {
    Node Block(B);
    if (Block.is("module"))
      continue;
    bool Keeps = false;
    for (Node C : Block.namedChildren())
      if (!C.is("comment") && llvm::none_of(Gone, [&](TSNode G) {
            return ts_node_eq(G, C.raw());
          }))
        Keeps = true;
    if (!Keeps)
      return false;
  }
  return true;
}

/// Frees a tree, unless it is in the arena (which gives it back whole).
void SyntaxTree::deleteTree(TSTree *T) {
  if (T && !ThreadArena.owns(T))
    ts_tree_delete(T);
}

TreeMemoryScope::TreeMemoryScope() {
  useArenaAllocator();
  ++ArenaDepth;
}

TreeMemoryScope::~TreeMemoryScope() {
  if (--ArenaDepth)
    return;
  if (ScopeParser.Parser) {
    // Its memory is the arena's; the grammar's scanner state is not.
    ts_parser_delete(ScopeParser.Parser);
    ScopeParser = ParserSlot();
  }
  ThreadArena.reset();
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
