#include "scripted_upstream.hpp"

#include <sys/socket.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace litellm::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

ScriptedUpstream::ScriptedUpstream()
    : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  fallback_.pieces = {mistral_chat_body()};
  // One thread accepts; each connection gets its own thread (tests are small).
  threads_.emplace_back([this] {
    while (!stop_) {
      boost::system::error_code ec;
      tcp::socket s(ioc_);
      acceptor_.accept(s, ec);
      if (ec || stop_) break;
      std::lock_guard lock(mu_);
      fds_.push_back(s.native_handle());
      threads_.emplace_back([this, sock = std::move(s)]() mutable { serve(std::move(sock)); });
    }
  });
}

ScriptedUpstream::~ScriptedUpstream() {
  stop_ = true;
  boost::system::error_code ec;
  // Wake the blocking accept.
  tcp::socket poke(ioc_);
  poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  acceptor_.close(ec);
  std::vector<std::thread> ts;
  {
    std::lock_guard lock(mu_);
    ts.swap(threads_);
    // Kept-alive client connections would block their serving threads in read() forever.
    for (int fd : fds_)
      ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : ts) {
    if (t.joinable()) t.join();
  }
}

void ScriptedUpstream::push(Reply r) {
  std::lock_guard lock(mu_);
  script_.push_back(std::move(r));
}

void ScriptedUpstream::set_fallback(Reply r) {
  std::lock_guard lock(mu_);
  fallback_ = std::move(r);
}

std::vector<Received> ScriptedUpstream::received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::size_t ScriptedUpstream::count() {
  std::lock_guard lock(mu_);
  return received_.size();
}

void ScriptedUpstream::serve(tcp::socket s) {
  beast::flat_buffer buf;
  boost::system::error_code ec;
  s.set_option(tcp::no_delay(true), ec);
  while (!stop_) {
    bhttp::request<bhttp::string_body> req;
    bhttp::read(s, buf, req, ec);
    if (ec) return;
    Reply r;
    {
      std::lock_guard lock(mu_);
      Received rec{std::string(req.target()), req.body(), {}};
      for (const auto& h : req)
        rec.headers.emplace_back(std::string(h.name_string()), std::string(h.value()));
      received_.push_back(std::move(rec));
      if (!script_.empty()) {
        r = std::move(script_.front());
        script_.pop_front();
      } else {
        r = fallback_;
      }
    }
    if (r.reset_before) {
      s.set_option(asio::socket_base::linger(true, 0), ec);
      s.close(ec);
      return;
    }
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " X\r\n";
    bool sse = r.pieces.size() > 1;
    head += sse ? "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                : "Content-Type: application/json\r\n";
    for (const auto& [k, v] : r.headers)
      head += k + ": " + v + "\r\n";
    if (!sse) {
      std::string body = r.pieces.empty() ? std::string() : r.pieces.front();
      head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      asio::write(s, asio::buffer(head), ec);
      if (ec) return;
      continue;
    }
    head += "\r\n";
    asio::write(s, asio::buffer(head), ec);
    int sent = 0;
    for (const auto& p : r.pieces) {
      if (r.reset_after_pieces >= 0 && sent == r.reset_after_pieces) {
        s.set_option(asio::socket_base::linger(true, 0), ec);
        s.close(ec);
        return;
      }
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", p.size());
      asio::write(s, asio::buffer(std::string(size) + p + "\r\n"), ec);
      if (ec) return;
      ++sent;
    }
    asio::write(s, asio::buffer(std::string("0\r\n\r\n")), ec);
    if (ec) return;
  }
}

std::string mistral_chat_body(const std::string& text) {
  return R"({"id":"cmpl-1","object":"chat.completion","created":1700000000,"model":"mistral-small-latest",)"
         R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
         text +
         R"(","tool_calls":null},"finish_reason":"stop"}],)"
         R"("usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})";
}

std::vector<std::string> mistral_stream_pieces(const std::string& text) {
  auto chunk = [](const std::string& delta, const std::string& finish, bool usage) {
    std::string s = R"(data: {"id":"c1","object":"chat.completion.chunk","created":1700000000,)"
                    R"("model":"mistral-small-latest","choices":[{"index":0,"delta":)" +
                    delta + R"(,"finish_reason":)" + finish + "}]";
    if (usage) s += R"(,"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12})";
    return s + "}\n\n";
  };
  std::vector<std::string> out;
  out.push_back(chunk(R"({"role":"assistant","content":""})", "null", false));
  auto space = text.find(' ');
  out.push_back(chunk(R"({"content":")" + text.substr(0, space) + R"("})", "null", false));
  out.push_back(
      chunk(R"({"content":")" + (space == std::string::npos ? "" : text.substr(space)) + R"("})",
            R"("stop")", true));
  out.push_back("data: [DONE]\n\n");
  return out;
}

}  // namespace litellm::testing
