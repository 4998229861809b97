// An upstream chat/embeddings answer body -> chat_answer / embedding_response. The chat answer
// is JSON text written by core::JsonWriter from whatever the body held: it must always parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "providers/adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  providers::Target t;
  t.provider = "mistral";
  t.model = "mistral-small-latest";
  const boost::json::object plain;
  const boost::json::object base64{{"encoding_format", "base64"}};
  for (const char* name : {"mistral", "groq"}) {
    const providers::ProviderAdapter* a = providers::find_adapter(name);
    auto chat = a->chat_answer(body, plain, t);
    if (chat) {
      boost::system::error_code ec;
      auto v = boost::json::parse(chat->body, ec);
      if (ec || !v.is_object()) std::abort();
    }
    auto emb = a->embedding_response(body, base64, t);
    if (emb) (void)boost::json::serialize(*emb);
  }
  return 0;
}
