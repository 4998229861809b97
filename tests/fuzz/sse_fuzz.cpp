// Fuzz target: the SSE decoder must give the same events, and fail or not alike, whatever the
// split of its input. Input layout: byte 0 picks the event size limit (small limits exercise the
// bound), byte 1 seeds the split points, the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

#include "http/sse.hpp"

namespace {

using litellm::http::SseDecoder;
using litellm::http::SseEvent;

struct Outcome {
  std::vector<SseEvent> events;
  bool ok = true;
};

// Feeds `bytes` in pieces whose sizes come from `next_size` (0 = the rest).
template <class NextSize>
Outcome decode(std::string_view bytes, std::size_t limit, NextSize next_size) {
  SseDecoder decoder(limit);
  Outcome out;
  while (!bytes.empty()) {
    std::size_t n = next_size();
    if (n == 0 || n > bytes.size()) n = bytes.size();
    if (!decoder.feed(bytes.substr(0, n), out.events)) {
      out.ok = false;
      return out;
    }
    bytes.remove_prefix(n);
  }
  decoder.finish(out.events);
  return out;
}

void check_same(const Outcome& a, const Outcome& b) {
  if (a.ok != b.ok || a.events != b.events) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = data[0] < 128 ? 1 + data[0] : 8 * 1024 * 1024;
  std::minstd_rand rng(data[1]);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  const Outcome whole = decode(bytes, limit, [] { return std::size_t{0}; });
  check_same(whole, decode(bytes, limit, [] { return std::size_t{1}; }));
  check_same(whole, decode(bytes, limit, [&] { return std::size_t{1} + rng() % 7; }));
  check_same(whole, decode(bytes, limit, [&] { return std::size_t{1} + rng() % 64; }));
  // On success every event's data is bounded by the limit.
  if (whole.ok) {
    for (const auto& e : whole.events) {
      if (e.data.size() > limit) std::abort();
    }
  }
  return 0;
}
