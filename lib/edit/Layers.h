//===- Layers.h - Edits made in steps, reported against the original -*- C++ -*-===//
//
// A rewrite changes a file, then the removal cascade works on the rewritten
// text. What is reported (the patch, `explain`, the review formats) must be
// edits of the original text. EditLayers composes the steps with
// clang::tooling::Replacements::merge and keeps, for each step's edit, where
// it lands in the original, so that every composed replacement keeps the
// rule and reason of each step edit composed into it. A later step that rewrites what an earlier step wrote is a
// conflict naming both.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EDIT_LAYERS_H
#define EXCISE_EDIT_LAYERS_H

#include "edit/Edit.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace excise {

class EditLayers {
public:
  EditLayers(std::string Path, std::string Original);

  /// Applies \p Edits, which are edits of current() (sorted, non-overlapping).
  /// When \p Guarded, an edit that overlaps text an earlier layer wrote is an
  /// EditConflictError naming both edits.
  llvm::Error add(const std::vector<Edit> &Edits, bool Guarded);

  const std::string &original() const { return Original; }
  /// The text after every layer so far.
  const std::string &current() const { return Current; }
  /// Every layer composed into edits of the original, sorted. Each is named
  /// by the latest step edit composed into it; the earlier ones are its
  /// other causes (Edit::AlsoBy), latest first.
  std::vector<Edit> composed() const;

private:
  /// The original offset of \p Offset in current().
  unsigned toOriginal(unsigned Offset) const;

  struct Origin {
    unsigned Start, End; ///< In the original.
    Edit Source;
  };
  std::string Path;
  std::string Original;
  std::string Current;
  clang::tooling::Replacements Combined;
  std::vector<Origin> Origins;
  /// Ranges of current() written by a layer, with the edit that wrote them.
  std::vector<std::pair<std::pair<unsigned, unsigned>, Edit>> Written;
};

} // namespace excise

#endif
