#!/usr/bin/env bash
# Two `excise apply` runs on one tree at once end with the tree one run gives,
# and leave no stray file:
#   concurrent-apply.sh EXCISE PROJECT_DIR
# The first run waits a while with its new files staged, before it renames
# them into place (the hidden --hold-lock-ms), so the second one is forced to
# start while the first is under way: it must say it waits, then find nothing
# left to do. Without the lock the second would take the first's staged files
# for the leftovers of a killed run and delete them.
# A user's file shaped like an old temporary name survives both.
set -euo pipefail
excise=$1 top=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan=$top/rules/remove-integration-events.yaml

cp -r "$top/examples/tickstock" "$work/once"
"$excise" apply -p "$plan" --root "$work/once" --quiet > /dev/null

cp -r "$top/examples/tickstock" "$work/twice"
echo "keep me" > "$work/twice/notes.excise-backup"
echo "keep me" > "$work/twice/src/.app.py.excise-tmp-backup1"
"$excise" apply -p "$plan" --root "$work/twice" --quiet --hold-lock-ms 1500 \
  > /dev/null 2> "$work/first.err" &
first=$!
sleep 0.5
set +e
"$excise" apply -p "$plan" --root "$work/twice" --quiet > /dev/null 2> "$work/second.err"
second=$?
wait "$first"
first_code=$?
set -e
if [[ $first_code -ne 0 || $second -ne 0 ]]; then
  echo "FAIL: the runs exited $first_code and $second" >&2
  cat "$work/first.err" "$work/second.err" >&2
  exit 1
fi
if ! grep -q 'waiting for another excise apply on this tree' "$work/second.err"; then
  echo "FAIL: the second run did not wait for the first:" >&2
  cat "$work/second.err" >&2
  exit 1
fi
echo "the second run waited for the first"

for f in notes.excise-backup src/.app.py.excise-tmp-backup1; do
  if [[ $(cat "$work/twice/$f" 2>/dev/null) != "keep me" ]]; then
    echo "FAIL: the user's file $f did not survive" >&2
    exit 1
  fi
  rm "$work/twice/$f"
done
if ! diff -r "$work/once" "$work/twice"; then
  echo "FAIL: two concurrent runs left another tree than one run" >&2
  exit 1
fi
echo "two concurrent runs leave the tree one run leaves, with no stray file, and the user's files"
