#!/usr/bin/env bash
# `excise apply` when the file system refuses it: a read-only directory, a full
# disk, an unreadable directory. Each must exit 3 naming the path and leave
# every file of the tree as it was, with no temporary file behind.
#   apply-failures.sh EXCISE
#
# Permissions do not bind root, so as root the runs that need them are made
# as the user `nobody` (setpriv). The full disk is a small tmpfs mounted in a
# user and mount namespace of our own (unshare -rm), or directly as root.
# When the machine allows neither, that case is reported as skipped (exit 77).
set -uo pipefail
excise=$(realpath "$1")
work=$(mktemp -d)
chmod 0755 "$work"
# A copy that `nobody` can run, wherever the build directory is.
cp "$excise" "$work/excise" && chmod 0755 "$work/excise"
excise=$work/excise
trap 'chmod -R u+rwX "$work" 2>/dev/null; umount "$work/small" 2>/dev/null; rm -rf "$work"' EXIT
failures=0 passed=0 skipped=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { passed=$((passed + 1)); }

# make_tree DIR: a service whose every file the plan changes.
make_tree() {
  mkdir -p "$1/pkg" "$1/app/api"
  : > "$1/pkg/__init__.py"
  printf 'class Repo:\n    def save(self, item):\n        return item\n' > "$1/pkg/legacy.py"
  printf 'from pkg.legacy import Repo\n\n\ndef handle(item):\n    Repo().save(item)\n    return item\n' > "$1/app/api/orders.py"
  # A big file, so that its new content does not fit where the tree just did.
  {
    printf 'from pkg.legacy import Repo\n\nREPO = Repo()\n\n\n'
    for i in $(seq 1 3000); do printf 'def step_%d(x):\n    """Step %d of the batch."""\n    return x + %d\n\n\n' "$i" "$i" "$i"; done
  } > "$1/app/batch.py"
}
cat > "$work/plan.yaml" <<'YAML'
plan: drop-repo
rules:
  - id: drop-repo
    remove-symbol: pkg.legacy.Repo
YAML

snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# as_user CMD...: runs CMD where permissions bind.
as_user() {
  if [[ $(id -u) -eq 0 ]]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

# check_refused NAME TREE PATTERN: the last run exited 3, its stderr matches
# PATTERN, and TREE is as it was before it.
check_refused() {
  local name=$1 tree=$2 pattern=$3 code
  code=$(cat "$work/code")
  if [[ $code -ne 3 ]]; then
    fail "$name: exit $code, expected 3"; sed 's/^/    /' "$work/err" >&2; return
  fi
  if ! grep -Eq -- "$pattern" "$work/err"; then
    fail "$name: stderr does not match /$pattern/"; sed 's/^/    /' "$work/err" >&2; return
  fi
  if ! diff <(cat "$work/before") <(snapshot "$tree") >/dev/null; then
    fail "$name: the tree changed"; diff <(cat "$work/before") <(snapshot "$tree") >&2; return
  fi
  if find "$tree" -name '*.excise-*' | grep -q .; then
    fail "$name: temporary files left behind"; return
  fi
  pass
}

# 1. A read-only directory: app/api cannot take a temporary file.
tree=$work/readonly
make_tree "$tree"
chmod -R a+rwX "$tree"
chmod 0555 "$tree/app/api"
snapshot "$tree" > "$work/before"
as_user "$excise" apply -p "$work/plan.yaml" --root "$tree" > "$work/out" 2> "$work/err"
echo $? > "$work/code"
check_refused "read-only directory" "$tree" 'app/api/orders\.py.*(Permission denied|Read-only)'
chmod 0755 "$tree/app/api"

# 2. An unreadable directory: the tree cannot be listed.
tree=$work/unreadable
make_tree "$tree"
chmod -R a+rwX "$tree"
chmod 0000 "$tree/app/api"
chmod 0755 "$tree/app/api"; snapshot "$tree" > "$work/before"; chmod 0000 "$tree/app/api"
as_user "$excise" apply -p "$work/plan.yaml" --root "$tree" > "$work/out" 2> "$work/err"
echo $? > "$work/code"
chmod 0755 "$tree/app/api"
check_refused "unreadable directory" "$tree" 'app/api: cannot list: Permission denied'

# 3. A full disk: a tmpfs just big enough for the tree.
run_full_disk() {
  local small=$1
  make_tree "$small/tree"
  snapshot "$small/tree" > "$work/before"
  # Fill what is left, so that no new content fits.
  dd if=/dev/zero of="$small/filler" bs=4k 2>/dev/null
  "$excise" apply -p "$work/plan.yaml" --root "$small/tree" > "$work/out" 2> "$work/err"
  echo $? > "$work/code"
  cp "$work/err" "$work/err.full"
  snapshot "$small/tree" > "$work/after"
  find "$small/tree" -name '*.excise-*' | wc -l > "$work/temps"
  rm -f "$small/filler"
}
export -f run_full_disk make_tree snapshot
export excise work
mkdir -p "$work/small"
if unshare -rm true 2>/dev/null; then
  unshare -rm bash -c 'mount -t tmpfs -o size=1m tmpfs "$work/small" && run_full_disk "$work/small"'
elif [[ $(id -u) -eq 0 ]] && mount -t tmpfs -o size=1m tmpfs "$work/small" 2>/dev/null; then
  run_full_disk "$work/small"
  umount "$work/small"
else
  echo "SKIP: full disk: cannot mount a small file system here (needs user namespaces or root)"
  skipped=1
fi
if ((!skipped)); then
  # The tmpfs is gone (or unmounted); compare the snapshots taken inside it.
  code=$(cat "$work/code")
  if [[ $code -ne 3 ]]; then
    fail "full disk: exit $code, expected 3"; sed 's/^/    /' "$work/err" >&2
  elif ! grep -Eq 'No space left on device' "$work/err"; then
    fail "full disk: stderr does not name the cause"; sed 's/^/    /' "$work/err" >&2
  elif ! diff "$work/before" "$work/after" >/dev/null; then
    fail "full disk: the tree changed"
  elif [[ $(cat "$work/temps") -ne 0 ]]; then
    fail "full disk: temporary files left behind"
  else
    pass
  fi
fi

echo "$passed passed, $failures failed$( ((skipped)) && echo ', full disk skipped')"
((failures)) && exit 1
((skipped)) && exit 77
exit 0
