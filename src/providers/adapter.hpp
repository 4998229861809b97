// Provider adapters: the only code that knows a provider's wire format.
//
// Everything above this layer (router, SDK, gateway) speaks OpenAI's shape as Boost.JSON objects:
// an OpenAI chat/embeddings request body in, an OpenAI response (or chat.completion.chunk objects)
// out. An adapter turns the request into the provider's wire request, and the provider's answers
// (bodies, stream bytes, error bodies) back into OpenAI's shape. Adapters do no I/O and keep no
// state between requests; a stream decoder holds the state of one stream only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "http/response_fields.hpp"
#include "litellm/models.hpp"
#include "litellm/result.hpp"

namespace litellm::providers {

/// What to do with `reasoning_effort` for a deployment. LiteLLM's behaviour is the default:
/// Magistral models get the <think> system prompt, other models drop the parameter silently.
enum class ReasoningMode {
  automatic,    ///< prompt for magistral*, drop for the rest
  prompt,       ///< prepend the reasoning system prompt, do not forward reasoning_effort
  prompt_mode,  ///< send Mistral's `prompt_mode: "reasoning"` instead of our own prompt
  passthrough,  ///< forward `reasoning_effort` as given (Mistral accepts it on some models)
  drop,         ///< drop it silently
};

/// One deployment, fully resolved: where a request goes and how.
struct Target {
  std::string provider;  ///< "mistral", "openai", "groq", ...
  std::string model;     ///< upstream model id with the provider prefix stripped
  /// Resolved base URL ("https://api.mistral.ai/v1"); empty means the adapter's default. Each
  /// adapter normalises it (Mistral appends "/v1" when missing, as LiteLLM does).
  std::string api_base;
  std::string api_key;  ///< may be empty (then no Authorization header is sent)
  std::vector<std::pair<std::string, std::string>> extra_headers;
  bool drop_params = false;  ///< drop unsupported params instead of failing
  ReasoningMode reasoning = ReasoningMode::automatic;
  std::string reasoning_prompt;   ///< overrides the default reasoning system prompt when non-empty
  std::optional<ModelInfo> info;  ///< registry entry, when known
};

/// An upstream chat answer in OpenAI's shape: the `chat.completion` object as JSON text (what the
/// gateway sends on as it is) and the token counts it is priced and accounted by.
struct ChatAnswer {
  std::string body;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
};

/// A ChatAnswer's text read back as an object in `sp` (the SDK fills its types from it). It is
/// our own text: failing to read it is a bug, reported as an api_error rather than hidden.
Result<boost::json::object> read_chat_answer(std::string_view text, boost::json::storage_ptr sp);

struct UpstreamRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< incl. Authorization, Content-Type
  std::string body;
};

/// Decodes one streamed chat answer: upstream body bytes in (any split), OpenAI
/// `chat.completion.chunk` objects out, each as its JSON text (the gateway sends it as it is; the
/// SDK reads it into its types).
class ChatStreamDecoder {
 public:
  virtual ~ChatStreamDecoder() = default;
  /// Appends the chunks completed by `bytes` to `out`. An upstream error event becomes an Error.
  virtual Result<void> feed(std::string_view bytes, std::vector<std::string>& out) = 0;
  /// The upstream body ended. Appends what is still due (e.g. the OpenAI usage chunk with
  /// `choices: []` when the request asked for stream_options.include_usage). A stream cut before
  /// its end (no finish_reason, no [DONE]) is an api_connection Error.
  virtual Result<void> finish(std::vector<std::string>& out) = 0;
  /// Usage reported by the upstream, once seen (OpenAI shape: prompt_tokens, completion_tokens,
  /// total_tokens), whether or not it is forwarded to the client.
  virtual const boost::json::object* usage() const noexcept = 0;
};

class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;

  virtual std::string_view name() const noexcept = 0;
  /// Base URL used when a deployment sets no api_base (e.g. "https://api.mistral.ai/v1").
  virtual std::string_view default_api_base() const noexcept = 0;
  /// Environment variables consulted, in order, when a deployment sets no api_key / api_base
  /// (LiteLLM's names: e.g. PERPLEXITYAI_API_KEY then PERPLEXITY_API_KEY). The first set one wins.
  virtual std::span<const std::string_view> api_key_envs() const noexcept = 0;
  virtual std::span<const std::string_view> api_base_envs() const noexcept = 0;
  /// The first (main) name of each list, or "" when the provider has none.
  std::string_view api_key_env() const noexcept {
    auto v = api_key_envs();
    return v.empty() ? std::string_view() : v.front();
  }
  std::string_view api_base_env() const noexcept {
    auto v = api_base_envs();
    return v.empty() ? std::string_view() : v.front();
  }

  /// OpenAI chat request body -> upstream request. Validates what it maps: wrong types and
  /// unsupported parameters are bad_request / unsupported_params Errors naming the parameter.
  virtual Result<UpstreamRequest> chat_request(const boost::json::object& request,
                                               const Target& target) const = 0;
  /// Upstream 2xx chat body -> OpenAI `chat.completion`, written as text: the gateway's answer
  /// is this text, so no OpenAI-shaped document is built only to be serialised.
  virtual Result<ChatAnswer> chat_answer(std::string_view body, const boost::json::object& request,
                                         const Target& target) const = 0;
  /// The same answer as an object (the SDK reads it into its types): chat_answer's text parsed.
  /// Its storage follows the rule of detail::parse_answer: the request's arena when the caller
  /// owns one, else storage of its own.
  Result<boost::json::object> chat_response(std::string_view body,
                                            const boost::json::object& request,
                                            const Target& target) const;
  /// A decoder for one streamed chat answer to `request`.
  virtual std::unique_ptr<ChatStreamDecoder> chat_stream(const boost::json::object& request,
                                                         const Target& target) const = 0;

  /// OpenAI embeddings request body -> upstream request.
  virtual Result<UpstreamRequest> embedding_request(const boost::json::object& request,
                                                    const Target& target) const = 0;
  /// Upstream 2xx embeddings body -> OpenAI `list` of `embedding` objects (base64 encoded
  /// locally when the request asked for encoding_format "base64").
  virtual Result<boost::json::object> embedding_response(std::string_view body,
                                                         const boost::json::object& request,
                                                         const Target& target) const = 0;

  /// Upstream non-2xx answer -> Error with the right kind (context window, auth, rate limit...),
  /// the upstream body kept verbatim in Error::body, Retry-After parsed into Error::retry_after.
  virtual Error map_error(unsigned status, std::string_view body,
                          const http::ResponseFields& headers, const Target& target) const = 0;
};

/// The adapter registered for a provider prefix ("mistral", "openai", "groq", ...), or nullptr.
const ProviderAdapter* find_adapter(std::string_view provider) noexcept;

/// Splits "mistral/mistral-small-latest" into {"mistral", "mistral-small-latest"}. A name without
/// a known prefix is {"", name}.
std::pair<std::string_view, std::string_view> split_model(std::string_view model) noexcept;

}  // namespace litellm::providers
