# Provider adapters on untrusted bytes: client request bodies (chat_request), upstream answers
# (chat_response), upstream SSE in random splits (the stream decoders) and upstream error bodies
# (map_error). None may crash, hang or grow without bound; the stream output must not depend on
# how the bytes were split.
if(TARGET litellm_providers)
  foreach(part chat_request chat_response stream map_error)
    litellm_fuzz_target(providers_${part} SOURCES ${CMAKE_CURRENT_LIST_DIR}/providers_${part}_fuzz.cpp
                        DEPS litellm_providers)
  endforeach()
endif()
