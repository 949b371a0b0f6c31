//===- SyntaxTree.h - RAII around tree-sitter-python ------------*- C++ -*-===//
//
// The only place that owns raw tree-sitter handles. A SyntaxTree keeps the
// parsed tree alive; Nodes are cheap values that borrow from it and from the
// source text, and must not outlive either.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_PYTHON_SYNTAXTREE_H
#define EXCISE_PYTHON_SYNTAXTREE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

extern "C" const TSLanguage *tree_sitter_python(void);

namespace excise {

/// A syntax node. Compares equal when it is the same node of the same tree.
class Node {
public:
  Node() : Raw{} {}
  explicit Node(TSNode Raw) : Raw(Raw) {}

  bool isNull() const { return ts_node_is_null(Raw); }
  explicit operator bool() const { return !isNull(); }

  /// The node's type name, as ts_node_type gives it, from a table built once
  /// (ts_node_type and the strlen after it cost more than a whole walk step).
  llvm::StringRef kind() const { return kindName(ts_node_symbol(Raw)); }
  bool is(llvm::StringRef Kind) const { return !isNull() && kind() == Kind; }
  bool isNamed() const { return ts_node_is_named(Raw); }
  bool isMissing() const { return ts_node_is_missing(Raw); }
  bool hasError() const { return ts_node_has_error(Raw); }

  unsigned start() const { return ts_node_start_byte(Raw); }
  unsigned end() const { return ts_node_end_byte(Raw); }
  /// 0-based row of the first and last byte.
  unsigned startRow() const { return ts_node_start_point(Raw).row; }
  unsigned endRow() const { return ts_node_end_point(Raw).row; }
  llvm::StringRef text(llvm::StringRef Source) const {
    return Source.slice(start(), end());
  }

  Node parent() const { return Node(ts_node_parent(Raw)); }
  Node field(llvm::StringRef Name) const;
  /// All children with the given field name, in order.
  std::vector<Node> fields(llvm::StringRef Name) const;
  unsigned childCount() const { return ts_node_child_count(Raw); }
  Node child(unsigned I) const { return Node(ts_node_child(Raw, I)); }
  unsigned namedChildCount() const { return ts_node_named_child_count(Raw); }
  Node namedChild(unsigned I) const { return Node(ts_node_named_child(Raw, I)); }
  /// The field name of child \p I, or "".
  llvm::StringRef fieldNameOfChild(unsigned I) const;
  /// The children, in order (on the stack for up to 8: most nodes have few).
  using Children = llvm::SmallVector<Node, 8>;
  Children children() const;
  /// Every child with its field name ("" when it has none), in order.
  std::vector<std::pair<Node, llvm::StringRef>> childrenWithFields() const;
  Children namedChildren() const;
  Node nextSibling() const { return Node(ts_node_next_sibling(Raw)); }
  Node prevSibling() const { return Node(ts_node_prev_sibling(Raw)); }
  Node nextNamedSibling() const { return Node(ts_node_next_named_sibling(Raw)); }
  Node prevNamedSibling() const { return Node(ts_node_prev_named_sibling(Raw)); }

  /// Calls \p Visit on this node and every descendant, in source order; when
  /// \p Visit returns false the node's children are skipped.
  template <typename Fn> void walk(Fn &&Visit) const {
    // A cursor visits each node once, in linear time and without recursion.
    TSTreeCursor Cursor = ts_tree_cursor_new(Raw);
    bool Descend = Visit(*this);
    unsigned Depth = 0;
    while (true) {
      if (Descend && ts_tree_cursor_goto_first_child(&Cursor)) {
        ++Depth;
      } else {
        while (Depth > 0 && !ts_tree_cursor_goto_next_sibling(&Cursor)) {
          ts_tree_cursor_goto_parent(&Cursor);
          --Depth;
        }
        if (Depth == 0)
          break;
      }
      Descend = Visit(Node(ts_tree_cursor_current_node(&Cursor)));
    }
    ts_tree_cursor_delete(&Cursor);
  }

  bool operator==(const Node &O) const { return ts_node_eq(Raw, O.Raw); }
  bool operator!=(const Node &O) const { return !(*this == O); }
  /// A key that identifies the node within its tree.
  uintptr_t id() const { return reinterpret_cast<uintptr_t>(Raw.id); }

  TSNode raw() const { return Raw; }

private:
  static llvm::StringRef kindName(TSSymbol Symbol);
  TSNode Raw;
};

/// One replacement of a text, for incremental reparsing.
struct TextEdit {
  unsigned Offset = 0;
  unsigned Length = 0;
  llvm::StringRef Text;
};

class SyntaxTree {
public:
  /// Parses \p Source as Python. The text must outlive the tree. Fails when
  /// tree-sitter gives up (it does not for syntax errors: see hasErrors) and
  /// when indentationLevels(Source) exceeds MaxIndentationLevels; \p Levels,
  /// when given, receives indentationLevels(Source) either way.
  static llvm::Expected<SyntaxTree> parse(llvm::StringRef Source,
                                          unsigned *Levels = nullptr);

  /// The most indentation levels tree-sitter-python's scanner could have
  /// open at once while parsing \p Source, counted as the scanner measures
  /// indentation (tabs as 8 columns, a form feed or a CR restarting the
  /// column), inside strings and brackets too. The scanner writes its stack
  /// into tree-sitter's 1024-byte serialization buffer and overruns it from
  /// 384 levels (with 255 strings open; 511 with one).
  static unsigned indentationLevels(llvm::StringRef Source);
  /// Sources indented deeper than this are never given to tree-sitter.
  static constexpr unsigned MaxIndentationLevels = 300;

  /// Parses \p NewText, which is \p OldText (the text of this tree) with
  /// \p Edits applied (sorted, non-overlapping), reusing this tree: much
  /// cheaper than a fresh parse when the edits are few. This tree is not
  /// changed. Fails as parse does.
  llvm::Expected<SyntaxTree> reparse(llvm::StringRef OldText,
                                     llvm::ArrayRef<TextEdit> Edits,
                                     llvm::StringRef NewText) const;

  /// True when \p Edits (sorted, non-overlapping, on \p Text, the text of
  /// this error-free tree) cannot make the file unparsable, judged from their
  /// shape alone: each deletes whole lines holding only complete statements
  /// of one block, comments and blank lines, and every block but the module
  /// keeps a statement. What is left is the same statements in the same
  /// blocks at the same indentation, so a reparse would find no error; edits
  /// of any other shape answer false (reparse them).
  bool onlyDeletesStatements(llvm::StringRef Text,
                             llvm::ArrayRef<TextEdit> Edits) const;

  Node root() const { return Node(ts_tree_root_node(Tree.get())); }
  /// True when the tree has an ERROR or a MISSING node.
  bool hasErrors() const { return root().hasError(); }
  /// The largest number of nodes on a path from the root to a leaf.
  unsigned depth() const {
    return depth([](Node) {});
  }
  /// depth(), calling \p Visit on every node on the way, in source order:
  /// one walk where a caller needs both.
  template <typename Fn> unsigned depth(Fn &&Visit) const {
    TSTreeCursor Cursor = ts_tree_cursor_new(ts_tree_root_node(Tree.get()));
    unsigned Depth = 1, Max = 1;
    Visit(root());
    while (true) {
      if (ts_tree_cursor_goto_first_child(&Cursor)) {
        Max = std::max(Max, ++Depth);
      } else {
        while (!ts_tree_cursor_goto_next_sibling(&Cursor)) {
          if (!ts_tree_cursor_goto_parent(&Cursor)) {
            ts_tree_cursor_delete(&Cursor);
            return Max;
          }
          --Depth;
        }
      }
      Visit(Node(ts_tree_cursor_current_node(&Cursor)));
    }
  }
  /// The first ERROR or MISSING node in source order, if any.
  Node firstError() const;

private:
  explicit SyntaxTree(TSTree *T) : Tree(T, &deleteTree) {}
  static void deleteTree(TSTree *T);
  std::unique_ptr<TSTree, decltype(&deleteTree)> Tree;
};

/// While a scope lives, what tree-sitter allocates on this thread (parsers,
/// trees, cursors) comes from the thread's arena, which is emptied when the
/// outermost scope ends: a file's tree is then given back at once instead of
/// being walked node by node. Nothing tree-sitter made inside a scope (trees
/// and their nodes above all) may be used after it; scopes nest.
class TreeMemoryScope {
public:
  TreeMemoryScope();
  ~TreeMemoryScope();
  TreeMemoryScope(const TreeMemoryScope &) = delete;
  TreeMemoryScope &operator=(const TreeMemoryScope &) = delete;
};

} // namespace excise

#endif
