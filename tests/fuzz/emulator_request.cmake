# The emulator's request path (parse, validate, generate, render) on untrusted bodies.
if(TARGET mistral_emulator_core)
  litellm_fuzz_target(emulator_request SOURCES ${CMAKE_CURRENT_LIST_DIR}/emulator_request_fuzz.cpp
                      DEPS mistral_emulator_core)
endif()
