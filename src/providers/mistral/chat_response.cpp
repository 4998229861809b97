// Mistral chat.completion body -> OpenAI chat.completion, written as JSON text. Parsed leniently:
// unknown fields are ignored, missing optional ones defaulted.
#include <vector>

#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/think.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;

// Tool calls in OpenAI's shape, from Mistral's (which may omit `type`, or send arguments as an
// object). Entries that are not objects are skipped.
void write_tool_calls(core::JsonWriter& w, const std::vector<const json::object*>& parts) {
  std::string scratch;
  w.begin_array();
  for (const json::object* m : parts) {
    const json::array* calls = core::get_array(*m, "tool_calls");
    if (calls == nullptr) continue;
    for (const auto& c : *calls) {
      if (!c.is_object()) continue;
      const auto& o = c.get_object();
      w.begin_object();
      if (auto id = core::get_string(o, "id")) {
        w.key("id");
        w.string(*id);
      }
      w.key("type");
      w.string("function");
      w.key("function");
      w.begin_object();
      const json::object* f = core::get_object(o, "function");
      if (f != nullptr) {
        if (auto name = core::get_string(*f, "name")) {
          w.key("name");
          w.string(*name);
        }
      }
      w.key("arguments");
      w.string(
          detail::arguments_text(f != nullptr ? core::find(*f, "arguments") : nullptr, scratch));
      w.end_object();
      w.end_object();
    }
  }
  w.end_array();
}

bool has_tool_calls(const std::vector<const json::object*>& parts) {
  for (const json::object* m : parts) {
    if (const json::array* calls = core::get_array(*m, "tool_calls")) {
      for (const auto& c : *calls) {
        if (c.is_object()) return true;
      }
    }
  }
  return false;
}

// One assistant message from Mistral's `message` (or the pieces of `messages`, the spec's
// alternative form): content flattened to a string, thinking chunks and <think> text to
// reasoning_content, tool calls in OpenAI's shape. Returns whether it has tool calls.
bool write_message(core::JsonWriter& w, const std::vector<const json::object*>& parts) {
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  const json::value* only = parts.size() == 1 ? core::find(*parts[0], "content") : nullptr;
  if (only != nullptr && only->is_string() &&
      (only->get_string().empty() || only->get_string().front() != '<')) {
    // The usual answer, one plain string that cannot open with a <think> tag: written from the
    // parsed text as it is. ("" -> null below, as LiteLLM's _handle_empty_content_response.)
    if (only->get_string().empty()) {
      w.null();
    } else {
      w.string(only->get_string());
    }
  } else {
    std::string text;
    std::string reasoning;
    ThinkSplitter think;
    for (const json::object* m : parts) {
      const json::value* c = core::find(*m, "content");
      if (c == nullptr) continue;
      if (c->is_string()) {
        think.feed(c->get_string(), text, reasoning);
      } else if (c->is_array()) {
        internal::SplitContent split;
        split.reasoning = std::move(reasoning);
        // LiteLLM's non-streamed path joins a thinking chunk's text parts with "\n".
        internal::split_content_list(c->get_array(), "\n", split);
        reasoning = std::move(split.reasoning);
        think.feed(split.text, text, reasoning);
      }
    }
    think.flush(text, reasoning);
    // Mistral sometimes answers "" where OpenAI says null (_handle_empty_content_response).
    if (text.empty()) {
      w.null();
    } else {
      w.string(text);
    }
    if (!reasoning.empty()) {
      w.key("reasoning_content");
      w.string(reasoning);
    }
  }
  const bool tools = has_tool_calls(parts);
  if (tools) {
    w.key("tool_calls");
    write_tool_calls(w, parts);
  }
  w.end_object();
  return tools;
}

}  // namespace

void internal::begin_completion(core::JsonWriter& w, std::optional<std::string_view> id,
                                std::optional<std::int64_t> created,
                                std::optional<std::string_view> model, const Target& target) {
  w.begin_object();
  w.key("id");
  w.string(id.value_or("chatcmpl-mistral"));
  w.key("object");
  w.string("chat.completion");
  w.key("created");
  w.int64(created.value_or(0));
  w.key("model");
  w.string(model.value_or(target.model));
  w.key("choices");
}

Result<ChatAnswer> MistralAdapter::chat_answer(std::string_view body, const json::object& request,
                                               const Target& target) const {
  if (auto fast = internal::chat_answer_fast(body, target)) return std::move(*fast);
  return internal::chat_answer_document(body, request, target);
}

Result<ChatAnswer> internal::chat_answer_document(std::string_view body,
                                                  const json::object& request,
                                                  const Target& target) {
  const detail::Origin origin{internal::kProvider, internal::kExceptionName, target.model};
  auto parsed = detail::parse_answer(body, "choices", "chat", origin, request);
  if (!parsed) return std::move(parsed).error();
  const json::object& in = *parsed;
  const json::array& choices = *core::get_array(in, "choices");

  ChatAnswer answer;
  // The answer is about as long as Mistral's: one allocation in the common case.
  core::JsonWriter w(body.size() + 128);
  internal::begin_completion(w, core::get_string(in, "id"), core::get_int(in, "created"),
                             core::get_string(in, "model"), target);
  w.begin_array();
  std::vector<const json::object*> parts;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (!choices[i].is_object()) continue;
    const auto& c = choices[i].get_object();
    std::string_view finish = core::get_string(c, "finish_reason").value_or("stop");
    if (finish == "error") {
      return detail::bad_answer(origin, "the model stopped with finish_reason 'error'", body);
    }
    parts.clear();
    if (const json::object* m = core::get_object(c, "message")) {
      parts.push_back(m);
    } else if (const json::array* ms = core::get_array(c, "messages")) {
      for (const auto& piece : *ms) {
        if (piece.is_object()) parts.push_back(&piece.get_object());
      }
    }
    w.begin_object();
    w.key("index");
    w.int64(core::get_int(c, "index").value_or(static_cast<std::int64_t>(i)));
    w.key("message");
    const bool tools = write_message(w, parts);
    finish = internal::openai_finish_reason(finish);
    if (finish == "stop" && tools) finish = "tool_calls";
    w.key("finish_reason");
    w.string(finish);
    w.end_object();
  }
  w.end_array();
  const json::object* usage = core::get_object(in, "usage");
  w.key("usage");
  const auto counts = detail::write_openai_usage(w, usage);
  w.end_object();
  answer.body = std::move(w).take();
  answer.prompt_tokens = counts.prompt;
  answer.completion_tokens = counts.completion;
  answer.total_tokens = counts.total;
  return answer;
}

}  // namespace litellm::providers::mistral
