//===- Template.h - Rendering a rewrite's fix -------------------*- C++ -*-===//
//
// The `fix:` of a rewrite is Python text with the pattern's metavariables.
// Rendering puts the bound code in and fits the result to where it lands:
//
//  - The first template line goes where the match starts; every later line
//    gets the indentation of the line the match starts on in front of its own.
//    Template indentation is converted to the file's indentation unit (tabs,
//    two spaces, ...) when the two differ.
//  - `$X` becomes the bound node's text. When it spans several lines, its
//    continuation lines move by the difference between the indentation of
//    the line it started on and that of the line it lands on; lines inside
//    multi-line strings are left alone.
//  - `$$$X` of arguments or items becomes the source text from the first to
//    the last item when they are consecutive in the source (their layout and
//    comments kept), or the items joined with ", " otherwise. Written alone
//    on its template line (`    $$$ARGS,`), it becomes one item per line.
//    An empty run takes a neighbouring comma with it (or its whole line).
//  - `$$$X` of statements becomes their source text, comments between them
//    included, re-indented; an empty one alone in a block becomes `pass`.
//  - A `$NAME` inside a string or comment of the fix is replaced too when
//    the pattern binds NAME, and is plain text otherwise.
//
// An empty fix deletes the matched statements (see Rewrite.h).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_TEMPLATE_H
#define EXCISE_REWRITE_TEMPLATE_H

#include "python/SyntaxTree.h"
#include "rewrite/Matcher.h"
#include "rewrite/Pattern.h"
#include "source/SourceFile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace excise {

/// How a file lays out its code, for text inserted into it.
struct FileStyle {
  std::string IndentUnit = "    "; ///< One level of block indentation.
  std::string LineBreak = "\n";
};

/// Looks at the first indented block of \p Tree (the parse of \p File).
FileStyle detectStyle(const SourceFile &File, const SyntaxTree &Tree);

class Template {
public:
  /// Compiles \p Fix for matches of \p P. Fails with a RewriteError (offset
  /// into \p Fix) when a metavariable outside strings and comments is not
  /// bound by the pattern, or when the fix is not valid Python.
  static llvm::Expected<Template> compile(llvm::StringRef Fix,
                                          const Pattern &P);

  /// True for an empty fix: the matches are deleted.
  bool isDeletion() const { return Lines.empty(); }

  /// The text that replaces bytes [M.Start, M.End) of \p File, laid out in
  /// \p Style (see detectStyle).
  std::string render(const Match &M, const SourceFile &File,
                     const FileStyle &Style) const;

private:
  struct Piece {
    std::string Text; ///< Literal text, or the metavariable's name.
    bool IsReference = false;
  };
  struct Line {
    std::string Indent; ///< Leading whitespace, relative to the template.
    std::vector<Piece> Pieces;
    bool Blank = false;
  };
  std::vector<Line> Lines;
  /// The template's indentation unit in spaces (0 when it has no indented
  /// line indented with spaces).
  unsigned IndentWidth = 0;
};

} // namespace excise

#endif
