// A scripted HTTP upstream for router tests: answers each request with the next scripted reply
// (status, headers, body pieces, or a reset), and records what it received. Runs on its own
// thread; 127.0.0.1, port 0.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace litellm::testing {

struct Reply {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> pieces;  ///< body, sent chunk by chunk (chunked encoding if > 1)
  bool reset_before = false;        ///< abort the connection instead of answering
  int reset_after_pieces = -1;      ///< abort after sending this many pieces
};

struct Received {
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class ScriptedUpstream {
 public:
  ScriptedUpstream();
  ~ScriptedUpstream();
  unsigned short port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  /// Queues replies; when the queue is empty, `fallback` answers.
  void push(Reply r);
  void set_fallback(Reply r);
  std::vector<Received> received();
  std::size_t count();

 private:
  void serve(boost::asio::ip::tcp::socket s);
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::deque<Reply> script_;
  Reply fallback_;
  std::vector<Received> received_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::vector<int> fds_;  // open connections, shut down by the destructor to unblock reads
};

/// A Mistral chat completion body the adapter accepts.
std::string mistral_chat_body(const std::string& text = "hello");
/// A Mistral streamed answer as SSE pieces (role chunk, text chunks, final chunk, [DONE]).
std::vector<std::string> mistral_stream_pieces(const std::string& text = "hello world");

}  // namespace litellm::testing
