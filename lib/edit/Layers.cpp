//===- Layers.cpp ---------------------------------------------------------===//
#include "edit/Layers.h"

#include <algorithm>

namespace excise {

EditLayers::EditLayers(std::string P, std::string Text)
    : Path(std::move(P)), Original(Text), Current(std::move(Text)) {}

unsigned EditLayers::toOriginal(unsigned Offset) const {
  // Walk the composed replacements in order, undoing their shifts.
  long Delta = 0;
  for (const clang::tooling::Replacement &R : Combined) {
    unsigned NewStart = R.getOffset() + Delta;
    unsigned NewEnd = NewStart + R.getReplacementText().size();
    if (Offset < NewStart)
      break;
    if (Offset < NewEnd)
      return R.getOffset(); // Inside text a layer wrote.
    Delta += long(R.getReplacementText().size()) - long(R.getLength());
  }
  return unsigned(long(Offset) - Delta);
}

llvm::Error EditLayers::add(const std::vector<Edit> &Edits, bool Guarded) {
  if (Edits.empty())
    return llvm::Error::success();
  clang::tooling::Replacements Step;
  size_t FirstOrigin = Origins.size();
  for (const Edit &E : Edits) {
    if (Guarded)
      for (const auto &[Range, Writer] : Written) {
        unsigned Start = E.offset(), End = E.offset() + E.length();
        if (!(Start < Range.second && Range.first < End))
          continue;
        // An edit that takes the written text along (a guard unwrapped
        // around it, re-indented) keeps it; a deletion of all of it (the
        // method around a rewritten call) subsumes it; one that cuts into
        // it or replaces it with other text undoes the earlier step.
        llvm::StringRef Wrote =
            llvm::StringRef(Current).slice(Range.first, Range.second).trim();
        llvm::StringRef FirstLine = Wrote.split('\n').first.trim();
        bool Covers = Start <= Range.first && Range.second <= End;
        if (Covers && E.text().empty()) {
          Origins[Writer].Subsumed = true;
          continue;
        }
        if (!Covers || !E.text().contains(FirstLine))
          return llvm::make_error<EditConflictError>(Path, Origins[Writer].Source, E);
      }
    unsigned Start = toOriginal(E.offset());
    unsigned End = toOriginal(E.offset() + E.length());
    Origins.push_back({Start, std::max(Start, End), E});
    clang::tooling::Replacement R(Path, E.offset(), E.length(), E.text());
    if (llvm::Error Err = Step.add(R))
      return Err;
  }
  auto Next = clang::tooling::applyAllReplacements(Current, Step);
  if (!Next)
    return Next.takeError();
  // What this layer wrote, in the coordinates of its result.
  std::vector<std::pair<std::pair<unsigned, unsigned>, size_t>> NowWritten;
  for (const auto &[Range, Writer] : Written) {
    unsigned S = Step.getShiftedCodePosition(Range.first);
    unsigned E = Step.getShiftedCodePosition(Range.second);
    NowWritten.push_back({{S, std::max(S, E)}, Writer});
  }
  long Delta = 0;
  for (size_t I = 0; I < Edits.size(); ++I) {
    const Edit &E = Edits[I];
    unsigned S = E.offset() + Delta;
    NowWritten.push_back({{S, unsigned(S + E.text().size())}, FirstOrigin + I});
    Delta += long(E.text().size()) - long(E.length());
  }
  Written = std::move(NowWritten);
  Combined = Combined.merge(Step);
  Current = std::move(*Next);
  return llvm::Error::success();
}

std::vector<Edit> EditLayers::composed() const {
  std::vector<const clang::tooling::Replacement *> Composed;
  for (const clang::tooling::Replacement &R : Combined)
    Composed.push_back(&R);
  // Each step edit lands in one composed replacement: the one its original
  // range overlaps or, for an empty range (an insertion, or an edit inside
  // text an earlier layer wrote), the last one that starts at or before it
  // and reaches it.
  std::vector<std::vector<const Origin *>> Landed(Composed.size());
  for (const Origin &O : Origins) {
    for (size_t I = Composed.size(); I-- > 0;) {
      unsigned Start = Composed[I]->getOffset();
      unsigned End = Start + Composed[I]->getLength();
      bool Lands = O.Start == O.End ? Start <= O.Start && O.Start <= End
                                    : O.Start < End && Start < O.End;
      if (Lands) {
        Landed[I].push_back(&O);
        break;
      }
    }
  }
  std::vector<Edit> Result;
  for (size_t I = 0; I < Composed.size(); ++I) {
    Edit E;
    E.Replacement = *Composed[I];
    // The latest step edit names the replacement; the earlier ones that were
    // composed into it are its other causes, latest first.
    bool Named = false;
    for (auto It = Landed[I].rbegin(); It != Landed[I].rend(); ++It)
      for (EditCause &C : (*It)->Source.causes()) {
        if ((*It)->Subsumed) {
          if (!llvm::is_contained(E.Subsumed, C))
            E.Subsumed.push_back(std::move(C));
          continue;
        }
        if (Named) {
          E.addCause(std::move(C));
          continue;
        }
        E.RuleId = std::move(C.RuleId);
        E.Reason = std::move(C.Reason);
        Named = true;
      }
    Result.push_back(std::move(E));
  }
  llvm::sort(Result);
  return Result;
}

} // namespace excise
