#!/usr/bin/env bash
# Benchmark set-up and entry (`tools/dev bench`): installs the peers excise is measured
# against, then runs bench/run.py with the given arguments (see `bench/run.py --help`).
#
#   tools/bench.sh [--excise PATH] [--files N] [--scale 1,2,4] [--runs N] ...
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ripgrep is plan 1's yardstick; GNU time reports each command's own peak memory;
# hyperfine is not used by run.py but is at hand for ad-hoc comparisons.
debian_packages=(ripgrep time hyperfine python3 nodejs npm)

log() { printf '[bench] %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

setup_debian() {
  local missing=()
  for pkg in "${debian_packages[@]}"; do
    # npm comes with some Node.js builds outside Debian's packaging; accept a working binary.
    if [[ $pkg == npm || $pkg == nodejs ]] && command -v "${pkg/nodejs/node}" >/dev/null 2>&1; then
      continue
    fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# ast-grep, pinned in bench/package-lock.json. Its npm postinstall only copies the
# platform package's binary into place; run.py calls that binary directly instead.
setup_npm() {
  local stamp=$top/bench/node_modules/.excise-lock
  if [[ -f $stamp ]] && cmp -s "$stamp" "$top/bench/package-lock.json"; then
    return
  fi
  log "installing the pinned benchmark peers from the npm registry"
  (cd "$top/bench" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$top/bench/package-lock.json" "$stamp"
}

setup_debian
setup_npm
exec python3 "$top/bench/run.py" "$@"
