// The model registry (data/models.json, compiled into the library): context windows, prices and
// capability flags, as LiteLLM's model_cost map.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace litellm {
inline namespace v1 {

struct ModelInfo {
  std::string key;       ///< "mistral/mistral-small-latest"
  std::string provider;  ///< "mistral"
  std::string mode;      ///< "chat", "embedding" or "ocr"
  std::int64_t max_input_tokens = 0;
  std::int64_t max_output_tokens = 0;
  double input_cost_per_token = 0;   ///< USD
  double output_cost_per_token = 0;  ///< USD
  bool supports_function_calling = false;
  bool supports_tool_choice = false;
  bool supports_reasoning = false;
  bool supports_vision = false;
  bool supports_response_schema = false;
  bool supports_assistant_prefill = false;
  bool supports_fim = false;
  bool supports_embedding_dimensions = false;  ///< accepts `dimensions` (output_dimension)
  std::int64_t output_vector_size = 0;         ///< embedding models: default vector length
  std::int64_t max_output_vector_size = 0;     ///< embedding models: largest `dimensions`
};

/// Looks a model up by "provider/name" or by bare name (tried under "mistral/"). Nullopt when the
/// registry does not know it.
std::optional<ModelInfo> model_info(std::string_view model);

/// Every model in the registry, in key order.
const std::vector<ModelInfo>& all_models();

}  // namespace v1
}  // namespace litellm
