//===- Output.cpp ---------------------------------------------------------===//
#include "driver/Output.h"

#include "driver/Parallel.h"
#include "emit/ReviewFormats.h"
#include "emit/UnifiedDiff.h"
#include "source/SourceFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

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

/// Writes what \p Write prints to a new temporary file beside \p Path (flushed to
/// disk, with \p Mode) and returns its name.
static llvm::Expected<std::string>
writeTemporary(llvm::StringRef Path, unsigned Mode,
               llvm::function_ref<void(llvm::raw_ostream &)> Write,
               bool Sync = true) {
  llvm::SmallString<256> Model(Path);
  Model += ".excise-%%%%%%";
  int FD;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, TempPath))
    return llvm::createStringError(EC, "%s: cannot create a temporary file: %s",
                                   Path.str().c_str(), EC.message().c_str());
  llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
  Write(OS);
  OS.flush();
  std::error_code EC = OS.error();
  if (!EC && Sync && ::fsync(FD) != 0)
    EC = std::error_code(errno, std::generic_category());
  if (EC) {
    OS.clear_error();
    llvm::sys::fs::remove(TempPath);
    return llvm::createStringError(EC, "%s: cannot write: %s",
                                   Path.str().c_str(), EC.message().c_str());
  }
  ::chmod(TempPath.c_str(), Mode & 07777);
  return std::string(TempPath.str());
}

llvm::Error writeFileAtomically(llvm::StringRef Path, unsigned Mode,
                                llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  auto Temp = writeTemporary(Path, Mode, Write);
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
  forEachIndex(Jobs, Result.Changes.size(), [&](size_t K) {
    const FileChange &C = Result.Changes[K];
    auto Fail = [&](std::error_code EC, const std::string &Path, const char *What) {
      Failures[K] = Failure{EC, Path + ": " + What + ": " + EC.message()};
    };
    if (!C.isCreated()) {
      // Refuse to overwrite what someone changed since excise read it.
      std::string Old = underRoot(Root, C.OldPath);
      auto Now = llvm::MemoryBuffer::getFile(Old, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
      if (!Now)
        return Fail(Now.getError(), Old, "cannot read");
      if ((*Now)->getBuffer() != C.OldText) {
        Failures[K] = Failure{
            std::make_error_code(std::errc::resource_unavailable_try_again),
            Old + ": changed since excise read it; nothing was written, run again"};
        return;
      }
    }
    if (C.isDeleted())
      return;
    std::string Target = underRoot(Root, C.NewPath);
    unsigned Mode = C.Mode;
    if (!C.isCreated()) {
      llvm::sys::fs::file_status Status;
      if (!llvm::sys::fs::status(underRoot(Root, C.OldPath), Status))
        Mode = Status.permissions();
    }
    if (std::error_code EC =
            llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Target)))
      return Fail(EC, Target, "cannot create its directory");
    // Flushed to disk all at once below, not one fsync per file.
    auto Temp = writeTemporary(Target, Mode,
                               [&](llvm::raw_ostream &OS) { OS << C.NewText; },
                               /*Sync=*/false);
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
  });
  for (const std::optional<Failure> &F : Failures)
    if (F)
      return Abort(llvm::createStringError(F->EC, "%s", F->Message.c_str()));
  llvm::erase_if(Staging, [](const Staged &S) { return S.Temp.empty(); });
  // Every new content is on disk before any file is replaced: one syncfs for
  // the file system holding the root.
  if (!Staging.empty()) {
    int RootFD = ::open(std::string(Root).c_str(), O_RDONLY | O_DIRECTORY);
    bool Synced = RootFD >= 0 && ::syncfs(RootFD) == 0;
    if (RootFD >= 0)
      ::close(RootFD);
    if (!Synced)
      return Abort(llvm::createStringError(
          std::error_code(errno, std::generic_category()),
          "%s: cannot flush the new contents to disk", std::string(Root).c_str()));
  }
  for (const Staged &S : Staging)
    if (std::error_code EC = llvm::sys::fs::rename(S.Temp, S.Target))
      return Abort(llvm::createStringError(EC, "%s: cannot replace: %s",
                                           S.Target.c_str(), EC.message().c_str()));
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
        writeUnifiedDiff(OS, Result.Changes, D);
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
