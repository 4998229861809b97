#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "http/head.hpp"
#include "server_test_support.hpp"

namespace litellm::http {
namespace {

using namespace std::chrono_literals;
using testing::ClientResponse;
using testing::Gate;
using testing::get_request;
using testing::post_request;
using testing::RawClient;
using testing::RunningServer;
using testing::test_options;

// Echoes the method, target and body, so tests see which request an answer belongs to.
Handler echo_handler() {
  return [](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    ServerResponse res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "text/plain");
    res.body() =
        std::string(req.method_string()) + " " + std::string(req.target()) + " " + req.body();
    co_await w.send(std::move(res));
  };
}

// The listener's own errors must be OpenAI-shaped: {"error":{message,type,param,code}}.
void expect_openai_error(const ClientResponse& res, unsigned status) {
  EXPECT_EQ(res.status, status);
  EXPECT_EQ(res.headers[bhttp::field::content_type], "application/json");
  auto v = boost::json::parse(res.body);
  const auto& err = v.at("error").as_object();
  EXPECT_FALSE(err.at("message").as_string().empty());
  EXPECT_EQ(err.at("type").as_string(),
            status >= 500 ? "internal_server_error" : "invalid_request_error");
  EXPECT_TRUE(err.at("param").is_null());
  EXPECT_EQ(err.at("code").as_string(), std::to_string(status));
}

TEST(HttpServer, ServesSeveralRequestsOnOneKeptAliveConnection) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    const std::string target = "/r" + std::to_string(i);
    auto res = c.exchange(get_request(target));
    ASSERT_TRUE(res) << "response " << i;
    EXPECT_EQ(res->status, 200u);
    EXPECT_TRUE(res->keep_alive);
    EXPECT_EQ(res->body, "GET " + target + " ");
    EXPECT_EQ(res->headers[bhttp::field::content_length], std::to_string(res->body.size()));
  }
  const auto st = s.server().stats();
  EXPECT_EQ(st.connections_accepted, 1u);
  EXPECT_EQ(st.requests, 3u);
}

TEST(HttpHead, AppendFieldBlanksACrOrLfWhereverItSits) {
  // Every position in lines shorter and longer than a vector word, among neighbours of CR and
  // LF (0x0b, 0x0e, 0x8a, 0x8d) that a byte-scan shortcut could confuse with them.
  for (char bad : {'\r', '\n'}) {
    for (std::size_t size = 1; size <= 20; ++size) {
      for (std::size_t at = 0; at < size; ++at) {
        std::string value(size, '\x8d');
        for (std::size_t i = 0; i < size; i += 2)
          value[i] = i % 4 == 0 ? '\x0b' : '\x0e';
        value[at] = bad;
        std::string out;
        append_field(out, "x", value);
        std::string want = "x: " + value + "\r\n";
        want[3 + at] = ' ';
        EXPECT_EQ(out, want) << "size " << size << " at " << at;
      }
    }
  }
  std::string clean;
  append_field(clean, "x-clean", "\x8d\x0b\x0e\x8a\x0c");
  EXPECT_EQ(clean, "x-clean: \x8d\x0b\x0e\x8a\x0c\r\n");
}

TEST(HttpServer, WritesPreRenderedExtraFieldsWithTheResponseAndTheStream) {
  RunningServer s(test_options(),
                  [](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
                    std::string extra;
                    append_field(extra, "x-one", "1");
                    append_field(extra, "X-Two",
                                 "split\r\nx-injected: yes");  // a CR LF in a value stays inside
                    if (req.target() == "/stream") {
                      ResponseHeader h;
                      h.result(bhttp::status::ok);
                      co_await w.start_stream(std::move(h), extra, "first ");  // one write
                      co_await w.write_chunk("data");
                      co_await w.finish_stream();
                      co_return;
                    }
                    ServerResponse res{bhttp::status::ok, 11};
                    res.set(bhttp::field::content_type, "text/plain");
                    res.body() = "body";
                    co_await w.send(std::move(res), extra);
                  });
  RawClient c(s.port());
  for (const char* target : {"/whole", "/stream"}) {
    auto res = c.exchange(get_request(target));
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 200u);
    EXPECT_EQ(res->headers["x-one"], "1") << target;
    EXPECT_EQ(res->headers["x-two"], "split  x-injected: yes") << target;
    EXPECT_EQ(res->headers.count("x-injected"), 0u) << target;
    EXPECT_EQ(res->body, target == std::string("/whole") ? "body" : "first data");
    EXPECT_TRUE(res->keep_alive);
  }
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  auto a = c.exchange(get_request("/a") + post_request("/b", "{\"x\":1}") + get_request("/c"));
  auto b = c.read_response();
  auto cc = c.read_response();
  ASSERT_TRUE(a && b && cc);
  EXPECT_EQ(a->body, "GET /a ");
  EXPECT_EQ(b->body, "POST /b {\"x\":1}");
  EXPECT_EQ(cc->body, "GET /c ");
}

TEST(HttpServer, AnswersOversizedBodyWith413AndCloses) {
  auto options = test_options();
  options.body_limit = 1024;
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  auto res = c.exchange(post_request("/v1/chat/completions", std::string(4096, 'x')));
  ASSERT_TRUE(res);
  expect_openai_error(*res, 413);
  EXPECT_FALSE(res->keep_alive);
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_EQ(s.server().stats().requests, 0u);
  EXPECT_EQ(s.server().stats().bad_requests, 1u);
}

TEST(HttpServer, AnswersOversizedChunkedBodyWith413) {
  auto options = test_options();
  options.body_limit = 1024;
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  std::string req = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i)
    req += "200\r\n" + std::string(512, 'y') + "\r\n";
  req += "0\r\n\r\n";
  auto res = c.exchange(req);
  ASSERT_TRUE(res);
  expect_openai_error(*res, 413);
}

TEST(HttpServer, AnswersOversizedHeaderWith431) {
  auto options = test_options();
  options.header_limit = 1024;
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  auto res = c.exchange(get_request("/", "X-Big: " + std::string(4000, 'a') + "\r\n"));
  ASSERT_TRUE(res);
  expect_openai_error(*res, 431);
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, AnswersGarbageWith400AndCloses) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  auto res = c.exchange("HELLO THERE\x01\x02 WORLD\r\n\r\n");
  ASSERT_TRUE(res);
  expect_openai_error(*res, 400);
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, AnswersOtherHttpVersionsWith505) {
  RunningServer s(test_options(), echo_handler());
  for (const char* request : {"GET / HTTP/2.0\r\nHost: h\r\n\r\n", "GET / HTTP/0.9\r\n\r\n"}) {
    RawClient c(s.port());
    auto res = c.exchange(request);
    ASSERT_TRUE(res) << request;
    expect_openai_error(*res, 505);
  }
  RawClient c(s.port());
  auto res = c.exchange("GET / HTTP/x.1\r\n\r\n");
  ASSERT_TRUE(res);
  expect_openai_error(*res, 400);
}

TEST(HttpServer, ClosesSlowlorisConnectionAtReadTimeout) {
  auto options = test_options();
  options.read_timeout = 300ms;
  options.idle_timeout = 10000ms;
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\n"));
  bool closed = false;
  // One header line every 50 ms: never a complete request, always some traffic.
  for (int i = 0; i < 60 && !closed; ++i) {
    c.send("X-Slow-" + std::to_string(i) + ": a\r\n");
    closed = c.closed_within(50ms);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2000ms);
  EXPECT_EQ(s.server().stats().timeouts, 1u);
}

TEST(HttpServer, ClosesIdleKeptAliveConnectionAtIdleTimeout) {
  auto options = test_options();
  options.idle_timeout = 200ms;
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  ASSERT_TRUE(c.read_response());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  for (int i = 0; i < 200 && s.server().stats().active_connections != 0; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(s.server().stats().active_connections, 0u);
  EXPECT_EQ(s.server().stats().timeouts, 1u);
}

// A handler that streams "chunk-one", waits for the test, then streams "chunk-two".
Handler two_chunk_stream(Gate& gate, std::atomic<int>& second_write_result) {
  return [&gate, &second_write_result](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    ResponseHeader h;
    h.result(bhttp::status::ok);
    h.set(bhttp::field::content_type, "text/event-stream");
    if (!co_await w.start_stream(std::move(h))) co_return;
    co_await w.write_chunk("data: chunk-one\n\n");
    co_await gate.wait();
    second_write_result = (co_await w.write_chunk("data: chunk-two\n\n")) ? 1 : 0;
    co_await w.finish_stream();
  };
}

TEST(HttpServer, StreamsEachChunkBeforeTheNextIsWritten) {
  Gate gate;
  std::atomic<int> second{-1};
  RunningServer s(test_options(), two_chunk_stream(gate, second));
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/stream")));
  auto first = c.read_until("chunk-one");
  ASSERT_TRUE(first) << "chunk 1 must arrive while the handler still holds chunk 2";
  EXPECT_NE(first->find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_EQ(first->find("chunk-two"), std::string::npos);
  gate.open();
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200u);
  EXPECT_EQ(res->body, "data: chunk-one\n\ndata: chunk-two\n\n");
  EXPECT_EQ(second.load(), 1);
  // The connection is reusable after a finished stream.
  ASSERT_TRUE(c.send(get_request("/stream")));
  EXPECT_TRUE(c.read_until("chunk-one"));
}

TEST(HttpServer, StreamsToHttp10ClientWithoutChunkingAndCloses) {
  Gate gate;
  gate.open();
  std::atomic<int> second{-1};
  RunningServer s(test_options(), two_chunk_stream(gate, second));
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /stream HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(c.closed_within(3000ms));
  const std::string& raw = c.pending();
  EXPECT_EQ(raw.rfind("HTTP/1.0 200", 0), 0u) << raw;
  EXPECT_EQ(raw.find("chunked"), std::string::npos);
  EXPECT_NE(raw.find("\r\n\r\ndata: chunk-one\n\ndata: chunk-two\n\n"), std::string::npos);
}

TEST(HttpServer, FiresClientGoneSlotWhileHandlerAwaitsUpstream) {
  std::promise<std::pair<bool, bool>> observed;  // {wait was cancelled, client_gone()}
  std::atomic<int> late_write{-1};
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    // Stands in for an upstream call bound to the client's lifetime.
    asio::steady_timer upstream(co_await asio::this_coro::executor, 30s);
    auto [ec] = co_await upstream.async_wait(
        asio::bind_cancellation_slot(w.client_gone_slot(), asio::as_tuple(asio::use_awaitable)));
    observed.set_value({ec == asio::error::operation_aborted, w.client_gone()});
    ResponseHeader h;
    late_write = (co_await w.start_stream(std::move(h))) ? 1 : 0;
  };
  RunningServer s(test_options(), handler);
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(post_request("/v1/chat/completions", "{}")));
    std::this_thread::sleep_for(50ms);  // let the handler start waiting; the test waits below
  }                                     // client disconnects
  auto f = observed.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready) << "client_gone_slot never fired";
  auto [cancelled, gone] = f.get();
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(gone);
  for (int i = 0; i < 100 && late_write.load() < 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(late_write.load(), 0) << "writes after the client left must return false";
  EXPECT_EQ(s.server().stats().client_gone, 1u);
}

// What the gateway relies on instead of a co_spawn per request: a handler that lets total
// cancellation in has whatever it awaits cancelled when its client leaves, with no slot bound.
TEST(HttpServer, CancelsTheAwaitOfAHandlerThatAcceptsTotalCancellation) {
  std::promise<bool> observed;  // the wait was cancelled
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    asio::steady_timer upstream(co_await asio::this_coro::executor, 30s);
    auto [ec] = co_await upstream.async_wait(asio::as_tuple(asio::use_awaitable));
    observed.set_value(ec == asio::error::operation_aborted);
    co_await w.send(ServerResponse{bhttp::status::ok, 11});  // to a client that left: no throw
  };
  RunningServer s(test_options(), handler);
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(post_request("/v1/chat/completions", "{}")));
    std::this_thread::sleep_for(50ms);
  }
  auto f = observed.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready) << "the handler's await was not cancelled";
  EXPECT_TRUE(f.get());
  for (int i = 0; i < 100 && s.server().stats().active_requests != 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(s.server().stats().client_gone, 1u);
  EXPECT_EQ(s.server().stats().handler_errors, 0u);
}

// ...and one that did not ask for it runs on undisturbed: cancellation is opt-in.
TEST(HttpServer, LeavesTheAwaitOfADefaultHandlerAloneWhenTheClientLeaves) {
  std::promise<bool> observed;  // the wait ran to its expiry
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    asio::steady_timer upstream(co_await asio::this_coro::executor, 300ms);
    auto [ec] = co_await upstream.async_wait(asio::as_tuple(asio::use_awaitable));
    observed.set_value(!ec);
    co_await w.send(ServerResponse{bhttp::status::ok, 11});
  };
  RunningServer s(test_options(), handler);
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(post_request("/v1/chat/completions", "{}")));
    std::this_thread::sleep_for(50ms);
  }
  auto f = observed.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(f.get()) << "a handler that did not opt in was cancelled";
}

// An answer larger than the socket buffer: the first part leaves in the synchronous write, the
// rest through the async one, in order and complete.
TEST(HttpServer, WritesAnAnswerLargerThanTheSocketBufferWhole) {
  std::string big(8 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>('a' + i % 23);
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    ServerResponse res{bhttp::status::ok, 11};
    res.body() = big;
    co_await w.send(std::move(res));
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  auto res = c.exchange(post_request("/x", "{}"), 20000ms);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200u);
  ASSERT_EQ(res->body.size(), big.size());
  EXPECT_TRUE(res->body == big);
}

TEST(HttpServer, Answers500WhenHandlerDoesNotAnswer) {
  auto handler = [](ServerRequest&, ResponseWriter&) -> asio::awaitable<void> { co_return; };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  auto res = c.exchange(get_request("/"));
  ASSERT_TRUE(res);
  expect_openai_error(*res, 500);
  // The connection stays usable: the handler's mistake is not the client's.
  auto again = c.exchange(get_request("/"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 500u);
  EXPECT_EQ(s.server().stats().handler_errors, 2u);
}

TEST(HttpServer, Answers500AndClosesWhenHandlerThrows) {
  auto handler = [](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    if (req.target() == "/throw") throw std::runtime_error("boom");
    co_await w.send(make_json_response(200, "{}", true));
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  auto res = c.exchange(get_request("/throw"));
  ASSERT_TRUE(res);
  expect_openai_error(*res, 500);
  EXPECT_TRUE(c.closed_within(3000ms));
  RawClient next(s.port());
  auto ok = next.exchange(get_request("/ok"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200u);
}

TEST(HttpServer, DrainFinishesInFlightStreamThenCallsDone) {
  Gate gate;
  std::atomic<int> second{-1};
  RunningServer s(test_options(), two_chunk_stream(gate, second));
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/stream")));
  ASSERT_TRUE(c.read_until("chunk-one"));
  RawClient idle(s.port());  // kept alive, between requests: closed at once by the drain
  ASSERT_TRUE(idle.send(get_request("/stream")));
  ASSERT_TRUE(idle.read_until("chunk-one"));
  gate.open();
  ASSERT_TRUE(idle.read_response());

  std::promise<void> done;
  s.server().drain(5000ms, [&] { done.set_value(); });
  EXPECT_TRUE(idle.closed_within(3000ms));
  auto f = done.get_future();
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "data: chunk-one\n\ndata: chunk-two\n\n");
  EXPECT_TRUE(c.closed_within(3000ms)) << "no new request on a draining connection";
  EXPECT_EQ(f.wait_for(3s), std::future_status::ready);
  RawClient late(s.port());
  EXPECT_FALSE(late.connected() && late.send(get_request("/")) && late.read_response(500ms));
}

TEST(HttpServer, DrainAnswersInFlightRequestWithConnectionClose) {
  Gate gate;
  auto handler = [&gate](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await gate.wait();
    co_await w.send(make_json_response(200, "{}", true));
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  // Waiting at the gate, not only counted as active: a handler not yet at the gate when it
  // opens would answer before the io thread ran the drain's posted work.
  for (int i = 0; i < 200 && gate.waiting() == 0; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(gate.waiting(), 1u);
  std::promise<void> done;
  s.server().drain(5000ms, [&] { done.set_value(); });
  gate.open();
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200u);
  EXPECT_FALSE(res->keep_alive);
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_EQ(done.get_future().wait_for(3s), std::future_status::ready);
}

TEST(HttpServer, PipelinedRequestDoesNotLookLikeAClientLeaving) {
  std::atomic<int> cancelled{0};
  auto handler = [&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    if (req.target() == "/slow") {
      asio::steady_timer upstream(co_await asio::this_coro::executor, 200ms);
      auto [ec] = co_await upstream.async_wait(
          asio::bind_cancellation_slot(w.client_gone_slot(), asio::as_tuple(asio::use_awaitable)));
      if (ec) ++cancelled;
    }
    co_await w.send(make_json_response(200, "\"" + std::string(req.target()) + "\"", true));
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/slow")));
  std::this_thread::sleep_for(50ms);  // the second request arrives while the first one waits
  auto first = c.exchange(get_request("/next"));
  auto second = c.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "\"/slow\"");
  EXPECT_EQ(second->body, "\"/next\"");
  EXPECT_EQ(cancelled.load(), 0);
  EXPECT_EQ(s.server().stats().client_gone, 0u);
}

TEST(HttpServer, DrainForceClosesAfterBound) {
  Gate never;  // the handler ignores cancellation and never finishes on its own
  auto handler = [&never](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    ResponseHeader h;
    co_await w.start_stream(std::move(h));
    co_await w.write_chunk("x");
    co_await never.wait();
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  ASSERT_TRUE(c.read_until("\r\n1\r\nx\r\n"));
  std::promise<void> done;
  const auto start = std::chrono::steady_clock::now();
  s.server().drain(200ms, [&] { done.set_value(); });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_TRUE(c.closed_within(1000ms));
  never.open();
}

TEST(HttpServer, StopClosesIdleConnections) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  ASSERT_TRUE(c.read_response());
  s.server().stop();
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, ServesFromTwoIoContexts) {
  std::mutex m;
  std::set<std::thread::id> threads;
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    {
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    }
    co_await w.send(make_json_response(200, "{}", true));
  };
  RunningServer s(test_options(), handler, 2);
  // SO_REUSEPORT hashes each connection to one listener: 32 connections all landing on one of
  // two listeners has probability 2^-31.
  for (int i = 0; i < 32; ++i) {
    RawClient c(s.port());
    auto res = c.exchange(get_request("/"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200u);
  }
  std::lock_guard lock(m);
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_EQ(s.server().stats().requests, 32u);
}

TEST(HttpServer, ResetConnectionGivesClientEconnreset) {
  auto handler = [](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    ResponseHeader h;
    co_await w.start_stream(std::move(h));
    co_await w.write_chunk("partial");
    w.reset_connection();
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  EXPECT_TRUE(c.closed_within(3000ms));
  EXPECT_EQ(c.last_errno(), ECONNRESET);
}

TEST(HttpServer, SendsInterimContinueForExpect100) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  ASSERT_TRUE(
      c.send("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
             "Expect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(c.read_until("HTTP/1.1 100 Continue\r\n\r\n"));
  c.pending().clear();
  auto res = c.exchange("hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "POST /e hello");
}

TEST(HttpServer, ClosesHttp10ConnectionUnlessKeepAliveAsked) {
  RunningServer s(test_options(), echo_handler());
  {
    RawClient c(s.port());
    auto res = c.exchange("GET /old HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->version, 10u);
    EXPECT_FALSE(res->keep_alive);
    EXPECT_TRUE(c.closed_within(3000ms));
  }
  RawClient c(s.port());
  auto a = c.exchange("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->keep_alive);
  auto b = c.exchange("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body, "GET /b ");
}

TEST(HttpServer, ClosesWhenClientAsksConnectionClose) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  auto res = c.exchange(get_request("/", "Connection: close\r\n"));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->keep_alive);
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(HttpServer, AnswersHeadWithoutBodyButWithLength) {
  RunningServer s(test_options(), echo_handler());
  RawClient c(s.port());
  ASSERT_TRUE(c.send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto res = c.read_response(5000ms, /*head=*/true);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->headers[bhttp::field::content_length], "8");  // "HEAD /h "
  auto next = c.exchange(get_request("/next"));
  ASSERT_TRUE(next) << "no stray body bytes may precede the next answer";
  EXPECT_EQ(next->body, "GET /next ");
}

TEST(HttpServer, SetsConfiguredServerHeader) {
  auto options = test_options();
  options.server_header = "uvicorn";
  RunningServer s(options, echo_handler());
  RawClient c(s.port());
  auto res = c.exchange(get_request("/"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->headers[bhttp::field::server], "uvicorn");
}

TEST(HttpServer, WriteChunkFailsWhenClientStopsReadingPastWriteTimeout) {
  auto options = test_options();
  options.write_timeout = 200ms;
  std::promise<int> chunks_written;
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    ResponseHeader h;
    co_await w.start_stream(std::move(h));
    const std::string block(64 * 1024, 'z');
    int n = 0;
    while (n < 4096 && co_await w.write_chunk(block))
      ++n;  // at most 256 MiB
    chunks_written.set_value(n);
  };
  RunningServer s(options, handler);
  RawClient c(s.port());  // sends, then never reads
  ASSERT_TRUE(c.send(get_request("/")));
  auto f = chunks_written.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_LT(f.get(), 4096);
  EXPECT_GE(s.server().stats().timeouts, 1u);
}

TEST(HttpServer, ListenFailsWithAddressWhenPortIsTaken) {
  RunningServer first(test_options(), echo_handler());
  asio::io_context ioc;
  auto options = test_options();
  options.port = first.port();
  Server second({&ioc}, options, echo_handler());
  auto r = second.listen();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(first.port())), std::string::npos);
}

TEST(HttpServer, ReleasesThePortWhenDestroyedBeforeStart) {
  asio::io_context ioc;
  std::uint16_t port = 0;
  {
    Server first({&ioc}, test_options(), echo_handler());
    auto r = first.listen();
    ASSERT_TRUE(r);
    port = *r;
    EXPECT_FALSE(first.listen()) << "listening twice must fail";
  }
  auto options = test_options();
  options.port = port;
  Server second({&ioc}, options, echo_handler());
  EXPECT_TRUE(second.listen());
}

TEST(HttpServer, ReportsRemoteEndpoint) {
  std::promise<std::string> remote;
  auto handler = [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    remote.set_value(std::string(w.remote()));
    co_await w.send(make_json_response(200, "{}", true));
  };
  RunningServer s(test_options(), handler);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get_request("/")));
  ASSERT_TRUE(c.read_response());
  EXPECT_EQ(remote.get_future().get().rfind("127.0.0.1:", 0), 0u);
}

// ---- reading requests as the listener does, without sockets ---------------------------------

// Feeds `bytes` to a fresh request `step` bytes at a time, as reads would deliver them, the way
// the listener does: unused bytes stay buffered and are offered again with the next ones.
struct Fed {
  ServerRequest req;
  beast::error_code ec;
  std::string rest;  // bytes after the request
};
Fed feed(std::string_view bytes, std::size_t step, const ServerOptions& options = {}) {
  Fed f{make_server_request(options), {}, {}};
  std::string buffered;
  while (!f.ec && !f.req.done()) {
    if (bytes.empty()) {
      f.ec = bhttp::error::partial_message;
      break;
    }
    const std::size_t n = std::min(step, bytes.size());
    buffered.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    buffered.erase(0, f.req.put(buffered, f.ec));
  }
  f.rest = buffered + std::string(bytes);
  return f;
}

TEST(RequestReading, ReadsLineFieldsAndBodyInAnyReadSize) {
  const std::string raw =
      "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer k\r\n"
      "Content-Type:application/json  \r\nContent-Length: 11\r\n\r\n"
      "{\"a\":\"b c\"}";
  for (std::size_t step = 1; step <= raw.size(); ++step) {
    Fed f = feed(raw, step);
    ASSERT_FALSE(f.ec) << step << ": " << f.ec.message();
    EXPECT_EQ(f.req.method(), bhttp::verb::post);
    EXPECT_EQ(f.req.method_string(), "POST");
    EXPECT_EQ(f.req.target(), "/v1/chat/completions?x=1");
    EXPECT_EQ(f.req.version(), 11u);
    EXPECT_TRUE(f.req.keep_alive());
    EXPECT_EQ(f.req["AUTHORIZATION"], "Bearer k");  // names match in any case
    EXPECT_EQ(f.req["content-type"], "application/json");
    EXPECT_EQ(f.req["x-missing"], "");
    EXPECT_FALSE(f.req.find("x-missing").has_value());
    EXPECT_EQ(f.req.body(), "{\"a\":\"b c\"}");
    EXPECT_EQ(f.rest, "");
  }
}

TEST(RequestReading, DecodesChunkedBodiesWithExtensionsAndTrailers) {
  const std::string raw =
      "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n6 ; q=\"a \\\" b\" ;flag\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nGET "
      "/next";
  for (std::size_t step : {1, 2, 7, 200}) {
    Fed f = feed(raw, step);
    ASSERT_FALSE(f.ec) << f.ec.message();
    EXPECT_EQ(f.req.body(), "hello world");
    EXPECT_EQ(f.rest, "GET /next");  // a pipelined request's bytes are left for the next read
  }
}

TEST(RequestReading, LeavesPipelinedRequestsAndReusesStorage) {
  const std::string two = post_request("/a", "first") + get_request("/b");
  Fed f = feed(two, two.size());
  ASSERT_FALSE(f.ec);
  EXPECT_EQ(f.req.target(), "/a");
  EXPECT_EQ(f.req.body(), "first");
  f.req.reset(4096);
  beast::error_code ec;
  EXPECT_EQ(f.req.put(f.rest, ec), f.rest.size());
  ASSERT_FALSE(ec);
  ASSERT_TRUE(f.req.done());
  EXPECT_EQ(f.req.method(), bhttp::verb::get);
  EXPECT_EQ(f.req.target(), "/b");
  EXPECT_EQ(f.req.body(), "");  // no framing: no body, nothing left from the first request
}

TEST(RequestReading, AnnouncedLengthDoesNotReserveTheWholeBody) {
  // A head announcing a large body, then a trickle: memory follows what arrived, so idle
  // connections that announce the body limit cannot pin it each.
  ServerOptions options;
  options.body_limit = 16 * 1024 * 1024;
  const std::string raw = "POST / HTTP/1.1\r\nContent-Length: 16000000\r\n\r\nabc";
  Fed f = feed(raw, raw.size(), options);
  EXPECT_EQ(f.ec, bhttp::error::partial_message);
  EXPECT_EQ(f.req.body(), "abc");
  EXPECT_LE(f.req.body().capacity(), 64u * 1024);
}

TEST(RequestReading, KeepAliveFollowsVersionAndConnectionTokens) {
  const auto keep_alive = [](std::string_view head) {
    Fed f = feed(head, head.size());
    EXPECT_FALSE(f.ec) << head;
    return f.req.keep_alive();
  };
  EXPECT_TRUE(keep_alive("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.1\r\nConnection: upgrade, Close\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep_alive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
}

TEST(RequestReading, KnowsMethodsBeastDoesNotName) {
  Fed f = feed("BREW /pot HTTP/1.1\r\n\r\n", 64);
  ASSERT_FALSE(f.ec);
  EXPECT_EQ(f.req.method(), bhttp::verb::unknown);
  EXPECT_EQ(f.req.method_string(), "BREW");
}

TEST(RequestReading, RefusesMalformedRequestsAs400) {
  const std::string cases[] = {
      "GET  / HTTP/1.1\r\n\r\n",                // two spaces
      "GET / HTTP/1.1 \r\n\r\n",                // trailing space
      "G(T / HTTP/1.1\r\n\r\n",                 // not a token
      "GET /a\x01b HTTP/1.1\r\n\r\n",           // control byte in the target
      "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",  // space in a name
      "GET / HTTP/1.1\r\nName : x\r\n\r\n",     // space before the colon
      "GET / HTTP/1.1\r\n: x\r\n\r\n",          // empty name
      "GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n",     // DEL in a value
      "GET / HTTP/1.1\nHost: h\r\n\r\n",        // bare LF
      " x\r\nGET / HTTP/1.1\r\n\r\n",           // a fold before any field
      "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",       // must end in chunked
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked;x\r\n\r\n",  // a parameter needs a value
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0 \r\n\r\n",  // BWS, no extension
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0;a=b \r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
      // Trailer fields are checked like the head's, though they are not kept.
      std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: \0x\r\n\r\n", 59),
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;ext/=1\r\na\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;e=\"open\r\na\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",  // obs-fold
      // Framing fields as trailers: the body's end would be anyone's guess.
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: "
      "chunked\r\n\r\n",
  };
  for (const std::string& raw : cases) {
    Fed f = feed(raw, raw.size());
    EXPECT_TRUE(f.ec) << raw;
    EXPECT_EQ(status_for_read_error(f.ec), 400u) << raw << " -> " << f.ec.message();
  }
}

TEST(RequestReading, MapsReadErrorsToListenerStatuses) {
  EXPECT_EQ(status_for_read_error(bhttp::error::body_limit), 413u);
  EXPECT_EQ(status_for_read_error(bhttp::error::header_limit), 431u);
  EXPECT_EQ(status_for_read_error(bhttp::error::bad_method), 400u);
  EXPECT_EQ(status_for_read_error(bhttp::error::bad_chunk), 400u);
  EXPECT_EQ(status_for_read_error(bhttp::error::end_of_stream), 0u);
  EXPECT_EQ(status_for_read_error(bhttp::error::partial_message), 0u);
  EXPECT_EQ(status_for_read_error(asio::error::connection_reset), 0u);
  EXPECT_EQ(status_for_read_error(asio::error::operation_aborted), 0u);
}

TEST(RequestReading, RejectsAmbiguousBodyFramingAs400) {
  // Content-Length with Transfer-Encoding, or two different lengths, is how requests are
  // smuggled past proxies; the listener must refuse, not pick one.
  for (const std::string& req : {std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                                 std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                                             "Content-Length: 5\r\n\r\nabcde")}) {
    Fed f = feed(req, req.size());
    EXPECT_EQ(status_for_read_error(f.ec), 400u) << req << " -> " << f.ec.message();
  }
}

TEST(RequestReading, AppliesHeaderAndBodyLimits) {
  ServerOptions options;
  options.header_limit = 256;
  options.body_limit = 10;
  const std::string big = get_request("/", "X: " + std::string(300, 'a') + "\r\n");
  EXPECT_EQ(status_for_read_error(feed(big, 64, options).ec), 431u);
  // Too long a Content-Length is refused from the head, before any of the body arrives.
  const std::string length = "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n";
  EXPECT_EQ(status_for_read_error(feed(length, length.size(), options).ec), 413u);
  const std::string chunked =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n";
  EXPECT_EQ(status_for_read_error(feed(chunked, 3, options).ec), 413u);
  EXPECT_GT(read_buffer_limit(options), options.header_limit);
}

}  // namespace
}  // namespace litellm::http
