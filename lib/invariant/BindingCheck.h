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
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <string>
#include <vector>

namespace excise {

/// Offsets in a text with edits applied, mapped back to the text before.
class OffsetMap {
public:
  /// \p Edits sorted by offset, non-overlapping.
  explicit OffsetMap(llvm::ArrayRef<Edit> Edits);
  /// The offset before the edits of \p After; an offset inside an edit's new
  /// text maps to the start of what that edit replaced (and sets \p Inside).
  unsigned before(unsigned After, bool *Inside = nullptr) const;
  /// The edit whose replaced range holds \p Before, or null.
  const Edit *editAt(unsigned Before) const;

private:
  llvm::ArrayRef<Edit> Edits;
  /// Where each edit's new text starts in the text after the edits: both
  /// lookups are binary searches (a file's check asks once per name).
  std::vector<int64_t> NewStarts;
};

/// False when no edit of \p Edits (sorted) on \p OldText can take a binding
/// away or add a read: each deletes text that binds nothing (no assignment
/// outside brackets, walrus, `def`, `class`, `import`, `as`, `for` outside
/// brackets, `global`, `nonlocal`, `case`) and puts back no name but `pass`.
/// Such a file needs no check: what it reads is still bound.
bool mayChangeBindings(llvm::StringRef OldText, llvm::ArrayRef<Edit> Edits);

/// A top-level name of a module that the plan's edits unbind, or a member
/// of one of its classes (`Class.member`) that they take away.
struct LostName {
  std::string RuleId;
  std::string Where; ///< `path:line` of the binding the plan removed.
  /// A member set through `self.NAME = ...` (its assignment was removed,
  /// not its definition).
  bool Assigned = false;
};

/// A member of a class of an edited file that its edits take away (no
/// binding of it is left, and no class of the file in its bases provides
/// it): lost, unless a class of another module in Ask provides it.
struct MemberLoss {
  std::string Class; ///< Qualified.
  std::string Name;
  unsigned Offset = 0; ///< Of its first binding before the edits.
  unsigned Line = 0;
  bool Assigned = false; ///< Only set through `self.NAME = ...`.
  std::vector<std::string> Ask;
};

/// A read the edits keep of a member they take away: a leftover unless a
/// class of another module in Ask provides Member.
struct MemberRead {
  Diagnostic Leftover;        ///< Its rule: that of the edit at BindingOffset.
  unsigned BindingOffset = 0; ///< Of the lost member's first binding.
  std::string Member;
  std::vector<std::string> Ask;
  bool ClassObject = false; ///< See MemberUse.
};

/// What a file's edits do to its bindings, judged from the tree before and
/// the edits alone, without the text after: cheap enough for every file the
/// cascade edits. Until settled, a file whose edits may leave a read
/// without its binding needs the texts compared.
struct BindingImpact {
  /// The texts before and after must be compared (checkEditedFile).
  bool NeedsCheck = false;
  /// The top-level names the edits unbind (every binding of the name in the
  /// module goes), each with the offset of its first binding; without a
  /// rule, the cause is the edit at that offset.
  struct TopLevel {
    std::string Name;
    unsigned Offset = 0;
    LostName Why;
  };
  std::vector<TopLevel> Lost;
  /// Reads left without a binding; without a rule, the cause is the edit
  /// that deletes the binding at BindingOffset.
  struct Read {
    Diagnostic Leftover;
    unsigned BindingOffset = 0;
  };
  std::vector<Read> Unbound;
  /// Reads of module globals the edits leave only ever None (every binding
  /// they keep is `X = None`, and one they delete set something else) as
  /// `X.a`, `X[i]` or `X(...)`, untested by a condition around them.
  std::vector<Read> OnlyNone;
  /// Top-level `from M import *` of project modules that the edits delete:
  /// what M exports is no longer a name of this module, but for the names
  /// the module still binds itself (Kept).
  struct LostStar {
    std::string Module;
    unsigned Offset = 0; ///< Of the import statement.
    unsigned Line = 0;
    std::vector<std::string> Kept;
  };
  std::vector<LostStar> LostStars;
  /// Only when an edit deletes a member's binding (editsDeleteMember): the
  /// members the edits take away, and the reads of them they keep.
  std::vector<MemberLoss> LostMembers;
  std::vector<MemberRead> MemberReads;
};

/// The impact of \p Edits (sorted, non-overlapping) on \p Before; imported
/// classes are resolved against \p Modules.
BindingImpact bindingImpact(const ParsedFile &Before, llvm::ArrayRef<TextEdit> Edits,
                            const ModuleIndex &Modules);

/// Settles an \p Impact that needs a check while \p Before's tree is at
/// hand: the text after \p Edits is parsed incrementally and compared.
/// Left as it is when that text does not parse.
void settleImpact(BindingImpact &Impact, const ParsedFile &Before,
                  llvm::ArrayRef<Edit> Edits, const ModuleIndex &Modules);

/// Answers whether the class \p Class of another module (qualified) or one
/// of its bases may provide the attribute \p Member: true unless the
/// project shows it does not.
/// With \p ClassObject, the class object is asked (`C.X`), which what sets
/// its instances' attributes does not reach.
using MemberProvider = llvm::function_ref<bool(llvm::StringRef Class, llvm::StringRef Member,
                                               bool ClassObject)>;

struct EditedFileCheck {
  std::vector<Diagnostic> Leftovers;
  /// The module's top-level names bound before and not after, and the
  /// members of its classes (`Class.member`, the class's name in the module)
  /// no longer set or defined.
  llvm::StringMap<LostName> Lost;
  /// The facts after, with offsets mapped to the text before.
  BindingFacts After;
  /// The reads of members of other modules' classes after, offsets mapped.
  std::vector<MemberUse> MemberUses;
};

/// Compares \p Before with \p After, which is Before's text with \p Edits
/// applied; both parsed. A file that moves keeps its reads checked; its
/// module's names are not handed on (\p Moved).
/// Also checks the attributes: a read of a member of a class of the file
/// that the edits take away (and no base provides, as far as this file and
/// \p Provides tell) is a leftover.
EditedFileCheck checkEditedFile(const ParsedFile &Before, const ParsedFile &After,
                                llvm::ArrayRef<Edit> Edits,
                                const ModuleIndex &Modules, bool Moved,
                                MemberProvider Provides, AttributeSource Inherited = nullptr);

/// The message of a leftover at a use of \p Name that \p Module no longer
/// binds (\p Why says where the plan removed it).
std::string lostNameMessage(llvm::StringRef Module, llvm::StringRef Name,
                            const LostName &Why, bool ThroughStar);

/// The message of a leftover at a read of the member \p Member of class
/// \p Class (its name in its module) that the plan takes away.
std::string lostMemberMessage(llvm::StringRef Class, llvm::StringRef Member,
                              const LostName &Why);

/// True when a lookup of \p Member through \p Use's classes fails now that
/// \p Lost, one of them, lost it: every class of another module in the way
/// but Lost is asked \p Provides.
bool lookupFails(const MemberUse &Use, llvm::StringRef Lost, MemberProvider Provides);

/// True when a class of \p Ask may provide \p Member (see MemberProvider).
bool anyProvides(llvm::ArrayRef<std::string> Ask, llvm::StringRef Member,
                 MemberProvider Provides, bool ClassObject = false);

} // namespace excise

#endif
