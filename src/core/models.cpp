#include "litellm/models.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "core/models_data.hpp"

namespace litellm {
inline namespace v1 {
namespace {

ModelInfo from_json(std::string key, const boost::json::object& o) {
  ModelInfo m;
  m.key = std::move(key);
  m.provider = std::string(core::get_string(o, "provider").value_or(""));
  m.mode = std::string(core::get_string(o, "mode").value_or("chat"));
  m.max_input_tokens = core::get_int(o, "max_input_tokens").value_or(0);
  m.max_output_tokens = core::get_int(o, "max_output_tokens").value_or(0);
  m.input_cost_per_token = core::get_number(o, "input_cost_per_token").value_or(0);
  m.output_cost_per_token = core::get_number(o, "output_cost_per_token").value_or(0);
  auto flag = [&](std::string_view k) { return core::get_bool(o, k).value_or(false); };
  m.supports_function_calling = flag("supports_function_calling");
  m.supports_tool_choice = flag("supports_tool_choice");
  m.supports_reasoning = flag("supports_reasoning");
  m.supports_vision = flag("supports_vision");
  m.supports_response_schema = flag("supports_response_schema");
  m.supports_assistant_prefill = flag("supports_assistant_prefill");
  m.supports_fim = flag("supports_fim");
  m.supports_embedding_dimensions = flag("supports_embedding_dimensions");
  m.output_vector_size = core::get_int(o, "output_vector_size").value_or(0);
  m.max_output_vector_size =
      core::get_int(o, "max_output_vector_size").value_or(m.output_vector_size);
  return m;
}

std::vector<ModelInfo> load() {
  auto doc = core::parse_json_object(core::kModelsJson);
  std::vector<ModelInfo> out;
  if (!doc) return out;  // the build embeds a checked file; a unit test asserts it parses
  if (const auto* models = core::get_object(*doc, "models")) {
    for (const auto& kv : *models) {
      if (kv.value().is_object())
        out.push_back(from_json(std::string(kv.key()), kv.value().get_object()));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

}  // namespace

const std::vector<ModelInfo>& all_models() {
  static const std::vector<ModelInfo> models = load();
  return models;
}

std::optional<ModelInfo> model_info(std::string_view model) {
  const auto& models = all_models();
  auto lookup = [&](std::string_view key) -> std::optional<ModelInfo> {
    auto it = std::lower_bound(models.begin(), models.end(), key,
                               [](const ModelInfo& m, std::string_view k) { return m.key < k; });
    if (it != models.end() && it->key == key) return *it;
    return std::nullopt;
  };
  if (auto m = lookup(model)) return m;
  if (model.find('/') == std::string_view::npos) return lookup("mistral/" + std::string(model));
  return std::nullopt;
}

}  // namespace v1
}  // namespace litellm
