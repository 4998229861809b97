// Fuzzes the emulator's whole request path without sockets: the first byte picks the route
// (chat, FIM, embeddings, models), the rest is the body. Streams are drained so rendering is
// covered too. Any crash, hang or unbounded growth here is reachable by any local client.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "emulator/service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm::emulator;
  static Service service{EmulatorOptions{}};
  if (size == 0) return 0;
  static constexpr std::string_view kRoutes[] = {"/v1/chat/completions", "/v1/fim/completions",
                                                 "/v1/embeddings", "/v1/models/codestral-latest"};
  Request r;
  r.method = (data[0] & 3) == 3 ? "GET" : "POST";
  r.target = kRoutes[data[0] & 3];
  r.authorization = "Bearer fuzz";
  r.reasoning = (data[0] & 4) != 0 ? "think_tags" : "";
  r.body = std::string_view(reinterpret_cast<const char*>(data + 1), size - 1);
  Reply reply = service.handle(r);
  if (reply.stream) {
    std::string event;
    for (int i = 0; i < 100000 && !reply.stream->next(event).done; ++i) {
    }
  }
  return 0;
}
