//===- PackedEdits.h - Edits kept small while a run waits -------*- C++ -*-===//
//
// Between a file's analysis and the moment its change is made, a run holds the
// edits of every edited file: 62,000 of them in the benchmark's tree, 124,000
// at twice its size. As Edits, each carries its file's path, its rule id and
// its reason chain as strings of its own, some 400 bytes in all, so these
// edits grew to most of a run's memory. Packed, an edit is five integers:
// where it is, where its new text is in the file's one buffer of texts, and
// which cause (rule id and reason chain) it has, in a table the whole run
// shares; most edits of a plan have one of a few causes.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EDIT_PACKEDEDITS_H
#define EXCISE_EDIT_PACKEDEDITS_H

#include "edit/Edit.h"
#include "python/SyntaxTree.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <mutex>
#include <string>
#include <vector>

namespace excise {

/// The distinct causes (rule id and reason chain, the other causes of an
/// edit several made together, and those of the edits it subsumed) of a
/// run's edits, each kept once. Thread-safe.
class CauseTable {
public:
  /// The index of each edit's cause, adding those not seen yet.
  std::vector<unsigned> intern(llvm::ArrayRef<Edit> Edits);
  /// Sets \p E's rule id and reason to cause \p Index.
  void fill(unsigned Index, Edit &E) const;
  /// How many distinct causes there are.
  size_t size() const;

private:
  struct Cause {
    std::string RuleId;
    std::vector<std::string> Reason;
    std::vector<EditCause> AlsoBy;
    std::vector<EditCause> Subsumed;
  };
  mutable std::mutex Lock;
  /// The rule id and the steps of each cause, each followed by a NUL, the
  /// other causes after a \1, the subsumed ones after a \2 -> index in
  /// Causes.
  llvm::StringMap<unsigned> Index;
  std::vector<Cause> Causes;
};

/// The edits of one file, in the order given, without the file's path.
class PackedEdits {
public:
  PackedEdits() = default;
  PackedEdits(llvm::ArrayRef<Edit> Edits, CauseTable &Causes) {
    append(Edits, Causes);
  }

  /// Adds \p Edits after those held.
  void append(llvm::ArrayRef<Edit> Edits, CauseTable &Causes);

  bool empty() const { return Entries.empty(); }
  size_t size() const { return Entries.size(); }
  /// The edits as offsets, lengths and texts, the texts pointing into this.
  std::vector<TextEdit> textEdits() const;
  /// The edits again, as Replacements of \p Path with their causes.
  std::vector<Edit> unpack(llvm::StringRef Path, const CauseTable &Causes) const;

private:
  struct Entry {
    unsigned Offset;
    unsigned Length;
    unsigned TextBegin;
    unsigned TextLength;
    unsigned Cause;
  };
  std::vector<Entry> Entries;
  std::string Texts;
};

} // namespace excise

#endif
