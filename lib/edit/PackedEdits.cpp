//===- PackedEdits.cpp ----------------------------------------------------===//
#include "edit/PackedEdits.h"

namespace excise {

std::vector<unsigned> CauseTable::intern(llvm::ArrayRef<Edit> Edits) {
  std::vector<unsigned> Indices;
  Indices.reserve(Edits.size());
  std::string Key;
  std::lock_guard<std::mutex> Guard(Lock);
  auto AddToKey = [&](const std::string &RuleId,
                      const std::vector<std::string> &Reason) {
    Key += RuleId;
    Key += '\0';
    for (const std::string &Step : Reason) {
      Key += Step;
      Key += '\0';
    }
  };
  for (const Edit &E : Edits) {
    Key.clear();
    AddToKey(E.RuleId, E.Reason);
    for (const EditCause &C : E.AlsoBy) {
      Key += '\1';
      AddToKey(C.RuleId, C.Reason);
    }
    for (const EditCause &C : E.Subsumed) {
      Key += '\2';
      AddToKey(C.RuleId, C.Reason);
    }
    auto [It, Inserted] = Index.try_emplace(Key, Causes.size());
    if (Inserted)
      Causes.push_back({E.RuleId, E.Reason, E.AlsoBy, E.Subsumed});
    Indices.push_back(It->second);
  }
  return Indices;
}

void CauseTable::fill(unsigned Index, Edit &E) const {
  std::lock_guard<std::mutex> Guard(Lock);
  E.RuleId = Causes[Index].RuleId;
  E.Reason = Causes[Index].Reason;
  E.AlsoBy = Causes[Index].AlsoBy;
  E.Subsumed = Causes[Index].Subsumed;
}

size_t CauseTable::size() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return Causes.size();
}

void PackedEdits::append(llvm::ArrayRef<Edit> Edits, CauseTable &Causes) {
  std::vector<unsigned> Indices = Causes.intern(Edits);
  size_t TextSize = Texts.size();
  for (const Edit &E : Edits)
    TextSize += E.text().size();
  Texts.reserve(TextSize);
  Entries.reserve(Entries.size() + Edits.size());
  for (size_t I = 0; I < Edits.size(); ++I) {
    const Edit &E = Edits[I];
    Entries.push_back({E.offset(), E.length(), static_cast<unsigned>(Texts.size()),
                       static_cast<unsigned>(E.text().size()), Indices[I]});
    Texts += E.text();
  }
}

std::vector<TextEdit> PackedEdits::textEdits() const {
  std::vector<TextEdit> Out;
  Out.reserve(Entries.size());
  for (const Entry &E : Entries)
    Out.push_back({E.Offset, E.Length,
                   llvm::StringRef(Texts).substr(E.TextBegin, E.TextLength)});
  return Out;
}

std::vector<Edit> PackedEdits::unpack(llvm::StringRef Path,
                                      const CauseTable &Causes) const {
  std::vector<Edit> Out(Entries.size());
  for (size_t I = 0; I < Entries.size(); ++I) {
    const Entry &E = Entries[I];
    Out[I].Replacement = clang::tooling::Replacement(
        Path, E.Offset, E.Length,
        llvm::StringRef(Texts).substr(E.TextBegin, E.TextLength));
    Causes.fill(E.Cause, Out[I]);
  }
  return Out;
}

} // namespace excise
