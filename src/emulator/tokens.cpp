#include "emulator/tokens.hpp"

#include <boost/json.hpp>

namespace litellm::emulator {
namespace json = boost::json;

namespace {

std::int64_t serialized_tokens(const json::value& v) {
  // Tools and schemas cost what their compact JSON text costs.
  return text_tokens(json::serialize(v));
}

std::int64_t chunk_tokens(const json::value& chunk) {
  if (!chunk.is_object()) return 0;
  const auto& o = chunk.get_object();
  auto type_it = o.find("type");
  std::string_view type = (type_it != o.end() && type_it->value().is_string())
                              ? std::string_view(type_it->value().get_string())
                              : std::string_view("text");
  if (type == "text") {
    auto it = o.find("text");
    return it != o.end() && it->value().is_string() ? text_tokens(it->value().get_string()) : 0;
  }
  if (type == "thinking") {
    auto it = o.find("thinking");
    std::int64_t n = 0;
    if (it != o.end() && it->value().is_array()) {
      for (const auto& inner : it->value().get_array())
        n += chunk_tokens(inner);
    }
    return n;
  }
  if (type == "reference" || type == "tool_reference") return 0;
  return kMediaChunkTokens;
}

}  // namespace

std::int64_t content_tokens(const json::value& content) {
  if (content.is_string()) return text_tokens(content.get_string());
  std::int64_t n = 0;
  if (content.is_array()) {
    for (const auto& chunk : content.get_array())
      n += chunk_tokens(chunk);
  }
  return n;
}

std::int64_t chat_prompt_tokens(const json::object& request) {
  std::int64_t n = kPromptOverhead;
  if (auto it = request.find("messages"); it != request.end() && it->value().is_array()) {
    for (const auto& m : it->value().get_array()) {
      if (!m.is_object()) continue;
      const auto& msg = m.get_object();
      n += kMessageOverhead;
      if (auto c = msg.find("content"); c != msg.end()) n += content_tokens(c->value());
      if (auto tc = msg.find("tool_calls"); tc != msg.end() && tc->value().is_array()) {
        for (const auto& call : tc->value().get_array()) {
          const auto* fn = call.is_object() ? call.get_object().if_contains("function") : nullptr;
          if (fn == nullptr || !fn->is_object()) continue;
          if (const auto* name = fn->get_object().if_contains("name"); name && name->is_string()) {
            n += text_tokens(name->get_string());
          }
          if (const auto* args = fn->get_object().if_contains("arguments")) {
            n += args->is_string() ? text_tokens(args->get_string()) : serialized_tokens(*args);
          }
        }
      }
    }
  }
  if (auto it = request.find("tools");
      it != request.end() && it->value().is_array() && !it->value().get_array().empty()) {
    n += serialized_tokens(it->value());
  }
  if (auto it = request.find("response_format"); it != request.end() && it->value().is_object()) {
    if (const auto* js = it->value().get_object().if_contains("json_schema");
        js != nullptr && js->is_object()) {
      n += serialized_tokens(*js);
    }
  }
  return n;
}

std::int64_t fim_prompt_tokens(const json::object& request) {
  std::int64_t n = kPromptOverhead;
  if (const auto* p = request.if_contains("prompt"); p && p->is_string()) {
    n += text_tokens(p->get_string());
  }
  if (const auto* s = request.if_contains("suffix"); s && s->is_string()) {
    n += text_tokens(s->get_string());
  }
  return n;
}

}  // namespace litellm::emulator
