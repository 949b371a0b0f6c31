# Compiler and linker flags of every build (docs/build.md).
#
# excise is run on code nobody has vetted yet: review bots run it on the pull
# requests of strangers. Every build that is not a sanitizer or fuzzing build
# therefore gets the hardening of a Debian package built with
# DEB_BUILD_MAINT_OPTIONS=hardening=+all (dpkg-buildflags), for
# the executable and for every static library of this project linked into it
# (the engine, tree-sitter, the tests): a position-independent executable,
# so that address-space randomization covers its own code too; stack
# protection; glibc's checked string and memory functions (_FORTIFY_SOURCE,
# which needs optimization); and full RELRO (relocations done at start, then
# made read-only: no writable GOT or vtables of LLVM to aim at).
#
# The sanitizer and fuzzing builds are position-independent only: the
# checked functions _FORTIFY_SOURCE calls instead of memcpy and the like
# bypass AddressSanitizer's interceptors, and the stack protector is
# redundant with it. They are never shipped.
#
# Sets EXCISE_HARDENING to what the build promises (a list of pie, relro,
# now, stack-protector, fortify), which test/cli/hardening.sh checks in the
# built executable.
option(EXCISE_HARDEN "Stack protector, _FORTIFY_SOURCE=2 and full RELRO (PIE is always on)" ON)

include(CheckCCompilerFlag)
include(CheckLinkerFlag)
include(CheckPIESupported)

set(EXCISE_HARDENING "")

# -fPIE for the executables' objects, -fPIC for the static libraries', -pie
# for every executable. The libraries are only ever linked into this
# project's executables, so their global functions cannot be interposed:
# -fno-semantic-interposition lets the compiler inline and clone them within
# a file as it would at -fPIE.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
check_pie_supported(OUTPUT_VARIABLE _excise_pie_output LANGUAGES C CXX)
if(CMAKE_CXX_LINK_PIE_SUPPORTED)
  list(APPEND EXCISE_HARDENING pie)
else()
  message(WARNING "excise: the linker cannot make a position-independent executable: "
                  "${_excise_pie_output}")
endif()
check_c_compiler_flag(-fno-semantic-interposition EXCISE_HAS_NO_SEMANTIC_INTERPOSITION)
if(EXCISE_HAS_NO_SEMANTIC_INTERPOSITION)
  add_compile_options(-fno-semantic-interposition)
endif()

if(EXCISE_HARDEN AND NOT EXCISE_SANITIZE AND NOT EXCISE_FUZZ)
  add_compile_options(-fstack-protector-strong)
  list(APPEND EXCISE_HARDENING stack-protector)

  # Only where the code is optimized: at -O0 glibc ignores it, with a warning.
  set(_excise_optimized "$<CONFIG:Release,RelWithDebInfo,MinSizeRel>")
  add_compile_options("$<${_excise_optimized}:-U_FORTIFY_SOURCE>"
                      "$<${_excise_optimized}:-D_FORTIFY_SOURCE=2>")
  if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
    list(APPEND EXCISE_HARDENING fortify)
  endif()

  add_link_options(LINKER:-z,relro LINKER:-z,now)
  list(APPEND EXCISE_HARDENING relro now)
endif()

# Start-up. A position-independent executable carries one relative
# relocation per pointer in its data, which the loader applies at every
# start, each first write to a page a page fault. Linked whole, LLVM's and
# clang's static libraries brought 174,000 of them (vtables, option and
# target tables: 1.8 MB of .data.rel.ro), and `excise --version` took 610
# page faults. Every function and object in a section of its own (LLVM's
# libraries are built that way) and the unreferenced ones dropped at link
# time leave 2,600 relocations and 141 faults, as many as the executable
# linked at a fixed address took (docs/build.md). What remains is packed
# (DT_RELR: a bitmap word per 63 pointers instead of 24 bytes each) where
# the linker and glibc (2.36) support it.
if(NOT EXCISE_SANITIZE AND NOT EXCISE_FUZZ)
  add_compile_options(-ffunction-sections -fdata-sections)
  add_link_options(LINKER:--gc-sections)
  check_linker_flag(CXX "LINKER:-z,pack-relative-relocs" EXCISE_HAS_PACKED_RELOCATIONS)
  if(EXCISE_HAS_PACKED_RELOCATIONS)
    add_link_options(LINKER:-z,pack-relative-relocs)
  endif()
endif()
