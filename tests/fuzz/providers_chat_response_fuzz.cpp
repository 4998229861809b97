// An upstream chat/embeddings answer body -> chat_answer / embedding_response. The chat answer
// is JSON text written by core::JsonWriter from whatever the body held: it must always parse.
// Mistral's answers have two readers (events for the usual shape, a document for the rest):
// where the event reader accepts a body, both must write the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "providers/adapter.hpp"
#include "providers/mistral/internal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace litellm;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  providers::Target t;
  t.provider = "mistral";
  t.model = "mistral-small-latest";
  const boost::json::object plain;
  const boost::json::object base64{{"encoding_format", "base64"}};
  if (auto fast = providers::mistral::internal::chat_answer_fast(body, t)) {
    auto document = providers::mistral::internal::chat_answer_document(body, plain, t);
    if (!document || document->body != fast->body || document->total_tokens != fast->total_tokens) {
      std::abort();
    }
  }
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
