// The OpenAI-compatible adapter: one class, one instance per provider prefix (openai, groq,
// cerebras, openrouter, ...), each with LiteLLM's default base URL and environment variables.
// Requests are already OpenAI-shaped: they are forwarded minus LiteLLM's own keys; answers are
// passed through with light normalisation.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::openai {

struct ProviderSpec {
  std::string_view name;              ///< prefix: "groq"
  std::string_view default_api_base;  ///< "" when LiteLLM has none (hosted_vllm, lm_studio)
  std::span<const std::string_view> key_envs;
  std::span<const std::string_view> base_envs;
  /// Ollama serves its OpenAI API under /v1 while OLLAMA_API_BASE is usually the bare server;
  /// with this set, "/v1" is appended to a base that does not end with it.
  bool append_v1 = false;
};

class OpenAICompatibleAdapter final : public ProviderAdapter {
 public:
  explicit OpenAICompatibleAdapter(const ProviderSpec& spec);

  std::string_view name() const noexcept override { return spec_.name; }
  std::string_view default_api_base() const noexcept override { return spec_.default_api_base; }
  std::span<const std::string_view> api_key_envs() const noexcept override {
    return spec_.key_envs;
  }
  std::span<const std::string_view> api_base_envs() const noexcept override {
    return spec_.base_envs;
  }
  /// LiteLLM's exception prefix: "OpenAIException", "GroqException", "Together_aiException".
  std::string_view exception_name() const noexcept { return exception_name_; }

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

 private:
  Result<std::string> url(const Target& target, std::string_view path) const;
  Result<UpstreamRequest> forward(const boost::json::object& request, const Target& target,
                                  std::string_view path, bool chat) const;

  ProviderSpec spec_;
  std::string exception_name_;
};

/// The adapter registered for an OpenAI-compatible prefix, or nullptr.
const OpenAICompatibleAdapter* find(std::string_view provider) noexcept;

/// Every OpenAI-compatible prefix served, in registration order.
std::span<const std::string_view> provider_names() noexcept;

}  // namespace litellm::providers::openai
