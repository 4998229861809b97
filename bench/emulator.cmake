# mistral-emulator benchmarks: emulator_throughput.sh (requests/s vs nginx, wrk) and
# emulator_streams_bench (RSS while holding 10,000 slow streams).
if(TARGET litellm_core)
  litellm_executable(emulator_streams_bench SOURCES ${CMAKE_CURRENT_LIST_DIR}/emulator_streams.cpp
                     DEPS litellm_core)
endif()
