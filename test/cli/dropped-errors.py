#!/usr/bin/env python3
"""Every llvm::consumeError in the engine says why dropping the error is right.

    dropped-errors.py PROJECT_DIR

An error that is consumed is lost: the reader of the code must see at once why
that is right. Each `consumeError(` in lib/ and tools/ must have a comment
holding "Why dropped:" on its own line or in the comment lines directly above
it (the statement it belongs to may span the lines between). Prints each
offender as `path:line` and exits 1 when there is one.
"""
import pathlib
import re
import sys

top = pathlib.Path(sys.argv[1])
offenders = []
count = 0
for path in sorted(list(top.glob("lib/**/*.cpp")) + list(top.glob("lib/**/*.h")) +
                   list(top.glob("tools/**/*.cpp"))):
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "consumeError(" not in line or line.lstrip().startswith("//"):
            continue
        count += 1
        j = i - 1
        block = [line]
        # The comment lines directly above, skipping a control line the
        # statement sits under (`else`, `if (...)`).
        while j >= 0 and (lines[j].lstrip().startswith("//") or
                          re.match(r"\s*(else|if \(.*\))\s*\{?\s*$", lines[j])):
            block.append(lines[j])
            j -= 1
        if not any("Why dropped:" in b for b in block):
            offenders.append(f"{path.relative_to(top)}:{i + 1}")
for o in offenders:
    print(f"{o}: consumeError without a 'Why dropped:' comment", file=sys.stderr)
print(f"{count} consumeError calls, {len(offenders)} without a reason")
sys.exit(1 if offenders else 0)
