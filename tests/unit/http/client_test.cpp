#include "http/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "client_test_support.hpp"
#include "core/clock.hpp"

namespace litellm::http {
namespace {

using namespace client_testing;
using Steady = std::chrono::steady_clock;

Millis elapsed_since(Steady::time_point start) {
  return std::chrono::duration_cast<Millis>(Steady::now() - start);
}

// Reads one request, writes `head` (if any), then goes silent for 10 s.
RawServer::Handler answer_then_stall(std::string head) {
  return [head = std::move(head)](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    if (!head.empty()) co_await write_raw(socket, head);
    co_await sleep_for(10s);
  };
}

TEST(HttpClient, SendsAPostAndReadsTheWholeResponse) {
  std::atomic<bool> saw_headers{false};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    auto req = co_await read_request(socket, buffer);
    if (!req) co_return;
    saw_headers = (*req)[bhttp::field::content_type] == "application/json" &&
                  (*req)["X-Trace"] == "t1" &&
                  (*req)[bhttp::field::host] ==
                      "127.0.0.1:" + std::to_string(socket.local_endpoint().port()) &&
                  (*req)[bhttp::field::content_length] == "13";
    bhttp::response<bhttp::string_body> res{bhttp::status::created, 11};
    res.set("X-Answer", "42");
    res.body() = "got " + req->body();
    res.prepare_payload();
    co_await bhttp::async_write(socket, res, kTuple);
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = post(server.url("/v1/chat/completions?x=1"), "{\"model\":1}\r\n");
  req.headers.emplace_back("X-Trace", "t1");
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 201u);
  EXPECT_EQ(res->headers.find("X-Answer"), "42");
  EXPECT_EQ(res->body, "got {\"model\":1}\r\n");
  EXPECT_TRUE(saw_headers.load());
  EXPECT_EQ(client.stats().requests, 1u);
}

// A body larger than the socket buffer: the synchronous first write takes what fits, the async
// write the rest; the server must receive every byte in order.
TEST(HttpClient, SendsABodyLargerThanTheSocketBufferWhole) {
  std::string big(8 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>('a' + i % 23);
  std::atomic<bool> same{false};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(16 << 20);
    auto [ec, n] = co_await bhttp::async_read(socket, buffer, parser, kTuple);
    if (ec) co_return;
    same = parser.get().body() == big;
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
    res.body() = std::to_string(parser.get().body().size());
    res.prepare_payload();
    co_await bhttp::async_write(socket, res, kTuple);
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(post(server.url("/upload"), big)));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, std::to_string(big.size()));
  EXPECT_TRUE(same.load());
}

TEST(HttpClient, ReturnsErrorStatusesAsResponsesNotErrors) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) {
      co_await write_response(socket, 429, "{\"message\":\"slow down\"}");
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(get(server.url())));
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 429u);
  EXPECT_EQ(res->body, "{\"message\":\"slow down\"}");
}

TEST(HttpClient, ReusesAKeepAliveConnectionForTheNextRequest) {
  RawServer server(
      [](tcp::socket socket) -> asio::awaitable<void> { co_await serve_echo(socket); });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  for (int i = 0; i < 3; ++i) {
    auto res = run(ioc, client.send(post(server.url("/p"), "n" + std::to_string(i))));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "POST /p n" + std::to_string(i));
  }
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().connections_reused, 2u);
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClient, DoesNotPoolAConnectionTheServerAskedToClose) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) co_await write_response(socket, 200, "bye", false);
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(run(ioc, client.send(get(server.url()))).ok());
  EXPECT_EQ(client.stats().connections_opened, 2u);
  EXPECT_EQ(client.stats().connections_reused, 0u);
}

TEST(HttpClient, ReadsABodyDelimitedByTheServerClosingTheConnection) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) {
      co_await write_raw(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
      socket.close();
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(get(server.url())));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "until the end");
}

TEST(HttpClient, JoinsABodyWhoseStartCameWithTheHeaderAndTheRestLater) {
  // Length-framed and chunked: what came with the header is decoded at once, the rest read on.
  for (const std::string framing : {"Content-Length: 26\r\n\r\nabcdefghijklm",
                                    "Transfer-Encoding: chunked\r\n\r\nd\r\nabcdefghijklm\r\n"}) {
    const bool chunked = framing.starts_with("Transfer");
    RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
      beast::flat_buffer buffer;
      if (!co_await read_request(socket, buffer)) co_return;
      co_await write_raw(socket, "HTTP/1.1 200 OK\r\n" + framing);
      co_await sleep_for(30ms);
      co_await write_raw(socket, chunked ? "d\r\nnopqrstuvwxyz\r\n0\r\n\r\n" : "nopqrstuvwxyz");
    });
    asio::io_context ioc;
    Client client(ioc.get_executor(), no_proxy_options());
    auto res = run(ioc, client.send(get(server.url())));
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->body, "abcdefghijklmnopqrstuvwxyz") << framing;
  }
}

TEST(HttpClient, RefusesHeaderNamesThatAreNotTokensAndValuesWithCrLfOrNulBeforeSending) {
  std::atomic<int> requests{0};
  std::atomic<bool> saw_specials{false};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    for (;;) {
      auto req = co_await read_request(socket, buffer);
      if (!req) co_return;
      ++requests;
      saw_specials = (*req)["X-Odd_1.a~!#$%&'*+^`|"] == "v a\tl";
      co_await write_response(socket, 200, "ok");
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  struct Case {
    std::string name;
    std::string value;
  };
  const std::vector<Case> bad = {{"Bad Name", "v"},
                                 {"Bad:Name", "v"},
                                 {"", "v"},
                                 {"X-\xC3\xA9", "v"},
                                 {"X-Ok", "a\r\nX-Injected: 1"},
                                 {"X-Ok", "a\nb"},
                                 {"X-Ok", std::string("a\0b", 3)}};
  for (const auto& c : bad) {
    auto req = post(server.url(), "{}");
    req.headers.emplace_back(c.name, c.value);
    auto res = run(ioc, client.send(std::move(req)));
    ASSERT_FALSE(res.ok()) << c.name;
    EXPECT_EQ(res.error().kind, ErrorKind::bad_request) << c.name;
  }
  EXPECT_EQ(requests.load(), 0);  // nothing reached the wire

  auto req = post(server.url(), "{}");
  req.headers.emplace_back("X-Odd_1.a~!#$%&'*+^`|", "v a\tl");  // every token special
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(requests.load(), 1);
  EXPECT_TRUE(saw_specials.load());
}

TEST(HttpClient, RetriesTransparentlyWhenTheServerClosedAnIdlePooledConnection) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    auto req = co_await read_request(socket, buffer);
    if (!req) co_return;
    co_await write_response(socket, 200, "first", true);
    socket.close();  // as an idle timeout on the server would
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  ASSERT_TRUE(run(ioc, client.send(get(server.url()))).ok());
  // Whether the server's FIN has arrived yet (dead connection spotted before use) or not (the
  // resend after a failed read), the caller sees one successful request.
  auto res = run(ioc, client.send(post(server.url(), "again")));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "first");
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(client.stats().connections_opened, 2u);
}

TEST(HttpClient, ResendsOnAFreshConnectionWhenAReusedOneDiesBeforeAnyResponseByte) {
  // The second request on the first connection is read and dropped without a byte of answer:
  // the race where the server closes an idle connection just as we reuse it.
  std::atomic<int> connection_no{0};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    const int me = ++connection_no;
    beast::flat_buffer buffer;
    for (int n = 0;; ++n) {
      auto req = co_await read_request(socket, buffer);
      if (!req) co_return;
      if (me == 1 && n == 1) {
        socket.close();
        co_return;
      }
      co_await write_response(socket, 200, "conn" + std::to_string(me) + " " + req->body());
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  ASSERT_TRUE(run(ioc, client.send(post(server.url(), "a"))).ok());
  auto res = run(ioc, client.send(post(server.url(), "b")));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "conn2 b");
  EXPECT_EQ(client.stats().stale_retries, 1u);
  EXPECT_EQ(client.stats().connections_opened, 2u);
}

TEST(HttpClient, DoesNotResendWhenPartOfTheResponseArrived) {
  std::atomic<int> requests{0};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    for (int n = 0;; ++n) {
      auto req = co_await read_request(socket, buffer);
      if (!req) co_return;
      ++requests;
      if (n == 1) {
        co_await write_raw(socket, "HTTP/1.1 200 OK\r\nContent-Le");
        socket.close();
        co_return;
      }
      co_await write_response(socket, 200, "ok");
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  ASSERT_TRUE(run(ioc, client.send(post(server.url(), "a"))).ok());
  auto res = run(ioc, client.send(post(server.url(), "b")));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_EQ(requests.load(), 2);
  EXPECT_EQ(client.stats().stale_retries, 0u);
}

TEST(HttpClient, ReportsARefusedConnectionAsApiConnectionNamingHostAndPort) {
  std::uint16_t port = 0;
  {
    asio::io_context tmp;
    tcp::acceptor a(tmp, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get("http://127.0.0.1:" + std::to_string(port) + "/v1/models");
  req.headers.emplace_back("Authorization", "Bearer sk-very-secret");
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << res.error().message;
  EXPECT_NE(res.error().message.find("refused"), std::string::npos) << res.error().message;
  EXPECT_EQ(res.error().message.find("sk-very-secret"), std::string::npos);
}

TEST(HttpClient, TimesOutWithinTheBoundWhenTheServerNeverAnswers) {
  RawServer server(answer_then_stall(""));
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  const auto start = Steady::now();
  auto res = run(ioc, client.send(post(server.url(), "x", 300ms)));
  const auto took = elapsed_since(start);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::timeout);
  EXPECT_EQ(res.error().http_status(), 408);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
}

TEST(HttpClient, BoundsTheWholeExchangeOfSendNotEachRead) {
  // A server that trickles a byte every 50 ms never goes silent for 300 ms, but the whole
  // exchange must still end at the deadline.
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    for (int i = 0; i < 100; ++i) {
      if (!co_await write_raw(socket, "x")) co_return;
      co_await sleep_for(50ms);
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  const auto start = Steady::now();
  auto res = run(ioc, client.send(get(server.url(), 300ms)));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::timeout);
  EXPECT_LT(elapsed_since(start), 2s);
}

TEST(HttpClient, RejectsAResponseBodyAboveTheLimit) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) {
      co_await write_response(socket, 200, std::string(4096, 'a'));
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get(server.url());
  req.body_limit = 1000;
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("response body too large"), std::string::npos);
}

TEST(HttpClient, RejectsAChunkedBodyAboveTheLimit) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 50; ++i) {
      if (!co_await write_raw(socket, "64\r\n" + std::string(100, 'b') + "\r\n")) co_return;
    }
    co_await write_raw(socket, "0\r\n\r\n");
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get(server.url());
  req.body_limit = 1000;
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("response body too large"), std::string::npos);
}

TEST(HttpClient, ReportsAMalformedResponse) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) co_await write_raw(socket, "SMTP ready\r\n\r\n");
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(get(server.url())));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::api_connection);
  EXPECT_NE(res.error().message.find("malformed response"), std::string::npos)
      << res.error().message;
}

TEST(HttpClient, SkipsInterimResponsesBeforeTheFinalOne) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket,
                       "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto res = run(ioc, client.send(get(server.url())));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200u);
  EXPECT_EQ(res->body, "ok");
}

TEST(HttpClient, RejectsBadUrlsAsBadRequest) {
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  for (const char* url : {"not a url", "ftp://example.com/x", "http://", "http://host:99999/",
                          "/relative/path", "https://exa mple.com/"}) {
    auto res = run(ioc, client.send(get(url)));
    ASSERT_FALSE(res.ok()) << url;
    EXPECT_EQ(res.error().kind, ErrorKind::bad_request) << url;
  }
  EXPECT_EQ(client.stats().connections_opened, 0u);
}

TEST(HttpClient, RejectsHeaderValuesThatWouldInjectLinesWithoutEchoingThem) {
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get("http://127.0.0.1:9/");
  req.headers.emplace_back("Authorization", "Bearer sk-secret\r\nX-Evil: 1");
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::bad_request);
  EXPECT_EQ(res.error().message.find("sk-secret"), std::string::npos);
}

TEST(HttpClient, StreamsEachChunkBeforeTheServerSendsTheNext) {
  std::atomic<bool> client_got_first{false};
  std::atomic<bool> server_gave_up{false};
  RawServer server([&](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket,
                       "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n"
                       "e\r\ndata: piece1\n\n\r\n");
    // Piece 2 is sent only once the client has shown piece 1: a client that waited for more
    // bytes would stall here until the test gives up.
    for (int i = 0; i < 500 && !client_got_first; ++i)
      co_await sleep_for(10ms);
    if (!client_got_first) {
      server_gave_up = true;
      co_return;
    }
    co_await write_raw(socket, "e\r\ndata: piece2\n\n\r\n0\r\n\r\n");
    co_await serve_echo(socket);
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto stream = run(ioc, client.open(get(server.url("/stream"))));
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  EXPECT_EQ((*stream)->status(), 200u);
  EXPECT_EQ((*stream)->headers().find("content-type"), "text/event-stream");
  auto first = run(ioc, (*stream)->read_some());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "data: piece1\n\n");
  client_got_first = true;
  std::string rest;
  for (int i = 0; i < 10; ++i) {
    auto piece = run(ioc, (*stream)->read_some());
    ASSERT_TRUE(piece.ok()) << piece.error().message;
    if (piece->empty()) break;
    rest += *piece;
  }
  EXPECT_EQ(rest, "data: piece2\n\n");
  EXPECT_FALSE(server_gave_up.load());
  stream->reset();
  // The stream ended cleanly, so its connection went back to the pool.
  auto after = run(ioc, client.send(get(server.url("/after"))));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->body, "GET /after ");
  EXPECT_EQ(client.stats().connections_reused, 1u);
}

TEST(HttpClient, ClosesTheConnectionOfAStreamDestroyedBeforeItsEnd) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    for (;;) {
      auto req = co_await read_request(socket, buffer);
      if (!req) co_return;
      if (req->target() == "/stream") {
        co_await write_raw(socket,
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
      } else {
        co_await write_response(socket, 200, "plain");
      }
    }
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  {
    auto stream = run(ioc, client.open(get(server.url("/stream"))));
    ASSERT_TRUE(stream.ok());
    auto piece = run(ioc, (*stream)->read_some());
    ASSERT_TRUE(piece.ok());
    EXPECT_EQ(*piece, "abc");
  }
  auto res = run(ioc, client.send(get(server.url("/plain"))));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "plain");
  EXPECT_EQ(client.stats().connections_opened, 2u);
  EXPECT_EQ(client.stats().connections_reused, 0u);
}

TEST(HttpClient, ReadAllReturnsTheRestOfAStreamedBody) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket,
                       "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "5\r\n{\"a\":\r\n");
    co_await sleep_for(20ms);
    co_await write_raw(socket, "2\r\n1}\r\n0\r\n\r\n");
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto stream = run(ioc, client.open(get(server.url())));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->status(), 400u);
  auto body = run(ioc, (*stream)->read_all());
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(*body, "{\"a\":1}");
}

TEST(HttpClient, TimesOutAStreamThatFallsSilentForLongerThanTheTimeout) {
  RawServer server([](tcp::socket socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (!co_await read_request(socket, buffer)) co_return;
    co_await write_raw(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n");
    // Pieces every 100 ms: fine with a 300 ms silence bound, even past 300 ms in total...
    for (int i = 0; i < 5; ++i) {
      co_await sleep_for(100ms);
      co_await write_raw(socket, "1\r\n.\r\n");
    }
    co_await sleep_for(5s);  // ...then silence.
  });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto stream = run(ioc, client.open(get(server.url(), 300ms)));
  ASSERT_TRUE(stream.ok());
  std::string got;
  Result<std::string_view> piece = std::string_view{};
  const auto start = Steady::now();
  for (int i = 0; i < 20; ++i) {
    piece = run(ioc, (*stream)->read_some());
    if (!piece.ok()) break;
    got += *piece;
  }
  ASSERT_FALSE(piece.ok());
  EXPECT_EQ(piece.error().kind, ErrorKind::timeout);
  EXPECT_EQ(got, "hi.....");
  EXPECT_LT(elapsed_since(start), 2s);
}

TEST(HttpClient, CancellationThroughABoundSlotAbortsAHungRequestQuickly) {
  RawServer server(answer_then_stall(""));
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  asio::cancellation_signal gone;
  std::optional<Result<ClientResponse>> result;
  Steady::time_point cancelled_at{};
  asio::co_spawn(
      ioc, client.send(post(server.url(), "x", 30s)),
      asio::bind_cancellation_slot(gone.slot(), [&](std::exception_ptr, Result<ClientResponse> r) {
        result.emplace(std::move(r));
      }));
  asio::steady_timer timer(ioc, 100ms);
  timer.async_wait([&](const beast::error_code&) {
    cancelled_at = Steady::now();
    gone.emit(asio::cancellation_type::total);  // what the listener's client_gone_slot emits
  });
  const auto until = Steady::now() + 5s;
  while (!result && Steady::now() < until)
    ioc.run_one_for(10ms);
  ASSERT_TRUE(result.has_value());
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().kind, ErrorKind::api_connection);
  EXPECT_NE(result->error().message.find("cancelled"), std::string::npos);
  EXPECT_LT(elapsed_since(cancelled_at), 1s);
}

TEST(HttpClient, CancellingAStreamReadClosesItsConnection) {
  RawServer server(answer_then_stall("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto stream = run(ioc, client.open(get(server.url(), 30s)));
  ASSERT_TRUE(stream.ok());
  ResponseStream* s = stream->get();
  asio::steady_timer timer(ioc, 50ms);
  timer.async_wait([s](const beast::error_code&) { s->cancel(); });
  const auto start = Steady::now();
  auto piece = run(ioc, s->read_some());
  ASSERT_FALSE(piece.ok());
  EXPECT_NE(piece.error().message.find("cancelled"), std::string::npos) << piece.error().message;
  EXPECT_LT(elapsed_since(start), 2s);
  auto again = run(ioc, s->read_some());
  EXPECT_FALSE(again.ok());
}

TEST(HttpClient, ClosesPooledConnectionsIdleForLongerThanTheTtl) {
  RawServer server(
      [](tcp::socket socket) -> asio::awaitable<void> { co_await serve_echo(socket); });
  asio::io_context ioc;
  core::ManualClock clock;
  auto options = no_proxy_options();
  options.idle_ttl = 1s;
  options.clock = &clock;
  Client client(ioc.get_executor(), options);
  ASSERT_TRUE(run(ioc, client.send(get(server.url()))).ok());
  clock.advance(500ms);
  ASSERT_TRUE(run(ioc, client.send(get(server.url()))).ok());
  EXPECT_EQ(client.stats().connections_reused, 1u);
  clock.advance(1500ms);
  ASSERT_TRUE(run(ioc, client.send(get(server.url()))).ok());
  EXPECT_EQ(client.stats().connections_reused, 1u);
  EXPECT_EQ(client.stats().connections_opened, 2u);
}

TEST(HttpClient, KeepsAtMostMaxIdlePerHostConnections) {
  RawServer server(
      [](tcp::socket socket) -> asio::awaitable<void> { co_await serve_echo(socket); });
  asio::io_context ioc;
  auto options = no_proxy_options();
  options.max_idle_per_host = 2;
  Client client(ioc.get_executor(), options);
  const auto batch = [&](int n) {
    // n requests in flight at once, so each needs its own connection unless one is idle.
    std::atomic<int> done{0};
    for (int i = 0; i < n; ++i) {
      asio::co_spawn(ioc, client.send(get(server.url())),
                     [&](std::exception_ptr, Result<ClientResponse> r) {
                       EXPECT_TRUE(r.ok());
                       ++done;
                     });
    }
    ioc.restart();
    const auto until = Steady::now() + 5s;
    while (done < n && Steady::now() < until)
      ioc.run_one_for(10ms);
    EXPECT_EQ(done.load(), n);
  };
  batch(4);
  EXPECT_EQ(client.stats().connections_opened, 4u);
  batch(4);  // two idle connections were kept, two were closed
  EXPECT_EQ(client.stats().connections_reused, 2u);
  EXPECT_EQ(client.stats().connections_opened, 6u);
}

TEST(HttpClient, TreatsAnEndlessTimeoutAsVeryLong) {
  RawServer server(
      [](tcp::socket socket) -> asio::awaitable<void> { co_await serve_echo(socket); });
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get(server.url("/forever"), Millis::max());
  req.connect_timeout = Millis::max();
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "GET /forever ");
}

TEST(HttpClient, AHeadRequestEndsAfterTheHeader) {
  RawServer server(answer_then_stall("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
  asio::io_context ioc;
  Client client(ioc.get_executor(), no_proxy_options());
  auto req = get(server.url());
  req.method = bhttp::verb::head;
  auto res = run(ioc, client.send(std::move(req)));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->headers.find("Content-Length"), "1000");
  EXPECT_TRUE(res->body.empty());
}

}  // namespace
}  // namespace litellm::http
