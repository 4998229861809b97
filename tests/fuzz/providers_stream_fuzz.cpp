// Upstream SSE bytes -> the stream decoders, fed whole and in splits chosen by the input's
// first bytes. The chunks and the outcome must be the same for every split, and for Mistral the
// same whether the usual chunks are read as events or every chunk as a document.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "providers/adapter.hpp"
#include "providers/mistral/internal.hpp"

namespace {

struct Outcome {
  std::vector<std::string> chunks;
  bool ok = true;
  std::string error;
};

Outcome run(std::unique_ptr<litellm::providers::ChatStreamDecoder> d, std::string_view bytes,
            std::string_view splits) {
  Outcome o;
  std::size_t at = 0;
  std::size_t k = 0;
  while (at < bytes.size()) {
    std::size_t n = splits.empty()
                        ? bytes.size()
                        : 1 + static_cast<unsigned char>(splits[k++ % splits.size()]) % 32;
    n = std::min(n, bytes.size() - at);
    if (auto r = d->feed(bytes.substr(at, n), o.chunks); !r) {
      o.ok = false;
      o.error = r.error().message;
      return o;
    }
    at += n;
  }
  if (auto r = d->finish(o.chunks); !r) {
    o.ok = false;
    o.error = r.error().message;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm;
  if (size < 4) return 0;
  // Byte 0: options; bytes 1..3: the split pattern; the rest: the stream.
  const bool include_usage = (data[0] & 1) != 0;
  const char* provider = (data[0] & 2) != 0 ? "openai" : "mistral";
  std::string_view splits(reinterpret_cast<const char*>(data + 1), 3);
  std::string_view bytes(reinterpret_cast<const char*>(data + 4), size - 4);
  boost::json::object request{{"stream", true}};
  if (include_usage) request["stream_options"] = boost::json::object{{"include_usage", true}};
  providers::Target t;
  t.provider = provider;
  t.model = "m";
  const auto& a = *providers::find_adapter(provider);
  Outcome whole = run(a.chat_stream(request, t), bytes, {});
  Outcome split = run(a.chat_stream(request, t), bytes, splits);
  if (whole.chunks != split.chunks || whole.ok != split.ok || whole.error != split.error)
    std::abort();
  if ((data[0] & 2) == 0) {
    Outcome document = run(
        providers::mistral::internal::chat_stream_decoder(include_usage, t.model, /*fast=*/false),
        bytes, splits);
    if (whole.chunks != document.chunks || whole.ok != document.ok || whole.error != document.error)
      std::abort();
  }
  return 0;
}
