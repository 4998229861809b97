// Upstream error answers -> map_error. Byte 0 picks the status, the next line a Retry-After
// value, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "providers/adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm;
  if (size == 0) return 0;
  static constexpr unsigned kStatuses[] = {400, 401, 403, 404, 408, 409, 413, 422,
                                           429, 500, 502, 503, 504, 418, 529, 200};
  const unsigned status = kStatuses[data[0] % 16];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  http::ResponseFields headers;
  if (auto nl = rest.find('\n'); nl != std::string_view::npos && nl < 64) {
    std::string value(rest.substr(0, nl));
    bool printable = true;
    for (char c : value)
      printable = printable && c >= 0x20 && c < 0x7f;
    if (printable) headers.add("Retry-After", value);
    rest.remove_prefix(nl + 1);
  }
  providers::Target t;
  t.provider = "mistral";
  t.model = "mistral-small-latest";
  for (const char* name : {"mistral", "openai"}) {
    Error e = providers::find_adapter(name)->map_error(status, rest, headers, t);
    if (e.body != rest) std::abort();           // kept verbatim
    if (e.message.size() > 4096) std::abort();  // bounded
    (void)e.to_openai_json();
  }
  return 0;
}
