#!/usr/bin/env bash
# The built excise has the hardening its build promises (cmake/Hardening.cmake,
# docs/build.md): review bots run it on untrusted pull requests.
#   hardening.sh EXCISE PROMISE...
# PROMISE is one of
#   pie              a position-independent executable (ELF type DYN, PIE flag,
#                    an interpreter), so that its code is randomized too
#   relro            a GNU_RELRO segment
#   now              every symbol bound at start (BIND_NOW, or NOW in FLAGS_1),
#                    so that the RELRO part covers the GOT as well
#   stack-protector  a reference to __stack_chk_fail, and -fstack-protector-strong
#                    recorded by every C and C++ unit with debug information
#   fortify          a reference to one of glibc's checked functions (__*_chk)
# CMake passes what the build promises: all five in the default and release
# builds (fortify only where optimized), pie alone in the sanitizer build. No
# promise, or an unknown one, fails. The build before the hardening fails pie
# and now, and the units check of stack-protector.
set -uo pipefail
excise=$1
shift
if (($# == 0)); then
  echo "FAIL: no promise to check (usage: hardening.sh EXCISE PROMISE...)" >&2
  exit 1
fi
for tool in readelf; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (binutils)" >&2; exit 1; }
done

header=$(readelf -h "$excise") || { echo "FAIL: readelf -h $excise" >&2; exit 1; }
dynamic=$(readelf -d "$excise")
segments=$(readelf -l "$excise")
symbols=$(readelf --dyn-syms --wide "$excise")

failures=0
check() { # check PROMISE WHAT STATUS (the status of the test, taken before WHAT is expanded)
  if (($3 == 0)); then
    echo "ok: $1: $2"
  else
    echo "FAIL: $1: $2" >&2
    failures=$((failures + 1))
  fi
}
has() { grep -Eq -- "$2" <<<"$1"; }

for promise in "$@"; do
  case $promise in
    pie)
      has "$header" 'Type:[[:space:]]+DYN' && has "$dynamic" 'FLAGS_1.*PIE' &&
        has "$segments" '[[:space:]]INTERP[[:space:]]'
      check pie "ELF type DYN with the PIE flag and an interpreter" $? ;;
    relro)
      has "$segments" '[[:space:]]GNU_RELRO[[:space:]]'
      check relro "a GNU_RELRO segment" $? ;;
    now)
      has "$dynamic" '\(BIND_NOW\)|\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*[[:space:]]NOW'
      check now "BIND_NOW (every symbol bound at start)" $? ;;
    stack-protector)
      # Debian's LLVM archives are built with it too: where the executable has
      # debug information, each C or C++ unit (this project's; link-time
      # optimization's GIMPLE units record no such flag) must record the flag.
      units=$(readelf --debug-dump=info "$excise" 2>/dev/null |
        grep -Eo 'DW_AT_producer[^:]*:( \(indirect string, offset: [^)]*\):)? (GNU C|clang).*' || true)
      unprotected=$(grep -v -e '-fstack-protector-strong' -e 'GNU GIMPLE' <<<"$units" | grep -c . || true)
      has "$symbols" '[[:space:]]UND[[:space:]]+__stack_chk_fail' && ((unprotected == 0))
      status=$?
      check stack-protector "a reference to __stack_chk_fail; $(grep -c . <<<"$units" || true)\
 compile units with debug information, $unprotected without -fstack-protector-strong" $status ;;
    fortify)
      checked=$(grep -Eo '[[:space:]]UND[[:space:]]+__[a-z0-9_]+_chk(@|$|[[:space:]])' <<<"$symbols" |
        grep -Eo '__[a-z0-9_]+_chk' | sort -u)
      [[ -n $checked ]]
      status=$?
      check fortify "a reference to a checked function: $(tr '\n' ' ' <<<"$checked")" $status ;;
    *)
      check "$promise" "unknown promise" 1 ;;
  esac
done

# Not a promise: how the relocations the loader applies at start are stored.
if has "$dynamic" '\(RELR\)'; then
  echo "note: relative relocations packed (DT_RELR)"
fi
((failures == 0))
