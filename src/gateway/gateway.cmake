# The gateway proper: routes, auth, server wiring. Needs the router, the listener and the config.
if(TARGET litellm_router AND TARGET litellm_http_server AND TARGET litellm_gateway_config)
  find_package(spdlog REQUIRED)
  litellm_library(litellm_gateway SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/routes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gateway.cpp
    DEPS litellm_router litellm_http_server litellm_gateway_config spdlog::spdlog)
endif()
