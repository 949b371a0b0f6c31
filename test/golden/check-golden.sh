#!/usr/bin/env bash
# Golden test of a whole plan on an example tree:
#   check-golden.sh EXCISE PLAN EXAMPLE_DIR EXPECTED_PATCH CHECK_AFTER
# 1. `excise diff` prints exactly the expected patch (the difference is shown
#    when it does not);
# 2. `git apply --check` and `patch -p1 --dry-run` accept it on a copy of the
#    tree, and `git apply` applies it; -j1 and -j4 print the same patch;
# 3. every Python file of the patched tree compiles (python3 -m py_compile);
# 4. the same plan, unchanged, on the patched tree produces an empty patch
#    and exits 0 (its targets are gone: notes, never exit 2), and so does
#    `apply` (the tree stays as it is);
# 5. `excise check` on the patched tree exits CHECK_AFTER (1 exactly when the
#    first run left leftovers or verify findings), and each leftover it prints
#    points at a line that holds the name it reports; `excise verify` exits
#    0 or 1, never 2;
# 6. `excise apply` on another copy gives the same tree as `git apply`.
set -euo pipefail
excise=$1 plan=$2 example=$3 expected=$4 check_after=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$excise" diff -p "$plan" --root "$example" --quiet -o "$work/actual.patch"
if ! diff -u "$expected" "$work/actual.patch"; then
  echo "FAIL: the patch differs from $expected (lines with - are expected, + are actual)" >&2
  exit 1
fi

for jobs in 1 4; do
  "$excise" diff -p "$plan" --root "$example" --quiet -j "$jobs" -o "$work/j$jobs.patch"
  cmp "$work/actual.patch" "$work/j$jobs.patch"
done
echo "-j1 and -j4 print the same patch"

cp -r "$example" "$work/tree"
(cd "$work/tree" && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm base)
(cd "$work/tree" && git apply --check "$work/actual.patch")
(cd "$work/tree" && patch -p1 --dry-run --quiet < "$work/actual.patch")
(cd "$work/tree" && git apply "$work/actual.patch")
echo "git apply --check, patch -p1 --dry-run and git apply accept the patch"

# Everything that is Python must still compile.
find "$work/tree" -name '*.py' -print0 | xargs -0 python3 -m py_compile
find "$work/tree" -name __pycache__ -prune -exec rm -rf {} +
echo "every Python file of the patched tree compiles"

# Idempotence: the plan, as it is, has nothing left to do on its own output.
"$excise" diff -p "$plan" --root "$work/tree" --quiet -o "$work/again.patch"
if [[ -s $work/again.patch ]]; then
  echo "FAIL: a second run of the plan still changes the tree:" >&2
  cat "$work/again.patch" >&2
  exit 1
fi
snapshot() { (cd "$1" && find . -path ./.git -prune -o -type f -exec sha1sum {} + | sort); }
before_again=$(snapshot "$work/tree")
"$excise" apply -p "$plan" --root "$work/tree" --quiet > /dev/null
if [[ $(snapshot "$work/tree") != "$before_again" ]]; then
  echo "FAIL: a second excise apply changed the tree" >&2
  exit 1
fi
echo "a second diff produces an empty patch and a second apply changes nothing"

set +e
"$excise" verify -p "$plan" --root "$work/tree" 2> "$work/verify.err" > /dev/null
code=$?
set -e
if [[ $code -gt 1 ]]; then
  echo "FAIL: excise verify on the patched tree exited $code" >&2
  cat "$work/verify.err" >&2
  exit 1
fi

set +e
"$excise" check -p "$plan" --root "$work/tree" 2> "$work/check.err" > /dev/null
code=$?
set -e
if [[ $code -ne $check_after ]]; then
  echo "FAIL: excise check on the patched tree exited $code, expected $check_after" >&2
  cat "$work/check.err" >&2
  exit 1
fi
# 1 exactly when the first run left leftovers or verify findings.
"$excise" check -p "$plan" --root "$example" --quiet 2> "$work/first.err" > /dev/null || true
first_findings=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$work/first.err" || true)
if [[ $(( first_findings > 0 )) -ne $check_after ]]; then
  echo "FAIL: the first run left $first_findings leftovers and verify findings, but check after it exits $check_after" >&2
  exit 1
fi
# Each finding `file:line:col: warning: 'NAME' ...` must point at NAME.
{ grep -E '^[^ ]+:[0-9]+:[0-9]+: warning: ' "$work/check.err" || true; } | while IFS=: read -r file line col rest; do
  name=$(sed -E "s/^ warning: (string names )?'([^'(]+).*/\2/" <<<"$rest")
  text=$(sed -n "${line}p" "$work/tree/$file")
  at=${text:$((col - 1))}
  at=${at#[\"\']}
  if [[ $at != "$name"* ]]; then
    echo "FAIL: $file:$line:$col does not point at '$name': $text" >&2
    exit 1
  fi
done
echo "excise check exits $check_after and its findings point at their names"

# `excise apply` writes what `git apply` wrote.
cp -r "$example" "$work/applied"
"$excise" apply -p "$plan" --root "$work/applied" --quiet > /dev/null
if ! diff -r -x .git "$work/tree" "$work/applied"; then
  echo "FAIL: excise apply and git apply disagree" >&2
  exit 1
fi
echo "excise apply gives the same tree as git apply"
