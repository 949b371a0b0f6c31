//===- Layers.h - Edits made in steps, reported against the original -*- C++ -*-===//
//
// A rewrite changes a file, then the removal cascade works on the rewritten
// text. What is reported (the patch, `explain`, the review formats) must be
// edits of the original text. EditLayers composes the steps with
// clang::tooling::Replacements::merge and keeps, for each step's edit, where
// it lands in the original, so that every composed replacement keeps the
// rule and reason of each step edit composed into it. A later step that
// deletes all an earlier step wrote subsumes it (a rewrite inside a method
// the plan removes); one that cuts into it or rewrites it otherwise is a
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
  /// When \p Guarded, an edit that overlaps text an earlier layer wrote must
  /// keep that text (replace around it) or delete all of it, which subsumes
  /// the earlier edit (composed() reports it in Edit::Subsumed); one that
  /// cuts into it or replaces it with other text is an EditConflictError
  /// naming both edits.
  llvm::Error add(const std::vector<Edit> &Edits, bool Guarded);

  const std::string &original() const { return Original; }
  /// The text after every layer so far.
  const std::string &current() const { return Current; }
  /// Every layer composed into edits of the original, sorted. Each is named
  /// by the latest step edit composed into it; the earlier ones are its
  /// other causes (Edit::AlsoBy), latest first, or, when it deleted what
  /// they wrote, what it subsumed (Edit::Subsumed).
  std::vector<Edit> composed() const;

private:
  /// The original offset of \p Offset in current().
  unsigned toOriginal(unsigned Offset) const;

  struct Origin {
    unsigned Start, End; ///< In the original.
    Edit Source;
    /// A later layer deleted all it wrote: it is reported as subsumed by
    /// that deletion, not as a cause of it.
    bool Subsumed = false;
  };
  std::string Path;
  std::string Original;
  std::string Current;
  clang::tooling::Replacements Combined;
  std::vector<Origin> Origins;
  /// Ranges of current() written by a layer, with the index in Origins of
  /// the edit that wrote them.
  std::vector<std::pair<std::pair<unsigned, unsigned>, size_t>> Written;
};

} // namespace excise

#endif
