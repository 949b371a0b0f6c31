//===- Edit.cpp -----------------------------------------------------------===//
#include "edit/Edit.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <tuple>

namespace excise {

char EditConflictError::ID;

std::string EditCause::explanation() const {
  std::string S = RuleId;
  for (const std::string &Step : Reason)
    S += (S.empty() ? "" : " \xE2\x86\x92 ") + Step;
  return S;
}

bool operator==(const EditCause &A, const EditCause &B) {
  return A.RuleId == B.RuleId && A.Reason == B.Reason;
}

std::string Edit::explanation() const {
  return EditCause{RuleId, Reason}.explanation();
}

std::vector<EditCause> Edit::causes() const {
  std::vector<EditCause> All{{RuleId, Reason}};
  All.insert(All.end(), AlsoBy.begin(), AlsoBy.end());
  return All;
}

std::vector<std::string> Edit::ruleIds() const {
  std::vector<std::string> Ids;
  for (const EditCause &C : causes())
    if (!llvm::is_contained(Ids, C.RuleId))
      Ids.push_back(C.RuleId);
  return Ids;
}

void Edit::addCause(EditCause C) {
  if (llvm::is_contained(causes(), C))
    return;
  AlsoBy.push_back(std::move(C));
}

bool operator<(const Edit &A, const Edit &B) {
  return std::make_tuple(A.offset(), A.length(), A.text()) <
         std::make_tuple(B.offset(), B.length(), B.text());
}

void EditConflictError::log(llvm::raw_ostream &OS) const {
  OS << File << ": conflicting edits: [" << New.RuleId << "] replaces bytes "
     << New.offset() << "+" << New.length() << " ("
     << New.explanation() << ") and [" << Existing.RuleId
     << "] replaces bytes " << Existing.offset() << "+" << Existing.length()
     << " (" << Existing.explanation() << ")";
}

std::error_code EditConflictError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

static bool overlaps(const Edit &A, const Edit &B) {
  unsigned AEnd = A.offset() + A.length(), BEnd = B.offset() + B.length();
  if (A.length() == 0 || B.length() == 0)
    return A.offset() == B.offset() ||
           (A.offset() > B.offset() && A.offset() < BEnd) ||
           (B.offset() > A.offset() && B.offset() < AEnd);
  return A.offset() < BEnd && B.offset() < AEnd;
}

llvm::Error FileEdits::add(Edit E) {
  for (Edit &Old : Edits)
    if (Old.offset() == E.offset() && Old.length() == E.length() &&
        Old.text() == E.text()) {
      // Made once, by both.
      for (EditCause &C : E.causes())
        Old.addCause(std::move(C));
      return llvm::Error::success();
    }
  if (llvm::Error Err = Set.add(E.Replacement)) {
    // Why dropped: replaced by the EditConflictError below, which names both
    // edits with their rules.
    llvm::consumeError(std::move(Err));
    auto It = std::find_if(Edits.begin(), Edits.end(),
                           [&](const Edit &Old) { return overlaps(Old, E); });
    Edit Existing = It != Edits.end() ? *It : Edits.front();
    return llvm::make_error<EditConflictError>(Path, Existing, std::move(E));
  }
  Edits.insert(std::upper_bound(Edits.begin(), Edits.end(), E), std::move(E));
  return llvm::Error::success();
}

llvm::Error FileEdits::addGroup(std::vector<Edit> Group) {
  FileEdits Trial = *this;
  for (Edit &E : Group)
    if (llvm::Error Err = Trial.add(std::move(E)))
      return Err;
  *this = std::move(Trial);
  return llvm::Error::success();
}

llvm::Expected<std::string> FileEdits::apply(llvm::StringRef Original) const {
  return clang::tooling::applyAllReplacements(Original, Set);
}

} // namespace excise
