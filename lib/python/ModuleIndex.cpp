//===- ModuleIndex.cpp ----------------------------------------------------===//
#include "python/ModuleIndex.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace excise {

static bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || llvm::isDigit(S.front()))
    return false;
  return llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || static_cast<unsigned char>(C) >= 0x80;
  });
}

ModuleIndex::ModuleIndex(llvm::StringRef Root,
                         const std::vector<std::string> &Files) {
  llvm::SmallString<128> Normal(Root);
  llvm::sys::path::remove_dots(Normal, /*remove_dot_dot=*/true,
                               llvm::sys::path::Style::posix);
  ImportRoot = Normal == "." ? "" : std::string(Normal.str());
  for (const std::string &F : Files) {
    std::string M = moduleOf(F);
    if (M.empty())
      continue;
    // A module file wins over a same-named package only in Python's own
    // order: the package. Keep the first `__init__.py` we see.
    if (isPackageFile(F) || !FileOfModule.count(M))
      FileOfModule[M] = F;
    if (isPackageFile(F))
      Packages[M] = true;
    // Every parent is a package, namespace packages included.
    for (size_t Dot = M.rfind('.'); Dot != std::string::npos;
         Dot = M.rfind('.', Dot - 1)) {
      Packages[M.substr(0, Dot)] = true;
      if (Dot == 0)
        break;
    }
  }
}

bool ModuleIndex::isPackageFile(llvm::StringRef File) {
  return llvm::sys::path::filename(File, llvm::sys::path::Style::posix) ==
         "__init__.py";
}

std::string ModuleIndex::moduleOf(llvm::StringRef File) const {
  llvm::StringRef Rel = File;
  if (!ImportRoot.empty()) {
    if (!Rel.consume_front(ImportRoot) || !Rel.consume_front("/"))
      return "";
  }
  if (!Rel.consume_back(".py"))
    return "";
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Rel.split(Parts, '/');
  if (!Parts.empty() && Parts.back() == "__init__")
    Parts.pop_back();
  if (Parts.empty() || !llvm::all_of(Parts, isIdentifier))
    return "";
  return llvm::join(Parts, ".");
}

std::string ModuleIndex::fileOf(llvm::StringRef Module) const {
  auto It = FileOfModule.find(Module);
  return It == FileOfModule.end() ? "" : It->second;
}

bool ModuleIndex::isPackage(llvm::StringRef Module) const {
  return Packages.count(Module) != 0;
}

std::vector<std::string> ModuleIndex::modulesUnder(llvm::StringRef Module) const {
  std::vector<std::string> Result;
  for (const auto &Entry : FileOfModule) {
    llvm::StringRef M = Entry.getKey();
    if (Module.empty() || M == Module || (M.startswith(Module) && M.size() > Module.size() &&
                        M[Module.size()] == '.'))
      Result.push_back(M.str());
  }
  std::sort(Result.begin(), Result.end());
  return Result;
}

std::string ModuleIndex::longestModulePrefix(llvm::StringRef Name) const {
  for (llvm::StringRef Prefix = Name; !Prefix.empty();) {
    if (hasModule(Prefix))
      return Prefix.str();
    size_t Dot = Prefix.rfind('.');
    if (Dot == llvm::StringRef::npos)
      break;
    Prefix = Prefix.take_front(Dot);
  }
  return "";
}

} // namespace excise
