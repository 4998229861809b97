# sdk_bench: the SDK's own CPU per call (request building, response parsing; 1 KB and 32 KB) and
# connection reuse across calls against an embedded emulator.
if(TARGET litellm AND TARGET mistral_emulator)
  find_package(benchmark REQUIRED)
  litellm_executable(sdk_bench SOURCES ${CMAKE_CURRENT_LIST_DIR}/sdk_bench.cpp
                     DEPS litellm::litellm mistral_emulator benchmark::benchmark)
endif()
