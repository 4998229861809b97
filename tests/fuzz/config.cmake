# YAML config text in -> load_config_text() and env_references() never crash, hang or blow up.
if(TARGET litellm_gateway_config)
  litellm_fuzz_target(config SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_fuzz.cpp
                      DEPS litellm_gateway_config)
endif()
