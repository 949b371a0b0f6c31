//===- BindingFacts.h - What one file's names resolve to --------*- C++ -*-===//
//
// The binding invariant compares a file before and after the plan: every name
// that resolved before must resolve after, or be a reported leftover. These
// are the facts of one text that the comparison needs, read off its scopes:
// the reads that no binding reaches, the names the module binds at its top
// level, the modules it imports with `*`, and the names it takes from other
// project modules (`from m import X`, `m.X`, `m.sub.X`).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_INVARIANT_BINDINGFACTS_H
#define EXCISE_INVARIANT_BINDINGFACTS_H

#include "python/ModuleIndex.h"
#include "semantics/Project.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace excise {

/// A read of a name that no binding reaches: no scope binds it (and it is no
/// builtin), or the scope that binds it does so only after the read and not
/// in a loop around it.
struct UnboundRead {
  unsigned Offset = 0;
  std::string Name;
  /// The scope binds the name, later: at run time "may be unbound"
  /// (UnboundLocalError) rather than a NameError.
  bool BoundLater = false;
};

/// A name taken from another project module: `from Module import Name`, or
/// `Module.Name` through an import of Module (or of a package above it).
struct ModuleUse {
  unsigned Offset = 0; ///< Of the imported name, or of the whole `m.X`.
  std::string Module;
  std::string Name;
  bool IsImport = false; ///< `from Module import Name`; else an attribute.
  /// For an import at the top level: the name it binds, which the module
  /// then passes on to its own importers.
  std::string BoundAs;
};

struct BindingFacts {
  std::vector<UnboundRead> Unbound; ///< In source order.
  /// Names the module binds at its top level (or through `global`), each
  /// with the offset of its first binding.
  llvm::StringMap<unsigned> ModuleNames;
  /// Project modules imported with `from M import *` at the top level.
  std::vector<std::string> StarModules;
  std::vector<ModuleUse> Uses; ///< In source order.
};

/// A member of a class: a name its body binds (a method, a class attribute,
/// a nested class), or an attribute its methods set on their first
/// parameter (`self.NAME = ...`, `self.NAME += ...`, `cls.NAME = ...`).
struct ClassMember {
  unsigned Offset = 0;     ///< Of its first binding, in source order.
  bool OnInstance = false; ///< Only set through the first parameter.
};

/// One class of a file, as far as looking up an attribute on it goes.
struct ClassFacts {
  llvm::StringMap<ClassMember> Members;
  /// Its bases but `object`, qualified (see MemberFacts::Classes), in order.
  std::vector<std::string> Bases;
  /// Attributes may come from where the project cannot tell: a base that is
  /// neither a class of this file nor a name of a project module (`Exception`,
  /// `models.Model`, `Base[T]`), a metaclass, `__getattr__`,
  /// `__getattribute__`, `setattr(`, `self.__dict__` or `vars(self)` in its
  /// body. (`__slots__` provides no value: an unset slot fails to read.)
  bool Open = false;
};

/// A read of an attribute `obj.X` of an object whose class the file tells:
/// `self.X` and `cls.X` in a method, `C.X`, `C(...).X`, `v.X` where the last
/// binding of `v` before it is `v = C(...)`, `p.X` where the parameter `p`
/// is annotated `C`, `self.a.X` where the class only sets `self.a = C(...)`.
struct MemberUse {
  unsigned Offset = 0; ///< Of the attribute expression.
  std::string Member;
  /// The classes the lookup of Member goes through, none of which binds it
  /// in this text: the object's class and its ancestors in this file, and
  /// the classes of other modules among their bases (where this file's
  /// search stops).
  std::vector<std::string> Classes, Others;
};

struct MemberFacts {
  /// The classes defined at the top level or in class bodies, by qualified
  /// name: `pkg.mod.Outer.Inner`, or `Outer.Inner` in a file outside the
  /// import root.
  llvm::StringMap<ClassFacts> Classes;
  std::vector<MemberUse> Uses; ///< In source order; empty unless asked for.
};

/// The classes of \p File, which must have parsed, and with \p WithUses the
/// reads of their members (and of the members of classes it imports from
/// \p Modules). Member bindings whose name node \p Gone answers true for
/// are left out: the classes as edits that delete them leave them.
MemberFacts memberFacts(const ParsedFile &File, const ModuleIndex &Modules, bool WithUses,
                        llvm::function_ref<bool(Node)> Gone = nullptr);

/// The edit of \p Edits (sorted, non-overlapping) whose replaced range holds
/// \p Offset, or null.
const TextEdit *editAt(llvm::ArrayRef<TextEdit> Edits, unsigned Offset);

/// \p Edits (sorted) of the text \p Src, each edit that only cuts one span
/// out of the text it replaces (an `else` branch dropped from an `if` said
/// again) written as the deletion of that span, so that which words it keeps
/// is known: the same text after, told word by word.
std::vector<TextEdit> asDeletions(llvm::StringRef Src, llvm::ArrayRef<TextEdit> Edits);

/// True when an edit of \p Edits (sorted) replaces the name \p Name of
/// \p File with a text that says it fewer times than the text it replaces
/// (which occurrence went, only the text after tells).
bool deletedByEdits(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits, Node Name);

/// True when an edit of \p Edits (sorted) deletes a binding of a class
/// member of \p File (see ClassMember) of a class it leaves: only then
/// can the plan make an attribute read fail.
bool editsDeleteMember(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits);

/// True when every path through the code of \p Read's own scope to the
/// read runs a statement that binds its name: a parameter, a binding
/// statement before it in a block that holds it, or an `if`/`elif`/`else`,
/// `try`/`except`, `with` before it all of whose paths bind it or leave.
/// False for reads in nested functions, lambdas and comprehensions.
/// Bindings for which \p Ignored answers true are not counted.
bool definitelyBound(const ParsedFile &File, const Reference &Read,
                     llvm::function_ref<bool(const Binding *)> Ignored = nullptr);

/// A read `self.X.a`, `self.X[i]` or `self.X(...)` in a method of a class
/// whose every assignment of `self.X` the edits keep is `self.X = None`,
/// while one they delete set something else.
struct NoneMemberRead {
  unsigned Offset = 0; ///< Of `self.X`.
  std::string Class;   ///< The class's name.
  std::string Member;
  unsigned SetterOffset = 0; ///< Of the deleted assignment's `X`.
};

/// The reads of attributes set on `self` that \p Edits (sorted) leave only
/// ever None in \p File, untested by a condition around or before them
/// (see testedAround).
std::vector<NoneMemberRead> noneOnlyMemberReads(const ParsedFile &File,
                                                llvm::ArrayRef<TextEdit> Edits);

/// True when a condition that must hold, or was tested, where \p Read
/// stands mentions \p Name: the condition of an `if`, `elif`, `while`, an
/// `and` or a conditional expression around it, or of an `if` statement
/// before it in a block around it (`if X is None: return`).
bool testedAround(Node Read, llvm::StringRef Name, llvm::StringRef Src);

/// The facts of \p File, which must have parsed; module names are resolved
/// against \p Modules.
BindingFacts bindingFacts(const ParsedFile &File, const ModuleIndex &Modules);

} // namespace excise

#endif
