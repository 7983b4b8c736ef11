# Included by the top-level CMakeLists.txt when CXOS_SANITIZE is ON: ASan and UBSan on every
# target (added before any target exists, so libraries, tests, tools and cxos all get them).
add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)
# ASan's instrumentation misleads GCC 12's -Wmaybe-uninitialized into false reports inside
# libstdc++'s <regex> (GCC bug 105616: `std::regex re(s);` alone triggers it at -O1). The normal
# build, where the analysis is sound, still checks this warning (as an error in CI).
add_compile_options(-Wno-maybe-uninitialized)

# Asio keeps freed handler and coroutine-frame memory in a per-thread cache and hands it to the
# next allocation of that size: a use after free of a frame or a handler would then touch live
# memory and ASan could not see it. Here every such allocation is a plain new/delete.
add_compile_definitions(BOOST_ASIO_DISABLE_SMALL_BLOCK_RECYCLING BOOST_ASIO_DISABLE_AWAITABLE_FRAME_RECYCLING)
# libstdc++'s own checks (operator[] out of range, front() of an empty container, ...) catch
# what ASan cannot: an index past size() but inside capacity(). Header-only, ABI-compatible.
add_compile_definitions(_GLIBCXX_ASSERTIONS)

# The run-time options every sanitized executable starts with (environment variables add to or
# override them), so ctest, a test binary run by hand and the cxos the e2e tests start agree.
add_library(cxos_sanitizer_options OBJECT ${CMAKE_CURRENT_LIST_DIR}/default_options.cpp)
target_compile_definitions(cxos_sanitizer_options PRIVATE
  CXOS_LSAN_SUPPRESSIONS="${CMAKE_CURRENT_LIST_DIR}/lsan.supp")

function(cxos_collect_executables dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  set(found)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      list(APPEND found ${target})
    endif()
  endforeach()
  foreach(subdir ${subdirs})
    cxos_collect_executables(${subdir} below)
    list(APPEND found ${below})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# Called at the end of the top-level CMakeLists.txt, once every executable exists: each one,
# whoever adds it later, links the default options.
function(cxos_sanitize_executables)
  cxos_collect_executables(${PROJECT_SOURCE_DIR} executables)
  foreach(target ${executables})
    target_link_libraries(${target} PRIVATE cxos_sanitizer_options)
  endforeach()
endfunction()
