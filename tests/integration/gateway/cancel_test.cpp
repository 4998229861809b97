// A client that goes away cancels the upstream request: the gateway (in process) in front of a
// stalling upstream that reports when its connection is closed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "gateway/config.hpp"
#include "gateway/gateway.hpp"

namespace litellm::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Accepts one connection, reads the request, optionally sends a streaming header, then stalls
// reading until the peer (the gateway) closes: `closed` turns true at that moment.
class StallingUpstream {
 public:
  explicit StallingUpstream(bool send_stream_header)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, send_stream_header] {
      boost::system::error_code ec;
      tcp::socket s(ioc_);
      acceptor_.accept(s, ec);
      if (ec) return;
      beast::flat_buffer buf;
      bhttp::request<bhttp::string_body> req;
      bhttp::read(s, buf, req, ec);
      if (ec) return;
      got_request_ = true;
      if (send_stream_header) {
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
            "chunked\r\n\r\n";
        asio::write(s, asio::buffer(head), ec);
      }
      char byte;
      asio::read(s, asio::buffer(&byte, 1), ec);  // blocks until the gateway closes
      closed_ = true;
    });
  }
  ~StallingUpstream() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    if (thread_.joinable()) thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  bool got_request() const { return got_request_; }
  bool closed() const { return closed_; }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::atomic<bool> got_request_{false};
  std::atomic<bool> closed_{false};
  std::thread thread_;
};

void run_case(bool stream) {
  StallingUpstream up(stream);
  auto cfg = gateway::load_config_text(
      "model_list:\n  - model_name: m\n    litellm_params:\n      model: "
      "mistral/mistral-small-latest\n      api_key: k\n      api_base: http://127.0.0.1:" +
      std::to_string(up.port()) + "/v1\n      timeout: 60\n");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  gateway::GatewayOptions opts;
  opts.host = "127.0.0.1";
  opts.port = 0;
  opts.num_workers = 1;
  gateway::Gateway gw(*cfg, opts);
  auto port = gw.start();
  ASSERT_TRUE(port.ok()) << port.error().message;

  {
    asio::io_context ioc;
    tcp::socket client(ioc);
    client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), *port));
    std::string body = std::string(R"({"model":"m","messages":[{"role":"user","content":"hi"}])") +
                       (stream ? R"(,"stream":true})" : "}");
    std::string req =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    asio::write(client, asio::buffer(req));
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (!up.got_request() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(up.got_request());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    client.close();  // the client gives up while the upstream has sent nothing
  }
  const auto t0 = Clock::now();
  while (!up.closed() && Clock::now() - t0 < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(up.closed()) << "the upstream request was not cancelled";
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(2));
  gw.stop();
  gw.wait();
}

TEST(GatewayCancellation, ClientDisconnectCancelsAPendingUpstreamRequest) {
  run_case(false);
}

TEST(GatewayCancellation, ClientDisconnectCancelsAStalledUpstreamStream) {
  run_case(true);
}

}  // namespace
}  // namespace litellm::testing
