#!/usr/bin/env bash
# Captures every output form of excise for every shipped plan on its example,
# so that a change meant to keep behaviour can be compared byte for byte:
#
#   tools/capture-outputs.sh EXCISE OUT_DIR [PLANS.json CORPUS]
#   ... change and rebuild ...
#   tools/capture-outputs.sh EXCISE OUT_DIR2 [PLANS.json CORPUS]
#   diff -r OUT_DIR OUT_DIR2
#
# For each plan: the patch, explain, json, sarif, rdjson, fixes-yaml, and the
# stderr and exit code of diff and check. The pairs are the golden tests'
# (test/golden/pairs.txt).
#
# With PLANS.json and CORPUS, it also runs the plans of a differential run
# (bench/differential.py --json: the `yaml` of each entry of `plans`) on the
# tree CORPUS, which it only reads: for each plan, the patch and the
# `--format json` report, each with its stderr and exit code, in
# OUT_DIR/differential/. The plans are written to a scratch directory and named
# relative to it, so that no message depends on where it is.
set -euo pipefail
if [[ $# -ne 2 && $# -ne 4 ]]; then
  echo "usage: $0 EXCISE OUT_DIR [PLANS.json CORPUS]" >&2
  exit 2
fi
excise=$(realpath "$1") out=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
out=$(realpath "$out")
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

[[ $# -eq 4 ]] || exit 0
plans_json=$(realpath "$3") corpus=$(realpath "$4")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
/usr/bin/python3 - "$plans_json" "$scratch" <<'PY'
import json, pathlib, sys
plans = json.load(open(sys.argv[1]))["plans"]
for i, plan in enumerate(plans):
    (pathlib.Path(sys.argv[2]) / f"plan-{i:04d}.yaml").write_text(plan["yaml"])
PY
mkdir -p "$out/differential"
differential=0
cd "$scratch"
for plan_file in plan-*.yaml; do
  name=${plan_file%.yaml}
  set +e
  "$excise" diff -p "$plan_file" --root "$corpus" --color never \
    >"$out/differential/$name.patch" 2>"$out/differential/$name.patch.err"
  echo $? >"$out/differential/$name.patch.code"
  "$excise" diff -p "$plan_file" --root "$corpus" --format json \
    >"$out/differential/$name.json" 2>"$out/differential/$name.json.err"
  echo $? >"$out/differential/$name.json.code"
  set -e
  differential=$((differential + 2))
done
echo "captured $differential outputs of $(basename "$plans_json")'s plans on $corpus into $out/differential"
