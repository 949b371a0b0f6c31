#!/usr/bin/env python3
"""Generate a large, deterministic, realistic Python service tree for the benchmark.

    python3 bench/generate.py OUT_DIR [--files 5000] [--lines-per-file 200]
                                      [--seed 7] [--scale 1] [--no-check]

The tree looks like a monorepo service: `svc/<domain>/<layer>/<module>.py` with
packages, classes, dataclasses, async functions, decorators, docstrings, comments,
type hints, module loggers and absolute and relative imports between real modules.

Two things in it are what the benchmark plans remove:

* `logger.debug(...)` calls, many of them, in every shape a real code base has,
  including the ones that break naive deletion: the only statement of an `if`,
  `else`, `for` or `except` body, or of a helper function.
* `svc/legacy/audit_trail.py` (`class AuditTrail`, `def record_audit`), imported and
  used in a few hundred places spread over about 1.5% of the modules, so a plan
  removing it touches few files in a large tree.

The output depends only on the arguments: the layout comes from one generator seeded
from --seed, and every module's text from its own generator seeded from (seed, path),
so the work can be spread over processes and still give identical bytes on every run.
Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

DOMAINS = [
    "billing", "orders", "inventory", "accounts", "payments", "shipping", "catalog",
    "pricing", "notifications", "reporting", "search", "identity", "scheduling",
    "analytics", "support", "fulfillment", "ledger", "subscriptions", "promotions",
    "webhooks",
]
# Layer name -> suffix of the modules' main class.
LAYERS = {
    "api": "Handler", "services": "Service", "repositories": "Repository",
    "models": "Model", "workers": "Worker", "clients": "Client", "tasks": "Task",
    "utils": "Helper", "schemas": "Schema", "policies": "Policy",
}
NOUNS = [
    "order", "invoice", "customer", "payment", "shipment", "account", "session",
    "token", "report", "batch", "job", "event", "message", "item", "product",
    "warehouse", "refund", "subscription", "coupon", "ticket", "rate", "quote",
    "transfer", "balance", "address", "carrier", "webhook", "snapshot", "schedule",
    "tenant", "price", "discount", "receipt", "contract", "device", "profile",
]
VERBS = [
    "create", "update", "fetch", "sync", "validate", "process", "publish", "cancel",
    "archive", "reconcile", "refresh", "load", "store", "notify", "compute", "resolve",
    "dispatch", "apply", "expire", "merge", "render", "enqueue", "retry", "close",
]
ATTRS = ["id", "status", "amount", "created_at", "owner_id", "version", "total", "region"]
STATUSES = ["pending", "active", "failed", "settled", "expired", "queued", "done"]
ERRORS = ["ValueError", "KeyError", "TimeoutError", "ConnectionError", "LookupError",
          "RuntimeError"]
COMMENTS = [
    "keep the old ordering: downstream consumers rely on it",
    "the upstream API returns naive datetimes",
    "TODO: batch these once the new endpoint is live",
    "cheap check first, the repository call hits the database",
    "retries are handled by the caller",
    "see the incident review for why this is not cached",
    "legacy clients still send the numeric form",
    "never raise from here: this runs in the request path",
]
SENTENCES = [
    "Reads and writes go through the repository; nothing here talks to the database directly.",
    "All public coroutines are safe to call concurrently.",
    "Kept small on purpose: the heavy lifting lives in the workers.",
    "Errors are logged and re-raised as domain errors.",
    "The behaviour mirrors the previous synchronous implementation.",
]

# Fraction of modules that use the legacy audit trail.
AUDIT_FRACTION = 0.015
PACKAGE_SIZE = 25  # modules per package, roughly


def pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@dataclass
class Module:
    path: str            # relative file path, e.g. svc/orders/services/order_sync.py
    dotted: str          # svc.orders.services.order_sync
    package: str         # svc.orders.services
    layer: str
    noun: str
    main_class: str
    audited: bool = False
    siblings: list = field(default_factory=list)   # (module stem, class) in the package
    others: list = field(default_factory=list)     # (dotted, class) in other packages
    cousin: tuple = ()   # (layer, stem, class) in the same domain, for `from ..layer.x import`


def plan_tree(files: int, seed: int) -> tuple[list[Module], list[str]]:
    """Decide every path and main class up front, so imports can name real things."""
    rng = random.Random(f"tree:{seed}")
    fixed = 9  # svc/__init__, common/{__init__,db,retry,events,cache}, legacy/{__init__,audit_trail,reports}
    budget = max(files - fixed, 2)
    # Each package costs one __init__.py on top of its modules.
    n_packages = max(1, budget // (PACKAGE_SIZE + 1))
    n_modules = budget - n_packages

    layers = list(LAYERS)
    packages = []
    domain_inits = []
    for i in range(n_packages):
        domain = DOMAINS[(i // len(layers)) % len(DOMAINS)]
        round_ = i // (len(layers) * len(DOMAINS))
        if round_:
            domain = f"{domain}_{round_ + 1}"
        layer = layers[i % len(layers)]
        packages.append((f"svc.{domain}.{layer}", layer))
        if i % len(layers) == 0:
            domain_inits.append(f"svc.{domain}")
    # Domain __init__.py files count against the module budget too.
    n_modules -= len(domain_inits)

    modules: list[Module] = []
    per_package = [n_modules // n_packages + (1 if i < n_modules % n_packages else 0)
                   for i in range(n_packages)]
    for (package, layer), count in zip(packages, per_package):
        used = set()
        members = []
        for _ in range(count):
            while True:
                noun = rng.choice(NOUNS)
                stem = noun if rng.random() < 0.3 else f"{noun}_{rng.choice(VERBS)}"
                if stem in used:
                    stem = f"{stem}_{len(used)}"
                if stem not in used:
                    break
            used.add(stem)
            cls = pascal(stem) + LAYERS[layer]
            module = Module(path=package.replace(".", "/") + f"/{stem}.py",
                            dotted=f"{package}.{stem}", package=package, layer=layer,
                            noun=noun, main_class=cls)
            members.append(module)
        for module in members:
            module.siblings = [(m.dotted.rsplit(".", 1)[1], m.main_class)
                               for m in members if m is not module]
        modules.extend(members)

    by_domain: dict[str, list[Module]] = {}
    for module in modules:
        by_domain.setdefault(module.package.rsplit(".", 1)[0], []).append(module)
    for module in modules:
        picks = rng.sample(modules, k=min(3, len(modules)))
        module.others = [(m.dotted, m.main_class) for m in picks if m.package != module.package]
        cousin = rng.choice(by_domain[module.package.rsplit(".", 1)[0]])
        if cousin.package != module.package and rng.random() < 0.4:
            module.cousin = (cousin.layer, cousin.dotted.rsplit(".", 1)[1], cousin.main_class)

    # Spread the audit trail's users evenly over the tree, not clustered in one domain.
    candidates = [m for m in modules if m.layer not in ("models", "schemas")]
    n_audited = max(3, round(len(modules) * AUDIT_FRACTION))
    step = max(1, len(candidates) // n_audited)
    for m in candidates[rng.randrange(step)::step][:n_audited]:
        m.audited = True
    return modules, domain_inits


class Writer:
    """Builds one module as a list of lines; every helper emits valid Python."""

    def __init__(self, module: Module, rng: random.Random, target: int):
        self.m = module
        self.rng = rng
        self.target = target
        self.lines: list[str] = []
        self.helpers: list[str] = []   # no-op trace helpers of the current class
        self.audit_uses = 0

    # -- small pieces -----------------------------------------------------------

    def emit(self, indent: int = 0, text: str = "") -> None:
        self.lines.append(("    " * indent + text) if text else "")

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def var(self) -> str:
        return self.pick(["result", "record", "payload", "rows", "entry", "current",
                          self.m.noun, f"{self.m.noun}_id", "batch", "response"])

    def cond(self, names: list[str]) -> str:
        n = self.pick(names)
        return self.pick([
            f"{n} is None", f"not {n}", f"{n}.status == \"{self.pick(STATUSES)}\"",
            f"len({n}) > MAX_BATCH", f"{n} and {n}.{self.pick(ATTRS)}",
            f"isinstance({n}, dict)", f"{n}.{self.pick(ATTRS)} is not None",
        ])

    def debug_call(self, indent: int, names: list[str]) -> None:
        """One logger.debug statement, in one of the shapes real code has."""
        n = self.pick(names)
        verb = self.pick(VERBS)
        shape = self.rng.random()
        if shape < 0.45:
            self.emit(indent, f'logger.debug("{verb} {self.m.noun} %s", {n})')
        elif shape < 0.65:
            self.emit(indent, f'logger.debug(f"{verb}: {{{n}!r}} ({{len(str({n}))}} chars)")')
        elif shape < 0.85:
            self.emit(indent, "logger.debug(")
            self.emit(indent + 1, f'"{verb} %s for %s took %.3fs",')
            self.emit(indent + 1, f"{n},")
            self.emit(indent + 1, f"len({n} or ()),")
            self.emit(indent + 1, "time.monotonic() - started,")
            self.emit(indent, ")")
        elif shape < 0.95:
            self.emit(indent, f'logger.debug("{verb} %s", {n}, extra={{"{self.m.noun}": {n}}})  # {self.pick(COMMENTS)}')
        else:
            self.emit(indent, f'logger.debug("{verb} done", exc_info=True)')

    def audit_call(self, indent: int, names: list[str], in_class: bool) -> None:
        n = self.pick(names)
        event = f"{self.m.noun}.{self.pick(VERBS)}"
        self.audit_uses += 1
        if in_class and self.chance(0.7):
            if self.chance(0.2):
                self.emit(indent, "if self.audit:")
                self.emit(indent + 1, f'self.audit.record("{event}", ref={n})')
            elif self.chance(0.3):
                self.emit(indent, "self.audit.record(")
                self.emit(indent + 1, f'"{event}",')
                self.emit(indent + 1, f"ref={n},")
                self.emit(indent + 1, f'actor=getattr({n}, "owner_id", None),')
                self.emit(indent, ")")
            else:
                self.emit(indent, f'self.audit.record("{event}", ref={n})')
        else:
            db = "self.db" if in_class else "db"
            self.emit(indent, f'record_audit({db}, "{event}", {n})')

    # -- statements -------------------------------------------------------------

    def simple(self, indent: int, names: list[str], is_async: bool, in_class: bool) -> None:
        n = self.pick(names)
        v = self.var()
        kind = self.rng.random()
        owner = "self" if in_class else "_default_client()"
        if kind < 0.08:
            self.debug_call(indent, names)
        elif kind < 0.26 and is_async:
            self.emit(indent, f"{v} = await {owner}.{self.pick(VERBS)}_{self.m.noun}({n})")
        elif kind < 0.34:
            self.emit(indent, f"{v} = [x.{self.pick(ATTRS)} for x in {n} or () if x is not None]")
        elif kind < 0.42:
            self.emit(indent, f"{v} = {{")
            self.emit(indent + 1, f'"id": getattr({n}, "id", None),')
            self.emit(indent + 1, f'"status": "{self.pick(STATUSES)}",')
            self.emit(indent + 1, '"updated_at": datetime.utcnow().isoformat(),')
            self.emit(indent, "}")
        elif kind < 0.50:
            self.emit(indent, f'logger.info("{self.m.noun} %s {self.pick(STATUSES)}", {n})')
        elif kind < 0.55:
            self.emit(indent, f'logger.warning("could not {self.pick(VERBS)} %s: %s", {n}, "{self.pick(STATUSES)}")')
        elif kind < 0.62:
            self.emit(indent, f"# {self.pick(COMMENTS)}")
            self.emit(indent, f"{v} = {owner}.{self.pick(VERBS)}({n}, timeout=DEFAULT_TIMEOUT)")
        elif kind < 0.68 and in_class:
            self.emit(indent, f"self._cache[{n}] = {v} if {v} is not None else {n}")
        elif kind < 0.74:
            self.emit(indent, f'message = f"{self.m.noun} {{{n}}} is {self.pick(STATUSES)}"')
        elif kind < 0.80 and is_async:
            self.emit(indent, "await asyncio.sleep(0)")
        elif kind < 0.86 and in_class and self.helpers:
            self.emit(indent, f"self.{self.pick(self.helpers)}({n})")
        else:
            self.emit(indent, f"{v} = sorted({n} or [], key=lambda x: x.{self.pick(ATTRS)})")
        if v not in names and self.chance(0.5):
            names.append(v)

    def statement(self, indent: int, names: list[str], is_async: bool, in_class: bool,
                  depth: int) -> None:
        kind = self.rng.random()
        if depth >= 2 or kind < 0.62:
            return self.simple(indent, names, is_async, in_class)
        n = self.pick(names)
        if kind < 0.66:
            # The only statement of an `if`: deleting it alone leaves an empty block.
            self.emit(indent, f"if {self.cond(names)}:")
            self.debug_call(indent + 1, names)
        elif kind < 0.70:
            # The only statement of an `except`: same trap, with a handler to keep.
            self.emit(indent, "try:")
            self.simple(indent + 1, names, is_async, in_class)
            self.emit(indent, f"except {self.pick(ERRORS)} as exc:")
            self.emit(indent + 1, f'logger.debug("ignored %s while handling %s", exc, {n})')
        elif kind < 0.73:
            self.emit(indent, f"if {self.cond(names)}:")
            self.simple(indent + 1, names, is_async, in_class)
            self.emit(indent, "else:")
            self.debug_call(indent + 1, names)
        elif kind < 0.75:
            self.emit(indent, f"for entry in {n} or ():")
            self.debug_call(indent + 1, names + ["entry"])
        elif kind < 0.77:
            self.emit(indent, "if logger.isEnabledFor(logging.DEBUG):")
            self.debug_call(indent + 1, names)
        elif kind < 0.86:
            self.emit(indent, "try:")
            for _ in range(self.rng.randint(1, 3)):
                self.statement(indent + 1, names, is_async, in_class, depth + 1)
            self.emit(indent, "except ({}, {}) as exc:".format(*self.rng.sample(ERRORS, 2)))
            self.emit(indent + 1, f'logger.warning("{self.pick(VERBS)} failed: %s", exc)')
            if self.chance(0.2):
                self.debug_call(indent + 1, names)
            self.emit(indent + 1, "raise")
        elif kind < 0.94:
            self.emit(indent, f"for entry in {n} or ():")
            inner = names + ["entry"]
            for _ in range(self.rng.randint(1, 3)):
                self.statement(indent + 1, inner, is_async, in_class, depth + 1)
        else:
            self.emit(indent, f"if {self.cond(names)}:")
            for _ in range(self.rng.randint(1, 2)):
                self.statement(indent + 1, names, is_async, in_class, depth + 1)
            if self.chance(0.4):
                self.emit(indent, f"elif {self.cond(names)}:")
                self.simple(indent + 1, names, is_async, in_class)

    def body(self, indent: int, params: list[str], is_async: bool, in_class: bool,
             audited: bool) -> None:
        names = list(params) or ["None"]
        self.emit(indent, "started = time.monotonic()")
        for _ in range(self.rng.randint(3, 9)):
            if audited and self.chance(0.25):
                self.audit_call(indent, names, in_class)
            self.statement(indent, names, is_async, in_class, 0)
        self.emit(indent, f"return {self.pick(names)}")

    # -- definitions ------------------------------------------------------------

    def signature(self) -> tuple[str, list[str]]:
        noun = self.m.noun
        options = [
            ([f"{noun}_id: str"], [f"{noun}_id"]),
            ([f"{noun}: Mapping[str, Any]", "*, force: bool = False"], [noun, "force"]),
            ([f"items: Iterable[dict]", "limit: int = 100"], ["items", "limit"]),
            ([f"{noun}_id: str", "payload: Optional[dict] = None"], [f"{noun}_id", "payload"]),
        ]
        params, names = self.pick(options)
        return ", ".join(params), names

    def method(self, audited: bool) -> None:
        is_async = self.chance(0.5)
        name = f"{self.pick(VERBS)}_{self.pick(NOUNS)}"
        params, names = self.signature()
        deco = self.rng.random()
        if deco < 0.15:
            self.emit(1, f"@retry(attempts={self.rng.randint(2, 5)})")
        elif deco < 0.2:
            self.emit(1, "@staticmethod")
            self.emit(1, f"def {name}({params}) -> Any:")
            self.emit(2, f'"""{pascal(name).lower()} without touching instance state."""')
            self.body(2, names, False, False, False)
            self.emit()
            return
        prefix = "async def" if is_async else "def"
        self.emit(1, f"{prefix} {name}(self, {params}) -> Optional[dict]:")
        if self.chance(0.6):
            self.emit(2, f'"""{self.pick(VERBS).capitalize()} the {self.m.noun} and report what changed."""')
        self.body(2, names, is_async, True, audited)
        self.emit()

    def trace_helper(self) -> None:
        """A helper whose whole body is a debug call: removing the call empties it."""
        name = f"_trace_{self.pick(VERBS)}_{len(self.helpers)}"
        self.helpers.append(name)
        self.emit(1, f"def {name}(self, value: Any) -> None:")
        if self.chance(0.5):
            self.emit(2, '"""Debug-only trace of intermediate state."""')
        self.emit(2, f'logger.debug("%s state: %r", type(self).__name__, value)')
        self.emit()

    def klass(self, name: str, audited: bool) -> None:
        base = self.pick(["", "", "(BaseComponent)", "(Generic[T])"])
        self.emit(0, f"class {name}{base}:")
        self.emit(1, f'"""{self.m.noun.capitalize()} {self.m.layer} component.')
        self.emit()
        self.emit(1, f"{self.pick(SENTENCES)}")
        self.emit(1, '"""')
        self.emit()
        self.emit(1, f"default_status: str = \"{self.pick(STATUSES)}\"")
        self.emit()
        self.emit(1, "def __init__(self, db: Database, events: EventBus, *, dry_run: bool = False) -> None:")
        self.emit(2, "self.db = db")
        self.emit(2, "self.events = events")
        self.emit(2, "self.dry_run = dry_run")
        self.emit(2, "self._cache: dict[str, Any] = {}")
        if audited:
            self.audit_uses += 1
            self.emit(2, "self.audit = AuditTrail(self.db)")
        if self.chance(0.3):
            self.debug_call(2, ["db", "events"])
        self.emit()
        self.helpers = []
        if self.chance(0.35):
            self.trace_helper()
        if self.chance(0.3):
            self.emit(1, "@property")
            self.emit(1, "def is_ready(self) -> bool:")
            self.emit(2, "return self.db is not None and not self.dry_run")
            self.emit()
        for _ in range(self.rng.randint(2, 5)):
            self.method(audited)
        self.emit()

    def model(self) -> None:
        name = f"{pascal(self.pick(NOUNS))}{pascal(self.pick(VERBS))}Record"
        self.emit(0, "@dataclass(frozen=True)")
        self.emit(0, f"class {name}:")
        self.emit(1, f'"""Immutable snapshot of a {self.m.noun} as stored."""')
        self.emit()
        for attr in self.rng.sample(ATTRS, k=self.rng.randint(3, 6)):
            hint = self.pick(["str", "int", "Optional[str]", "float", "datetime"])
            default = {"str": ' = ""', "int": " = 0", "Optional[str]": " = None",
                       "float": " = 0.0", "datetime": " = field(default_factory=datetime.utcnow)"}[hint]
            self.emit(1, f"{attr}: {hint}{default}")
        self.emit(1, "tags: list[str] = field(default_factory=list)")
        self.emit()
        self.emit(1, "def to_dict(self) -> dict[str, Any]:")
        self.emit(2, "return {k: getattr(self, k) for k in self.__dataclass_fields__}")
        self.emit()
        self.emit()

    def function(self, audited: bool) -> None:
        is_async = self.chance(0.4)
        name = f"{self.pick(VERBS)}_{self.pick(NOUNS)}s"
        params, names = self.signature()
        if audited:
            params = "db: Database, " + params
            names = names + ["db"]
        if self.chance(0.2):
            self.emit(0, f"@retry(attempts={self.rng.randint(2, 4)})")
        prefix = "async def" if is_async else "def"
        self.emit(0, f"{prefix} {name}({params}) -> Any:")
        self.emit(1, f'"""{self.pick(VERBS).capitalize()} {self.m.noun}s in bulk.')
        self.emit()
        self.emit(1, f"{self.pick(SENTENCES)}")
        self.emit(1, '"""')
        self.body(1, names, is_async, False, audited)
        self.emit()
        self.emit()

    # -- module -----------------------------------------------------------------

    def module(self) -> str:
        m = self.m
        self.emit(0, f'"""{m.noun.capitalize()} {m.layer} for the {m.package.split(".")[1]} domain.')
        self.emit()
        self.emit(0, self.pick(SENTENCES))
        self.emit(0, '"""')
        self.emit()
        self.emit(0, "from __future__ import annotations")
        self.emit()
        self.emit(0, "import asyncio")
        self.emit(0, "import logging")
        self.emit(0, "import time")
        self.emit(0, "from dataclasses import dataclass, field")
        self.emit(0, "from datetime import datetime")
        self.emit(0, "from typing import Any, Generic, Iterable, Mapping, Optional, TypeVar")
        self.emit()
        self.emit(0, "from svc.common.db import BaseComponent, Database")
        self.emit(0, "from svc.common.events import EventBus")
        self.emit(0, "from svc.common.retry import retry")
        if m.audited:
            style = self.rng.random()
            if style < 0.6:
                self.emit(0, "from svc.legacy.audit_trail import AuditTrail, record_audit")
            elif style < 0.85:
                self.emit(0, "from svc.legacy.audit_trail import (")
                self.emit(1, "AuditTrail,")
                self.emit(1, "record_audit,  # still used by the nightly export")
                self.emit(0, ")")
            else:
                self.emit(0, "from svc.legacy.audit_trail import AuditTrail")
                self.emit(0, "from svc.legacy.audit_trail import record_audit")
        for dotted, cls in m.others[:self.rng.randint(0, 2)]:
            self.emit(0, f"from {dotted} import {cls}")
        local = self.rng.sample(m.siblings, k=min(len(m.siblings), self.rng.randint(0, 2)))
        for stem, cls in local:
            self.emit(0, f"from .{stem} import {cls}")
        if m.cousin:
            layer, stem, cls = m.cousin
            self.emit(0, f"from ..{layer}.{stem} import {cls}")
            local.append((stem, cls))
        self.emit()
        self.emit(0, "logger = logging.getLogger(__name__)")
        self.emit()
        self.emit(0, 'T = TypeVar("T")')
        self.emit(0, f"DEFAULT_TIMEOUT: float = {self.rng.randint(2, 60)}.0")
        self.emit(0, f"MAX_BATCH = {self.pick([50, 100, 200, 500])}")
        self.emit()
        self.emit()
        self.emit(0, "def _default_client() -> Any:")
        self.emit(1, "return None")
        self.emit()
        self.emit()

        if m.layer in ("models", "schemas"):
            self.model()
        self.klass(m.main_class, m.audited)
        while len(self.lines) < self.target:
            roll = self.rng.random()
            if roll < 0.45:
                self.function(m.audited and self.chance(0.5))
            elif roll < 0.6:
                self.model()
            else:
                name = f"{pascal(self.pick(NOUNS))}{pascal(self.pick(VERBS))}{LAYERS[m.layer]}"
                self.klass(name, False)
        for stem, cls in local:
            # Use the relative imports so they are not dead.
            self.emit(0, f"_{stem.upper()}_TYPE = {cls}")
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


COMMON = {
    "svc/__init__.py": '"""Service root package."""\n',
    "svc/common/__init__.py": '"""Shared infrastructure: database, events, retries."""\n',
    "svc/common/db.py": '''"""Database access shared by every component."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator


class Database:
    """Thin wrapper over the connection pool."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Database"]:
        yield self

    def execute(self, sql: str, *params: Any) -> list[dict]:
        return []


class BaseComponent:
    """Base class of the components that hold a database."""

    db: Database
''',
    "svc/common/events.py": '''"""In-process event bus."""

from typing import Any, Callable


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Callable[[Any], None]]] = {}

    def publish(self, topic: str, payload: Any) -> None:
        for handler in self._handlers.get(topic, []):
            handler(payload)
''',
    "svc/common/retry.py": '''"""Retry decorator for flaky I/O."""

import functools
from typing import Any, Callable


def retry(attempts: int = 3) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(attempts - 1):
                try:
                    return fn(*args, **kwargs)
                except Exception:  # noqa: BLE001 - retried below
                    continue
            return fn(*args, **kwargs)

        return wrapper

    return decorate
''',
    "svc/common/cache.py": '''"""Process-local cache."""

from typing import Any

_CACHE: dict[str, Any] = {}


def get(key: str) -> Any:
    return _CACHE.get(key)
''',
    "svc/legacy/__init__.py": '"""Code kept for old clients; being decommissioned."""\n',
    "svc/legacy/audit_trail.py": '''"""Audit trail written to the audit_events table (superseded by the event log)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Optional

from svc.common.db import Database

logger = logging.getLogger(__name__)


class AuditTrail:
    """Records who did what to which object."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, event: str, ref: Any = None, actor: Optional[str] = None) -> None:
        self.db.execute(
            "INSERT INTO audit_events (event, ref, actor, at) VALUES (%s, %s, %s, %s)",
            event,
            str(ref),
            actor,
            datetime.utcnow(),
        )


def record_audit(db: Optional[Database], event: str, ref: Any = None) -> None:
    """Module-level shortcut for code without an AuditTrail at hand."""
    if db is None:
        return
    AuditTrail(db).record(event, ref)
''',
    "svc/legacy/reports.py": '''"""Nightly export of the audit trail."""

from __future__ import annotations

from svc.common.db import Database

from .audit_trail import AuditTrail, record_audit


def export_nightly(db: Database) -> None:
    trail = AuditTrail(db)
    trail.record("export.started")
    record_audit(db, "export.finished")
''',
}


def package_init(package: str, modules: list[Module], rng: random.Random) -> str:
    """An __init__.py; some re-export their package's main classes, as real ones do."""
    text = f'"""{package.rsplit(".", 1)[1].capitalize()} package."""\n'
    if modules and rng.random() < 0.5:
        chosen = modules[:rng.randint(1, min(3, len(modules)))]
        text += "\n" + "".join(f"from .{m.dotted.rsplit('.', 1)[1]} import {m.main_class}\n"
                               for m in chosen)
        text += "\n__all__ = [" + ", ".join(f'"{m.main_class}"' for m in chosen) + "]\n"
    return text


def render_module(args: tuple[Module, int, int]) -> tuple[str, str, int]:
    module, seed, lines_per_file = args
    digest = hashlib.sha256(f"{seed}:{module.path}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    # Real modules vary a lot in size; the mean stays at the target.
    target = rng.randint(int(lines_per_file * 0.4), int(lines_per_file * 1.6))
    # The main class and the last block overshoot; aim short so the mean lands on target.
    writer = Writer(module, rng, max(40, target - 50))
    return module.path, writer.module(), writer.audit_uses


def check_file(path: str) -> str | None:
    try:
        ast.parse(Path(path).read_bytes(), filename=path)
    except SyntaxError as exc:
        return f"{path}:{exc.lineno}: {exc.msg}"
    return None


def generate(out: Path, files: int, lines_per_file: int, seed: int, check: bool,
             jobs: int) -> dict:
    if out.exists():
        shutil.rmtree(out)
    modules, domain_inits = plan_tree(files, seed)
    outputs: dict[str, str] = dict(COMMON)
    by_package: dict[str, list[Module]] = {}
    for m in modules:
        by_package.setdefault(m.package, []).append(m)
    rng = random.Random(f"inits:{seed}")
    for package, members in by_package.items():
        outputs[package.replace(".", "/") + "/__init__.py"] = package_init(package, members, rng)
    for package in domain_inits:
        outputs[package.replace(".", "/") + "/__init__.py"] = \
            f'"""{package.rsplit(".", 1)[1].capitalize()} domain."""\n'

    audit_uses = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        work = [(m, seed, lines_per_file) for m in modules]
        for path, text, uses in pool.map(render_module, work, chunksize=64):
            outputs[path] = text
            audit_uses += uses

    total_lines = 0
    dirs = set()
    for rel, text in sorted(outputs.items()):
        target = out / rel
        if target.parent not in dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            dirs.add(target.parent)
        target.write_text(text)
        total_lines += text.count("\n")
    # A service tree has more than Python in it; the engine must skip these.
    (out / "README.md").write_text("# svc\n\nSynthetic service tree for excise's benchmark.\n")
    (out / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1.0"\n')

    if check:
        paths = [str(out / rel) for rel in outputs]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            errors = [e for e in pool.map(check_file, paths, chunksize=64) if e]
        if errors:
            raise SystemExit("generated files that do not parse:\n" + "\n".join(errors[:20]))

    text_all = "".join(outputs.values())
    return {
        "python_files": len(outputs),
        "lines": total_lines,
        "logger_debug_calls": text_all.count("logger.debug("),
        "audit_files": sum(1 for t in outputs.values() if "AuditTrail" in t or "record_audit" in t),
        "audit_uses": audit_uses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output directory (replaced)")
    parser.add_argument("--files", type=int, default=5000, help="Python files at scale 1")
    parser.add_argument("--lines-per-file", type=int, default=200, help="mean lines per module")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1, help="multiplies the number of files")
    parser.add_argument("--no-check", action="store_true", help="skip ast.parse of the output")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if args.files < 20 or args.lines_per_file < 40 or args.scale < 1:
        parser.error("need --files >= 20, --lines-per-file >= 40, --scale >= 1")

    started = time.perf_counter()
    stats = generate(args.out, args.files * args.scale, args.lines_per_file, args.seed,
                     not args.no_check, args.jobs)
    stats["seconds"] = round(time.perf_counter() - started, 1)
    print(" ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
