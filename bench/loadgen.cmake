# bench/loadgen: paced HTTP load with latency percentiles and time-to-first-byte (see loadgen.cpp).
find_package(CLI11 CONFIG REQUIRED)
litellm_executable(loadgen SOURCES ${CMAKE_CURRENT_LIST_DIR}/loadgen.cpp
                   DEPS litellm_core CLI11::CLI11)
