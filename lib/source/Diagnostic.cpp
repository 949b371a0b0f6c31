//===- Diagnostic.cpp -----------------------------------------------------===//
#include "source/Diagnostic.h"
#include "source/SourceFile.h"

#include "llvm/Support/WithColor.h"

#include <tuple>

namespace excise {

Diagnostic Diagnostic::at(const SourceFile &File, unsigned Offset,
                          Severity Level, std::string Message,
                          std::string RuleId) {
  Diagnostic D;
  D.Level = Level;
  D.File = File.path().str();
  D.Offset = Offset;
  LineColumn Pos = File.position(Offset);
  D.Line = Pos.Line;
  D.Column = Pos.Column;
  D.Message = std::move(Message);
  D.RuleId = std::move(RuleId);
  D.LineText = File.lineText(Pos.Line).str();
  // Control bytes would act on the terminal (a NUL may end the line, ESC
  // starts a sequence, CR returns the cursor); one '?' per byte keeps the
  // caret's column. Tabs stay: the caret line repeats them.
  for (char &C : D.LineText) {
    unsigned char U = static_cast<unsigned char>(C);
    if ((U < 0x20 && C != '\t') || U == 0x7f)
      C = '?';
  }
  return D;
}

llvm::StringRef severityName(Severity Level) {
  switch (Level) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

void printDiagnostic(llvm::raw_ostream &OS, const Diagnostic &D, bool Color) {
  auto Colored = [&](llvm::raw_ostream::Colors C, bool Bold) {
    if (Color)
      OS.changeColor(C, Bold);
  };
  auto Reset = [&] {
    if (Color)
      OS.resetColor();
  };
  Colored(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << D.File;
  if (D.Line)
    OS << ':' << D.Line << ':' << D.Column;
  OS << ": ";
  switch (D.Level) {
  case Severity::Error:
    Colored(llvm::raw_ostream::RED, true);
    break;
  case Severity::Warning:
    Colored(llvm::raw_ostream::MAGENTA, true);
    break;
  case Severity::Note:
    Colored(llvm::raw_ostream::BLACK, true);
    break;
  }
  OS << severityName(D.Level) << ": ";
  Reset();
  Colored(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << D.Message;
  if (!D.RuleId.empty())
    OS << " [" << D.RuleId << ']';
  Reset();
  OS << '\n';
  if (D.Line == 0)
    return;
  OS << D.LineText << '\n';
  // Keep tabs under tabs so the caret lines up in any terminal.
  std::string Caret;
  for (unsigned I = 0; I + 1 < D.Column && I < D.LineText.size(); ++I)
    Caret += D.LineText[I] == '\t' ? '\t' : ' ';
  Colored(llvm::raw_ostream::GREEN, true);
  OS << Caret << "^\n";
  Reset();
}

bool operator<(const Diagnostic &A, const Diagnostic &B) {
  return std::tie(A.File, A.Offset, A.Message, A.RuleId) <
         std::tie(B.File, B.Offset, B.Message, B.RuleId);
}

} // namespace excise
