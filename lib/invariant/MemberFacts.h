//===- MemberFacts.h - What one file's classes have --------------*- C++ -*-===//
//
// The members of the classes of one file, and the reads of members the file
// makes on objects whose class it can tell: what the binding check compares
// when the plan takes a method, a class attribute or an attribute set on
// `self` away.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_INVARIANT_MEMBERFACTS_H
#define EXCISE_INVARIANT_MEMBERFACTS_H

#include "python/ModuleIndex.h"
#include "python/SyntaxTree.h"
#include "semantics/Project.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace excise {

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
  /// Its bases but `object`, qualified (see MemberFacts::Classes), in order;
  /// a standard-library base whose attributes are known (LibraryClasses) by
  /// its name as imported (`unittest.TestCase`, `type`).
  std::vector<std::string> Bases;
  /// Its metaclass, when it is a class of the project (qualified): the class
  /// object, not its instances, has the metaclass's attributes.
  std::string Meta;
  /// Attributes may come from where the project cannot tell: a base that is
  /// neither a class of this file nor a name of a project module nor a known
  /// library class (`models.Model`, `Base[T]`), a metaclass from outside the
  /// project, `__getattr__`,
  /// `__getattribute__`, `setattr(`, `self.__dict__` or `vars(self)` in its
  /// body. (`__slots__` provides no value: an unset slot fails to read.)
  bool Open = false;
  /// Its instances' attributes may come from where the project cannot tell,
  /// its class object's not: `__getattr__`, `setattr(self, ...)`,
  /// `self.__dict__` or `vars(self)` written to.
  bool OpenInstances = false;
};

/// A read of an attribute `obj.X` of an object whose class the file tells:
/// `self.X` and `cls.X` in a method, `C.X`, `C(...).X`, `v.X` where the last
/// binding of `v` before it is `v = C(...)`, `p.X` where the parameter `p`
/// is annotated `C`, `self.a.X` where the class only sets `self.a = C(...)`.
struct MemberUse {
  unsigned Offset = 0; ///< Of the attribute expression.
  std::string Member;
  /// Read from the class object (`C.X`, `cls.X` in a classmethod), which
  /// its instances' attributes do not reach.
  bool ClassObject = false;
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
  /// The names the module imports at its top level, bound once, from a
  /// module of the project (`from .testcases import LiveServerTestCase`):
  /// name -> what it imports, qualified. A class re-exported by a package is
  /// looked up where it is defined.
  llvm::StringMap<std::string> Imported;
  /// Class -> attribute its methods set on `self` -> the classes of the
  /// objects they set it to, as far as the file tells (`self.a = C(...)`,
  /// `self.a = C(...) if t else None`).
  llvm::StringMap<llvm::StringMap<std::vector<std::string>>> AttributeClasses;
  std::vector<MemberUse> Uses; ///< In source order; empty unless asked for.
};

/// Answers the classes of the objects that the class \p Class of another
/// module (qualified), or a base of it, sets `self.<Attr>` to
/// (MemberFacts::AttributeClasses); empty when the project does not tell.
using AttributeSource =
    llvm::function_ref<std::vector<std::string>(llvm::StringRef Class, llvm::StringRef Attr)>;

/// The classes of \p File, which must have parsed, and with \p WithUses the
/// reads of their members (and of the members of classes it imports from
/// \p Modules). Member bindings whose name node \p Gone answers true for
/// are left out: the classes as edits that delete them leave them. What an
/// attribute set in a base of another module holds, \p Inherited answers.
MemberFacts memberFacts(const ParsedFile &File, const ModuleIndex &Modules, bool WithUses,
                        llvm::function_ref<bool(Node)> Gone = nullptr,
                        AttributeSource Inherited = nullptr);

/// True when an edit of \p Edits (sorted) deletes a binding of a class
/// member of \p File (see ClassMember) of a class it leaves: only then
/// can the plan make an attribute read fail.
bool editsDeleteMember(const ParsedFile &File, llvm::ArrayRef<TextEdit> Edits);

/// A use (see noneUses) of `self.X` in a method of a class whose every
/// assignment of `self.X` the edits keep is `self.X = None`, while one they
/// delete set something else.
struct NoneMemberRead {
  Node Read;          ///< `self.X`, or a read of the local it was copied into.
  std::string Alias;  ///< That local, or empty.
  std::string Class;   ///< The class's name.
  std::string Member;
  unsigned SetterOffset = 0; ///< Of the deleted assignment's `X`.
};

/// The uses of attributes set on `self` that \p Edits (sorted) leave only
/// ever None in \p File (see noneUses).
std::vector<NoneMemberRead> noneOnlyMemberReads(const ParsedFile &File,
                                                llvm::ArrayRef<TextEdit> Edits);

} // namespace excise

#endif
