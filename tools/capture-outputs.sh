#!/usr/bin/env bash
# Captures every output form of excise for every shipped plan on its example,
# so that a change meant to keep behaviour can be compared byte for byte:
#
#   tools/capture-outputs.sh EXCISE OUT_DIR
#   ... change and rebuild ...
#   tools/capture-outputs.sh EXCISE OUT_DIR2 && diff -r OUT_DIR OUT_DIR2
#
# For each plan: the patch, explain, json, sarif, rdjson, fixes-yaml, and the
# stderr and exit code of diff and check. The pairs are the golden tests'
# (test/golden/pairs.txt).
set -euo pipefail
excise=$1 out=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
captured=0
while read -r example plan _; do
  [[ -z $example || $example == \#* ]] && continue
  root=$top/examples/$example plan_file=$top/rules/$plan.yaml
  for mode in diff explain check; do
    set +e
    "$excise" "$mode" -p "$plan_file" --root "$root" --color never \
      >"$out/$plan.$mode.out" 2>"$out/$plan.$mode.err"
    echo $? >"$out/$plan.$mode.code"
    set -e
    captured=$((captured + 1))
  done
  for format in json sarif rdjson fixes-yaml; do
    set +e
    "$excise" diff -p "$plan_file" --root "$root" --quiet --format "$format" \
      >"$out/$plan.$format" 2>"$out/$plan.$format.err"
    set -e
    captured=$((captured + 1))
  done
done <"$top/test/golden/pairs.txt"
echo "captured $captured outputs into $out"
