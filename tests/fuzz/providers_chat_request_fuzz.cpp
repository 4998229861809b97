// A client's chat/embeddings body -> every adapter's request builder. The first byte picks the
// target's options (drop_params, reasoning mode, model) so all branches are reachable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json.hpp"
#include "providers/adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = core::parse_json_object(text);
  if (!parsed) return 0;
  providers::Target t;
  t.provider = "mistral";
  t.model = (mode & 1) ? "magistral-medium-latest" : "codestral-embed";
  t.api_key = "k";
  t.drop_params = (mode & 2) != 0;
  t.reasoning = static_cast<providers::ReasoningMode>((mode >> 2) % 5);
  t.info = model_info("mistral/" + t.model);
  for (const char* name : {"mistral", "openai", "ollama"}) {
    const providers::ProviderAdapter* a = providers::find_adapter(name);
    auto chat = a->chat_request(*parsed, t);
    if (chat) boost::json::parse(chat->body);  // what we send is always valid JSON
    auto emb = a->embedding_request(*parsed, t);
    if (emb) boost::json::parse(emb->body);
  }
  return 0;
}
