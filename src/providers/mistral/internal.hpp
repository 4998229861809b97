// Pieces shared by the Mistral adapter's translation units.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/json_writer.hpp"
#include "providers/adapter.hpp"

namespace litellm::providers::mistral::internal {

namespace json = boost::json;

inline constexpr std::string_view kProvider = "mistral";
inline constexpr std::string_view kExceptionName = "MistralException";

/// Authorization (when a key is set), Content-Type, Accept, then the deployment's extra headers.
std::vector<std::pair<std::string, std::string>> request_headers(const Target& target, bool stream);

/// Mistral's content chunk list -> the text (text chunks, concatenated) and the reasoning
/// (thinking chunks' text parts, joined with `thinking_sep`; several thinking chunks with "\n").
struct SplitContent {
  std::string text;
  std::string reasoning;
};
void split_content_list(const json::array& chunks, std::string_view thinking_sep,
                        SplitContent& out);

/// A string read by an event reader: a view of the body when it was written there without
/// escapes (the parser then hands over the body's own bytes), else an unescaped copy. No
/// allocation for the usual id, model and text.
class BodyText {
 public:
  void set(std::string_view s, std::string_view body) {
    if (s.data() >= body.data() && s.data() + s.size() <= body.data() + body.size()) {
      view_ = s;
      owned_ = false;
    } else {
      own_.assign(s);
      owned_ = true;
    }
  }
  std::string_view get() const noexcept { return owned_ ? std::string_view(own_) : view_; }

 private:
  std::string_view view_;
  std::string own_;
  bool owned_ = false;
};

/// The common chat answer (plain text choices and usage) converted without building a document
/// (chat_answer_fast.cpp); nullopt for anything else, which the document path then converts
/// (or reports). Where both accept an answer they write the same text.
std::optional<ChatAnswer> chat_answer_fast(std::string_view body, const Target& target);
/// The document path alone (chat_response.cpp): what MistralAdapter::chat_answer does when the
/// fast path declines.
Result<ChatAnswer> chat_answer_document(std::string_view body, const json::object& request,
                                        const Target& target);

/// Opens the OpenAI `chat.completion` object both answer readers write: id, object, created and
/// model (Mistral's, or the defaults when it sent none), then the key of the choices array.
void begin_completion(core::JsonWriter& w, std::optional<std::string_view> id,
                      std::optional<std::int64_t> created, std::optional<std::string_view> model,
                      const Target& target);

/// The stream decoder with its event reader for the usual chunk (plain text deltas) on or off:
/// MistralAdapter::chat_stream turns it on; tests hold both to the same output. `fast_chunks`,
/// when given, counts the chunks the event reader took.
std::unique_ptr<ChatStreamDecoder> chat_stream_decoder(bool include_usage, std::string model,
                                                       bool fast,
                                                       std::size_t* fast_chunks = nullptr);

/// Mistral's finish_reason -> OpenAI's ("model_length" -> "length"). "error" is the caller's.
std::string_view openai_finish_reason(std::string_view mistral) noexcept;

}  // namespace litellm::providers::mistral::internal
