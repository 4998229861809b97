#include "gateway/routes.hpp"

#include <chrono>

#include "core/ascii.hpp"
#include "core/env.hpp"
#include "core/json.hpp"
#include "providers/adapter.hpp"

namespace litellm::gateway {
namespace {

namespace json = boost::json;
using bverb = boost::beast::http::verb;

std::string_view strip_query(std::string_view target) {
  auto q = core::find_either(target, '?', '#');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

Route only(bverb method, bverb expected, RouteKind kind, std::string model = {}) {
  if (method != expected) return Route{RouteKind::method_not_allowed, {}};
  return Route{kind, std::move(model)};
}

}  // namespace

Route match_route(bverb method, std::string_view target) {
  std::string_view path = strip_query(target);
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  if (path.starts_with("/v1/")) path.remove_prefix(3);
  if (path == "/v1") path = "/";

  if (path == "/chat/completions") return only(method, bverb::post, RouteKind::chat_completions);
  if (path == "/embeddings") return only(method, bverb::post, RouteKind::embeddings);
  if (path == "/models") return only(method, bverb::get, RouteKind::models);
  if (path == "/model/info") return only(method, bverb::get, RouteKind::model_info);
  if (path == "/health") return only(method, bverb::get, RouteKind::health);
  if (path == "/health/liveliness" || path == "/health/liveness") {
    return only(method, bverb::get, RouteKind::health_liveliness);
  }
  if (path == "/health/readiness") return only(method, bverb::get, RouteKind::health_readiness);
  if (path == "/") return only(method, bverb::get, RouteKind::root);

  // /models/{id}: ids may contain '/' ("mistral/mistral-small-latest").
  if (path.starts_with("/models/") && path.size() > 8) {
    return only(method, bverb::get, RouteKind::model_by_id, std::string(path.substr(8)));
  }
  // Azure style: /openai/deployments/{model}/chat/completions and .../embeddings.
  for (std::string_view prefix :
       {std::string_view("/openai/deployments/"), std::string_view("/deployments/"),
        std::string_view("/engines/")}) {
    if (!path.starts_with(prefix)) continue;
    std::string_view rest = path.substr(prefix.size());
    for (auto [suffix, kind] :
         {std::pair{std::string_view("/chat/completions"), RouteKind::chat_completions},
          std::pair{std::string_view("/embeddings"), RouteKind::embeddings}}) {
      if (rest.size() > suffix.size() && rest.ends_with(suffix)) {
        return only(method, bverb::post, kind,
                    std::string(rest.substr(0, rest.size() - suffix.size())));
      }
    }
  }
  return Route{RouteKind::not_found, {}};
}

std::string_view client_key(std::string_view authorization, std::string_view api_key,
                            std::string_view x_api_key) noexcept {
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() > kBearer.size()) {
      std::string_view scheme = authorization.substr(0, kBearer.size());
      bool bearer = true;
      for (std::size_t i = 0; i < kBearer.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(scheme[i])) !=
            std::tolower(static_cast<unsigned char>(kBearer[i]))) {
          bearer = false;
          break;
        }
      }
      if (bearer) return authorization.substr(kBearer.size());
    }
    return authorization;  // LiteLLM also accepts a bare key in Authorization
  }
  if (!api_key.empty()) return api_key;
  return x_api_key;
}

bool keys_equal(std::string_view a, std::string_view b) noexcept {
  // Length leaks, content does not: compare every byte whatever the first difference.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Result<router::RouterConfig> to_router_config(const GatewayConfig& config) {
  using std::chrono::milliseconds;
  auto ms = [](double seconds) {
    return milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
  };
  router::RouterConfig rc;
  const RouterSettings& rs = config.router;
  auto strategy = router::parse_strategy(rs.routing_strategy);
  if (!strategy) {
    return Error::make(
        ErrorKind::bad_request,
        "router_settings.routing_strategy: unknown strategy '" + rs.routing_strategy + "'");
  }
  rc.strategy = *strategy;
  rc.num_retries = rs.num_retries;
  if (rs.timeout_s) {
    rc.timeout = ms(*rs.timeout_s);
  } else if (config.litellm.request_timeout_s) {
    rc.timeout = ms(*config.litellm.request_timeout_s);
  }
  if (rs.stream_timeout_s) rc.stream_timeout = ms(*rs.stream_timeout_s);
  rc.fallbacks = rs.fallbacks;
  rc.context_window_fallbacks = rs.context_window_fallbacks;
  rc.content_policy_fallbacks = rs.content_policy_fallbacks;
  rc.default_fallbacks = rs.default_fallbacks;
  rc.allowed_fails = rs.allowed_fails;
  rc.cooldown_time = std::chrono::seconds(static_cast<std::int64_t>(rs.cooldown_time_s));
  if (rs.retry_after_s) rc.retry_after = ms(*rs.retry_after_s);
  rc.drop_params = false;  // per deployment (DeploymentConfig::drop_params is the effective value)
  rc.disable_cooldowns = rs.disable_cooldowns;
  rc.max_fallbacks = rs.max_fallbacks;
  rc.retry_policy.bad_request = rs.retry_policy.bad_request;
  rc.retry_policy.authentication = rs.retry_policy.authentication;
  rc.retry_policy.timeout = rs.retry_policy.timeout;
  rc.retry_policy.rate_limit = rs.retry_policy.rate_limit;
  rc.retry_policy.content_policy = rs.retry_policy.content_policy;
  rc.retry_policy.internal_server = rs.retry_policy.internal_server;
  rc.allow_unlisted_models = false;

  rc.deployments.reserve(config.model_list.size());
  for (std::size_t i = 0; i < config.model_list.size(); ++i) {
    const DeploymentConfig& dc = config.model_list[i];
    router::Deployment d;
    d.id = dc.id;
    d.model_name = dc.model_name;
    d.model = dc.model;
    d.provider = dc.provider;
    d.weight = dc.weight;
    d.rpm = dc.rpm;
    d.tpm = dc.tpm;
    if (dc.timeout_s) d.timeout = ms(*dc.timeout_s);
    if (dc.stream_timeout_s) d.stream_timeout = ms(*dc.stream_timeout_s);
    d.max_retries = dc.max_retries;
    if (dc.cooldown_time_s) {
      d.cooldown_time = std::chrono::seconds(static_cast<std::int64_t>(*dc.cooldown_time_s));
    }
    d.order = dc.order;
    d.default_params = dc.default_params;
    d.model_info = dc.model_info;
    d.target.provider = dc.provider;
    d.target.model = dc.upstream_model;
    if (dc.served) d.adapter = providers::find_adapter(dc.provider);
    if (d.adapter != nullptr) {
      // Same precedence as LiteLLM: the config value, else the provider's variable, else default.
      d.target.api_key =
          dc.api_key.empty() ? router::first_env(d.adapter->api_key_envs()) : dc.api_key;
      d.target.api_base =
          dc.api_base.empty() ? router::first_env(d.adapter->api_base_envs()) : dc.api_base;
      if (d.target.api_base.empty()) d.target.api_base = std::string(d.adapter->default_api_base());
    } else {
      d.target.api_base = dc.api_base;
    }
    d.target.extra_headers = dc.extra_headers;
    d.target.drop_params = dc.drop_params;
    d.target.reasoning = dc.reasoning;
    d.target.reasoning_prompt = dc.reasoning_prompt;
    // Registry facts: a model_info.base_model names the priced model when the name is custom.
    std::string key = dc.provider + "/" + dc.upstream_model;
    if (auto base = core::get_string(dc.model_info, "base_model")) key = std::string(*base);
    d.target.info = model_info(key);
    if (!d.target.info) d.target.info = model_info(dc.model);
    rc.deployments.push_back(std::move(d));
  }
  return rc;
}

json::object models_list(const router::Router& router, std::int64_t created) {
  json::array data;
  for (const auto& g : router.model_groups()) {
    data.push_back(
        json::object{{"id", g}, {"object", "model"}, {"created", created}, {"owned_by", "openai"}});
  }
  return json::object{{"object", "list"}, {"data", std::move(data)}};
}

std::optional<json::object> model_entry(const router::Router& router, std::string_view id,
                                        std::int64_t created) {
  for (const auto& g : router.model_groups()) {
    if (g == id) {
      return json::object{
          {"id", g}, {"object", "model"}, {"created", created}, {"owned_by", "openai"}};
    }
  }
  return std::nullopt;
}

json::object model_info_list(const router::Router& router) {
  json::array data;
  for (const auto& d : router.deployments()) {
    json::object params;
    params["model"] = d.model;
    if (!d.target.api_base.empty()) params["api_base"] = d.target.api_base;
    if (d.rpm) params["rpm"] = *d.rpm;
    if (d.tpm) params["tpm"] = *d.tpm;
    for (const auto& kv : d.default_params)
      params[kv.key()] = kv.value();

    json::object info;
    if (const auto& reg = d.target.info) {
      info["key"] = reg->key;
      info["mode"] = reg->mode;
      info["max_input_tokens"] = reg->max_input_tokens;
      info["max_output_tokens"] = reg->max_output_tokens;
      info["max_tokens"] = reg->max_output_tokens;
      info["input_cost_per_token"] = reg->input_cost_per_token;
      info["output_cost_per_token"] = reg->output_cost_per_token;
      info["supports_function_calling"] = reg->supports_function_calling;
      info["supports_tool_choice"] = reg->supports_tool_choice;
      info["supports_reasoning"] = reg->supports_reasoning;
      info["supports_vision"] = reg->supports_vision;
      info["supports_response_schema"] = reg->supports_response_schema;
    }
    info["litellm_provider"] = d.provider;
    for (const auto& kv : d.model_info)
      info[kv.key()] = kv.value();  // config wins
    info["id"] = d.id;
    info["db_model"] = false;
    info["supported_by_gateway"] = d.adapter != nullptr;
    if (d.adapter == nullptr) {
      info["unsupported_reason"] = "provider '" + d.provider + "' is not supported by this gateway";
    }
    data.push_back(json::object{{"model_name", d.model_name},
                                {"litellm_params", std::move(params)},
                                {"model_info", std::move(info)}});
  }
  return json::object{{"data", std::move(data)}};
}

}  // namespace litellm::gateway
