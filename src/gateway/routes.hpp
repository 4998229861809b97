// The gateway's routes that need no I/O, as pure functions (testable without sockets): path
// matching, auth, the model listings, and the GatewayConfig -> RouterConfig translation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>

#include "gateway/config.hpp"
#include "litellm/result.hpp"
#include "router/router.hpp"

namespace litellm::gateway {

enum class RouteKind {
  chat_completions,
  embeddings,
  models,
  model_by_id,
  model_info,
  health,
  health_liveliness,
  health_readiness,
  root,
  not_found,
  method_not_allowed,
};

struct Route {
  RouteKind kind = RouteKind::not_found;
  std::string model;  ///< from /openai/deployments/{model}/... or /models/{id}
};

/// Matches a request target (path, query ignored) to a route. Paths work with and without /v1,
/// and in Azure style (/openai/deployments/{model}/chat/completions).
Route match_route(boost::beast::http::verb method, std::string_view target);

/// The client's key from `Authorization: Bearer`, `api-key` or `x-api-key`; empty if none.
std::string_view client_key(std::string_view authorization, std::string_view api_key,
                            std::string_view x_api_key) noexcept;

/// Constant-time comparison of a presented key with the master key.
bool keys_equal(std::string_view a, std::string_view b) noexcept;

/// Builds the router's configuration from the gateway's (deployments resolved against adapters
/// and the environment). Errors name the model_list entry.
Result<router::RouterConfig> to_router_config(const GatewayConfig& config);

/// GET /v1/models: {"object":"list","data":[{"id","object":"model","created","owned_by"}]}.
boost::json::object models_list(const router::Router& router, std::int64_t created);
/// GET /v1/models/{id}: one entry, or nullopt when unknown.
std::optional<boost::json::object> model_entry(const router::Router& router, std::string_view id,
                                               std::int64_t created);
/// GET /model/info: every deployment, with its litellm_params (secrets removed) and model_info
/// (registry facts merged; `supported_by_gateway: false` marks unserved providers).
boost::json::object model_info_list(const router::Router& router);

}  // namespace litellm::gateway
