// OpenAI chat request -> Mistral's /v1/chat/completions request. The output object is built
// directly in one pass over the request's keys; nothing is re-parsed.
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

// Built in `sp` (the request's own storage when the gateway parsed it: bump allocation).
Result<json::array> convert_messages(const json::value* mv, const json::storage_ptr& sp) {
  if (mv == nullptr) return missing("messages");
  if (!mv->is_array()) return invalid_type("messages", "an array", *mv);
  const auto& in = mv->get_array();
  json::array out(sp);
  out.reserve(in.size() + 1);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto& m = in[i];
    if (!m.is_object()) return invalid_type(indexed("messages", i), "an object", m);
    const auto& mo = m.get_object();
    const json::value* rv = core::find(mo, "role");
    if (rv == nullptr) return missing(indexed("messages", i, ".role"));
    if (!rv->is_string()) return invalid_type(indexed("messages", i, ".role"), "a string", *rv);
    std::string_view role = rv->get_string();
    // OpenAI's newer "developer" role is a system message to every other provider (LiteLLM
    // translates it the same way).
    if (role == "developer") role = "system";
    if (role != "system" && role != "user" && role != "assistant" && role != "tool") {
      return invalid_value(indexed("messages", i, ".role"),
                           "Invalid value for '" + indexed("messages", i, ".role") + "': '" +
                               std::string(role) +
                               "' is not supported by mistral (expected system, user, assistant "
                               "or tool).");
    }
    json::object om(sp);
    om.reserve(4);
    om.emplace("role", role);

    const json::value* content = core::find(mo, "content");
    std::optional<json::value> converted;
    if (content != nullptr && !content->is_null()) {
      auto c = convert_content(
          *content, [i] { return indexed("messages", i, ".content"); }, sp);
      if (!c) return std::move(c).error();
      converted = std::move(*c);
    }

    if (role == "assistant") {
      const json::value* calls = core::find(mo, "tool_calls");
      json::array tool_calls(sp);
      if (calls != nullptr && !calls->is_null()) {
        if (!calls->is_array()) {
          return invalid_type(indexed("messages", i, ".tool_calls"), "an array", *calls);
        }
        auto tc = convert_tool_calls(calls->get_array(), indexed("messages", i, ".tool_calls"), sp);
        if (!tc) return std::move(tc).error();
        tool_calls = std::move(*tc);
      }
      // Clients echo assistant messages back as received; one with nothing to say is refused by
      // Mistral (LiteLLM's _is_empty_assistant_message).
      if (is_empty_content(converted ? &*converted : nullptr) && tool_calls.empty()) continue;
      if (converted) om.emplace("content", std::move(*converted));
      if (!tool_calls.empty()) om.emplace("tool_calls", std::move(tool_calls));
      if (auto prefix = core::get_bool(mo, "prefix")) om.emplace("prefix", *prefix);
    } else if (role == "tool") {
      om.emplace("content", converted ? std::move(*converted) : json::value(nullptr));
      if (auto id = core::get_string(mo, "tool_call_id"))
        om.emplace("tool_call_id", tool_call_id(*id));
      // Mistral keeps `name` on tool messages only, and not when blank.
      if (auto name = core::get_string(mo, "name")) {
        if (name->find_first_not_of(" \t\r\n") != std::string_view::npos) om.emplace("name", *name);
      }
    } else if (role == "user") {
      if (content == nullptr) return missing(indexed("messages", i, ".content"));
      om.emplace("content", converted ? std::move(*converted) : json::value(nullptr));
    } else {  // system: Mistral requires content and refuses null
      om.emplace("content", converted ? std::move(*converted) : json::value(json::string(sp)));
    }
    out.emplace_back(std::move(om));
  }
  return out;
}

// LiteLLM's _add_reasoning_system_prompt_if_needed: prepend to the first system message (then a
// blank line), or insert a new first system message.
void add_reasoning_prompt(json::array& messages, std::string_view prompt) {
  for (auto& m : messages) {
    auto& mo = m.get_object();
    if (core::get_string(mo, "role") != std::optional<std::string_view>("system")) continue;
    json::value& c = mo["content"];
    if (c.is_array()) {
      json::string text(prompt);
      text.append("\n\n");
      c.get_array().insert(c.get_array().begin(),
                           json::object{{"type", "text"}, {"text", std::move(text)}});
    } else {
      json::string text(prompt);
      text.append("\n\n");
      if (c.is_string()) text.append(c.get_string());
      c = std::move(text);
    }
    return;
  }
  messages.insert(messages.begin(), json::object{{"role", "system"}, {"content", prompt}});
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

// Copies scalar parameters after checking their JSON type.
struct Builder {
  const Params& p;
  json::object& body;

  Result<void> number(Param param, std::string_view name) {
    if (const json::value* v = p[param]) {
      if (!is_number(*v)) return invalid_type(name, "a number", *v);
      body.emplace(name, *v);
    }
    return {};
  }
  Result<void> integer(Param param, std::string_view name, std::string_view out_name) {
    if (const json::value* v = p[param]) {
      auto i = as_integer(*v);
      if (!i) return invalid_type(name, "an integer", *v);
      body[out_name] = *i;
    }
    return {};
  }
  Result<void> boolean(Param param, std::string_view name) {
    if (const json::value* v = p[param]) {
      if (!v->is_bool()) return invalid_type(name, "a boolean", *v);
      body.emplace(name, *v);
    }
    return {};
  }
  Result<void> string(Param param, std::string_view name) {
    if (const json::value* v = p[param]) {
      if (!v->is_string()) return invalid_type(name, "a string", *v);
      body.emplace(name, *v);
    }
    return {};
  }
};

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

  // Built in the request's storage: when the gateway parsed the request that is a bump
  // allocator, so the body costs no heap allocation per value (it lives as long as the request).
  const json::storage_ptr& sp = request.storage();
  json::object body(sp);
  body.reserve(24);
  body.emplace("model", target.model);
  auto messages = convert_messages(p[Param::messages], sp);
  if (!messages) return std::move(messages).error();

  // ---- reasoning: decided before the messages are final (it may add a system prompt) ----
  std::string_view effort;
  if (const json::value* v = p[Param::reasoning_effort]) {
    if (!v->is_string()) return invalid_type("reasoning_effort", "a string", *v);
    effort = v->get_string();
    if (std::find(kEfforts.begin(), kEfforts.end(), effort) == kEfforts.end()) {
      return invalid_value("reasoning_effort",
                           "Invalid value for 'reasoning_effort': '" + std::string(effort) +
                               "' (expected none, minimal, low, medium, high or xhigh).");
    }
  }
  bool thinking_on = false;
  if (const json::value* v = p[Param::thinking]) {
    if (!v->is_object()) return invalid_type("thinking", "an object", *v);
    thinking_on =
        core::get_string(v->get_object(), "type") == std::optional<std::string_view>("enabled");
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
  if (action == ReasoningAction::prompt) {
    add_reasoning_prompt(*messages, target.reasoning_prompt.empty()
                                        ? kReasoningPrompt
                                        : std::string_view(target.reasoning_prompt));
  }
  body.emplace("messages", std::move(*messages));

  Builder b{p, body};
  if (auto r = b.number(Param::temperature, "temperature"); !r) return std::move(r).error();
  if (auto r = b.number(Param::top_p, "top_p"); !r) return std::move(r).error();
  if (auto r = b.integer(Param::max_tokens, "max_tokens", "max_tokens"); !r)
    return std::move(r).error();
  // max_completion_tokens (OpenAI's newer name) wins over max_tokens, as in LiteLLM.
  if (auto r = b.integer(Param::max_completion_tokens, "max_completion_tokens", "max_tokens"); !r) {
    return std::move(r).error();
  }
  bool stream = false;
  if (const json::value* v = p[Param::stream]) {
    if (!v->is_bool()) return invalid_type("stream", "a boolean", *v);
    stream = v->get_bool();
    body.emplace("stream", stream);
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
    body.emplace("stop", *v);
  }
  // seed is OpenAI's name for Mistral's random_seed; an explicit random_seed wins.
  if (auto r = b.integer(Param::seed, "seed", "random_seed"); !r) return std::move(r).error();
  if (auto r = b.integer(Param::random_seed, "random_seed", "random_seed"); !r)
    return std::move(r).error();
  if (const json::value* v = p[Param::response_format]) {
    auto rf = convert_response_format(*v);
    if (!rf) return std::move(rf).error();
    body.emplace("response_format", std::move(*rf));
  }
  if (const json::value* v = p[Param::tools]) {
    auto tools = convert_tools(*v);
    if (!tools) return std::move(tools).error();
    body.emplace("tools", std::move(*tools));
  }
  if (const json::value* v = p[Param::tool_choice]) {
    auto tc = convert_tool_choice(*v);
    if (!tc) return std::move(tc).error();
    body.emplace("tool_choice", std::move(*tc));
  }
  if (auto r = b.number(Param::presence_penalty, "presence_penalty"); !r)
    return std::move(r).error();
  if (auto r = b.number(Param::frequency_penalty, "frequency_penalty"); !r)
    return std::move(r).error();
  if (const json::value* v = p[Param::n]) {
    auto n = as_integer(*v);
    if (!n) return invalid_type("n", "an integer", *v);
    if (*n < 1) return invalid_value("n", "Invalid value for 'n': must be at least 1.");
    body.emplace("n", *n);
  }
  if (const json::value* v = p[Param::prediction]) {
    auto pred = convert_prediction(*v);
    if (!pred) return std::move(pred).error();
    body.emplace("prediction", std::move(*pred));
  }
  if (auto r = b.boolean(Param::parallel_tool_calls, "parallel_tool_calls"); !r)
    return std::move(r).error();
  if (auto r = b.boolean(Param::safe_prompt, "safe_prompt"); !r) return std::move(r).error();
  if (auto r = b.string(Param::prompt_cache_key, "prompt_cache_key"); !r)
    return std::move(r).error();
  if (auto r = b.string(Param::prompt_mode, "prompt_mode"); !r) return std::move(r).error();
  if (action == ReasoningAction::prompt_mode) body["prompt_mode"] = "reasoning";
  if (action == ReasoningAction::forward) body.emplace("reasoning_effort", effort);
  if (const json::value* v = p[Param::guardrails]) {
    // LiteLLM's proxy takes `guardrails` as a list of its own guardrail names (strings): those
    // are proxy bookkeeping. Mistral's are objects.
    if (!v->is_array()) return invalid_type("guardrails", "an array", *v);
    const auto& g = v->get_array();
    if (!g.empty() &&
        std::all_of(g.begin(), g.end(), [](const json::value& x) { return x.is_object(); })) {
      body.emplace("guardrails", *v);
    }
  }
  if (const json::value* v = p[Param::service_tier]) {
    if (!v->is_string()) return invalid_type("service_tier", "a string", *v);
    std::string_view tier = v->get_string();
    if (tier == "auto" || tier == "standard_only") {
      body.emplace("service_tier", tier);
    } else if (!target.drop_params) {
      // OpenAI's tiers (default, flex, priority, scale) have no Mistral equivalent.
      std::array<std::string_view, 1> names{"service_tier"};
      return detail::unsupported_params(internal::kProvider, names, target.model);
    }
  }
  // `user` and `metadata` are LiteLLM proxy bookkeeping, never forwarded.

  UpstreamRequest up;
  up.url = detail::join_url(normalize_api_base(target.api_base), "/chat/completions");
  up.headers = internal::request_headers(target, stream);
  up.body.reserve(512);
  {
    core::JsonWriter w(up.body);
    w.value(body);
  }
  return up;
}

}  // namespace litellm::providers::mistral
