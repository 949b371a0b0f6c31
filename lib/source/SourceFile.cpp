//===- SourceFile.cpp -----------------------------------------------------===//
#include "source/SourceFile.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

namespace excise {

SourceFile::SourceFile(std::string P, std::string T)
    : Path(std::move(P)), Text(std::move(T)) {
  LineStarts.push_back(0);
  for (size_t I = 0, E = Text.size(); I < E; ++I)
    if (Text[I] == '\n' && I + 1 < E)
      LineStarts.push_back(I + 1);
}

llvm::Expected<SourceFile> SourceFile::read(llvm::vfs::FileSystem &FS,
                                            llvm::StringRef Path) {
  auto Buffer = FS.getBufferForFile(Path, /*FileSize=*/-1,
                                    /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  return SourceFile(Path.str(), (*Buffer)->getBuffer().str());
}

LineColumn SourceFile::position(unsigned Offset) const {
  Offset = std::min<unsigned>(Offset, Text.size());
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  unsigned Line = It - LineStarts.begin();
  return {Line, Offset - LineStarts[Line - 1] + 1};
}

unsigned SourceFile::lineStart(unsigned Line) const {
  if (Line == 0)
    return 0;
  if (Line > LineStarts.size())
    return Text.size();
  return LineStarts[Line - 1];
}

unsigned SourceFile::lineEnd(unsigned Line) const {
  if (Line >= LineStarts.size())
    return Text.size();
  return LineStarts[Line];
}

llvm::StringRef SourceFile::lineText(unsigned Line) const {
  llvm::StringRef L =
      llvm::StringRef(Text).slice(lineStart(Line), lineEnd(Line));
  if (L.endswith("\n"))
    L = L.drop_back();
  if (L.endswith("\r"))
    L = L.drop_back();
  return L;
}

llvm::StringRef SourceFile::lineBreakAt(unsigned Offset) const {
  unsigned Line = position(Offset).Line;
  llvm::StringRef L =
      llvm::StringRef(Text).slice(lineStart(Line), lineEnd(Line));
  if (L.endswith("\r\n"))
    return "\r\n";
  if (L.endswith("\n"))
    return "\n";
  return lineBreak();
}

llvm::StringRef SourceFile::lineBreak() const {
  size_t NL = llvm::StringRef(Text).find('\n');
  if (NL != llvm::StringRef::npos && NL > 0 && Text[NL - 1] == '\r')
    return "\r\n";
  return "\n";
}

bool SourceFile::endsWithNewline() const {
  return !Text.empty() && Text.back() == '\n';
}

} // namespace excise
