//===- main.cpp - The excise command line ---------------------------------===//
//
// Parses options, calls the library, turns errors into messages and exit
// codes: 0 success, 1 `check`/`verify` found something, 2 bad usage or plan,
// 3 an I/O failure.
//
//===----------------------------------------------------------------------===//
#include "driver/Output.h"
#include "driver/Run.h"
#include "source/DiskFileSystem.h"
#include "source/TreeLock.h"
#include "edit/Edit.h"
#include "plan/Plan.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#ifdef EXCISE_TUNED_ALLOCATOR
#include <mimalloc.h>

// The release configuration (EXCISE_TUNED_ALLOCATOR, docs/build.md):
// mimalloc takes memory in 2 MiB pages where the kernel has them, from the
// first segment of each thread on, and hands none back while the run lasts
// (most of what is freed is needed again by the next file). A page fault
// costs microseconds on a virtual machine, and bench plan 1 takes about
// 2,800 of them with mimalloc's defaults, 220 so. mimalloc reads its
// MIMALLOC_* variables when it is loaded but consults the options when it
// maps memory. A shared library, it has started (allocating nothing) before
// this program's constructors run, and this one runs first of them
// (priority 101): before those of LLVM's options and of libstdc++, which
// allocate. (Set from .preinit_array instead, the options gave the same 301
// to 303 page faults.)
__attribute__((constructor(101))) static void configureAllocator() {
  mi_option_enable(mi_option_large_os_pages);
  mi_option_set(mi_option_eager_commit_delay, 0);
  mi_option_disable(mi_option_allow_decommit);
}
#endif

using namespace excise;
namespace cl = llvm::cl;

static cl::OptionCategory Category("excise options");

static cl::SubCommand DiffCmd("diff", "Print the plan's changes as a git-style patch (default)");
static cl::SubCommand ApplyCmd("apply", "Write the plan's changes in place");
static cl::SubCommand CheckCmd("check", "Exit 1 if anything would change or a leftover is found");
static cl::SubCommand VerifyCmd("verify", "Run only the plan's verify section on the tree as the plan leaves it");
static cl::SubCommand ExplainCmd("explain", "Print every edit with its rule and the reason for it");

static cl::opt<std::string> PlanPath("p", cl::desc("The plan file (YAML)"),
                                     cl::value_desc("PLAN.yaml"), cl::Required,
                                     cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::alias PlanPathLong("plan", cl::desc("Alias for -p"), cl::aliasopt(PlanPath));
static cl::opt<std::string> Root("root", cl::desc("Repository root (default: current directory)"),
                                 cl::value_desc("DIR"), cl::init("."),
                                 cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<std::string> OutputPath("o", cl::desc("Write the output to FILE instead of stdout"),
                                       cl::value_desc("FILE"), cl::init("-"),
                                       cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format of diff and check"), cl::init(OutputFormat::Diff),
    cl::values(clEnumValN(OutputFormat::Diff, "diff", "git-style unified diff (default)"),
               clEnumValN(OutputFormat::Json, "json", "excise's JSON report (docs/json-schema.md)"),
               clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0, with fixes"),
               clEnumValN(OutputFormat::Rdjson, "rdjson", "reviewdog diagnostics with suggestions"),
               clEnumValN(OutputFormat::FixesYaml, "fixes-yaml", "clang-apply-replacements YAML")),
    cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<unsigned> Jobs("j", cl::desc("Worker threads (default: one per core)"),
                              cl::init(0), cl::Prefix, cl::sub(*cl::AllSubCommands),
                              cl::cat(Category));
static cl::opt<bool> NoPrefilter("no-prefilter",
                                 cl::desc("Parse every Python file, even those that mention none of the plan's names"),
                                 cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<bool> NoIgnore("no-ignore",
                              cl::desc("Also read the files that .gitignore files exclude"),
                              cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<bool> NoDefaultSkips(
    "no-default-skips",
    cl::desc("Also enter virtualenvs, node_modules, build, dist and cache directories"),
    cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<bool> Quiet("quiet",
                           cl::desc("Print no progress, no summary and no notes "
                                    "(warnings and errors are always printed)"),
                           cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<bool> Strict(
    "strict",
    cl::desc("Notes about the plan (a target found nowhere, a rule that matched "
             "nothing) make check and verify exit 1"),
    cl::sub(*cl::AllSubCommands), cl::cat(Category));
static cl::opt<bool> TimeReport("time-report",
                                cl::desc("Print the time each phase of the run took (stderr)"),
                                cl::sub(*cl::AllSubCommands), cl::cat(Category));
// For the test of two concurrent `apply` runs: wait this long between
// staging the new files and renaming them into place, holding the tree's
// lock, so that the other run starts while this one is under way.
static cl::opt<unsigned> HoldLockMs("hold-lock-ms", cl::Hidden, cl::init(0),
                                    cl::sub(*cl::AllSubCommands));
static cl::list<std::string> Paths(cl::Positional, cl::desc("[PATH...]"),
                                   cl::sub(*cl::AllSubCommands), cl::cat(Category));

enum ExitCode { Success = 0, Findings = 1, BadUsage = 2, IoFailure = 3 };

static int reportError(llvm::Error Err) {
  int Code = IoFailure;
  llvm::handleAllErrors(
      std::move(Err),
      [&](const PlanError &E) {
        llvm::errs() << E.rendered();
        if (!llvm::StringRef(E.rendered()).endswith("\n"))
          llvm::errs() << '\n';
        Code = BadUsage;
      },
      [&](const EditConflictError &E) {
        llvm::WithColor::error(llvm::errs(), "excise") << E.message() << '\n';
        Code = BadUsage;
      },
      [&](const llvm::ErrorInfoBase &E) {
        llvm::WithColor::error(llvm::errs(), "excise") << E.message() << '\n';
        Code = IoFailure;
      });
  return Code;
}

static void printVersion(llvm::raw_ostream &OS) {
  OS << "excise " << EXCISE_VERSION << "\n";
}

int main(int Argc, char **Argv) {
  llvm::InitLLVM X(Argc, Argv);
  // LLVM's own boolean --color would shadow ours (auto|always|never).
  auto &Registered = cl::getRegisteredOptions(*cl::TopLevelSubCommand);
  if (auto It = Registered.find("color"); It != Registered.end())
    It->second->removeArgument();
  cl::opt<std::string> ColorMode("color", cl::desc("Color output: auto, always or never"),
                                 cl::init("auto"), cl::sub(*cl::AllSubCommands),
                                 cl::cat(Category));
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  // `excise -p plan.yaml` without a mode means `diff`.
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "excise: remove code from Python services according to a plan\n\n"
          "  excise diff    -p PLAN.yaml [--root DIR] [PATH...]  print a git-style patch\n"
          "  excise apply   -p PLAN.yaml [--root DIR] [PATH...]  write the changes in place\n"
          "  excise check   -p PLAN.yaml [--root DIR] [PATH...]  exit 1 if anything would change\n"
          "  excise verify  -p PLAN.yaml [--root DIR]            only the plan's verify section\n"
          "  excise explain -p PLAN.yaml [--root DIR] [PATH...]  every edit with its rule and reason\n",
          &llvm::errs()))
    return BadUsage;

  OutputMode Mode = OutputMode::Diff;
  if (ApplyCmd)
    Mode = OutputMode::Apply;
  else if (CheckCmd)
    Mode = OutputMode::Check;
  else if (ExplainCmd)
    Mode = OutputMode::Explain;
  else if (VerifyCmd)
    Mode = OutputMode::Verify;

  bool Color;
  if (ColorMode == "always")
    Color = true;
  else if (ColorMode == "never")
    Color = false;
  else if (ColorMode == "auto")
    Color = OutputPath == "-" && llvm::sys::Process::StandardOutIsDisplayed();
  else {
    llvm::WithColor::error(llvm::errs(), "excise")
        << "--color must be auto, always or never, not '" << ColorMode << "'\n";
    return BadUsage;
  }

  auto P = loadPlan(PlanPath);
  if (!P)
    return reportError(P.takeError());

  if (!llvm::sys::fs::is_directory(Root)) {
    llvm::WithColor::error(llvm::errs(), "excise")
        << Root << ": not a directory\n";
    return IoFailure;
  }
  RunOptions Options;
  Options.Root = Root;
  Options.Jobs = Jobs;
  Options.Prefilter = !NoPrefilter;
  Options.Listing.RespectGitignore = !NoIgnore;
  Options.Listing.SkipDefaultDirectories = !NoDefaultSkips;
  Options.Paths.assign(Paths.begin(), Paths.end());
  // A progress line on a terminal for long runs, redrawn at most every 100
  // files.
  if (!Quiet && llvm::sys::Process::StandardErrIsDisplayed())
    Options.Progress = [](unsigned Done, unsigned Total) {
      if (Total < 300 || (Done % 100 != 0 && Done != Total))
        return;
      static std::mutex Lock;
      std::lock_guard<std::mutex> Guard(Lock);
      llvm::errs() << "\rexcise: " << Done << "/" << Total << " files scanned";
      if (Done == Total)
        llvm::errs() << "\r\x1b[K";
    };
  // Printed to stderr when it goes, after everything else.
  std::optional<llvm::TimerGroup> Timers;
  if (TimeReport)
    Options.Timers = &Timers.emplace("excise", "excise phases");
  OutputOptions Out;
  Out.Mode = Mode;
  Out.Format = Format;
  Out.Path = OutputPath;
  Out.Color = Color;
  Out.DiagnosticColor = llvm::sys::Process::StandardErrHasColors() && ColorMode != "never";
  Out.Quiet = Quiet;
  Out.Strict = Strict;
  Out.Root = Root;
  Out.Jobs = Jobs;
  // The changes are printed or staged as they are made, a batch at a time.
  // One `apply` at a time on a tree, for its whole run: a second one waits,
  // then reads the tree afresh (a clean re-run).
  std::optional<TreeLock> Lock;
  if (Mode == OutputMode::Apply) {
    auto Locked = TreeLock::acquire(Root, [] {
      llvm::errs() << "excise: waiting for another excise apply on this tree\n";
    });
    if (!Locked)
      return reportError(Locked.takeError());
    Lock.emplace(std::move(*Locked));
  }
  OutputWriter Writer(*P, Out);
  auto Fs = createDiskFileSystem(Root);
  auto Result = runPlan(*P, *Fs, Options, [&](std::vector<FileChange> &Batch) {
    return Writer.take(Batch);
  });
  if (!Result)
    return reportError(Result.takeError());
  if (HoldLockMs)
    std::this_thread::sleep_for(std::chrono::milliseconds(HoldLockMs));
  auto Code = Writer.finish(*Result);
  if (!Code)
    return reportError(Code.takeError());
  return *Code;
}
