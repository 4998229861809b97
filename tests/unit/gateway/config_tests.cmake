# The config loader (LiteLLM's config.yaml -> GatewayConfig): pure, no sockets.
if(TARGET litellm_gateway_config)
  litellm_test(unit_gateway_config
               SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_test.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/config_real_test.cpp
               DEPS litellm_gateway_config LABELS unit)
endif()
