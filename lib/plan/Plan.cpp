//===- Plan.cpp - Loading and validating a removal plan -------------------===//
//
// The plan is read with LLVM's YAML parser, walking its nodes by hand rather
// than through YAML IO traits: every key and value keeps its position, so each
// error can point at the exact place of the plan file.
//
// Parsing runs in two passes over the same bytes. The first only validates the
// YAML, so that a syntax error is reported as such even when it comes after a
// shape error; the second walks the nodes and checks the plan's shape. Both
// are linear in the size of the plan.
//
// This file holds the entry points and the checks made before the YAML parser
// runs; the walk itself is PlanParser (PlanParser.h), the rendering of errors
// is in PlanErrors.cpp.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"
#include "plan/PlanParser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace excise {

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Returns the offset of the first byte of \p Text that is not valid UTF-8,
/// if any.
static std::optional<size_t> findInvalidUTF8(llvm::StringRef Text) {
  const auto *Bytes = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  size_t I = 0;
  while (I < Text.size()) {
    if (Bytes[I] < 0x80) {
      ++I;
      continue;
    }
    unsigned Length = llvm::getNumBytesForUTF8(Bytes[I]);
    if (I + Length > Text.size() ||
        !llvm::isLegalUTF8Sequence(Bytes + I, Bytes + I + Length))
      return I;
    I += Length;
  }
  return std::nullopt;
}

/// An upper bound on how deep YAML collections may nest before the parser,
/// which recurses once per level, is stopped; no real plan comes close.
static constexpr unsigned MaxNesting = 10000;

/// Returns the offset where an upper bound of the nesting depth of \p Text
/// first exceeds MaxNesting, if it does. Flow collections nest through
/// brackets; block collections only through deeper indentation or through
/// indicators on the same line (`- - x`), so counting those bounds the depth
/// without parsing. Indicators and brackets inside strings only make the
/// bound looser.
static std::optional<size_t> findExcessiveNesting(llvm::StringRef Text) {
  unsigned Flow = 0, Block = 0;
  bool InIndent = true;
  for (size_t I = 0; I < Text.size(); ++I) {
    switch (Text[I]) {
    case '\n':
      Block = 0;
      InIndent = true;
      continue;
    case ' ':
      Block += InIndent;
      continue;
    case '[':
    case '{':
      ++Flow;
      break;
    case ']':
    case '}':
      Flow -= Flow > 0;
      break;
    case '-':
    case '?':
    case ':':
      ++Block;
      break;
    default:
      break;
    }
    InIndent = false;
    if (Flow + Block > MaxNesting)
      return I;
  }
  return std::nullopt;
}

/// Rewords the YAML parser's messages in the style of the others.
static std::string syntaxMessage(llvm::StringRef Message) {
  if (Message.contains_insensitive("tab character"))
    return "tabs are not allowed in YAML indentation; indent with spaces";
  std::string Out = Message.rtrim("!").str();
  if (!Out.empty())
    Out[0] = llvm::toLower(Out[0]);
  return Out;
}

llvm::Expected<Plan> parsePlan(llvm::StringRef Text, llvm::StringRef FilePath) {
  Plan P;
  P.FilePath = FilePath.str();
  P.Text = Text.str();
  llvm::StringRef Bytes = P.Text;

  // Each pass gets its own SourceMgr; the stream registers the buffer in it.
  struct FirstDiagnostic {
    bool Seen = false;
    llvm::SMLoc Loc;
    std::string Message;
  };
  auto Capture = [](const llvm::SMDiagnostic &D, void *Context) {
    auto *First = static_cast<FirstDiagnostic *>(Context);
    if (First->Seen)
      return;
    First->Seen = true;
    First->Loc = D.getLoc();
    First->Message = D.getMessage().str();
  };

  {
    llvm::SourceMgr SM;
    FirstDiagnostic First;
    SM.setDiagHandler(Capture, &First);
    auto Refuse = [&](size_t Offset, const llvm::Twine &Message) {
      SM.AddNewSourceBuffer(
          llvm::MemoryBuffer::getMemBuffer(Bytes, P.FilePath,
                                           /*RequiresNullTerminator=*/false),
          llvm::SMLoc());
      auto LineColumn = SM.getLineAndColumn(
          llvm::SMLoc::getFromPointer(Bytes.data() + Offset));
      return makePlanError(P, {LineColumn.first, LineColumn.second},
                           PlanErrorKind::Syntax, Message);
    };
    // The YAML scanner has no good message for bad UTF-8, so check first.
    if (std::optional<size_t> Bad = findInvalidUTF8(Bytes))
      return Refuse(*Bad, "the plan is not valid UTF-8");
    if (std::optional<size_t> Deep = findExcessiveNesting(Bytes))
      return Refuse(*Deep, "the plan nests deeper than " +
                               llvm::Twine(MaxNesting) + " levels");
    llvm::yaml::Stream Stream(Bytes, SM, /*ShowColors=*/false);
    Stream.skip();
    if (Stream.failed() || First.Seen) {
      PlanLocation Loc{1, 1};
      if (First.Loc.isValid()) {
        auto LineColumn = SM.getLineAndColumn(First.Loc);
        Loc = {LineColumn.first, LineColumn.second};
      }
      return makePlanError(P, Loc, PlanErrorKind::Syntax,
                           syntaxMessage(First.Message.empty()
                                             ? "invalid YAML"
                                             : First.Message));
    }
  }

  llvm::SourceMgr SM;
  FirstDiagnostic First;
  SM.setDiagHandler(Capture, &First);
  llvm::yaml::Stream Stream(Bytes, SM, /*ShowColors=*/false);
  planparse::PlanParser Parser(P, SM);
  if (llvm::Error E = Parser.parseStream(Stream))
    return E;
  return P;
}

llvm::Expected<Plan> loadPlan(llvm::StringRef FilePath) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(FilePath, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return llvm::make_error<PlanError>(
        PlanErrorKind::Io,
        (FilePath + ": cannot read plan: " + Buffer.getError().message() + "\n")
            .str());
  return parsePlan((*Buffer)->getBuffer(), FilePath);
}

} // namespace excise
