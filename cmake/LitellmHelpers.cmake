# litellm_library(<name> SOURCES ... [DEPS ...])
# A static library of ours: sees include/ (public API) and src/ (internal headers, included as
# "core/error.hpp"), compiles with our warnings and with Asio/Beast in separate-compilation mode.
function(litellm_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  add_library(litellm::${name} ALIAS ${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(${name} PUBLIC litellm_boost ${ARG_DEPS})
  target_link_libraries(${name} PRIVATE $<BUILD_INTERFACE:litellm_warnings>)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(LITELLM_BUILD_FUZZ AND LITELLM_SANITIZE AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # Coverage for libFuzzer in our code, not only in the fuzz harness: without it the fuzzers
    # are blind to the parsers they exist for. Other binaries of this build link the sanitizer
    # runtime, whose weak coverage callbacks do nothing.
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# litellm_executable(<name> SOURCES ... [DEPS ...])
function(litellm_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE litellm_warnings ${ARG_DEPS})
endfunction()

# litellm_test(<name> SOURCES ... [DEPS ...] [LABELS ...])
# A GoogleTest executable registered with ctest (one ctest entry per TEST via gtest_discover_tests).
function(litellm_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE litellm_warnings GTest::gtest GTest::gmock GTest::gtest_main
                        ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE
    LITELLM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    LITELLM_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures"
    LITELLM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# litellm_fuzz_target(<name> SOURCES ... [DEPS ...])
# <name> is both the binary (fuzz_<name>) and the corpus folder (tests/fuzz/corpus/<name>/).
# Run a fuzzing session by hand (clang build): build-asan/tests/fuzz/fuzz_<name> -max_total_time=60
#   tests/fuzz/corpus/<name>
function(litellm_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(bin fuzz_${name})
  add_executable(${bin} ${ARG_SOURCES})
  target_link_libraries(${bin} PRIVATE litellm_warnings ${ARG_DEPS})
  if(LITELLM_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${bin} PRIVATE -fsanitize=fuzzer)
    target_link_options(${bin} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${bin} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
  endif()
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  if(LITELLM_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # -runs=0: execute every corpus input once and stop (no fuzzing, no writes to the corpus).
    add_test(NAME fuzz_replay_${name} COMMAND ${bin} -runs=0 ${corpus})
  else()
    add_test(NAME fuzz_replay_${name} COMMAND ${bin} ${corpus})
  endif()
  set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
