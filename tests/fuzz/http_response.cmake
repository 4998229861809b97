# The client's response parser: answers in random read sizes, checked against Beast's parser.
if(TARGET litellm_http)
  litellm_fuzz_target(http_response SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_response_fuzz.cpp
                      DEPS litellm_http)
endif()
