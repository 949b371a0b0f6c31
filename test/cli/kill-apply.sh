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
  (cd "$work/tree" && find . -name '*.py' -print0) | while IFS= read -r -d '' f; do
    if ! cmp -s "$work/tree/$f" "$work/base/$f" && ! cmp -s "$work/tree/$f" "$work/expected/$f"; then
      echo "FAIL: round $round: $f is neither the old nor the new version" >&2
      exit 1
    fi
  done
  "$excise" apply -p "$plan" --root "$work/tree" --quiet > /dev/null
  if ! diff -r -q "$work/tree" "$work/expected" > /dev/null; then
    echo "FAIL: round $round: a re-run after the kill does not give the applied tree" >&2
    diff -r -q "$work/tree" "$work/expected" | head >&2
    exit 1
  fi
done
echo "$rounds rounds, $killed killed mid-run: every file old or new, every re-run complete"
echo "$rounds passed, 0 failed"
