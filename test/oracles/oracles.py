#!/usr/bin/python3
"""Independent oracles for excise's promise about names.

excise promises: every name that resolved before a plan still resolves after
it, or excise reports the use as a leftover diagnostic. This module holds it
to that promise with three checkers that nobody on this project wrote, each
run on the tree before the plan and on the tree after it, keeping only what is
*new* after (a finding present before the plan is not excise's doing):

  cpython   `ast.parse` of CPython (/usr/bin/python3). A file that parsed
            before and does not parse after is a *parse failure*.
  pyflakes  new `undefined name 'X'` (also `... in __all__`) and
            `'X' may be undefined, or defined from star imports` messages.
  pyright   new errors of rules reportUndefinedVariable and
            reportAttributeAccessIssue (`"X" is not defined`, `"X" is unknown
            import symbol`, `"X" is not a known attribute of module "m"`,
            `Cannot access attribute "save" for class "Repo"`), from the pinned
            npm pyright in test/consumers, run once per side over all files.

Findings are compared as multisets keyed by (file, oracle, rule or kind,
name): edits shift lines, so line numbers are not part of the key; a new
finding is reported with its line in the file after the plan. Each new finding
is a `Break`; it is *reported* when excise's JSON report has a warning or
error in that file (its path after the plan, or its old path) whose message
quotes the name, whole or as one dotted segment (`'self._db_logger'` reports
`_db_logger`, `'src.x.Repo'` reports `Repo`), and *silent* otherwise.

One kind of pyright finding is set apart, not counted as a break: `Cannot
access attribute "X" for class "C"` (or `assign`) where X never was an
attribute of C and the plan removed nothing named X. The first holds when, in
the tree before the plan, every class named C (found with `ast`) and every
class among their bases (by name, in the tree) binds no X in its body or
through `self.X = ...` in its methods, none has `__getattr__`,
`__getattribute__` or a metaclass, and every base is such a class or
`object`; the second when no class or module the plan changed lost a definition named
X (`C.X` counted class by class, so a method removed from one class while
another keeps its name counts). A finding about `object` (pyright's answer for a
`super()` lookup it could not follow) is never set apart. The attribute did not resolve on C before either: pyright only infers
the object's type differently after the plan (an edit in a function that
returns it can bring its inference under pyright's complexity limits). Such
findings are kept in `preexisting` and counted apart.

Which files are checked: every changed .py file present after the plan, plus
every .py file that imports a changed module (found with `ast`: `import a.b`,
`from a.b import X`, `from . import b` and other relative imports resolved
from the file's package; dotted names start at the plan's import root, and a
package's `__init__.py` is the package's module). To keep pyright
affordable (it takes seconds a run and more with every file it checks, which
is why it runs once per side over all files), an importer is checked only if
its text contains, as a whole word, a name *lost* from a changed module it
imports: a top-level or class-member name (including `self.X` attributes
assigned in the class's methods) that the module's text defined before the
plan and does not define after it, or the module's own last segment (and all
it defined) when the module file was deleted or moved. Short of dynamic
lookups, an importer that mentions no lost name cannot have lost a name
through that import.

A caller comparing many plans against one `before` tree passes the same
`cache` dict to every call: findings are reused per file, keyed by (oracle,
path, sha of the file's text), plus for pyright a digest of the whole tree
(its findings in one file depend on the others).

Many plans, each on a small tree of its own (the unit-test fixtures), are
compared with `compare_many`: each oracle runs once per side over the files
of all of them, pyright with one execution environment per tree, so that
pyright's start (seconds) is paid twice in all rather than twice a plan.

Use as a module (bench/differential.py does):

    from oracles import compare, OracleResult, Break
    result = compare(before, after, report, import_root=Path("cofi-service"))
    print(result.summary())

or from the command line:

    /usr/bin/python3 test/oracles/oracles.py --before DIR --after DIR \
        --report report.json [--import-root R] [--no-pyright]

which prints the summary line, each parse failure as
`path:line: cpython: message [PARSE FAILURE]` and each break as
`path:line: oracle: message [reported|SILENT]`, and exits 1 when there is a
parse failure or a silent break (2 when an oracle is missing or fails).

The checkers must be present: a missing or crashing pyflakes or pyright raises
`OracleError` (the command line exits 2), it is never skipped quietly.
Standard library only; the oracles themselves run as subprocesses.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent

# Debian's interpreter: the python3 first on PATH may be another build without
# Debian's modules (python3-pyflakes). Both oracles that need Python use it.
SYSTEM_PYTHON = "/usr/bin/python3"
# The pinned pyright (test/consumers/package.json); EXCISE_PYRIGHT overrides.
PYRIGHT = Path(os.environ.get("EXCISE_PYRIGHT", TOP / "test" / "consumers" / "node_modules" / ".bin" / "pyright"))

ORACLES = ("cpython", "pyflakes", "pyright")
PYRIGHT_RULES = ("reportUndefinedVariable", "reportAttributeAccessIssue")
# Directories never walked: version control, caches, installed packages. excise
# skips them too, so nothing it changes is there.
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".mypy_cache", ".pytest_cache"}


class OracleError(RuntimeError):
    """An oracle is missing or crashed: the comparison cannot be trusted."""


class _Count(int):
    """A count usable both as an attribute and as a call (`r.silent` or `r.silent()`)."""

    def __call__(self) -> int:
        return int(self)


@dataclass(frozen=True)
class Break:
    """A finding that is new after the plan.

    oracle: "pyflakes" or "pyright"; path: the file after the plan (relative to
    the tree); line: 1-based, in the file after the plan; name: the name the
    finding is about; message: the oracle's message; reported: whether excise's
    report names it in that file (see the module docstring).
    """

    oracle: str
    path: str
    line: int
    name: str
    message: str
    reported: bool

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.oracle}: {self.message} [{'reported' if self.reported else 'SILENT'}]"


@dataclass
class OracleResult:
    """What the oracles found for one plan.

    breaks: new findings of pyflakes and pyright (`Break`), sorted by path and
    line. preexisting: new pyright findings about an attribute the class never
    had (see the module docstring), apart from breaks. parse_failures: "path:line: message" for each file that CPython
    parsed before the plan and does not parse after it (a created file counts
    as parsed before). unparsable: per oracle, how many checked files it could
    not read before the plan (those are skipped for that oracle).
    files_checked: how many files after the plan were checked; checked: their
    paths.
    """

    breaks: list[Break] = field(default_factory=list)
    preexisting: list[Break] = field(default_factory=list)
    parse_failures: list[str] = field(default_factory=list)
    unparsable: dict[str, int] = field(default_factory=lambda: {o: 0 for o in ORACLES})
    files_checked: int = 0
    checked: list[str] = field(default_factory=list)

    @property
    def new_breaks(self) -> _Count:
        return _Count(len(self.breaks))

    @property
    def reported(self) -> _Count:
        return _Count(sum(b.reported for b in self.breaks))

    @property
    def silent(self) -> _Count:
        return _Count(sum(not b.reported for b in self.breaks))

    def summary(self) -> str:
        unparsable = ",".join(f"{o}:{self.unparsable.get(o, 0)}" for o in ORACLES)
        return (f"files_checked={self.files_checked} new_breaks={int(self.new_breaks)} "
                f"reported={int(self.reported)} silent={int(self.silent)} "
                f"preexisting={len(self.preexisting)} "
                f"parse_failures={len(self.parse_failures)} unparsable={unparsable}")


# ---------------------------------------------------------------------------
# Trees, module names, lost names, importers


def _python_files(root: Path) -> dict[str, Path]:
    """Every .py file under root, by path relative to it (forward slashes)."""
    out: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            if name.endswith(".py"):
                full = Path(dirpath) / name
                if full.is_file() and not full.is_symlink():
                    out[full.relative_to(root).as_posix()] = full
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def module_name(rel: str, import_root: Path) -> Optional[str]:
    """The dotted module name of a tree-relative .py path, or None outside the import root."""
    root = Path(os.path.normpath(import_root.as_posix() or "."))
    path = Path(rel)
    try:
        inside = path.relative_to(root) if str(root) != "." else path
    except ValueError:
        return None
    parts = list(inside.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts else None


def _parse(data: Optional[bytes]) -> Optional[ast.AST]:
    if data is None:
        return None
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _bind(target: ast.AST, into: set[str]) -> None:
    if isinstance(target, ast.Name):
        into.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            _bind(elt, into)
    elif isinstance(target, ast.Starred):
        _bind(target.value, into)


def _import_binds(node: ast.AST, into: set[str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            into.add(alias.asname or alias.name.split(".")[0])
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name != "*":
                into.add(alias.asname or alias.name)


def _class_members(cls: ast.ClassDef, into: set[str]) -> None:
    """Names a class body defines, and `self.X` / `cls.X` assigned in its methods."""
    for stmt in cls.body:
        _statement_names(stmt, into, members=True)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.args.args:
            first = stmt.args.args[0].arg
            for node in ast.walk(stmt):
                targets: list[ast.AST] = []
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                    targets = [node.target]
                for target in targets:
                    for sub in ast.walk(target):
                        if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name)
                                and sub.value.id == first):
                            into.add(sub.attr)


def _statement_names(stmt: ast.AST, into: set[str], members: bool = False) -> None:
    """Names one statement binds in its own scope, entering compound statements but not defs."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        into.add(stmt.name)
    elif isinstance(stmt, ast.ClassDef):
        into.add(stmt.name)
        _class_members(stmt, into)
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            _bind(target, into)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        _bind(stmt.target, into)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        _import_binds(stmt, into)
    else:
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            _bind(stmt.target, into)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    _bind(item.optional_vars, into)
        for attr in ("body", "orelse", "finalbody"):
            for child in getattr(stmt, attr, None) or []:
                if isinstance(child, ast.stmt):
                    _statement_names(child, into, members)
        for handler in getattr(stmt, "handlers", None) or []:
            if handler.name:
                into.add(handler.name)
            for child in handler.body:
                _statement_names(child, into, members)
        for case in getattr(stmt, "cases", None) or []:
            for child in case.body:
                _statement_names(child, into, members)


def defined_names(tree: Optional[ast.AST]) -> set[str]:
    """Top-level and class-member names a module defines (see the module docstring)."""
    names: set[str] = set()
    if isinstance(tree, ast.Module):
        for stmt in tree.body:
            _statement_names(stmt, names)
    return names


def imported_modules(tree: ast.AST, module: Optional[str], is_package: bool) -> set[str]:
    """Every module a file's imports may refer to, with their parent packages.

    `from a.b import X` may import the submodule a.b.X, so that is included;
    relative imports are resolved from the file's package (module is None for
    a file outside the import root: its relative imports are not resolved).
    """
    out: set[str] = set()

    def add(parts: list[str]) -> None:
        for i in range(1, len(parts) + 1):
            out.add(".".join(parts[:i]))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name.split("."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if module is None:
                    continue
                package = module.split(".") if is_package else module.split(".")[:-1]
                up = node.level - 1
                if up > len(package):
                    continue
                base = package[:len(package) - up]
            else:
                base = []
            if node.module:
                base = base + node.module.split(".")
            if base:
                add(base)
            for alias in node.names:
                if alias.name != "*":
                    add(base + [alias.name])
    return out


# ---------------------------------------------------------------------------
# The oracles. Each returns, per file, either None (the oracle could not read
# the file: a syntax error) or a list of findings (line, kind, name, message).

_CPYTHON = r"""
import ast, json, sys
out = {}
for path in json.load(sys.stdin):
    try:
        with open(path, 'rb') as f:
            ast.parse(f.read(), path)
        out[path] = None
    except SyntaxError as e:
        out[path] = [e.lineno or 0, type(e).__name__ + ': ' + str(e.msg)]
    except (ValueError, RecursionError, MemoryError) as e:
        out[path] = [0, type(e).__name__ + ': ' + str(e)]
json.dump(out, sys.stdout)
"""

# pyflakes through its API, in one process for all files of a side: the same
# checks as `python3 -m pyflakes FILES`, with each message's class instead of
# its text to parse, syntax errors told apart from messages, and no limit on
# the number of files a command line holds.
_PYFLAKES = r"""
import json, sys
from pyflakes import api, messages
KINDS = ((messages.UndefinedExport, 'undefined-export'),
         (messages.UndefinedName, 'undefined-name'),
         (messages.ImportStarUsage, 'star-import'))
out = {}
class Reporter:
    def unexpectedError(self, filename, msg):
        out[current]['unreadable'] = str(msg)
    def syntaxError(self, filename, msg, lineno, offset, text):
        out[current]['unreadable'] = '%s:%s: %s' % (filename, lineno, msg)
    def flake(self, m):
        for cls, kind in KINDS:
            if isinstance(m, cls):
                out[current]['messages'].append([m.lineno, kind, str(m.message_args[0]), m.message % m.message_args])
                break
reporter = Reporter()
for current in json.load(sys.stdin):
    out[current] = {'unreadable': None, 'messages': []}
    api.checkPath(current, reporter)
json.dump(out, sys.stdout)
"""


def _run_python(script: str, paths: list[str], what: str) -> dict:
    try:
        proc = subprocess.run([SYSTEM_PYTHON, "-c", script], input=json.dumps(paths),
                              capture_output=True, text=True)
    except OSError as e:
        raise OracleError(f"{what}: cannot run {SYSTEM_PYTHON}: {e}") from e
    if proc.returncode != 0:
        raise OracleError(f"{what} failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise OracleError(f"{what} printed no JSON:\n{proc.stdout[:2000]}\n{proc.stderr[:2000]}") from e


def _cpython(files: dict[str, Path]) -> dict[str, Optional[list]]:
    """rel -> None if it parses, else [line, message]."""
    if not files:
        return {}
    raw = _run_python(_CPYTHON, [str(p) for p in files.values()], "CPython parser")
    return {rel: raw[str(p)] for rel, p in files.items()}


def _pyflakes(files: dict[str, Path]) -> dict[str, Optional[list]]:
    if not files:
        return {}
    raw = _run_python(_PYFLAKES, [str(p) for p in files.values()], "pyflakes")
    out: dict[str, Optional[list]] = {}
    for rel, path in files.items():
        entry = raw[str(path)]
        out[rel] = None if entry["unreadable"] else [tuple(m) for m in entry["messages"]]
    return out


_QUOTED_NAME = re.compile(r'"([^"]+)"')


def _pyright(root: Path, import_root: Path, files: dict[str, Path]) -> dict[str, Optional[list]]:
    """One pyright run over the files of one tree, with the tree's packages importable."""
    return pyright_trees([(root, import_root)], files)


def pyright_trees(trees: list[tuple[Path, Path]], files: dict) -> dict:
    """One pyright run over the files of many trees, each tree's packages importable from its own files.

    trees: (root, import root relative to it) of each tree, one execution
    environment each; no root may lie inside another. files: any key -> a
    file under one of the roots. Returns the same keys -> None (a syntax
    error: the file is unreadable for this oracle) or the findings (line,
    rule, name, message). pyright's start, seconds, is paid once for all
    the trees rather than once a tree.
    """
    if not files:
        return {}
    if not PYRIGHT.exists():
        raise OracleError(f"pyright is not installed ({PYRIGHT}); run tools/dev setup or "
                          "`npm ci --ignore-scripts` in test/consumers")
    environments = []
    for root, import_root in trees:
        root = Path(root).resolve()
        environments.append({"root": str(root), "extraPaths": [str((root / import_root).resolve())]})
    with tempfile.TemporaryDirectory(prefix="oracles-pyright-") as config_dir:
        config = {
            "typeCheckingMode": "basic",
            "pythonVersion": "3.11",
            "pythonPlatform": "Linux",
            "executionEnvironments": environments,
            "include": [],
        }
        (Path(config_dir) / "pyrightconfig.json").write_text(json.dumps(config))
        command = [str(PYRIGHT), "--outputjson", "--pythonpath", SYSTEM_PYTHON, "-p", config_dir, "-"]
        try:
            proc = subprocess.run(command, input="\n".join(str(p) for p in files.values()),
                                  capture_output=True, text=True)
        except OSError as e:
            raise OracleError(f"cannot run pyright ({PYRIGHT}): {e}") from e
    # Exit 0: no errors, 1: errors reported; anything else is pyright failing.
    if proc.returncode not in (0, 1):
        raise OracleError(f"pyright failed (exit {proc.returncode}):\n{proc.stdout[:3000]}\n{proc.stderr[:3000]}")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise OracleError(f"pyright printed no JSON:\n{proc.stdout[:3000]}\n{proc.stderr[:3000]}") from e
    by_real = {os.path.realpath(p): rel for rel, p in files.items()}
    out: dict = {rel: [] for rel in files}
    analyzed = report.get("summary", {}).get("filesAnalyzed", 0)
    if analyzed < len(files):
        raise OracleError(f"pyright analysed {analyzed} of the {len(files)} files it was given")
    for diag in report.get("generalDiagnostics", []):
        rel = by_real.get(os.path.realpath(diag.get("file", "")))
        if rel is None or out[rel] is None or diag.get("severity") != "error":
            continue
        rule = diag.get("rule")
        message = diag.get("message", "").split("\n")[0]
        if not rule:
            # Errors without a rule are pyright's syntax errors: the file is
            # not readable for this oracle.
            out[rel] = None
        elif rule in PYRIGHT_RULES:
            found = _QUOTED_NAME.search(message)
            if found:
                out[rel].append((diag["range"]["start"]["line"] + 1, rule, found.group(1), message))
    return out


# ---------------------------------------------------------------------------
# The comparison


def _tree_digest(shas: dict[str, str], import_root: Path) -> str:
    """What a file's pyright findings depend on besides its own text: every Python file and the import root."""
    h = hashlib.sha256(import_root.as_posix().encode())
    for rel in sorted(shas):
        h.update(b"\0" + rel.encode() + b"\0" + shas[rel].encode())
    return h.hexdigest()


def _run_cached(oracle: str, run, files: dict[str, Path], shas: dict[str, str],
                cache: dict, context: str = "") -> dict[str, Optional[list]]:
    """Results for files, from the cache where the key (oracle, path, sha[, tree]) is known.

    For cpython and pyflakes a file's findings depend on its text alone; for
    pyright they also depend on the rest of the tree, so its keys add a digest
    of the tree's Python files and the import root (context).
    """
    key = (lambda rel: (oracle, rel, shas[rel], context)) if context else (lambda rel: (oracle, rel, shas[rel]))
    missing = {rel: p for rel, p in files.items() if key(rel) not in cache}
    if missing:
        for rel, found in run(missing).items():
            cache[key(rel)] = found
    return {rel: cache[key(rel)] for rel in files}


def _quoted_names(message: str) -> list[str]:
    return re.findall(r"'([^']+)'", message)


def _unbound_subject(path: Path, line: int, name: str, message: str) -> Optional[str]:
    """The variable of pyright's `Cannot access attribute "NAME" for class "Unbound"`
    (or `"None"`).

    pyright names the attribute, not the variable left unbound (or left only
    ever None): on the line, the variable is the identifier right before
    `.NAME`.
    """
    if 'for class "Unbound"' not in message and 'for class "None"' not in message:
        return None
    lines = path.read_text("utf-8", "replace").splitlines()
    if not 0 < line <= len(lines):
        return None
    m = re.search(r"([A-Za-z_]\w*)\s*\.\s*" + re.escape(name) + r"\b", lines[line - 1])
    return m.group(1) if m else None


_ATTRIBUTE_OF_CLASS = re.compile(r'^Cannot (?:access|assign to) attribute "([^"]+)" for class "([A-Za-z_]\w*)"$')


def _classes_by_name(files: dict[str, Path]) -> dict[str, list[ast.ClassDef]]:
    """Every class of the files (at any depth), by its name."""
    out: dict[str, list[ast.ClassDef]] = defaultdict(list)
    for path in files.values():
        tree = _parse(path.read_bytes())
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ClassDef):
                out[node.name].append(node)
    return out


def never_an_attribute(classes: dict[str, list[ast.ClassDef]], name: str, attribute: str) -> bool:
    """True when no class named `name` can have had `attribute` (see the module docstring)."""
    if name == "object":
        return False  # pyright's answer for a lookup it could not follow (`super()`)
    work, seen = [name], set()
    while work:
        current = work.pop()
        if current in seen:
            continue
        seen.add(current)
        if current == "object":
            continue
        found = classes.get(current)
        if not found:
            return False  # a base outside the tree: what it has is unknown
        for cls in found:
            if cls.keywords:
                return False
            members: set[str] = set()
            _class_members(cls, members)
            if attribute in members or members & {"__getattr__", "__getattribute__"}:
                return False
            for base in cls.bases:
                if isinstance(base, ast.Subscript):
                    base = base.value
                if isinstance(base, ast.Attribute):
                    work.append(base.attr)
                elif isinstance(base, ast.Name):
                    work.append(base.id)
                else:
                    return False
    return True


def _qualified_definitions(tree: Optional[ast.AST]) -> set[str]:
    """What a module defines, each with its class path: `f`, `C.save`, `C.Inner.x`."""
    out: set[str] = set()

    def walk(body: list, prefix: str) -> None:
        names: set[str] = set()
        for stmt in body:
            _statement_names(stmt, names)
            if isinstance(stmt, ast.ClassDef):
                walk(stmt.body, prefix + stmt.name + ".")
                members: set[str] = set()
                _class_members(stmt, members)
                out.update(prefix + stmt.name + "." + m for m in members)
        out.update(prefix + n for n in names)

    if isinstance(tree, ast.Module):
        walk(tree.body, "")
    return out


def _is_reported(name: str, quoted: Iterable[str]) -> bool:
    """True when excise quoted the name, alone or as an identifier of what it quoted.

    A leftover quotes the expression it could not remove (`'wkb_w(dim=3).write_hex'`,
    `'self.repo'`): the name is one of its identifiers.
    """
    return any(q == name or name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", q) for q in quoted)


def _new_findings(before: list[tuple], after: list[tuple]) -> list[tuple]:
    """The after findings (line, kind, name, message) not matched by a before finding of the same kind and name.

    Matching pairs each before finding with the after finding of the same key
    nearest to its line (same message first): which of several identical
    findings is the new one is otherwise unknowable, and the nearest is the
    likeliest to be the same one moved by the edits.
    """
    remaining = defaultdict(list)
    for f in after:
        remaining[(f[1], f[2])].append(f)
    for b in before:
        candidates = remaining.get((b[1], b[2]))
        if not candidates:
            continue
        best = min(candidates, key=lambda f: (f[3] != b[3], abs(f[0] - b[0])))
        candidates.remove(best)
    return sorted(f for fs in remaining.values() for f in fs)


@dataclass
class _Selection:
    """What `compare` works out before any oracle runs: the files to check and what excise reported.

    pairs: each checked file after the plan -> its file before (None when
    created). before_files, after_files: the checked files of each side.
    all_lost: every name lost from a changed module. removed_names: the last
    segment of every definition the plan removed, class by class. diagnostics: per path,
    the names quoted by the report's warnings and errors.
    """

    before: Path
    after: Path
    import_root: Path
    before_py: dict[str, Path]
    after_py: dict[str, Path]
    before_shas: dict[str, str]
    after_shas: dict[str, str]
    checked: list[str]
    pairs: dict[str, Optional[str]]
    before_files: dict[str, Path]
    after_files: dict[str, Path]
    all_lost: set[str]
    removed_names: set[str]
    diagnostics: dict[str, list[str]]


def _select(before: Path, after: Path, report: dict, import_root: Path,
            changed: Optional[list[str]]) -> _Selection:
    """The files compare checks (see the module docstring) and the names the report quotes."""
    before, after, import_root = Path(before), Path(after), Path(import_root)
    before_py, after_py = _python_files(before), _python_files(after)
    # Hashes, not texts, are kept: a big tree's texts need not all be in memory.
    before_shas = {rel: _sha(p.read_bytes()) for rel, p in before_py.items()}
    after_shas = {rel: _sha(p.read_bytes()) for rel, p in after_py.items()}

    renamed_to = {f["old_path"]: f["path"] for f in report.get("files", [])
                  if f.get("status") == "renamed" and f.get("old_path")}
    renamed_from = {new: old for old, new in renamed_to.items()}

    def before_of(rel: str) -> Optional[str]:
        old = renamed_from.get(rel, rel)
        return old if old in before_py else None

    if changed is None:
        changed = sorted({rel for rel in set(before_py) | set(after_py)
                          if before_shas.get(rel) != after_shas.get(rel)})
    changed_after: set[str] = set()
    changed_before: set[str] = set()
    for rel in changed:
        rel = Path(rel).as_posix()
        if not rel.endswith(".py"):
            continue
        if rel in after_py:
            changed_after.add(rel)
            if before_of(rel):
                changed_before.add(before_of(rel))
        if rel in before_py:
            changed_before.add(rel)
            if renamed_to.get(rel) in after_py:
                changed_after.add(renamed_to[rel])

    # Names lost from each changed module.
    lost: dict[str, set[str]] = {}
    for rel in changed_before:
        module = module_name(rel, import_root)
        if module is None:
            continue
        names_before = defined_names(_parse(before_py[rel].read_bytes()))
        new_rel = renamed_to.get(rel, rel)
        if new_rel not in after_py or module_name(new_rel, import_root) != module:
            lost[module] = names_before | {module.split(".")[-1]}
        else:
            after_tree = _parse(after_py[new_rel].read_bytes())
            lost[module] = names_before - defined_names(after_tree) if after_tree else names_before
    lost = {m: names for m, names in lost.items() if names}
    # The last segments of what the plan removed, class by class (a method
    # removed from one class while another of the module keeps its name).
    removed_names: set[str] = set()
    for rel in changed_before:
        new_rel = renamed_to.get(rel, rel)
        old_defs = _qualified_definitions(_parse(before_py[rel].read_bytes()))
        new_defs = (_qualified_definitions(_parse(after_py[new_rel].read_bytes()))
                    if new_rel in after_py else set())
        removed_names.update(q.rsplit(".", 1)[-1] for q in old_defs - new_defs)

    # Importers of a changed module that mention a name lost from it.
    importers: set[str] = set()
    all_lost = set().union(*lost.values()) if lost else set()
    if all_lost:
        word = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(all_lost, key=len, reverse=True)) + r")\b")
        for rel, path in after_py.items():
            if rel in changed_after or before_of(rel) is None:
                continue
            data = path.read_bytes()
            text = data.decode("utf-8", "replace")
            mentioned = set(word.findall(text))
            if not mentioned:
                continue
            tree = _parse(data)
            if tree is None:
                continue
            module = module_name(rel, import_root)
            imported = imported_modules(tree, module, rel.endswith("__init__.py"))
            if any(mentioned & lost[m] for m in imported if m in lost):
                importers.add(rel)

    checked = sorted(changed_after | importers)
    pairs = {rel: before_of(rel) for rel in checked}
    diagnostics = defaultdict(list)
    for d in report.get("diagnostics", []):
        if d.get("severity") in ("warning", "error") and d.get("path"):
            diagnostics[d["path"]].extend(_quoted_names(d.get("message", "")))
    return _Selection(before=before, after=after, import_root=import_root,
                      before_py=before_py, after_py=after_py,
                      before_shas=before_shas, after_shas=after_shas,
                      checked=checked, pairs=pairs,
                      before_files={old: before_py[old] for old in pairs.values() if old},
                      after_files={rel: after_py[rel] for rel in checked},
                      all_lost=all_lost, removed_names=removed_names,
                      diagnostics=diagnostics)


def _judge(sel: _Selection, parsed: tuple[dict, dict], found: dict[str, tuple[dict, dict]],
           cache: dict) -> OracleResult:
    """The result of one comparison, given the oracles' findings on its checked files.

    parsed: CPython's results on the before and after files; found: per
    oracle (pyflakes, pyright when it ran), its results on both sides.
    """
    result = OracleResult(files_checked=len(sel.checked), checked=sel.checked)

    # CPython: parse failures.
    parsed_before, parsed_after = parsed
    for rel, old in sel.pairs.items():
        if old and parsed_before[old] is not None:
            result.unparsable["cpython"] += 1
        elif parsed_after[rel] is not None:
            line, message = parsed_after[rel]
            result.parse_failures.append(f"{rel}:{line}: {message}")

    # pyflakes and pyright: new findings.
    for oracle, (found_before, found_after) in found.items():
        for rel, old in sel.pairs.items():
            old_findings = found_before[old] if old else []
            if old_findings is None:
                result.unparsable[oracle] += 1
                continue
            quoted = sel.diagnostics.get(rel, []) + (sel.diagnostics.get(old, []) if old and old != rel else [])
            for line, kind, name, message in _new_findings(old_findings, found_after[rel] or []):
                subject = _unbound_subject(sel.after_py[rel], line, name, message) or name
                found_break = Break(oracle, rel, line, name, message, _is_reported(subject, quoted))
                of_class = _ATTRIBUTE_OF_CLASS.match(message) if oracle == "pyright" else None
                if (of_class and not found_break.reported
                        and of_class.group(1) not in sel.removed_names):
                    key = ("classes", _tree_digest(sel.before_shas, sel.import_root))
                    if key not in cache:
                        cache[key] = _classes_by_name(sel.before_py)
                    if never_an_attribute(cache[key], of_class.group(2), of_class.group(1)):
                        result.preexisting.append(found_break)
                        continue
                result.breaks.append(found_break)
    result.breaks.sort(key=lambda b: (b.path, b.line, b.oracle, b.name))
    result.preexisting.sort(key=lambda b: (b.path, b.line, b.oracle, b.name))
    return result


def compare(before: Path, after: Path, report: dict, import_root: Path = Path("."),
            pyright: bool = True, changed: Optional[list[str]] = None,
            cache: Optional[dict] = None) -> OracleResult:
    """Run the oracles on the files a plan touched (see the module docstring).

    before, after: the tree before and after the plan. report: excise's
    `diff --format json` report for the plan on `before`. import_root: where
    dotted module names start, relative to the tree. pyright: run the pyright
    oracle too (the slow one). changed: the changed paths (either side);
    default every .py file whose bytes differ or that exists on one side only.
    cache: a dict kept by a caller that compares many plans against one
    `before` tree; findings are stored under (oracle, path, sha of the text)
    (plus a digest of the tree for pyright) and reused. Raises OracleError when
    an oracle is missing or fails.
    """
    sel = _select(Path(before), Path(after), report, Path(import_root), changed)
    cache = {} if cache is None else cache
    parsed = (_run_cached("cpython", _cpython, sel.before_files, sel.before_shas, cache),
              _run_cached("cpython", _cpython, sel.after_files, sel.after_shas, cache))
    found = {"pyflakes": (_run_cached("pyflakes", _pyflakes, sel.before_files, sel.before_shas, cache),
                          _run_cached("pyflakes", _pyflakes, sel.after_files, sel.after_shas, cache))}
    if pyright:
        found["pyright"] = (
            _run_cached("pyright", lambda fs: _pyright(sel.before, sel.import_root, fs), sel.before_files,
                        sel.before_shas, cache, _tree_digest(sel.before_shas, sel.import_root)),
            _run_cached("pyright", lambda fs: _pyright(sel.after, sel.import_root, fs), sel.after_files,
                        sel.after_shas, cache, _tree_digest(sel.after_shas, sel.import_root)))
    return _judge(sel, parsed, found, cache)


def compare_many(cases: list[tuple[Path, Path, dict, Path]], pyright: bool = True,
                 without_pyright: Iterable[int] = ()) -> list[OracleResult]:
    """`compare` over many plans, each on its own tree, with every oracle run once per side for all of them.

    cases: (before, after, report, import_root) of each plan, as compare
    takes them; no tree may lie inside another. Returns each case's result,
    in order, the same compare would give it: only how the oracles are run
    differs. CPython's parser and pyflakes take every case's checked files
    of a side in one process; pyright takes them in one run whose
    configuration has one execution environment per tree (its root, its
    import root as an extra path), so that each file imports from its own
    tree. without_pyright: the indices of cases pyright does not read (their
    results are those of compare with pyright=False). Raises OracleError when
    an oracle is missing or fails.
    """
    skip = set(without_pyright)
    selections = [_select(Path(before), Path(after), report, Path(import_root), None)
                  for before, after, report, import_root in cases]
    sides = []
    for side in ("before", "after"):
        files = {(i, rel): path for i, sel in enumerate(selections)
                 for rel, path in getattr(sel, f"{side}_files").items()}
        runs = {"cpython": _cpython(files), "pyflakes": _pyflakes(files)}
        if pyright:
            read = {key: path for key, path in files.items() if key[0] not in skip}
            trees = sorted({i for i, _ in read})
            runs["pyright"] = pyright_trees([(getattr(selections[i], side), selections[i].import_root)
                                             for i in trees], read)
        by_case: dict[str, list[dict]] = {oracle: [{} for _ in selections] for oracle in runs}
        for oracle, results in runs.items():
            for (i, rel), value in results.items():
                by_case[oracle][i][rel] = value
        sides.append(by_case)
    before, after = sides
    return [_judge(sel, (before["cpython"][i], after["cpython"][i]),
                   {oracle: (before[oracle][i], after[oracle][i])
                    for oracle in (("pyflakes", "pyright") if pyright and i not in skip else ("pyflakes",))},
                   {})
            for i, sel in enumerate(selections)]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the tree before the plan")
    parser.add_argument("--after", type=Path, required=True, help="the tree after the plan (excise apply)")
    parser.add_argument("--report", type=Path, required=True, help="excise diff --format json for the plan on --before")
    parser.add_argument("--import-root", type=Path, default=Path("."), help="the plan's import-root (default .)")
    parser.add_argument("--no-pyright", action="store_true", help="skip the pyright oracle")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text())
        result = compare(args.before, args.after, report, args.import_root, pyright=not args.no_pyright)
    except OracleError as e:
        print(f"oracles: {e}", file=sys.stderr)
        return 2
    print(result.summary())
    for failure in result.parse_failures:
        where, message = failure.split(": ", 1)
        print(f"{where}: cpython: {message} [PARSE FAILURE]")
    for b in result.breaks:
        print(b)
    for b in result.preexisting:
        print(f"{b.path}:{b.line}: {b.oracle}: {b.message} [never an attribute before]")
    return 1 if result.parse_failures or result.silent else 0

if __name__ == "__main__":
    sys.exit(main())
