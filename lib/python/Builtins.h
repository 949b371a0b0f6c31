//===- Builtins.h - Names Python binds without a statement ------*- C++ -*-===//
#ifndef EXCISE_PYTHON_BUILTINS_H
#define EXCISE_PYTHON_BUILTINS_H

#include "llvm/ADT/StringRef.h"

namespace excise {

/// True for a name every module sees without binding it: the builtins of
/// Python 3.11 (`len`, `ValueError`, `__import__`...) and the names the
/// interpreter sets in modules and class bodies (`__file__`, `__name__`,
/// `__qualname__`...).
bool isBuiltinName(llvm::StringRef Name);

/// True for a Python 3 keyword (`None`, `lambda`...), which names nothing.
bool isPythonKeyword(llvm::StringRef Name);

} // namespace excise

#endif
