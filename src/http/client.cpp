#include "http/client.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include "core/ascii.hpp"
#include "core/env.hpp"
#include "http/client_detail.hpp"
#include "http/head.hpp"
#include "http/message_parser.hpp"
#include "http/write_now.hpp"

namespace litellm::http {

namespace {

namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using Steady = std::chrono::steady_clock;

// A request ready to send (see ClientCore::build_message).
struct Outgoing {
  bhttp::verb method = bhttp::verb::get;
  bool keep_alive = true;  // false when the caller sent "Connection: close"
  std::string head;
  std::string body;
};
using Parser = ResponseParser;
using std::chrono::milliseconds;

// Awaited operations: failures as values. The plain socket's reads (read_more_plain) are built
// with asio::deferred instead, which the coroutine awaits directly where use_awaitable first runs
// the initiation in a coroutine of its own; Beast's TLS stream does not take deferred (Boost
// 1.81), and where one expression must give one type for two streams this one stays.
constexpr auto kAwaitTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kReadBufferLimit = 1024 * 1024;  // headers are capped far below this
constexpr std::size_t kPieceSize = 16 * 1024;
constexpr std::string_view kUserAgent = "litellm-cpp/0.1";
constexpr std::chrono::milliseconds kLongestTimeout = std::chrono::hours(24 * 365);

Error connection_error(std::string message) {
  return Error::make(ErrorKind::api_connection, std::move(message));
}

std::string ms_text(milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

// ---- URL and proxy rules (pure) ---------------------------------------------------------------

namespace detail {

namespace {

Error bad_url(std::string message) {
  return Error::make(ErrorKind::bad_request, std::move(message));
}

bool valid_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
  });
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// True when `host` (an IP literal) lies in `cidr` ("10.0.0.0/8", "fd00::/8").
bool cidr_contains(std::string_view cidr, std::string_view host) {
  const auto slash = cidr.find('/');
  boost::system::error_code ec;
  const auto net = asio::ip::make_address(std::string(cidr.substr(0, slash)), ec);
  if (ec) return false;
  const auto addr = asio::ip::make_address(std::string(host), ec);
  if (ec || net.is_v4() != addr.is_v4()) return false;
  const std::string_view bits_text = cidr.substr(slash + 1);
  unsigned bits = 0;
  if (bits_text.empty() || bits_text.size() > 3) return false;
  for (char c : bits_text) {
    if (c < '0' || c > '9') return false;
    bits = bits * 10 + static_cast<unsigned>(c - '0');
  }
  const auto as_bytes = [](const asio::ip::address& a) {
    std::array<unsigned char, 16> out{};
    if (a.is_v4()) {
      const auto b = a.to_v4().to_bytes();
      std::copy(b.begin(), b.end(), out.begin());
    } else {
      out = a.to_v6().to_bytes();
    }
    return out;
  };
  const unsigned max_bits = net.is_v4() ? 32 : 128;
  if (bits > max_bits) return false;
  const auto a = as_bytes(net);
  const auto b = as_bytes(addr);
  for (unsigned i = 0; i < bits; ++i) {
    const unsigned mask = 0x80u >> (i % 8);
    if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
  }
  return true;
}

bool same_address(std::string_view x, std::string_view y) {
  boost::system::error_code ec1;
  boost::system::error_code ec2;
  const auto a = asio::ip::make_address(std::string(x), ec1);
  const auto b = asio::ip::make_address(std::string(y), ec2);
  return !ec1 && !ec2 && a == b;
}

bool entry_matches(std::string_view entry, const Target& target) {
  if (entry == "*") return true;
  if (entry.find('/') != std::string_view::npos) {
    return target.host_is_ip && cidr_contains(entry, target.host);
  }
  std::string_view host = entry;
  std::optional<std::uint16_t> port;
  if (entry.front() == '[') {  // "[::1]" or "[::1]:8080"
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return false;
    host = entry.substr(1, close - 1);
    const std::string_view rest = entry.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || !(port = parse_port(rest.substr(1)))) return false;
    }
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {  // "host:port"
    const auto colon = entry.find(':');
    host = entry.substr(0, colon);
    if (!(port = parse_port(entry.substr(colon + 1)))) return false;
  }
  if (port && *port != target.port) return false;
  if (target.host_is_ip) return same_address(host, target.host);
  if (host.starts_with("*.")) {
    host.remove_prefix(2);
  } else if (host.starts_with('.')) {
    host.remove_prefix(1);
  }
  if (host.empty()) return false;
  const std::string_view name = target.host;
  if (name == host) return true;
  return name.size() > host.size() && name.ends_with(host) &&
         name[name.size() - host.size() - 1] == '.';
}

}  // namespace

std::string Target::authority() const {
  std::string out;
  out.reserve(host.size() + 8);
  if (ipv6) out.push_back('[');
  out += host;
  if (ipv6) out.push_back(']');
  out.push_back(':');
  out += std::to_string(port);
  return out;
}

std::string Target::host_header() const {
  if (port == (tls ? 443 : 80)) return ipv6 ? "[" + host + "]" : host;
  return authority();
}

Result<Target> parse_target(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return bad_url("invalid URL: " + parsed.error().message());
  const boost::urls::url_view& u = *parsed;
  Target t;
  switch (u.scheme_id()) {
    case boost::urls::scheme::http:
      t.tls = false;
      break;
    case boost::urls::scheme::https:
      t.tls = true;
      break;
    default:
      return bad_url("unsupported URL scheme (only http and https are)");
  }
  switch (u.host_type()) {
    case boost::urls::host_type::name:
      t.host = core::ascii_lower(u.host_name());
      if (!valid_host_name(t.host)) return bad_url("invalid host name in URL");
      break;
    case boost::urls::host_type::ipv4:
      t.host = u.host_ipv4_address().to_string();
      t.host_is_ip = true;
      break;
    case boost::urls::host_type::ipv6:
      t.host = u.host_ipv6_address().to_string();
      t.host_is_ip = true;
      t.ipv6 = true;
      break;
    default:
      return bad_url("URL has no usable host");
  }
  if (u.has_port() && !u.port().empty()) {
    const auto port = parse_port(u.port());
    if (!port) return bad_url("invalid port in URL");
    t.port = *port;
  } else {
    t.port = t.tls ? 443 : 80;
  }
  t.target = std::string(u.encoded_target());
  if (t.target.empty() || t.target.front() != '/') t.target.insert(0, "/");
  if (u.has_userinfo()) {
    t.userinfo = u.user();
    if (u.has_password()) t.userinfo += ":" + u.password();
  }
  return t;
}

ProxyEnv proxy_env_from_environment() {
  const auto get = [](const char* lower, const char* upper) {
    if (auto v = core::getenv_opt(lower); v && !v->empty()) return *v;
    if (auto v = core::getenv_opt(upper); v) return *v;
    return std::string();
  };
  return ProxyEnv{get("http_proxy", "HTTP_PROXY"), get("https_proxy", "HTTPS_PROXY"),
                  get("no_proxy", "NO_PROXY")};
}

bool is_loopback_host(std::string_view host) {
  const std::string h = core::ascii_lower(host);
  if (h == "localhost" || h.ends_with(".localhost")) return true;
  boost::system::error_code ec;
  const auto a = asio::ip::make_address(h, ec);
  return !ec && a.is_loopback();
}

bool no_proxy_matches(std::string_view no_proxy, const Target& target) {
  std::size_t pos = 0;
  while (pos < no_proxy.size()) {
    std::size_t end = no_proxy.find_first_of(", \t", pos);
    if (end == std::string_view::npos) end = no_proxy.size();
    const std::string entry = core::ascii_lower(no_proxy.substr(pos, end - pos));
    pos = end + 1;
    if (!entry.empty() && entry_matches(entry, target)) return true;
  }
  return false;
}

std::string_view select_proxy(const ProxyEnv& env, const Target& target) {
  const std::string& proxy = target.tls ? env.https_proxy : env.http_proxy;
  if (proxy.empty() || is_loopback_host(target.host) || no_proxy_matches(env.no_proxy, target)) {
    return {};
  }
  return proxy;
}

Result<Target> parse_proxy(std::string_view url) {
  std::string with_scheme(url);
  if (url.find("://") == std::string_view::npos) with_scheme.insert(0, "http://");
  auto t = parse_target(with_scheme);
  if (!t) {
    return Error::make(ErrorKind::bad_request,
                       "proxy URL from the environment is invalid: " + t.error().message);
  }
  if (t->tls) {
    return Error::make(ErrorKind::bad_request,
                       "https:// proxies are not supported; use an http:// proxy (https targets "
                       "are tunnelled through it with CONNECT)");
  }
  return t;
}

std::string basic_auth(std::string_view userinfo) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "Basic ";
  std::size_t i = 0;
  for (; i + 2 < userinfo.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(userinfo[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(userinfo[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(userinfo[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < userinfo.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(userinfo[i])) << 16;
    const bool two = i + 1 < userinfo.size();
    if (two) n |= static_cast<unsigned>(static_cast<unsigned char>(userinfo[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += two ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace detail

// ---- connections ------------------------------------------------------------------------------

namespace {

/// Where a request goes: the origin, and the proxy in front of it if any.
struct Route {
  detail::Target target;
  std::optional<detail::Target> proxy;
  std::string proxy_auth;  // Proxy-Authorization value, or empty
  std::string key;         // pool key
  std::string host;        // the Host header of requests on this route, computed once

  const detail::Target& hop() const { return proxy ? *proxy : target; }
  // For error messages: host:port only, never the path, query or credentials.
  std::string where() const {
    std::string out = target.authority();
    if (proxy) out += " (via proxy " + proxy->authority() + ")";
    return out;
  }
};

using RoutePtr = std::shared_ptr<const Route>;

// The deadlines of reads on a client's plain connections. Beast's tcp_stream arms a timer for
// every operation and cancels it after (a timer-queue insert, a cancel and a completion per read).
// Here one timer per client serves every read in progress, and a deadline that only moves later
// needs no timer work: the timer waits for the earliest deadline it was armed with; when it fires
// it cancels the reads past theirs and waits for the earliest of the rest. Under load some read is
// always in progress and the timer is touched about once per timeout; a client with nothing in
// progress cancels it, so an idle io_context has no work left and its run() returns.
class Watchdog {
  struct State;

 public:
  // One read in progress, linked into its client's list. Lives in its connection.
  class Entry {
   public:
    Entry() = default;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    ~Entry() { unlink(); }

   private:
    friend class Watchdog;
    void unlink() {
      if (owner == nullptr) return;
      (prev != nullptr ? prev->next : owner->head) = next;
      if (next != nullptr) next->prev = prev;
      owner = nullptr;
      prev = next = nullptr;
    }
    State* owner = nullptr;  // set while linked
    Entry* prev = nullptr;
    Entry* next = nullptr;
    tcp::socket* socket = nullptr;
    Steady::time_point deadline{};
    bool fired = false;
  };

  explicit Watchdog(const asio::any_io_executor& ex) : state_(std::make_shared<State>(ex)) {}
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  // A pending wait holds the state, not the client: when it runs it finds nothing to watch.
  ~Watchdog() {
    while (state_->head != nullptr)
      state_->head->unlink();
    disarm(*state_);
  }

  // Watches the read about to start on `socket`: past `deadline` it is cancelled.
  void start(Entry& e, tcp::socket& socket, Steady::time_point deadline) {
    State& s = *state_;
    e.socket = &socket;
    e.deadline = deadline;
    e.fired = false;
    if (e.owner == nullptr) {
      e.owner = &s;
      e.next = s.head;
      if (s.head != nullptr) s.head->prev = &e;
      s.head = &e;
    }
    if (!s.armed || deadline < s.armed_at) arm(state_, deadline);
  }

  // The read ended. True if its deadline cancelled it (the operation_aborted it returned is a
  // timeout, not the caller's cancellation).
  bool stop(Entry& e) {
    e.unlink();
    if (state_->head == nullptr) disarm(*state_);
    return std::exchange(e.fired, false);
  }

 private:
  static constexpr Steady::time_point kNone = Steady::time_point::max();

  struct State {
    explicit State(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    Entry* head = nullptr;
    Steady::time_point armed_at{};
    std::uint32_t generation = 0;  // a wait cancelled or replaced ends without effect
    bool armed = false;
  };

  static void arm(const std::shared_ptr<State>& state, Steady::time_point at) {
    State& s = *state;
    s.armed = true;
    s.armed_at = at;
    s.timer.expires_at(at);
    s.timer.async_wait([state, generation = ++s.generation](const beast::error_code&) {
      on_timer(state, generation);
    });
  }

  static void disarm(State& s) {
    if (!s.armed) return;
    s.armed = false;
    ++s.generation;
    s.timer.cancel();
  }

  static void on_timer(const std::shared_ptr<State>& state, std::uint32_t generation) {
    State& s = *state;
    if (generation != s.generation) return;
    s.armed = false;
    const auto now = Steady::now();
    Steady::time_point next = kNone;
    for (Entry* e = s.head; e != nullptr; e = e->next) {
      if (e->fired) continue;
      if (e->deadline <= now) {
        e->fired = true;
        beast::error_code ignored;
        e->socket->cancel(ignored);
      } else {
        next = std::min(next, e->deadline);
      }
    }
    if (next != kNone) arm(state, next);
  }

  std::shared_ptr<State> state_;
};

struct Connection {
  // Beast reads at most the buffer's free capacity (512 bytes when empty): without room up front
  // a streamed answer arrived one 512-byte read, and one scheduler round trip, at a time.
  Connection(const asio::any_io_executor& ex, Watchdog& client_watchdog)
      : plain(ex), watchdog(client_watchdog) {
    buffer.reserve(kPieceSize);
  }

  std::optional<beast::tcp_stream> plain;  // empty once moved under `tls`
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer{kReadBufferLimit};  // kept across requests: no reallocation
  std::optional<Parser> parser;                 // the response being read
  std::vector<char> piece;                      // streamed body pieces land here
  core::Clock::time_point idle_since{};
  std::string key;
  Watchdog& watchdog;       // the client's: one timer for the reads of all its connections
  Watchdog::Entry watched;  // linked while a read is in progress

  beast::tcp_stream& tcp() { return tls ? tls->next_layer() : *plain; }

  // Runs `f` on the stream the bytes travel through; both branches yield the same awaitable.
  template <class F>
  auto visit(F&& f) {
    if (tls) return f(*tls);
    return f(*plain);
  }

  void close() noexcept {
    beast::error_code ec;
    auto& socket = tcp().socket();
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }
};

// A connection idle for less than this is reused without the peek below: servers close idle
// connections after seconds (uvicorn 5 s, nginx 75 s), so under load the peek's syscall on every
// request would almost never find anything, and the resend after a failed write covers a race.
constexpr std::chrono::milliseconds kTrustIdleFor{1000};

// A pooled connection the server may have closed while it sat idle. A peek costs one syscall and
// saves a doomed write (and the retry) in the common case; the retry still covers the race.
bool looks_alive(Connection& c, core::Clock::duration idle_for) {
  if (c.buffer.size() != 0) return false;
  auto& socket = c.tcp().socket();
  if (!socket.is_open()) return false;
  if (idle_for < kTrustIdleFor) return true;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;  // orderly close by the server
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  // Unsolicited bytes: on plain HTTP a stray answer (e.g. a 408 before closing); on TLS they may
  // be a session ticket, which is harmless.
  return c.tls.has_value();
}

// Errors meaning "the connection was already dead": safe to resend when nothing was answered.
bool is_stale_error(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::error::not_connected ||
         ec == ssl::error::stream_truncated;
}

struct Timing {
  std::optional<Steady::time_point> deadline;  // send(): one deadline for the whole exchange
  milliseconds budget{0};                      // reported in messages; the silence for streams

  // The deadline of the read about to start.
  Steady::time_point next() const { return deadline ? *deadline : Steady::now() + budget; }
};

Error io_error(const Route& route, std::string_view doing, const beast::error_code& ec,
               milliseconds budget, std::size_t body_limit) {
  const std::string where = route.where();
  if (ec == beast::error::timeout) {
    return Error::make(ErrorKind::timeout, "request to " + where + " timed out after " +
                                               ms_text(budget) + " (" + std::string(doing) + ")");
  }
  if (ec == asio::error::operation_aborted) {
    return connection_error("request to " + where + " was cancelled");
  }
  if (ec == bhttp::error::body_limit) {
    return connection_error("response body too large (limit " + std::to_string(body_limit) +
                            " bytes) from " + where);
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return connection_error("response header too large from " + where);
  }
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
      ec == ssl::error::stream_truncated) {
    return connection_error("connection to " + where + " closed by the server while " +
                            std::string(doing));
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
    return connection_error("malformed response from " + where + ": " + ec.message());
  }
  return connection_error("connection to " + where + " failed while " + std::string(doing) + ": " +
                          ec.message());
}

// What one read of the plain socket gave: the value a deferred read completes with (an error
// code as a completion's first argument would make co_await throw it).
struct ReadDone {
  beast::error_code ec;
};

// Reads once into c.buffer from the plain socket, under the connection's watchdog: whatever the
// socket has, waiting until something arrives. A deferred operation, awaited in the caller's own
// frame: as a coroutine of its own it was one more frame per read. `room` > 0.
auto read_more_plain(Connection& c, std::size_t room, Steady::time_point deadline) {
  tcp::socket& socket = c.plain->socket();
  c.watchdog.start(c.watched, socket, deadline);
  return socket.async_read_some(c.buffer.prepare(room), asio::deferred)(
      asio::deferred([&c](beast::error_code ec, std::size_t n) {
        if (c.watchdog.stop(c.watched) && ec == asio::error::operation_aborted)
          ec = beast::error::timeout;
        c.buffer.commit(n);
        return asio::deferred.values(ReadDone{ec});
      }));
}

// The same through TLS, which goes through its stream (and its timer).
asio::awaitable<beast::error_code> read_more_tls(Connection& c, std::size_t room,
                                                 Steady::time_point deadline) {
  c.tcp().expires_at(deadline);
  auto [ec, n] = co_await c.tls->async_read_some(c.buffer.prepare(room), kAwaitTuple);
  c.buffer.commit(n);
  co_return ec;
}

// How much one read may add to c.buffer (0: the buffer is full, a head beyond its limit).
std::size_t read_room(const Connection& c) {
  return beast::read_size(c.buffer, 65536);
}

// The end of the input, as Beast's reads take it: the end of a body that runs to the close, an
// error inside a message, and end_of_stream before a message's first byte (a pooled connection the
// server closed).
void end_of_input(Parser& p, beast::error_code& ec) {
  if (!p.got_some()) {
    ec = bhttp::error::end_of_stream;
    return;
  }
  ec = {};
  p.put_eof(ec);
}

// The bytes received and not parsed yet.
std::string_view buffered(const Connection& c) {
  const auto data = c.buffer.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

// Reads until `p` has the response header; body bytes that came with it stay in c.buffer.
asio::awaitable<beast::error_code> read_header(Connection& c, Parser& p,
                                               Steady::time_point deadline) {
  for (;;) {
    beast::error_code ec;
    if (c.buffer.size() > 0) {
      const std::size_t used = p.put_head(buffered(c), ec);
      if (ec) co_return ec;
      if (used > 0) {
        c.buffer.consume(used);
        co_return ec;
      }
    }
    // Reads once (read_more_plain or read_more_tls; the same branch is in read_body_some).
    if (const std::size_t room = read_room(c); room == 0) {
      ec = bhttp::error::buffer_overflow;
    } else if (c.tls) {
      ec = co_await read_more_tls(c, room, deadline);
    } else {
      ec = (co_await read_more_plain(c, room, deadline)).ec;
    }
    if (ec == asio::error::eof) end_of_input(p, ec);
    if (ec) co_return ec;
  }
}

// Decodes body bytes already in c.buffer into [data + got, data + size). True when that gave the
// caller something (body bytes, the end of the message, or an error in `ec`); false when more
// must be read. Without `drain`, stops after the first chunk that produced bytes.
bool parse_buffered(Connection& c, Parser& p, char* data, std::size_t size, std::size_t& got,
                    bool drain, beast::error_code& ec) {
  const auto step = p.put_body(buffered(c), data + got, size - got, drain, ec);
  c.buffer.consume(step.used);
  got += step.produced;
  return ec || p.done() || step.produced > 0;
}

// Reads body bytes into [data, data + size); returns how many arrived. Whatever one socket read
// brought is returned at once: nothing waits for the buffer to fill. Without `drain`, only the
// first chunk of a chunked body is returned even when more are buffered (a stream's first event
// should not wait for the rest to be decoded).
asio::awaitable<std::pair<beast::error_code, std::size_t>> read_body_some(Connection& c, char* data,
                                                                          std::size_t size,
                                                                          const Timing& timing,
                                                                          bool drain = true) {
  Parser& p = *c.parser;
  beast::error_code ec;
  std::size_t got = 0;
  // What arrived with the header (all of a small answer) is parsed here: a read would hand it
  // over only after a trip through the scheduler.
  if (c.buffer.size() > 0 && parse_buffered(c, p, data, size, got, drain, ec)) {
    co_return std::pair{ec, got};
  }
  if (const std::size_t room = read_room(c); room == 0) {
    ec = bhttp::error::buffer_overflow;
  } else if (c.tls) {
    ec = co_await read_more_tls(c, room, timing.next());
  } else {
    ec = (co_await read_more_plain(c, room, timing.next())).ec;
  }
  // A TLS peer that closes without close_notify ends a close-delimited body like a plain EOF.
  if (ec == asio::error::eof || (ec == ssl::error::stream_truncated && p.need_eof())) {
    end_of_input(p, ec);
  }
  if (!ec && c.buffer.size() > 0) parse_buffered(c, p, data, size, got, drain, ec);
  co_return std::pair{ec, got};
}

// Appends the rest of the body to `out`, reading straight into the string.
asio::awaitable<beast::error_code> read_body_all(Connection& c, std::string& out, std::size_t limit,
                                                 const Timing& timing) {
  Parser& p = *c.parser;
  std::size_t filled = out.size();
  // Sized once when the length is known: `out` may already hold the body's start (send()).
  if (const auto length = p.content_length(); length && *length <= limit && *length > filled) {
    out.resize(static_cast<std::size_t>(*length));
  }
  while (!p.done()) {
    if (filled == out.size()) {
      // Geometric growth, capped by the limit (the parser rejects anything beyond it).
      const std::size_t grow = std::max(kPieceSize, filled);
      const std::size_t cap = limit > filled ? limit : filled + 1;
      out.resize(std::min(filled + grow, cap));
    }
    auto [ec, got] = co_await read_body_some(c, out.data() + filled, out.size() - filled, timing);
    filled += got;
    if (ec) {
      out.resize(filled);
      co_return ec;
    }
  }
  out.resize(filled);
  co_return beast::error_code{};
}

// Decodes what c.buffer holds of the body into `out` without a coroutine: all of a small answer
// arrives with its header, and then read_body_all's two coroutine frames (and their allocations)
// would only copy it. True when the body is complete or `ec` has an error; otherwise `out` holds
// the body's start and read_body_all goes on from there.
bool body_from_buffer(Connection& c, std::string& out, beast::error_code& ec) {
  Parser& p = *c.parser;
  if (p.done() || c.buffer.size() == 0) return p.done();
  out.resize(c.buffer.size());  // decoding never makes a body longer than its bytes
  std::size_t got = 0;
  parse_buffered(c, p, out.data(), out.size(), got, /*drain=*/true, ec);
  out.resize(got);
  return ec || p.done();
}

struct ToTerminal {
  asio::cancellation_type operator()(asio::cancellation_type t) const noexcept {
    return t == asio::cancellation_type::none ? asio::cancellation_type::none
                                              : asio::cancellation_type::terminal;
  }
};

// Public entry points: cancellation of any type, no exception escapes, the owner stays alive.
template <class T>
asio::awaitable<Result<T>> guarded(std::shared_ptr<void> keep_alive,
                                   asio::awaitable<Result<T>> op) {
  (void)keep_alive;
  const asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) {
    co_return connection_error("request was cancelled before it started");
  }
  // Socket and TLS operations honour only terminal cancellation, while a caller may emit total
  // (the listener does). Let every type in, and hand it on as terminal: the connection of an
  // aborted request is closed anyway. Inline rather than a helper coroutine: one frame fewer.
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation(),
                                                     ToTerminal{});
  try {
    co_return co_await std::move(op);
  } catch (const boost::system::system_error& e) {
    if (e.code() == asio::error::operation_aborted) {
      co_return connection_error("request was cancelled");
    }
    co_return connection_error(std::string("HTTP client failure: ") + e.what());
  } catch (const std::exception& e) {
    co_return connection_error(std::string("HTTP client failure: ") + e.what());
  }
}

// RFC 9110 token characters, as a table: this runs over every header of every request, and a
// call to isalnum() plus a search of the specials per character cost more than the rest of
// building the head.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c)
    t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return kTokenChars[static_cast<unsigned char>(c)];
  });
}

bool valid_header_value(std::string_view value) {
  // Three vectorised scans beat one byte loop testing three values (an API key is ~40 bytes).
  const auto has = [value](char c) {
    return std::memchr(value.data(), c, value.size()) != nullptr;
  };
  return value.empty() || (!has('\r') && !has('\n') && !has('\0'));
}

struct Opened {
  std::unique_ptr<Connection> conn;
  unsigned status = 0;
  ResponseFields headers;
};

}  // namespace

// ---- the client -------------------------------------------------------------------------------

namespace {

// The client's state and logic. Client::Impl (declared in the header) derives from it so the
// stream class below can name it.
class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  struct ProxyChoice {
    std::optional<detail::Target> target;
    std::string auth;
    std::optional<Error> error;
  };

  ClientCore(asio::any_io_executor ex, ClientOptions opts)
      : executor(std::move(ex)),
        options(std::move(opts)),
        clock(options.clock != nullptr ? *options.clock : core::SystemClock::instance()) {
    if (options.use_env_proxy) {
      proxy_env = detail::proxy_env_from_environment();
      http_proxy = make_choice(proxy_env.http_proxy);
      https_proxy = make_choice(proxy_env.https_proxy);
    }
  }

  static ProxyChoice make_choice(const std::string& url) {
    ProxyChoice c;
    if (url.empty()) return c;
    auto t = detail::parse_proxy(url);
    if (!t) {
      c.error = t.error();
      return c;
    }
    if (!t->userinfo.empty()) c.auth = detail::basic_auth(t->userinfo);
    c.target = std::move(*t);
    return c;
  }

  // A gateway sends every request of a deployment to the same few URLs: parsing each one once
  // (Boost.URL, proxy rules) instead of per request is a measurable part of the hot path.
  // Shared, not copied: a Route is a handful of strings, and every request needs one.
  Result<RoutePtr> route_for(std::string_view url) const {
    if (auto it = route_cache_.find(url); it != route_cache_.end()) return it->second;
    auto r = compute_route(url);
    if (!r) return std::move(r).error();
    auto route = std::make_shared<const Route>(std::move(*r));
    if (route_cache_.size() >= 256) route_cache_.clear();  // bounded; rebuilt on demand
    route_cache_.emplace(std::string(url), route);
    return route;
  }

  Result<Route> compute_route(std::string_view url) const {
    auto target = detail::parse_target(url);
    if (!target) return target.error();
    Route r;
    r.target = std::move(*target);
    r.key = r.target.tls ? "https://" : "http://";
    r.key += r.target.authority();
    r.host = r.target.host_header();
    if (!detail::select_proxy(proxy_env, r.target).empty()) {
      const ProxyChoice& choice = r.target.tls ? https_proxy : http_proxy;
      if (choice.error) return *choice.error;
      r.proxy = choice.target;
      r.proxy_auth = choice.auth;
      if (r.target.tls) {
        r.key += " via " + r.proxy->authority();
      } else {
        // Plain requests go to the proxy in absolute form: one pool for every origin.
        r.key = "proxy " + r.proxy->authority();
      }
    }
    return r;
  }

  // The request as it goes on the wire: the head is written straight into one string (no
  // per-field allocation, no Beast serializer walk) and sent with the body in one gather write.
  static Result<Outgoing> build_message(ClientRequest& req, const Route& route) {
    if (req.method == bhttp::verb::unknown) {
      return Error::make(ErrorKind::bad_request, "unknown HTTP method");
    }
    Outgoing out;
    out.method = req.method;
    std::string& h = out.head;
    h.reserve(256 + route.target.target.size());
    const auto method = bhttp::to_string(req.method);
    h.append(method.data(), method.size());
    h += ' ';
    if (route.proxy && !route.target.tls) {
      h += "http://";
      h += route.host;
    }
    h += route.target.target;
    h += " HTTP/1.1\r\n";
    bool has_host = false;
    bool has_agent = false;
    for (const auto& [name, value] : req.headers) {
      if (!valid_header_name(name)) {
        return Error::make(ErrorKind::bad_request, "request header name is not an HTTP token");
      }
      if (!valid_header_value(value)) {
        // The value may be a secret: name the header only.
        return Error::make(ErrorKind::bad_request,
                           "value of request header '" + name + "' contains CR, LF or NUL");
      }
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding")) {
        continue;  // framing is ours to decide
      }
      has_host = has_host || beast::iequals(name, "host");
      has_agent = has_agent || beast::iequals(name, "user-agent");
      if (beast::iequals(name, "connection")) {
        for (const auto& token : bhttp::token_list(value)) {
          if (beast::iequals(token, "close")) out.keep_alive = false;
        }
      }
      append_checked_field(h, name, value);  // validated above
    }
    // A host name passed parse_target's check; the rest are ours.
    if (!has_host) append_checked_field(h, "Host", route.host);
    if (!has_agent) append_checked_field(h, "User-Agent", kUserAgent);
    if (route.proxy && !route.target.tls && !route.proxy_auth.empty()) {
      append_checked_field(h, "Proxy-Authorization", route.proxy_auth);
    }
    // As Beast's prepare_payload: a length whenever there is a body, and for the methods that
    // expect one even when it is empty.
    if (!req.body.empty() || req.method == bhttp::verb::post || req.method == bhttp::verb::put ||
        req.method == bhttp::verb::options) {
      char digits[24];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, req.body.size());
      static_cast<void>(ec);  // 24 characters hold any size
      append_checked_field(h, "Content-Length",
                           std::string_view(digits, static_cast<std::size_t>(end - digits)));
    }
    h += "\r\n";
    out.body = std::move(req.body);
    return out;
  }

  // ---- pool ----

  bool expired(const Connection& c, core::Clock::time_point now) const {
    return now - c.idle_since > options.idle_ttl;
  }

  void sweep(core::Clock::time_point now) {
    if (now < next_sweep) return;
    next_sweep = now + std::min<core::Clock::duration>(options.idle_ttl, std::chrono::seconds(1));
    for (auto it = pools.begin(); it != pools.end();) {
      auto& idle = it->second;
      while (!idle.empty() && expired(*idle.front(), now))
        idle.pop_front();
      if (idle.empty()) {
        it = pools.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    const auto now = clock.now();
    sweep(now);
    auto it = pools.find(key);
    if (it == pools.end()) return nullptr;
    auto& idle = it->second;
    std::unique_ptr<Connection> found;
    while (!idle.empty()) {
      auto c = std::move(idle.back());  // most recent first: the warmest, least likely closed
      idle.pop_back();
      if (expired(*c, now)) {
        idle.clear();  // the rest are older still
        break;
      }
      if (looks_alive(*c, now - c->idle_since)) {
        found = std::move(c);
        break;
      }
    }
    // An empty pool stays (sweep() drops it): under load the next release() would otherwise
    // allocate its map node, key and deque again.
    return found;
  }

  void release(std::unique_ptr<Connection> c) {
    if (options.max_idle_per_host == 0) return;
    c->parser.reset();
    c->tcp().expires_never();
    const auto now = clock.now();
    c->idle_since = now;
    auto& idle = pools[c->key];
    while (idle.size() >= options.max_idle_per_host)
      idle.pop_front();
    idle.push_back(std::move(c));
    sweep(now);
  }

  // ---- connecting ----

  ssl::context* tls_context() {
    if (tls_ctx) return &*tls_ctx;
    if (tls_ctx_error) return nullptr;
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    // Idle pooled connections then hold no TLS record buffers.
    SSL_CTX_set_mode(ctx.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    beast::error_code ec;
    if (options.verify_peer) {
      ctx.set_verify_mode(ssl::verify_peer, ec);
      ctx.set_default_verify_paths(ec);  // a machine without a store can still use ca_file
      if (!options.ca_file.empty()) {
        ctx.load_verify_file(options.ca_file, ec);
        if (ec) {
          tls_ctx_error =
              connection_error("cannot load CA file '" + options.ca_file + "': " + ec.message());
          return nullptr;
        }
      }
    } else {
      ctx.set_verify_mode(ssl::verify_none, ec);
    }
    tls_ctx.emplace(std::move(ctx));
    return &*tls_ctx;
  }

  asio::awaitable<Result<tcp::resolver::results_type>> resolve(const Route& route,
                                                               Steady::time_point deadline,
                                                               milliseconds budget) {
    // The resolver ignores per-operation cancellation and timers: both go through cancel(), on
    // state that outlives this frame in case the timer fires as the answer arrives.
    struct State {
      explicit State(const asio::any_io_executor& ex) : resolver(ex) {}
      tcp::resolver resolver;
      bool timed_out = false;
    };
    auto state = std::make_shared<State>(executor);
    asio::steady_timer timer(executor, deadline);
    timer.async_wait([weak = std::weak_ptr<State>(state)](const beast::error_code& ec) {
      if (ec) return;
      if (auto s = weak.lock()) {
        s->timed_out = true;
        s->resolver.cancel();
      }
    });
    asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
    if (cs.slot().is_connected()) {
      cs.slot().assign([state](asio::cancellation_type) { state->resolver.cancel(); });
    }
    const detail::Target& hop = route.hop();
    auto [ec, results] =
        co_await state->resolver.async_resolve(hop.host, std::to_string(hop.port), kAwaitTuple);
    timer.cancel();
    if (ec) {
      if (state->timed_out) {
        co_return Error::make(ErrorKind::timeout,
                              "resolving " + hop.host + " timed out after " + ms_text(budget));
      }
      if (ec == asio::error::operation_aborted) {
        co_return connection_error("request to " + route.where() + " was cancelled");
      }
      co_return connection_error("cannot resolve host " + hop.host + ": " + ec.message());
    }
    co_return results;
  }

  asio::awaitable<Result<void>> tunnel(Connection& c, const Route& route,
                                       Steady::time_point deadline, milliseconds budget) {
    const std::string authority = route.target.authority();
    bhttp::request<bhttp::empty_body> req{bhttp::verb::connect, authority, 11};
    req.set(bhttp::field::host, authority);
    if (!route.proxy_auth.empty()) req.set(bhttp::field::proxy_authorization, route.proxy_auth);
    beast::tcp_stream& plain = *c.plain;
    plain.expires_at(deadline);
    auto [wec, wn] = co_await bhttp::async_write(plain, req, kAwaitTuple);
    if (wec) co_return io_error(route, "opening the proxy tunnel", wec, budget, 0);
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a CONNECT answer has no body
    parser.header_limit(kHeaderLimit);
    auto [rec, rn] = co_await bhttp::async_read_header(plain, c.buffer, parser, kAwaitTuple);
    if (rec) co_return io_error(route, "opening the proxy tunnel", rec, budget, 0);
    const unsigned status = parser.get().result_int();
    if (status / 100 != 2) {
      co_return connection_error("proxy " + route.proxy->authority() + " refused the tunnel to " +
                                 authority + ": HTTP " + std::to_string(status));
    }
    if (c.buffer.size() != 0) {
      co_return connection_error("proxy " + route.proxy->authority() +
                                 " sent unexpected bytes after accepting the tunnel");
    }
    co_return Result<void>{};
  }

  asio::awaitable<Result<void>> handshake(Connection& c, const Route& route,
                                          Steady::time_point deadline, milliseconds budget) {
    ssl::context* ctx = tls_context();
    if (ctx == nullptr) co_return *tls_ctx_error;
    c.tls.emplace(std::move(*c.plain), *ctx);
    c.plain.reset();
    SSL* handle = c.tls->native_handle();
    const detail::Target& t = route.target;
    // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's IPs.
    if (!t.host_is_ip && SSL_set_tlsext_host_name(handle, t.host.c_str()) != 1) {
      co_return connection_error("cannot set TLS server name for " + route.where());
    }
    if (options.verify_peer) {
      const int ok = t.host_is_ip
                         ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), t.host.c_str())
                         : SSL_set1_host(handle, t.host.c_str());
      if (ok != 1) co_return connection_error("cannot verify host name " + t.host);
    }
    c.tcp().expires_at(deadline);
    auto [ec] = co_await c.tls->async_handshake(ssl::stream_base::client, kAwaitTuple);
    if (ec) {
      if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
        co_return io_error(route, "doing the TLS handshake", ec, budget, 0);
      }
      std::string message = "TLS handshake with " + route.where() + " failed: " + ec.message();
      const long verify = SSL_get_verify_result(handle);
      if (verify != X509_V_OK) {
        message += " (";
        message += X509_verify_cert_error_string(verify);
        message += ")";
      }
      co_return connection_error(std::move(message));
    }
    co_return Result<void>{};
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(const Route& route,
                                                               const ClientRequest& req,
                                                               Steady::time_point deadline) {
    const auto now = Steady::now();
    const auto cdeadline = std::min(deadline, now + req.connect_timeout);
    const auto budget = std::chrono::duration_cast<milliseconds>(cdeadline - now);
    // A bad CA file fails before any socket is opened.
    if (route.target.tls && tls_context() == nullptr) co_return *tls_ctx_error;
    const detail::Target& hop = route.hop();
    auto conn = std::make_unique<Connection>(executor, watchdog);
    conn->key = route.key;
    beast::tcp_stream& plain = *conn->plain;
    beast::error_code ec;
    if (hop.host_is_ip) {
      const tcp::endpoint endpoint(asio::ip::make_address(hop.host, ec), hop.port);
      if (ec) co_return connection_error("invalid address " + hop.host);
      plain.expires_at(cdeadline);
      std::tie(ec) = co_await plain.async_connect(endpoint, kAwaitTuple);
    } else {
      auto resolved = co_await resolve(route, cdeadline, budget);
      if (!resolved) co_return std::move(resolved).error();
      plain.expires_at(cdeadline);
      auto [cec, endpoint] = co_await plain.async_connect(*resolved, kAwaitTuple);
      ec = cec;
    }
    if (ec) {
      if (ec == beast::error::timeout) {
        co_return Error::make(ErrorKind::timeout, "connecting to " + hop.authority() +
                                                      " timed out after " + ms_text(budget));
      }
      if (ec == asio::error::operation_aborted) {
        co_return connection_error("request to " + route.where() + " was cancelled");
      }
      co_return connection_error("cannot connect to " +
                                 (route.proxy ? "proxy " + hop.authority() : hop.authority()) +
                                 ": " + ec.message());
    }
    plain.socket().set_option(tcp::no_delay(true), ec);
    if (route.proxy && route.target.tls) {
      auto r = co_await tunnel(*conn, route, cdeadline, budget);
      if (!r) co_return std::move(r).error();
    }
    if (route.target.tls) {
      auto r = co_await handshake(*conn, route, cdeadline, budget);
      if (!r) co_return std::move(r).error();
    }
    co_return std::move(conn);
  }

  // Sends the request and reads the response header, on a pooled connection when one is idle.
  asio::awaitable<Result<Opened>> start(const Route& route, const Outgoing& msg,
                                        const ClientRequest& req, Steady::time_point deadline) {
    // Attempt 1 is always on a fresh connection, so there are at most two.
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Connection> conn;
      if (attempt == 0) conn = take_idle(route.key);
      const bool reused = conn != nullptr;
      if (reused) {
        ++stats.connections_reused;
      } else {
        auto fresh = co_await connect(route, req, deadline);
        if (!fresh) co_return std::move(fresh).error();
        conn = std::move(*fresh);
        ++stats.connections_opened;
      }
      Connection& c = *conn;
      const std::array<asio::const_buffer, 2> wire{asio::buffer(msg.head), asio::buffer(msg.body)};
      // Plain HTTP: what the socket takes now leaves in one synchronous send (write_now.hpp).
      beast::error_code wec;
      const std::size_t sent = c.tls ? 0 : write_now(c.tcp().socket(), wire, wec);
      if (!wec && sent < asio::buffer_size(wire)) {
        beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(wire);
        rest.consume(sent);
        c.tcp().expires_at(deadline);
        std::tie(wec, std::ignore) =
            co_await c.visit([&](auto& s) { return asio::async_write(s, rest, kAwaitTuple); });
      }
      if (wec) {
        if (reused && is_stale_error(wec)) {
          ++stats.stale_retries;
          continue;
        }
        co_return io_error(route, "sending the request", wec, req.timeout, req.body_limit);
      }
      bool answered = false;  // any response byte seen, interim answers included
      beast::error_code rec;
      for (;;) {
        Parser& p = c.parser.emplace(kHeaderLimit, req.body_limit, msg.method == bhttp::verb::head);
        const auto ec = co_await read_header(c, p, deadline);
        answered = answered || p.got_some();
        if (ec) {
          rec = ec;
          break;
        }
        const unsigned status = p.status();
        if (status >= 100 && status < 200 && status != 101) continue;  // e.g. 103 Early Hints
        Opened opened;
        opened.status = status;
        opened.headers = std::move(p.fields());
        opened.conn = std::move(conn);
        co_return opened;
      }
      // Resending is safe only when the server closed without answering: it never read the
      // request (it closed an idle connection as we reused it).
      if (reused && !answered && c.buffer.size() == 0 && is_stale_error(rec)) {
        ++stats.stale_retries;
        continue;
      }
      co_return io_error(route, "reading the response", rec, req.timeout, req.body_limit);
    }
    co_return connection_error("request to " + route.where() + " failed twice");
  }

  struct Exchange {
    RoutePtr route;
    Outgoing msg;
    Opened opened;
    Steady::time_point deadline;
  };

  // The synchronous half of begin(): route, message and deadline.
  bool prepare(ClientRequest& req, Exchange& ex, Error& error) const {
    // "Forever" (milliseconds::max()) would overflow the clock's arithmetic.
    req.timeout = std::clamp(req.timeout, milliseconds(0), kLongestTimeout);
    req.connect_timeout = std::clamp(req.connect_timeout, milliseconds(0), kLongestTimeout);
    auto route = route_for(req.url);
    if (!route) {
      error = std::move(route).error();
      return false;
    }
    ex.route = std::move(*route);
    auto msg = build_message(req, *ex.route);
    if (!msg) {
      error = std::move(msg).error();
      return false;
    }
    ex.msg = std::move(*msg);
    ex.deadline = Steady::now() + req.timeout;
    return true;
  }

  // What send() and open() share: route, message, and a connection with the response header.
  // Filled through parameters (`out` gets the error), the coroutines' frames small: GCC gives
  // every local of a coroutine a slot in its frame, and asio recycles frames only up to ~1 KB.
  template <class T>
  asio::awaitable<bool> begin(ClientRequest& req, Exchange& ex, Result<T>& out) {
    ++stats.requests;
    Error error;
    if (!prepare(req, ex, error)) {
      out = std::move(error);
      co_return false;
    }
    auto opened = co_await start(*ex.route, ex.msg, req, ex.deadline);
    if (!opened) {
      out = std::move(opened).error();
      co_return false;
    }
    ex.opened = std::move(*opened);
    co_return true;
  }

  asio::awaitable<Result<ClientResponse>> send(ClientRequest req) {
    Exchange ex;
    Result<ClientResponse> out = ClientResponse{};
    if (co_await begin(req, ex, out)) {
      Connection& c = *ex.opened.conn;
      out->status = ex.opened.status;
      out->headers = std::move(ex.opened.headers);
      beast::error_code ec;
      if (!body_from_buffer(c, out->body, ec)) {
        ec = co_await read_body_all(c, out->body, req.body_limit, Timing{ex.deadline, req.timeout});
      }
      if (ec) {
        out = io_error(*ex.route, "reading the response", ec, req.timeout, req.body_limit);
      } else if (c.parser->keep_alive() && ex.msg.keep_alive && c.buffer.size() == 0) {
        release(std::move(ex.opened.conn));
      }
    }
    co_return out;
  }

  asio::awaitable<Result<std::unique_ptr<ResponseStream>>> open(ClientRequest req);

  asio::any_io_executor executor;
  ClientOptions options;
  const core::Clock& clock;
  detail::ProxyEnv proxy_env;
  ProxyChoice http_proxy;
  ProxyChoice https_proxy;
  std::optional<ssl::context> tls_ctx;  // built on first https use (loading the store costs ms)
  std::optional<Error> tls_ctx_error;
  Watchdog watchdog{executor};  // outlives the connections below
  // Declared after tls_ctx: pooled TLS connections must go first.
  std::unordered_map<std::string, std::deque<std::unique_ptr<Connection>>> pools;
  core::Clock::time_point next_sweep{};
  ClientStats stats;
  mutable std::map<std::string, RoutePtr, std::less<>> route_cache_;  // url -> parsed route
};

class StreamImpl final : public ResponseStream {
 public:
  StreamImpl(std::shared_ptr<ClientCore> impl, RoutePtr route, Opened opened,
             bool request_keep_alive, milliseconds timeout, std::size_t body_limit)
      : impl_(std::move(impl)),
        route_(std::move(route)),
        conn_(std::move(opened.conn)),
        status_(opened.status),
        headers_(std::move(opened.headers)),
        request_keep_alive_(request_keep_alive),
        timeout_(timeout),
        body_limit_(body_limit) {
    done_ = conn_->parser->done();
  }

  ~StreamImpl() override {
    if (done_) give_back();
  }

  unsigned status() const noexcept override { return status_; }
  const ResponseFields& headers() const noexcept override { return headers_; }

  asio::awaitable<Result<std::string_view>> read_some() override {
    return guarded(impl_, next_piece());
  }

  asio::awaitable<Result<std::string>> read_all() override { return guarded(impl_, rest()); }

  void cancel() noexcept override {
    cancelled_ = true;
    if (conn_) conn_->close();
  }

 private:
  // The connection is handed back only once the caller can no longer hold a view into its
  // piece buffer.
  void give_back() {
    if (!conn_) return;
    if (!cancelled_ && conn_->parser->keep_alive() && request_keep_alive_ &&
        conn_->buffer.size() == 0) {
      impl_->release(std::move(conn_));
    }
    conn_.reset();
  }

  std::optional<Error> check() {
    if (error_) return error_;
    if (cancelled_) return connection_error("request to " + route_->where() + " was cancelled");
    return std::nullopt;
  }

  Error fail(const beast::error_code& ec) {
    const beast::error_code reported = cancelled_ ? asio::error::operation_aborted : ec;
    error_ = io_error(*route_, "reading the response", reported, timeout_, body_limit_);
    conn_.reset();
    return *error_;
  }

  asio::awaitable<Result<std::string_view>> next_piece() {
    if (auto e = check()) co_return *e;
    if (done_) {
      give_back();
      co_return std::string_view{};
    }
    auto& piece = conn_->piece;
    if (piece.empty()) piece.resize(kPieceSize);
    for (;;) {
      auto [ec, got] = co_await read_body_some(*conn_, piece.data(), piece.size(),
                                               Timing{{}, timeout_}, /*drain=*/first_piece_sent_);
      if (ec) co_return fail(ec);
      done_ = conn_->parser->done();
      if (got > 0) {
        first_piece_sent_ = true;
        co_return std::string_view(piece.data(), got);
      }
      if (done_) {
        give_back();
        co_return std::string_view{};
      }
    }
  }

  asio::awaitable<Result<std::string>> rest() {
    if (auto e = check()) co_return *e;
    std::string out;
    if (!done_) {
      const auto ec = co_await read_body_all(*conn_, out, body_limit_, Timing{{}, timeout_});
      if (ec) co_return fail(ec);
      done_ = true;
    }
    give_back();
    co_return out;
  }

  std::shared_ptr<ClientCore> impl_;
  RoutePtr route_;
  std::unique_ptr<Connection> conn_;
  unsigned status_;
  ResponseFields headers_;
  bool request_keep_alive_;
  milliseconds timeout_;
  std::size_t body_limit_;
  bool done_ = false;
  bool cancelled_ = false;
  bool first_piece_sent_ = false;  // later pieces take every chunk already buffered
  std::optional<Error> error_;
};

asio::awaitable<Result<std::unique_ptr<ResponseStream>>> ClientCore::open(ClientRequest req) {
  Exchange ex;
  Result<std::unique_ptr<ResponseStream>> out = std::unique_ptr<ResponseStream>();
  if (co_await begin(req, ex, out)) {
    out = std::unique_ptr<ResponseStream>(
        std::make_unique<StreamImpl>(shared_from_this(), std::move(ex.route), std::move(ex.opened),
                                     ex.msg.keep_alive, req.timeout, req.body_limit));
  }
  co_return out;
}

}  // namespace

struct Client::Impl final : ClientCore {
  using ClientCore::ClientCore;
};

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

Client::~Client() = default;

asio::awaitable<Result<ClientResponse>> Client::send(ClientRequest request) {
  return guarded(impl_, impl_->send(std::move(request)));
}

asio::awaitable<Result<std::unique_ptr<ResponseStream>>> Client::open(ClientRequest request) {
  return guarded(impl_, impl_->open(std::move(request)));
}

ClientStats Client::stats() const noexcept {
  return impl_->stats;
}

asio::any_io_executor Client::get_executor() const noexcept {
  return impl_->executor;
}

}  // namespace litellm::http
