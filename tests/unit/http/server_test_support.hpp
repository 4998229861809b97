// Test helpers for the listener: a server running on its own thread(s) and a raw POSIX client
// with bounded waits, so a misbehaving server fails a test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/server.hpp"

namespace litellm::http::testing {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

/// One Server on N io_contexts, each run by its own thread.
class RunningServer {
 public:
  RunningServer(ServerOptions options, Handler handler, std::size_t contexts = 1) {
    for (std::size_t i = 0; i < contexts; ++i) {
      contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    }
    std::vector<boost::asio::io_context*> raw;
    for (auto& c : contexts_)
      raw.push_back(c.get());
    server_ = std::make_unique<Server>(raw, std::move(options), std::move(handler));
    auto port = server_->listen();
    if (!port) {
      ADD_FAILURE() << port.error().message;
      return;
    }
    port_ = *port;
    server_->start();
    for (auto& c : contexts_) {
      threads_.emplace_back([ctx = c.get()] { ctx->run(); });
    }
  }

  ~RunningServer() {
    server_->stop();
    for (auto& c : contexts_)
      c->stop();
    for (auto& t : threads_)
      t.join();
    server_.reset();
  }

  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  Server& server() { return *server_; }
  std::uint16_t port() const { return port_; }
  boost::asio::io_context& context(std::size_t i = 0) { return *contexts_[i]; }
  /// Waits (bounded) until the io_context threads have returned from run().
  bool join_within(Millis limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (auto& c : contexts_) {
      while (!c->stopped()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
      }
    }
    return true;
  }

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::unique_ptr<Server> server_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

/// A gate handlers await (on whatever io_context they run) and the test thread opens. Waiters'
/// timers live in their coroutine frames, so a Gate never outlives the io_context's objects.
class Gate {
 public:
  boost::asio::awaitable<void> wait() {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                    std::chrono::steady_clock::time_point::max());
    {
      std::lock_guard lock(mutex_);
      if (open_) co_return;
      waiters_.insert(&timer);
    }
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    std::lock_guard lock(mutex_);
    waiters_.erase(&timer);
  }
  /// How many coroutines wait at the gate now.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return waiters_.size();
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    for (auto* t : waiters_) {
      boost::asio::post(t->get_executor(), [this, t] {
        std::lock_guard inner(mutex_);
        if (waiters_.count(t) != 0) t->cancel();
      });
    }
  }

 private:
  std::mutex mutex_;
  std::set<boost::asio::steady_timer*> waiters_;
  bool open_ = false;
};

struct ClientResponse {
  unsigned status = 0;
  unsigned version = 0;
  bool keep_alive = false;
  boost::beast::http::fields headers;
  std::string body;
};

/// Blocking TCP client on 127.0.0.1 whose every wait is bounded by a timeout.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    connect_errno_ = connected_ ? 0 : errno;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  int connect_errno() const { return connect_errno_; }
  int last_errno() const { return last_errno_; }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send(std::string_view data) {
    while (!data.empty()) {
      auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        last_errno_ = errno;
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads what arrives within `timeout` into the pending buffer. Returns false on EOF/error.
  bool read_some(Millis timeout) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r <= 0) return true;  // nothing yet, still open
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      last_errno_ = errno;
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  /// Reads until `needle` is in the received bytes; returns everything received so far.
  std::optional<std::string> read_until(std::string_view needle, Millis timeout = 5000ms) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (pending_.find(needle) == std::string::npos) {
      if (eof_ || std::chrono::steady_clock::now() > until) return std::nullopt;
      read_some(20ms);
    }
    return pending_;
  }

  /// True if the server closed (EOF or reset) within `timeout`; bytes received are kept.
  bool closed_within(Millis timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!eof_) {
      if (std::chrono::steady_clock::now() > until) return false;
      read_some(20ms);
    }
    return true;
  }

  /// Parses one response from the stream (leftover bytes stay for the next call).
  std::optional<ClientResponse> read_response(Millis timeout = 5000ms, bool head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      boost::beast::error_code ec;
      if (!pending_.empty()) {
        auto used = parser.put(boost::asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (ec && ec != boost::beast::http::error::need_more) return std::nullopt;
        if (parser.is_done()) break;
        if (used > 0 && !ec) continue;
      }
      if (eof_) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return std::nullopt;
        break;
      }
      if (std::chrono::steady_clock::now() > until) return std::nullopt;
      read_some(20ms);
    }
    ClientResponse out;
    auto msg = parser.release();
    out.status = msg.result_int();
    out.version = msg.version();
    out.keep_alive = msg.keep_alive();
    out.headers = msg.base();
    out.body = std::move(msg.body());
    return out;
  }

  /// Sends `request` and reads one response (nullopt if either fails).
  std::optional<ClientResponse> exchange(std::string_view request, Millis timeout = 5000ms) {
    if (!send(request)) return std::nullopt;
    return read_response(timeout);
  }

  std::string& pending() { return pending_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  int connect_errno_ = 0;
  int last_errno_ = 0;
  bool eof_ = false;
  std::string pending_;
};

inline std::string get_request(std::string_view target, std::string_view extra = {}) {
  std::string r = "GET ";
  r += target;
  r += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  r += extra;
  r += "\r\n";
  return r;
}

inline std::string post_request(std::string_view target, std::string_view body) {
  std::string r = "POST ";
  r += target;
  r += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ";
  r += std::to_string(body.size());
  r += "\r\n\r\n";
  r += body;
  return r;
}

/// Fast test options: short timeouts so timeout tests finish quickly.
inline ServerOptions test_options() {
  ServerOptions o;
  o.read_timeout = 2000ms;
  o.idle_timeout = 5000ms;
  o.write_timeout = 2000ms;
  o.log = [](std::string_view) {};
  return o;
}

}  // namespace litellm::http::testing
