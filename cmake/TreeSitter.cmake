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

add_library(tree_sitter_runtime STATIC "${_ts_runtime}/src/lib.c")
target_include_directories(tree_sitter_runtime
  PUBLIC "${_ts_runtime}/include"
  PRIVATE "${_ts_runtime}/src")
target_compile_definitions(tree_sitter_runtime PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(tree_sitter_runtime PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
target_compile_options(tree_sitter_runtime PRIVATE -w)

add_library(tree_sitter_python STATIC "${_ts_python}/parser.c" "${_ts_python}/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${_ts_python}")
target_link_libraries(tree_sitter_python PUBLIC tree_sitter_runtime)
set_target_properties(tree_sitter_python PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter_python PRIVATE -w)

# The parser is most of a whole-tree run's time: optimize it fully in every
# build that optimizes at all (the sanitizer and fuzzing builds use -O1).
foreach(_ts_target tree_sitter_runtime tree_sitter_python)
  target_compile_options(${_ts_target} PRIVATE
    $<$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>:-O3>)
endforeach()
