// Upstream answers through the client's response parser, in the pieces a socket could deliver,
// checked against Beast's parser on the same bytes. Byte 0 picks the read size (1..64), byte 1
// the output room for body bytes (1..256) and whether the request was a HEAD; the rest is what
// the server sent before closing the connection.
//
// Invariants: the parser never consumes more than it was given nor writes more than the room; a
// body never passes the limit; a message it completes is one Beast also completes with the same
// status and body (the reverse does not hold: this parser refuses a few things Beast accepts).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message_parser.hpp"

namespace {

namespace bhttp = boost::beast::http;

constexpr std::size_t kHeaderLimit = 2048;
constexpr std::uint64_t kBodyLimit = 4096;

void check(bool ok) {
  if (!ok) std::abort();
}

struct Outcome {
  bool complete = false;
  unsigned status = 0;
  std::string body;
};

// Feeds `wire` `step` bytes at a time the way the client reads: unparsed bytes stay buffered.
Outcome ours(std::string_view wire, std::size_t step, std::size_t room, bool head_request) {
  litellm::http::ResponseParser p(kHeaderLimit, kBodyLimit, head_request);
  Outcome out;
  std::string buffer;
  std::size_t fed = 0;
  boost::system::error_code ec;
  const auto read = [&] {
    const std::size_t n = std::min(step, wire.size() - fed);
    buffer.append(wire.substr(fed, n));
    fed += n;
    return n > 0;
  };
  for (;;) {
    if (!buffer.empty()) {
      const std::size_t used = p.put_head(buffer, ec);
      check(used <= buffer.size());
      if (ec) return out;
      if (used > 0) {
        buffer.erase(0, used);
        break;
      }
    }
    check(buffer.size() <= kHeaderLimit);
    if (!read()) return out;
  }
  // An interim answer ends here; what follows would be the next head.
  std::string piece(room, '\0');
  for (;;) {
    while (!p.done() && !buffer.empty()) {
      const auto s = p.put_body(buffer, piece.data(), piece.size(), (fed & 1) != 0, ec);
      check(s.used <= buffer.size() && s.produced <= room);
      buffer.erase(0, s.used);
      out.body.append(piece.data(), s.produced);
      check(out.body.size() <= kBodyLimit);
      if (ec) return out;
      if (s.used == 0 && s.produced == 0) break;
    }
    if (p.done()) break;
    if (!read()) {
      p.put_eof(ec);
      if (ec) return out;
      check(p.done());
      break;
    }
  }
  if (const auto length = p.content_length()) check(out.body.size() == *length);
  out.complete = true;
  out.status = p.status();
  return out;
}

Outcome beasts(std::string_view wire, bool head_request) {
  bhttp::response_parser<bhttp::string_body> p;
  p.header_limit(kHeaderLimit);
  p.body_limit(kBodyLimit);
  p.eager(true);
  if (head_request) p.skip(true);
  Outcome out;
  boost::system::error_code ec;
  p.put(boost::asio::buffer(wire.data(), wire.size()), ec);
  if ((!ec || ec == bhttp::error::need_more) && p.is_header_done() && p.need_eof()) {
    ec = {};
    p.put_eof(ec);
  }
  if (ec || !p.is_done()) return out;
  out.complete = true;
  out.status = p.get().result_int();
  out.body = p.get().body();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t step = 1 + (data[0] % 64);
  const std::size_t room = 1 + (data[1] % 128) * 2;
  const bool head_request = (data[1] & 0x80) != 0;
  const std::string_view wire(reinterpret_cast<const char*>(data + 2), size - 2);
  const Outcome a = ours(wire, step, room, head_request);
  if (!a.complete) return 0;
  // Beast parses one message from the whole input; compare only when ours read one message and
  // nothing after it would change Beast's view (an interim answer is followed by another head).
  if (a.status >= 100 && a.status < 200) return 0;
  const Outcome b = beasts(wire, head_request);
  if (!b.complete) return 0;
  check(a.status == b.status);
  check(a.body == b.body);
  return 0;
}
