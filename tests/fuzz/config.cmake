# YAML config text in -> load_config_text() and env_references() never crash, hang or blow up.
if(TARGET litellm_gateway_config)
  litellm_fuzz_target(config SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_fuzz.cpp
                      DEPS litellm_gateway_config)
  # Coverage feedback must reach the loader itself, not only the harness.
  if(LITELLM_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(litellm_gateway_config PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endif()
