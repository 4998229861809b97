// The Mistral adapter: the only code that knows Mistral's JSON. It behaves as LiteLLM's
// MistralConfig does (litellm/llms/mistral/chat/transformation.py); docs/providers.md lists every
// mapping rule and the reason for it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::mistral {

inline constexpr std::string_view kDefaultApiBase = "https://api.mistral.ai/v1";

/// The reasoning system prompt LiteLLM documents for Magistral models (used when
/// Target::reasoning_prompt is empty).
inline constexpr std::string_view kReasoningPrompt =
    "When solving problems, think step-by-step in <think> tags before providing your final "
    "answer. Break down complex problems into smaller steps and show your reasoning process "
    "clearly.";

/// The api_base rule (LiteLLM's): trailing slashes removed, then "/v1" appended unless the path
/// already ends with "/v1". Empty means kDefaultApiBase.
std::string normalize_api_base(std::string_view api_base);

/// Mistral accepts only tool call ids of exactly 9 characters [A-Za-z0-9].
bool is_valid_tool_call_id(std::string_view id) noexcept;

/// A valid id unchanged; any other id rewritten deterministically (FNV-1a of the original, in
/// base 62) so that an assistant's tool_calls[].id and the matching tool message's tool_call_id
/// get the same new id without any state shared between requests.
std::string tool_call_id(std::string_view id);

class MistralAdapter final : public ProviderAdapter {
 public:
  std::string_view name() const noexcept override { return "mistral"; }
  std::string_view default_api_base() const noexcept override { return kDefaultApiBase; }
  std::span<const std::string_view> api_key_envs() const noexcept override;
  std::span<const std::string_view> api_base_envs() const noexcept override;

  Result<UpstreamRequest> chat_request(const boost::json::object& request,
                                       const Target& target) const override;
  Result<ChatAnswer> chat_answer(std::string_view body, const boost::json::object& request,
                                 const Target& target) const override;
  std::unique_ptr<ChatStreamDecoder> chat_stream(const boost::json::object& request,
                                                 const Target& target) const override;

  Result<UpstreamRequest> embedding_request(const boost::json::object& request,
                                            const Target& target) const override;
  Result<boost::json::object> embedding_response(std::string_view body,
                                                 const boost::json::object& request,
                                                 const Target& target) const override;

  Error map_error(unsigned status, std::string_view body, const http::ResponseFields& headers,
                  const Target& target) const override;
};

/// The one MistralAdapter (stateless, so shared by every request).
const MistralAdapter& adapter() noexcept;

}  // namespace litellm::providers::mistral
