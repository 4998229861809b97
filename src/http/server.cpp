#include "http/server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <tuple>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include "http/head.hpp"
#include "http/write_now.hpp"
#include "litellm/error.hpp"

namespace litellm::http {
namespace {

using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
constexpr auto kNever = SteadyClock::time_point::max();
// as_tuple keeps failures as values: exceptions cost microseconds and the request path never
// throws.
constexpr auto kNothrow = asio::as_tuple(asio::use_awaitable);
// For the wait between requests: an operation built with `deferred` is awaited as it is, where
// use_awaitable first runs the initiation in a coroutine of its own (one more frame).
constexpr auto kDeferNothrow = asio::as_tuple(asio::deferred);

// Buffers larger than this are released after a request so idle connections stay small; typical
// requests fit below it, so the hot path does not reallocate.
constexpr std::size_t kKeepBufferCapacity = 4096;
// The most a request's body reserves from its Content-Length before the bytes arrive.
constexpr std::uint64_t kBodyReserve = 64 * 1024;
// After answering an error we read and discard what the client still sends (bounded) before
// closing, so the kernel does not reset the connection and destroy our answer in flight.
constexpr std::size_t kLingerBytes = 8 * 1024 * 1024;
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";
constexpr std::string_view kCrlf = "\r\n";

// Only the owning io_context thread writes a context's counters, so a plain load+store suffices
// (no locked instruction); stats() reads them from any thread.
void bump(std::atomic<std::uint64_t>& counter, std::int64_t delta = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + static_cast<std::uint64_t>(delta),
                std::memory_order_relaxed);
}

SteadyClock::time_point deadline_after(std::chrono::milliseconds d) noexcept {
  if (d.count() <= 0) return kNever;
  return SteadyClock::now() + d;
}

bool has_close_token(const Fields& fields) {
  auto it = fields.find(bhttp::field::connection);
  if (it == fields.end()) return false;
  for (auto token : bhttp::token_list{it->value()}) {
    if (beast::iequals(token, "close")) return true;
  }
  return false;
}

bool status_has_no_body(unsigned status) noexcept {
  return status / 100 == 1 || status == 204 || status == 304;
}

std::string error_body(unsigned status, std::string message) {
  Error e = Error::make(status >= 500 ? ErrorKind::internal_server : ErrorKind::bad_request,
                        std::move(message));
  e.status = static_cast<int>(status);
  return e.to_openai_json();
}

}  // namespace

// Named (not anonymous) so Server::Impl may derive from ServerCore without subobject-linkage
// warnings; nothing outside this file sees these types.
namespace server_detail {

class Connection;

// True when the request line ends in a well-formed "HTTP/x.y" that is not 1.0 or 1.1: such a
// client gets 505, not 400. `bytes` is what the parser rejected, still in the read buffer.
bool names_other_http_version(asio::const_buffer bytes) {
  std::string_view data(static_cast<const char*>(bytes.data()), bytes.size());
  const auto eol = data.find("\r\n");
  if (eol == std::string_view::npos || eol < 8) return false;
  const auto v = data.substr(eol - 8, 8);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return v.substr(0, 5) == "HTTP/" && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

// Per-io_context state. Everything but the counters and `listened` is touched only on that
// context's thread.
//
// It owns no I/O object once started: an acceptor lives in its accept loop's frame, a drain
// timer in its own handler. The ServerCore may be released by any context's last handler, even
// while another context is being destroyed, so it must never destroy that context's objects.
struct alignas(64) ContextState {
  explicit ContextState(asio::io_context& context) : ioc(&context) {}

  asio::io_context* ioc;
  std::optional<tcp::acceptor> listened;  // between listen() and start(); caller's thread
  bool started = false;                   // start() ran; caller's thread
  tcp::acceptor* acceptor = nullptr;      // the running accept loop's, while it runs
  Connection* head = nullptr;             // intrusive list of live connections
  bool draining = false;                  // no new connections, no new requests
  bool drain_requested = false;
  bool drain_reported = false;
  asio::steady_timer* drain_timer = nullptr;  // owned by its pending handler

  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> active_connections{0};
  std::atomic<std::uint64_t> active_requests{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::uint64_t> client_gone{0};
  std::atomic<std::uint64_t> handler_errors{0};
};

// Shared by the Server facade, the accept loops and every connection (which keep it alive).
struct ServerCore {
  ServerCore(std::vector<asio::io_context*> ctxs, ServerOptions opts, Handler h)
      : options(std::move(opts)), handler(std::move(h)) {
    for (auto* c : ctxs) {
      if (c != nullptr) contexts.push_back(std::make_unique<ContextState>(*c));
    }
  }

  void log(std::string_view message) const noexcept {
    try {
      if (options.log) {
        options.log(message);
      } else {
        std::fprintf(stderr, "litellm http server: %.*s\n", static_cast<int>(message.size()),
                     message.data());
      }
    } catch (...) {  // a logger must not take the listener down
    }
  }

  void begin_drain(const std::shared_ptr<ServerCore>& self, ContextState& ctx,
                   std::chrono::milliseconds bound);
  void stop_context(ContextState& ctx);
  void close_acceptor(ContextState& ctx);
  void force_close_all(ContextState& ctx);
  void report_drained(ContextState& ctx);

  const ServerOptions options;
  const Handler handler;
  std::vector<std::unique_ptr<ContextState>> contexts;
  std::atomic<std::uint16_t> port{0};

  std::mutex drain_mutex;  // drain bookkeeping only; never on the request path
  enum class DrainState { idle, running, finished } drain_state = DrainState::idle;
  std::size_t contexts_to_drain = 0;
  std::vector<std::function<void()>> drain_callbacks;
};

}  // namespace server_detail

struct Server::Impl : server_detail::ServerCore {
  using ServerCore::ServerCore;
};

namespace server_detail {

// One accepted TCP connection: reads requests one at a time, runs the handler, writes answers.
// It is its own ResponseWriter (one per connection, reset per request) to avoid an allocation
// per request. All members are touched only on the owning io_context thread.
class Connection final : public ResponseWriter, public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<ServerCore> core, ContextState& ctx, tcp::socket socket,
             tcp::endpoint peer)
      : core_(std::move(core)),
        ctx_(ctx),
        socket_(std::move(socket)),
        deadline_timer_(socket_.get_executor()),
        wake_(socket_.get_executor()),
        buffer_(read_buffer_limit(core_->options)),
        request_(make_server_request(core_->options)),
        peer_(peer) {}

  ~Connection() override { unlink(); }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void link() noexcept {
    next_ = ctx_.head;
    if (next_ != nullptr) next_->prev_ = this;
    ctx_.head = this;
    linked_ = true;
    bump(ctx_.accepted);
    bump(ctx_.active_connections);
  }

  Connection* next() const noexcept { return next_; }

  asio::awaitable<void> run();

  // Bound to run()'s coroutine when it is spawned: what the connection's own coroutine, and so a
  // handler awaiting on it, receives when the client leaves (see note_gone).
  asio::cancellation_slot handler_slot() noexcept { return handler_signal_.slot(); }

  // Drain: a connection waiting for its next request closes now; one inside a request finishes
  // it (answering with Connection: close).
  void close_if_idle() noexcept {
    if (!in_request_) close_socket();
  }

  void force_close() noexcept {
    note_gone(/*client_left=*/false);
    close_socket();
  }

  // ---- ResponseWriter ----------------------------------------------------------------------
  using ResponseWriter::send;
  using ResponseWriter::start_stream;
  asio::awaitable<void> send(ServerResponse res, std::string_view extra_fields) override;
  asio::awaitable<bool> start_stream(ResponseHeader header, std::string_view extra_fields,
                                     std::string_view first_chunk) override;
  asio::awaitable<bool> write_chunk(std::string_view data) override;
  asio::awaitable<void> finish_stream() override;
  bool client_gone() const noexcept override { return gone_; }
  asio::cancellation_slot client_gone_slot() noexcept override { return gone_signal_.slot(); }
  void reset_connection() noexcept override;
  std::string_view remote() const noexcept override;
  bool answered() const noexcept override { return answered_; }

 private:
  void begin_handler(const ServerRequest& req);
  // Reads what the socket holds now into buffer_, without waiting; errors are left for the
  // async read that follows to find again and report.
  void read_available();
  // Feeds buffer_ to the request; `ec` gets parse errors.
  void parse_buffered(beast::error_code& ec);
  asio::awaitable<bool> complete_answer(bool threw);
  asio::awaitable<void> answer_read_error(const beast::error_code& ec);
  asio::awaitable<void> answer_error(unsigned status, std::string message);
  asio::awaitable<void> lingering_close();
  template <class Buffers>
  asio::awaitable<bool> write_buffers(const Buffers& buffers);

  void prepare_header(ResponseHeader& head);
  void prepare_response(ServerResponse& res);
  void begin_write();
  bool end_write(const beast::error_code& ec) noexcept;
  void unlink() noexcept;
  void close_socket() noexcept;
  // The handler gets the cancellation either way; only a real departure counts as client_gone.
  void note_gone(bool client_left = true) noexcept;
  void write_failed() noexcept;

  // Client-gone watch: a zero-byte readability wait. It never touches buffer_, so it may stay
  // pending across the end of a request and double as the wait for the next request's first
  // byte.
  void start_watch();
  void on_watch(const beast::error_code& ec);
  // "<hex size>\r\n" for a chunk of `size` bytes, in chunk_head_.
  std::string_view chunk_size_line(std::size_t size);

  // Deadlines are lazy: moving one later costs a clock read; the timer fires at the old expiry
  // and re-arms. Only moving one earlier touches the timer.
  void set_deadline(SteadyClock::time_point t);
  void clear_deadline() noexcept { deadline_ = kNever; }
  void arm_timer(SteadyClock::time_point t);
  void on_timer(std::uint32_t generation);

  std::shared_ptr<ServerCore> core_;
  ContextState& ctx_;
  tcp::socket socket_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer wake_;  // wakes run() when the watch completes while it waits
  beast::flat_buffer buffer_;
  ServerRequest request_;  // the request being read or handled; its storage is reused
  asio::cancellation_signal gone_signal_;
  asio::cancellation_signal handler_signal_;
  tcp::endpoint peer_;
  mutable std::string remote_;
  Connection* prev_ = nullptr;
  Connection* next_ = nullptr;

  SteadyClock::time_point deadline_ = kNever;
  SteadyClock::time_point armed_at_ = kNever;
  std::uint32_t timer_generation_ = 0;
  unsigned request_version_ = 11;
  std::array<char, 24> chunk_head_{};
  std::string head_;  // the response head being written; its capacity is reused per request

  bool linked_ = false;
  bool open_ = true;
  bool gone_ = false;
  bool timer_armed_ = false;
  bool watch_pending_ = false;
  bool waiting_wake_ = false;
  bool in_request_ = false;
  bool in_handler_ = false;
  bool lingering_ = false;
  // Per request:
  bool request_head_ = false;
  bool request_keep_alive_ = false;
  bool answered_ = false;
  bool keep_alive_ = false;
  bool streaming_ = false;
  bool stream_chunked_ = false;
  bool stream_finished_ = false;
};

void Connection::unlink() noexcept {
  if (!linked_) return;
  linked_ = false;
  if (prev_ != nullptr) {
    prev_->next_ = next_;
  } else {
    ctx_.head = next_;
  }
  if (next_ != nullptr) next_->prev_ = prev_;
  prev_ = next_ = nullptr;
  bump(ctx_.active_connections, -1);
  if (ctx_.drain_requested && ctx_.head == nullptr) core_->report_drained(ctx_);
}

void Connection::close_socket() noexcept {
  if (!open_) return;
  open_ = false;
  beast::error_code ignored;
  socket_.close(ignored);
  deadline_timer_.cancel();
  wake_.cancel();
}

void Connection::note_gone(bool client_left) noexcept {
  if (gone_) return;
  gone_ = true;
  if (in_handler_) {
    if (client_left) bump(ctx_.client_gone);
    gone_signal_.emit(asio::cancellation_type::total);
    // Total, not terminal: the coroutine's default filter lets only terminal through, so only a
    // handler that asked for total cancellation is interrupted (see ResponseWriter).
    handler_signal_.emit(asio::cancellation_type::total);
  }
}

void Connection::write_failed() noexcept {
  note_gone();
  close_socket();
}

void Connection::reset_connection() noexcept {
  if (!open_) return;
  gone_ = true;  // the handler asked for it: no cancellation signal
  beast::error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  close_socket();
}

std::string_view Connection::remote() const noexcept {
  if (remote_.empty()) {
    try {
      const auto address = peer_.address();
      remote_ = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
      remote_ += ':';
      remote_ += std::to_string(peer_.port());
    } catch (...) {
      return {};
    }
  }
  return remote_;
}

void Connection::start_watch() {
  if (watch_pending_ || !open_) return;
  watch_pending_ = true;
  socket_.async_wait(
      tcp::socket::wait_read,
      [self = shared_from_this()](const beast::error_code& ec) { self->on_watch(ec); });
}

void Connection::on_watch(const beast::error_code& ec) {
  watch_pending_ = false;
  bool data = false;
  if (!ec && open_ && !in_handler_) {
    // Waiting for the next request: the reader tells data from EOF itself, so skip the peek.
    if (waiting_wake_) wake_.cancel();
    return;
  }
  if (!ec && open_) {
    char byte = 0;
    const auto n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) {
      data = true;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      start_watch();  // spurious wake-up
      return;
    }
  }
  // Readable with bytes: the next (maybe pipelined) request; we stop watching until the current
  // request ends. Readable with nothing: EOF. Error: reset or closed by us.
  if (!data) note_gone();
  if (waiting_wake_) wake_.cancel();
}

void Connection::set_deadline(SteadyClock::time_point t) {
  deadline_ = t;
  if (t == kNever || !open_) return;
  if (timer_armed_ && armed_at_ <= t) return;
  arm_timer(t);
}

void Connection::arm_timer(SteadyClock::time_point t) {
  timer_armed_ = true;
  armed_at_ = t;
  // expires_at cancels a previous wait; its handler sees a stale generation and does nothing.
  deadline_timer_.expires_at(t);
  deadline_timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](
                                 const beast::error_code&) { self->on_timer(generation); });
}

void Connection::on_timer(std::uint32_t generation) {
  if (generation != timer_generation_) return;
  timer_armed_ = false;
  if (!open_ || deadline_ == kNever) return;
  if (SteadyClock::now() >= deadline_) {
    if (!lingering_) bump(ctx_.timeouts);
    // Closing aborts whatever read or write is pending; the coroutine sees the error and ends.
    note_gone(/*client_left=*/false);
    close_socket();
    return;
  }
  arm_timer(deadline_);
}

// Reading and dispatching are inline rather than sub-coroutines: asio caches only two freed
// coroutine frames per thread, so every extra frame per request would be a malloc per request.
asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  // Once the handler was cancelled, the connection still writes what it can and closes: a
  // cancelled state must not turn its own awaits into exceptions.
  co_await asio::this_coro::throw_if_cancelled(false);
  const ServerOptions& options = core_->options;
  beast::error_code ec;
  std::size_t n = 0;
  while (open_) {
    if (buffer_.size() == 0) {
      if (ctx_.draining) break;
      set_deadline(deadline_after(options.idle_timeout));
      start_watch();
      if (watch_pending_) {
        waiting_wake_ = true;
        wake_.expires_at(kNever);
        co_await wake_.async_wait(kDeferNothrow);
        waiting_wake_ = false;
      }
      if (!open_ || gone_) break;
    }

    in_request_ = true;
    const auto read_deadline = deadline_after(options.read_timeout);
    set_deadline(read_deadline);
    request_.reset(kKeepBufferCapacity);
    ec = {};
    // The watch saw the socket readable: take what is there now and parse it in place. An async
    // read would complete at once too, but only after a trip through the scheduler. Any error
    // (EOF, reset) is left for the async read below to report.
    if (buffer_.size() == 0) read_available();
    bool continue_sent = false;
    for (;;) {
      parse_buffered(ec);
      if (ec || request_.done()) break;
      if (!continue_sent && request_.header_done() && request_.version() == 11 &&
          beast::iequals(request_["expect"], "100-continue")) {
        continue_sent = true;
        if (!co_await write_buffers(asio::buffer(kContinue))) break;
        set_deadline(read_deadline);
      }
      // Everything buffered was used (a head waits whole in the buffer, below the header limit,
      // which is below the buffer's).
      const std::size_t room = beast::read_size(buffer_, 65536);
      if (room == 0) {
        ec = bhttp::error::header_limit;
        break;
      }
      std::tie(ec, n) = co_await socket_.async_read_some(buffer_.prepare(room), kNothrow);
      if (ec) {
        if (ec == asio::error::eof) {
          ec = request_.got_some() || buffer_.size() > 0 ? bhttp::error::partial_message
                                                         : bhttp::error::end_of_stream;
        }
        break;
      }
      buffer_.commit(n);
    }
    if (!open_) break;
    if (ec) {
      co_await answer_read_error(ec);
      break;
    }
    clear_deadline();

    bool keep_going = false;
    {
      begin_handler(request_);
      bool threw = false;
      try {
        co_await core_->handler(request_, *this);
      } catch (const std::exception& e) {
        threw = true;
        core_->log(std::string("handler threw: ") + e.what());
      } catch (...) {
        threw = true;
        core_->log("handler threw a non-standard exception");
      }
      in_handler_ = false;
      gone_signal_.slot().clear();  // a handler may have left its own cancellation handler here
      bump(ctx_.active_requests, -1);
      if (threw || !answered_ || (streaming_ && !stream_finished_)) {
        keep_going = co_await complete_answer(threw);
      } else {
        keep_going = keep_alive_ && open_ && !gone_;
      }
    }
    in_request_ = false;
    if (!keep_going || ctx_.draining) break;
    if (buffer_.size() == 0 && buffer_.capacity() > kKeepBufferCapacity) buffer_.shrink_to_fit();
  }
  close_socket();
  unlink();
}

void Connection::read_available() {
  beast::error_code ec;
  if (!make_nonblocking(socket_, ec)) return;
  const std::size_t n = socket_.read_some(buffer_.prepare(beast::read_size(buffer_, 65536)), ec);
  if (!ec) buffer_.commit(n);
}

void Connection::parse_buffered(beast::error_code& ec) {
  const auto data = buffer_.data();
  buffer_.consume(
      request_.put(std::string_view(static_cast<const char*>(data.data()), data.size()), ec));
}

void Connection::begin_handler(const ServerRequest& req) {
  request_version_ = req.version();
  request_head_ = req.method() == bhttp::verb::head;
  request_keep_alive_ = req.keep_alive();
  answered_ = keep_alive_ = streaming_ = stream_chunked_ = stream_finished_ = false;
  bump(ctx_.requests);
  bump(ctx_.active_requests);
  in_handler_ = true;
  start_watch();
}

asio::awaitable<bool> Connection::complete_answer(bool threw) {
  if (threw) {
    bump(ctx_.handler_errors);
    if (!answered_) {
      co_await send(make_json_response(500, error_body(500, "Internal server error"), false));
    }
    co_return false;  // the handler's state is unknown: do not reuse the connection
  }
  if (!answered_) {
    bump(ctx_.handler_errors);
    co_await send(
        make_json_response(500, error_body(500, "The handler returned no response"), true));
  } else if (streaming_ && !stream_finished_) {
    co_await finish_stream();
  }
  co_return keep_alive_&& open_ && !gone_;
}

asio::awaitable<void> Connection::answer_read_error(const beast::error_code& ec) {
  const unsigned status = status_for_read_error(ec);
  if (status == 0) co_return;
  const ServerOptions& options = core_->options;
  if (status == 413) {
    co_await answer_error(status, "Request body exceeds the limit of " +
                                      std::to_string(options.body_limit) + " bytes");
  } else if (status == 431) {
    co_await answer_error(status, "Request header fields exceed the limit of " +
                                      std::to_string(options.header_limit) + " bytes");
  } else if (ec == bhttp::error::bad_version && names_other_http_version(buffer_.data())) {
    co_await answer_error(505, "HTTP version not supported");
  } else {
    co_await answer_error(status, "Malformed HTTP request: " + ec.message());
  }
}

asio::awaitable<void> Connection::answer_error(unsigned status, std::string message) {
  if (!open_) co_return;
  bump(ctx_.bad_requests);
  // No request was parsed: answer as to an HTTP/1.1 client that wants the connection closed.
  request_version_ = 11;
  request_head_ = request_keep_alive_ = answered_ = false;
  co_await send(make_json_response(status, error_body(status, std::move(message)), false));
  if (open_) co_await lingering_close();
}

asio::awaitable<void> Connection::lingering_close() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  lingering_ = true;
  auto limit = core_->options.read_timeout;
  if (limit.count() <= 0 || limit > kLingerTime) limit = kLingerTime;
  set_deadline(deadline_after(limit));
  buffer_.clear();
  std::size_t discarded = 0;
  while (open_ && discarded < kLingerBytes) {
    std::size_t n = 0;
    std::tie(ec, n) = co_await socket_.async_read_some(
        buffer_.prepare(std::min<std::size_t>(4096, buffer_.max_size())), kNothrow);
    if (ec) break;
    discarded += n;
  }
  clear_deadline();
}

void Connection::prepare_header(ResponseHeader& head) {
  keep_alive_ = request_keep_alive_ && !ctx_.draining && !has_close_token(head);
  head.version(request_version_);
  const auto& server = core_->options.server_header;
  if (!server.empty() && head.find(bhttp::field::server) == head.end()) {
    head.set(bhttp::field::server, server);
  }
}

void Connection::prepare_response(ServerResponse& res) {
  prepare_header(res.base());
  // HTTP/1.1 without a Connection field already means keep-alive: Beast's keep_alive() would
  // parse and rewrite nothing there, at ~300 instructions per answer.
  if (!keep_alive_ || request_version_ != 11 || res.find(bhttp::field::connection) != res.end()) {
    res.keep_alive(keep_alive_);
  }
  if (status_has_no_body(res.result_int())) {
    res.body().clear();
    res.erase(bhttp::field::content_length);
    res.erase(bhttp::field::transfer_encoding);
  } else {
    // make_json_response already set it: rewriting a field reallocates it.
    char digits[24];
    auto [end, err] = std::to_chars(digits, digits + sizeof digits, res.body().size());
    static_cast<void>(err);
    const std::string_view length(digits, static_cast<std::size_t>(end - digits));
    if (res[bhttp::field::content_length] != length || res.chunked())
      res.content_length(res.body().size());
  }
}

void Connection::begin_write() {
  set_deadline(deadline_after(core_->options.write_timeout));
}

bool Connection::end_write(const beast::error_code& ec) noexcept {
  clear_deadline();
  if (!ec) return true;
  write_failed();
  return false;
}

template <class Buffers>
asio::awaitable<bool> Connection::write_buffers(const Buffers& buffers) {
  if (!open_) co_return false;
  begin_write();
  beast::error_code ec;
  const std::size_t done = write_now(socket_, buffers, ec);
  if (!ec && done < asio::buffer_size(buffers)) {
    beast::buffers_suffix<Buffers> rest(buffers);
    rest.consume(done);
    std::tie(ec, std::ignore) = co_await asio::async_write(socket_, rest, kNothrow);
  }
  co_return end_write(ec);
}

asio::awaitable<void> Connection::send(ServerResponse res, std::string_view extra_fields) {
  if (answered_) {
    core_->log("handler answered twice; the second answer is dropped");
    co_return;
  }
  answered_ = true;
  if (gone_ || !open_) co_return;
  prepare_response(res);
  // Written inline, not through a helper coroutine: one frame fewer per request.
  write_head(head_, res.base());
  add_fields(head_, extra_fields);
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(res.body())};
  if (request_head_) buffers[1] = asio::const_buffer();
  begin_write();
  beast::error_code ec;
  const std::size_t done = write_now(socket_, buffers, ec);
  if (!ec && done < asio::buffer_size(buffers)) {
    beast::buffers_suffix<decltype(buffers)> rest(buffers);
    rest.consume(done);
    std::tie(ec, std::ignore) = co_await asio::async_write(socket_, rest, kNothrow);
  }
  end_write(ec);
}

asio::awaitable<bool> Connection::start_stream(ResponseHeader header, std::string_view extra_fields,
                                               std::string_view first_chunk) {
  if (answered_) {
    core_->log("handler answered twice; the stream is refused");
    co_return false;
  }
  answered_ = true;
  streaming_ = true;
  if (gone_ || !open_) co_return false;

  bhttp::response<bhttp::empty_body, Fields> msg{std::move(header)};
  prepare_header(msg.base());
  if (request_version_ >= 11) {
    stream_chunked_ = true;
    msg.chunked(true);
  } else {
    // HTTP/1.0 has no chunked encoding: the body ends when the connection closes.
    keep_alive_ = false;
    msg.erase(bhttp::field::content_length);
    msg.erase(bhttp::field::transfer_encoding);
  }
  msg.keep_alive(keep_alive_);

  write_head(head_, msg.base());
  add_fields(head_, extra_fields);
  if (request_head_) first_chunk = {};  // a HEAD answer has no body
  std::array<asio::const_buffer, 4> buffers{asio::buffer(head_)};
  std::size_t count = 1;
  if (!first_chunk.empty()) {
    if (stream_chunked_) {
      buffers[count++] = asio::buffer(chunk_size_line(first_chunk.size()));
      buffers[count++] = asio::buffer(first_chunk);
      buffers[count++] = asio::buffer(kCrlf);
    } else {
      buffers[count++] = asio::buffer(first_chunk);
    }
  }
  begin_write();
  auto [ec, n] = co_await asio::async_write(
      socket_, std::span<const asio::const_buffer>(buffers.data(), count), kNothrow);
  if (!end_write(ec)) co_return false;
  if (request_head_) {
    stream_finished_ = true;
    co_return false;
  }
  co_return true;
}

std::string_view Connection::chunk_size_line(std::size_t size) {
  auto* first = chunk_head_.data();
  auto [end, err] = std::to_chars(first, first + chunk_head_.size() - 2, size, 16);
  static_cast<void>(err);  // 22 characters hold any 64-bit size in hex
  *end++ = '\r';
  *end++ = '\n';
  return {first, static_cast<std::size_t>(end - first)};
}

asio::awaitable<bool> Connection::write_chunk(std::string_view data) {
  if (!streaming_ || stream_finished_ || gone_ || !open_) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end the stream
  if (!stream_chunked_) co_return co_await write_buffers(asio::buffer(data));
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(chunk_size_line(data.size())),
                                                  asio::buffer(data), asio::buffer(kCrlf)};
  co_return co_await write_buffers(buffers);
}

asio::awaitable<void> Connection::finish_stream() {
  if (!streaming_ || stream_finished_) co_return;
  stream_finished_ = true;
  if (gone_ || !open_) co_return;
  if (stream_chunked_) {
    co_await write_buffers(asio::buffer(kLastChunk));
  } else {
    keep_alive_ = false;
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerCore> core, ContextState& ctx,
                                  tcp::acceptor acceptor) {
  if (ctx.draining) co_return;  // stopped before it started
  ctx.acceptor = &acceptor;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNothrow);
    if (ctx.draining || !acceptor.is_open() || ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of descriptors or memory: back off so a full table does not spin the loop.
      core->log("accept failed: " + ec.message());
      asio::steady_timer pause(*ctx.ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kNothrow);
      continue;
    }
    beast::error_code ignored;
    // SSE latency depends on every chunk leaving now, not after Nagle's delay.
    socket.set_option(tcp::no_delay(true), ignored);
    auto peer = socket.remote_endpoint(ignored);
    auto conn = std::make_shared<Connection>(core, ctx, std::move(socket), peer);
    conn->link();
    asio::co_spawn(*ctx.ioc, conn->run(),
                   asio::bind_cancellation_slot(conn->handler_slot(),
                                                [raw = core.get()](const std::exception_ptr& e) {
                                                  if (e)
                                                    raw->log("connection ended with an exception");
                                                }));
  }
  ctx.acceptor = nullptr;
}

std::vector<std::shared_ptr<Connection>> snapshot(ContextState& ctx) {
  std::vector<std::shared_ptr<Connection>> all;
  for (Connection* c = ctx.head; c != nullptr; c = c->next()) {
    if (auto p = c->weak_from_this().lock()) all.push_back(std::move(p));
  }
  return all;
}

// ---- ServerCore ------------------------------------------------------------------------------

void ServerCore::close_acceptor(ContextState& ctx) {
  ctx.draining = true;
  if (ctx.acceptor) {
    beast::error_code ignored;
    ctx.acceptor->close(ignored);
  }
}

void ServerCore::force_close_all(ContextState& ctx) {
  for (auto& c : snapshot(ctx))
    c->force_close();
}

void ServerCore::begin_drain(const std::shared_ptr<ServerCore>& self, ContextState& ctx,
                             std::chrono::milliseconds bound) {
  close_acceptor(ctx);
  ctx.drain_requested = true;
  for (auto& c : snapshot(ctx))
    c->close_if_idle();
  if (ctx.head == nullptr) {
    report_drained(ctx);
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(*ctx.ioc, bound);
  ctx.drain_timer = timer.get();
  timer->async_wait([self, &ctx, timer](const beast::error_code& ec) {
    ctx.drain_timer = nullptr;
    if (ec) return;
    // Handlers that ignore the cancellation may still run; their connections are closed, so
    // they can no longer write, and the drain is over.
    self->force_close_all(ctx);
    self->report_drained(ctx);
  });
}

void ServerCore::stop_context(ContextState& ctx) {
  close_acceptor(ctx);
  force_close_all(ctx);
  if (ctx.drain_requested) report_drained(ctx);
}

void ServerCore::report_drained(ContextState& ctx) {
  if (ctx.drain_reported || !ctx.drain_requested) return;
  ctx.drain_reported = true;
  if (ctx.drain_timer) ctx.drain_timer->cancel();
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(drain_mutex);
    if (contexts_to_drain == 0 || --contexts_to_drain != 0) return;
    drain_state = DrainState::finished;
    callbacks.swap(drain_callbacks);
  }
  for (auto& done : callbacks) {
    try {
      if (done) done();
    } catch (...) {
      log("drain callback threw");
    }
  }
}

}  // namespace server_detail

// ---- Server ----------------------------------------------------------------------------------

using server_detail::accept_loop;
using server_detail::ServerCore;

Server::Server(std::vector<asio::io_context*> contexts, ServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(std::move(contexts), std::move(options), std::move(handler))) {}

Server::~Server() {
  stop();
  // Listened but never started: no handler of the context refers to it.
  for (auto& ctx : impl_->contexts)
    ctx->listened.reset();
}

Result<std::uint16_t> Server::listen() {
  auto& core = *impl_;
  const auto& options = core.options;
  std::uint16_t port = options.port;
  auto fail = [&](std::string_view what, const beast::error_code& ec) -> Error {
    for (auto& ctx : core.contexts)
      ctx->listened.reset();  // all or nothing
    return Error::make(ErrorKind::api_connection,
                       "cannot listen on " + options.host + ":" + std::to_string(port) + ": " +
                           std::string(what) + (ec ? ": " + ec.message() : std::string()));
  };
  if (core.contexts.empty()) return fail("no io_context given", {});
  for (auto& ctx : core.contexts) {
    if (ctx->listened || ctx->started) {
      return Error::make(ErrorKind::api_connection, "cannot listen: already listening");
    }
  }

  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    tcp::resolver resolver(*core.contexts.front()->ioc);
    auto results = resolver.resolve(options.host, "", ec);
    if (ec || results.empty()) return fail("cannot resolve host", ec);
    address = results.begin()->endpoint().address();
  }

  for (auto& ctx : core.contexts) {
    auto& acceptor = ctx->listened.emplace(*ctx->ioc);
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), ec);
    if (ec) return fail("open", ec);
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) return fail("SO_REUSEADDR", ec);
    // Only with several contexts: a lone listener must fail when the port is taken, not share it
    // silently with another process.
    if (core.contexts.size() > 1) {
      int one = 1;
      if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        return fail("SO_REUSEPORT", beast::error_code(errno, boost::system::system_category()));
      }
    }
    acceptor.bind(endpoint, ec);
    if (ec) return fail("bind", ec);
    acceptor.listen(options.backlog, ec);
    if (ec) return fail("listen", ec);
    if (port == 0) {
      port = acceptor.local_endpoint(ec).port();
      if (ec) return fail("local_endpoint", ec);
    }
  }
  core.port.store(port, std::memory_order_relaxed);
  return port;
}

void Server::start() {
  for (auto& ctx : impl_->contexts) {
    if (!ctx->listened) continue;
    ctx->started = true;
    auto acceptor = std::move(*ctx->listened);
    ctx->listened.reset();
    asio::co_spawn(*ctx->ioc, accept_loop(impl_, *ctx, std::move(acceptor)),
                   [raw = impl_.get()](const std::exception_ptr& e) {
                     if (e) raw->log("accept loop ended with an exception");
                   });
  }
}

void Server::drain(std::chrono::milliseconds bound, std::function<void()> done) {
  auto core = impl_;
  {
    std::unique_lock lock(core->drain_mutex);
    switch (core->drain_state) {
      case ServerCore::DrainState::finished:
        lock.unlock();
        if (done) done();
        return;
      case ServerCore::DrainState::running:
        core->drain_callbacks.push_back(std::move(done));
        return;
      case ServerCore::DrainState::idle:
        core->drain_callbacks.push_back(std::move(done));
        core->drain_state = ServerCore::DrainState::running;
        core->contexts_to_drain = core->contexts.size();
        break;
    }
  }
  if (core->contexts.empty()) {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(core->drain_mutex);
      core->drain_state = ServerCore::DrainState::finished;
      callbacks.swap(core->drain_callbacks);
    }
    for (auto& f : callbacks) {
      if (f) f();
    }
    return;
  }
  for (auto& ctx : core->contexts) {
    asio::post(*ctx->ioc, [core, c = ctx.get(), bound] { core->begin_drain(core, *c, bound); });
  }
}

void Server::stop() {
  auto core = impl_;
  for (auto& ctx : core->contexts) {
    asio::post(*ctx->ioc, [core, c = ctx.get()] { core->stop_context(*c); });
  }
}

std::uint16_t Server::port() const noexcept {
  return impl_->port.load(std::memory_order_relaxed);
}

ServerStats Server::stats() const noexcept {
  ServerStats s;
  for (const auto& ctx : impl_->contexts) {
    s.connections_accepted += ctx->accepted.load(std::memory_order_relaxed);
    s.requests += ctx->requests.load(std::memory_order_relaxed);
    s.active_connections += ctx->active_connections.load(std::memory_order_relaxed);
    s.active_requests += ctx->active_requests.load(std::memory_order_relaxed);
    s.bad_requests += ctx->bad_requests.load(std::memory_order_relaxed);
    s.timeouts += ctx->timeouts.load(std::memory_order_relaxed);
    s.client_gone += ctx->client_gone.load(std::memory_order_relaxed);
    s.handler_errors += ctx->handler_errors.load(std::memory_order_relaxed);
  }
  return s;
}

// ---- free functions --------------------------------------------------------------------------

ServerResponse make_json_response(unsigned status, std::string body, bool keep_alive) {
  ServerResponse res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  if (!status_has_no_body(status)) res.content_length(res.body().size());
  return res;
}

std::size_t ServerRequest::put(std::string_view in, boost::system::error_code& ec) {
  std::size_t used = 0;
  if (!parser_.header_done()) {
    used = parser_.put_head(in, ec);
    if (used == 0) return 0;
    method_ = bhttp::string_to_verb(parser_.method());
    // Room for a typical body at once; a longer one grows as its bytes arrive, so a head that
    // announces the body limit and sends nothing more does not take that much memory.
    if (const auto length = parser_.content_length()) {
      body_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, kBodyReserve)));
    }
    in.remove_prefix(used);
  }
  const auto length = parser_.content_length();
  while (!ec && !parser_.done() && !in.empty()) {
    // A decoded body is never longer than its encoding; with Content-Length, room for the rest
    // of the body only, so a pipelined request after it does not grow the string.
    const std::size_t at = body_.size();
    const std::size_t room =
        length ? static_cast<std::size_t>(std::min<std::uint64_t>(in.size(), *length - at))
               : in.size();
    body_.resize(at + room);
    const auto step = parser_.put_body(in, body_.data() + at, room, /*drain=*/true, ec);
    body_.resize(at + step.produced);
    used += step.used;
    in.remove_prefix(step.used);
    if (step.used == 0) break;
  }
  return used;
}

void ServerRequest::reset(std::size_t keep_capacity) noexcept {
  parser_.reset(keep_capacity);
  if (body_.capacity() > keep_capacity) {
    std::string().swap(body_);
  } else {
    body_.clear();
  }
  method_ = bhttp::verb::unknown;
}

ServerRequest make_server_request(const ServerOptions& options) {
  return ServerRequest(options.header_limit, static_cast<std::uint64_t>(options.body_limit));
}

std::size_t read_buffer_limit(const ServerOptions& options) noexcept {
  // Above header_limit, so an oversized header reports header_limit (431), not buffer_overflow.
  return options.header_limit + 8192;
}

unsigned status_for_read_error(const beast::error_code& ec) noexcept {
  if (!ec) return 0;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return 431;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category()) return 400;
  return 0;
}

}  // namespace litellm::http
