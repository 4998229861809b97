// The gateway's configuration: LiteLLM's proxy `config.yaml`, read as LiteLLM reads it.
//
// load_config() turns YAML into GatewayConfig, resolving "os.environ/NAME" references and
// `environment_variables:`, validating types, and collecting warnings for keys we do not know or
// do not implement. It never connects anywhere. Everything that must fail fails here, at
// startup, with the path of the bad key ("model_list[2].litellm_params.model") and a reason.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "litellm/result.hpp"
#include "providers/adapter.hpp"

namespace litellm::gateway {

/// One `model_list` entry.
struct DeploymentConfig {
  std::string model_name;      ///< public model group name clients ask for
  std::string model;           ///< litellm_params.model as written: "mistral/mistral-small-latest"
  std::string provider;        ///< prefix before the first '/': "mistral", "openai", "gemini"...
  std::string upstream_model;  ///< model with the provider prefix stripped
  bool served = false;         ///< true when this gateway has an adapter for `provider`
  std::string api_key;         ///< resolved; empty: the adapter's env variable, else none
  std::string api_base;        ///< resolved; empty: the adapter's env variable, else its default
  std::optional<std::int64_t> rpm, tpm;  ///< beside or inside litellm_params
  std::optional<double> timeout_s, stream_timeout_s;
  std::optional<int> max_retries;
  std::optional<double> cooldown_time_s;
  double weight = 1.0;
  std::optional<int> order;
  /// Other litellm_params that are request parameters (temperature, max_tokens, top_p, ...):
  /// applied to each request routed here unless the request sets them.
  boost::json::object default_params;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  providers::ReasoningMode reasoning = providers::ReasoningMode::automatic;
  std::string reasoning_prompt;
  boost::json::object model_info;  ///< as written (id, mode, base_model, custom keys)
  std::string id;                  ///< model_info.id, else a stable hash of the entry
};

struct RetryPolicy {  ///< router_settings.retry_policy: retries per error class
  std::optional<int> bad_request, authentication, timeout, rate_limit, content_policy,
      internal_server;
};

/// Effective routing settings: router_settings, with litellm_settings filling what it leaves
/// unset (LiteLLM's precedence).
struct RouterSettings {
  std::string routing_strategy = "simple-shuffle";
  int num_retries = 0;
  std::optional<double> timeout_s;         ///< per attempt
  std::optional<double> stream_timeout_s;  ///< per attempt, streamed
  std::vector<std::pair<std::string, std::vector<std::string>>> fallbacks;
  std::vector<std::pair<std::string, std::vector<std::string>>> context_window_fallbacks;
  std::vector<std::pair<std::string, std::vector<std::string>>> content_policy_fallbacks;
  std::vector<std::string> default_fallbacks;
  int allowed_fails = 3;          ///< failures in a minute before a deployment cools down
  double cooldown_time_s = 5.0;
  std::optional<double> retry_after_s;  ///< minimum wait before a retry
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
  std::string master_key;  ///< resolved; empty: no auth
  std::optional<std::size_t> max_request_size_mb;
};

struct GatewayConfig {
  std::vector<DeploymentConfig> model_list;
  RouterSettings router;
  LitellmSettings litellm;
  GeneralSettings general;
  std::map<std::string, std::string> environment_variables;  ///< as set into the process env
  /// One line each: unknown/misplaced keys (with path and "did you mean"), unsupported providers.
  std::vector<std::string> warnings;
  /// LiteLLM keys we accept but do not implement yet (paths), reported in one startup line.
  std::vector<std::string> ignored_keys;
};

struct LoadOptions {
  bool strict = false;  ///< --strict-config: warnings about unknown keys become the error
  /// When false, `environment_variables:` are not exported into the process (tests).
  bool export_environment = true;
};

/// Parses and validates a config file. Errors name the file and the key path.
Result<GatewayConfig> load_config_file(const std::string& path, const LoadOptions& options = {});
/// Same, from YAML text (`origin` names it in errors).
Result<GatewayConfig> load_config_text(const std::string& yaml, const LoadOptions& options = {},
                                       const std::string& origin = "config");

}  // namespace litellm::gateway
