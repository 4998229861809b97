// TLS and proxy behaviour of the HTTP client, against in-test servers on 127.0.0.1.
#include <openssl/ssl.h>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/read.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "client_test_support.hpp"
#include "http/client.hpp"

namespace litellm::http {
namespace {

using namespace client_testing;

ClientOptions trusting(const TempFile& ca) {
  ClientOptions o = no_proxy_options();
  o.ca_file = ca.path();
  return o;
}

std::string https_url(std::uint16_t port, std::string_view host = "127.0.0.1",
                      std::string_view path = "/v1/models") {
  return "https://" + std::string(host) + ":" + std::to_string(port) + std::string(path);
}

TEST(HttpClientTls, TrustsASelfSignedServerThroughCaFileAndReusesTheConnection) {
  const TestCert cert = make_self_signed("DNS:localhost,IP:127.0.0.1");
  const TempFile ca(cert.cert_pem);
  TlsEchoServer server(cert);
  asio::io_context ioc;
  Client client(ioc.get_executor(), trusting(ca));
  for (int i = 0; i < 2; ++i) {
    auto res = run(ioc, client.send(post(https_url(server.port()), "hello")));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "POST /v1/models hello");
  }
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().connections_reused, 1u);
  EXPECT_EQ(server.handshakes(), 1);
}

TEST(HttpClientTls, RejectsTheSameServerWithoutTheCaFile) {
  const TestCert cert = make_self_signed("DNS:localhost,IP:127.0.0.1");
  TlsEchoServer server(cert);
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(get(https_url(server.port()))));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(
      res.error().message.find("TLS handshake with 127.0.0.1:" + std::to_string(server.port())),
      std::string::npos)
      << res.error().message;
  EXPECT_NE(res.error().message.find("certificate verify failed"), std::string::npos)
      << res.error().message;
  EXPECT_EQ(server.handshakes(), 0);
}

TEST(HttpClientTls, RejectsATrustedCertificateIssuedForAnotherHost) {
  const TestCert cert = make_self_signed("DNS:other.example");
  const TempFile ca(cert.cert_pem);
  TlsEchoServer server(cert);
  asio::io_context ioc;
  Client client(ioc.get_executor(), trusting(ca));
  auto res = run(ioc, client.send(get(https_url(server.port()))));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("mismatch"), std::string::npos) << res.error().message;
}

TEST(HttpClientTls, SendsTheHostNameAsSniAndVerifiesIt) {
  const TestCert cert = make_self_signed("DNS:localhost");
  const TempFile ca(cert.cert_pem);
  TlsEchoServer server(cert);
  asio::io_context ioc;
  Client client(ioc.get_executor(), trusting(ca));
  auto res = run(ioc, client.send(get(https_url(server.port(), "localhost", "/sni"))));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "GET /sni ");
  EXPECT_EQ(server.last_sni(), "localhost");
}

TEST(HttpClientTls, AcceptsAnyCertificateWhenVerificationIsOff) {
  const TestCert cert = make_self_signed("DNS:other.example");
  TlsEchoServer server(cert);
  asio::io_context ioc;
  auto options = no_proxy_options();
  options.verify_peer = false;
  Client client(ioc.get_executor(), options);
  auto res = run(ioc, client.send(get(https_url(server.port()))));
  ASSERT_TRUE(res.ok()) << res.error().message;
}

TEST(HttpClientTls, ReportsAMissingCaFile) {
  asio::io_context ioc;
  auto options = no_proxy_options();
  options.ca_file = "/nonexistent/ca.pem";
  Client client(ioc.get_executor(), options);
  auto res = run(ioc, client.send(get("https://127.0.0.1:9/")));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("cannot load CA file"), std::string::npos);
}

// ---- proxies ----

struct ProxyLog {
  std::mutex mu;
  std::vector<std::string> targets;
  std::vector<std::string> auth;
  void add(std::string target, std::string authorization) {
    std::lock_guard lock(mu);
    targets.push_back(std::move(target));
    auth.push_back(std::move(authorization));
  }
  std::vector<std::string> seen_targets() {
    std::lock_guard lock(mu);
    return targets;
  }
  std::vector<std::string> seen_auth() {
    std::lock_guard lock(mu);
    return auth;
  }
};

asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
  std::array<char, 4096> buf{};
  for (;;) {
    auto [ec, n] = co_await from->async_read_some(asio::buffer(buf), kTuple);
    if (ec) break;
    auto [wec, wn] = co_await asio::async_write(*to, asio::buffer(buf.data(), n), kTuple);
    if (wec) break;
  }
  beast::error_code ignored;
  to->shutdown(tcp::socket::shutdown_send, ignored);
}

// An HTTP proxy that answers CONNECT by tunnelling to 127.0.0.1:<upstream_port> whatever the
// requested host (so the test needs no DNS), or refuses with `refuse_status` when set.
asio::awaitable<void> connect_proxy(tcp::socket socket, std::uint16_t upstream_port, ProxyLog& log,
                                    unsigned refuse_status) {
  beast::flat_buffer buffer;
  bhttp::request_parser<bhttp::empty_body> parser;
  auto [ec, n] = co_await bhttp::async_read_header(socket, buffer, parser, kTuple);
  if (ec) co_return;
  const auto& req = parser.get();
  log.add(std::string(req.method_string()) + " " + std::string(req.target()),
          std::string(req[bhttp::field::proxy_authorization]));
  if (req.method() != bhttp::verb::connect || refuse_status != 0) {
    co_await write_raw(socket, "HTTP/1.1 " + std::to_string(refuse_status ? refuse_status : 405) +
                                   " No\r\nContent-Length: 0\r\n\r\n");
    co_return;
  }
  auto up = std::make_shared<tcp::socket>(socket.get_executor());
  auto [cec] = co_await up->async_connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), upstream_port), kTuple);
  if (cec) co_return;
  if (!co_await write_raw(socket, "HTTP/1.1 200 Connection established\r\n\r\n")) co_return;
  auto down = std::make_shared<tcp::socket>(std::move(socket));
  asio::co_spawn(down->get_executor(), pump(up, down), asio::detached);
  co_await pump(down, up);
}

TEST(HttpClientProxy, TunnelsHttpsThroughHttpsProxyWithConnect) {
  const TestCert cert = make_self_signed("DNS:upstream.test");
  const TempFile ca(cert.cert_pem);
  TlsEchoServer origin(cert);
  ProxyLog log;
  const std::uint16_t origin_port = origin.port();
  RawServer proxy([&](tcp::socket s) { return connect_proxy(std::move(s), origin_port, log, 0); });
  ScopedEnv env("HTTPS_PROXY", "http://user:pw@127.0.0.1:" + std::to_string(proxy.port()));
  ScopedEnv lower("https_proxy", "");  // empty lowercase falls back to uppercase
  ScopedEnv no("NO_PROXY", "example.com,.internal");
  asio::io_context ioc;
  ClientOptions options;
  options.ca_file = ca.path();
  Client client(ioc.get_executor(), options);
  for (int i = 0; i < 2; ++i) {
    auto res = run(ioc, client.send(post("https://upstream.test/v1/chat", "q")));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "POST /v1/chat q");
  }
  EXPECT_EQ(log.seen_targets(), std::vector<std::string>{"CONNECT upstream.test:443"});
  EXPECT_EQ(log.seen_auth(), std::vector<std::string>{"Basic dXNlcjpwdw=="});
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().connections_reused, 1u);
}

TEST(HttpClientProxy, ReportsAProxyThatRefusesTheTunnel) {
  ProxyLog log;
  RawServer proxy([&](tcp::socket s) { return connect_proxy(std::move(s), 9, log, 407); });
  ScopedEnv env("HTTPS_PROXY", "127.0.0.1:" + std::to_string(proxy.port()));
  ScopedEnv lower("https_proxy", "");
  asio::io_context ioc;
  Client client(ioc.get_executor());
  auto res = run(ioc, client.send(get("https://upstream.test/v1/models")));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("407"), std::string::npos) << res.error().message;
  EXPECT_NE(res.error().message.find("upstream.test:443"), std::string::npos);
}

TEST(HttpClientProxy, SendsPlainHttpToTheProxyInAbsoluteForm) {
  // An echo server stands in for the proxy: it answers with the request line it received.
  RawServer proxy([](tcp::socket s) -> asio::awaitable<void> { co_await serve_echo(s); });
  ScopedEnv env("HTTP_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port()));
  ScopedEnv lower("http_proxy", "");
  asio::io_context ioc;
  Client client(ioc.get_executor());
  auto res = run(ioc, client.send(get("http://upstream.test:8080/a?b=1")));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "GET http://upstream.test:8080/a?b=1 ");
  auto other = run(ioc, client.send(get("http://other.test/x")));
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(other->body, "GET http://other.test/x ");
  // Both origins share the connection to the proxy.
  EXPECT_EQ(proxy.accepted(), 1);
}

TEST(HttpClientProxy, NeverProxiesLoopbackTargets) {
  RawServer proxy([](tcp::socket s) -> asio::awaitable<void> { co_await serve_echo(s); });
  RawServer origin([](tcp::socket s) -> asio::awaitable<void> { co_await serve_echo(s); });
  ScopedEnv env("HTTP_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port()));
  ScopedEnv lower("http_proxy", "");
  asio::io_context ioc;
  Client client(ioc.get_executor());
  auto res = run(ioc, client.send(get(origin.url("/direct"))));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "GET /direct ");
  EXPECT_EQ(proxy.accepted(), 0);
  EXPECT_EQ(origin.accepted(), 1);
}

TEST(HttpClientProxy, SendsHostsListedInNoProxyDirectly) {
  // 0.0.0.0 is not loopback for the proxy rules, yet Linux connects it to the local host: the
  // one address that exercises NO_PROXY end to end without leaving 127.0.0.1.
  RawServer proxy([](tcp::socket s) -> asio::awaitable<void> { co_await serve_echo(s); });
  RawServer origin([](tcp::socket s) -> asio::awaitable<void> { co_await serve_echo(s); });
  const std::string url = "http://0.0.0.0:" + std::to_string(origin.port()) + "/x";
  ScopedEnv env("HTTP_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port()));
  ScopedEnv lower("http_proxy", "");
  {
    ScopedEnv no("NO_PROXY", "example.com, 0.0.0.0");
    ScopedEnv no_lower("no_proxy", "");
    asio::io_context ioc;
    Client client(ioc.get_executor());
    auto res = run(ioc, client.send(get(url)));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "GET /x ");
  }
  EXPECT_EQ(proxy.accepted(), 0);
  EXPECT_EQ(origin.accepted(), 1);
  {
    ScopedEnv no("NO_PROXY", "example.com");
    ScopedEnv no_lower("no_proxy", "");
    asio::io_context ioc;
    Client client(ioc.get_executor());
    auto res = run(ioc, client.send(get(url)));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "GET " + url + " ");
  }
  EXPECT_EQ(proxy.accepted(), 1);
}

TEST(HttpClientProxy, RejectsAnHttpsProxyUrlWithoutEchoingItsCredentials) {
  ScopedEnv env("HTTPS_PROXY", "https://user:secret-pw@proxy.example:443");
  ScopedEnv lower("https_proxy", "");
  asio::io_context ioc;
  Client client(ioc.get_executor());
  auto res = run(ioc, client.send(get("https://upstream.test/")));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::bad_request);
  EXPECT_EQ(res.error().message.find("secret-pw"), std::string::npos);
}

}  // namespace
}  // namespace litellm::http
