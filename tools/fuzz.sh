#!/usr/bin/env bash
# Builds excise's libFuzzer targets with clang 14, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each of them for a while.
#
#   tools/fuzz.sh [SECONDS]        each target for SECONDS (default 60)
#   tools/fuzz.sh --smoke          each target for about 10 seconds
#   tools/fuzz.sh --keep-going N   as above, but carry on after a crash to find more
#   tools/fuzz.sh --build-only     configure and build, run nothing
#
# The build goes to build-fuzz/ (EXCISE_FUZZ_BUILD_DIR overrides it; `tools/dev
# sanitize`, run by CI, points it at build-sanitize/ for --smoke). Each run
# starts from the checked-in seeds in fuzz/corpus/, copied to a scratch
# directory so that the repository's corpus is never modified. Inputs that
# crash are saved in build-fuzz/artifacts/TARGET/; the script then exits 1.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${EXCISE_FUZZ_BUILD_DIR:-$top/build-fuzz}
targets=(fuzz_plan fuzz_removal)

seconds=60
keep_going=0
build_only=0
while (($#)); do
  case $1 in
    --smoke) seconds=10 ;;
    --keep-going) keep_going=1 ;;
    --build-only) build_only=1 ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]* | '') echo "fuzz.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    *) seconds=$1 ;;
  esac
  shift
done

log() { printf '[fuzz] %s\n' "$*" >&2; }

for tool in clang-14 clang++-14; do
  command -v "$tool" >/dev/null 2>&1 || {
    log "$tool is missing: install the Debian packages clang-14 and libclang-rt-14-dev (tools/dev setup does)"
    exit 2
  }
done

# -O1 with assertions on (no NDEBUG): tree-sitter's own checks are worth having.
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  CC=clang-14 CXX=clang++-14 cmake -S "$top" -B "$build_dir" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DEXCISE_SANITIZE=ON -DEXCISE_FUZZ=ON -DBUILD_TESTING=OFF >&2
fi
cmake --build "$build_dir" --target "${targets[@]}" --parallel "$(nproc)" >&2
((build_only)) && exit 0

scratch=$(mktemp -d "${TMPDIR:-/tmp}/excise-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Dictionaries help libFuzzer past the keywords it would hardly guess.
cat >"$scratch/fuzz_plan.dict" <<'DICT'
"plan:"
"description:"
"import-root:"
"rules:"
"verify:"
"absent:"
"paths:"
"count:"
"- id: "
"optional: true"
"remove-symbol:"
"remove-module:"
"remove-calls:"
"delete-files:"
"move-files:"
"add-file:"
"replace-text:"
"callee:"
"function:"
"args:"
"from:"
"to:"
"path:"
"content:"
"files:"
"whole-word:"
"re:"
"\"**/*.py\""
"../"
"&anchor"
"*anchor"
"!!str"
"---"
"{"
"}"
"["
"]"
"|\x0a"
DICT
cat >"$scratch/fuzz_removal.dict" <<'DICT'
"Repo"
"helper"
"CONST"
"logger.info"
"from pkg.legacy import "
"from pkg import legacy"
"from .legacy import "
"import pkg.legacy as "
"legacy."
"Repo()"
".save()"
".load()"
"self.repo = Repo()"
"if TYPE_CHECKING:"
"__all__ = "
"def "
"class "
"async "
"await "
"with "
"try:"
"except Exception:"
"finally:"
"else:"
"elif "
"if "
"not "
" is None"
" is not None"
"return "
"pass"
"lambda"
"@"
"\x0a    "
"\x0d\x0a"
"\x09"
"\x0c"
";"
"\\\x0a"
"\"\"\""
"#"
DICT

status=0
for target in "${targets[@]}"; do
  kind=${target#fuzz_}
  corpus=$scratch/corpus-$kind
  artifacts=$build_dir/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  cp -R "$top/fuzz/corpus/$kind/." "$corpus/"
  before=$(ls -1 "$artifacts" | sort)
  flags=(
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=8192
    -dict="$scratch/$target.dict" -artifact_prefix="$artifacts/" -print_final_stats=1
  )
  if ((keep_going)); then
    flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  log "$target for ${seconds}s (artifacts in ${artifacts#"$top"/})"
  failed=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build_dir/fuzz/$target" "${flags[@]}" "$corpus" 2>"$scratch/$target.log" || failed=1
  # The last status line carries the coverage (cov: edges, ft: features).
  grep -E '^#[0-9]+' "$scratch/$target.log" | tail -n 1 >&2 || true
  grep -E '^(stat::|Done [0-9]+ runs|==[0-9]+==ERROR|SUMMARY|invariant violated)' \
    "$scratch/$target.log" >&2 || true
  new_artifacts=$(comm -13 <(printf '%s\n' "$before") <(ls -1 "$artifacts" | sort) | sed '/^$/d')
  if ((failed)) || [[ -n $new_artifacts ]]; then
    log "$target: inputs that failed:"
    printf '%s\n' "$new_artifacts" | sed "s|^|  ${artifacts#"$top"/}/|" >&2
    tail -n 80 "$scratch/$target.log" >&2
    status=1
  fi
done
exit "$status"
