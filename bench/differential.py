#!/usr/bin/env python3
"""Differential harness: random removals in real libraries, judged by independent oracles.

    /usr/bin/python3 bench/differential.py [--plans 300] [--seed 0]
        [--packages django,sqlalchemy,flask,celery,requests] [--only K] [--no-pyright]
        [-j N] [--work DIR] [--keep] [--json OUT] [--check] [--excise PATH]

The full run (docs/differential.md): 300 plans over the five packages with all three
oracles, 53 minutes on two cores shared with other work (46 minutes of CPU time; the
oracles take four fifths of a plan's time, pyright alone over half), 45 minutes when the
work directory's corpus and before-side cache are reused:

    /usr/bin/python3 bench/differential.py --plans 300 --seed 0 -j 2 \\
        --packages django,sqlalchemy,flask,celery,requests \\
        --work /tmp/excise-differential --json differential.json 2>differential.log

excise promises that every name that resolved before a plan still resolves after it,
or is reported as a leftover diagnostic; that its output always parses; and that a plan
run again on its own output changes nothing and never exits 2. This script measures
those promises on code nobody here wrote: the Python sources of Debian's python3-django,
-sqlalchemy, -flask, -celery and -requests (under /usr/lib/python3/dist-packages/).

Corpus. The packages' .py files are copied into a scratch git tree (--work DIR, or a
temporary directory), committed once, and checked out a second time as a git worktree
that stays clean: the *before* tree. The tree's root is the import root, so
`django.db.models.query` is `django/db/models/query.py`. Between plans the tree is
reset with `git checkout -- . && git clean -fd`. With -j N, N trees (worktrees of the
same commit) run N plans at a time. A --work directory is reused by later runs as long
as the packages' files are unchanged. The excise binary is copied at the start: a
rebuild during the run does not change it.

Plans. Python's `ast` indexes the corpus's definitions: top-level classes, functions
and globals (assignment targets, including those in top-level `if`/`try` blocks),
methods (`Class.method`, functions of a top-level class), and modules. Only those
referenced outside their own definition are kept: a Name, Attribute or imported name
spelled the same somewhere else in the corpus; for a module, an import of it from
another file (top-level packages such as `django` itself are left out). Plan K's first
target is of a kind drawn from a shuffled round of the five kinds, so every kind has a
fifth of the plans; within its kind the target is uniform over the corpus. One plan in
four has 2 or 3 targets (of any kind, any package, never one inside another or in the
same file), one rule each. Plan K depends only on --seed, --packages and K, so
`--seed S --packages P --only K` reproduces it alone.

Each plan:
  1. `excise diff -p PLAN --root TREE --format json -o report.json`: exit 0 or 1 is
     fine; 2 is a bad plan (counted as bad_plans, with its message, and not applied),
     and so is a plan whose report notes a target as not found (its other rules still
     run); a rule noted as having changed nothing is counted as inert_rules; 3 or
     more, a signal or a timeout is an error.
  2. `excise apply -p PLAN --root TREE --quiet`; the applied tree must be exactly the
     report's edits applied to the before tree (otherwise: an error).
  3. The oracles of test/oracles/oracles.py compare the before and after trees
     (`compare(before, after, report, changed=..., cache=...)`): every name that
     resolved before and no longer does is a new break, reported when excise's report
     has a diagnostic for it, silent otherwise; files that no longer parse are parse
     failures. The before side of their cache is filled once, for every file of the
     corpus (see before_cache), and kept in the work directory.
  4. Imports of a module the plan deleted, which no oracle sees (dangling_imports).
  5. `excise diff` again on the applied tree: a non-empty patch is not_idempotent, exit 2
     is rerun_exit2, 3 or more / a signal is an error.

Output (stdout; one progress line per plan goes to stderr): every failing case (error,
parse failure, not idempotent, rerun exit 2, silent break, silent dangling import) and
every bad plan and inert rule, each with the command reproducing it and its plan; per
kind and per oracle tables; dangling imports; the unparsable counts; the time spent per
step; and last one line:

    plans=N files_changed=N new_breaks=N reported=N silent=N parse_failures=N not_idempotent=N rerun_exit2=N errors=N

--json OUT writes all of it, plan by plan, for comparing runs. --check exits 1 when
errors, parse_failures, not_idempotent or rerun_exit2 is non-zero (silent breaks are
printed but do not fail it). --keep keeps the work directory and, for each failing
case (up to 30), a worktree with the plan applied under WORK/kept/. A requested package
that is not installed exits 77 (ctest's skip code). Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, asdict
from pathlib import Path
from typing import Optional

BENCH = Path(__file__).resolve().parent
TOP = BENCH.parent
ORACLES = TOP / "test" / "oracles"
DEFAULT_EXCISE = TOP / "build" / "tools" / "excise" / "excise"
DIST_PACKAGES = Path("/usr/lib/python3/dist-packages")
DEFAULT_PACKAGES = ["django", "sqlalchemy", "flask", "celery", "requests"]
KINDS = ["class", "function", "method", "global", "module"]
TOTALS = ["plans", "files_changed", "new_breaks", "reported", "silent", "parse_failures",
          "not_idempotent", "rerun_exit2", "errors"]
CORPUS_FORMAT = 1          # bump when the corpus layout or the index changes
EXCISE_TIMEOUT = 600       # seconds for one excise run
MAX_KEPT = 30


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.autocrlf=false", "-c", "gc.auto=0", *args],
                          cwd=cwd, check=check, capture_output=True, text=True)


# ---------------------------------------------------------------------------------------
# Corpus


def package_files(packages: list[str]) -> list[tuple[str, Path]]:
    """(path relative to the tree, source) of every .py file of the packages, sorted."""
    out = []
    for pkg in packages:
        root = DIST_PACKAGES / pkg
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    src = Path(dirpath) / name
                    out.append((str(src.relative_to(DIST_PACKAGES)), src))
    return sorted(out)


def fingerprint(files: list[tuple[str, Path]]) -> str:
    h = hashlib.sha256(f"format {CORPUS_FORMAT}\n".encode())
    for rel, src in files:
        st = src.stat()
        h.update(f"{rel} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def build_corpus(work: Path, packages: list[str], jobs: int) -> tuple[Path, list[Path], str]:
    """The before tree and the -j trees, built or reused; and the corpus fingerprint."""
    files = package_files(packages)
    fp = fingerprint(files)
    repo, before = work / "tree-0", work / "before"
    trees = [repo] + [work / f"tree-{i}" for i in range(1, jobs)]
    stamp = work / "corpus.stamp"
    if stamp.exists() and stamp.read_text().strip() == fp and before.is_dir() and repo.is_dir():
        log(f"[differential] reusing the corpus in {work} ({len(files)} files)")
    else:
        log(f"[differential] copying {len(files)} files of {','.join(packages)} into {work}")
        for d in work.glob("tree-*"):
            shutil.rmtree(d)
        if before.exists():
            shutil.rmtree(before)
        stamp.unlink(missing_ok=True)
        repo.mkdir(parents=True)
        for rel, src in files:
            dst = repo / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=differential", "-c", "user.email=differential@localhost",
            "commit", "-q", "-m", f"corpus: {','.join(packages)}")
        git(repo, "worktree", "add", "-q", "--detach", str(before), "HEAD")
        stamp.write_text(fp + "\n")
    if (work / "kept").exists():          # failing cases of an earlier run
        shutil.rmtree(work / "kept")
    git(repo, "worktree", "prune")
    for t in trees[1:]:
        if not t.is_dir():
            git(repo, "worktree", "add", "-q", "--detach", str(t), "HEAD")
    return before, trees, fp


def reset_tree(tree: Path) -> None:
    git(tree, "checkout", "-q", "--", ".")
    git(tree, "clean", "-fdq")


# ---------------------------------------------------------------------------------------
# Index of definitions


def module_of(rel: str) -> str:
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level(stmts: list, conditional: bool = False):
    """(statement, inside an if/try/with/loop block) for a block's statements, entering
    compound statements that do not open a scope."""
    for s in stmts:
        if isinstance(s, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            yield from top_level(s.body, True)
            yield from top_level(s.orelse, True)
        elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            yield from top_level(s.body, True)
            for h in s.handlers:
                yield from top_level(h.body, True)
            yield from top_level(s.orelse, True)
            yield from top_level(s.finalbody, True)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            yield from top_level(s.body, True)
        else:
            yield s, conditional


def span(node) -> tuple[int, int]:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return start, node.end_lineno


def assigned_names(s) -> list[str]:
    targets = []
    if isinstance(s, ast.Assign):
        targets = s.targets
    elif isinstance(s, (ast.AnnAssign, ast.AugAssign)):
        targets = [s.target]
    names = []
    for t in targets:
        stack = [t]
        while stack:
            n = stack.pop()
            if isinstance(n, ast.Name):
                names.append(n.id)
            elif isinstance(n, (ast.Tuple, ast.List)):
                stack.extend(n.elts)
            elif isinstance(n, ast.Starred):
                stack.append(n.value)
    return names


def index_file(rel: str, text: bytes):
    """(definitions, occurrences, imported modules) of one file, or None if it does not
    parse. definitions: {qualified name: [kind, [(start, end)...], conditional, line]}."""
    try:
        tree = ast.parse(text, filename=rel)
    except (SyntaxError, ValueError):
        return None
    module = module_of(rel)
    defs: dict[str, list] = {}

    def define(name: str, kind: str, sp: tuple[int, int], cond: bool) -> None:
        entry = defs.setdefault(name, [kind, [], False, sp[0]])
        entry[1].append(sp)
        entry[2] = entry[2] or cond

    for s, cond in top_level(tree.body):
        if isinstance(s, ast.ClassDef):
            define(f"{module}.{s.name}", "class", span(s), cond)
            for m, mcond in top_level(s.body, cond):
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    define(f"{module}.{s.name}.{m.name}", "method", span(m), mcond)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            define(f"{module}.{s.name}", "function", span(s), cond)
        else:
            for name in assigned_names(s):
                define(f"{module}.{name}", "global", span(s), cond)

    occ: dict[str, list[int]] = defaultdict(list)
    imports: set[str] = set()
    is_pkg = rel.endswith("/__init__.py")
    package = module if is_pkg else module.rpartition(".")[0]
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            occ[n.id].append(n.lineno)
        elif isinstance(n, ast.Attribute):
            occ[n.attr].append(n.end_lineno)
        elif isinstance(n, ast.Import):
            for a in n.names:
                imports.add(a.name)
                for part in a.name.split("."):
                    occ[part].append(n.lineno)
                if a.asname:
                    occ[a.asname].append(n.lineno)
        elif isinstance(n, ast.ImportFrom):
            if n.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (n.level - 1)] if n.level > 1 else base
                base_mod = ".".join(base + ([n.module] if n.module else []))
            else:
                base_mod = n.module or ""
            if base_mod:
                imports.add(base_mod)
                for part in base_mod.split("."):
                    occ[part].append(n.lineno)
            for a in n.names:
                if a.name != "*":
                    occ[a.name].append(n.lineno)
                    imports.add(f"{base_mod}.{a.name}" if base_mod else a.name)
    return defs, dict(occ), sorted(imports)


@dataclass
class Target:
    name: str          # dotted, as the plan spells it
    kind: str
    file: str
    line: int
    conditional: bool


def build_index(tree: Path, work: Path, fp: str) -> dict[str, list[Target]]:
    """Referenced definitions per kind, sorted; cached in WORK by corpus fingerprint."""
    cache = work / f"index-{fp}.json"
    if cache.exists():
        data = json.loads(cache.read_text())
        return {k: [Target(**t) for t in v] for k, v in data.items()}
    start = time.perf_counter()
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.py"))
    modules = {module_of(f): f for f in files}
    all_defs: list[tuple[str, str, list]] = []
    occurrences: dict[str, dict[str, list[int]]] = defaultdict(dict)
    imported_by: dict[str, set[str]] = defaultdict(set)
    unparsed = 0
    for rel in files:
        res = index_file(rel, (tree / rel).read_bytes())
        if res is None:
            unparsed += 1
            continue
        defs, occ, imports = res
        for name, entry in defs.items():
            all_defs.append((rel, name, entry))
        for name, lines in occ.items():
            occurrences[name][rel] = lines
        for m in imports:
            if m in modules:
                imported_by[m].add(rel)

    def referenced(rel: str, short: str, spans: list[tuple[int, int]]) -> bool:
        where = occurrences.get(short, {})
        if any(f != rel for f in where):
            return True
        return any(not any(a <= ln <= b for a, b in spans) for ln in where.get(rel, []))

    index: dict[str, list[Target]] = {k: [] for k in KINDS}
    for rel, name, (kind, spans, cond, line) in all_defs:
        if name in modules:      # a global or function named like a submodule: ambiguous
            continue
        if referenced(rel, name.rpartition(".")[2], spans):
            index[kind].append(Target(name, kind, rel, line, cond))
    for mod, rel in modules.items():
        if "." in mod and any(f != rel for f in imported_by.get(mod, ())):
            index["module"].append(Target(mod, "module", rel, 1, False))
    for k in index:
        index[k].sort(key=lambda t: t.name)
    cache.write_text(json.dumps({k: [asdict(t) for t in v] for k, v in index.items()}))
    log(f"[differential] indexed {len(files)} files in {time.perf_counter() - start:.1f}s "
        f"({unparsed} do not parse): " + ", ".join(f"{k} {len(v)}" for k, v in index.items()))
    return index


# ---------------------------------------------------------------------------------------
# Plans


def overlaps(a: Target, b: Target) -> bool:
    """One target inside the other, or both in one file (kept apart so that every rule
    of a multi-rule plan has its own effect)."""
    if a.file == b.file:
        return True
    def inside(x: str, y: str) -> bool:
        return x == y or x.startswith(y + ".")
    return inside(a.name, b.name) or inside(b.name, a.name)


def make_plan(seed: int, k: int, index: dict[str, list[Target]]) -> list[Target]:
    block = random.Random(f"{seed}:round:{k // len(KINDS)}")
    order = KINDS[:]
    block.shuffle(order)
    rng = random.Random(f"{seed}:plan:{k}")
    targets = [rng.choice(index[order[k % len(KINDS)]])]
    if rng.random() < 0.25:
        want = rng.choice([2, 3])
        for _ in range(50):
            if len(targets) == want:
                break
            t = rng.choice(index[rng.choice(KINDS)])
            if not any(overlaps(t, u) for u in targets):
                targets.append(t)
    return targets


def plan_yaml(seed: int, k: int, targets: list[Target]) -> str:
    lines = [f"plan: diff-{k:04d}",
             f"description: differential plan {k} of seed {seed}",
             "rules:"]
    for i, t in enumerate(targets, 1):
        op = "remove-module" if t.kind == "module" else "remove-symbol"
        lines += [f"  - id: r{i}", f"    {op}: {t.name}    # {t.kind}, {t.file}:{t.line}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# Running a plan


@dataclass
class Run:
    code: int
    stderr: str
    seconds: float


def snapshot_binary(binary: Path, work: Path) -> tuple[Path, str]:
    """A private copy of the excise binary for the whole run, and its sha256.

    The build directory's binary may be relinked while the run goes on (another
    engineer rebuilding): every plan is run by the same, complete binary. Waits up to
    15 minutes for a binary that has not changed for 3 seconds and runs `--version`.
    """
    deadline = time.time() + 900
    while True:
        try:
            st = binary.stat()
            ready = (st.st_size > 0 and os.access(binary, os.X_OK)
                     and time.time() - st.st_mtime > 3)
        except OSError:
            ready = False
        if ready:
            dst = work / "bin" / "excise"
            dst.parent.mkdir(exist_ok=True)
            tmp = dst.with_suffix(".tmp")
            shutil.copy2(binary, tmp)
            os.replace(tmp, dst)
            if binary.stat().st_mtime == st.st_mtime:
                p = subprocess.run([str(dst), "--version"], capture_output=True)
                if p.returncode == 0:
                    return dst, hashlib.sha256(dst.read_bytes()).hexdigest()[:16]
        if time.time() > deadline:
            raise SystemExit(f"[differential] {binary}: no usable binary after 15 minutes")
        log(f"[differential] waiting for {binary} (being rebuilt?)")
        time.sleep(10)


def excise(binary: Path, args: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    try:
        p = subprocess.run([str(binary), *args], cwd=cwd, capture_output=True, text=True,
                           timeout=EXCISE_TIMEOUT, errors="replace")
        return Run(p.returncode, p.stderr, time.perf_counter() - start)
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Run(-1000, f"timed out after {EXCISE_TIMEOUT}s\n{err}", time.perf_counter() - start)
    except OSError as e:
        return Run(-1001, f"could not run {binary}: {e}", time.perf_counter() - start)


def describe_exit(r: Run) -> str:
    if r.code == -1000:
        return "timeout"
    if r.code == -1001:
        return "could not run"
    if r.code < 0:
        return f"signal {-r.code}"
    return f"exit {r.code}"


def first_lines(text: str, n: int = 12) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[:n] + ([f"... ({len(lines) - n} more lines)"] if len(lines) > n else []))


def apply_edits(old: bytes, edits: list[dict]) -> bytes:
    out = bytearray(old)
    for e in sorted(edits, key=lambda e: (e["offset"], e["length"]), reverse=True):
        out[e["offset"]:e["offset"] + e["length"]] = e["new_text"].encode()
    return bytes(out)


def check_applied(before: Path, tree: Path, report: dict) -> list[str]:
    """How the applied tree differs from the report's edits applied to the before tree."""
    problems = []
    expected: dict[str, Optional[bytes]] = {}     # path -> content, None = absent
    for f in report.get("files", []):
        status, path, old_path = f["status"], f["path"], f.get("old_path")
        if status == "deleted":
            expected[path] = None
        elif status == "created":
            expected[path] = f.get("content", "").encode()
        else:
            new = apply_edits((before / old_path).read_bytes(), f.get("edits", []))
            if status == "renamed" and old_path != path:
                expected[old_path] = None
            expected[path] = new
    status = git(tree, "status", "--porcelain", "-z", "--untracked-files=all").stdout
    changed = set()
    for entry in filter(None, status.split("\0")):
        changed.add(entry[3:])
    for path in sorted(changed - set(expected)):
        problems.append(f"{path}: changed by apply but not in the report")
    for path, content in sorted(expected.items()):
        actual = (tree / path).read_bytes() if (tree / path).is_file() else None
        if actual != content:
            what = ("absent" if actual is None else "present") if (actual is None) != (content is None) else "different"
            problems.append(f"{path}: {what} after apply, not as the report's edits say")
    return problems


def resolved_imports(tree: ast.AST, module: str, is_package: bool):
    """(line, module, names bound, inside a try, is `from M import name`'s M.name) for
    each import statement: the module it imports, and for `from M import a, b` also M.a
    and M.b (which may be modules)."""
    tries = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            for s in n.body:
                for sub in ast.walk(s):
                    tries.add(id(sub))
    package = module if is_package else module.rpartition(".")[0]
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for a in n.names:
                yield n.lineno, a.name, [a.asname or a.name.split(".")[0]], id(n) in tries, False
        elif isinstance(n, ast.ImportFrom):
            if n.level:
                parts = package.split(".") if package else []
                if n.level - 1 > len(parts):
                    continue
                base = ".".join(parts[:len(parts) - (n.level - 1)] + ([n.module] if n.module else []))
            else:
                base = n.module or ""
            names = [a.name for a in n.names if a.name != "*"]
            yield n.lineno, base, [a.asname or a.name for a in n.names if a.name != "*"], id(n) in tries, False
            for name in names:
                yield n.lineno, f"{base}.{name}" if base else name, [name], id(n) in tries, True


def dangling_imports(before: Path, tree: Path, report: dict) -> list[dict]:
    """Imports, after the plan, of a module the plan deleted or moved away.

    The oracles cannot see these: pyright resolves a module missing from the tree from
    /usr/lib/python3/dist-packages (where the corpus comes from) or its bundled stubs,
    and pyflakes does not resolve imports. `from M import x` is dangling when M is gone,
    or when M.x was a module, is gone, and M does not define x.
    """
    import oracles
    gone = set()
    for f in report.get("files", []):
        old = f.get("old_path")
        if f["status"] in ("deleted", "renamed") and old and old.endswith(".py"):
            gone.add(module_of(old))
    after_modules = {module_of(str(p.relative_to(tree))) for p in tree.rglob("*.py")}
    gone -= after_modules
    if not gone:
        return []
    word = re.compile(r"\b(?:" + "|".join(sorted({re.escape(m.rpartition(".")[2]) for m in gone})) + r")\b")
    quoted: dict[str, list[str]] = defaultdict(list)
    for d in report.get("diagnostics", []):
        if d.get("severity") in ("warning", "error") and d.get("path"):
            quoted[d["path"]] += re.findall(r"'([^']+)'", d.get("message", ""))
    out = []
    for path in sorted(tree.rglob("*.py")):
        rel = str(path.relative_to(tree))
        text = path.read_bytes()
        if not word.search(text.decode("utf-8", "replace")):
            continue
        try:
            parsed = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        seen = set()
        for line, mod, names, guarded, member in resolved_imports(
                parsed, module_of(rel), rel.endswith("/__init__.py")):
            if line in seen or (mod not in gone and not any(mod.startswith(g + ".") for g in gone)):
                continue
            parent, _, last = mod.rpartition(".")
            if member and parent in after_modules and parent not in gone:
                # `from parent import last`: fine if parent still defines `last`.
                init = tree / (parent.replace(".", "/") + "/__init__.py")
                src = init if init.exists() else tree / (parent.replace(".", "/") + ".py")
                try:
                    if last in oracles.defined_names(ast.parse(src.read_bytes())):
                        continue
                except (SyntaxError, ValueError, OSError):
                    pass
            seen.add(line)
            keys = {mod, last, *names}
            reported = any(q in keys or last in q.split(".") for q in quoted.get(rel, []))
            out.append({"oracle": "imports", "path": rel, "line": line, "name": mod,
                        "message": f"imports {mod}, which the plan removed"
                                   + (" (inside a try block)" if guarded else ""),
                        "reported": reported})
    return out


@dataclass
class PlanResult:
    index: int
    kinds: list[str]
    targets: list[dict]
    yaml: str
    files_changed: int = 0
    diagnostics: int = 0
    leftovers: int = 0
    bad_plan: Optional[str] = None
    new_breaks: int = 0
    reported: int = 0
    silent: int = 0
    parse_failures: list[str] = field(default_factory=list)
    unparsable: dict = field(default_factory=dict)
    files_checked: int = 0
    per_oracle: dict = field(default_factory=dict)       # oracle -> {new_breaks, reported, silent}
    silent_breaks: list[dict] = field(default_factory=list)
    preexisting: list[dict] = field(default_factory=list)  # see oracles.py: never an attribute
    careful: dict = field(default_factory=dict)  # careful_removal_counts
    not_idempotent: list[str] = field(default_factory=list)
    rerun_edits: list[str] = field(default_factory=list)   # the first edits of the re-run
    rerun_exit2: Optional[str] = None
    dangling: list[dict] = field(default_factory=list)   # see dangling_imports
    inert: list[str] = field(default_factory=list)       # notes of rules that changed nothing
    errors: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    pyright_runs: int = 0      # pyright processes the oracles started for this plan
    pyright_files: int = 0     # files they were given
    kept: Optional[str] = None

    def failing(self) -> list[str]:
        causes = []
        if self.errors:
            causes.append("error")
        if self.parse_failures:
            causes.append("parse failure")
        if self.not_idempotent:
            causes.append("not idempotent")
        if self.rerun_exit2:
            causes.append("rerun exit 2")
        if self.silent:
            causes.append("silent break")
        if any(not d["reported"] for d in self.dangling):
            causes.append("silent dangling import")
        return causes


_slot: dict = {}
_pyright_timing: dict = {}


def instrument_pyright(oracles) -> dict:
    """Count and time the oracles' pyright runs (the cost that dominates a plan), by
    wrapping its runner once per process; measurement only, results are unchanged."""
    run = getattr(oracles, "_pyright", None)
    if run is None or getattr(run, "_timed", False):
        return _pyright_timing

    def timed(root, import_root, files):
        start = time.perf_counter()
        try:
            return run(root, import_root, files)
        finally:
            _pyright_timing["runs"] = _pyright_timing.get("runs", 0) + 1
            _pyright_timing["files"] = _pyright_timing.get("files", 0) + len(files)
            _pyright_timing["seconds"] = _pyright_timing.get("seconds", 0.0) + time.perf_counter() - start

    timed._timed = True
    oracles._pyright = timed
    return _pyright_timing


def init_worker(slots, before: str, binary: str, pyright: bool, work: str, keep: bool,
                cache: dict) -> None:
    _slot.update(tree=Path(slots.get()), before=Path(before), binary=Path(binary),
                 pyright=pyright, work=Path(work), keep=keep, cache=cache)
    sys.path.insert(0, str(ORACLES))


def run_plan_in_worker(args: tuple) -> PlanResult:
    seed, k, targets, yaml = args
    s = _slot
    return run_plan(seed, k, targets, yaml, s["tree"], s["before"], s["binary"], s["pyright"],
                    s["work"], s["keep"], s["cache"])


def run_plan(seed: int, k: int, targets: list[Target], yaml: str, *rest) -> PlanResult:
    """One plan; a failure of the harness itself (git, the file system) is an error of
    that plan, not the end of the run."""
    try:
        return run_plan_unguarded(seed, k, targets, yaml, *rest)
    except Exception:
        res = PlanResult(k, [t.kind for t in targets], [asdict(t) for t in targets], yaml)
        res.errors.append("the harness failed:\n" + traceback.format_exc(limit=8))
        return res


# Calls whose value has no side effect, for dead_locals_left (the closed list of
# docs/semantics.md, "Pure expressions", as the harness writes it itself).
PURE_CALLS = {"len", "str", "int", "float", "bool", "repr", "abs", "round", "min", "max",
              "sum", "sorted", "tuple", "list", "dict", "set", "frozenset", "isinstance",
              "time.time", "time.monotonic", "time.perf_counter", "time.process_time",
              "datetime.now", "datetime.utcnow", "datetime.today", "date.today",
              "datetime.datetime.now", "datetime.datetime.utcnow"}


def side_effect_free(node: ast.AST) -> bool:
    """Names, literals, attribute reads, arithmetic, containers and calls on PURE_CALLS."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return side_effect_free(node.value)
    if isinstance(node, ast.Subscript):
        return side_effect_free(node.value) and side_effect_free(node.slice)
    if isinstance(node, (ast.BinOp,)):
        return side_effect_free(node.left) and side_effect_free(node.right)
    if isinstance(node, ast.UnaryOp):
        return side_effect_free(node.operand)
    if isinstance(node, ast.BoolOp):
        return all(side_effect_free(v) for v in node.values)
    if isinstance(node, ast.Compare):
        return side_effect_free(node.left) and all(side_effect_free(c) for c in node.comparators)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(side_effect_free(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(side_effect_free(v) for v in node.keys + node.values if v is not None)
    if isinstance(node, ast.JoinedStr):
        return all(side_effect_free(v.value) if isinstance(v, ast.FormattedValue) else True
                   for v in node.values)
    if isinstance(node, ast.Call):
        try:
            name = ast.unparse(node.func)
        except Exception:
            return False
        return name in PURE_CALLS and all(side_effect_free(a) for a in node.args) and \
            all(side_effect_free(k.value) for k in node.keywords)
    return False


def unused_locals(text: bytes) -> Counter:
    """pyflakes' `local variable 'x' is assigned to but never used`, by name."""
    from pyflakes import api, messages, reporter as pyflakes_reporter

    class Collect(pyflakes_reporter.Reporter):
        def __init__(self):
            self.found: Counter = Counter()

        def unexpectedError(self, filename, msg):
            pass

        def syntaxError(self, filename, msg, lineno, offset, text):
            pass

        def flake(self, m):
            if isinstance(m, messages.UnusedVariable):
                self.found[m.message_args[0]] += 1

    r = Collect()
    api.check(text.decode("utf-8", "replace"), "x.py", r)
    return r.found


def careful_removal_counts(before: Path, tree: Path, report: dict) -> dict:
    """What issue 20 counts on a plan's result, without asking excise:
    dead_locals_left: locals pyflakes newly finds assigned and never read whose every
    assignment (found with ast) has a side-effect-free value; tests_removed: `test*`
    functions and methods of changed files present before and gone after;
    guard_blocks_removed_whole: `if` statements of changed files whose condition text
    is gone after the plan while the enclosing function stays."""
    counts = Counter()
    for f in report.get("files", []):
        old, new = f.get("old_path") or f.get("path"), f.get("path")
        if not (old or "").endswith(".py"):
            continue
        before_text = (before / old).read_bytes() if (before / old).exists() else b""
        after_text = (tree / new).read_bytes() if new and (tree / new).exists() else b""
        try:
            before_ast = ast.parse(before_text)
            after_ast = ast.parse(after_text) if after_text else ast.Module(body=[], type_ignores=[])
        except (SyntaxError, ValueError):
            continue
        if after_text:
            new_unused = unused_locals(after_text) - unused_locals(before_text)
            for name in new_unused:
                values = [n.value for n in ast.walk(after_ast)
                          if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None
                          and any(isinstance(t, ast.Name) and t.id == name
                                  for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
                if values and all(side_effect_free(v) for v in values):
                    counts["dead_locals_left"] += new_unused[name]

        def tests(t: ast.AST) -> Counter:
            return Counter(n.name for n in ast.walk(t)
                           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and n.name.startswith("test"))
        counts["tests_removed"] += sum((tests(before_ast) - tests(after_ast)).values())

        def functions(t: ast.AST) -> dict:
            return {n.name: n for n in ast.walk(t)
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        after_functions = functions(after_ast)
        for name, fn in functions(before_ast).items():
            if name not in after_functions:
                continue
            kept = Counter(ast.unparse(n.test) for n in ast.walk(after_functions[name])
                           if isinstance(n, ast.If))
            for n in ast.walk(fn):
                if isinstance(n, ast.If):
                    test = ast.unparse(n.test)
                    if kept[test]:
                        kept[test] -= 1
                    elif not any(ast.unparse(b).startswith(ast.unparse(n.body[0]))
                                 for b in ast.walk(after_functions[name])
                                 if isinstance(b, ast.stmt) and n.body):
                        counts["guard_blocks_removed_whole"] += 1
    return counts


def run_plan_unguarded(seed: int, k: int, targets: list[Target], yaml: str, tree: Path,
                       before: Path, binary: Path, pyright: bool, work: Path, keep: bool,
                       cache: dict) -> PlanResult:
    res = PlanResult(k, [t.kind for t in targets], [asdict(t) for t in targets], yaml)
    out = work / "out" / f"diff-{k:04d}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    plan = out / "plan.yaml"
    plan.write_text(yaml)
    report_path, rerun_path = out / "report.json", out / "rerun.json"

    reset_tree(tree)
    r = excise(binary, ["diff", "-p", str(plan), "--root", str(tree), "--format", "json",
                        "-o", str(report_path)], tree)
    res.seconds["diff"] = round(r.seconds, 3)
    if r.code == 2:
        res.bad_plan = first_lines(r.stderr)
        return res
    if r.code not in (0, 1):
        res.errors.append(f"excise diff: {describe_exit(r)}\n{first_lines(r.stderr)}")
        return res
    try:
        report = json.loads(report_path.read_text())
    except (OSError, ValueError) as e:
        res.errors.append(f"excise diff: no JSON report: {e}")
        return res
    # A target excise does not find is a note of the plan (excise used to exit 2 on it):
    # the index offered something excise cannot address. The other rules still run.
    unresolved = [d["message"] for d in report.get("diagnostics", [])
                  if d.get("rule") == "plan" and ("not found" in d.get("message", "")
                                                  or "not in the tree" in d.get("message", ""))]
    if unresolved:
        res.bad_plan = "\n".join(unresolved)
    # A rule excise declines to act on ("rule 'r1' changed nothing and found no use of its
    # targets"): the target stays; counted apart, it breaks nothing.
    res.inert = [d["message"] for d in report.get("diagnostics", [])
                 if d.get("rule") == "plan" and "changed nothing" in d.get("message", "")]
    res.files_changed = len(report.get("files", []))
    res.diagnostics = len(report.get("diagnostics", []))
    res.leftovers = report.get("summary", {}).get("leftovers", 0)

    r = excise(binary, ["apply", "-p", str(plan), "--root", str(tree), "--quiet"], tree)
    res.seconds["apply"] = round(r.seconds, 3)
    if r.code not in (0, 1):
        res.errors.append(f"excise apply: {describe_exit(r)}\n{first_lines(r.stderr)}")
        return res
    for problem in check_applied(before, tree, report):
        res.errors.append(f"apply differs from the diff's report: {problem}")

    changed = sorted({p for f in report.get("files", [])
                      for p in (f.get("path"), f.get("old_path")) if p})
    start = time.perf_counter()
    timing: dict = {}
    try:
        import oracles
        timing = instrument_pyright(oracles)
        timing.update(runs=0, files=0, seconds=0.0)
        o = oracles.compare(before, tree, report, import_root=Path("."), pyright=pyright,
                    changed=changed, cache=cache)
    except Exception:
        res.errors.append("oracles raised:\n" + traceback.format_exc(limit=8))
        o = None
    res.seconds["oracles"] = round(time.perf_counter() - start, 3)
    if timing.get("runs"):
        res.seconds["pyright"] = round(timing["seconds"], 3)
        res.pyright_runs, res.pyright_files = timing["runs"], timing["files"]
    if o is not None:
        res.new_breaks, res.reported, res.silent = int(o.new_breaks), int(o.reported), int(o.silent)
        res.parse_failures = [str(p) for p in o.parse_failures]
        res.unparsable = dict(o.unparsable)
        res.files_checked = o.files_checked
        per: dict[str, Counter] = defaultdict(Counter)
        for b in o.breaks:
            c = per[b.oracle]
            c["new_breaks"] += 1
            c["reported" if b.reported else "silent"] += 1
            if not b.reported:
                res.silent_breaks.append({"oracle": b.oracle, "path": str(b.path),
                                          "line": b.line, "name": b.name, "message": b.message})
        res.per_oracle = {name: dict(c) for name, c in per.items()}
        res.preexisting = [{"oracle": b.oracle, "path": str(b.path), "line": b.line,
                            "name": b.name, "message": b.message} for b in o.preexisting]
    try:
        res.careful = dict(careful_removal_counts(before, tree, report))
    except Exception:
        res.errors.append("careful-removal counts raised:\n" + traceback.format_exc(limit=8))
    try:
        res.dangling = dangling_imports(before, tree, report)
    except Exception:
        res.errors.append("dangling-import check raised:\n" + traceback.format_exc(limit=8))

    r = excise(binary, ["diff", "-p", str(plan), "--root", str(tree), "--format", "json",
                        "-o", str(rerun_path)], tree)
    res.seconds["rerun"] = round(r.seconds, 3)
    if r.code == 2:
        res.rerun_exit2 = first_lines(r.stderr)
    elif r.code not in (0, 1):
        res.errors.append(f"excise diff (re-run): {describe_exit(r)}\n{first_lines(r.stderr)}")
    else:
        try:
            again = json.loads(rerun_path.read_text())
            res.not_idempotent = [f["path"] for f in again.get("files", [])]
            res.rerun_edits = [
                f"{f['path']}:{e['start']['line']}: {e['old_text'][:120]!r} -> "
                f"{e['new_text'][:120]!r} [{' → '.join(e.get('reason', []))}]"
                for f in again.get("files", [])[:5] for e in f.get("edits", [])[:3]]
        except (OSError, ValueError) as e:
            res.errors.append(f"excise diff (re-run): no JSON report: {e}")

    if res.failing() and keep:
        res.kept = keep_tree(tree, work, k)
    return res


def keep_tree(tree: Path, work: Path, k: int) -> Optional[str]:
    kept = work / "kept"
    kept.mkdir(exist_ok=True)
    if len(list(kept.iterdir())) >= MAX_KEPT:
        return None
    dst = kept / f"diff-{k:04d}"
    if dst.exists():
        return str(dst)
    git(tree, "add", "-A")
    patch = git(tree, "diff", "--cached", "--binary").stdout
    git(tree, "reset", "-q")
    git(tree, "worktree", "add", "-q", "--detach", str(dst), "HEAD")
    if patch:
        subprocess.run(["git", "apply", "--index"], cwd=dst, input=patch, text=True, check=True)
    return str(dst)


def before_cache(before: Path, work: Path, fp: str, pyright: bool, prefill: bool) -> dict:
    """The oracles' findings on every file of the before tree, for their `cache`.

    Run file group by file group, as compare() does by itself for each plan, pyright
    costs a process start and the analysis of the files' imports every time (1.5 to 5
    seconds for a single small file); over the whole before tree at once it is about two
    minutes. So a run of many plans fills the before side of the cache first, with
    compare() itself (the tree compared with itself, every file changed: one run of each
    oracle), and keeps it in WORK for later runs on the same corpus, oracles and pyright.
    """
    import oracles
    h = hashlib.sha256(f"{fp} pyright={pyright}\n".encode())
    h.update(Path(oracles.__file__).read_bytes())
    pkg = Path(os.path.realpath(oracles.PYRIGHT)).parent / "package.json"
    if pkg.exists():
        h.update(pkg.read_bytes())
    path = work / f"oracle-cache-{h.hexdigest()[:16]}.pickle"
    if path.exists():
        with open(path, "rb") as f:
            return pickle.load(f)
    if not prefill:
        return {}
    files = sorted(str(p.relative_to(before)) for p in before.rglob("*.py"))
    log(f"[differential] the oracles on all {len(files)} files of the before tree, once")
    start = time.perf_counter()
    cache: dict = {}
    oracles.compare(before, before, {"files": [], "diagnostics": []}, import_root=Path("."),
                    pyright=pyright, changed=files, cache=cache)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(cache, f)
    os.replace(tmp, path)
    log(f"[differential] ... {time.perf_counter() - start:.0f}s")
    return cache


# ---------------------------------------------------------------------------------------
# Report


def summarize(results: list[PlanResult]) -> dict:
    totals = Counter()
    per_kind = {k: Counter() for k in KINDS + ["multi"]}
    per_oracle: dict[str, Counter] = defaultdict(Counter)
    unparsable: Counter = Counter()
    seconds: Counter = Counter()
    for r in results:
        seconds.update(r.seconds)
        seconds["pyright_runs"] += r.pyright_runs
        seconds["pyright_files"] += r.pyright_files
        totals["plans"] += 1
        totals["files_changed"] += r.files_changed
        totals["new_breaks"] += r.new_breaks
        totals["reported"] += r.reported
        totals["silent"] += r.silent
        totals["parse_failures"] += len(r.parse_failures)
        totals["not_idempotent"] += bool(r.not_idempotent)
        totals["rerun_exit2"] += r.rerun_exit2 is not None
        totals["errors"] += bool(r.errors)
        totals["bad_plans"] += r.bad_plan is not None
        row = per_kind["multi" if len(r.kinds) > 1 else r.kinds[0]]
        row["plans"] += 1
        row["new_breaks"] += r.new_breaks
        row["silent"] += r.silent
        row["plans_with_silent"] += bool(r.silent)
        row["files_changed"] += r.files_changed
        for name, c in r.per_oracle.items():
            per_oracle[name].update(c)
        unparsable.update(r.unparsable)
        totals["inert_rules"] += len(r.inert)
        totals["dangling_imports"] += len(r.dangling)
        totals["dangling_silent"] += sum(not d["reported"] for d in r.dangling)
        totals["preexisting"] += len(r.preexisting)
        totals["leftovers"] += r.leftovers
        for k, v in r.careful.items():
            totals[k] += v
    return {"totals": {k: totals[k] for k in TOTALS + ["bad_plans", "inert_rules", "dangling_imports",
                                                 "dangling_silent", "preexisting", "leftovers",
                                                 "dead_locals_left", "tests_removed",
                                                 "guard_blocks_removed_whole"]},
            "per_kind": {k: dict(v) for k, v in per_kind.items()},
            "per_oracle": {k: dict(v) for k, v in sorted(per_oracle.items())},
            "unparsable": dict(sorted(unparsable.items())),
            "time": {k: round(v, 1) for k, v in seconds.items()}}


def print_report(results: list[PlanResult], summary: dict, seed: int, packages: list[str],
                 wall: float) -> None:
    pk = ",".join(packages)
    cmd = f"python3 bench/differential.py --seed {seed} --packages {pk}"
    groups: dict[str, list[PlanResult]] = defaultdict(list)
    for r in results:
        for cause in r.failing():
            groups[cause].append(r)
        if r.bad_plan is not None:
            groups["bad plan"].append(r)
        if r.inert:
            groups["rule changed nothing"].append(r)
    for cause in ["error", "parse failure", "not idempotent", "rerun exit 2", "silent break",
                  "silent dangling import", "bad plan", "rule changed nothing"]:
        cases = groups.get(cause, [])
        if not cases:
            continue
        print(f"== {cause}: {len(cases)} plan(s)")
        for r in cases:
            print(f"-- plan {r.index}: {cmd} --only {r.index}" + (f"   (kept: {r.kept})" if r.kept else ""))
            print("   " + r.yaml.rstrip().replace("\n", "\n   "))
            detail = []
            if cause == "error":
                detail = r.errors
            elif cause == "parse failure":
                detail = [f"does not parse after the plan: {p}" for p in r.parse_failures]
            elif cause == "not idempotent":
                detail = [f"the re-run changes {len(r.not_idempotent)} file(s): "
                          + ", ".join(r.not_idempotent[:10])] + r.rerun_edits
            elif cause == "rerun exit 2":
                detail = [r.rerun_exit2]
            elif cause == "silent break":
                detail = [f"{b['oracle']}: {b['path']}:{b['line']}: {b['name']}: {b['message']}"
                          for b in r.silent_breaks[:10]]
                if len(r.silent_breaks) > 10:
                    detail.append(f"... {len(r.silent_breaks) - 10} more")
            elif cause == "silent dangling import":
                silent = [d for d in r.dangling if not d["reported"]]
                detail = [f"{d['path']}:{d['line']}: {d['message']}" for d in silent[:10]]
                if len(silent) > 10:
                    detail.append(f"... {len(silent) - 10} more")
            elif cause == "rule changed nothing":
                detail = r.inert
            else:
                detail = [r.bad_plan]
            for d in detail:
                print("   > " + (d or "").rstrip().replace("\n", "\n     "))
    print()
    print("per kind (single-target plans; 'multi' = plans with 2-3 targets):")
    print(f"  {'kind':9} {'plans':>6} {'files':>6} {'new_breaks':>10} {'silent':>7} {'plans_with_silent':>17}")
    for k, row in summary["per_kind"].items():
        print(f"  {k:9} {row.get('plans', 0):6} {row.get('files_changed', 0):6} "
              f"{row.get('new_breaks', 0):10} {row.get('silent', 0):7} {row.get('plans_with_silent', 0):17}")
    print("per oracle:")
    if not summary["per_oracle"]:
        print("  (no breaks)")
    for name, row in summary["per_oracle"].items():
        print(f"  {name:9} new_breaks={row.get('new_breaks', 0)} reported={row.get('reported', 0)} "
              f"silent={row.get('silent', 0)}")
    t = summary["totals"]
    print(f"dangling_imports={t['dangling_imports']} silent={t['dangling_silent']}   "
          "(imports of a removed module, which no oracle sees: not in the figures below)")
    print(f"leftovers={t['leftovers']} dead_locals_left={t['dead_locals_left']} "
          f"tests_removed={t['tests_removed']} guard_blocks_removed_whole={t['guard_blocks_removed_whole']}"
          "   (careful removal: counted with ast and pyflakes, not by excise)")
    pre = [(r.index, b) for r in results for b in r.preexisting]
    print(f"preexisting={t['preexisting']}   (pyright findings about an attribute the class never had: "
          "not breaks, see test/oracles/oracles.py)")
    for index, b in pre[:10]:
        print(f"  plan {index}: {b['path']}:{b['line']}: {b['message']}")
    if len(pre) > 10:
        print(f"  ... {len(pre) - 10} more")
    print("unparsable: " + (" ".join(f"{k}={v}" for k, v in summary["unparsable"].items()) or "none"))
    tm = summary["time"]
    print(f"time (summed over plans): diff={tm.get('diff', 0):.0f}s apply={tm.get('apply', 0):.0f}s "
          f"oracles={tm.get('oracles', 0):.0f}s (pyright {tm.get('pyright', 0):.0f}s in "
          f"{tm.get('pyright_runs', 0):.0f} runs given {tm.get('pyright_files', 0):.0f} files) "
          f"rerun={tm.get('rerun', 0):.0f}s")
    t = summary["totals"]
    print(f"bad_plans={t['bad_plans']} inert_rules={t['inert_rules']} wall_seconds={wall:.0f} "
          f"seed={seed} packages={pk}")
    print(" ".join(f"{k}={t[k]}" for k in TOTALS))


# ---------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--packages", default=",".join(DEFAULT_PACKAGES))
    ap.add_argument("--only", type=int, action="append",
                    help="run only plan K (repeatable); K may be >= --plans")
    ap.add_argument("--no-pyright", action="store_true", help="leave out the pyright oracle")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="plans run at a time")
    ap.add_argument("--work", type=Path, help="work directory (kept and reused)")
    ap.add_argument("--keep", action="store_true", help="keep the trees of failing cases")
    ap.add_argument("--json", type=Path, help="write the results as JSON")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 on errors, parse failures, non-idempotence or a re-run exiting 2")
    ap.add_argument("--excise", type=Path,
                    default=Path(os.environ.get("EXCISE_BINARY", DEFAULT_EXCISE)))
    args = ap.parse_args()

    packages = [p for p in args.packages.split(",") if p]
    missing = [p for p in packages if not (DIST_PACKAGES / p).is_dir()]
    if missing:
        log("[differential] not installed: " + ", ".join(f"python3-{p}" for p in missing)
            + " (apt-get install them, or tools/dev setup); skipping")
        return 77
    if not (ORACLES / "oracles.py").exists():
        log(f"[differential] {ORACLES / 'oracles.py'} is missing")
        return 3

    wall_start = time.perf_counter()
    temp = None
    if args.work:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        temp = Path(tempfile.mkdtemp(prefix="excise-differential-"))
        work = temp
    try:
        jobs = max(1, args.jobs)
        binary, binary_sha = snapshot_binary(args.excise.resolve(), work)
        before, trees, fp = build_corpus(work, packages, jobs)
        index = build_index(before, work, fp)
        empty = [k for k in KINDS if not index[k]]
        if empty:
            log(f"[differential] no referenced definitions of kind {', '.join(empty)}")
            return 3
        wanted = args.only if args.only else list(range(args.plans))
        tasks = []
        for k in wanted:
            targets = make_plan(args.seed, k, index)
            tasks.append((args.seed, k, targets, plan_yaml(args.seed, k, targets)))
        log(f"[differential] {len(tasks)} plan(s), seed {args.seed}, "
            f"excise {args.excise} (sha256 {binary_sha}), "
            f"pyright {'off' if args.no_pyright else 'on'}, -j {jobs}")

        results: list[PlanResult] = []
        sys.path.insert(0, str(ORACLES))
        cache = before_cache(before, work, fp, not args.no_pyright, prefill=len(tasks) >= 10)
        if jobs == 1:
            it = (run_plan(s, k, t, y, trees[0], before, binary, not args.no_pyright, work,
                           args.keep, cache) for s, k, t, y in tasks)
            pool = None
        else:
            import multiprocessing
            slots = multiprocessing.Manager().Queue()
            for t in trees:
                slots.put(str(t))
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker,
                                       initargs=(slots, str(before), str(binary),
                                                 not args.no_pyright, str(work), args.keep, cache))
            it = pool.map(run_plan_in_worker, tasks)
        for r in it:
            results.append(r)
            secs = " ".join(f"{k}={v:.1f}s" for k, v in r.seconds.items())
            log(f"[differential] plan {r.index} ({'+'.join(r.kinds)}): files={r.files_changed} "
                f"checked={r.files_checked} pyright={r.pyright_runs}x{r.pyright_files} "
                f"new_breaks={r.new_breaks} silent={r.silent} "
                f"{'FAIL: ' + ', '.join(r.failing()) if r.failing() else 'ok'}"
                f"{' BAD PLAN' if r.bad_plan is not None else ''} {secs}")
        if pool:
            pool.shutdown()
        for t in trees:
            reset_tree(t)

        wall = time.perf_counter() - wall_start
        summary = summarize(results)
        print_report(results, summary, args.seed, packages, wall)
        if args.json:
            args.json.write_text(json.dumps({
                "seed": args.seed, "packages": packages, "plans_requested": len(tasks),
                "pyright": not args.no_pyright, "jobs": jobs, "excise": str(args.excise),
                "excise_sha256": binary_sha,
                "corpus": {"fingerprint": fp,
                           "targets": {k: len(v) for k, v in index.items()}},
                "wall_seconds": round(wall, 1), **summary,
                "plans": [asdict(r) for r in results]}, indent=1) + "\n")
        t = summary["totals"]
        if args.check and (t["errors"] or t["parse_failures"] or t["not_idempotent"]
                           or t["rerun_exit2"]):
            return 1
        return 0
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            log(f"[differential] work directory kept: {temp}")


if __name__ == "__main__":
    sys.exit(main())
