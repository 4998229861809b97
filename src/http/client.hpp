// HTTP/1.1 client used to reach Mistral (or the emulator, or any OpenAI-compatible upstream).
//
// - A keep-alive connection pool per (scheme, host, port); connections are reused across calls
//   and returned to the pool only after a complete, keep-alive response.
// - TLS with SNI and peer verification against the system trust store (OpenSSL).
// - HTTPS_PROXY / HTTP_PROXY / NO_PROXY honoured (CONNECT tunnel for https).
// - Every operation has a timeout; bodies have a size limit.
// - A Client belongs to one executor (one io_context thread); it is not thread-safe. Each
//   gateway worker thread owns one Client, the SDK's background thread owns one.
// - Cancellation: send(), open(), read_some() and read_all() stop promptly when the calling
//   coroutine's cancellation slot is emitted, e.g.
//     co_await asio::co_spawn(ex, client.send(req),
//                             asio::bind_cancellation_slot(writer.client_gone_slot(),
//                                                          asio::use_awaitable));
//   They accept any cancellation type (terminal, partial or total): on entry they reset the
//   calling coroutine's cancellation state to let every type through, and abort the socket
//   operation in progress (closing that connection). The result is then an api_connection Error
//   "... was cancelled".
// See docs/http-client.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "core/clock.hpp"
#include "http/response_fields.hpp"
#include "litellm/result.hpp"

namespace litellm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct ClientRequest {
  bhttp::verb method = bhttp::verb::post;
  std::string url;  ///< absolute: "https://api.mistral.ai/v1/chat/completions"
  /// Sent as given, except Content-Length and Transfer-Encoding (the client frames the body).
  /// Host and User-Agent are added when absent. CR, LF or NUL in a value: bad_request.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Non-streamed: the whole exchange. Streamed (open): until the response header, and then the
  /// longest silence allowed between two body reads.
  std::chrono::milliseconds timeout{600'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::size_t body_limit = 64 * 1024 * 1024;  ///< larger response bodies fail the call
};

struct ClientResponse {
  unsigned status = 0;
  ResponseFields headers;
  std::string body;
};

/// A response whose body is read as it arrives (SSE). Destroying it before the body ended closes
/// the connection instead of returning it to the pool. Do not destroy it while a read is pending
/// (cancel() first, then let the read complete).
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual unsigned status() const noexcept = 0;
  virtual const ResponseFields& headers() const noexcept = 0;
  /// Next piece of the body (chunked encoding already removed), delivered as soon as the bytes
  /// arrive. An empty view means the body ended (the connection then goes back to the pool when
  /// it can). The view is valid until the next call. Each call waits at most the request's
  /// `timeout`. Errors: timeout, api_connection (reset, malformed, body above body_limit).
  virtual asio::awaitable<Result<std::string_view>> read_some() = 0;
  /// Reads the rest of the body (bounded by the request's body_limit), e.g. for an error answer.
  virtual asio::awaitable<Result<std::string>> read_all() = 0;
  /// Closes the connection now; a pending read_some completes with an error.
  virtual void cancel() noexcept = 0;
};

struct ClientOptions {
  std::size_t max_idle_per_host = 64;          ///< idle keep-alive connections kept per host
  std::chrono::milliseconds idle_ttl{60'000};  ///< idle connections older than this are closed
  bool verify_peer = true;                     ///< TLS certificate and host name verification
  std::string ca_file;                         ///< extra CA bundle (PEM); empty: system store only
  bool use_env_proxy = true;                   ///< read HTTPS_PROXY/HTTP_PROXY/NO_PROXY once,
                                               ///< when the Client is built
  const core::Clock* clock = nullptr;          ///< ages idle connections; nullptr: the system clock
};

struct ClientStats {
  std::uint64_t connections_opened = 0;  ///< new TCP (+TLS) connections
  std::uint64_t connections_reused = 0;  ///< requests sent on a pooled connection
  std::uint64_t requests = 0;
  std::uint64_t stale_retries = 0;  ///< requests resent because a pooled connection was dead
};

class Client {
 public:
  explicit Client(asio::any_io_executor executor, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Sends a request and reads the whole response. Any HTTP status is a success here; turning a
  /// status into an Error is the caller's (the adapter's) job. Errors: timeout (408 kind),
  /// api_connection (refused, reset, DNS, TLS, malformed response), bad_request (bad URL).
  /// The awaitable honours per-operation cancellation (asio::bind_cancellation_slot).
  asio::awaitable<Result<ClientResponse>> send(ClientRequest request);

  /// Sends a request and returns once the response header arrived; the body is read through the
  /// returned stream.
  asio::awaitable<Result<std::unique_ptr<ResponseStream>>> open(ClientRequest request);

  ClientStats stats() const noexcept;
  asio::any_io_executor get_executor() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace litellm::http
