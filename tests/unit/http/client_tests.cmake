# HTTP client and SSE decoder tests (owned with src/http/client.cpp and sse.cpp).
if(TARGET litellm_http)
  litellm_test(litellm_http_sse_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/sse_test.cpp
               DEPS litellm_http LABELS unit)
  litellm_test(litellm_http_client_test
               SOURCES ${CMAKE_CURRENT_LIST_DIR}/client_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/client_tls_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/client_detail_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/fields_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/response_parser_test.cpp
               DEPS litellm_http LABELS unit)
endif()
