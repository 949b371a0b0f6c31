#!/usr/bin/env bash
# `excise apply` killed with SIGKILL at random moments, many times: every file
# must be entirely old or entirely new, and a re-run must finish the job.
#   kill-apply.sh EXCISE SOURCE_DIR [ROUNDS]
set -euo pipefail
excise=$(realpath "$1") src=$2 rounds=${3:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A tree where every file changes: 300 generated modules, every logger.debug
# call removed.
python3 "$src/bench/generate.py" "$work/base" --files 300 --seed 7 > /dev/null
plan=$src/bench/plans/logger-debug.yaml
cp -r "$work/base" "$work/expected"
"$excise" apply -p "$plan" --root "$work/expected" --quiet > /dev/null

# Each Python file's checksum and path, one per line: a file is old or new
# when its line is one of the base tree's or one of the applied tree's.
sums() { (cd "$1" && find . -name '*.py' -print0 | sort -z | xargs -0 sha1sum); }
sums "$work/base" > "$work/base.sums"
sums "$work/expected" > "$work/expected.sums"

killed=0
for ((round = 1; round <= rounds; round++)); do
  rm -rf "$work/tree" && cp -r "$work/base" "$work/tree"
  "$excise" apply -p "$plan" --root "$work/tree" --quiet > /dev/null 2>&1 &
  pid=$!
  # Somewhere between start-up and the end of the renames.
  sleep "0.$(printf '%03d' $((RANDOM % 400)))"
  if kill -9 "$pid" 2> /dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2> /dev/null || true
  # Every Python file is the old or the new version, never something else.
  sums "$work/tree" > "$work/tree.sums"
  if grep -vxF -f "$work/base.sums" "$work/tree.sums" |
    grep -vxF -f "$work/expected.sums" > "$work/neither"; then
    echo "FAIL: round $round: neither the old nor the new version:" >&2
    sed 's/^[0-9a-f]*  /    /' "$work/neither" >&2
    exit 1
  fi
  "$excise" apply -p "$plan" --root "$work/tree" --quiet > /dev/null
  if ! diff -r -q "$work/tree" "$work/expected" > /dev/null; then
    echo "FAIL: round $round: a re-run after the kill does not give the applied tree" >&2
    diff -r -q "$work/tree" "$work/expected" | head >&2
    exit 1
  fi
done
echo "$rounds rounds, $killed killed mid-run: every file old or new, every re-run complete"
echo "$rounds passed, 0 failed"
