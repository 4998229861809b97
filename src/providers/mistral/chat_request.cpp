// OpenAI chat request -> Mistral's /v1/chat/completions request. The body is written as JSON
// text in one pass over the request's parameters; nothing is re-parsed.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;
using detail::invalid_type;
using detail::invalid_value;

enum class Param : std::uint8_t {
  frequency_penalty,
  guardrails,
  max_completion_tokens,
  max_tokens,
  messages,
  model,
  n,
  parallel_tool_calls,
  prediction,
  presence_penalty,
  prompt_cache_key,
  prompt_mode,
  random_seed,
  reasoning_effort,
  response_format,
  safe_prompt,
  seed,
  service_tier,
  stop,
  stream,
  stream_options,
  temperature,
  thinking,
  tool_choice,
  tools,
  top_p,
  user,
  count_
};

struct ParamName {
  std::string_view name;
  Param param;
};

// Every OpenAI (and Mistral-native) parameter this adapter understands, sorted by name.
constexpr std::array<ParamName, static_cast<std::size_t>(Param::count_)> kParams{{
    {"frequency_penalty", Param::frequency_penalty},
    {"guardrails", Param::guardrails},
    {"max_completion_tokens", Param::max_completion_tokens},
    {"max_tokens", Param::max_tokens},
    {"messages", Param::messages},
    {"model", Param::model},
    {"n", Param::n},
    {"parallel_tool_calls", Param::parallel_tool_calls},
    {"prediction", Param::prediction},
    {"presence_penalty", Param::presence_penalty},
    {"prompt_cache_key", Param::prompt_cache_key},
    {"prompt_mode", Param::prompt_mode},
    {"random_seed", Param::random_seed},
    {"reasoning_effort", Param::reasoning_effort},
    {"response_format", Param::response_format},
    {"safe_prompt", Param::safe_prompt},
    {"seed", Param::seed},
    {"service_tier", Param::service_tier},
    {"stop", Param::stop},
    {"stream", Param::stream},
    {"stream_options", Param::stream_options},
    {"temperature", Param::temperature},
    {"thinking", Param::thinking},
    {"tool_choice", Param::tool_choice},
    {"tools", Param::tools},
    {"top_p", Param::top_p},
    {"user", Param::user},
}};
static_assert(std::is_sorted(kParams.begin(), kParams.end(),
                             [](const ParamName& a, const ParamName& b) {
                               return a.name < b.name;
                             }));

std::optional<Param> lookup(std::string_view key) noexcept {
  auto it = std::lower_bound(kParams.begin(), kParams.end(), key,
                             [](const ParamName& p, std::string_view k) { return p.name < k; });
  if (it == kParams.end() || it->name != key) return std::nullopt;
  return it->param;
}

// The request's values by parameter; a JSON null counts as "not set".
class Params {
 public:
  void set(Param p, const json::value* v) noexcept { v_[static_cast<std::size_t>(p)] = v; }
  const json::value* operator[](Param p) const noexcept {
    const json::value* v = v_[static_cast<std::size_t>(p)];
    return v != nullptr && !v->is_null() ? v : nullptr;
  }

 private:
  std::array<const json::value*, static_cast<std::size_t>(Param::count_)> v_{};
};

bool is_number(const json::value& v) noexcept {
  return v.is_double() || v.is_int64() || v.is_uint64();
}

std::optional<std::int64_t> as_integer(const json::value& v) noexcept {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9.0e15 && d < 9.0e15) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

std::string indexed(std::string_view base, std::size_t i, std::string_view suffix = {}) {
  std::string s(base);
  s += '[';
  s += std::to_string(i);
  s += ']';
  s += suffix;
  return s;
}

Error missing(std::string param) {
  Error e = Error::make(ErrorKind::bad_request, "Missing required parameter: '" + param + "'.");
  e.param = std::move(param);
  e.code = "missing_required_parameter";
  return e;
}

// ---- messages ------------------------------------------------------------------------------

// OpenAI content part -> Mistral content chunk.
Result<json::object> convert_part(const json::value& part, const std::string& path) {
  if (part.is_string()) return json::object{{"type", "text"}, {"text", part.get_string()}};
  if (!part.is_object()) return invalid_type(path, "an object", part);
  const auto& p = part.get_object();
  auto type = core::get_string(p, "type");
  if (!type)
    return invalid_value(path + ".type", "Missing required parameter: '" + path + ".type'.");
  if (*type == "text") {
    const json::value* t = core::find(p, "text");
    if (t == nullptr || !t->is_string()) {
      return t == nullptr ? missing(path + ".text") : invalid_type(path + ".text", "a string", *t);
    }
    return json::object{{"type", "text"}, {"text", t->get_string()}};
  }
  if (*type == "image_url") {
    const json::value* iu = core::find(p, "image_url");
    if (iu != nullptr && iu->is_string()) {
      return json::object{{"type", "image_url"}, {"image_url", iu->get_string()}};
    }
    if (iu == nullptr || !iu->is_object()) {
      return iu == nullptr ? missing(path + ".image_url")
                           : invalid_type(path + ".image_url", "an object", *iu);
    }
    auto url = core::get_string(iu->get_object(), "url");
    if (!url) return missing(path + ".image_url.url");
    json::object img{{"url", *url}};
    if (auto detail = core::get_string(iu->get_object(), "detail")) img.emplace("detail", *detail);
    return json::object{{"type", "image_url"}, {"image_url", std::move(img)}};
  }
  if (*type == "input_audio") {
    // OpenAI: {"input_audio":{"data":"<base64>","format":"wav"}}; Mistral takes the data string.
    const json::value* ia = core::find(p, "input_audio");
    if (ia != nullptr && ia->is_string()) {
      return json::object{{"type", "input_audio"}, {"input_audio", ia->get_string()}};
    }
    if (ia != nullptr && ia->is_object()) {
      if (auto data = core::get_string(ia->get_object(), "data")) {
        return json::object{{"type", "input_audio"}, {"input_audio", *data}};
      }
    }
    return missing(path + ".input_audio.data");
  }
  if (*type == "file") {
    // Mistral takes uploaded files by id only (LiteLLM's _handle_message_with_file).
    const json::object* f = core::get_object(p, "file");
    if (f != nullptr) {
      if (auto id = core::get_string(*f, "file_id")) {
        return json::object{{"type", "file"}, {"file_id", *id}};
      }
    }
    if (auto id = core::get_string(p, "file_id"))
      return json::object{{"type", "file"}, {"file_id", *id}};
    return invalid_value(path + ".file", "mistral accepts file content parts by file_id only ('" +
                                             path + ".file.file_id').");
  }
  if (*type == "document_url") {
    auto url = core::get_string(p, "document_url");
    if (!url) return missing(path + ".document_url");
    json::object out{{"type", "document_url"}, {"document_url", *url}};
    if (auto name = core::get_string(p, "document_name")) out.emplace("document_name", *name);
    return out;
  }
  if (*type == "thinking") return p;  // Mistral's own chunk, echoed back by its SDK
  return invalid_value(path + ".type", "Invalid value for '" + path + ".type': '" +
                                           std::string(*type) + "' is not supported by mistral.");
}

// Content: strings pass; a list holding only text becomes one string (LiteLLM's
// handle_messages_with_content_list_to_str_conversion: parts concatenated); other lists become
// Mistral chunks. Built in `sp`; `path()` names the value in an error (only then is it built).
template <class PathFn>
Result<json::value> convert_content(const json::value& c, PathFn path,
                                    const json::storage_ptr& sp) {
  if (c.is_string() || c.is_null()) return json::value(c, sp);
  if (!c.is_array()) return invalid_type(path(), "a string or an array of content parts", c);
  const auto& parts = c.get_array();
  const bool only_text = std::all_of(parts.begin(), parts.end(), [](const json::value& p) {
    if (p.is_string()) return true;
    if (!p.is_object()) return false;
    auto t = core::get_string(p.get_object(), "type");
    const json::value* text = core::find(p.get_object(), "text");
    return t && *t == "text" && text != nullptr && text->is_string();
  });
  if (only_text) {
    json::string s(sp);
    for (const auto& p : parts) {
      s.append(p.is_string() ? p.get_string() : p.get_object().at("text").get_string());
    }
    return json::value(std::move(s));
  }
  json::array out(sp);
  out.reserve(parts.size());
  for (std::size_t j = 0; j < parts.size(); ++j) {
    auto chunk = convert_part(parts[j], indexed(path(), j));
    if (!chunk) return std::move(chunk).error();
    out.emplace_back(std::move(*chunk));
  }
  return json::value(std::move(out));
}

Result<json::array> convert_tool_calls(const json::array& calls, const std::string& path,
                                       const json::storage_ptr& sp) {
  json::array out(sp);
  out.reserve(calls.size());
  for (std::size_t k = 0; k < calls.size(); ++k) {
    const auto& tc = calls[k];
    if (!tc.is_object()) return invalid_type(indexed(path, k), "an object", tc);
    const auto& o = tc.get_object();
    const json::object* fn = core::get_object(o, "function");
    if (fn == nullptr) return missing(indexed(path, k, ".function"));
    auto name = core::get_string(*fn, "name");
    if (!name) return missing(indexed(path, k, ".function.name"));
    json::object f(sp);
    f.reserve(2);
    f.emplace("name", *name);
    const json::value* args = core::find(*fn, "arguments");
    if (args == nullptr || args->is_null()) {
      f.emplace("arguments", "{}");
    } else if (args->is_string() || args->is_object()) {
      f.emplace("arguments", *args);
    } else {
      return invalid_type(indexed(path, k, ".function.arguments"), "a string", *args);
    }
    json::object call(sp);
    call.reserve(3);
    if (auto id = core::get_string(o, "id")) call.emplace("id", tool_call_id(*id));
    call.emplace("type", "function");
    call.emplace("function", std::move(f));
    out.emplace_back(std::move(call));
  }
  return out;
}

bool is_empty_content(const json::value* c) noexcept {
  return c == nullptr || c->is_null() || (c->is_string() && c->get_string().empty());
}

// The role a message is sent with, or nullopt when it is not one Mistral takes. OpenAI's newer
// "developer" role is a system message to every other provider (LiteLLM translates it the same
// way).
std::optional<std::string_view> mistral_role(const json::value& m) noexcept {
  if (!m.is_object()) return std::nullopt;
  auto role = core::get_string(m.get_object(), "role");
  if (!role) return std::nullopt;
  if (*role == "developer") return "system";
  if (*role == "system" || *role == "user" || *role == "assistant" || *role == "tool") return role;
  return std::nullopt;
}

// LiteLLM's _add_reasoning_system_prompt_if_needed, for the first system message: the prompt
// then a blank line before its text, or as a first text chunk when the content is chunks.
void write_prompted_content(core::JsonWriter& w, std::string_view prompt,
                            const json::value* content) {
  if (content != nullptr && content->is_array()) {
    w.begin_array();
    w.begin_object();
    w.key("type");
    w.string("text");
    w.key("text");
    w.string(std::string(prompt) + "\n\n");
    w.end_object();
    for (const auto& chunk : content->get_array())
      w.value(chunk);
    w.end_array();
    return;
  }
  std::string text(prompt);
  text += "\n\n";
  if (content != nullptr && content->is_string()) text += content->get_string();
  w.string(text);
}

// OpenAI messages -> Mistral's, written as a JSON array. `reasoning_prompt` (when not empty) is
// added to the first system message, or sent as a new first system message when there is none.
// Text content is written from the request as it is; only content lists and tool calls are
// converted through objects (built in `sp`, the request's own storage when the gateway parsed
// it: bump allocation).
Result<void> write_messages(core::JsonWriter& w, const json::value* mv,
                            std::string_view reasoning_prompt, const json::storage_ptr& sp) {
  if (mv == nullptr) return missing("messages");
  if (!mv->is_array()) return invalid_type("messages", "an array", *mv);
  const auto& in = mv->get_array();
  w.begin_array();
  bool prompt_pending = !reasoning_prompt.empty();
  if (prompt_pending && std::none_of(in.begin(), in.end(), [](const json::value& m) {
        return mistral_role(m) == std::optional<std::string_view>("system");
      })) {
    w.begin_object();
    w.key("role");
    w.string("system");
    w.key("content");
    w.string(reasoning_prompt);
    w.end_object();
    prompt_pending = false;
  }
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto& m = in[i];
    if (!m.is_object()) return invalid_type(indexed("messages", i), "an object", m);
    const auto& mo = m.get_object();
    const json::value* rv = core::find(mo, "role");
    if (rv == nullptr) return missing(indexed("messages", i, ".role"));
    if (!rv->is_string()) return invalid_type(indexed("messages", i, ".role"), "a string", *rv);
    const auto mapped = mistral_role(m);
    if (!mapped) {
      return invalid_value(indexed("messages", i, ".role"),
                           "Invalid value for '" + indexed("messages", i, ".role") + "': '" +
                               std::string(rv->get_string()) +
                               "' is not supported by mistral (expected system, user, assistant "
                               "or tool).");
    }
    const std::string_view role = *mapped;

    // The content to send: the request's own string, or a converted list; nullptr when absent
    // or null.
    const json::value* content = core::find(mo, "content");
    const json::value* out_content = nullptr;
    std::optional<json::value> converted;
    if (content != nullptr && !content->is_null()) {
      if (content->is_string()) {
        out_content = content;
      } else {
        auto c = convert_content(
            *content, [i] { return indexed("messages", i, ".content"); }, sp);
        if (!c) return std::move(c).error();
        converted = std::move(*c);
        out_content = &*converted;
      }
    }

    if (role == "assistant") {
      const json::value* calls = core::find(mo, "tool_calls");
      std::optional<json::array> tool_calls;
      if (calls != nullptr && !calls->is_null()) {
        if (!calls->is_array()) {
          return invalid_type(indexed("messages", i, ".tool_calls"), "an array", *calls);
        }
        auto tc = convert_tool_calls(calls->get_array(), indexed("messages", i, ".tool_calls"), sp);
        if (!tc) return std::move(tc).error();
        if (!tc->empty()) tool_calls = std::move(*tc);
      }
      // Clients echo assistant messages back as received; one with nothing to say is refused by
      // Mistral (LiteLLM's _is_empty_assistant_message).
      if (is_empty_content(out_content) && !tool_calls) continue;
      w.begin_object();
      w.key("role");
      w.string(role);
      if (out_content != nullptr) {
        w.key("content");
        w.value(*out_content);
      }
      if (tool_calls) {
        w.key("tool_calls");
        w.begin_array();
        for (const auto& call : *tool_calls)
          w.value(call);
        w.end_array();
      }
      if (auto prefix = core::get_bool(mo, "prefix")) {
        w.key("prefix");
        w.boolean(*prefix);
      }
      w.end_object();
      continue;
    }
    if (role == "user" && content == nullptr) return missing(indexed("messages", i, ".content"));
    w.begin_object();
    w.key("role");
    w.string(role);
    w.key("content");
    if (role == "system" && prompt_pending) {
      write_prompted_content(w, reasoning_prompt, out_content);
      prompt_pending = false;
    } else if (out_content != nullptr) {
      w.value(*out_content);
    } else if (role == "system") {
      w.string("");  // Mistral requires a system message's content and refuses null
    } else {
      w.null();
    }
    if (role == "tool") {
      if (auto id = core::get_string(mo, "tool_call_id")) {
        w.key("tool_call_id");
        w.string(tool_call_id(*id));
      }
      // Mistral keeps `name` on tool messages only, and not when blank.
      if (auto name = core::get_string(mo, "name")) {
        if (name->find_first_not_of(" \t\r\n") != std::string_view::npos) {
          w.key("name");
          w.string(*name);
        }
      }
    }
    w.end_object();
  }
  w.end_array();
  return {};
}

// ---- tools ---------------------------------------------------------------------------------

bool is_schema_map_keyword(std::string_view k) noexcept {
  return k == "properties" || k == "patternProperties" || k == "$defs" || k == "definitions" ||
         k == "dependentSchemas";
}
bool is_data_keyword(std::string_view k) noexcept {
  return k == "enum" || k == "const" || k == "default" || k == "examples" || k == "example";
}

// LiteLLM's schema cleanup for Mistral: "$id"/"$schema" (grammar validation fails on them),
// "additionalProperties": false and "strict" removed at every schema level. Property names are
// never touched (a property called "strict" stays), nor are enum/default values.
json::value clean_schema(const json::value& v, int depth) {
  if (depth > 64) return v;
  if (v.is_array()) {
    json::array out;
    out.reserve(v.get_array().size());
    for (const auto& x : v.get_array())
      out.emplace_back(clean_schema(x, depth + 1));
    return out;
  }
  if (!v.is_object()) return v;
  json::object out;
  out.reserve(v.get_object().size());
  for (const auto& kv : v.get_object()) {
    const std::string_view k = kv.key();
    const json::value& val = kv.value();
    if (k == "$id" || k == "$schema" || k == "strict") continue;
    if (k == "additionalProperties" && val.is_bool() && !val.get_bool()) continue;
    if (is_schema_map_keyword(k) && val.is_object()) {
      json::object map;
      map.reserve(val.get_object().size());
      for (const auto& prop : val.get_object())
        map.emplace(prop.key(), clean_schema(prop.value(), depth + 1));
      out.emplace(k, std::move(map));
    } else if (is_data_keyword(k)) {
      out.emplace(k, val);
    } else {
      out.emplace(k, clean_schema(val, depth + 1));
    }
  }
  return out;
}

Result<json::array> convert_tools(const json::value& tv) {
  if (!tv.is_array()) return invalid_type("tools", "an array", tv);
  const auto& in = tv.get_array();
  json::array out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto& t = in[i];
    if (!t.is_object()) return invalid_type(indexed("tools", i), "an object", t);
    const auto& to = t.get_object();
    auto type = core::get_string(to, "type").value_or("function");
    if (type != "function") {
      out.emplace_back(to);  // Mistral's built-in tools (web_search, code_interpreter, ...)
      continue;
    }
    const json::object* fn = core::get_object(to, "function");
    if (fn == nullptr) return missing(indexed("tools", i, ".function"));
    auto name = core::get_string(*fn, "name");
    if (!name) return missing(indexed("tools", i, ".function.name"));
    json::object f;
    f.reserve(3);
    f.emplace("name", *name);
    if (auto d = core::get_string(*fn, "description")) f.emplace("description", *d);
    // Mistral requires `parameters`; OpenAI lets a function without arguments omit it.
    if (const json::value* params = core::find(*fn, "parameters");
        params != nullptr && params->is_object()) {
      f.emplace("parameters", clean_schema(*params, 0));
    } else {
      f.emplace("parameters", json::object{{"type", "object"}, {"properties", json::object()}});
    }
    out.emplace_back(json::object{{"type", "function"}, {"function", std::move(f)}});
  }
  return out;
}

// "required" -> "any" (Mistral's word); the OpenAI object form maps to Mistral's own object form,
// which the current spec has (ToolChoice {type, function{name}}); any other object -> "any", as
// LiteLLM does.
Result<json::value> convert_tool_choice(const json::value& v) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "auto" || s == "none" || s == "any") return json::value(s);
    if (s == "required") return json::value("any");
    return invalid_value("tool_choice", "Invalid value for 'tool_choice': '" + std::string(s) +
                                            "' (expected none, auto, required or a function).");
  }
  if (!v.is_object()) return invalid_type("tool_choice", "a string or an object", v);
  if (const json::object* fn = core::get_object(v.get_object(), "function")) {
    if (auto name = core::get_string(*fn, "name")) {
      return json::value(
          json::object{{"type", "function"}, {"function", json::object{{"name", *name}}}});
    }
  }
  return json::value("any");
}

Result<json::value> convert_response_format(const json::value& v) {
  if (!v.is_object()) return invalid_type("response_format", "an object", v);
  const auto& o = v.get_object();
  auto type = core::get_string(o, "type");
  if (!type) return missing("response_format.type");
  if (*type == "text" || *type == "json_object") return json::value(json::object{{"type", *type}});
  if (*type != "json_schema") {
    return invalid_value("response_format.type",
                         "Invalid value for 'response_format.type': '" + std::string(*type) +
                             "' (expected text, json_object or json_schema).");
  }
  const json::object* js = core::get_object(o, "json_schema");
  if (js == nullptr) return missing("response_format.json_schema");
  json::object out;
  out.reserve(4);
  if (auto name = core::get_string(*js, "name")) out.emplace("name", *name);
  if (auto d = core::get_string(*js, "description")) out.emplace("description", *d);
  if (const json::value* s = core::find(*js, "schema"); s != nullptr && s->is_object()) {
    out.emplace("schema", *s);
  } else {
    return missing("response_format.json_schema.schema");
  }
  if (auto strict = core::get_bool(*js, "strict")) out.emplace("strict", *strict);
  return json::value(json::object{{"type", "json_schema"}, {"json_schema", std::move(out)}});
}

Result<json::value> convert_prediction(const json::value& v) {
  if (!v.is_object()) return invalid_type("prediction", "an object", v);
  const json::value* c = core::find(v.get_object(), "content");
  if (c == nullptr) return missing("prediction.content");
  auto text = convert_content(
      *c, [] { return std::string("prediction.content"); }, json::storage_ptr());
  if (!text) return std::move(text).error();
  if (!text->is_string()) return invalid_type("prediction.content", "text", *c);
  return json::value(json::object{{"type", "content"}, {"content", std::move(*text)}});
}

constexpr std::array<std::string_view, 6> kEfforts{"none",   "minimal", "low",
                                                   "medium", "high",    "xhigh"};

enum class ReasoningAction { none, prompt, prompt_mode, forward };

// Checks scalar parameters' JSON types and writes the ones that are set.
struct Scalars {
  const Params& p;
  core::JsonWriter& w;

  Result<void> number(Param param, std::string_view name) {
    return copy(param, name, "a number", [](const json::value& v) { return is_number(v); });
  }
  Result<void> boolean(Param param, std::string_view name) {
    return copy(param, name, "a boolean", [](const json::value& v) { return v.is_bool(); });
  }
  Result<void> string(Param param, std::string_view name) {
    return copy(param, name, "a string", [](const json::value& v) { return v.is_string(); });
  }
  // An integer Mistral parameter `key` that two request keys can set: both are checked, older
  // first, and `newer`'s value wins; written once.
  Result<void> integer(Param older, std::string_view older_name, Param newer,
                       std::string_view newer_name, std::string_view key) {
    auto first = checked_integer(older, older_name);
    if (!first) return std::move(first).error();
    auto second = checked_integer(newer, newer_name);
    if (!second) return std::move(second).error();
    if (auto n = *second ? *second : *first) {
      w.key_text(key);
      w.int64(*n);
    }
    return {};
  }

 private:
  Result<std::optional<std::int64_t>> checked_integer(Param param, std::string_view name) const {
    const json::value* v = p[param];
    if (v == nullptr) return std::optional<std::int64_t>();
    auto i = as_integer(*v);
    if (!i) return invalid_type(name, "an integer", *v);
    return i;
  }
  template <class Valid>
  Result<void> copy(Param param, std::string_view name, std::string_view type, Valid valid) {
    const json::value* v = p[param];
    if (v == nullptr) return {};
    if (!valid(*v)) return invalid_type(name, type, *v);
    w.key_text(name);
    w.value(*v);
    return {};
  }
};

// A converted or checked value written under `key`.
void member(core::JsonWriter& w, std::string_view key, const json::value& v) {
  w.key_text(key);
  w.value(v);
}

}  // namespace

std::string normalize_api_base(std::string_view api_base) {
  std::string_view b = api_base.empty() ? kDefaultApiBase : api_base;
  while (!b.empty() && b.back() == '/')
    b.remove_suffix(1);
  std::string out(b);
  if (b.size() < 3 || b.substr(b.size() - 3) != "/v1") out += "/v1";
  return out;
}

bool is_valid_tool_call_id(std::string_view id) noexcept {
  return id.size() == 9 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

std::string tool_call_id(std::string_view id) {
  if (is_valid_tool_call_id(id)) return std::string(id);
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a offset basis
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::string out(9, '0');
  for (char& c : out) {
    c = kAlphabet[h % 62];
    h /= 62;
  }
  return out;
}

Result<UpstreamRequest> MistralAdapter::chat_request(const json::object& request,
                                                     const Target& target) const {
  Params p;
  std::vector<std::string_view> unsupported;
  for (const auto& kv : request) {
    const std::string_view key = kv.key();
    if (auto param = lookup(key)) {
      p.set(*param, &kv.value());
    } else if (!detail::is_litellm_internal_param(key) && !kv.value().is_null()) {
      unsupported.push_back(key);
    }
  }
  if (!unsupported.empty() && !target.drop_params) {
    return detail::unsupported_params(internal::kProvider, unsupported, target.model);
  }

  // ---- reasoning: decided before the messages are written (it may add a system prompt); its
  // errors are reported after the messages' ones, as they always were ----
  std::string_view effort;
  std::optional<Error> reasoning_error;
  bool thinking_on = false;
  if (const json::value* v = p[Param::reasoning_effort]) {
    if (!v->is_string()) {
      reasoning_error = invalid_type("reasoning_effort", "a string", *v);
    } else {
      effort = v->get_string();
      if (std::find(kEfforts.begin(), kEfforts.end(), effort) == kEfforts.end()) {
        reasoning_error = invalid_value(
            "reasoning_effort", "Invalid value for 'reasoning_effort': '" + std::string(effort) +
                                    "' (expected none, minimal, low, medium, high or xhigh).");
      }
    }
  }
  if (const json::value* v = p[Param::thinking]; v != nullptr && !reasoning_error) {
    if (!v->is_object()) {
      reasoning_error = invalid_type("thinking", "an object", *v);
    } else {
      thinking_on =
          core::get_string(v->get_object(), "type") == std::optional<std::string_view>("enabled");
    }
  }
  const bool wants_reasoning = (!effort.empty() && effort != "none") || thinking_on;
  ReasoningAction action = ReasoningAction::none;
  switch (target.reasoning) {
    case ReasoningMode::automatic:
      if (wants_reasoning && target.model.find("magistral") != std::string::npos) {
        action = ReasoningAction::prompt;
      }
      break;
    case ReasoningMode::prompt:
      if (wants_reasoning) action = ReasoningAction::prompt;
      break;
    case ReasoningMode::prompt_mode:
      if (wants_reasoning) action = ReasoningAction::prompt_mode;
      break;
    case ReasoningMode::passthrough:
      if (!effort.empty()) action = ReasoningAction::forward;
      break;
    case ReasoningMode::drop:
      break;
  }
  std::string_view reasoning_prompt;
  if (action == ReasoningAction::prompt) {
    reasoning_prompt = target.reasoning_prompt.empty() ? kReasoningPrompt
                                                       : std::string_view(target.reasoning_prompt);
  }

  // The body is written as text in one pass; an error anywhere discards it. Parameters that
  // two request keys can set (max_tokens, random_seed, prompt_mode) are settled first and
  // written once. Lists and objects that need converting go through objects built in the
  // request's storage (a bump allocator when the gateway parsed it).
  const json::storage_ptr& sp = request.storage();
  core::JsonWriter w(256 + request.size() * 32);
  w.begin_object();
  w.key("model");
  w.string(target.model);
  w.key("messages");
  if (auto r = write_messages(w, p[Param::messages], reasoning_prompt, sp); !r) {
    return std::move(r).error();
  }
  if (reasoning_error) return std::move(*reasoning_error);

  Scalars b{p, w};
  if (auto r = b.number(Param::temperature, "temperature"); !r) return std::move(r).error();
  if (auto r = b.number(Param::top_p, "top_p"); !r) return std::move(r).error();
  // max_completion_tokens (OpenAI's newer name) wins over max_tokens, as in LiteLLM.
  if (auto r = b.integer(Param::max_tokens, "max_tokens", Param::max_completion_tokens,
                         "max_completion_tokens", "max_tokens");
      !r) {
    return std::move(r).error();
  }
  bool stream = false;
  if (const json::value* v = p[Param::stream]) {
    if (!v->is_bool()) return invalid_type("stream", "a boolean", *v);
    stream = v->get_bool();
    w.key("stream");
    w.boolean(stream);
  }
  // stream_options is never sent (Mistral answers 422 extra_forbidden); the stream decoder
  // honours include_usage itself.
  if (const json::value* v = p[Param::stream_options]; v != nullptr && !v->is_object()) {
    return invalid_type("stream_options", "an object", *v);
  }
  if (const json::value* v = p[Param::stop]) {
    if (v->is_array()) {
      for (std::size_t i = 0; i < v->get_array().size(); ++i) {
        if (!v->get_array()[i].is_string()) {
          return invalid_type(indexed("stop", i), "a string", v->get_array()[i]);
        }
      }
    } else if (!v->is_string()) {
      return invalid_type("stop", "a string or an array of strings", *v);
    }
    member(w, "stop", *v);
  }
  // seed is OpenAI's name for Mistral's random_seed; an explicit random_seed wins.
  if (auto r = b.integer(Param::seed, "seed", Param::random_seed, "random_seed", "random_seed");
      !r) {
    return std::move(r).error();
  }
  if (const json::value* v = p[Param::response_format]) {
    auto rf = convert_response_format(*v);
    if (!rf) return std::move(rf).error();
    member(w, "response_format", *rf);
  }
  if (const json::value* v = p[Param::tools]) {
    auto tools = convert_tools(*v);
    if (!tools) return std::move(tools).error();
    w.key("tools");
    w.begin_array();
    for (const auto& t : *tools)
      w.value(t);
    w.end_array();
  }
  if (const json::value* v = p[Param::tool_choice]) {
    auto tc = convert_tool_choice(*v);
    if (!tc) return std::move(tc).error();
    member(w, "tool_choice", *tc);
  }
  if (auto r = b.number(Param::presence_penalty, "presence_penalty"); !r)
    return std::move(r).error();
  if (auto r = b.number(Param::frequency_penalty, "frequency_penalty"); !r)
    return std::move(r).error();
  if (const json::value* v = p[Param::n]) {
    auto n = as_integer(*v);
    if (!n) return invalid_type("n", "an integer", *v);
    if (*n < 1) return invalid_value("n", "Invalid value for 'n': must be at least 1.");
    w.key("n");
    w.int64(*n);
  }
  if (const json::value* v = p[Param::prediction]) {
    auto pred = convert_prediction(*v);
    if (!pred) return std::move(pred).error();
    member(w, "prediction", *pred);
  }
  if (auto r = b.boolean(Param::parallel_tool_calls, "parallel_tool_calls"); !r)
    return std::move(r).error();
  if (auto r = b.boolean(Param::safe_prompt, "safe_prompt"); !r) return std::move(r).error();
  if (auto r = b.string(Param::prompt_cache_key, "prompt_cache_key"); !r)
    return std::move(r).error();
  // Written once: the deployment's reasoning mode may set it over the caller's.
  if (action == ReasoningAction::prompt_mode) {
    if (const json::value* v = p[Param::prompt_mode]; v != nullptr && !v->is_string()) {
      return invalid_type("prompt_mode", "a string", *v);
    }
    w.key("prompt_mode");
    w.string("reasoning");
  } else if (auto r = b.string(Param::prompt_mode, "prompt_mode"); !r) {
    return std::move(r).error();
  }
  if (action == ReasoningAction::forward) {
    w.key("reasoning_effort");
    w.string(effort);
  }
  if (const json::value* v = p[Param::guardrails]) {
    // LiteLLM's proxy takes `guardrails` as a list of its own guardrail names (strings): those
    // are proxy bookkeeping. Mistral's are objects.
    if (!v->is_array()) return invalid_type("guardrails", "an array", *v);
    const auto& g = v->get_array();
    if (!g.empty() &&
        std::all_of(g.begin(), g.end(), [](const json::value& x) { return x.is_object(); })) {
      member(w, "guardrails", *v);
    }
  }
  if (const json::value* v = p[Param::service_tier]) {
    if (!v->is_string()) return invalid_type("service_tier", "a string", *v);
    std::string_view tier = v->get_string();
    if (tier == "auto" || tier == "standard_only") {
      w.key("service_tier");
      w.string(tier);
    } else if (!target.drop_params) {
      // OpenAI's tiers (default, flex, priority, scale) have no Mistral equivalent.
      std::array<std::string_view, 1> names{"service_tier"};
      return detail::unsupported_params(internal::kProvider, names, target.model);
    }
  }
  // `user` and `metadata` are LiteLLM proxy bookkeeping, never forwarded.
  w.end_object();

  UpstreamRequest up;
  up.body = std::move(w).take();
  up.url = detail::join_url(normalize_api_base(target.api_base), "/chat/completions");
  up.headers = internal::request_headers(target, stream);
  return up;
}

}  // namespace litellm::providers::mistral
