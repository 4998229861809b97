// Test helpers for the HTTP client: small raw Beast/Asio servers on 127.0.0.1 port 0 running on
// their own thread, a bounded way to run a client coroutine, and a self-signed certificate made
// with OpenSSL. Nothing here uses the project's listener (src/http/server.cpp).
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/client.hpp"

namespace litellm::http::client_testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;
using ServerRequest = bhttp::request<bhttp::string_body>;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

/// A TCP server on 127.0.0.1:0 with its own io_context thread. Each accepted connection is given
/// to `handler` (a coroutine) as a socket.
class RawServer {
 public:
  using Handler = std::function<asio::awaitable<void>(tcp::socket)>;

  explicit RawServer(Handler handler)
      : handler_(std::move(handler)),
        acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~RawServer() {
    ioc_.stop();
    thread_.join();
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  asio::io_context& context() { return ioc_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(ioc_, handler_(std::move(socket)), asio::detached);
    }
  }

  Handler handler_;
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

/// Reads one request; nullopt when the peer closed or sent garbage.
template <class Stream>
asio::awaitable<std::optional<ServerRequest>> read_request(Stream& s, beast::flat_buffer& buffer) {
  ServerRequest req;
  auto [ec, n] = co_await bhttp::async_read(s, buffer, req, kTuple);
  if (ec) co_return std::nullopt;
  co_return req;
}

template <class Stream>
asio::awaitable<bool> write_response(Stream& s, unsigned status, std::string body,
                                     bool keep_alive = true) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "text/plain");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  auto [ec, n] = co_await bhttp::async_write(s, res, kTuple);
  co_return !ec;
}

/// Writes raw bytes (a hand-made response).
template <class Stream>
asio::awaitable<bool> write_raw(Stream& s, std::string bytes) {
  auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), kTuple);
  co_return !ec;
}

/// "METHOD target body" for each request, with keep-alive, until the client closes.
template <class Stream>
asio::awaitable<void> serve_echo(Stream& s) {
  beast::flat_buffer buffer;
  for (;;) {
    auto req = co_await read_request(s, buffer);
    if (!req) co_return;
    std::string body =
        std::string(req->method_string()) + " " + std::string(req->target()) + " " + req->body();
    if (!co_await write_response(s, 200, std::move(body), req->keep_alive())) co_return;
    if (!req->keep_alive()) co_return;
  }
}

inline asio::awaitable<void> sleep_for(Millis d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(kTuple);
}

/// Runs a client coroutine on `ioc` (the test's thread) and returns its result, failing the
/// test instead of hanging when it does not finish within `limit`.
template <class T>
T run(asio::io_context& ioc, asio::awaitable<T> op, Millis limit = 10s) {
  std::optional<T> result;
  asio::co_spawn(ioc, std::move(op), [&](std::exception_ptr e, T value) {
    if (e) {
      ADD_FAILURE() << "client coroutine threw";
      return;
    }
    result.emplace(std::move(value));
  });
  ioc.restart();
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!result && std::chrono::steady_clock::now() < until)
    ioc.run_one_for(10ms);
  if (!result) {
    ADD_FAILURE() << "client coroutine did not finish within " << limit.count() << " ms";
    return T{Error::make(ErrorKind::api_error, "test harness: did not finish")};
  }
  return std::move(*result);
}

inline ClientRequest get(std::string url, Millis timeout = 5s) {
  ClientRequest r;
  r.method = bhttp::verb::get;
  r.url = std::move(url);
  r.timeout = timeout;
  return r;
}

inline ClientRequest post(std::string url, std::string body, Millis timeout = 5s) {
  ClientRequest r;
  r.method = bhttp::verb::post;
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}};
  r.timeout = timeout;
  return r;
}

inline ClientOptions no_proxy_options() {
  ClientOptions o;
  o.use_env_proxy = false;
  return o;
}

// ---- TLS ----

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

/// A self-signed P-256 certificate valid for `san` (e.g. "DNS:localhost,IP:127.0.0.1").
inline TestCert make_self_signed(const std::string& san) {
  TestCert out;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("litellm test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  X509_sign(cert, key, EVP_sha256());

  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  out.cert_pem.assign(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  len = BIO_get_mem_data(bio, &data);
  out.key_pem.assign(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

/// A file removed when the object dies.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/litellm-client-test-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    if (fd >= 0) {
      [[maybe_unused]] const auto n = ::write(fd, content.data(), content.size());
      ::close(fd);
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// An https echo server using `cert`.
class TlsEchoServer {
 public:
  explicit TlsEchoServer(const TestCert& cert)
      : ctx_(asio::ssl::context::tls_server),
        server_([this](tcp::socket s) { return serve(std::move(s)); }) {
    ctx_.use_certificate_chain(asio::buffer(cert.cert_pem));
    ctx_.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
  }
  std::uint16_t port() const { return server_.port(); }
  int accepted() const { return server_.accepted(); }
  int handshakes() const { return handshakes_.load(); }
  std::string last_sni() {
    std::lock_guard lock(mu_);
    return sni_;
  }

 private:
  asio::awaitable<void> serve(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> s(std::move(socket), ctx_);
    auto [ec] = co_await s.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (ec) co_return;
    ++handshakes_;
    if (const char* name = SSL_get_servername(s.native_handle(), TLSEXT_NAMETYPE_host_name)) {
      std::lock_guard lock(mu_);
      sni_ = name;
    }
    co_await serve_echo(s);
  }

  // The context is used by connections on the server thread; it is set up before any runs.
  asio::ssl::context ctx_;
  std::atomic<int> handshakes_{0};
  std::mutex mu_;
  std::string sni_;
  RawServer server_;
};

/// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace litellm::http::client_testing
