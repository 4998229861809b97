// HTTP/1.1 listener shared by the gateway and the emulator (Boost.Beast, C++20 coroutines).
//
// Threading: one acceptor per io_context (SO_REUSEPORT), each io_context run by one thread, so a
// connection lives on one thread from accept to close and handlers need no locks for
// per-connection state. The kernel spreads new connections across the acceptors.
//
// A handler is a coroutine from request to response. It answers exactly once through the
// ResponseWriter: either a whole response (send) or a stream (start_stream, write_chunk...,
// finish_stream) that is written with chunked transfer encoding and flushed chunk by chunk.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/fields.hpp"
#include "http/message_parser.hpp"
#include "litellm/result.hpp"

namespace litellm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Header fields from the per-thread free lists of fields.hpp: an answer's fields are a malloc
// each otherwise.
using ServerResponse = bhttp::response<bhttp::string_body, Fields>;
using ResponseHeader = bhttp::response_header<Fields>;

/// A client's request, as the listener read it. The listener keeps one per connection and reuses
/// its storage from request to request; a handler may take the body (std::move(req.body())).
class ServerRequest {
 public:
  ServerRequest(std::size_t header_limit, std::uint64_t body_limit) noexcept
      : parser_(header_limit, body_limit) {}

  /// bhttp::verb::unknown for a method Beast does not name (method_string() has it).
  bhttp::verb method() const noexcept { return method_; }
  std::string_view method_string() const noexcept { return parser_.method(); }
  std::string_view target() const noexcept { return parser_.target(); }
  /// 10 or 11.
  unsigned version() const noexcept { return parser_.version(); }
  bool keep_alive() const noexcept { return parser_.keep_alive(); }
  /// Every field as received, names lower-cased.
  const ResponseFields& fields() const noexcept { return parser_.fields(); }
  /// The value of the first field called `name` (in any letter case), if there is one.
  std::optional<std::string_view> find(std::string_view name) const noexcept {
    return parser_.fields().find(name);
  }
  /// The value of the field called `name`, empty when there is none.
  std::string_view operator[](std::string_view name) const noexcept {
    return find(name).value_or(std::string_view());
  }
  const std::string& body() const noexcept { return body_; }
  std::string& body() noexcept { return body_; }

  // ---- reading (the listener; tests and the fuzz target) ------------------------------------

  /// Reads the request from `in`, the received bytes it has not used yet: returns how many it
  /// used now. Bytes after the request's end (the next, pipelined request) are left unused.
  /// Errors (`ec`) are Beast's http::error codes; see status_for_read_error.
  std::size_t put(std::string_view in, boost::system::error_code& ec);
  bool header_done() const noexcept { return parser_.header_done(); }
  bool done() const noexcept { return parser_.done(); }
  /// True once a first byte arrived (EOF before it is a clean close, after it a partial one).
  bool got_some() const noexcept { return parser_.got_some(); }
  /// Ready for the next request. Storage above `keep_capacity` bytes is released, so an idle
  /// connection does not hold on to the largest body it ever received.
  void reset(std::size_t keep_capacity) noexcept;

 private:
  RequestParser parser_;
  std::string body_;
  bhttp::verb method_ = bhttp::verb::unknown;
};

/// Listener settings. A timeout of zero (or less) disables that timeout.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                           ///< 0: pick a free port (see Server::port())
  std::size_t body_limit = 16 * 1024 * 1024;        ///< larger bodies get 413 in OpenAI shape
  std::size_t header_limit = 64 * 1024;             ///< larger headers get 431
  std::chrono::milliseconds read_timeout{30'000};   ///< one whole request, from its first byte
  std::chrono::milliseconds idle_timeout{120'000};  ///< waiting for a request's first byte
  std::chrono::milliseconds write_timeout{60'000};  ///< for any single write to the client
  std::string server_header;                        ///< "Server:" value; empty: none
  int backlog = 1024;
  /// Receives the listener's rare error reports (handler exceptions, accept failures). Called on
  /// an io_context thread. Empty: written to stderr.
  std::function<void(std::string_view)> log;
};

class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;

  /// Sends a whole response. Content-Length and keep-alive are set by the writer.
  asio::awaitable<void> send(ServerResponse res) { return send(std::move(res), {}); }
  /// As send(res), with `extra_fields` written verbatim after res's own fields: pre-rendered
  /// "name: value\r\n" lines (see append_field), for a handler that adds many fields to every
  /// response and would otherwise pay an allocation and a name lookup per field.
  virtual asio::awaitable<void> send(ServerResponse res, std::string_view extra_fields) = 0;

  /// Starts a streamed response: writes the header (status, fields; chunked encoding is set by
  /// the writer). Returns false when the client is gone.
  asio::awaitable<bool> start_stream(ResponseHeader header) {
    return start_stream(std::move(header), {}, {});
  }
  /// As start_stream(header), with pre-rendered `extra_fields` as in send(), and with
  /// `first_chunk` (when not empty) sent in the same write as the header: a client then wakes
  /// once for both, not once for a header without data.
  virtual asio::awaitable<bool> start_stream(ResponseHeader header, std::string_view extra_fields,
                                             std::string_view first_chunk) = 0;
  /// Writes one chunk and flushes it. Returns false when the client is gone (stop producing).
  virtual asio::awaitable<bool> write_chunk(std::string_view data) = 0;
  /// Ends the stream (last chunk). Safe to call after the client went away.
  virtual asio::awaitable<void> finish_stream() = 0;

  /// True once the client closed its side or a write failed.
  virtual bool client_gone() const noexcept = 0;
  /// Emitted (total cancellation) when the client disconnects while the handler runs, so a
  /// handler can bind it to upstream operations and stop them.
  ///
  /// The handler's own coroutine receives the same total cancellation, which its default
  /// (terminal-only) filter ignores. A handler that lets total cancellation in, e.g. with
  /// `co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation())`,
  /// has whatever it awaits cancelled when the client leaves, without a co_spawn of its own
  /// (the HTTP client's calls let it in themselves). Once cancelled, the connection's coroutine
  /// still starts new operations (throw_if_cancelled is off), so the handler can answer or clean
  /// up; the cancelled operation itself completes with operation_aborted.
  virtual asio::cancellation_slot client_gone_slot() noexcept = 0;

  /// Aborts the connection with a TCP reset (SO_LINGER 0), now, whatever was written. For fault
  /// injection (the emulator) and for giving up on a broken stream.
  virtual void reset_connection() noexcept = 0;

  /// Remote endpoint as "ip:port", for logs.
  virtual std::string_view remote() const noexcept = 0;
  /// True once send() or start_stream() was called.
  virtual bool answered() const noexcept = 0;
};

using Handler = std::function<asio::awaitable<void>(ServerRequest&, ResponseWriter&)>;

struct ServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t requests = 0;  ///< requests handed to the handler
  std::uint64_t active_connections = 0;
  std::uint64_t active_requests = 0;
  std::uint64_t bad_requests = 0;    ///< answered by the listener itself (400, 413, 431, 505)
  std::uint64_t timeouts = 0;        ///< connections closed by a read, idle or write timeout
  std::uint64_t client_gone = 0;     ///< clients that left while their handler ran
  std::uint64_t handler_errors = 0;  ///< handlers that threw or returned without answering
};

class Server {
 public:
  /// `contexts` are the io_contexts the server runs on (one acceptor each); the caller runs them.
  Server(std::vector<asio::io_context*> contexts, ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens on every context. Returns the bound port, or an Error naming the address.
  Result<std::uint16_t> listen();
  /// Starts accepting (after listen()).
  void start();
  /// Graceful stop: stop accepting, let in-flight requests and streams finish for up to `bound`,
  /// then close everything. `done` is called once (from any thread) when all connections closed.
  void drain(std::chrono::milliseconds bound, std::function<void()> done);
  /// Immediate stop: closes acceptors and all connections.
  void stop();

  std::uint16_t port() const noexcept;
  ServerStats stats() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// A JSON response (Content-Type, Content-Length, Connection set), e.g. for the listener's own
/// OpenAI-shaped errors (400/413/431...).
ServerResponse make_json_response(unsigned status, std::string body, bool keep_alive);

// ---- the listener's limits and answers to read errors, exposed so tests and the fuzz target
// read requests exactly as the listener does, without sockets -------------------------------------

/// A request to read with the listener's limits (header_limit, body_limit).
ServerRequest make_server_request(const ServerOptions& options);
/// The most bytes the listener buffers per connection while reading a request header.
std::size_t read_buffer_limit(const ServerOptions& options) noexcept;
/// The listener's answer to an error while reading a request: 413 (body too large), 431 (header
/// too large), 400 (malformed), or 0 for "close without answering" (client left, timeout).
unsigned status_for_read_error(const beast::error_code& ec) noexcept;

}  // namespace litellm::http
