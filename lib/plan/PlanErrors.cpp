//===- PlanErrors.cpp - A plan's located errors ---------------------------===//
//
// PlanError, and how an error is rendered: the plan's path, line and column,
// the message, then the line of the plan and a caret under the column, which
// stays in place on a terminal with tabs, wide characters and bad UTF-8.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace excise {

char PlanError::ID;

void PlanError::log(llvm::raw_ostream &OS) const {
  // LLVM joins and terminates logged errors itself, so no final newline here.
  OS << llvm::StringRef(Rendered).rtrim('\n');
}

std::error_code PlanError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

//===----------------------------------------------------------------------===//
// Rendering located errors
//===----------------------------------------------------------------------===//

/// Returns the text of the 1-based line \p Line of \p Text, without its line
/// break; empty when the text has fewer lines.
static llvm::StringRef lineOf(llvm::StringRef Text, unsigned Line) {
  size_t Start = 0;
  for (unsigned L = 1; L < Line; ++L) {
    size_t NewLine = Text.find('\n', Start);
    if (NewLine == llvm::StringRef::npos)
      return "";
    Start = NewLine + 1;
  }
  llvm::StringRef Rest = Text.substr(Start);
  return Rest.take_until([](char C) { return C == '\n'; }).rtrim('\r');
}

/// Appends \p LineText to \p Shown and the caret line for the byte column
/// \p Column (1-based) to \p Caret. Invalid UTF-8 is shown as U+FFFD and tabs
/// are kept in the caret line, so that the caret stays under the column on a
/// terminal.
static void renderLine(llvm::StringRef LineText, unsigned Column,
                       std::string &Shown, std::string &Caret) {
  const auto *Bytes = reinterpret_cast<const llvm::UTF8 *>(LineText.data());
  size_t I = 0;
  size_t CaretOffset = Column ? Column - 1 : 0;
  while (I < LineText.size()) {
    unsigned Length = 1;
    llvm::StringRef Shown1;
    if (static_cast<unsigned char>(LineText[I]) < 0x80) {
      Shown1 = LineText.substr(I, 1);
    } else {
      Length = llvm::getNumBytesForUTF8(Bytes[I]);
      if (I + Length <= LineText.size() &&
          llvm::isLegalUTF8Sequence(Bytes + I, Bytes + I + Length)) {
        Shown1 = LineText.substr(I, Length);
      } else {
        Length = 1;
        Shown1 = "\xEF\xBF\xBD";
      }
    }
    // A byte order mark is invisible; showing it would shift the caret.
    bool Invisible = Shown1 == "\xEF\xBB\xBF";
    if (!Invisible)
      Shown += Shown1.str();
    if (I < CaretOffset && !Invisible) {
      if (Shown1 == "\t") {
        Caret += '\t';
      } else {
        int Width = llvm::sys::unicode::columnWidthUTF8(Shown1);
        Caret.append(Width < 0 ? 1 : Width, ' ');
      }
    }
    I += Length;
  }
  // A location just past the end of the line (an unterminated string, say).
  if (CaretOffset > LineText.size())
    Caret.append(CaretOffset - LineText.size(), ' ');
  Caret += '^';
}

llvm::Error makePlanError(const Plan &P, PlanLocation Loc, PlanErrorKind Kind,
                          const llvm::Twine &Message) {
  std::string Rendered;
  llvm::raw_string_ostream OS(Rendered);
  OS << P.FilePath;
  if (Loc.Line)
    OS << ':' << Loc.Line << ':' << Loc.Column;
  OS << ": error: " << Message << '\n';
  if (Loc.Line) {
    std::string Shown, Caret;
    renderLine(lineOf(P.Text, Loc.Line), Loc.Column, Shown, Caret);
    OS << Shown << '\n' << Caret << '\n';
  }
  OS.flush();
  return llvm::make_error<PlanError>(Kind, std::move(Rendered));
}

} // namespace excise
