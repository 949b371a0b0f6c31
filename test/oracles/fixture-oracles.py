#!/usr/bin/python3
"""The oracles of oracles.py over every fixture of the unit tests.

    test/oracles/fixture-oracles.py [--tests PATH] [--known FILE] [--dump DIR [--no-run]] [--all]

The Catch2 cases that run a plan do it through runOnTree (test/TestSupport.cpp).
With the environment variable EXCISE_ORACLE_DUMP naming a directory, each
such run that does not fail writes a *case* there, one directory each:

    before/      the tree the fixture gives the plan
    after/       the tree after the plan (deleted files absent)
    report.json  the report `excise diff --format json` prints for the run
    case.txt     `test: NAME` (the Catch2 test case) and `import-root: R`, and
                 `skipped: PATH` for a fixture whose tree has a path outside
                 the root (nothing else is written for it)

This script runs the unit tests (build/test/excise_tests, in two processes)
with the variable set to a temporary directory, then runs
`oracles.compare_many` over every case: CPython's parser, pyflakes and
pyright, each once per side over the files of all the cases (pyright with
one execution environment per case, so that each fixture imports from its
own tree). It prints one summary line, then every silent break and parse
failure with the test case it comes from. As in run-oracles.py, only what
is new after the plan counts: a finding the fixture's tree already had
before is not excise's doing.

Two canary cases run in the same batch: the canary of run-oracles.py (known
breaks, which must be found exactly) and the canary's tree before with one
importer edited (no break: each case must import from its own tree, not
from the canary's tree after the plan).

It fails (exit 1) when the unit tests fail or write no case, a canary gives
other breaks than its known ones, an oracle is missing or fails, or a silent
break or a parse failure is not listed in test/oracles/known-silent-fixtures.txt;
also when a line of that list no longer occurs (the list only shrinks). It
is the ctest test "oracles: CPython, pyflakes and pyright over every
unit-test fixture" (label `consumers`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent
sys.path.insert(0, str(HERE))

import oracles  # noqa: E402  (after the path is set)

KNOWN = HERE / "known-silent-fixtures.txt"
# Test cases whose trees pyright does not read (CPython and pyflakes still do),
# each with the reason. Their fixtures are stress tests of excise's own limits
# that go past pyright's: one such case would take most of the test's time.
WITHOUT_PYRIGHT = {
    "a name rebound twenty thousand times in one scope is analysed in bounded memory":
        "pyright's flow analysis of 20,000 bindings of one name in one scope takes about a minute a side",
}
# How a parse failure is named in the known list, in place of a name.
PARSE_FAILURE = "parse-failure"


def _load_run_oracles():
    spec = importlib.util.spec_from_file_location("run_oracles", HERE / "run-oracles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_oracles = _load_run_oracles()
Failure = run_oracles.Failure


@dataclass
class Case:
    """One runOnTree call, as the unit tests wrote it."""

    directory: Path
    test: str
    import_root: Path
    skipped: str = ""
    report: dict | None = None


def read_known(path: Path) -> dict[tuple[str, str, str, str], list[int]]:
    """Known silent breaks and parse failures, (test, path, oracle, name) -> the line numbers listing it."""
    known: dict[tuple[str, str, str, str], list[int]] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(None, 3)
        if len(fields) != 4 or fields[0] not in oracles.ORACLES:
            raise Failure(f"{path}:{number}: expected `oracle path name test case name`, got: {line}")
        oracle, rel, name, test = fields
        known.setdefault((test, rel, oracle, name), []).append(number)
    return known


def run_tests(tests: Path, dump: Path, work: Path, jobs: int) -> None:
    """Run every test case with EXCISE_ORACLE_DUMP=dump, in `jobs` processes side by side."""
    if not tests.exists():
        raise Failure(f"{tests} does not exist: build the suite first")
    listed = subprocess.run([str(tests), "--list-test-names-only"], capture_output=True, text=True)
    names = [n for n in listed.stdout.splitlines() if n.strip()]
    if listed.returncode < 0 or not names:
        raise Failure(f"{tests} --list-test-names-only listed nothing:\n{listed.stderr.strip()}")
    env = dict(os.environ, EXCISE_ORACLE_DUMP=str(dump))
    processes = []
    for shard in range(jobs):
        # Catch2 reads test specs from a file, one a line; a name is quoted so
        # that commas and brackets in it are not read as spec syntax.
        spec = work / f"tests-{shard}.txt"
        spec.write_text("".join(f'"{_escaped(n)}"\n' for n in names[shard::jobs]))
        processes.append(subprocess.Popen([str(tests), "--input-file", str(spec)], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    ran = 0
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise Failure(f"the unit tests failed with EXCISE_ORACLE_DUMP set (exit {process.returncode}):\n"
                          + "\n".join(out.splitlines()[-40:]))
        # "All tests passed (N assertions in M test cases)", or, when a
        # [!mayfail] case failed, "test cases: M | ... failed as expected".
        counted = re.search(r"in (\d+) test cases?\)|^test cases: *(\d+)", out, re.M)
        ran += int(counted.group(1) or counted.group(2)) if counted else 0
    if ran != len(names):
        raise Failure(f"{ran} of the {len(names)} test cases ran: a name was not matched")


def _escaped(name: str) -> str:
    """A test case name as Catch2's command line matches it exactly."""
    return "".join("\\" + c if c in '\\,[]"*' else c for c in name)


def read_cases(dump: Path) -> list[Case]:
    cases = []
    for directory in sorted(p for p in dump.iterdir() if p.is_dir()):
        info_file = directory / "case.txt"
        if not info_file.exists():
            raise Failure(f"{directory.name}: no case.txt (the case was not written to its end)")
        info = {}
        for line in info_file.read_text().splitlines():
            key, _, value = line.partition(": ")
            info[key] = value
        case = Case(directory, info.get("test", "?"), Path(info.get("import-root") or "."),
                    skipped=info.get("skipped", ""))
        if not case.skipped:
            case.report = json.loads((directory / "report.json").read_text())
        cases.append(case)
    if not cases:
        raise Failure(f"the unit tests wrote no case into {dump}: is EXCISE_ORACLE_DUMP read by runOnTree?")
    return cases


def canary_cases(work: Path) -> list[tuple[Path, Path, dict, Path]]:
    """The canary of run-oracles.py, and its tree before with b.py edited (no break expected)."""
    edited = dict(run_oracles.CANARY_BEFORE)
    edited["pkg/b.py"] = "# edited\n" + edited["pkg/b.py"]
    trees = {"known-breaks": (run_oracles.CANARY_BEFORE, run_oracles.CANARY_AFTER),
             "own-tree": (run_oracles.CANARY_BEFORE, edited)}
    for name, sides in trees.items():
        for side, files in zip(("before", "after"), sides):
            for rel, text in files.items():
                path = work / name / side / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return [(work / "known-breaks" / "before", work / "known-breaks" / "after", run_oracles.CANARY_REPORT, Path(".")),
            (work / "own-tree" / "before", work / "own-tree" / "after", {"files": [], "diagnostics": []}, Path("."))]


def check_canaries(results: list[oracles.OracleResult]) -> None:
    known_breaks, own_tree = results
    problems = []
    found = {(b.oracle, b.path, b.name, b.reported) for b in known_breaks.breaks}
    if found != run_oracles.CANARY_BREAKS or len(known_breaks.breaks) != len(run_oracles.CANARY_BREAKS):
        problems.append(f"breaks found {sorted(found)}, expected {sorted(run_oracles.CANARY_BREAKS)}")
    if [f.split(":")[0] for f in known_breaks.parse_failures] != ["pkg/p.py"]:
        problems.append(f"parse failures {known_breaks.parse_failures}, expected pkg/p.py's")
    if own_tree.checked != ["pkg/b.py"] or own_tree.breaks or own_tree.parse_failures:
        problems.append(f"the second canary checked {own_tree.checked} and found {[str(b) for b in own_tree.breaks]}"
                        f" {own_tree.parse_failures}, expected pkg/b.py and nothing: a case imported from "
                        "another case's tree")
    print(f"canary: {known_breaks.summary()}")
    if problems:
        raise Failure("the oracles do not find the canaries' known breaks: " + "; ".join(problems))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=Path, default=TOP / "build" / "test" / "excise_tests",
                        help="the Catch2 test binary (default build/test/excise_tests)")
    parser.add_argument("--known", type=Path, default=KNOWN)
    parser.add_argument("--dump", type=Path, help="write the cases here and keep them (default: a temporary directory)")
    parser.add_argument("--no-run", action="store_true", help="judge the cases already in --dump")
    parser.add_argument("--all", action="store_true", help="print reported breaks too")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="test processes side by side (default 2)")
    args = parser.parse_args()
    if args.no_run and not args.dump:
        parser.error("--no-run needs --dump")
    start = time.monotonic()
    failures: list[str] = []
    try:
        run_oracles.check_tools()
        known = read_known(args.known)
        with tempfile.TemporaryDirectory(prefix="excise-fixture-oracles-") as work_dir:
            work = Path(work_dir)
            dump = args.dump.resolve() if args.dump else work / "cases"
            if not args.no_run:
                if dump.exists() and any(dump.iterdir()):
                    raise Failure(f"{dump} is not empty")
                dump.mkdir(parents=True, exist_ok=True)
                run_tests(args.tests.resolve(), dump, work, max(1, args.jobs))
            tests_done = time.monotonic()
            cases = read_cases(dump)
            judged = [c for c in cases if not c.skipped]
            stale = set(WITHOUT_PYRIGHT) - {c.test for c in judged}
            if stale:
                raise Failure(f"WITHOUT_PYRIGHT names test cases that wrote no case: {sorted(stale)}")
            canaries = canary_cases(work / "canary")
            results = oracles.compare_many(
                canaries + [(c.directory / "before", c.directory / "after", c.report, c.import_root)
                            for c in judged],
                without_pyright=[len(canaries) + i for i, c in enumerate(judged) if c.test in WITHOUT_PYRIGHT])
            check_canaries(results[:2])
            results = results[len(canaries):]

        total = Counter()
        seen: Counter = Counter()
        lines = []
        for case, result in zip(judged, results):
            total.update(files_checked=result.files_checked, new_breaks=result.new_breaks,
                         reported=result.reported, silent=result.silent, preexisting=len(result.preexisting),
                         parse_failures=len(result.parse_failures))
            for oracle, count in result.unparsable.items():
                total[f"unparsable_{oracle}"] += count
            entries = [(f.split(":")[0], "cpython", PARSE_FAILURE, f"{f} [PARSE FAILURE]")
                       for f in result.parse_failures]
            entries += [(b.path, b.oracle, b.name, str(b)) for b in result.breaks if not b.reported]
            for rel, oracle, name, text in entries:
                key = (case.test, rel, oracle, name)
                seen[key] += 1
                if seen[key] <= len(known.get(key, [])):
                    note = " (known)"
                else:
                    note = ""
                    failures.append(f"{case.test}: {text}: not in {args.known.name} "
                                    f"(`{oracle} {rel} {name} {case.test}`)")
                lines.append(f"  {case.test} ({case.directory.name}): {text}{note}")
            if args.all:
                lines += [f"  {case.test} ({case.directory.name}): {b}" for b in result.breaks if b.reported]
        for key, numbers in sorted(known.items()):
            for number in numbers[seen[key]:]:
                failures.append(f"{args.known.name}:{number}: `{key[2]} {key[1]} {key[3]} {key[0]}` "
                                "no longer occurs: remove the line (the list only shrinks)")
        print(f"cases={len(judged)} skipped={len(cases) - len(judged)} "
              f"without_pyright={sum(c.test in WITHOUT_PYRIGHT for c in judged)} "
              f"tests={len({c.test for c in cases})} files_checked={total['files_checked']} "
              f"new_breaks={total['new_breaks']} reported={total['reported']} silent={total['silent']} "
              f"known_silent={sum(min(n, len(known.get(k, []))) for k, n in seen.items())} "
              f"preexisting={total['preexisting']} parse_failures={total['parse_failures']} "
              f"unparsable=" + ",".join(f"{o}:{total['unparsable_' + o]}" for o in oracles.ORACLES) +
              f" (tests {tests_done - start:.1f}s, oracles {time.monotonic() - tests_done:.1f}s)")
        for line in lines:
            print(line)
    except (Failure, oracles.OracleError) as e:
        failures.append(str(e))
    if failures:
        print(f"\nFAIL: {len(failures)} problem(s):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("every new break in the fixtures is reported by excise or known; no parse failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
