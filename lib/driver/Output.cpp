//===- Output.cpp ---------------------------------------------------------===//
#include "driver/Output.h"

#include "driver/Parallel.h"
#include "emit/ReviewFormats.h"
#include "emit/UnifiedDiff.h"
#include "source/DiskFileSystem.h"
#include "source/SourceFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <set>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace excise {

void writeExplanation(llvm::raw_ostream &OS, const RunResult &Result) {
  for (const FileChange &C : Result.Changes) {
    if (C.isDeleted()) {
      OS << C.OldPath << ": deleted [" << C.RuleId << "]\n";
      continue;
    }
    if (C.isCreated()) {
      OS << C.NewPath << ": created [" << C.RuleId << "]\n";
      continue;
    }
    if (C.isRenamed())
      OS << C.OldPath << ": moved to " << C.NewPath << " [" << C.RuleId << "]\n";
    SourceFile Old(C.OldPath, C.OldText);
    for (const Edit &E : C.Edits) {
      LineColumn Pos = Old.position(E.offset());
      LineColumn EndPos = Old.position(E.offset() + E.length());
      bool WholeLines = Pos.Column == 1 && EndPos.Column == 1 && E.length() > 0;
      unsigned LastLine = WholeLines ? EndPos.Line - 1 : EndPos.Line;
      OS << C.OldPath << ':' << Pos.Line << ':' << Pos.Column << ": ";
      if (E.length() == 0)
        OS << "insert";
      else
        OS << (E.text().empty() ? "delete " : "replace ")
           << (WholeLines ? (LastLine > Pos.Line ? "lines " : "line ")
                          : "text on line ")
           << Pos.Line;
      if (E.length() && LastLine > Pos.Line)
        OS << '-' << LastLine;
      OS << " [" << E.RuleId << "]\n";
      OS << "    " << E.explanation() << '\n';
    }
  }
}

/// Creates `Path.excise-XXXXXX` (six characters from the process id and a
/// counter, the next one when the name is taken) with a plain open: LLVM's
/// createUniqueFile asks the kernel for random bytes for every character and
/// blocks every signal around each close, which costs more than the write
/// when an apply stages thousands of files.
static int createTemporary(llvm::StringRef Path, unsigned Mode,
                           llvm::SmallString<256> &TempPath) {
  static std::atomic<unsigned> Counter{0};
  static const char Digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (unsigned Attempt = 0;; ++Attempt) {
    unsigned long Value = static_cast<unsigned long>(::getpid()) * 7919 + Counter++;
    TempPath = Path;
    TempPath += ".excise-";
    for (int I = 0; I < 6; ++I, Value /= 36)
      TempPath += Digits[Value % 36];
    int FD = ::open(TempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    Mode & 07777);
    if (FD >= 0 || errno != EEXIST || Attempt == 1000)
      return FD;
  }
}

/// Writes \p Content to a new temporary file beside \p Path, with \p Mode;
/// returns the temporary's path. With \p Sync the file is flushed to disk
/// before it is closed; without, its write-back is only started, for one
/// syncfs to wait for (what git's batch fsync mode does).
static llvm::Expected<std::string> writeTemporary(llvm::StringRef Path, unsigned Mode,
                                                  llvm::StringRef Content, bool Sync) {
  llvm::SmallString<256> TempPath;
  int FD = createTemporary(Path, Mode, TempPath);
  if (FD < 0) {
    std::error_code EC(errno, std::generic_category());
    return llvm::createStringError(EC, "%s: cannot create a temporary file: %s",
                                   Path.str().c_str(), EC.message().c_str());
  }
  std::error_code EC;
  for (llvm::StringRef Rest = Content; !Rest.empty() && !EC;) {
    ssize_t N = ::write(FD, Rest.data(), Rest.size());
    if (N < 0 && errno != EINTR)
      EC = std::error_code(errno, std::generic_category());
    else if (N == 0)
      EC = std::make_error_code(std::errc::io_error); // never loop on nothing
    else if (N > 0)
      Rest = Rest.drop_front(N);
  }
  // The creation mode went through the umask; the file's own mode is kept.
  if (!EC && ::fchmod(FD, Mode & 07777) != 0)
    EC = std::error_code(errno, std::generic_category());
  if (!EC && Sync && ::fsync(FD) != 0)
    EC = std::error_code(errno, std::generic_category());
#ifdef SYNC_FILE_RANGE_WRITE
  // Only a hint: the syncfs that follows is what guarantees the flush.
  if (!EC && !Sync && !Content.empty())
    (void)::sync_file_range(FD, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
  if (::close(FD) != 0 && !EC && errno != EINTR)
    EC = std::error_code(errno, std::generic_category());
  if (EC) {
    ::unlink(TempPath.c_str());
    return llvm::createStringError(EC, "%s: cannot write: %s",
                                   Path.str().c_str(), EC.message().c_str());
  }
  return std::string(TempPath.str());
}

llvm::Error writeFileAtomically(llvm::StringRef Path, unsigned Mode,
                                llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  std::string Content;
  llvm::raw_string_ostream OS(Content);
  Write(OS);
  OS.flush();
  auto Temp = writeTemporary(Path, Mode, Content, /*Sync=*/true);
  if (!Temp)
    return Temp.takeError();
  if (std::error_code EC = llvm::sys::fs::rename(*Temp, Path)) {
    llvm::sys::fs::remove(*Temp);
    return llvm::createStringError(EC, "%s: cannot replace: %s",
                                   Path.str().c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
}

static std::string underRoot(llvm::StringRef Root, llvm::StringRef Rel) {
  llvm::SmallString<256> P(Root);
  llvm::sys::path::append(P, Rel);
  return std::string(P.str());
}

/// Removes the directories above \p Rel that the change left empty, as git
/// does; stops at the first one that is not empty, and never removes the root.
static void removeEmptyParents(llvm::StringRef Root, llvm::StringRef Rel) {
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(Rel); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir))
    if (llvm::sys::fs::remove(underRoot(Root, Dir), /*IgnoreNonExisting=*/false))
      break;
}

/// Removes the `NAME.excise-XXXXXX` files that an `apply` killed before its
/// renames left in \p Dir (the tree listing never reads them).
static void removeStaleTemporaries(llvm::StringRef Dir) {
  std::error_code EC;
  std::vector<std::string> Stale;
  for (llvm::sys::fs::directory_iterator It(Dir.empty() ? "." : Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name.rsplit(".excise-").second.size() == 6)
      Stale.push_back(It->path());
  }
  for (const std::string &P : Stale)
    llvm::sys::fs::remove(P);
}

/// Applies every change or none: all new contents are first written to
/// temporary files beside their targets, and only when all of them are on
/// disk, and no file changed since it was read, are they renamed into place
/// and the deletions done. A failure before that point leaves the tree as it
/// was.
static llvm::Error applyChanges(const RunResult &Result, llvm::StringRef Root,
                                unsigned Jobs, llvm::raw_ostream &Log) {
  struct Staged {
    std::string Temp, Target;
  };
  std::vector<Staged> Staging;
  auto Abort = [&](llvm::Error Err) {
    for (const Staged &S : Staging)
      if (!S.Temp.empty())
        llvm::sys::fs::remove(S.Temp);
    return Err;
  };
  // Leftovers of a killed `apply`, once per directory.
  std::set<std::string> Directories;
  for (const FileChange &C : Result.Changes)
    Directories.insert(
        std::string(llvm::sys::path::parent_path(underRoot(Root, C.path()))));
  for (const std::string &Dir : Directories)
    removeStaleTemporaries(Dir);
  // Each change is checked against the disk and staged by a job of its own;
  // the first failure in path order is the one reported.
  struct Failure {
    std::error_code EC;
    std::string Message;
  };
  std::vector<std::optional<Failure>> Failures(Result.Changes.size());
  Staging.resize(Result.Changes.size());
  auto Disk = createDiskFileSystem();
  // The changes of one directory go to one job: creating files in a
  // directory takes its lock, and jobs in the same one only wait on it.
  std::vector<std::pair<size_t, size_t>> Groups;
  for (size_t K = 0; K < Result.Changes.size(); ++K) {
    llvm::StringRef Dir = llvm::sys::path::parent_path(Result.Changes[K].path());
    if (Groups.empty() ||
        llvm::sys::path::parent_path(Result.Changes[Groups.back().first].path()) != Dir)
      Groups.emplace_back(K, K);
    Groups.back().second = K + 1;
  }
  auto ForEachByDirectory = [&](llvm::function_ref<void(size_t)> Each) {
    forEachIndex(Jobs, Groups.size(), [&](size_t G) {
      for (size_t K = Groups[G].first; K < Groups[G].second; ++K)
        Each(K);
    });
  };
  // The first failure in path order, if any, undoes what was staged.
  auto Failed = [&]() -> llvm::Error {
    for (const std::optional<Failure> &F : Failures)
      if (F)
        return Abort(llvm::createStringError(F->EC, "%s", F->Message.c_str()));
    return llvm::Error::success();
  };
  auto Stage = [&](size_t K) {
    const FileChange &C = Result.Changes[K];
    auto Fail = [&](std::error_code EC, const std::string &Path, const char *What) {
      Failures[K] = Failure{EC, Path + ": " + What + ": " + EC.message()};
    };
    unsigned Mode = C.Mode;
    if (!C.isCreated()) {
      // Refuse to overwrite what someone changed since excise read it.
      std::string Old = underRoot(Root, C.OldPath);
      auto File = Disk->openFileForRead(Old);
      if (!File)
        return Fail(File.getError(), Old, "cannot read");
      auto Status = (*File)->status();
      auto Now = (*File)->getBuffer(Old, -1, /*RequiresNullTerminator=*/false);
      if (!Status || !Now)
        return Fail(!Status ? Status.getError() : Now.getError(), Old, "cannot read");
      if ((*Now)->getBuffer() != C.OldText) {
        Failures[K] = Failure{
            std::make_error_code(std::errc::resource_unavailable_try_again),
            Old + ": changed since excise read it; nothing was written, run again"};
        return;
      }
      Mode = Status->getPermissions();
    }
    if (C.isDeleted())
      return;
    std::string Target = underRoot(Root, C.NewPath);
    // An edited file's directory is there; a created or moved one's may not.
    if (C.isCreated() || C.isRenamed())
      if (std::error_code EC = llvm::sys::fs::create_directories(
              llvm::sys::path::parent_path(Target)))
        return Fail(EC, Target, "cannot create its directory");
    // Flushed to disk all at once below, not one fsync per file.
    auto Temp = writeTemporary(Target, Mode, C.NewText, /*Sync=*/false);
    if (!Temp) {
      std::string Message;
      std::error_code EC;
      llvm::handleAllErrors(Temp.takeError(), [&](const llvm::StringError &E) {
        Message = E.getMessage();
        EC = E.convertToErrorCode();
      });
      Failures[K] = Failure{EC, Message};
      return;
    }
    Staging[K] = {*Temp, Target};
  };
  ForEachByDirectory(Stage);
  if (llvm::Error Err = Failed())
    return Err;
  // Every new content is on disk before any file is replaced: one syncfs for
  // the file system holding the root.
  if (llvm::any_of(Staging, [](const Staged &S) { return !S.Temp.empty(); })) {
    int RootFD = ::open(std::string(Root).c_str(), O_RDONLY | O_DIRECTORY);
    bool Synced = RootFD >= 0 && ::syncfs(RootFD) == 0;
    if (RootFD >= 0)
      ::close(RootFD);
    if (!Synced)
      return Abort(llvm::createStringError(
          std::error_code(errno, std::generic_category()),
          "%s: cannot flush the new contents to disk", std::string(Root).c_str()));
  }
  // Renamed by directory too; a rename that fails leaves its temporary for
  // Abort to remove.
  ForEachByDirectory([&](size_t K) {
    Staged &S = Staging[K];
    if (S.Temp.empty())
      return;
    if (std::error_code EC = llvm::sys::fs::rename(S.Temp, S.Target))
      Failures[K] = Failure{EC, S.Target + ": cannot replace: " + EC.message()};
    else
      S.Temp.clear();
  });
  if (llvm::Error Err = Failed())
    return Err;
  for (const FileChange &C : Result.Changes) {
    if (C.isDeleted() || C.isRenamed()) {
      std::string P = underRoot(Root, C.OldPath);
      if (std::error_code EC = llvm::sys::fs::remove(P))
        return llvm::createStringError(EC, "%s: cannot delete: %s", P.c_str(),
                                       EC.message().c_str());
      removeEmptyParents(Root, C.OldPath);
    }
    Log << (C.isDeleted()   ? "deleted "
            : C.isCreated() ? "created "
            : C.isRenamed() ? "moved "
                            : "edited ")
        << (C.isRenamed() ? C.OldPath + " -> " : std::string()) << C.path()
        << '\n';
  }
  return llvm::Error::success();
}

static void printSummary(const RunResult &Result, llvm::raw_ostream &OS) {
  unsigned Leftovers = 0;
  for (const Diagnostic &D : Result.Diagnostics)
    Leftovers += D.Level == Severity::Warning;
  OS << "excise: " << Result.FilesRead << " Python files read, "
     << Result.FilesParsed << " parsed, " << Result.Changes.size()
     << " files changed, " << Leftovers << " leftovers";
  if (!Result.Verification.empty())
    OS << ", " << Result.Verification.size() << " verify findings";
  OS << '\n';
  for (const RuleSummary &S : Result.Summary)
    OS << "  " << S.RuleId << ": " << S.Edits << " edits in " << S.Files
       << " files, " << S.Leftovers << " leftovers\n";
}

llvm::Expected<int> writeOutput(const Plan &P, const RunResult &Result,
                                const OutputOptions &Options) {
  if (!Options.Quiet && Options.Mode != OutputMode::Verify)
    for (const Diagnostic &D : Result.Diagnostics)
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);
  bool ShowVerify = Options.Mode == OutputMode::Verify ||
                    Options.Mode == OutputMode::Check;
  if (ShowVerify && (!Options.Quiet || Options.Mode == OutputMode::Verify))
    for (const Diagnostic &D : Result.Verification)
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);

  bool Prints = Options.Mode != OutputMode::Verify &&
                (Options.Mode != OutputMode::Check ||
                 Options.Format != OutputFormat::Diff);
  auto Write = [&](llvm::raw_ostream &OS) {
    switch (Options.Mode) {
    case OutputMode::Diff:
    case OutputMode::Check:
      switch (Options.Format) {
      case OutputFormat::Diff: {
        DiffOptions D;
        D.Color = Options.Color;
        // Each file's patch is made by a job of its own, a batch at a time
        // (so that a whole-tree change is not held twice), and written in
        // order.
        constexpr size_t Batch = 256;
        std::vector<std::string> Patches;
        for (size_t From = 0; From < Result.Changes.size(); From += Batch) {
          size_t Count = std::min(Batch, Result.Changes.size() - From);
          Patches.assign(Count, std::string());
          forEachIndex(Options.Jobs, Count, [&](size_t I) {
            llvm::raw_string_ostream S(Patches[I]);
            writeUnifiedDiff(S, Result.Changes[From + I], D);
          });
          for (const std::string &Patch : Patches)
            OS << Patch;
        }
        break;
      }
      case OutputFormat::Json:
        writeJson(OS, P, Result);
        break;
      case OutputFormat::Sarif:
        writeSarif(OS, P, Result);
        break;
      case OutputFormat::Rdjson:
        writeRdjson(OS, P, Result);
        break;
      case OutputFormat::FixesYaml:
        writeFixesYaml(OS, P, Result, Options.Root);
        break;
      }
      break;
    case OutputMode::Explain:
      writeExplanation(OS, Result);
      break;
    default:
      break;
    }
  };
  if (Options.Mode == OutputMode::Apply) {
    std::string Log;
    llvm::raw_string_ostream LogOS(Log);
    if (llvm::Error Err = applyChanges(Result, Options.Root, Options.Jobs, LogOS))
      return std::move(Err);
    LogOS.flush();
    if (!Options.Quiet)
      llvm::outs() << Log;
  } else if (Prints) {
    // Streamed, not built in memory: a whole-tree patch can be large.
    if (Options.Path == "-") {
      Write(llvm::outs());
      llvm::outs().flush();
    } else if (llvm::Error Err = writeFileAtomically(Options.Path, 0644, Write)) {
      return std::move(Err);
    }
  }
  if (Options.Mode == OutputMode::Check && !Options.Quiet)
    for (const FileChange &C : Result.Changes)
      llvm::errs() << C.path() << ": "
                   << (C.isDeleted() ? "would be deleted"
                       : C.isCreated() ? "would be created"
                       : C.isRenamed() ? "would be moved to " + C.NewPath
                                       : std::string("would be changed"))
                   << " by the plan\n";
  if (!Options.Quiet)
    printSummary(Result, llvm::errs());
  if (Options.Mode == OutputMode::Verify)
    return Result.Verification.empty() ? 0 : 1;
  if (Options.Mode == OutputMode::Check)
    return (!Result.Changes.empty() || Result.hasFindings() ||
            !Result.Verification.empty())
               ? 1
               : 0;
  return 0;
}

} // namespace excise
