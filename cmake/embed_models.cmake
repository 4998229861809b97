# Generates models_data.hpp: data/models.json as a string constant, so the installed library
# needs no data file at run time.
file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "// Generated from data/models.json by cmake/embed_models.cmake. Do not edit.\n#pragma once\n#include <string_view>\nnamespace litellm::core {\ninline constexpr std::string_view kModelsJson = R\"litellm_json(${CONTENT})litellm_json\";\n}\n")
