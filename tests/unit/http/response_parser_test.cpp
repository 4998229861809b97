// The client's response parser, fed whole and in every split a socket could produce.
#include "http/message_parser.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <boost/beast/http/error.hpp>

namespace litellm::http {
namespace {

using Http = boost::beast::http::error;
using boost::system::error_code;

struct Parsed {
  error_code ec;
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  bool done = false;
  bool keep_alive = false;
  std::size_t left = 0;  // input bytes not consumed
};

// Feeds `wire` `step` bytes at a time, the way the client does: the unparsed bytes stay in a
// buffer that grows with each read; the body is taken into an output of `room` bytes at a time.
// `eof`: the server closes after the last byte.
Parsed feed(std::string_view wire, std::size_t step, bool eof = false, std::size_t room = 7,
            std::uint64_t body_limit = 1 << 20, bool head_request = false,
            std::size_t header_limit = 4096) {
  ResponseParser p(header_limit, body_limit, head_request);
  Parsed out;
  std::string buffer;
  std::size_t fed = 0;
  const auto read = [&] {
    const std::size_t n = std::min(step, wire.size() - fed);
    buffer.append(wire.substr(fed, n));
    fed += n;
    return n > 0;
  };
  while (!p.header_done()) {
    if (!buffer.empty()) {
      const std::size_t used = p.put_head(buffer, out.ec);
      if (out.ec) return out;
      if (used > 0) {
        buffer.erase(0, used);
        break;
      }
    }
    if (!read()) {
      if (eof) out.ec = p.got_some() ? Http::partial_message : Http::end_of_stream;
      return out;
    }
  }
  out.status = p.status();
  for (const auto [name, value] : p.fields())
    out.fields.emplace_back(name, value);
  std::string piece(room, '\0');
  for (;;) {
    while (!p.done() && !buffer.empty()) {
      const auto s = p.put_body(buffer, piece.data(), piece.size(), true, out.ec);
      buffer.erase(0, s.used);
      out.body.append(piece.data(), s.produced);
      if (out.ec) return out;
      if (s.used == 0 && s.produced == 0) break;
    }
    if (p.done()) break;
    if (!read()) {
      if (eof) p.put_eof(out.ec);
      if (out.ec || !p.done()) {
        if (!out.ec) out.ec = Http::need_more;
        return out;
      }
      break;
    }
  }
  out.done = p.done();
  out.keep_alive = p.keep_alive();
  out.left = buffer.size() + (wire.size() - fed);
  return out;
}

// The same answer in every read size from one byte to all of it.
template <class Check>
void for_every_split(std::string_view wire, bool eof, Check check) {
  for (std::size_t step = 1; step <= wire.size(); ++step) {
    SCOPED_TRACE("read size " + std::to_string(step));
    check(feed(wire, step, eof));
  }
}

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(ResponseParser, ReadsStatusLowerCasedTrimmedFieldsInOrderAndALengthFramedBody) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-RateLimit-Remaining:  99 \r\n"
      "Content-Length: 11\r\nX-Empty:\r\n\r\nhello world";
  for_every_split(wire, false, [](const Parsed& r) {
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.fields, (Fields{{"content-type", "application/json"},
                                {"x-ratelimit-remaining", "99"},
                                {"content-length", "11"},
                                {"x-empty", ""}}));
    EXPECT_EQ(r.body, "hello world");
    EXPECT_TRUE(r.done);
    EXPECT_TRUE(r.keep_alive);
  });
}

TEST(ResponseParser, LeavesTheNextAnswersBytesUnconsumed) {
  const Parsed r = feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1", 1000);
  ASSERT_FALSE(r.ec);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.left, 8u);
}

TEST(ResponseParser, DecodesChunksWithExtensionsAndSkipsTrailers) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n1 \r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
  for_every_split(wire, false, [](const Parsed& r) {
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.body, "hello 0123456789");
    EXPECT_TRUE(r.done);
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.left, 0u);
  });
}

TEST(ResponseParser, WithoutDrainStopsAfterTheFirstChunkThatGaveBytes) {
  ResponseParser p(4096, 1 << 20);
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  error_code ec;
  ASSERT_EQ(p.put_head(head, ec), head.size());
  const std::string body = "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
  char out[64];
  const auto first = p.put_body(body, out, sizeof out, false, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(std::string_view(out, first.produced), "abc");
  EXPECT_FALSE(p.done());
  const auto rest =
      p.put_body(std::string_view(body).substr(first.used), out, sizeof out, true, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(std::string_view(out, rest.produced), "def");
  EXPECT_TRUE(p.done());
}

TEST(ResponseParser, ABodyWithoutLengthRunsToTheCloseAndEndsTheConnection) {
  for_every_split("HTTP/1.1 200 OK\r\n\r\nuntil the end", true, [](const Parsed& r) {
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.body, "until the end");
    EXPECT_TRUE(r.done);
    EXPECT_FALSE(r.keep_alive);
  });
  // A transfer coding other than chunked last: also to the close.
  const Parsed r = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nxyz", 64, true);
  ASSERT_FALSE(r.ec);
  EXPECT_EQ(r.body, "xyz");
  EXPECT_FALSE(r.keep_alive);
}

TEST(ResponseParser, KeepAliveFollowsTheVersionAndTheConnectionField) {
  const auto keep = [](std::string head) {
    const Parsed r = feed(head + "Content-Length: 0\r\n\r\n", 1000);
    EXPECT_FALSE(r.ec) << head;
    return r.keep_alive;
  };
  EXPECT_TRUE(keep("HTTP/1.1 200 OK\r\n"));
  EXPECT_FALSE(keep("HTTP/1.1 200 OK\r\nConnection: upgrade, Close\r\n"));
  EXPECT_FALSE(keep("HTTP/1.0 200 OK\r\n"));
  EXPECT_TRUE(keep("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"));
  EXPECT_FALSE(keep("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"));
}

TEST(ResponseParser, AnswersWithoutABodyEndAtTheirHead) {
  for (const char* wire : {"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                           "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                           "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"}) {
    const Parsed r = feed(wire, 1000);
    EXPECT_FALSE(r.ec) << wire;
    EXPECT_TRUE(r.done) << wire;
    EXPECT_EQ(r.body, "") << wire;
  }
  const Parsed head = feed("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 1000, false, 7,
                           1 << 20, /*head_request=*/true);
  EXPECT_FALSE(head.ec);
  EXPECT_TRUE(head.done);
  EXPECT_TRUE(head.keep_alive);
}

TEST(ResponseParser, JoinsAFoldedValueWithSpaces) {
  const Parsed r = feed("HTTP/1.1 200 OK\r\nX-Long: one\r\n   two\r\nContent-Length: 0\r\n\r\n", 5);
  ASSERT_FALSE(r.ec) << r.ec.message();
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].first, "x-long");
  EXPECT_EQ(r.fields[0].second, "one     two");
}

TEST(ResponseParser, RefusesMalformedHeads) {
  using namespace std::string_literals;  // "..."s keeps the NUL below
  const std::pair<std::string, Http> cases[] = {
      {"HTTP/1.1 200 OK\nContent-Length: 0\n\n", Http::bad_line_ending},
      {"HTTP/2.0 200 OK\r\n\r\n"s, Http::bad_version},
      {"ICY 200 OK\r\n\r\n", Http::bad_version},
      {"HTTP/1.1 2x0 OK\r\n\r\n"s, Http::bad_status},
      {"HTTP/1.1 099 Low\r\n\r\n"s, Http::bad_status},
      {"HTTP/1.1 200OK\r\n\r\n"s, Http::bad_status},
      {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"s, Http::bad_field},
      {"HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n"s, Http::bad_field},
      {"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n"s, Http::bad_field},
      {"HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\n\r\n"s, Http::bad_value},
      {"HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\n\r\n"s, Http::bad_value},
      {"HTTP/1.1 200 OK\r\n folded-first\r\n\r\n"s, Http::bad_value},
      {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"s,
       Http::bad_content_length},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"s, Http::bad_content_length},
      {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"s,
       Http::bad_content_length},
      {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"s,
       Http::bad_transfer_encoding},
  };
  for (const auto& [wire, want] : cases)
    EXPECT_EQ(feed(wire, 3).ec, want) << wire;
}

TEST(ResponseParser, RefusesAHeadAboveTheLimitWithoutWaitingForItsEnd) {
  const std::string wire = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(5000, 'a');
  const Parsed r = feed(wire, 512);
  EXPECT_EQ(r.ec, Http::header_limit);
}

TEST(ResponseParser, EnforcesTheBodyLimitForEveryFraming) {
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", 100, false, 7, 10).ec,
            Http::body_limit);
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef"
                 "\r\n0\r\n\r\n",
                 100, false, 7, 10)
                .ec,
            Http::body_limit);
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\n\r\n" + std::string(11, 'x'), 3, true, 7, 10).ec,
            Http::body_limit);
  // Exactly at the limit is fine.
  EXPECT_FALSE(feed("HTTP/1.1 200 OK\r\n\r\n" + std::string(10, 'x'), 3, true, 7, 10).ec);
}

TEST(ResponseParser, RefusesMalformedChunks) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const char* body : {"g\r\nx\r\n", "\r\n", "3\r\nabcX\r\n", "3 x\r\nabc\r\n",
                           "3;\x01\r\nabc\r\n", "1234567890abcdef0\r\n", "3\nabc\r\n"}) {
    EXPECT_EQ(feed(head + body, 4).ec, Http::bad_chunk) << body;
  }
  EXPECT_EQ(feed(head + std::string(5000, '1'), 512).ec, Http::bad_chunk);
}

TEST(ResponseParser, AConnectionClosedInsideAMessageIsAPartialMessage) {
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 4, true).ec,
            Http::partial_message);
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", 4, true).ec,
            Http::partial_message);
  EXPECT_EQ(feed("HTTP/1.1 200 OK\r\nContent-", 4, true).ec, Http::partial_message);
}

TEST(ResponseFields, FindsAFieldByNameInAnyCaseAndIteratesInOrder) {
  ResponseFields f;
  f.add("Retry-After", "3");
  f.add("X-RateLimit-Limit", "10");
  EXPECT_EQ(f.find("retry-after"), "3");
  EXPECT_EQ(f.find("RETRY-AFTER"), "3");
  EXPECT_EQ(f.find("x-ratelimit-limit"), "10");
  EXPECT_EQ(f.find("retry-afte"), std::nullopt);
  std::vector<std::string> names;
  for (const auto [name, value] : f)
    names.emplace_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"retry-after", "x-ratelimit-limit"}));
}

}  // namespace
}  // namespace litellm::http
