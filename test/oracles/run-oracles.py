#!/usr/bin/python3
"""The oracles of oracles.py over every plan the repository ships, on its example.

    test/oracles/run-oracles.py [--excise PATH] [--plan NAME]... [--baseline FILE]

The plans and their examples are the golden pairs of test/golden/pairs.txt
(rules/PLAN.yaml on examples/EXAMPLE; the plan's `import-root:` is the import
root). For each pair: the example is copied to a temporary directory (once per
example: every plan of it reads the same `before`, so the oracles' findings
there are computed once and cached), `excise diff --format json` gives the
report, `excise apply --quiet` on another copy gives the tree after the plan,
and `oracles.compare` runs CPython's parser, pyflakes and pyright on both. It
prints each plan's summary line and every break, then a total line.

First a canary, a small made-up tree before and after with known breaks, must
give exactly those: an oracle that went blind fails the test. It fails (exit 1)
when:
  - a file that CPython parsed before a plan does not parse after it;
  - a break is *silent* (excise did not report the name) and is not listed in
    test/oracles/known-silent.txt;
  - a line of known-silent.txt no longer occurs (the list only shrinks);
  - pyflakes or pyright is missing or fails, or excise fails: nothing is
    skipped;
  - the canary's breaks are not found exactly.
It is the ctest test "oracles: CPython, pyflakes and pyright over every
shipped plan on its example" (label `consumers`).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent
sys.path.insert(0, str(HERE))

import oracles  # noqa: E402  (after the path is set)

PAIRS = TOP / "test" / "golden" / "pairs.txt"
BASELINE = HERE / "known-silent.txt"


class Failure(Exception):
    pass


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """(example, plan) of each line of golden/pairs.txt (the third column is the golden test's)."""
    pairs = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            example, plan = line.split()[:2]
            pairs.append((example, plan))
    if not pairs:
        raise Failure(f"{path}: no pairs")
    return pairs


def read_baseline(path: Path) -> dict[tuple[str, str, str, str], list[int]]:
    """Known silent breaks, (plan, path, oracle, name) -> the line numbers listing it."""
    known: dict[tuple[str, str, str, str], list[int]] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 4 or fields[2] not in oracles.ORACLES:
            raise Failure(f"{path}:{number}: expected `plan path oracle name`, got: {line}")
        known.setdefault(tuple(fields), []).append(number)
    return known


def import_root(plan: Path) -> Path:
    """The plan's top-level `import-root:` value ("." when it has none)."""
    for line in plan.read_text().splitlines():
        found = re.match(r"import-root:\s*(.*?)\s*(?:#.*)?$", line)
        if found:
            return Path(found.group(1).strip("'\"") or ".")
    return Path(".")


def run(command: list[str], ok: tuple[int, ...], what: str) -> str:
    try:
        proc = subprocess.run(command, capture_output=True, text=True)
    except OSError as e:
        raise Failure(f"{what}: cannot run {command[0]}: {e}") from e
    if proc.returncode not in ok:
        raise Failure(f"{what} exited {proc.returncode}: {' '.join(command)}\n{proc.stderr.strip()}")
    return proc.stdout


def check_tools() -> None:
    """The oracles must be there: a missing one fails the test, it is never skipped."""
    version = run([oracles.SYSTEM_PYTHON, "-c", "import pyflakes; print(pyflakes.__version__)"], (0,),
                  f"pyflakes ({oracles.SYSTEM_PYTHON} -m pyflakes; Debian package python3-pyflakes)").strip()
    if not oracles.PYRIGHT.exists():
        raise Failure(f"pyright is not installed at {oracles.PYRIGHT.relative_to(TOP)}: run tools/dev setup, "
                      "or `npm ci --ignore-scripts` in test/consumers")
    pyright = run([str(oracles.PYRIGHT), "--version"], (0,), "pyright --version").strip()
    python = run([oracles.SYSTEM_PYTHON, "--version"], (0,), oracles.SYSTEM_PYTHON).strip()
    print(f"oracles: CPython {python.split()[-1]}, pyflakes {version}, {pyright}")


# The canary: a small tree before and after a hand-made "plan" whose breaks are
# known, so that a blind oracle (pyright not resolving the tree's packages, a
# message whose wording changed, an importer not found) fails the test instead
# of passing it with nothing found. a.py loses Repo.save, Repo.conn, helper
# and CONST; z.py is deleted; h.py loses a function it still calls; p.py no
# longer parses; g.py imports a.py but mentions no lost name.
CANARY_BEFORE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "class Repo:\n    def __init__(self):\n        self.conn = 1\n\n    def save(self):\n"
                "        pass\n\n    def load(self):\n        pass\n\n\ndef helper():\n    return 1\n\n\n"
                "CONST = 1\n",
    "pkg/z.py": "def zed():\n    pass\n",
    "pkg/b.py": "from pkg.a import Repo, CONST\n\nprint(Repo, CONST)\n",
    "pkg/c.py": "from . import a\n\nprint(a.helper())\n",
    "pkg/d.py": "import pkg.a\n\npkg.a.Repo().save()\nr = pkg.a.Repo()\nprint(r.conn)\n",
    "pkg/e.py": "from pkg import z\n\nz.zed()\n",
    "pkg/f.py": "from pkg.a import *\n\nprint(helper())\n",
    "pkg/g.py": "import pkg.a\n\nprint(pkg.a.Repo)\n",
    "pkg/h.py": "def used():\n    pass\n\n\nused()\n",
    "pkg/p.py": "x = 1\n",
}
CANARY_AFTER = {**{k: v for k, v in CANARY_BEFORE.items() if k != "pkg/z.py"},
                "pkg/a.py": "class Repo:\n    def load(self):\n        pass\n",
                "pkg/h.py": "used()\n",
                "pkg/p.py": "x = (\n"}
# Only b.py's CONST is reported, as excise words a leftover.
CANARY_REPORT = {"files": [], "diagnostics": [
    {"path": "pkg/b.py", "line": 1, "column": 25, "severity": "warning", "rule": "canary",
     "message": "'pkg.a.CONST' is removed by the plan but this use cannot be removed safely"}]}
CANARY_BREAKS = {
    ("pyright", "pkg/b.py", "CONST", True),   # "CONST" is unknown import symbol
    ("pyright", "pkg/c.py", "helper", False),  # "helper" is not a known attribute of module
    ("pyright", "pkg/d.py", "save", False),    # Cannot access attribute "save" for class "Repo"
    ("pyright", "pkg/d.py", "conn", False),
    ("pyright", "pkg/e.py", "z", False),       # "z" is unknown import symbol
    ("pyright", "pkg/f.py", "helper", False),  # "helper" is not defined (star import)
    ("pyright", "pkg/h.py", "used", False),    # "used" is not defined
    ("pyflakes", "pkg/h.py", "used", False),   # undefined name 'used'
}


def canary(work: Path) -> None:
    """Run the oracles on the canary trees; fail unless they find exactly the known breaks."""
    for side, files in (("before", CANARY_BEFORE), ("after", CANARY_AFTER)):
        for rel, text in files.items():
            path = work / side / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    result = oracles.compare(work / "before", work / "after", CANARY_REPORT)
    found = {(b.oracle, b.path, b.name, b.reported) for b in result.breaks}
    problems = []
    if found != CANARY_BREAKS or len(result.breaks) != len(CANARY_BREAKS):
        problems.append(f"breaks found {sorted(found)}, expected {sorted(CANARY_BREAKS)}")
    if [f.split(":")[0] for f in result.parse_failures] != ["pkg/p.py"]:
        problems.append(f"parse failures {result.parse_failures}, expected pkg/p.py's")
    if result.checked != sorted(set(CANARY_AFTER) - {"pkg/__init__.py", "pkg/g.py"}):
        problems.append(f"files checked {result.checked}, expected every file but pkg/__init__.py and pkg/g.py")
    print(f"canary: {result.summary()}")
    if problems:
        raise Failure("the oracles do not find the canary's known breaks: " + "; ".join(problems))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--excise", type=Path, default=TOP / "build" / "tools" / "excise" / "excise")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--plan", action="append", default=[],
                        help="only this plan (repeatable); the baseline's other plans are then not judged")
    args = parser.parse_args()
    start = time.monotonic()
    failures: list[str] = []
    try:
        check_tools()
        pairs = read_pairs(args.pairs)
        if args.plan:
            pairs = [p for p in pairs if p[1] in args.plan]
        known = read_baseline(args.baseline)
        excise = str(args.excise.resolve())
        total = Counter()
        seen: Counter = Counter()
        with tempfile.TemporaryDirectory(prefix="excise-oracles-") as work_dir:
            work = Path(work_dir)
            canary(work / "canary")
            befores: dict[str, tuple[Path, dict]] = {}
            for example, plan in pairs:
                plan_file = TOP / "rules" / f"{plan}.yaml"
                root = import_root(plan_file)
                if example not in befores:
                    befores[example] = (work / f"{example}-before", {})
                    shutil.copytree(TOP / "examples" / example, befores[example][0], symlinks=True)
                before, cache = befores[example]
                after = work / f"{plan}-after"
                shutil.copytree(TOP / "examples" / example, after, symlinks=True)
                report = json.loads(run([excise, "diff", "-p", str(plan_file), "--root", str(before),
                                         "--format", "json", "--quiet"], (0, 1), f"excise diff ({plan})"))
                run([excise, "apply", "-p", str(plan_file), "--root", str(after), "--quiet"], (0, 1),
                    f"excise apply ({plan})")
                plan_start = time.monotonic()
                result = oracles.compare(before, after, report, root, cache=cache)
                print(f"\n== {plan} on examples/{example} (import root {root.as_posix()}; "
                      f"{time.monotonic() - plan_start:.1f}s)")
                print(result.summary())
                for failure in result.parse_failures:
                    where, message = failure.split(": ", 1)
                    print(f"  {where}: cpython: {message} [PARSE FAILURE]")
                    failures.append(f"{plan}: {failure}: a file that parsed before the plan does not parse after it")
                for b in result.breaks:
                    key = (plan, b.path, b.oracle, b.name)
                    note = ""
                    if not b.reported:
                        seen[key] += 1
                        if seen[key] <= len(known.get(key, [])):
                            note = " (known: known-silent.txt)"
                        else:
                            failures.append(f"{plan}: {b}: a silent break not in known-silent.txt "
                                            f"(`{' '.join(key)}`)")
                    print(f"  {b}{note}")
                total.update(plans=1, files_checked=result.files_checked, new_breaks=result.new_breaks,
                             reported=result.reported, silent=result.silent,
                             parse_failures=len(result.parse_failures))
                for oracle, count in result.unparsable.items():
                    total[f"unparsable_{oracle}"] += count
        judged = {p for _, p in pairs}
        for key, lines in sorted(known.items()):
            if key[0] not in judged:
                continue
            for number in lines[seen[key]:]:
                failures.append(f"{args.baseline.name}:{number}: `{' '.join(key)}` no longer occurs: "
                                "remove the line (the list only shrinks)")
        print(f"\ntotal: plans={total['plans']} files_checked={total['files_checked']} "
              f"new_breaks={total['new_breaks']} reported={total['reported']} silent={total['silent']} "
              f"known_silent={sum(min(n, len(known.get(k, []))) for k, n in seen.items())} "
              f"parse_failures={total['parse_failures']} "
              f"unparsable=" + ",".join(f"{o}:{total['unparsable_' + o]}" for o in oracles.ORACLES) +
              f" ({time.monotonic() - start:.1f}s)")
    except (Failure, oracles.OracleError) as e:
        failures.append(str(e))
    if failures:
        print(f"\nFAIL: {len(failures)} problem(s):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("every new break is reported by excise or known; no parse failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
