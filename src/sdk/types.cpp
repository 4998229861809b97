// JSON <-> struct conversions of the public types. The JSON side is OpenAI's shape; the raw
// object of a response keeps fields the structs do not model, so printing loses nothing.
#include <ostream>

#include "core/json.hpp"
#include "litellm/types.hpp"

namespace litellm {
inline namespace v1 {
namespace {

namespace json = boost::json;
using core::get_array;
using core::get_int;
using core::get_object;
using core::get_string;

std::optional<std::string> opt_string(const json::object& o, std::string_view key) {
  if (auto s = get_string(o, key)) return std::string(*s);
  return std::nullopt;
}

json::object tool_call_json(const ToolCall& tc) {
  json::object o;
  if (tc.index) o["index"] = *tc.index;
  o["id"] = tc.id;
  o["type"] = tc.type;
  json::object fn;
  fn["name"] = tc.function.name;
  fn["arguments"] = tc.function.arguments;
  o["function"] = std::move(fn);
  return o;
}

ToolCall tool_call_from(const json::object& o) {
  ToolCall tc;
  tc.id = std::string(get_string(o, "id").value_or(""));
  tc.type = std::string(get_string(o, "type").value_or("function"));
  if (auto i = get_int(o, "index")) tc.index = static_cast<int>(*i);
  if (const auto* fn = get_object(o, "function")) {
    tc.function.name = std::string(get_string(*fn, "name").value_or(""));
    if (auto a = get_string(*fn, "arguments")) {
      tc.function.arguments = std::string(*a);
    } else if (const auto* v = core::find(*fn, "arguments"); v != nullptr && !v->is_null()) {
      tc.function.arguments = json::serialize(*v);
    }
  }
  return tc;
}

}  // namespace

Message Message::system(std::string text) {
  return Message{.role = "system", .content = std::move(text)};
}
Message Message::user(std::string text) {
  return Message{.role = "user", .content = std::move(text)};
}
Message Message::assistant(std::string text) {
  return Message{.role = "assistant", .content = std::move(text)};
}
Message Message::tool(std::string tool_call_id, std::string text) {
  return Message{
      .role = "tool", .content = std::move(text), .tool_call_id = std::move(tool_call_id)};
}

json::object Message::to_json_object() const {
  json::object o;
  o["role"] = role;
  if (!content_parts.empty()) {
    o["content"] = content_parts;
  } else if (content) {
    o["content"] = *content;
  } else {
    o["content"] = nullptr;
  }
  if (name) o["name"] = *name;
  if (tool_call_id) o["tool_call_id"] = *tool_call_id;
  if (!tool_calls.empty()) {
    json::array calls;
    calls.reserve(tool_calls.size());
    for (const auto& tc : tool_calls)
      calls.push_back(tool_call_json(tc));
    o["tool_calls"] = std::move(calls);
  }
  if (reasoning_content) o["reasoning_content"] = *reasoning_content;
  if (!thinking_blocks.empty()) {
    json::array blocks;
    blocks.reserve(thinking_blocks.size());
    for (const auto& b : thinking_blocks) {
      blocks.push_back(
          json::object{{"type", b.type}, {"thinking", b.thinking}, {"signature", b.signature}});
    }
    o["thinking_blocks"] = std::move(blocks);
  }
  return o;
}

Message Message::from_json(const json::object& o) {
  Message m;
  m.role = std::string(get_string(o, "role").value_or(""));
  if (const auto* c = core::find(o, "content")) {
    if (c->is_string()) {
      m.content = std::string(c->get_string());
    } else if (c->is_array()) {
      m.content_parts = c->get_array();
    }
  }
  m.name = opt_string(o, "name");
  m.tool_call_id = opt_string(o, "tool_call_id");
  m.reasoning_content = opt_string(o, "reasoning_content");
  if (const auto* blocks = get_array(o, "thinking_blocks")) {
    for (const auto& b : *blocks) {
      if (!b.is_object()) continue;
      const auto& bo = b.get_object();
      m.thinking_blocks.push_back(
          ThinkingBlock{.type = std::string(get_string(bo, "type").value_or("thinking")),
                        .thinking = std::string(get_string(bo, "thinking").value_or("")),
                        .signature = std::string(get_string(bo, "signature").value_or(""))});
    }
  }
  if (const auto* calls = get_array(o, "tool_calls")) {
    for (const auto& c : *calls) {
      if (c.is_object()) m.tool_calls.push_back(tool_call_from(c.get_object()));
    }
  }
  return m;
}

json::object CompletionParams::to_json_object() const {
  json::object o;
  o["model"] = model;
  json::array msgs;
  msgs.reserve(messages.size());
  for (const auto& m : messages)
    msgs.push_back(m.to_json_object());
  o["messages"] = std::move(msgs);
  if (temperature) o["temperature"] = *temperature;
  if (top_p) o["top_p"] = *top_p;
  if (max_tokens) o["max_tokens"] = *max_tokens;
  if (max_completion_tokens) o["max_completion_tokens"] = *max_completion_tokens;
  if (n) o["n"] = *n;
  if (stop.size() == 1) {
    o["stop"] = stop.front();
  } else if (!stop.empty()) {
    json::array s;
    for (const auto& x : stop)
      s.push_back(json::value(x));
    o["stop"] = std::move(s);
  }
  if (presence_penalty) o["presence_penalty"] = *presence_penalty;
  if (frequency_penalty) o["frequency_penalty"] = *frequency_penalty;
  if (seed) o["seed"] = *seed;
  if (!tools.empty()) {
    json::array ts;
    for (const auto& t : tools) {
      json::object fn;
      fn["name"] = t.function.name;
      if (!t.function.description.empty()) fn["description"] = t.function.description;
      if (!t.function.parameters.is_null()) fn["parameters"] = t.function.parameters;
      if (t.function.strict) fn["strict"] = *t.function.strict;
      json::object to;
      to["type"] = t.type;
      to["function"] = std::move(fn);
      ts.push_back(std::move(to));
    }
    o["tools"] = std::move(ts);
  }
  if (!tool_choice.is_null()) o["tool_choice"] = tool_choice;
  if (!response_format.is_null()) o["response_format"] = response_format;
  if (parallel_tool_calls) o["parallel_tool_calls"] = *parallel_tool_calls;
  if (safe_prompt) o["safe_prompt"] = *safe_prompt;
  if (reasoning_effort) o["reasoning_effort"] = *reasoning_effort;
  if (user) o["user"] = *user;
  if (stream) {
    o["stream"] = true;
    if (include_usage) o["stream_options"] = json::object{{"include_usage", true}};
  }
  for (const auto& kv : extra_body)
    o[kv.key()] = kv.value();
  return o;
}

json::object Usage::to_json_object() const {
  return json::object{{"prompt_tokens", prompt_tokens},
                      {"completion_tokens", completion_tokens},
                      {"total_tokens", total_tokens}};
}

Usage Usage::from_json(const json::object& o) {
  Usage u;
  u.prompt_tokens = get_int(o, "prompt_tokens").value_or(0);
  u.completion_tokens = get_int(o, "completion_tokens").value_or(0);
  u.total_tokens = get_int(o, "total_tokens").value_or(u.prompt_tokens + u.completion_tokens);
  return u;
}

namespace {
// Copies the modelled fields of a usage struct over the raw one, keeping extra detail fields
// (prompt_tokens_details...).
void merge_usage(json::object& raw, const Usage& u) {
  json::object usage;
  if (const auto* prev = get_object(raw, "usage")) usage = *prev;
  usage["prompt_tokens"] = u.prompt_tokens;
  usage["completion_tokens"] = u.completion_tokens;
  usage["total_tokens"] = u.total_tokens;
  raw["usage"] = std::move(usage);
}

// ModelResponse and ModelResponseStream share their header fields and choice layout; only the
// default "object", the choice type and its message key ("message" / "delta") differ.
template <class Response>
json::object header_json(const Response& r) {
  json::object o = r.raw;
  o["id"] = r.id;
  o["object"] = r.object;
  o["created"] = r.created;
  o["model"] = r.model;
  return o;
}

json::value finish_json(const std::optional<std::string>& finish) {
  return finish ? json::value(*finish) : json::value(nullptr);
}

template <class Response, class ChoiceT>
Response response_from_json(const json::object& o, std::string_view default_object,
                            std::string_view message_key, Message ChoiceT::*message) {
  Response r;
  r.raw = o;
  r.id = std::string(get_string(o, "id").value_or(""));
  r.object = std::string(get_string(o, "object").value_or(default_object));
  r.created = get_int(o, "created").value_or(0);
  r.model = std::string(get_string(o, "model").value_or(""));
  if (const auto* cs = get_array(o, "choices")) {
    for (const auto& c : *cs) {
      if (!c.is_object()) continue;
      const auto& co = c.get_object();
      ChoiceT ch;
      ch.index = static_cast<int>(get_int(co, "index").value_or(0));
      if (const auto* m = get_object(co, message_key)) ch.*message = Message::from_json(*m);
      ch.finish_reason = opt_string(co, "finish_reason");
      r.choices.push_back(std::move(ch));
    }
  }
  return r;
}
}  // namespace

std::string ModelResponse::to_json() const {
  json::object o = header_json(*this);
  json::array cs;
  cs.reserve(choices.size());
  for (const auto& c : choices) {
    json::object co;
    co["index"] = c.index;
    co["message"] = c.message.to_json_object();
    co["finish_reason"] = finish_json(c.finish_reason);
    cs.push_back(std::move(co));
  }
  o["choices"] = std::move(cs);
  merge_usage(o, usage);
  return json::serialize(o);
}

ModelResponse ModelResponse::from_json(const json::object& o) {
  auto r = response_from_json<ModelResponse>(o, "chat.completion", "message", &Choice::message);
  if (const auto* u = get_object(o, "usage")) r.usage = Usage::from_json(*u);
  return r;
}

std::string ModelResponseStream::to_json() const {
  json::object o = header_json(*this);
  json::array cs;
  for (const auto& c : choices) {
    json::object co;
    co["index"] = c.index;
    json::object delta = c.delta.to_json_object();
    // A delta only carries what changed: no null content unless it was sent.
    if (!c.delta.content && c.delta.content_parts.empty()) delta.erase("content");
    if (c.delta.role.empty()) delta.erase("role");
    co["delta"] = std::move(delta);
    co["finish_reason"] = finish_json(c.finish_reason);
    cs.push_back(std::move(co));
  }
  o["choices"] = std::move(cs);
  if (usage) merge_usage(o, *usage);
  return json::serialize(o);
}

ModelResponseStream ModelResponseStream::from_json(const json::object& o) {
  auto r = response_from_json<ModelResponseStream>(o, "chat.completion.chunk", "delta",
                                                   &StreamChoice::delta);
  if (const auto* u = get_object(o, "usage")) r.usage = Usage::from_json(*u);
  return r;
}

json::object EmbeddingParams::to_json_object() const {
  json::object o;
  o["model"] = model;
  if (input.size() == 1) {
    o["input"] = input.front();
  } else {
    json::array a;
    a.reserve(input.size());
    for (const auto& s : input)
      a.push_back(json::value(s));
    o["input"] = std::move(a);
  }
  if (encoding_format) o["encoding_format"] = *encoding_format;
  if (dimensions) o["dimensions"] = *dimensions;
  if (user) o["user"] = *user;
  return o;
}

std::string EmbeddingResponse::to_json() const {
  json::object o = raw;
  o["object"] = object;
  o["model"] = model;
  json::array ds;
  for (const auto& e : data) {
    json::object eo;
    eo["object"] = "embedding";
    eo["index"] = e.index;
    if (!e.embedding_base64.empty()) {
      eo["embedding"] = e.embedding_base64;
    } else {
      json::array v;
      v.reserve(e.embedding.size());
      for (float f : e.embedding)
        v.push_back(static_cast<double>(f));
      eo["embedding"] = std::move(v);
    }
    ds.push_back(std::move(eo));
  }
  o["data"] = std::move(ds);
  json::object u;
  u["prompt_tokens"] = usage.prompt_tokens;
  u["total_tokens"] = usage.total_tokens;
  o["usage"] = std::move(u);
  return json::serialize(o);
}

EmbeddingResponse EmbeddingResponse::from_json(const json::object& o) {
  EmbeddingResponse r;
  r.raw = o;
  r.object = std::string(get_string(o, "object").value_or("list"));
  r.model = std::string(get_string(o, "model").value_or(""));
  if (const auto* ds = get_array(o, "data")) {
    for (const auto& d : *ds) {
      if (!d.is_object()) continue;
      const auto& eo = d.get_object();
      Embedding e;
      e.index = static_cast<int>(get_int(eo, "index").value_or(0));
      if (const auto* v = core::find(eo, "embedding")) {
        if (v->is_string()) {
          e.embedding_base64 = std::string(v->get_string());
        } else if (v->is_array()) {
          e.embedding.reserve(v->get_array().size());
          for (const auto& x : v->get_array()) {
            if (x.is_double()) {
              e.embedding.push_back(static_cast<float>(x.get_double()));
            } else if (x.is_int64()) {
              e.embedding.push_back(static_cast<float>(x.get_int64()));
            } else if (x.is_uint64()) {
              e.embedding.push_back(static_cast<float>(x.get_uint64()));
            }
          }
        }
      }
      r.data.push_back(std::move(e));
    }
  }
  if (const auto* u = get_object(o, "usage")) r.usage = Usage::from_json(*u);
  return r;
}

std::ostream& operator<<(std::ostream& os, const ModelResponse& r) {
  return os << r.to_json();
}
std::ostream& operator<<(std::ostream& os, const ModelResponseStream& r) {
  return os << r.to_json();
}
std::ostream& operator<<(std::ostream& os, const EmbeddingResponse& r) {
  return os << r.to_json();
}

}  // namespace v1
}  // namespace litellm
