//===- LibraryClasses.h - What standard-library bases provide ----*- C++ -*-===//
//
// The attributes of the standard-library classes that services subclass most
// (`unittest.TestCase`, `threading.Thread`, `logging.Handler`, `type`...), so
// that a project class with such a base is not taken to get any attribute
// from it.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_PYTHON_LIBRARYCLASSES_H
#define EXCISE_PYTHON_LIBRARYCLASSES_H

#include "llvm/ADT/StringRef.h"

namespace excise {

/// True when \p Class (qualified as imported: `unittest.TestCase`, or a
/// builtin's name: `dict`, `type`) is a library class whose attributes are
/// known.
bool isKnownLibraryClass(llvm::StringRef Class);

/// True when the known library class \p Class has the attribute \p Member,
/// on the class or on an instance made by its `__init__` (CPython 3.11).
bool libraryClassHas(llvm::StringRef Class, llvm::StringRef Member);

} // namespace excise

#endif
