# The HTTP/1.1 listener: real sockets on 127.0.0.1, short timeouts.
if(TARGET litellm_http_server)
  litellm_test(unit_http_server SOURCES ${CMAKE_CURRENT_LIST_DIR}/server_test.cpp
               DEPS litellm_http_server LABELS unit)
endif()
