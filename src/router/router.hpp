// The router: picks a deployment for a model group, calls it through its provider adapter and
// the HTTP client, retries with backoff (honouring Retry-After), falls back to other groups, and
// cools failing deployments down. Shared by the SDK (ad-hoc deployments built from the model
// string) and the gateway (deployments from config.yaml).
//
// Thread-safety: one Router serves every worker thread. Per-deployment state (in-flight count,
// latency, usage window, cooldown) is atomic or behind a short mutex; the http::Client passed to
// each call belongs to the calling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "core/clock.hpp"
#include "http/client.hpp"
#include "litellm/result.hpp"
#include "providers/adapter.hpp"

namespace litellm::router {

namespace asio = boost::asio;
namespace json = boost::json;
using std::chrono::milliseconds;

/// One deployment of a model group.
struct Deployment {
  std::string id;          ///< stable id (x-litellm-model-id)
  std::string model_name;  ///< group name clients ask for
  std::string model;       ///< as configured: "mistral/mistral-small-latest"
  std::string provider;    ///< "mistral", "gemini", ...
  const providers::ProviderAdapter* adapter = nullptr;  ///< nullptr: provider not served here
  providers::Target target;                             ///< resolved upstream
  double weight = 1.0;
  std::optional<std::int64_t> rpm, tpm;
  std::optional<milliseconds> timeout, stream_timeout;
  std::optional<int> max_retries;
  std::optional<std::chrono::seconds> cooldown_time;
  std::optional<int> order;
  json::object default_params;  ///< request params applied when the request omits them
  json::object model_info;      ///< as configured, for /model/info
};

enum class Strategy { simple_shuffle, least_busy, latency_based, usage_based };
/// Parses LiteLLM's routing_strategy names; nullopt for an unknown name.
std::optional<Strategy> parse_strategy(std::string_view name) noexcept;

using Fallbacks = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// LiteLLM's router_settings.retry_policy: retries for one class of error, overriding
/// num_retries (a set value also makes that class retryable, e.g. BadRequestErrorRetries).
struct RetryPolicy {
  std::optional<int> bad_request, authentication, timeout, rate_limit, content_policy,
      internal_server;
  /// The override for `e`, if the policy sets one.
  std::optional<int> for_error(const Error& e) const noexcept;
};

struct RouterConfig {
  std::vector<Deployment> deployments;
  Strategy strategy = Strategy::simple_shuffle;
  int num_retries = 0;
  milliseconds timeout{600'000};
  std::optional<milliseconds> stream_timeout;
  Fallbacks fallbacks, context_window_fallbacks, content_policy_fallbacks;
  std::vector<std::string> default_fallbacks;
  int allowed_fails = 3;  ///< failures within a minute before a cooldown
  std::chrono::seconds cooldown_time{5};
  std::optional<milliseconds> retry_after;  ///< minimum wait before any retry
  RetryPolicy retry_policy;
  bool disable_cooldowns = false;
  int max_fallbacks = 5;  ///< fallback groups tried at most
  bool drop_params = false;
  /// SDK mode: a model not in `deployments` ("mistral/x") becomes an ad-hoc deployment resolved
  /// from the environment. Gateway mode: it is a 400 naming the available models.
  bool allow_unlisted_models = false;
};

/// Per-call overrides (SDK arguments; the gateway passes none).
struct CallOptions {
  std::optional<std::string> api_key;
  std::optional<std::string> api_base;
  std::optional<milliseconds> timeout;
  std::optional<int> num_retries;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::optional<bool> drop_params;
};
// Cancellation: a caller that may go away (gateway client disconnect, SDK stream destroyed) runs
// the router call under co_spawn with a bound cancellation slot; terminal cancellation reaches
// whichever upstream operation is in progress and aborts it.

/// What a successful call produced.
struct CallResult {
  /// The OpenAI-shaped answer as JSON text (chat) or, when empty, as an object (embeddings,
  /// whose vectors would cost a text round trip to SDK callers).
  std::string body;
  json::object response;
  const Deployment* deployment = nullptr;
  double cost = 0;  ///< USD
  /// The upstream's x-ratelimit-* fields, as "name: value\r\n" lines (lower-cased names) ready
  /// for ResponseWriter's extra fields: one string, not two per field.
  std::string upstream_fields;
  int attempts = 1;
  std::chrono::microseconds upstream_time{0};  ///< waiting for the upstream (for overhead)
};

/// Receives a stream. The router calls on_chunk for every OpenAI chunk, in order; the first call
/// means a byte is about to reach the caller, after which the router never retries. After the
/// chunks decoded from one upstream read it calls flush: a sink may hold those chunks until then
/// and send them together (they arrived together, so nothing waits), one write instead of many.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  /// One OpenAI `chat.completion.chunk`, as JSON text. Returns false when the caller is gone:
  /// the router stops and aborts the upstream.
  virtual asio::awaitable<bool> on_chunk(const Deployment& deployment,
                                         std::string_view upstream_fields,
                                         std::string_view chunk) = 0;
  /// Sends whatever on_chunk held back. Returns false when the caller is gone.
  virtual asio::awaitable<bool> flush() { co_return true; }
};

struct StreamResult {
  const Deployment* deployment = nullptr;
  std::optional<json::object> usage;
  double cost = 0;
  int attempts = 1;
  std::size_t chunks = 0;
};

/// Waits; injected so retry tests do not sleep.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual asio::awaitable<void> sleep(milliseconds d) = 0;
};
/// The real one (an asio::steady_timer on the current executor).
Sleeper& default_sleeper();

class Router {
 public:
  Router(RouterConfig config, core::Clock& clock = core::SystemClock::instance(),
         core::Rng& rng = core::DefaultRng::instance(), Sleeper& sleeper = default_sleeper());
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  /// OpenAI chat request (body as a client sent it) -> OpenAI chat.completion.
  // Options are taken by value: these coroutines start lazily, after a temporary argument
  // would already be gone.
  asio::awaitable<Result<CallResult>> chat(http::Client& client, json::object request,
                                           CallOptions options = {});
  /// Streamed chat: chunks go to `sink`. Errors before the first chunk are returned (and retried
  /// as configured); an error after it is returned too, with StreamResult lost: the caller knows
  /// from its sink whether anything was sent.
  asio::awaitable<Result<StreamResult>> chat_stream(http::Client& client, json::object request,
                                                    StreamSink& sink, CallOptions options = {});
  /// OpenAI embeddings request -> OpenAI embeddings list.
  asio::awaitable<Result<CallResult>> embedding(http::Client& client, json::object request,
                                                CallOptions options = {});

  /// One attempt on one deployment, no retries or fallbacks (health probes).
  asio::awaitable<Result<CallResult>> probe(http::Client& client, const Deployment& deployment,
                                            json::object request, bool embedding);

  const RouterConfig& config() const noexcept { return config_; }
  /// Group names in config order (for /v1/models).
  std::vector<std::string> model_groups() const;
  const std::vector<Deployment>& deployments() const noexcept { return config_.deployments; }
  /// True if the deployment is cooling down now.
  bool in_cooldown(const Deployment& d) const;

  struct DeploymentState;  // per-deployment live counters (router.cpp)

 private:
  enum class Op { chat, chat_stream, embedding };

  // Why a model name that is not in served_ cannot be called: configured with no servable
  // deployment, or unknown (the message lists the available groups).
  Error unserved_group(std::string_view model_name) const;
  const Deployment* pick(const std::vector<const Deployment*>& candidates,
                         std::span<const Deployment* const> tried);
  std::vector<std::string> fallback_chain(std::string_view group, const Error& e) const;
  asio::awaitable<void> call_group(http::Client& client, Op op, std::string_view group,
                                   json::object& request, const CallOptions& options,
                                   StreamSink* sink, StreamResult* stream_result,
                                   Result<CallResult>& r);
  asio::awaitable<void> call_once(http::Client& client, Op op, const Deployment& d,
                                  json::object& request, const CallOptions& options,
                                  StreamSink* sink, StreamResult* stream_result, bool& delivered,
                                  Result<CallResult>& out);
  struct Attempt;
  struct InFlight;
  Result<Attempt> prepare(Op op, const Deployment& d, const json::object& request,
                          const CallOptions& options);
  Result<CallResult> finish_whole(Op op, const Attempt& a, Result<http::ClientResponse> res);
  asio::awaitable<void> call_whole(http::Client& client, Op op, const Deployment& d,
                                   json::object& request, const CallOptions& options,
                                   Result<CallResult>& out);
  asio::awaitable<void> stream_into(http::Client& client, const Deployment& d,
                                    json::object& request, const CallOptions& options,
                                    StreamSink* sink, StreamResult* stream_result, bool& delivered,
                                    Result<CallResult>& out);
  asio::awaitable<Result<CallResult>> call_stream(http::Client& client, const Deployment& d,
                                                  json::object& request, const CallOptions& options,
                                                  StreamSink* sink, StreamResult* stream_result,
                                                  bool& delivered);
  asio::awaitable<Result<CallResult>> run(http::Client& client, Op op, json::object request,
                                          CallOptions options, StreamSink* sink,
                                          StreamResult* stream_result);
  asio::awaitable<void> run_fallbacks(http::Client& client, Op op, json::object& request,
                                      const CallOptions& options, StreamSink* sink,
                                      StreamResult* stream_result, Result<CallResult>& r);
  // The deployment of a model not in served_ (allow_unlisted_models: made on first use and
  // kept), or nullptr with `error` set.
  Deployment* adhoc(std::string_view group_name, const CallOptions& options,
                    Result<CallResult>& error);
  Error none_available(std::string_view group_name) const;
  bool retry_after_failure(const Deployment& d, const Error& e, std::size_t group_size, int attempt,
                           int retries, bool delivered);
  milliseconds backoff(int attempt, const Error& e);
  void record_success(const Deployment& d, std::chrono::microseconds latency, std::int64_t tokens);
  void record_failure(const Deployment& d, const Error& e, std::size_t group_size);
  Result<Deployment> adhoc_deployment(std::string_view model, const CallOptions& options) const;
  DeploymentState& state(const Deployment& d) const;

  RouterConfig config_;
  core::Clock& clock_;
  core::Rng& rng_;
  Sleeper& sleeper_;
  std::unordered_map<std::string, std::vector<const Deployment*>> groups_;
  // The deployments of each group this gateway can call (a provider adapter exists), looked up
  // by string_view on every call.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::vector<const Deployment*>, NameHash, std::equal_to<>>
      served_;
  std::vector<std::string> group_order_;
  std::vector<std::unique_ptr<DeploymentState>> states_;  // parallel to config_.deployments
  // Ad-hoc (SDK) deployments, created on first use and kept so their state persists.
  mutable std::mutex adhoc_mu_;
  std::unordered_map<std::string, std::unique_ptr<Deployment>> adhoc_;
  mutable std::unordered_map<const Deployment*, std::unique_ptr<DeploymentState>> adhoc_states_;
};

/// Resolves a provider target for "provider/model" the way LiteLLM does for a bare SDK call:
/// explicit api_key/api_base, else the adapter's environment variables, else its default base.
Result<providers::Target> resolve_target(std::string_view model,
                                         const std::optional<std::string>& api_key,
                                         const std::optional<std::string>& api_base);

/// The value of the first set (non-empty) variable among `names` (an adapter's env lists), or "".
std::string first_env(std::span<const std::string_view> names);

/// LiteLLM's completion_cost for token counts and a deployment (model_info prices override the
/// registry).
double cost_of(const Deployment& d, std::int64_t prompt_tokens, std::int64_t completion_tokens);

}  // namespace litellm::router
