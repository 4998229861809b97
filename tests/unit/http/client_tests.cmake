# HTTP client and SSE decoder tests (owned with src/http/client.cpp and sse.cpp).
if(TARGET litellm_http)
  litellm_test(litellm_http_sse_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/sse_test.cpp
               DEPS litellm_http LABELS unit)
  litellm_test(litellm_http_client_test
               SOURCES ${CMAKE_CURRENT_LIST_DIR}/client_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/client_tls_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/client_detail_test.cpp
               DEPS litellm_http LABELS unit)
  # clang 14's -fsanitize=function cannot compile some coroutine code ("Cannot represent a
  # difference across sections", llvm/llvm-project#49689). Until the top-level sanitizer flags
  # exclude it, the client's targets do.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND LITELLM_SANITIZE MATCHES "undefined")
    foreach(t litellm_http litellm_http_client_test)
      target_compile_options(${t} PRIVATE -fno-sanitize=function)
    endforeach()
  endif()
endif()
