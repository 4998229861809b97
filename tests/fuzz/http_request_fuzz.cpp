// Feeds bytes to the listener's request reader with the listener's limits, in pieces whose sizes
// come from the input, the way the listener reads them: a bounded read buffer, unused bytes
// offered again with the next read, pipelined requests read one after another until an error or
// the end of the input. Checks the invariants the listener relies on: a read error maps to a
// known answer, the read buffer never exceeds its bound, a completed request respects the body
// limit; and, differentially, that Beast's request parser (the listener's before ours) reads
// every request ours accepts the same way: method, target, version, keep-alive, fields and body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/ascii.hpp"
#include "http/server.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

void check(bool ok) {
  if (!ok) std::abort();
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && litellm::core::starts_with_icase(a, b);
}

// `raw` is exactly one request that ours read whole: Beast must agree on it.
void compare_with_beast(std::string_view raw, const litellm::http::ServerRequest& ours,
                        const litellm::http::ServerOptions& options) {
  bhttp::request_parser<bhttp::string_body> beast_parser;
  beast_parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  beast_parser.body_limit(options.body_limit);
  beast_parser.eager(true);
  beast::error_code ec;
  const std::size_t used = beast_parser.put(asio::buffer(raw.data(), raw.size()), ec);
  check(!ec && beast_parser.is_done() && used == raw.size());
  const auto& req = beast_parser.get();
  check(req.method_string() == ours.method_string());
  check(req.method() == ours.method());
  check(req.target() == ours.target());
  check(req.version() == ours.version());
  // The parser's view, which reads every Connection field; the message's reads the first only.
  check(beast_parser.keep_alive() == ours.keep_alive());
  check(req.body() == ours.body());
  // Every field ours kept, with the value Beast kept (ours refuses folds in requests). Beast
  // lists fields of one name together, ours in arrival order: the k-th field of a name is
  // compared with Beast's k-th of that name.
  const auto& fields = ours.fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto field = fields[i];
    std::size_t k = 0;
    for (std::size_t j = 0; j < i; ++j)
      k += fields[j].name == field.name ? 1 : 0;
    auto it = req.begin();
    for (; it != req.end(); ++it) {
      if (iequal(it->name_string(), field.name) && k-- == 0) break;
    }
    check(it != req.end());
    check(it->value() == field.value);
  }
  // Beast adds a chunked body's trailer fields to the message; ours reads past them.
  const auto beast_count = static_cast<std::size_t>(std::distance(req.begin(), req.end()));
  check(beast_count == fields.size() || ours.find("transfer-encoding"));
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
  std::string_view offered = input;  // where the current request's bytes start

  beast::flat_buffer buffer(litellm::http::read_buffer_limit(options));
  auto req = litellm::http::make_server_request(options);
  int requests = 0;
  while (requests < 64) {
    req.reset(4096);
    beast::error_code ec;
    const std::size_t buffered_before = buffer.size();
    std::size_t taken = 0;  // input bytes this request's reads added to the buffer
    for (;;) {
      const auto bytes = buffer.data();
      buffer.consume(
          req.put(std::string_view(static_cast<const char*>(bytes.data()), bytes.size()), ec));
      if (ec || req.done()) break;
      if (input.empty()) {
        // End of input: as the socket's EOF.
        ec = req.got_some() || buffer.size() > 0 ? bhttp::error::partial_message
                                                 : bhttp::error::end_of_stream;
        break;
      }
      const std::size_t room = buffer.max_size() - buffer.size();
      if (room == 0) {
        ec = bhttp::error::header_limit;
        break;
      }
      const std::size_t n = std::min({step, input.size(), room});
      auto dst = buffer.prepare(n);
      asio::buffer_copy(dst, asio::buffer(input.data(), n));
      buffer.commit(n);
      input.remove_prefix(n);
      taken += n;
      check(buffer.size() <= litellm::http::read_buffer_limit(options));
    }
    if (ec) {
      const unsigned status = litellm::http::status_for_read_error(ec);
      check(status == 0 || status == 400 || status == 413 || status == 431);
      return 0;
    }
    check(req.body().size() <= options.body_limit);
    check(req.version() == 10 || req.version() == 11);
    // The request's bytes: what was buffered before it, what its reads took, minus what is left.
    const std::size_t length = buffered_before + taken - buffer.size();
    compare_with_beast(offered.substr(0, length), req, options);
    offered.remove_prefix(length);
    ++requests;
    if (input.empty() && buffer.size() == 0) break;
  }
  return 0;
}
