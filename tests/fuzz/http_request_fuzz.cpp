// Feeds bytes through the listener's request parser configuration, in pieces whose sizes come
// from the input, the way the listener reads them: a bounded read buffer, a fresh parser per
// request, pipelined requests parsed one after another until an error or the end of the input.
// Checks the invariants the listener relies on: a parse error maps to a known answer, the read
// buffer never exceeds its bound, and a completed request respects the body limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "http/server.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using litellm::http::RequestParser;

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Small limits so the fuzzer reaches them; the first byte picks the read size (1..64).
  litellm::http::ServerOptions options;
  options.header_limit = 2048;
  options.body_limit = 4096;
  const std::size_t step = 1 + (data[0] % 64);
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  beast::flat_buffer buffer(litellm::http::read_buffer_limit(options));
  int requests = 0;
  while (requests < 64) {
    RequestParser parser;
    litellm::http::configure_request_parser(parser, options);
    beast::error_code ec;
    for (;;) {
      if (buffer.size() > 0) {
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) {
          ec = {};
        } else if (ec || parser.is_done()) {
          break;
        } else if (used > 0) {
          continue;
        }
      }
      if (input.empty()) {
        // End of input: as the socket's EOF.
        if (parser.got_some()) parser.put_eof(ec);
        if (!ec && !parser.is_done()) ec = bhttp::error::end_of_stream;
        break;
      }
      const std::size_t room = buffer.max_size() - buffer.size();
      if (room == 0) {
        ec = bhttp::error::buffer_overflow;
        break;
      }
      const std::size_t n = std::min({step, input.size(), room});
      auto dst = buffer.prepare(n);
      asio::buffer_copy(dst, asio::buffer(input.data(), n));
      buffer.commit(n);
      input.remove_prefix(n);
      check(buffer.size() <= litellm::http::read_buffer_limit(options));
    }
    if (ec) {
      const unsigned status = litellm::http::status_for_read_error(ec);
      check(status == 0 || status == 400 || status == 413 || status == 431);
      return 0;
    }
    const auto& req = parser.get();
    check(req.body().size() <= options.body_limit);
    check(req.version() == 10 || req.version() == 11);
    ++requests;
    if (input.empty() && buffer.size() == 0) break;
  }
  return 0;
}
