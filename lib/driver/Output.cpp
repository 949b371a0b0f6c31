//===- Output.cpp ---------------------------------------------------------===//
#include "driver/Output.h"

#include "emit/UnifiedDiff.h"
#include "source/SourceFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

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
      OS << C.OldPath << ':' << Pos.Line << ':' << Pos.Column << ": ";
      if (E.length() == 0)
        OS << "insert";
      else if (E.text().empty())
        OS << "delete";
      else
        OS << "replace";
      if (E.length())
        OS << " lines " << Pos.Line << '-' << (EndPos.Column == 1 && EndPos.Line > Pos.Line ? EndPos.Line - 1 : EndPos.Line);
      OS << " [" << E.RuleId << "]\n";
      OS << "    " << E.explanation() << '\n';
    }
  }
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents,
                                unsigned Mode) {
  llvm::SmallString<256> Temp(Path);
  Temp += ".excise-%%%%%%";
  int FD;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Temp, FD, TempPath))
    return llvm::createStringError(EC, "%s: cannot create a temporary file: %s",
                                   Path.str().c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.flush();
    if (!OS.has_error())
      ::fsync(FD);
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(TempPath);
      return llvm::createStringError(EC, "%s: cannot write: %s",
                                     Path.str().c_str(), EC.message().c_str());
    }
  }
  ::chmod(TempPath.c_str(), Mode & 07777);
  if (std::error_code EC = llvm::sys::fs::rename(TempPath, Path)) {
    llvm::sys::fs::remove(TempPath);
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

static llvm::Error applyChanges(const RunResult &Result, llvm::StringRef Root,
                                llvm::raw_ostream &Log) {
  for (const FileChange &C : Result.Changes) {
    if (C.isDeleted()) {
      std::string P = underRoot(Root, C.OldPath);
      if (std::error_code EC = llvm::sys::fs::remove(P))
        return llvm::createStringError(EC, "%s: cannot delete: %s", P.c_str(),
                                       EC.message().c_str());
      removeEmptyParents(Root, C.OldPath);
      Log << "deleted " << C.OldPath << '\n';
      continue;
    }
    std::string Target = underRoot(Root, C.NewPath);
    unsigned Mode = C.Mode;
    if (!C.isCreated()) {
      llvm::sys::fs::file_status Status;
      if (!llvm::sys::fs::status(underRoot(Root, C.OldPath), Status))
        Mode = Status.permissions();
    }
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Target));
    if (llvm::Error Err = writeFileAtomically(Target, C.NewText, Mode))
      return Err;
    if (C.isRenamed()) {
      llvm::sys::fs::remove(underRoot(Root, C.OldPath));
      removeEmptyParents(Root, C.OldPath);
    }
    Log << (C.isCreated() ? "created " : C.isRenamed() ? "moved " : "edited ")
        << (C.isRenamed() ? C.OldPath + " -> " : std::string()) << C.NewPath
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
  (void)P;
  if (!Options.Quiet && Options.Mode != OutputMode::Verify)
    for (const Diagnostic &D : Result.Diagnostics)
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);
  bool ShowVerify = Options.Mode == OutputMode::Verify ||
                    Options.Mode == OutputMode::Check;
  if (ShowVerify && (!Options.Quiet || Options.Mode == OutputMode::Verify))
    for (const Diagnostic &D : Result.Verification)
      printDiagnostic(llvm::errs(), D, Options.DiagnosticColor);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  switch (Options.Mode) {
  case OutputMode::Diff:
  case OutputMode::Check: {
    DiffOptions D;
    D.Color = Options.Color;
    writeUnifiedDiff(OS, Result.Changes, D);
    break;
  }
  case OutputMode::Explain:
    writeExplanation(OS, Result);
    break;
  case OutputMode::Verify:
    break;
  case OutputMode::Apply:
    if (llvm::Error Err = applyChanges(Result, Options.Root, OS))
      return std::move(Err);
    break;
  }
  OS.flush();
  if (Options.Mode != OutputMode::Check && Options.Mode != OutputMode::Verify) {
    if (Options.Path == "-") {
      llvm::outs() << Text;
      llvm::outs().flush();
    } else if (llvm::Error Err = writeFileAtomically(Options.Path, Text, 0644)) {
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
