// Pure pieces of the HTTP client (URL and proxy rules), declared apart so they are unit-tested
// without sockets. Defined in client.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "litellm/result.hpp"

namespace litellm::http::detail {

/// An http(s) URL reduced to what a connection and a request line need.
struct Target {
  bool tls = false;
  std::string host;  ///< lower-case name, or an IP literal without brackets
  std::uint16_t port = 0;
  std::string target;  ///< origin-form request target: "/v1/chat/completions?x=1"
  bool host_is_ip = false;
  bool ipv6 = false;
  std::string userinfo;  ///< decoded "user:password" (used for proxies only)

  /// "host:port" ("[::1]:443" for IPv6): for CONNECT and error messages.
  [[nodiscard]] std::string authority() const;
  /// The Host header: the port only when it is not the scheme's default.
  [[nodiscard]] std::string host_header() const;
};

/// Parses an absolute http or https URL. Anything else is a bad_request Error that never echoes
/// the URL (it may hold credentials).
Result<Target> parse_target(std::string_view url);

/// Proxy variables as read from the environment (lowercase first, as curl and Python do).
struct ProxyEnv {
  std::string http_proxy;   ///< http_proxy / HTTP_PROXY
  std::string https_proxy;  ///< https_proxy / HTTPS_PROXY
  std::string no_proxy;     ///< no_proxy / NO_PROXY
};
ProxyEnv proxy_env_from_environment();

/// 127.0.0.0/8, ::1, "localhost" and "*.localhost": never sent through a proxy.
bool is_loopback_host(std::string_view host);

/// NO_PROXY rules: comma/space separated entries; "*" matches everything; "example.com",
/// ".example.com" and "*.example.com" match that domain and its subdomains; "host:port" matches
/// that port only; IP literals match the address and "10.0.0.0/8"-style CIDR blocks match ranges.
bool no_proxy_matches(std::string_view no_proxy, const Target& target);

/// The proxy URL to use for `target` ("" = connect directly).
std::string_view select_proxy(const ProxyEnv& env, const Target& target);

/// Parses a proxy URL ("http://user:pass@host:3128"; a missing scheme means http). Only http
/// proxies are supported (https targets tunnel through them with CONNECT).
Result<Target> parse_proxy(std::string_view url);

/// "Basic <base64(userinfo)>", for Proxy-Authorization.
std::string basic_auth(std::string_view userinfo);

}  // namespace litellm::http::detail
