// The gateway's configuration: LiteLLM's proxy `config.yaml`, read as LiteLLM reads it.
//
// load_config() turns YAML into GatewayConfig, resolving "os.environ/NAME" references and
// `environment_variables:`, validating types, and collecting warnings for keys we do not know or
// do not implement. It never connects anywhere. Everything that must fail fails here, at
// startup, with the path of the bad key ("model_list[2].litellm_params.model") and a reason.
// docs/config.md lists every key: implemented, accepted and ignored, or unknown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "litellm/result.hpp"
#include "providers/adapter.hpp"

namespace litellm::gateway {

/// A config file larger than this is refused before parsing (real configs are < 200 KiB).
inline constexpr std::size_t kMaxConfigBytes = 4u << 20;
/// Nesting deeper than this is refused (YAML parsers recurse; real configs nest < 10 levels).
inline constexpr std::size_t kMaxConfigDepth = 64;

/// One `model_list` entry.
struct DeploymentConfig {
  std::string model_name;  ///< public model group name clients ask for
  std::string model;       ///< litellm_params.model as written: "mistral/mistral-small-latest"
  /// "mistral", "openai", "gemini"...: the prefix before the first '/', or
  /// litellm_params.custom_llm_provider, or inferred for a bare name ("gpt-4o" -> "openai",
  /// "mistral-large-latest" -> "mistral"); empty when it cannot be inferred.
  std::string provider;
  std::string upstream_model;  ///< model with the provider prefix stripped
  bool served = false;         ///< true when this gateway has an adapter for `provider`
  std::string api_key;         ///< resolved; empty: the adapter's env variable, else none
  std::string api_base;        ///< resolved; empty: the adapter's env variable, else its default
  std::optional<std::int64_t> rpm, tpm;  ///< beside litellm_params (wins) or inside it
  /// Effective per-attempt timeouts: litellm_params value, else router_settings, else
  /// litellm_settings.request_timeout (timeout only). Unset: LiteLLM's default (6000 s).
  std::optional<double> timeout_s, stream_timeout_s;
  std::optional<int> max_retries;
  std::optional<double> cooldown_time_s;  ///< deployment override of router.cooldown_time_s
  double weight = 1.0;
  std::optional<int> order;
  /// Effective: litellm_params.drop_params, else litellm_settings.drop_params.
  bool drop_params = false;
  /// Other litellm_params that are request parameters (temperature, max_tokens, top_p, ...),
  /// typed as OpenAI expects them, merged over router_settings.default_litellm_params: applied
  /// to each request routed here unless the request sets them.
  boost::json::object default_params;
  std::vector<std::pair<std::string, std::string>> extra_headers;  ///< extra_headers + headers
  providers::ReasoningMode reasoning = providers::ReasoningMode::automatic;  ///< our extension
  std::string reasoning_prompt;                                              ///< our extension
  boost::json::object model_info;  ///< as written, env references resolved (id, mode, ...)
  std::string id;                  ///< model_info.id, else a stable hash of the entry
};

struct RetryPolicy {  ///< router_settings.retry_policy: retries per error class
  std::optional<int> bad_request, authentication, timeout, rate_limit, content_policy,
      internal_server;
};

/// Effective routing settings: router_settings, with litellm_settings filling what it leaves
/// unset (LiteLLM's precedence), else LiteLLM's defaults.
struct RouterSettings {
  /// One of simple-shuffle, least-busy, latency-based-routing, usage-based-routing,
  /// usage-based-routing-v2, cost-based-routing (an unknown value warns and becomes
  /// simple-shuffle, as LiteLLM's router falls through to shuffling).
  std::string routing_strategy = "simple-shuffle";
  int num_retries = 2;                     ///< LiteLLM: openai.DEFAULT_MAX_RETRIES
  std::optional<double> timeout_s;         ///< per attempt (router timeout, else request_timeout)
  std::optional<double> stream_timeout_s;  ///< per attempt, streamed
  std::vector<std::pair<std::string, std::vector<std::string>>> fallbacks;
  std::vector<std::pair<std::string, std::vector<std::string>>> context_window_fallbacks;
  std::vector<std::pair<std::string, std::vector<std::string>>> content_policy_fallbacks;
  std::vector<std::string> default_fallbacks;  ///< LiteLLM adds them as the "*" fallback
  int allowed_fails = 3;  ///< failures in a minute before a deployment cools down
  double cooldown_time_s = 5.0;
  bool disable_cooldowns = false;
  std::optional<double> retry_after_s;  ///< minimum wait before a retry
  int max_fallbacks = 5;
  bool enable_pre_call_checks = false;
  RetryPolicy retry_policy;
};

struct LitellmSettings {
  bool drop_params = false;
  std::optional<double> request_timeout_s;
  bool set_verbose = false;
  bool json_logs = false;
};

struct GeneralSettings {
  std::string master_key;  ///< resolved; else $LITELLM_MASTER_KEY (as LiteLLM); empty: no auth
  std::optional<std::size_t> max_request_size_mb;
};

struct GatewayConfig {
  std::vector<DeploymentConfig> model_list;
  RouterSettings router;
  LitellmSettings litellm;
  GeneralSettings general;
  std::map<std::string, std::string> environment_variables;  ///< as set into the process env
  /// One line each, to print at startup: unknown/misplaced keys (with path and "did you mean"),
  /// duplicate keys, optional env variables that are unset, unknown values, and one line listing
  /// the providers we do not serve with their model_names. Stable text (golden-tested).
  std::vector<std::string> warnings;
  /// LiteLLM keys we accept but do not implement yet (paths; per-deployment keys as
  /// "model_list[*].litellm_params.<key>"), reported in one startup line (startup_lines()).
  std::vector<std::string> ignored_keys;
};

struct LoadOptions {
  bool strict = false;  ///< --strict-config: warnings about unknown keys become the error
  /// When false, `environment_variables:` are not exported into the process (tests); they are
  /// still used to resolve os.environ/ references in the same config.
  bool export_environment = true;
};

/// Parses and validates a config file. Errors name the file and the key path.
Result<GatewayConfig> load_config_file(const std::string& path, const LoadOptions& options = {});
/// Same, from YAML text (`origin` names it in errors).
Result<GatewayConfig> load_config_text(const std::string& yaml, const LoadOptions& options = {},
                                       const std::string& origin = "config");

/// Every line to log at startup: `warnings`, then one "config: accepted but not implemented,
/// ignored: a, b, ..." line when `ignored_keys` is not empty.
std::vector<std::string> startup_lines(const GatewayConfig& config);

/// The NAMEs of every "os.environ/NAME" value in the YAML, first use first, each once (tests and
/// tooling set them to placeholders). Text that does not parse yields what was read before the
/// error, possibly nothing. Never throws.
std::vector<std::string> env_references(const std::string& yaml);

/// True for a provider prefix this gateway serves (mistral and the OpenAI-compatible ones). The
/// list lives in one place: src/gateway/config_keys.hpp (kServedProviders).
bool provider_is_served(std::string_view provider) noexcept;

}  // namespace litellm::gateway
