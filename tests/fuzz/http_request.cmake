# Request parsing exactly as the listener configures it (limits, read buffer bound).
if(TARGET litellm_http_server)
  litellm_fuzz_target(http_request SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_request_fuzz.cpp
                      DEPS litellm_http_server)
endif()
