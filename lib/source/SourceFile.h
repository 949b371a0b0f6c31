//===- SourceFile.h - A file's bytes, lines and positions -------*- C++ -*-===//
//
// A SourceFile owns the bytes of one file of the tree and knows where its lines
// start, so that byte offsets (what tree-sitter and clang::tooling speak) can be
// turned into the 1-based line:column pairs that people read.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_SOURCEFILE_H
#define EXCISE_SOURCE_SOURCEFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace excise {

/// A 1-based line and column; the column counts bytes, as clang does.
struct LineColumn {
  unsigned Line = 1;
  unsigned Column = 1;
};

class SourceFile {
public:
  /// Takes a copy of \p Text. \p Path is the file's path relative to the root,
  /// with forward slashes.
  SourceFile(std::string Path, std::string Text);

  /// Reads \p Path (relative to the file system's working directory) from \p FS.
  static llvm::Expected<SourceFile> read(llvm::vfs::FileSystem &FS,
                                         llvm::StringRef Path);

  llvm::StringRef path() const { return Path; }
  llvm::StringRef text() const { return Text; }

  unsigned lineCount() const { return LineStarts.size(); }
  /// Line and column of byte \p Offset; an offset past the end maps to the end.
  LineColumn position(unsigned Offset) const;
  /// Byte offset where 1-based \p Line starts.
  unsigned lineStart(unsigned Line) const;
  /// Byte offset just past the end of 1-based \p Line, its line break included.
  unsigned lineEnd(unsigned Line) const;
  /// The text of 1-based \p Line without its line break.
  llvm::StringRef lineText(unsigned Line) const;
  /// The line break used by the line holding \p Offset ("\n", "\r\n" or ""
  /// for a last line without one); new lines inserted there should use it.
  llvm::StringRef lineBreakAt(unsigned Offset) const;
  /// The file's dominant line break, "\n" when it has none.
  llvm::StringRef lineBreak() const;
  bool endsWithNewline() const;

private:
  std::string Path;
  std::string Text;
  std::vector<unsigned> LineStarts;
};

} // namespace excise

#endif
