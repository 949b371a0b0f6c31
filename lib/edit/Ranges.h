//===- Ranges.h - Which bytes an edit of a statement covers -----*- C++ -*-===//
//
// Range selection for Python statements, in the spirit of clang Transformer's
// RangeSelector and ruff's delete_stmt: a deleted statement takes its whole
// lines, the comment lines directly above it and its trailing comment; `;`
// neighbours and backslash continuations are respected; blank lines around it
// are left the way a careful person would leave them.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EDIT_RANGES_H
#define EXCISE_EDIT_RANGES_H

#include "python/SyntaxTree.h"
#include "source/SourceFile.h"

#include <string>
#include <vector>

namespace excise {

struct Range {
  unsigned Start = 0;
  unsigned End = 0;
};

/// The bytes to delete for statements I..J (inclusive) of \p Stmts, all the
/// statements of \p Block (a `block` or `module`), when the statements around
/// them stay. Blank lines: at the start of a block, the ones after the run go;
/// at its end, the ones before; between two statements, the smaller gap goes.
Range statementRunRange(const SourceFile &File, Node Block,
                        const std::vector<Node> &Stmts, size_t I, size_t J);

/// The first line (1-based) that belongs to \p Block's body: the line after
/// its header, or 1 for a module.
unsigned blockFirstLine(const SourceFile &File, Node Block);

/// Where \p Stmt starts once the comment lines directly above it (within
/// \p Block) are counted as its own: the start of the first such line, or of
/// the statement's line.
unsigned attachedStart(const SourceFile &File, Node Block, Node Stmt);

/// The bytes of all of \p Stmts, from the first statement to the end of the
/// last one including its trailing comment: what `pass` replaces.
Range blockContentRange(const SourceFile &File, const std::vector<Node> &Stmts);

/// The bytes to delete for the items of a comma-separated list (import names,
/// `__all__` entries) whose \p Remove flag is set, not all of them: whole
/// lines for items alone on their line, otherwise the item and one adjacent
/// comma, keeping parentheses, trailing commas and comments valid.
std::vector<Range> listItemRemovalRanges(const SourceFile &File,
                                         const std::vector<Node> &Items,
                                         const std::vector<bool> &Remove);

/// The bytes of an `else:`/`finally:` clause, header line to last line.
Range clauseRange(const SourceFile &File, Node Clause);

/// The whitespace before the first non-blank character of \p Offset's line.
std::string indentOf(const SourceFile &File, unsigned Offset);

/// \p Body is the text of \p Block (edits already applied), from its first
/// line's start when \p FromLineStart, else from its first statement. Returns
/// it re-indented from the block's indentation to that of \p Owner, without
/// leading blank lines and without indentation before its first character
/// (it replaces \p Owner from its first byte), leaving the inside of
/// triple-quoted strings alone.
std::string dedentBlockText(const SourceFile &File, Node Owner, Node Block,
                            const std::string &Body, bool FromLineStart);

} // namespace excise

#endif
