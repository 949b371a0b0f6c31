//===- Listing.cpp --------------------------------------------------------===//
#include "driver/Listing.h"

#include "driver/Parallel.h"
#include "source/TreeLock.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

#include <iterator>
#include <memory>

namespace excise {

namespace {

namespace path = llvm::sys::path;
using llvm::sys::fs::file_type;

/// Directories that never hold the service's code: virtual environments,
/// dependencies and tool caches.
bool isDefaultSkipped(llvm::StringRef Name) {
  return Name == "node_modules" || Name == "__pycache__" || Name == ".venv" ||
         Name == "venv" || Name == ".tox" || Name == ".nox" ||
         Name == ".mypy_cache" || Name == ".pytest_cache" ||
         Name == ".ruff_cache" || Name == ".eggs";
}

/// Build output (`build`, `dist`): skipped unless the directory is a Python
/// package itself (pip has `pip/_internal/operations/build/`), which its
/// `__init__.py` says; setuptools' build/lib/... has none at its top.
bool isBuildOutputName(llvm::StringRef Name) {
  return Name == "build" || Name == "dist";
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
        // Why dropped: as git does, a bad .gitignore line matches nothing.
        llvm::consumeError(G.takeError());
    if (!R.Globs.empty())
      Rules.push_back(std::move(R));
  }
}

/// The .gitignore rules in force in one directory: its own file's, then
/// those of the directories above it. GlobPattern keeps pointers into the
/// text it was made from, so a level keeps its texts too.
struct RuleLevel {
  std::vector<IgnoreRule> Rules;
  std::shared_ptr<const RuleLevel> Parent;
  llvm::BumpPtrAllocator Arena;
  llvm::StringSaver Saver{Arena};
};

/// True when the last rule that matches \p Rel excludes it: the deepest
/// .gitignore first, each file's last line first.
bool isIgnored(const RuleLevel *Level, llvm::StringRef Rel, bool IsDirectory) {
  for (; Level; Level = Level->Parent.get())
    for (auto It = Level->Rules.rbegin(); It != Level->Rules.rend(); ++It)
      if (It->matches(Rel, IsDirectory))
        return !It->Negated;
  return false;
}

/// A directory to list, relative to the root, and the rules above it.
struct Directory {
  std::string Rel;
  std::shared_ptr<const RuleLevel> Rules;
};

/// What listing one directory found.
struct DirectoryListing {
  std::vector<std::string> Files;
  std::vector<Directory> Subdirectories;
  std::error_code Error;
};

class Lister {
public:
  Lister(llvm::vfs::FileSystem &FS, llvm::StringRef Root, const ListingOptions &O)
      : FS(FS), Root(Root), Options(O) {}

  /// The entries of \p D, filtered. Everything a directory needs is read
  /// from its own entries, so listing it costs no failed lookups: its
  /// .gitignore only when it has one, and whether it is a virtualenv from
  /// a `pyvenv.cfg` among them.
  DirectoryListing list(const Directory &D) const {
    DirectoryListing Out;
    std::string Dir = full(D.Rel);
    struct Entry {
      std::string Name;
      file_type Type;
    };
    std::vector<Entry> Entries;
    bool HasGitignore = false, HasVenvConfig = false;
    std::error_code EC;
    for (llvm::vfs::directory_iterator It = FS.dir_begin(Dir, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef Name = path::filename(It->path());
      HasGitignore |= Name == ".gitignore";
      HasVenvConfig |= Name == "pyvenv.cfg";
      Entries.push_back({Name.str(), It->type()});
    }
    if (EC) {
      Out.Error = EC;
      return Out;
    }
    // A virtual environment, whatever its name, has a pyvenv.cfg (the
    // root is listed whatever it is).
    if (HasVenvConfig && Options.SkipDefaultDirectories && !D.Rel.empty()) {
      auto S = FS.status(full(D.Rel + "/pyvenv.cfg"));
      if (S && S->isRegularFile())
        return Out;
    }
    std::shared_ptr<const RuleLevel> Rules = D.Rules;
    if (Options.RespectGitignore && HasGitignore) {
      if (auto Buffer = FS.getBufferForFile(full(join(D.Rel, ".gitignore")), -1, false)) {
        auto Level = std::make_shared<RuleLevel>();
        parseGitignore((*Buffer)->getBuffer(), D.Rel, Level->Rules, Level->Saver);
        if (!Level->Rules.empty()) {
          Level->Parent = D.Rules;
          Rules = std::move(Level);
        }
      }
    }
    for (Entry &E : Entries) {
      std::string ChildRel = join(D.Rel, E.Name);
      // Symbolic links are never followed: what they point at may be
      // outside the root, and writing through them would change it.
      if (E.Type == file_type::directory_file) {
        if (isVersionControl(E.Name) || isIgnored(Rules.get(), ChildRel, true))
          continue;
        if (Options.SkipDefaultDirectories && isDefaultSkipped(E.Name))
          continue;
        if (Options.SkipDefaultDirectories && isBuildOutputName(E.Name)) {
          auto Init = FS.status(full(ChildRel + "/__init__.py"));
          if (!Init || !Init->isRegularFile())
            continue;
        }
        Out.Subdirectories.push_back({std::move(ChildRel), Rules});
        continue;
      }
      if (E.Type != file_type::regular_file || isIgnored(Rules.get(), ChildRel, false))
        continue;
      // What an interrupted `apply` left behind is not part of the tree.
      if (isApplyTemporary(E.Name))
        continue;
      Out.Files.push_back(std::move(ChildRel));
    }
    return Out;
  }

  std::string full(llvm::StringRef Rel) const {
    llvm::SmallString<256> P(Root);
    if (!Rel.empty())
      path::append(P, path::Style::posix, Rel);
    return std::string(P.str());
  }

private:
  llvm::vfs::FileSystem &FS;
  llvm::StringRef Root;
  const ListingOptions &Options;

  static std::string join(llvm::StringRef Rel, llvm::StringRef Name) {
    return Rel.empty() ? Name.str() : (Rel + "/" + Name).str();
  }
};

} // namespace

llvm::Expected<std::vector<std::string>>
listTree(llvm::vfs::FileSystem &FS, llvm::StringRef Root, const ListingOptions &Options) {
  // Level by level, the directories of a level listed in parallel: a
  // directory's listing is a few system calls, and a tree has hundreds.
  Lister L(FS, Root, Options);
  std::vector<std::string> Files;
  std::vector<Directory> Level{{"", nullptr}};
  while (!Level.empty()) {
    std::vector<DirectoryListing> Listed(Level.size());
    forEachIndex(Options.Jobs, Level.size(),
                 [&](size_t I) { Listed[I] = L.list(Level[I]); });
    std::vector<Directory> Next;
    for (size_t I = 0; I < Level.size(); ++I) {
      DirectoryListing &D = Listed[I];
      if (D.Error) {
        // The first failure in path order, whatever the thread timing.
        size_t First = I;
        for (size_t J = I + 1; J < Level.size(); ++J)
          if (Listed[J].Error && Level[J].Rel < Level[First].Rel)
            First = J;
        return llvm::createStringError(Listed[First].Error, "%s: cannot list: %s",
                                       L.full(Level[First].Rel).c_str(),
                                       Listed[First].Error.message().c_str());
      }
      std::move(D.Files.begin(), D.Files.end(), std::back_inserter(Files));
      std::move(D.Subdirectories.begin(), D.Subdirectories.end(),
                std::back_inserter(Next));
    }
    Level = std::move(Next);
  }
  llvm::sort(Files);
  return Files;
}

std::string joinRoot(llvm::StringRef Root, llvm::StringRef Rel) {
  llvm::SmallString<256> P(Root);
  llvm::sys::path::append(P, llvm::sys::path::Style::posix, Rel);
  return std::string(P.str());
}

} // namespace excise
