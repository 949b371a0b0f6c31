//===- Output.cpp ---------------------------------------------------------===//
#include "driver/Output.h"

#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "emit/ReviewFormats.h"
#include "emit/UnifiedDiff.h"
#include "source/DiskFileSystem.h"
#include "source/SourceFile.h"
#include "source/TreeLock.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <iterator>
#include <optional>
#include <set>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace excise {

void writeExplanation(llvm::raw_ostream &OS, const FileChange &C) {
  if (C.isDeleted()) {
    OS << C.OldPath << ": deleted [" << C.RuleId << "]\n";
    return;
  }
  if (C.isCreated()) {
    OS << C.NewPath << ": created [" << C.RuleId << "]\n";
    return;
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
    OS << " [" << llvm::join(E.ruleIds(), ", ") << "]\n";
    for (const EditCause &Why : E.causes())
      OS << "    " << Why.explanation() << '\n';
    for (const EditCause &Why : E.Subsumed)
      OS << "    subsumed: " << Why.explanation() << '\n';
  }
}

/// Creates the temporary of \p Path (temporaryPathFor, numbered from the
/// process id and a counter, the next one when the name is taken) with a
/// plain open: LLVM's createUniqueFile asks the kernel for random bytes for
/// every character and blocks every signal around each close, which costs
/// more than the write when an apply stages thousands of files.
static int createTemporary(llvm::StringRef Path, unsigned Mode,
                           llvm::SmallString<256> &TempPath) {
  static std::atomic<unsigned> Counter{0};
  for (unsigned Attempt = 0;; ++Attempt) {
    unsigned long Value = static_cast<unsigned long>(::getpid()) * 7919 + Counter++;
    temporaryPathFor(Path, Value, TempPath);
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

/// Removes the directories above \p Rel that the change left empty, as git
/// does; stops at the first one that is not empty, and never removes the root.
static void removeEmptyParents(llvm::StringRef Root, llvm::StringRef Rel) {
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(Rel); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir))
    if (llvm::sys::fs::remove(joinRoot(Root, Dir), /*IgnoreNonExisting=*/false))
      break;
}

/// Removes the temporaries (isApplyTemporary) that an `apply` killed before
/// its renames left in \p Dir (the tree listing never reads them). Only one
/// `apply` runs on a tree at a time (TreeLock), so none is another's.
static void removeStaleTemporaries(llvm::StringRef Dir) {
  std::error_code EC;
  std::vector<std::string> Stale;
  for (llvm::sys::fs::directory_iterator It(Dir.empty() ? "." : Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (isApplyTemporary(Name))
      Stale.push_back(It->path());
  }
  for (const std::string &P : Stale)
    llvm::sys::fs::remove(P);
}

/// The first failure of a batch, in path order.
struct Failure {
  std::error_code EC;
  std::string Message;
};

static llvm::Error firstFailure(const std::vector<std::optional<Failure>> &Failures) {
  for (const std::optional<Failure> &F : Failures)
    if (F)
      return llvm::createStringError(F->EC, "%s", F->Message.c_str());
  return llvm::Error::success();
}

/// Calls \p Each for the index of every item of \p Count, the items of one
/// directory (as \p DirOf gives it; consecutive, as paths in order are) by
/// one job: creating or renaming files in a directory takes its lock, and
/// jobs in the same one only wait on it.
static void forEachByDirectory(unsigned Jobs, size_t Count,
                               llvm::function_ref<llvm::StringRef(size_t)> DirOf,
                               llvm::function_ref<void(size_t)> Each) {
  std::vector<std::pair<size_t, size_t>> Groups;
  for (size_t K = 0; K < Count; ++K) {
    if (Groups.empty() || DirOf(Groups.back().first) != DirOf(K))
      Groups.emplace_back(K, K);
    Groups.back().second = K + 1;
  }
  forEachIndex(Jobs, Groups.size(), [&](size_t G) {
    for (size_t K = Groups[G].first; K < Groups[G].second; ++K)
      Each(K);
  });
}

OutputWriter::OutputWriter(const Plan &P, OutputOptions Options)
    : P(P), Options(std::move(Options)) {}

OutputWriter::~OutputWriter() {
  if (!Finished)
    discard();
}

/// Removes what an unfinished run staged or half wrote: the tree and the
/// output file stay as they were.
void OutputWriter::discard() {
  for (const Staged &S : Staging)
    if (!S.Temp.empty())
      llvm::sys::fs::remove(S.Temp);
  Staging.clear();
  if (File) {
    File->clear_error();
    File.reset();
    ::close(FileFD);
    llvm::sys::fs::remove(FileTemp);
  }
}

llvm::raw_ostream &OutputWriter::output() {
  if (Options.Path == "-")
    return llvm::outs();
  if (FileError)
    return Nowhere; // reported by finish()
  if (!File) {
    llvm::SmallString<256> Temp;
    FileFD = createTemporary(Options.Path, 0644, Temp);
    if (FileFD < 0) {
      FileError = std::error_code(errno, std::generic_category());
      return Nowhere;
    }
    FileTemp = std::string(Temp.str());
    File = std::make_unique<llvm::raw_fd_ostream>(FileFD, /*shouldClose=*/false);
  }
  return *File;
}

/// Flushes the output file to disk and renames it over the target; a run
/// that printed nothing still replaces it, with an empty file.
llvm::Error OutputWriter::closeOutput() {
  output();
  std::error_code EC = FileError;
  if (File) {
    File->flush();
    if (!EC)
      EC = File->error();
    File->clear_error();
    File.reset();
    if (!EC && ::fsync(FileFD) != 0)
      EC = std::error_code(errno, std::generic_category());
    if (::close(FileFD) != 0 && !EC && errno != EINTR)
      EC = std::error_code(errno, std::generic_category());
    FileFD = -1;
    if (!EC)
      EC = llvm::sys::fs::rename(FileTemp, Options.Path);
    if (EC)
      llvm::sys::fs::remove(FileTemp);
    FileTemp.clear();
  }
  if (EC)
    return llvm::createStringError(EC, "%s: cannot write: %s", Options.Path.c_str(),
                                   EC.message().c_str());
  return llvm::Error::success();
}

/// Applies every change or none: all new contents are first written to
/// temporary files beside their targets as the changes come, and only when
/// all of them are on disk, and no file changed since it was read, are they
/// renamed into place and the deletions done (applyStaged). A failure before
/// that point leaves the tree as it was.
llvm::Error OutputWriter::stage(std::vector<FileChange> &Batch) {
  llvm::StringRef Root = Options.Root;
  // Leftovers of a killed `apply`, once per directory.
  for (const FileChange &C : Batch) {
    std::string Dir(llvm::sys::path::parent_path(joinRoot(Root, C.path())));
    if (Directories.insert(Dir).second)
      removeStaleTemporaries(Dir);
  }
  std::vector<std::optional<Failure>> Failures(Batch.size());
  std::vector<Staged> Made(Batch.size());
  auto Disk = createDiskFileSystem();
  auto Stage = [&](size_t K) {
    const FileChange &C = Batch[K];
    auto Fail = [&](std::error_code EC, const std::string &Path, const char *What) {
      Failures[K] = Failure{EC, Path + ": " + What + ": " + EC.message()};
    };
    unsigned Mode = C.Mode;
    if (!C.isCreated()) {
      // Refuse to overwrite what someone changed since excise read it.
      std::string Old = joinRoot(Root, C.OldPath);
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
    std::string Target = joinRoot(Root, C.NewPath);
    // An edited file's directory is there; a created or moved one's may not.
    if (C.isCreated() || C.isRenamed())
      if (std::error_code EC = llvm::sys::fs::create_directories(
              llvm::sys::path::parent_path(Target)))
        return Fail(EC, Target, "cannot create its directory");
    // Flushed to disk all at once at the end, not one fsync per file.
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
    Made[K] = {*Temp, Target};
  };
  forEachByDirectory(
      Options.Jobs, Batch.size(),
      [&](size_t K) { return llvm::sys::path::parent_path(Batch[K].path()); }, Stage);
  // Kept even after a failure, for discard() to remove.
  for (Staged &S : Made)
    if (!S.Temp.empty())
      Staging.push_back(std::move(S));
  return firstFailure(Failures);
}

llvm::Error OutputWriter::applyStaged(llvm::raw_ostream &Log) {
  llvm::StringRef Root = Options.Root;
  // Every new content is on disk before any file is replaced: one syncfs for
  // the file system holding the root.
  if (!Staging.empty()) {
    int RootFD = ::open(std::string(Root).c_str(), O_RDONLY | O_DIRECTORY);
    bool Synced = RootFD >= 0 && ::syncfs(RootFD) == 0;
    if (RootFD >= 0)
      ::close(RootFD);
    if (!Synced)
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "%s: cannot flush the new contents to disk",
                                     std::string(Root).c_str());
  }
  // Renamed by directory too; a rename that fails leaves its temporary for
  // discard() to remove.
  std::vector<std::optional<Failure>> Failures(Staging.size());
  forEachByDirectory(
      Options.Jobs, Staging.size(),
      [&](size_t K) { return llvm::sys::path::parent_path(Staging[K].Target); },
      [&](size_t K) {
        Staged &S = Staging[K];
        if (std::error_code EC = llvm::sys::fs::rename(S.Temp, S.Target))
          Failures[K] = Failure{EC, S.Target + ": cannot replace: " + EC.message()};
        else
          S.Temp.clear();
      });
  if (llvm::Error Err = firstFailure(Failures))
    return Err;
  for (const FileChange &C : Shells) {
    if (C.isDeleted() || C.isRenamed()) {
      std::string P = joinRoot(Root, C.OldPath);
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
     << Result.FilesParsed << " parsed, " << Result.FilesChanged
     << " files changed, " << Leftovers << " leftovers";
  if (!Result.Verification.empty())
    OS << ", " << Result.Verification.size() << " verify findings";
  OS << '\n';
  for (const RuleSummary &S : Result.Summary)
    OS << "  " << S.RuleId << ": " << S.Edits << " edits in " << S.Files
       << " files, " << S.Leftovers << " leftovers\n";
}

/// True for the outputs printed one change at a time.
static bool streams(const OutputOptions &Options) {
  return Options.Mode == OutputMode::Explain ||
         (Options.Mode == OutputMode::Diff && Options.Format == OutputFormat::Diff);
}

/// True for the outputs printed as one document at the end.
static bool printsDocument(const OutputOptions &Options) {
  return (Options.Mode == OutputMode::Diff || Options.Mode == OutputMode::Check) &&
         Options.Format != OutputFormat::Diff;
}

llvm::Error OutputWriter::take(std::vector<FileChange> &Batch) {
  if (Options.Mode == OutputMode::Apply) {
    if (llvm::Error Err = stage(Batch))
      return Err;
  } else if (streams(Options)) {
    // Each file's patch is made by a job of its own and written in order.
    std::vector<std::string> Texts(Batch.size());
    DiffOptions D;
    D.Color = Options.Color;
    forEachIndex(Options.Jobs, Batch.size(), [&](size_t I) {
      llvm::raw_string_ostream S(Texts[I]);
      if (Options.Mode == OutputMode::Explain)
        writeExplanation(S, Batch[I]);
      else
        writeUnifiedDiff(S, Batch[I], D);
    });
    llvm::raw_ostream &OS = output();
    for (const std::string &Text : Texts)
      OS << Text;
  } else if (printsDocument(Options)) {
    std::move(Batch.begin(), Batch.end(), std::back_inserter(Kept));
    return llvm::Error::success();
  }
  for (const FileChange &C : Batch) {
    FileChange Shell;
    Shell.OldPath = C.OldPath;
    Shell.NewPath = C.NewPath;
    Shell.RuleId = C.RuleId;
    Shells.push_back(std::move(Shell));
  }
  return llvm::Error::success();
}

/// True for the notes about the plan itself (PlanNote).
static bool isPlanNote(const Diagnostic &D) {
  return D.Level == Severity::Note && D.RuleId == PlanNoteRule;
}

llvm::Expected<int> OutputWriter::finish(RunResult &Result) {
  // `--quiet` hides notes, never warnings or errors (hooks and bots run
  // quiet); `verify` shows the plan's notes and its own findings only.
  for (const Diagnostic &D : Result.Diagnostics)
    if (isPlanNote(D) ? !Options.Quiet || Options.Strict
                      : Options.Mode != OutputMode::Verify &&
                            (D.Level != Severity::Note || !Options.Quiet))
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);
  bool StrictFailure = Options.Strict && llvm::any_of(Result.Diagnostics, isPlanNote);
  if (Options.Mode == OutputMode::Verify || Options.Mode == OutputMode::Check)
    for (const Diagnostic &D : Result.Verification)
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);

  if (printsDocument(Options)) {
    Result.Changes = std::move(Kept);
    llvm::raw_ostream &OS = output();
    switch (Options.Format) {
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
    case OutputFormat::Diff:
      break;
    }
  }
  // The output is complete: to stdout, flushed; to a file, flushed to disk
  // and renamed over the target.
  if (Options.Path == "-") {
    llvm::outs().flush();
  } else if (streams(Options) || printsDocument(Options)) {
    if (llvm::Error Err = closeOutput())
      return std::move(Err);
  }
  if (Options.Mode == OutputMode::Apply) {
    std::string Log;
    llvm::raw_string_ostream LogOS(Log);
    if (llvm::Error Err = applyStaged(LogOS))
      return std::move(Err);
    LogOS.flush();
    if (!Options.Quiet)
      llvm::outs() << Log;
  }
  Finished = true;
  if (Options.Mode == OutputMode::Check && !Options.Quiet)
    for (const FileChange &C : printsDocument(Options) ? Result.Changes : Shells)
      llvm::errs() << C.path() << ": "
                   << (C.isDeleted() ? "would be deleted"
                       : C.isCreated() ? "would be created"
                       : C.isRenamed() ? "would be moved to " + C.NewPath
                                       : std::string("would be changed"))
                   << " by the plan\n";
  if (!Options.Quiet)
    printSummary(Result, llvm::errs());
  if (Options.Mode == OutputMode::Verify)
    return Result.Verification.empty() && !StrictFailure ? 0 : 1;
  if (Options.Mode == OutputMode::Check)
    return (Result.FilesChanged || Result.hasFindings() ||
            !Result.Verification.empty() || StrictFailure)
               ? 1
               : 0;
  return 0;
}

llvm::Expected<int> writeOutput(const Plan &P, const RunResult &Result,
                                const OutputOptions &Options) {
  RunResult Rest = Result;
  std::vector<FileChange> Changes = std::move(Rest.Changes);
  Rest.Changes.clear();
  Rest.FilesChanged = Changes.size();
  OutputWriter Writer(P, Options);
  if (llvm::Error Err = Writer.take(Changes))
    return std::move(Err);
  return Writer.finish(Rest);
}

} // namespace excise
