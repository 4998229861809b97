#include <array>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"

namespace litellm::providers::mistral {

namespace internal {

std::vector<std::pair<std::string, std::string>> request_headers(const Target& target,
                                                                 bool stream) {
  std::vector<std::pair<std::string, std::string>> h;
  h.reserve(3 + target.extra_headers.size());
  if (!target.api_key.empty()) h.emplace_back("Authorization", "Bearer " + target.api_key);
  h.emplace_back("Content-Type", "application/json");
  h.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  for (const auto& kv : target.extra_headers)
    h.push_back(kv);
  return h;
}

void split_content_list(const json::array& chunks, std::string_view thinking_sep,
                        SplitContent& out) {
  bool first_thinking = out.reasoning.empty();
  for (const auto& c : chunks) {
    if (!c.is_object()) continue;
    const auto& o = c.get_object();
    auto type = core::get_string(o, "type");
    if (!type) continue;
    if (*type == "text") {
      if (auto t = core::get_string(o, "text")) out.text.append(*t);
    } else if (*type == "thinking") {
      const json::array* parts = core::get_array(o, "thinking");
      if (parts == nullptr) continue;
      if (!first_thinking) out.reasoning += '\n';
      first_thinking = false;
      bool first_part = true;
      for (const auto& part : *parts) {
        if (!part.is_object()) continue;
        if (core::get_string(part.get_object(), "type") !=
            std::optional<std::string_view>("text")) {
          continue;
        }
        if (!first_part) out.reasoning.append(thinking_sep);
        first_part = false;
        if (auto t = core::get_string(part.get_object(), "text")) out.reasoning.append(*t);
      }
    }
    // image_url / reference / other chunks carry nothing an OpenAI client can show as text.
  }
}

std::string_view openai_finish_reason(std::string_view mistral) noexcept {
  if (mistral == "model_length") return "length";
  return mistral;
}

}  // namespace internal

namespace {
// LiteLLM also reads the MISTRAL_AZURE_* names (Mistral on Azure). It tries them first; we try
// them second so that the main name is the one callers that read a single variable see.
constexpr std::array<std::string_view, 2> kKeyEnvs{"MISTRAL_API_KEY", "MISTRAL_AZURE_API_KEY"};
constexpr std::array<std::string_view, 2> kBaseEnvs{"MISTRAL_API_BASE", "MISTRAL_AZURE_API_BASE"};
}  // namespace

std::span<const std::string_view> MistralAdapter::api_key_envs() const noexcept {
  return kKeyEnvs;
}
std::span<const std::string_view> MistralAdapter::api_base_envs() const noexcept {
  return kBaseEnvs;
}

Error MistralAdapter::map_error(unsigned status, std::string_view body,
                                const http::ResponseFields& headers, const Target& target) const {
  return detail::map_http_error(status, body, headers, internal::kProvider,
                                internal::kExceptionName, target.model,
                                core::SystemClock::instance().unix_seconds());
}

const MistralAdapter& adapter() noexcept {
  static const MistralAdapter instance;
  return instance;
}

}  // namespace litellm::providers::mistral
