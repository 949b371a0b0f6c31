# The tree-sitter runtime and the Python grammar, compiled from the sources that the
# pinned npm packages ship (see package.json and package-lock.json; `tools/dev setup`
# installs them with --ignore-scripts). Nothing of theirs is kept in this repository.
set(EXCISE_NODE_MODULES "${PROJECT_SOURCE_DIR}/node_modules" CACHE PATH
    "Directory holding the tree-sitter and tree-sitter-python npm packages")

set(_ts_runtime "${EXCISE_NODE_MODULES}/tree-sitter/vendor/tree-sitter/lib")
set(_ts_python "${EXCISE_NODE_MODULES}/tree-sitter-python/src")
foreach(_required "${_ts_runtime}/src/lib.c" "${_ts_python}/parser.c" "${_ts_python}/scanner.c")
  if(NOT EXISTS "${_required}")
    message(FATAL_ERROR "${_required} is missing: run `tools/dev setup` first")
  endif()
endforeach()

# The runtime and the grammar as two static libraries named
# tree_sitter_runtime${SUFFIX} and tree_sitter_python${SUFFIX}.
function(excise_tree_sitter_libraries SUFFIX)
  set(runtime tree_sitter_runtime${SUFFIX})
  set(python tree_sitter_python${SUFFIX})
  add_library(${runtime} STATIC "${_ts_runtime}/src/lib.c")
  target_include_directories(${runtime}
    PUBLIC "${_ts_runtime}/include"
    PRIVATE "${_ts_runtime}/src")
  target_compile_definitions(${runtime} PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
  set_target_properties(${runtime} PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
  target_compile_options(${runtime} PRIVATE -w)

  add_library(${python} STATIC "${_ts_python}/parser.c" "${_ts_python}/scanner.c")
  target_include_directories(${python} PRIVATE "${_ts_python}")
  target_link_libraries(${python} PUBLIC ${runtime})
  set_target_properties(${python} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${python} PRIVATE -w)

  # The parser is most of a whole-tree run's time: optimize it fully in every
  # build that optimizes at all (the sanitizer and fuzzing builds use -O1).
  foreach(target ${runtime} ${python})
    target_compile_options(${target} PRIVATE
      $<$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>:-O3>)
  endforeach()
endfunction()

excise_tree_sitter_libraries("")

# Profile-guided optimization of the parser (GCC's optimized builds): excise
# is linked once more with a copy of the libraries compiled to count
# branches, that copy runs the plans of rules/ over examples/ without the
# prefilter (every file parsed, analysed and edited), and the libraries that
# excise itself links are compiled with the counts. The parse is more than
# half of a whole-tree run's CPU time and the generated parser is one large
# branchy state machine: the profile takes about a fifth off a run (bench
# plan 2, README). It comes from this repository's examples, not from the
# benchmark's tree. Called once excise_lib exists; only in the release
# configuration (EXCISE_PGO, CMakeLists.txt), since it compiles tree-sitter
# twice and runs excise during the build.
function(excise_profile_guided_parser)
  if(NOT EXCISE_PGO OR NOT CMAKE_C_COMPILER_ID STREQUAL "GNU" OR EXCISE_SANITIZE
     OR EXCISE_FUZZ OR NOT CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo)$")
    return()
  endif()
  set(profile "${CMAKE_BINARY_DIR}/tree-sitter-profile")
  excise_tree_sitter_libraries("_train")
  # GCC names a count file, and identifies the static functions in it, after
  # the object's auxiliary name, which differs between the two copies of a
  # source unless it is set: each source gets the same one in both.
  foreach(source "${_ts_runtime}/src/lib.c" "${_ts_python}/parser.c" "${_ts_python}/scanner.c")
    get_filename_component(name "${source}" NAME)
    set_property(SOURCE "${source}" APPEND PROPERTY COMPILE_OPTIONS
      -dumpdir "${profile}/objects/" -dumpbase "${name}")
  endforeach()
  foreach(target tree_sitter_runtime_train tree_sitter_python_train)
    target_compile_options(${target} PRIVATE -fprofile-generate "-fprofile-dir=${profile}/counts")
  endforeach()
  target_link_options(tree_sitter_runtime_train INTERFACE -fprofile-generate)
  add_executable(excise_train "${PROJECT_SOURCE_DIR}/tools/excise/main.cpp")
  target_link_libraries(excise_train PRIVATE excise_lib tree_sitter_python_train)

  set(runs)
  foreach(run "tickstock:remove-integration-events" "cofi:remove-processing-logs")
    string(REPLACE ":" ";" parts "${run}")
    list(GET parts 0 example)
    list(GET parts 1 plan)
    list(APPEND runs COMMAND excise_train diff --no-prefilter -j 1
      -p "${PROJECT_SOURCE_DIR}/rules/${plan}.yaml"
      --root "${PROJECT_SOURCE_DIR}/examples/${example}" -o "${profile}/${example}.patch")
  endforeach()
  file(GLOB_RECURSE corpus CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/examples/*.py")
  # Counts add up from run to run: a new profile starts from none. The
  # profile is made again when tree-sitter or the corpus changes, not each
  # time excise_train is linked again for a change of excise's own code: the
  # counts are of tree-sitter's functions only, and a profile that is a few
  # changes old costs no correctness, only a little speed.
  add_custom_command(OUTPUT "${profile}/done"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${profile}/counts"
    ${runs}
    COMMAND "${CMAKE_COMMAND}" -E touch "${profile}/done"
    DEPENDS tree_sitter_runtime_train tree_sitter_python_train ${corpus}
            "${PROJECT_SOURCE_DIR}/rules/remove-integration-events.yaml"
            "${PROJECT_SOURCE_DIR}/rules/remove-processing-logs.yaml"
    COMMENT "Profiling tree-sitter: excise on examples/"
    VERBATIM)
  add_custom_target(tree_sitter_profile DEPENDS "${profile}/done")
  foreach(target tree_sitter_runtime tree_sitter_python)
    add_dependencies(${target} tree_sitter_profile)
    # Functions the examples never reach keep their ordinary optimization.
    target_compile_options(${target} PRIVATE
      -fprofile-use "-fprofile-dir=${profile}/counts" -fprofile-partial-training
      -Wno-missing-profile)
  endforeach()
endfunction()
