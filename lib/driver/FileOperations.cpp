//===- FileOperations.cpp -------------------------------------------------===//
#include "driver/FileOperations.h"

#include "source/Words.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <optional>

namespace excise {
namespace {

namespace path = llvm::sys::path;

bool hasGlob(llvm::StringRef S) { return S.find_first_of("*?[") != llvm::StringRef::npos; }

std::string normalize(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  path::remove_dots(S, /*remove_dot_dot=*/true, path::Style::posix);
  std::string R = std::string(S.str());
  while (!R.empty() && R.back() == '/')
    R.pop_back();
  return R;
}

/// The files a path or glob of the plan stands for: the file itself, every
/// file under a directory, or every file a glob matches (`**` crossing
/// directories, as in .gitignore).
std::vector<std::string> expand(llvm::StringRef Pattern,
                                const std::vector<std::string> &Files) {
  std::vector<std::string> Out;
  std::string P = normalize(Pattern);
  if (!hasGlob(P)) {
    for (const std::string &F : Files)
      if (F == P || llvm::StringRef(F).startswith(P + "/"))
        Out.push_back(F);
    return Out;
  }
  // GlobPattern's '*' already crosses '/'; "**/" also matches nothing.
  std::vector<std::string> Variants{P};
  for (size_t Pos = P.find("**/"); Pos != std::string::npos; Pos = P.find("**/", Pos + 1))
    Variants.push_back(P.substr(0, Pos) + P.substr(Pos + 3));
  std::vector<llvm::GlobPattern> Globs;
  for (const std::string &V : Variants)
    if (auto G = llvm::GlobPattern::create(V))
      Globs.push_back(std::move(*G));
    else
      // Why dropped: a pattern that is not a valid glob matches no file,
      // which the plan note for a target found nowhere then says.
      llvm::consumeError(G.takeError());
  for (const std::string &F : Files)
    if (llvm::any_of(Globs, [&](const llvm::GlobPattern &G) { return G.match(F); }))
      Out.push_back(F);
  return Out;
}

/// Refuses \p Rel (relative to \p Root, normalized; written as \p Value in
/// the plan) when a component of it that exists is a symbolic link or
/// resolves outside the root: the listing never follows links, and writing
/// through one would change what it points at, perhaps outside the tree.
/// \p RealRoot is the root's real path.
llvm::Error checkNoSymlink(const Plan &P, const PlanString &Value,
                           llvm::StringRef Rel, llvm::vfs::FileSystem &FS,
                           llvm::StringRef Root, llvm::StringRef RealRoot) {
  llvm::SmallString<256> Component(Root), Unlinked(RealRoot);
  std::string Shown;
  for (auto It = path::begin(Rel, path::Style::posix), End = path::end(Rel);
       It != End; ++It) {
    path::append(Component, *It);
    path::append(Unlinked, *It);
    Shown += (Shown.empty() ? "" : "/") + It->str();
    // A component that does not exist is created by excise, and so is
    // everything below it.
    if (!FS.status(Component))
      return llvm::Error::success();
    llvm::SmallString<256> Real;
    if (std::error_code EC = FS.getRealPath(Component, Real))
      return llvm::createStringError(EC, "%s: cannot resolve: %s",
                                     Shown.c_str(), EC.message().c_str());
    if (Real == Unlinked)
      continue;
    bool Inside = path::replace_path_prefix(Real, RealRoot, "");
    return makePlanError(
        P, Value.Loc,
        Inside ? PlanErrorKind::InvalidValue : PlanErrorKind::PathOutsideRoot,
        "path '" + Value.Value + "' " +
            (Inside ? "goes through" : "leaves the root through") + " '" +
            Shown + "', a symbolic link; excise does not write through links");
  }
  return llvm::Error::success();
}

} // namespace

std::vector<Edit> findTextReplacements(llvm::StringRef Path, llvm::StringRef Text,
                                       const TextReplacement &R,
                                       llvm::StringRef RuleId) {
  std::vector<Edit> Out;
  auto Add = [&](size_t Offset, size_t Length, std::string With) {
    Edit E;
    E.Replacement = clang::tooling::Replacement(Path, Offset, Length, With);
    E.RuleId = RuleId.str();
    E.Reason = {"replace-text '" + R.From.Value + "'"};
    Out.push_back(std::move(E));
  };
  llvm::StringRef From(R.From.Value);
  if (From.consume_front("re:")) {
    llvm::Regex Re(From);
    llvm::SmallVector<llvm::StringRef, 4> Groups;
    size_t Pos = 0;
    while (Pos <= Text.size()) {
      llvm::StringRef Rest = Text.drop_front(Pos);
      if (!Re.match(Rest, &Groups) || Groups[0].empty())
        break;
      size_t Start = Groups[0].data() - Text.data();
      std::string Error;
      Add(Start, Groups[0].size(), Re.sub(R.To, Groups[0], &Error));
      Pos = Start + Groups[0].size();
    }
    return Out;
  }
  if (From.empty())
    return Out;
  for (size_t Pos = Text.find(From); Pos != llvm::StringRef::npos;
       Pos = Text.find(From, Pos + From.size())) {
    if (R.WholeWord) {
      bool StartsWord = isWordChar(From.front());
      bool EndsWord = isWordChar(From.back());
      if ((StartsWord && Pos > 0 && isWordChar(Text[Pos - 1])) ||
          (EndsWord && Pos + From.size() < Text.size() &&
           isWordChar(Text[Pos + From.size()])))
        continue;
    }
    Add(Pos, From.size(), R.To);
  }
  return Out;
}

llvm::Expected<FileOperations>
resolveFileOperations(const Plan &P, llvm::vfs::FileSystem &FS,
                      llvm::StringRef Root, const std::vector<std::string> &Files) {
  FileOperations Ops;
  auto Exists = [&](const std::string &Rel) {
    return std::binary_search(Files.begin(), Files.end(), Rel);
  };
  // Resolved on first use: only moves and new files need it.
  std::optional<llvm::SmallString<256>> RealRoot;
  auto CheckNoSymlink = [&](const PlanString &Value,
                            llvm::StringRef Rel) -> llvm::Error {
    if (!RealRoot) {
      RealRoot.emplace();
      if (std::error_code EC = FS.getRealPath(Root, *RealRoot))
        return llvm::createStringError(EC, "%s: cannot resolve: %s",
                                       Root.str().c_str(), EC.message().c_str());
    }
    return checkNoSymlink(P, Value, Rel, FS, Root, *RealRoot);
  };
  // The files \p Value names. None is a note (the plan may have run
  // before), with the closest path when \p Value is no glob.
  auto Expand = [&](const Rule &R,
                    const PlanString &Value) -> llvm::Expected<std::vector<std::string>> {
    std::vector<std::string> Matched = expand(Value.Value, Files);
    if (Matched.empty() && !R.Optional) {
      std::string Message = "rule '" + R.Id + "': '" + Value.Value +
                            "' matches no file of the tree";
      if (Value.Value.find_first_of("*?[") == std::string::npos) {
        std::vector<llvm::StringRef> Candidates(Files.begin(), Files.end());
        llvm::StringRef Closest = closestSpelling(normalize(Value.Value), Candidates);
        if (!Closest.empty())
          Message += "; did you mean '" + Closest.str() + "'?";
      }
      Ops.Notes.push_back({Value.Loc, std::move(Message), R.Id});
    }
    return Matched;
  };
  for (const Rule &R : P.Rules) {
    switch (R.Kind) {
    case OperationKind::DeleteFiles:
      for (const PlanString &Path : R.Paths) {
        auto Matched = Expand(R, Path);
        if (!Matched)
          return Matched.takeError();
        for (const std::string &F : *Matched)
          Ops.Deleted.emplace(F, R.Id);
      }
      break;
    case OperationKind::MoveFiles:
      for (const FileMove &M : R.Moves) {
        auto Matched = Expand(R, M.From);
        if (!Matched)
          return Matched.takeError();
        bool IntoDirectory = llvm::StringRef(M.To.Value).endswith("/") ||
                             Matched->size() > 1;
        for (const std::string &F : *Matched) {
          std::string To = normalize(M.To.Value);
          if (IntoDirectory)
            To += "/" + path::filename(F, path::Style::posix).str();
          if (llvm::Error Err = CheckNoSymlink(M.From, F))
            return std::move(Err);
          if (llvm::Error Err = CheckNoSymlink(M.To, To))
            return std::move(Err);
          if (Exists(To))
            return makePlanError(P, M.To.Loc, PlanErrorKind::InvalidValue,
                                 "cannot move '" + F + "' onto '" + To +
                                     "': that file already exists");
          Ops.Moved.emplace(F, std::make_pair(To, R.Id));
          llvm::SmallString<256> Full(Root);
          path::append(Full, F);
          auto Buffer = FS.getBufferForFile(Full, -1, false);
          if (!Buffer)
            return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                           F.c_str(), Buffer.getError().message().c_str());
          Ops.Texts[F] = (*Buffer)->getBuffer().str();
        }
      }
      break;
    case OperationKind::AddFile: {
      std::string Path = normalize(R.Add.Path.Value);
      if (llvm::Error Err = CheckNoSymlink(R.Add.Path, Path))
        return std::move(Err);
      if (Exists(Path)) {
        // Already there with this content: the plan was applied before.
        llvm::SmallString<256> Full(Root);
        path::append(Full, Path);
        auto Buffer = FS.getBufferForFile(Full, -1, false);
        if (Buffer && (*Buffer)->getBuffer() == R.Add.Content)
          break;
        return makePlanError(P, R.Add.Path.Loc, PlanErrorKind::InvalidValue,
                             "cannot add '" + Path + "': that file already exists");
      }
      Ops.Added.emplace(Path, std::make_pair(R.Add.Content, R.Id));
      break;
    }
    case OperationKind::ReplaceText: {
      for (const PlanString &Glob : R.Replace.Files) {
        auto Matched = Expand(R, Glob);
        if (!Matched)
          return Matched.takeError();
        for (const std::string &F : *Matched) {
          llvm::SmallString<256> Full(Root);
          path::append(Full, F);
          auto Buffer = FS.getBufferForFile(Full, -1, false);
          if (!Buffer)
            return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s",
                                           F.c_str(), Buffer.getError().message().c_str());
          Ops.Texts[F] = (*Buffer)->getBuffer().str();
          std::vector<Edit> Found = findTextReplacements(
              F, (*Buffer)->getBuffer(), R.Replace, R.Id);
          auto &Into = Ops.TextEdits[F];
          Into.insert(Into.end(), Found.begin(), Found.end());
        }
      }
      break;
    }
    default:
      break;
    }
  }
  return Ops;
}

} // namespace excise
