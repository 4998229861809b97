// Adapters register by prefix: "mistral" and every OpenAI-compatible name. They are stateless
// constants, so the registry is a lookup, not a mutable table.
#include "providers/adapter.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/openai/openai.hpp"

namespace litellm::providers {

const ProviderAdapter* find_adapter(std::string_view provider) noexcept {
  if (provider == "mistral") return &mistral::adapter();
  return openai::find(provider);
}

std::pair<std::string_view, std::string_view> split_model(std::string_view model) noexcept {
  const auto slash = model.find('/');
  if (slash == std::string_view::npos) return {std::string_view(), model};
  const std::string_view prefix = model.substr(0, slash);
  // Only a served provider counts as a prefix: "mistralai/Mistral-7B" stays a model name.
  if (find_adapter(prefix) == nullptr) return {std::string_view(), model};
  return {prefix, model.substr(slash + 1)};
}

}  // namespace litellm::providers
