#!/usr/bin/env bash
# Command-line behaviour of the excise binary: exit codes, located messages for
# bad plans, nothing written on error, and a real pre-commit run.
#   cli-tests.sh EXCISE
set -uo pipefail
excise=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passed=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { passed=$((passed + 1)); }

# expect CODE PATTERN -- ARGS...: runs excise, checks the exit code and that
# stderr matches the extended regular expression PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  "$excise" "$@" > "$work/out" 2> "$work/err"
  local got=$?
  if [[ $got -ne $code ]]; then
    fail "excise $* exited $got, expected $code"; sed 's/^/    /' "$work/err" >&2; return
  fi
  if [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$work/err"; then
    fail "excise $*: stderr does not match /$pattern/"; sed 's/^/    /' "$work/err" >&2; return
  fi
  pass
}

# A small tree: a module to remove and a file that uses it.
tree=$work/tree
mkdir -p "$tree/pkg" "$tree/docs"
touch "$tree/pkg/__init__.py"
cat > "$tree/pkg/legacy.py" <<'PY'
class Repo:
    def save(self):
        pass
PY
cat > "$tree/pkg/service.py" <<'PY'
from pkg.legacy import Repo


def run():
    Repo().save()
    return 1
PY
echo "old" > "$tree/docs/notes.md"
snapshot() { (cd "$tree" && find . -type f -exec sha1sum {} + | sort); }
before=$(snapshot)

plan() { printf '%s\n' "$@" > "$work/plan.yaml"; }

# Bad plans: exit 2, file:line:col, and nothing written by apply.
plan 'plan: t' 'rules:' '  - id: a' '    remove-module: [pkg.legacy' 
expect 2 'plan\.yaml:[0-9]+:[0-9]+: error' -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    remove-module: pkg.legacy' 'verfy: {absent: [Repo]}'
expect 2 "plan\.yaml:5:1: error: unknown key 'verfy'.*did you mean 'verify'" -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    remove-symbl: pkg.legacy.Repo'
expect 2 "plan\.yaml:4:5: error: unknown operation 'remove-symbl'; did you mean 'remove-symbol'\?" -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    delete-files: [../outside.py]'
expect 2 'plan\.yaml:4:20: error: .*outside' -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    move-files: [{from: docs/notes.md, to: pkg/service.py}]'
expect 2 "plan\.yaml:4:.*already exists" -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    add-file: {path: docs/notes.md, content: "new"}'
expect 2 "plan\.yaml:4:.*already exists" -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    add-file: {content: "x"}'
expect 2 'plan\.yaml:4:[0-9]+: error: .*path' -- apply -p "$work/plan.yaml" --root "$tree"
plan 'plan: t' 'rules:' '  - id: a' '    remove-module: pkg.legacy' '  - id: a' '    remove-module: pkg.legacy'
expect 2 "plan\.yaml:5:[0-9]+: error: .*duplicate" -- apply -p "$work/plan.yaml" --root "$tree"
expect 2 'cannot read plan' -- diff -p "$work/missing.yaml" --root "$tree"
[[ $(snapshot) == "$before" ]] && pass || fail "a refused plan changed the tree"

# A target found nowhere: a [plan] note with a did-you-mean, exit 0; --strict
# makes check and verify exit 1 (and shows the note even with --quiet);
# `optional: true` silences it.
plan 'plan: t' 'rules:' '  - id: a' '    remove-module: pkg.legcy'
expect 0 "plan\.yaml:4:20: note: rule 'a': module 'pkg\.legcy' is not in the tree.*did you mean 'pkg\.legacy'\? \[plan\]" -- apply -p "$work/plan.yaml" --root "$tree"
expect 0 "\[plan\]" -- check -p "$work/plan.yaml" --root "$tree"
expect 1 "plan\.yaml:4:20: note: .*\[plan\]" -- check --strict --quiet -p "$work/plan.yaml" --root "$tree"
expect 1 "\[plan\]" -- verify --strict -p "$work/plan.yaml" --root "$tree"
expect 0 '' -- check --quiet -p "$work/plan.yaml" --root "$tree"
[[ ! -s $work/err ]] && pass || fail "check --quiet printed a note"
plan 'plan: t' 'rules:' '  - id: a' '    optional: true' '    remove-module: pkg.nope' '  - id: b' '    remove-symbol: [pkg.nope.A, pkg.legacy.Rep]'
expect 1 "plan\.yaml:7:21: note: rule 'b': symbol 'pkg\.nope\.A' not found" -- check --strict -p "$work/plan.yaml" --root "$tree"
grep -q "plan.yaml:7:33: note: rule 'b': symbol 'pkg.legacy.Rep' not found.*did you mean 'pkg.legacy.Repo'" "$work/err" && pass ||
  fail "every missing target is listed, with its did-you-mean"
grep -q "pkg.nope'" "$work/err" && fail "an optional rule got a note" || pass
[[ $(snapshot) == "$before" ]] && pass || fail "a plan whose targets are missing changed the tree"

# Usage and I/O errors.
plan 'plan: t' 'rules:' '  - id: drop-legacy' '    remove-module: pkg.legacy'
expect 3 'not a directory' -- diff -p "$work/plan.yaml" --root "$work/nowhere"
expect 2 '' -- diff --no-such-option -p "$work/plan.yaml"
expect 2 'color' -- diff -p "$work/plan.yaml" --root "$tree" --color sometimes
"$excise" --version | grep -Eq '^excise [0-9]+\.[0-9]+' && pass || fail "--version"
"$excise" --help | grep -q 'excise diff' && pass || fail "--help does not list the modes"

# check: 1 when something would change, with the leftover located; diff: 0.
cat >> "$tree/pkg/service.py" <<'PY'


def make(pooled):
    return Repo() if pooled else None
PY
before=$(snapshot)
expect 1 'pkg/service.py:10:12: warning: .*Repo.*\[drop-legacy\]' -- check -p "$work/plan.yaml" --root "$tree"
# --quiet hides the summary, never a leftover.
expect 1 'pkg/service.py:10:12: warning: .*Repo.*\[drop-legacy\]' -- check --quiet -p "$work/plan.yaml" --root "$tree"
grep -q 'files changed' "$work/err" && fail "check --quiet printed the summary" || pass
expect 0 '' -- diff -p "$work/plan.yaml" --root "$tree" --quiet
grep -q '^deleted file mode' "$work/out" && pass || fail "diff does not delete pkg/legacy.py"
expect 0 '' -- explain -p "$work/plan.yaml" --root "$tree" --quiet
grep -q 'drop-legacy' "$work/out" && pass || fail "explain does not name the rule"
[[ $(snapshot) == "$before" ]] && pass || fail "check, diff or explain changed the tree"
# --time-report names the phases on stderr and changes nothing else.
cp "$work/out" "$work/explained"
expect 0 'Listing the tree' -- explain -p "$work/plan.yaml" --root "$tree" --quiet --time-report
grep -q 'Cascade, round 1' "$work/err" && cmp -s "$work/out" "$work/explained" && pass ||
  fail "--time-report does not report round 1 or changes the output"
# PATH... limits what is reported.
expect 0 '' -- diff -p "$work/plan.yaml" --root "$tree" --quiet docs
[[ ! -s $work/out ]] && pass || fail "diff limited to docs/ reported changes elsewhere"

# A real pre-commit run with the project's hook: fails while the plan would
# change something, passes once it is applied (the plan unchanged: its
# targets are gone), and fails again when a use of the removed module comes
# back.
if command -v pre-commit > /dev/null; then
  repo=$work/repo
  cp -r "$tree" "$repo"
  sed -i '/^def make/,$d' "$repo/pkg/service.py"
  cp "$work/plan.yaml" "$repo/plan.yaml"
  cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: local
    hooks:
      - id: excise-check
        name: excise check
        entry: $excise check --quiet -p plan.yaml
        language: system
        types: [python]
YAML
  (
    cd "$repo" && git init -q && git add -A &&
      export HOME=$work/home PRE_COMMIT_HOME=$work/pre-commit-cache &&
      if pre-commit run --all-files > "$work/pc1" 2>&1; then
        echo "FAIL: pre-commit passed on a tree the plan would change" >&2; exit 1
      fi &&
      "$excise" apply -p plan.yaml --quiet > /dev/null && git add -A &&
      if ! pre-commit run --all-files > "$work/pc2" 2>&1; then
        echo "FAIL: pre-commit still fails after excise apply:" >&2; cat "$work/pc2" >&2; exit 1
      fi &&
      printf 'from pkg.legacy import Repo\n\n\ndef again():\n    Repo().save()\n' > pkg/again.py &&
      git add -A &&
      if pre-commit run --all-files > "$work/pc3" 2>&1; then
        echo "FAIL: pre-commit passed on a re-introduced use of the removed module" >&2; exit 1
      fi
  ) && pass || fail "pre-commit hook"
else
  fail "pre-commit is not installed (tools/dev setup installs it)"
fi

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
