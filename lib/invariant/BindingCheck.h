//===- BindingCheck.h - Every name that resolved still resolves -*- C++ -*-===//
//
// The binding invariant on one edited file: the facts of its text before the
// plan and after it, compared. A read that some binding reached before and
// none reaches after is a leftover, reported at its place in the text before
// (the one the diff and the diagnostics show), under the rule whose edit
// removed the binding. The names the module bound at its top level and binds
// no more are handed on: the files that take them from it are checked next
// (see lib/driver/BindingPass.h).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_INVARIANT_BINDINGCHECK_H
#define EXCISE_INVARIANT_BINDINGCHECK_H

#include "edit/Edit.h"
#include "invariant/BindingFacts.h"
#include "source/Diagnostic.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace excise {

/// Offsets in a text with edits applied, mapped back to the text before.
class OffsetMap {
public:
  /// \p Edits sorted by offset, non-overlapping.
  explicit OffsetMap(llvm::ArrayRef<Edit> Edits) : Edits(Edits) {}
  /// The offset before the edits of \p After; an offset inside an edit's new
  /// text maps to the start of what that edit replaced (and sets \p Inside).
  unsigned before(unsigned After, bool *Inside = nullptr) const;
  /// The edit whose replaced range holds \p Before, or null.
  const Edit *editAt(unsigned Before) const;

private:
  llvm::ArrayRef<Edit> Edits;
};

/// False when no edit of \p Edits (sorted) on \p OldText can take a binding
/// away or add a read: each deletes text that binds nothing (no assignment
/// outside brackets, walrus, `def`, `class`, `import`, `as`, `for` outside
/// brackets, `global`, `nonlocal`, `case`) and puts back no name but `pass`.
/// Such a file needs no check: what it reads is still bound.
bool mayChangeBindings(llvm::StringRef OldText, llvm::ArrayRef<Edit> Edits);

/// What a file's edits do to its bindings, judged from the tree before and
/// the edits alone, without the text after: cheap enough for every file the
/// cascade edits.
struct BindingImpact {
  /// A read the edits leave lost a binding, or an edit puts names in: the
  /// texts before and after must be compared (checkEditedFile).
  bool NeedsCheck = false;
  /// The top-level names the edits unbind (every binding of the name in the
  /// module goes), each with the offset and line of its first binding.
  struct TopLevel {
    std::string Name;
    unsigned Offset = 0;
    unsigned Line = 0;
  };
  std::vector<TopLevel> Lost;
  /// Reads left without any binding, told from the tree before, with the
  /// offset of the binding named in the message; their rule is that of the
  /// edit that deletes it.
  struct Read {
    Diagnostic Leftover;
    unsigned BindingOffset = 0;
  };
  std::vector<Read> Unbound;
};

/// The impact of \p Edits (sorted, non-overlapping) on \p Before.
BindingImpact bindingImpact(const ParsedFile &Before, llvm::ArrayRef<TextEdit> Edits);

/// A top-level name of a module that the plan's edits unbind.
struct LostName {
  std::string RuleId;
  std::string Where; ///< `path:line` of the binding the plan removed.
};

struct EditedFileCheck {
  std::vector<Diagnostic> Leftovers;
  /// The module's top-level names bound before and not after.
  llvm::StringMap<LostName> Lost;
  /// The facts after, with offsets mapped to the text before.
  BindingFacts After;
};

/// Compares \p Before with \p After, which is Before's text with \p Edits
/// applied; both parsed. A file that moves keeps its reads checked; its
/// module's names are not handed on (\p Moved).
EditedFileCheck checkEditedFile(const ParsedFile &Before, const ParsedFile &After,
                                llvm::ArrayRef<Edit> Edits,
                                const ModuleIndex &Modules, bool Moved);

/// The message of a leftover at a use of \p Name that \p Module no longer
/// binds (\p Why says where the plan removed it).
std::string lostNameMessage(llvm::StringRef Module, llvm::StringRef Name,
                            const LostName &Why, bool ThroughStar);

} // namespace excise

#endif
