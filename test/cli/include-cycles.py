#!/usr/bin/env python3
"""No folder of lib/ includes, directly or through others, a folder that includes it.

    include-cycles.py PROJECT_DIR

The stages of lib/ (docs/development.md) form layers: a folder may include
the headers of folders below it, never one that includes it back. Reads every
`#include "folder/..."` of lib/, prints the folder graph and each cycle
(`plan -> rewrite -> plan`), and exits 1 when there is one.
"""
import pathlib
import re
import sys

top = pathlib.Path(sys.argv[1]) / "lib"
folders = {p.name for p in top.iterdir() if p.is_dir()}
graph = {f: set() for f in folders}
for path in top.glob("*/*"):
    if path.suffix not in (".h", ".cpp"):
        continue
    for used in re.findall(r'^#include "([a-z]+)/', path.read_text(encoding="utf-8"), re.M):
        if used in folders and used != path.parent.name:
            graph[path.parent.name].add(used)

cycles = []
state = {}


def visit(folder, stack):
    state[folder] = "open"
    stack.append(folder)
    for used in sorted(graph[folder]):
        if state.get(used) == "open":
            cycles.append(stack[stack.index(used):] + [used])
        elif used not in state:
            visit(used, stack)
    stack.pop()
    state[folder] = "done"


for folder in sorted(graph):
    if folder not in state:
        visit(folder, [])
for folder in sorted(graph):
    print(f"{folder} -> {', '.join(sorted(graph[folder])) or '(nothing)'}")
for cycle in cycles:
    print("cycle: " + " -> ".join(cycle))
print(f"{len(folders)} folders, {len(cycles)} cycles")
sys.exit(1 if cycles else 0)
