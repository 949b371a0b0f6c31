//===- BindingPass.h - The binding invariant over the tree ------*- C++ -*-===//
//
// After the cascade, as each edited file's change is made, its text before
// and after are compared (lib/invariant/BindingCheck.h): a read left without
// a binding is a leftover. The top-level names an edited module no longer
// binds are then followed into the files that take them (`from m import X`,
// `m.X`) and through `from m import *` into the modules that pass them on,
// until no module loses a name more. Every break found that the cascade did
// not already report at that place becomes a leftover: the run never leaves
// a name unbound without saying so.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_DRIVER_BINDINGPASS_H
#define EXCISE_DRIVER_BINDINGPASS_H

#include "driver/Run.h"
#include "edit/Edit.h"
#include "invariant/BindingCheck.h"
#include "python/ModuleIndex.h"
#include "source/SourceFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace excise {

/// The tree the importers are looked for in; everything outlives the call.
struct ImporterInputs {
  llvm::vfs::FileSystem &FS;
  const RunOptions &Options; ///< Root and Paths.
  unsigned Jobs;
  const std::vector<std::string> &PythonFiles;
  /// The bytes of some of them, as the cascade read them (parallel to
  /// PythonFiles; none for the others, which are read).
  const std::vector<std::optional<llvm::StringRef>> &Kept;
  /// Files not to read: deleted by the plan, or edited (checked already).
  const std::set<std::string> &Skipped;
};

class BindingPass {
public:
  /// The classes of modules that edited files' classes inherit from are
  /// read from \p FS under \p Root; everything outlives the pass.
  BindingPass(const ModuleIndex &Modules, llvm::vfs::FileSystem &FS, std::string Root)
      : Modules(Modules), FS(FS), Root(std::move(Root)) {}

  /// Checks the edited Python file \p Path: \p OldText with \p Edits (sorted)
  /// applied is \p NewText. Nothing when the text before did not parse.
  /// Meant for the files whose edits may take a binding away
  /// (mayChangeBindings). Thread-safe.
  void checkEdited(const std::string &Path, llvm::StringRef OldText,
                   llvm::StringRef NewText, llvm::ArrayRef<Edit> Edits, bool Moved);

  /// Notes the edited Python file \p Path, whose text before is \p OldText,
  /// when checkEdited did not check it: it may take a name another module
  /// lost; what the edits \p Edits delete (\p NewText is the text after
  /// them) is not counted. Call after every
  /// checkEdited and addLost.
  /// Thread-safe.
  void noteEdited(const std::string &Path, llvm::StringRef OldText,
                  llvm::StringRef NewText, llvm::ArrayRef<Edit> Edits);

  /// Records what the cascade's analysis told of the edited file \p Path
  /// (\p Impact, which needs no check of the text after): the top-level
  /// names its edits \p Edits unbind and the reads they leave unbound.
  /// Thread-safe.
  void addImpact(const std::string &Path, const BindingImpact &Impact,
                 llvm::ArrayRef<Edit> Edits, bool Moved);

  /// Follows the lost names into the files that take them, then adds every
  /// break found to \p Result, but those at a place a diagnostic already
  /// names, each counted as a leftover of its rule in \p Summary.
  llvm::Error finish(const ImporterInputs &In, RunResult &Result,
                     std::map<std::string, RuleSummary> &Summary);

private:
  /// What is kept of an edited file for the importers' check.
  struct EditedFile {
    std::string Module;
    BindingFacts After; ///< Offsets in the text before.
    std::unique_ptr<SourceFile> Before;
    /// Reads of members of other modules' classes, offsets in the text before.
    std::vector<MemberUse> MemberUses;
  };
  using LostNames = std::map<std::string, llvm::StringMap<LostName>>;

  /// Which files may take lost names, told from their text alone.
  class Index {
  public:
    explicit Index(const LostNames &Lost);
    /// True when \p Text (of module \p FileModule) mentions a lost name and
    /// may import a module that lost it, or imports with `*` and may import
    /// a module that lost anything.
    bool mayTake(llvm::StringRef Text, llvm::StringRef FileModule) const;

  private:
    std::vector<std::string> Modules;
    llvm::StringMap<std::vector<std::string>> ModulesOf; ///< Name -> modules.
    /// Member -> the class (its first segment) and module that lost it.
    llvm::StringMap<std::vector<std::pair<std::string, std::string>>> MembersOf;
  };

  /// Adds to \p Found the uses in \p File (of \p Module, with \p Facts and
  /// \p MemberUses) of the names and members in \p Frontier, and to \p Next
  /// the names it passes on.
  void examine(const SourceFile &File, llvm::StringRef Module, const BindingFacts &Facts,
               llvm::ArrayRef<MemberUse> MemberUses, const LostNames &Frontier,
               LostNames &Next, std::vector<Diagnostic> &Found);

  /// True unless the project shows that the class \p Class (qualified) and
  /// its bases do not provide \p Member (see MemberProvider). Thread-safe.
  bool mayProvide(llvm::StringRef Class, llvm::StringRef Member, bool ClassObject);
  /// The facts of the class \p Class of a project module, a package's
  /// re-export followed to where the class is defined (\p Where, qualified,
  /// in the facts \p In); null when the project does not show it.
  const ClassFacts *projectClass(llvm::StringRef Class, std::string &Where,
                                 const MemberFacts *&In);
  /// What the class \p Class of another module, or a base of it, sets
  /// `self.<Attr>` to (see AttributeSource).
  std::vector<std::string> inheritedAttributeClasses(llvm::StringRef Class, llvm::StringRef Attr);
  /// The reads in \p F of members of classes of other modules.
  std::vector<MemberUse> otherModulesMemberUses(const ParsedFile &F);
  /// The classes of \p Module, read on first use; null when it cannot be
  /// read or parsed. Thread-safe.
  const MemberFacts *classesOf(const std::string &Module);
  /// The names `from Module import *` binds: its `__all__` when that is a
  /// literal list or tuple of strings, else its top-level names that do not
  /// start with `_`. Empty when it cannot be read or parsed.
  std::vector<std::string> starExports(const std::string &Module);

  const ModuleIndex &Modules;
  llvm::vfs::FileSystem &FS;
  std::string Root;
  std::mutex ClassesLock;
  std::map<std::string, std::unique_ptr<MemberFacts>> Classes; ///< By module.
  std::mutex Lock;
  std::vector<Diagnostic> Found;
  std::vector<EditedFile> Edited;
  std::set<std::string> Checked; ///< By checkEdited.
  LostNames Lost;
  std::optional<Index> LostIndex; ///< Of Lost, made on first use.
};

} // namespace excise

#endif
