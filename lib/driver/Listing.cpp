//===- Listing.cpp --------------------------------------------------------===//
#include "driver/Listing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

namespace excise {

namespace {

namespace path = llvm::sys::path;
using llvm::sys::fs::file_type;

/// Directories that never hold the service's code: version control, virtual
/// environments, dependencies, build output and tool caches.
bool isDefaultSkipped(llvm::StringRef Name) {
  return Name == "node_modules" || Name == "__pycache__" || Name == ".venv" ||
         Name == "venv" || Name == ".tox" || Name == ".nox" ||
         Name == ".mypy_cache" || Name == ".pytest_cache" ||
         Name == ".ruff_cache" || Name == "build" || Name == "dist" ||
         Name == ".eggs";
}

/// Version control metadata: never part of the tree, whatever the options.
bool isVersionControl(llvm::StringRef Name) {
  return Name == ".git" || Name == ".hg" || Name == ".svn";
}

/// One line of a .gitignore file (gitignore(5)): a glob, matched against the
/// path below the file's directory when it has a slash before its end and
/// against the last component otherwise. `*` here also crosses '/', so an
/// anchored `a/*` excludes what is below `a/` too, as `a/**` would.
struct IgnoreRule {
  std::string Base; ///< The .gitignore's directory, relative to the root.
  std::vector<llvm::GlobPattern> Globs; ///< Any one matching is a match.
  bool Negated = false;
  bool DirectoryOnly = false;
  bool Anchored = false;

  bool matches(llvm::StringRef Rel, bool IsDirectory) const {
    if (DirectoryOnly && !IsDirectory)
      return false;
    llvm::StringRef Sub = Rel;
    if (!Base.empty()) {
      if (!Sub.consume_front(Base) || !Sub.consume_front("/"))
        return false;
    }
    llvm::StringRef Target = Anchored ? Sub : path::filename(Sub, path::Style::posix);
    return llvm::any_of(Globs, [&](const llvm::GlobPattern &G) { return G.match(Target); });
  }
};

/// The rules of the .gitignore file with \p Text, in directory \p Base.
/// GlobPattern keeps pointers into the text it was made from, so the texts
/// are kept by \p Saver.
void parseGitignore(llvm::StringRef Text, llvm::StringRef Base,
                    std::vector<IgnoreRule> &Rules, llvm::StringSaver &Saver) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line = Line.rtrim("\r");
    // Trailing spaces go unless the last one is escaped.
    while (Line.endswith(" ") && !Line.endswith("\\ "))
      Line = Line.drop_back();
    if (Line.empty() || Line.startswith("#"))
      continue;
    IgnoreRule R;
    R.Base = Base.str();
    if (Line.consume_front("!"))
      R.Negated = true;
    else
      Line.consume_front("\\"); // `\!` and `\#` start a literal pattern.
    if (Line.consume_back("/"))
      R.DirectoryOnly = true;
    R.Anchored = Line.contains('/');
    Line.consume_front("/");
    if (Line.empty())
      continue;
    // `**/x` also matches x itself, and `a/**/b` also a/b.
    std::vector<std::string> Variants{Line.str()};
    if (Line.startswith("**/"))
      Variants.push_back(Line.drop_front(3).str());
    for (size_t I = 0; I < Variants.size(); ++I)
      if (size_t Pos = Variants[I].find("/**/"); Pos != std::string::npos)
        Variants.push_back(Variants[I].substr(0, Pos) + Variants[I].substr(Pos + 3));
    for (const std::string &V : Variants)
      if (auto G = llvm::GlobPattern::create(Saver.save(V)))
        R.Globs.push_back(std::move(*G));
      else
        llvm::consumeError(G.takeError()); // As git does: a bad line matches nothing.
    if (!R.Globs.empty())
      Rules.push_back(std::move(R));
  }
}

/// True when the last rule that matches \p Rel excludes it.
bool isIgnored(const std::vector<IgnoreRule> &Rules, llvm::StringRef Rel,
               bool IsDirectory) {
  for (auto It = Rules.rbegin(); It != Rules.rend(); ++It)
    if (It->matches(Rel, IsDirectory))
      return !It->Negated;
  return false;
}

class Lister {
public:
  Lister(llvm::vfs::FileSystem &FS, llvm::StringRef Root, const ListingOptions &O)
      : FS(FS), Root(Root), Options(O) {}

  llvm::Error list(const std::string &Rel, std::vector<std::string> &Files) {
    std::string Dir = full(Rel);
    size_t RulesBefore = Rules.size();
    if (Options.RespectGitignore) {
      llvm::SmallString<256> Ignore(Dir);
      path::append(Ignore, ".gitignore");
      if (auto Buffer = FS.getBufferForFile(Ignore, -1, false))
        parseGitignore((*Buffer)->getBuffer(), Rel, Rules, Saver);
    }
    std::error_code EC;
    for (llvm::vfs::directory_iterator It = FS.dir_begin(Dir, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef Name = path::filename(It->path());
      std::string ChildRel = Rel.empty() ? Name.str() : Rel + "/" + Name.str();
      // Symbolic links are never followed: what they point at may be
      // outside the root, and writing through them would change it.
      if (It->type() == file_type::directory_file) {
        if (isVersionControl(Name) || isIgnored(Rules, ChildRel, true))
          continue;
        if (Options.SkipDefaultDirectories &&
            (isDefaultSkipped(Name) || isVirtualenv(full(ChildRel))))
          continue;
        if (llvm::Error Err = list(ChildRel, Files))
          return Err;
        continue;
      }
      if (It->type() != file_type::regular_file || isIgnored(Rules, ChildRel, false))
        continue;
      // What an interrupted `apply` left behind is not part of the tree.
      if (Name.rsplit(".excise-").second.size() == 6)
        continue;
      Files.push_back(std::move(ChildRel));
    }
    Rules.resize(RulesBefore);
    if (EC)
      return llvm::createStringError(EC, "%s: cannot list: %s", Dir.c_str(),
                                     EC.message().c_str());
    return llvm::Error::success();
  }

private:
  llvm::vfs::FileSystem &FS;
  llvm::StringRef Root;
  const ListingOptions &Options;
  std::vector<IgnoreRule> Rules;
  llvm::BumpPtrAllocator Arena;
  llvm::StringSaver Saver{Arena};

  std::string full(llvm::StringRef Rel) const {
    llvm::SmallString<256> P(Root);
    if (!Rel.empty())
      path::append(P, path::Style::posix, Rel);
    return std::string(P.str());
  }

  /// A virtual environment, whatever its name: it has a pyvenv.cfg.
  bool isVirtualenv(const std::string &Dir) const {
    llvm::SmallString<256> Cfg(Dir);
    path::append(Cfg, "pyvenv.cfg");
    auto S = FS.status(Cfg);
    return S && S->isRegularFile();
  }
};

} // namespace

llvm::Expected<std::vector<std::string>>
listTree(llvm::vfs::FileSystem &FS, llvm::StringRef Root, const ListingOptions &Options) {
  std::vector<std::string> Files;
  Lister L(FS, Root, Options);
  if (llvm::Error Err = L.list("", Files))
    return std::move(Err);
  llvm::sort(Files);
  return Files;
}

} // namespace excise
