#!/usr/bin/env python3
"""Measure excise on a large generated service tree, next to the tools it is judged by.

    python3 bench/run.py [--excise PATH] [--files 5000] [--lines-per-file 200]
                         [--scale 1[,2,4]] [--runs 5] [--plans 1,2,3] [--work DIR]

Plans (bench/plans/); each command runs once to warm up, then --runs times, the commands
of a plan taking turns, all in one process:

  1. few files: remove the legacy audit trail; its names appear in ~1.5% of the files.
     Judged against `rg -l` for the same literals, the cost of merely finding them.
  2. every file: remove every logger.debug(...) statement. Judged against ast-grep
     running one equivalent rule with its rewrite; both write a fresh copy of the tree
     (`excise diff`, which writes nothing, is timed too). Afterwards each copy is
     compiled file by file: ast-grep's single rule leaves empty blocks behind, excise's
     output must compile entirely.
  3. parse-bound floor: plan 1 with the prefilter off (`--no-prefilter`), so every file
     is read and parsed, at -j1 and -j2.

For each command: median wall time (time.perf_counter), CPU time (user+sys, from the
child's rusage as os.wait4 returns it) and peak memory (max RSS, from GNU time when
present; see run_once). This is a measurement, not a test: missed targets do not fail
it; only errors (a tool failing, a tree that cannot be generated) exit non-zero.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

BENCH = Path(__file__).resolve().parent
TOP = BENCH.parent
PLAN_FEW = BENCH / "plans" / "few-files.yaml"
PLAN_DEBUG = BENCH / "plans" / "logger-debug.yaml"
ASTGREP_RULE = BENCH / "astgrep" / "logger-debug.yml"
# The literal names plan 1 removes: what a person would hand to rg.
FEW_LITERALS = ["AuditTrail", "record_audit"]


class BenchError(Exception):
    pass


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int


@dataclass
class Case:
    plan: str
    label: str
    argv: list[str]
    prepare: Optional[Callable[[], None]] = None   # untimed, before every run
    ok_codes: tuple = (0,)
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


# GNU time reports the command's own peak RSS. wait4 alone cannot: posix_spawn execs
# from a clone that shares this interpreter's memory, and Linux carries the old image's
# high-water mark over the exec, so every command would seem to need at least as much
# memory as this Python process.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv: list[str]) -> tuple[int, Sample, str]:
    """Spawn without forking this interpreter; wall from perf_counter, CPU from wait4."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if GNU_TIME else argv
        started = time.perf_counter()
        pid = os.posix_spawn(full[0], full, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        lines = rss.read().split()
    # GNU time's own CPU (about a millisecond) is included; its 10 ms resolution is not.
    maxrss = int(lines[-1]) if GNU_TIME and lines and lines[-1].isdigit() else usage.ru_maxrss
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, maxrss)
    return os.waitstatus_to_exitcode(status), sample, stderr


def run_case(case: Case, record: bool) -> None:
    if case.prepare:
        case.prepare()
    code, sample, stderr = run_once(case.argv)
    if code not in case.ok_codes:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise BenchError(f"{' '.join(case.argv)} exited {code}\n{tail}")
    if record:
        case.samples.append(sample)


def warm(tree: Path) -> Callable[[], None]:
    """Read the tree before each run: the kernel may page out what sat unused for a
    few seconds (proactive reclaim), and the benchmark measures work, not the disk."""
    paths = [p for p in tree.rglob("*") if p.is_file()]

    def prepare() -> None:
        for path in paths:
            path.read_bytes()
    return prepare


# On ext4 without a journal, a deleted inode is passed over (its inode table
# block looked up and checked for each file created nearby) for a minute after
# its deletion, six while that block is dirty (RECENTCY_MIN and RECENTCY_DIRTY
# in the kernel's fs/ext4/ialloc.c). Creating files next to the deleted ones
# dirties the block again, so in practice a deletion weighs on file creation
# nearby for six minutes: 5,000 files took 0.39-0.60 s to create there three
# minutes after the previous invocation's copies were deleted, 0.11 s elsewhere.
QUIET_AFTER_DELETION = 365.0


def note_deletion(work: Path) -> None:
    """Record when the harness last deleted its copies, once the deletion is on disk."""
    os.sync()
    (work / "last-deletion").write_text(f"{time.time()}\n")


def wait_for_quiet(work: Path) -> None:
    """Let the previous invocation's deletions age before anything is measured."""
    try:
        since = time.time() - float((work / "last-deletion").read_text())
    except (OSError, ValueError):
        return
    if 0 <= since < QUIET_AFTER_DELETION:
        pause = QUIET_AFTER_DELETION - since
        print(f"waiting {pause:.0f} s: the previous invocation's copies were deleted "
              f"{since:.0f} s ago (see QUIET_AFTER_DELETION)", flush=True)
        time.sleep(pause)


def fresh_copy(source: Path, target: Path) -> Callable[[], None]:
    """Copy the tree to target for the next run. Right after thousands of files are
    deleted, ext4 without a journal scans past the recently deleted inodes (for a
    minute or more) each time it creates a file. A tool that writes new files and
    renames them over the old ones (excise, for atomic changes) would then pay for
    deletions that are the harness's doing: the previous copy's, and the previous
    run's own renames, which free the replaced files' inodes. One that rewrites files
    in place (ast-grep) would not. So the previous copy is moved aside, not deleted,
    and every file of the new copy gets a second link there: a rename then replaces
    a name, and no inode is freed while the measurements last. Everything aside goes
    at the end, and the next invocation waits until that deletion is six minutes old."""
    def prepare() -> None:
        aside = target.parent / "old"
        aside.mkdir(exist_ok=True)
        stamp = time.monotonic_ns()
        if target.exists():
            target.rename(aside / f"{target.name}-{stamp}")
        shutil.copytree(source, target, copy_function=shutil.copyfile)
        shutil.copytree(target, aside / f"{target.name}-{stamp}-links", copy_function=os.link)
        # Flush the copy now, or its write-back lands inside the measured run.
        os.sync()
    return prepare


# -- the tree -----------------------------------------------------------------

def ensure_tree(work: Path, files: int, lines: int, seed: int, scale: int) -> tuple[Path, dict]:
    """Generate the tree once per parameter set; regenerate when the generator changes."""
    generator = BENCH / "generate.py"
    key = {"files": files, "lines_per_file": lines, "seed": seed, "scale": scale,
           "generator": hashlib.sha256(generator.read_bytes()).hexdigest()}
    tree = work / f"tree-f{files}-l{lines}-s{seed}-x{scale}"
    stamp = tree.with_suffix(".json")
    if stamp.exists() and tree.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("key") == key:
            return tree, saved["stats"]
    print(f"generating {files * scale} files x ~{lines} lines into {tree} ...", flush=True)
    stamp.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, str(generator), str(tree), "--files", str(files),
         "--lines-per-file", str(lines), "--seed", str(seed), "--scale", str(scale)],
        capture_output=True, text=True)
    if proc.returncode:
        raise BenchError(f"generate.py failed:\n{proc.stderr}")
    stats = dict(item.split("=", 1) for item in proc.stdout.split())
    stamp.write_text(json.dumps({"key": key, "stats": stats}))
    return tree, stats


def compile_file(path: str) -> bool:
    try:
        # Full compilation, as py_compile does, without writing a .pyc.
        compile(Path(path).read_bytes(), path, "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


def inspect_output(original: Path, output: Path) -> dict:
    """Changed .py files of a rewritten copy, how many no longer compile, calls left."""
    changed, left = [], 0
    for path in output.rglob("*.py"):
        text = path.read_bytes()
        left += text.count(b"logger.debug(")
        before = original / path.relative_to(output)
        if not before.exists() or before.read_bytes() != text:
            changed.append(str(path))
    deleted = sum(1 for p in original.rglob("*.py") if not (output / p.relative_to(original)).exists())
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        broken = sum(1 for ok in pool.map(compile_file, changed, chunksize=32) if not ok)
    return {"changed": len(changed), "deleted": deleted, "broken": broken, "debug_left": left}


# -- tools --------------------------------------------------------------------

def find_astgrep() -> Optional[str]:
    """The platform package's binary: the npm shim needs a postinstall we do not run."""
    arch = {"x86_64": "x64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    for root in (BENCH / "node_modules", TOP / "node_modules"):
        binary = root / "@ast-grep" / f"cli-linux-{arch}-gnu" / "ast-grep"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    for root in (BENCH / "node_modules", TOP / "node_modules"):
        shim = root / ".bin" / "ast-grep"
        if shim.exists():
            return str(shim)
    return None


def tool_version(argv: list[str]) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True)
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if proc.returncode == 0 else "?"


def excise_has(excise: str, option: str) -> bool:
    texts = []
    for argv in ([excise, "--help"], [excise, "diff", "--help"]):
        proc = subprocess.run(argv, capture_output=True, text=True)
        texts.append(proc.stdout + proc.stderr)
    return any(option in text for text in texts)


# -- report -------------------------------------------------------------------

def fmt_time(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.2f} s"


def fmt_mem(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"


def print_table(cases: list[Case], ratios: list[tuple[str, Case, Case]],
                speedups: list[tuple[str, Case, Case]]) -> None:
    width = max(len(c.label) for c in cases)
    header = f"{'plan':<24} {'command':<{width}} {'wall':>10} {'(min-max)':>17} {'CPU':>10} {'max RSS':>11}"
    print(header)
    print("-" * len(header))
    last_plan = None
    for case in cases:
        if not case.samples:
            continue
        walls = [s.wall for s in case.samples]
        plan = case.plan if case.plan != last_plan else ""
        last_plan = case.plan
        spread = f"({min(walls):.3f}-{max(walls):.3f})"
        print(f"{plan:<24} {case.label:<{width}} {fmt_time(case.median('wall')):>10} {spread:>17} "
              f"{fmt_time(case.median('cpu')):>10} {fmt_mem(case.median('rss_kib')):>11}")
    if ratios or speedups:
        print()
    for label, a, b in ratios:
        if a.samples and b.samples:
            print(f"{label:<{width + 25}} wall {fmt_ratio(a.median('wall'), b.median('wall')):>8}   "
                  f"CPU {fmt_ratio(a.median('cpu'), b.median('cpu')):>8}   "
                  f"max RSS {fmt_ratio(a.median('rss_kib'), b.median('rss_kib')):>8}")
    for label, a, b in speedups:
        if a.samples and b.samples:
            print(f"{label:<{width + 25}} wall {fmt_ratio(a.median('wall'), b.median('wall')):>8}   "
                  f"(CPU {fmt_time(a.median('cpu'))} vs {fmt_time(b.median('cpu'))})")


def bench_scale(args, scale: int, tools: dict) -> dict:
    tree, stats = ensure_tree(args.work, args.files, args.lines_per_file, args.seed, scale)
    excise, rg, astgrep = tools["excise"], tools["rg"], tools["ast-grep"]
    # Removed by main once every scale is measured (see fresh_copy).
    copies = args.work / "copies" / f"x{scale}"
    copies.mkdir(parents=True, exist_ok=True)
    excise_out, astgrep_out = copies / "excise", copies / "ast-grep"

    cases: list[Case] = []
    ratios, speedups = [], []
    p1 = None
    if "1" in args.plans:
        p1 = Case("1 few files", "excise diff",
                  [excise, "diff", "-p", str(PLAN_FEW), "--root", str(tree)])
        cases.append(p1)
        if rg:
            # -t py: excise reads only Python files; -F: literals, as excise matches them.
            literals = [arg for name in FEW_LITERALS for arg in ("-e", name)]
            r = Case("1 few files", "rg -l -F -t py " + " ".join(FEW_LITERALS),
                     [rg, "-l", "-F", "-t", "py", *literals, str(tree)])
            cases.append(r)
            ratios.append(("plan 1: excise / rg -l", p1, r))
    if "2" in args.plans:
        p2 = Case("2 every file (debug)", "excise apply (fresh copy)",
                  [excise, "apply", "-p", str(PLAN_DEBUG), "--root", str(excise_out)],
                  prepare=fresh_copy(tree, excise_out))
        p2diff = Case("2 every file (debug)", "excise diff",
                      [excise, "diff", "-p", str(PLAN_DEBUG), "--root", str(tree)])
        cases += [p2, p2diff]
        if astgrep:
            a = Case("2 every file (debug)", "ast-grep scan -U (fresh copy)",
                     [astgrep, "scan", "-r", str(ASTGREP_RULE), "-U", str(astgrep_out)],
                     prepare=fresh_copy(tree, astgrep_out))
            cases.append(a)
            ratios.append(("plan 2: excise apply / ast-grep -U", p2, a))
    if "3" in args.plans:
        if tools["no-prefilter"]:
            j1 = Case("3 no prefilter (floor)", "excise diff --no-prefilter -j1",
                      [excise, "diff", "--no-prefilter", "-j", "1", "-p", str(PLAN_FEW),
                       "--root", str(tree)])
            j2 = Case("3 no prefilter (floor)", "excise diff --no-prefilter -j2",
                      [excise, "diff", "--no-prefilter", "-j", "2", "-p", str(PLAN_FEW),
                       "--root", str(tree)])
            cases += [j1, j2]
            speedups.append(("plan 3: speed-up -j1 / -j2", j1, j2))
            if p1:
                ratios.append(("plan 1 / plan 3 -j2 (what the prefilter saves)", p1, j2))
        else:
            print("plan 3 skipped: this excise has no --no-prefilter option yet", flush=True)

    # Wall times mean little on a busy machine; the load is printed with the table.
    load_before = os.getloadavg()[0]
    print(f"\nscale {scale}: warm-up + {args.runs} runs of each command, in turns", flush=True)
    # The commands a plan compares take turns, run by run: this machine's
    # speed drifts over minutes (the same -j1 run took 11.8 s and 19.5 s
    # within one invocation), and in turns a drift weighs on both sides of a
    # ratio alike instead of on whichever ran later.
    plans = {}
    for case in cases:
        case.prepare = case.prepare or warm(tree)
        plans.setdefault(case.plan, []).append(case)
    # Plan 2 writes and renames thousands of files, whose write-back keeps a
    # core busy for a while after it: plan 3, which compares one thread with
    # two, runs before it (after plan 2 its -j2 runs took a fifth more CPU
    # than its -j1 runs; alone, as much).
    order = sorted(plans.values(), key=lambda group: group[0].plan.startswith("2"))
    for group in order:
        for case in group:
            run_case(case, record=False)
        for _ in range(args.runs):
            for case in group:
                run_case(case, record=True)
        for case in group:
            print(f"  {case.label:<40}" + "".join(f" {s.wall:.3f}" for s in case.samples),
                  flush=True)

    load_after = os.getloadavg()[0]

    checks = {}
    if "2" in args.plans:
        # The copies hold the last measured run's output.
        checks["excise"] = inspect_output(tree, excise_out)
        if astgrep:
            checks["ast-grep"] = inspect_output(tree, astgrep_out)
    if "1" in args.plans:
        # Plan 1's output must compile too; apply it once, outside the measurement.
        fresh_copy(tree, excise_out)()
        code, _, stderr = run_once([excise, "apply", "-p", str(PLAN_FEW), "--root", str(excise_out)])
        if code != 0:
            raise BenchError(f"excise apply (plan 1) exited {code}\n{stderr}")
        few = inspect_output(tree, excise_out)
        left = sum(1 for p in excise_out.rglob("*.py")
                   if any(n.encode() in p.read_bytes() for n in FEW_LITERALS))
        checks["plan 1"] = {"changed": few["changed"], "deleted": few["deleted"],
                            "broken": few["broken"], "files_still_naming": left}

    print()
    print(f"== scale {scale}: {int(stats['python_files']):,} Python files, "
          f"{int(stats['lines']):,} lines, {int(stats['logger_debug_calls']):,} logger.debug "
          f"calls, audit trail used {stats['audit_uses']} times in {stats['audit_files']} files; "
          f"{os.cpu_count()} cores, median of {args.runs} runs after a warm-up ==")
    # Only the load before the runs tells of other work: the one after counts
    # the benchmark's own commands, which keep every core busy.
    print(f"load average (1 min) before/after the runs: {load_before:.2f} / {load_after:.2f}"
          + ("  -- the machine was busy before the runs: wall times are inflated, CPU times"
             " hold better" if load_before > 0.5 * (os.cpu_count() or 1) else ""))
    print_table(cases, ratios, speedups)
    if checks:
        print()
    if "plan 1" in checks:
        c = checks["plan 1"]
        print(f"plan 1 output (excise apply): {c['changed']} files changed, {c['deleted']} deleted, "
              f"{c['broken']} do not compile, {c['files_still_naming']} still name "
              f"{' or '.join(FEW_LITERALS)}")
    for tool in ("excise", "ast-grep"):
        if tool in checks:
            c = checks[tool]
            print(f"plan 2 output ({tool}): {c['changed']} files changed, {c['broken']} do not "
                  f"compile, {c['debug_left']} 'logger.debug(' left")

    def med(case_label: str, attr: str = "wall") -> Optional[float]:
        for case in cases:
            if case.label == case_label and case.samples:
                return case.median(attr)
        return None

    return {
        "scale": scale, "stats": stats, "checks": checks,
        "cases": [{"plan": c.plan, "command": c.label,
                   "samples": [s.__dict__ for s in c.samples]} for c in cases],
        # Keyed by plan and command: plans 1 and 2 both run `excise diff`.
        "summary": {f"{c.plan[0]}: {c.label}": c.median("wall") for c in cases if c.samples},
    }


def print_scaling(results: list[dict]) -> None:
    columns = ["1: excise diff", "1: rg -l -F -t py " + " ".join(FEW_LITERALS),
               "2: excise apply (fresh copy)", "2: ast-grep scan -U (fresh copy)",
               "3: excise diff --no-prefilter -j2"]
    short = ["p1 excise", "p1 rg", "p2 excise", "p2 ast-grep", "p3 excise -j2"]
    print("\n== scaling (median wall time) ==")
    header = f"{'scale':>5} {'files':>8} {'lines':>11} " + " ".join(f"{s:>13}" for s in short)
    print(header)
    print("-" * len(header))
    for r in results:
        cells = [r["summary"].get(c) for c in columns]
        print(f"{r['scale']:>4}x {int(r['stats']['python_files']):>8,} {int(r['stats']['lines']):>11,} "
              + " ".join(f"{fmt_time(v) if v is not None else '-':>13}" for v in cells))


def main() -> int:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "excise-bench"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--excise", default=str(TOP / "build" / "tools" / "excise" / "excise"),
                        help="excise binary (default: build/tools/excise/excise)")
    parser.add_argument("--files", type=int, default=5000, help="Python files at scale 1")
    parser.add_argument("--lines-per-file", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", default="1",
                        help="tree size multiplier; a list (1,2,4) adds a scaling table")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command")
    parser.add_argument("--plans", default="1,2,3", help="which plans to run")
    parser.add_argument("--work", type=Path, default=cache,
                        help=f"where trees and copies go (default: {cache})")
    parser.add_argument("--keep", action="store_true",
                        help="keep the last rewritten copies (in WORK/copies)")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    args = parser.parse_args()
    args.plans = set(args.plans.split(","))
    scales = [int(s) for s in args.scale.split(",")]
    if args.runs < 1 or any(s < 1 for s in scales) or not args.plans <= {"1", "2", "3"}:
        parser.error("--runs and --scale must be >= 1; --plans takes 1, 2 and 3")

    excise = shutil.which(args.excise) or args.excise
    if not (os.path.isfile(excise) and os.access(excise, os.X_OK)):
        print(f"error: no excise binary at {args.excise} (build it, or pass --excise)", file=sys.stderr)
        return 2
    tools = {"excise": os.path.abspath(excise), "rg": shutil.which("rg"),
             "ast-grep": find_astgrep(),
             "no-prefilter": excise_has(excise, "no-prefilter")}
    if not tools["rg"]:
        print("rg not found on PATH: plan 1 runs without its comparison", flush=True)
    if not tools["ast-grep"]:
        print("ast-grep not found (npm ci --ignore-scripts in bench/): plan 2 runs without "
              "its comparison", flush=True)
    print("tools: " + "; ".join(
        f"{name} {tool_version([path, '--version'])}" for name, path in
        (("excise", tools["excise"]), ("rg", tools["rg"]), ("ast-grep", tools["ast-grep"])) if path))

    args.work.mkdir(parents=True, exist_ok=True)
    wait_for_quiet(args.work)
    results = []
    try:
        for scale in scales:
            results.append(bench_scale(args, scale, tools))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        copies = args.work / "copies"
        if args.keep:
            for aside in copies.glob("*/old"):
                shutil.rmtree(aside, ignore_errors=True)
        else:
            shutil.rmtree(copies, ignore_errors=True)
        note_deletion(args.work)
    if len(results) > 1:
        print_scaling(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
