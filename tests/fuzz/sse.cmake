# SSE decoder: random bytes in random splits must give the same events as one buffer.
if(TARGET litellm_http)
  litellm_fuzz_target(sse SOURCES ${CMAKE_CURRENT_LIST_DIR}/sse_fuzz.cpp DEPS litellm_http)
endif()
