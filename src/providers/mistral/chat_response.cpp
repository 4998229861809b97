// Mistral chat.completion body -> OpenAI chat.completion object. Parsed leniently: unknown
// fields are ignored, missing optional ones defaulted.
#include <vector>

#include "core/json.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/think.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;

// Every value is built in `sp`, the parsed answer's storage: building the response is bump
// allocation, and nothing is copied when the pieces are put together.
json::array openai_tool_calls(const json::array& calls, const json::storage_ptr& sp) {
  json::array out(sp);
  out.reserve(calls.size());
  for (const auto& c : calls) {
    if (!c.is_object()) continue;
    const auto& o = c.get_object();
    json::object fn(sp);
    fn.reserve(2);
    const json::object* f = core::get_object(o, "function");
    if (f != nullptr) {
      if (auto name = core::get_string(*f, "name")) fn.emplace("name", *name);
    }
    const json::value* args = f != nullptr ? core::find(*f, "arguments") : nullptr;
    detail::emplace_arguments(fn, args);
    json::object call(sp);
    call.reserve(3);
    if (auto id = core::get_string(o, "id")) call.emplace("id", *id);
    call.emplace("type", "function");
    call.emplace("function", std::move(fn));
    out.emplace_back(std::move(call));
  }
  return out;
}

// One assistant message from Mistral's `message` (or the pieces of `messages`, the spec's
// alternative form): content flattened to a string, thinking chunks and <think> text to
// reasoning_content, tool calls in OpenAI's shape.
json::object openai_message(const std::vector<const json::object*>& parts,
                            const json::storage_ptr& sp) {
  std::string text;
  std::string reasoning;
  ThinkSplitter think;
  json::array tool_calls(sp);
  for (const json::object* m : parts) {
    if (const json::value* c = core::find(*m, "content")) {
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
    if (const json::array* calls = core::get_array(*m, "tool_calls")) {
      for (auto& tc : openai_tool_calls(*calls, sp))
        tool_calls.emplace_back(std::move(tc));
    }
  }
  think.flush(text, reasoning);
  json::object msg(sp);
  msg.reserve(4);
  msg.emplace("role", "assistant");
  // Mistral sometimes answers "" where OpenAI says null (LiteLLM's _handle_empty_content_response).
  if (text.empty()) {
    msg.emplace("content", nullptr);
  } else {
    msg.emplace("content", text);
  }
  if (!reasoning.empty()) msg.emplace("reasoning_content", reasoning);
  if (!tool_calls.empty()) msg.emplace("tool_calls", std::move(tool_calls));
  return msg;
}

}  // namespace

Result<json::object> MistralAdapter::chat_response(std::string_view body,
                                                   const json::object& request,
                                                   const Target& target) const {
  const detail::Origin origin{internal::kProvider, internal::kExceptionName, target.model};
  auto parsed = detail::parse_answer(body, "choices", "chat", origin, request);
  if (!parsed) return std::move(parsed).error();
  const json::object& in = *parsed;
  const json::array* choices = core::get_array(in, "choices");

  const json::storage_ptr& sp = in.storage();
  json::object out(sp);
  out.reserve(6);
  out.emplace("id", core::get_string(in, "id").value_or("chatcmpl-mistral"));
  out.emplace("object", "chat.completion");
  out.emplace("created", core::get_int(in, "created").value_or(0));
  out.emplace("model", core::get_string(in, "model").value_or(target.model));
  json::array out_choices(sp);
  out_choices.reserve(choices->size());
  std::vector<const json::object*> parts;
  for (std::size_t i = 0; i < choices->size(); ++i) {
    if (!(*choices)[i].is_object()) continue;
    const auto& c = (*choices)[i].get_object();
    parts.clear();
    if (const json::object* m = core::get_object(c, "message")) {
      parts.push_back(m);
    } else if (const json::array* ms = core::get_array(c, "messages")) {
      for (const auto& piece : *ms) {
        if (piece.is_object()) parts.push_back(&piece.get_object());
      }
    }
    json::object msg = openai_message(parts, sp);
    std::string_view finish = core::get_string(c, "finish_reason").value_or("stop");
    if (finish == "error") {
      return detail::bad_answer(origin, "the model stopped with finish_reason 'error'", body);
    }
    finish = internal::openai_finish_reason(finish);
    if (finish == "stop" && msg.contains("tool_calls")) finish = "tool_calls";
    json::object choice(sp);
    choice.reserve(3);
    choice.emplace("index", core::get_int(c, "index").value_or(static_cast<std::int64_t>(i)));
    choice.emplace("message", std::move(msg));
    choice.emplace("finish_reason", finish);
    out_choices.emplace_back(std::move(choice));
  }
  out.emplace("choices", std::move(out_choices));
  // Not `usage ? *usage : json::object()`: a conditional with a prvalue arm copies the object.
  static const json::object kNoUsage;
  const json::object* usage = core::get_object(in, "usage");
  out.emplace("usage", detail::openai_usage(usage != nullptr ? *usage : kNoUsage, sp));
  return out;
}

}  // namespace litellm::providers::mistral
