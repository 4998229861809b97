#include "emulator/schema.hpp"
#include "emulator/strcat.hpp"

#include <charconv>
#include <cmath>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace litellm::emulator {
namespace json = boost::json;

namespace {

enum class Type {
  any,
  string,
  integer,
  number,
  boolean,
  model,
  dict,
  array,
  literal,
  one_of,
  tagged
};

struct Node;

struct Field {
  std::string_view name;
  const Node* node = nullptr;
  bool required = false;
};

struct Branch {
  std::string_view label;  // pydantic's loc suffix ("str", "list[...]") or the union tag
  const Node* node = nullptr;
};

// One schema node. Nodes live in a std::deque owned by Schemas and are built once.
struct Node {
  Type type = Type::any;
  bool nullable = false;
  bool is_enum = false;    // enum (type "enum") rather than Literal (type "literal_error")
  json::value ge, le, gt;  // numeric bounds; null when absent
  std::vector<std::string_view> values;  // literal / enum values
  std::vector<Field> fields;             // model
  const Node* items = nullptr;           // array
  std::vector<Branch> branches;          // one_of / tagged
  std::string_view discriminator;        // tagged
};

// ---- issue construction ----------------------------------------------------------------------

// One step of an issue's location: a key (field, union tag or branch label) or an array index.
// Views point into the schema or the validated body, both alive while validating.
struct Step {
  std::string_view key;
  std::int64_t index = -1;
};

// The location is kept as plain steps and turned into JSON only when an issue is reported, so
// a valid request costs no allocation per field.
struct Ctx {
  json::array& out;
  std::vector<Step>& loc;
  bool full() const { return out.size() >= kMaxValidationIssues; }
};

json::array loc_json(const std::vector<Step>& loc) {
  json::array a;
  a.reserve(loc.size());
  for (const auto& s : loc) {
    if (s.index >= 0) {
      a.emplace_back(s.index);
    } else {
      a.emplace_back(s.key);
    }
  }
  return a;
}

// Whether a value is small enough to echo as an issue's "input": pydantic echoes it whole, but
// 32 issues each echoing a large body would turn a 16 MiB request into a huge answer.
bool small_enough(const json::value& v, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  switch (v.kind()) {
    case json::kind::string: {
      std::size_t n = v.get_string().size() / 16;
      if (n >= budget) return false;
      budget -= n;
      return true;
    }
    case json::kind::array:
      for (const auto& x : v.get_array()) {
        if (!small_enough(x, budget)) return false;
      }
      return true;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (!small_enough(kv.value(), budget)) return false;
      }
      return true;
    default:
      return true;
  }
}

void add_issue(Ctx& c, std::string_view type, std::string msg, const json::value& input,
               json::object ctx = {}) {
  if (c.full()) return;
  json::object issue;
  issue["type"] = type;
  issue["loc"] = loc_json(c.loc);
  issue["msg"] = std::move(msg);
  std::size_t budget = 512;  // about 8 KiB of echoed input per issue
  if (small_enough(input, budget)) {
    issue["input"] = input;
  } else {
    issue["input"] = "[input too large to echo]";
  }
  if (!ctx.empty()) issue["ctx"] = std::move(ctx);
  c.out.emplace_back(std::move(issue));
}

std::string quoted_list(const std::vector<std::string_view>& values) {
  // pydantic: 'a', 'b' or 'c'
  std::string s;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += (i + 1 == values.size()) ? " or " : ", ";
    s += '\'';
    s += values[i];
    s += '\'';
  }
  return s;
}

// Bounds as pydantic prints them: 0, 1, 1.5 (never 1.5E0).
std::string number_text(const json::value& v) {
  if (!v.is_double()) return json::serialize(v);
  double d = v.get_double();
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

double as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

void check(Ctx& c, const json::value& v, const Node& n);

void check_bounds(Ctx& c, const json::value& v, const Node& n) {
  double x = as_double(v);
  if (!n.ge.is_null() && x < as_double(n.ge)) {
    json::object ctx;
    ctx["ge"] = n.ge;
    add_issue(c, "greater_than_equal",
              "Input should be greater than or equal to " + number_text(n.ge), v, std::move(ctx));
  }
  if (!n.gt.is_null() && !(x > as_double(n.gt))) {
    json::object ctx;
    ctx["gt"] = n.gt;
    add_issue(c, "greater_than", "Input should be greater than " + number_text(n.gt), v,
              std::move(ctx));
  }
  if (!n.le.is_null() && x > as_double(n.le)) {
    json::object ctx;
    ctx["le"] = n.le;
    add_issue(c, "less_than_equal", "Input should be less than or equal to " + number_text(n.le), v,
              std::move(ctx));
  }
}

void check_model(Ctx& c, const json::value& v, const Node& n) {
  if (!v.is_object()) {
    add_issue(c, "model_attributes_type",
              "Input should be a valid dictionary or object to extract fields from", v);
    return;
  }
  const auto& o = v.get_object();
  for (const auto& f : n.fields) {
    auto it = o.find(f.name);
    c.loc.push_back({f.name});
    if (it == o.end()) {
      if (f.required) add_issue(c, "missing", "Field required", v);
    } else {
      check(c, it->value(), *f.node);
    }
    c.loc.pop_back();
    if (c.full()) return;
  }
  for (const auto& kv : o) {
    bool known = false;
    for (const auto& f : n.fields) {
      if (f.name == kv.key()) {
        known = true;
        break;
      }
    }
    if (!known) {
      c.loc.push_back({kv.key()});
      add_issue(c, "extra_forbidden", "Extra inputs are not permitted", kv.value());
      c.loc.pop_back();
      if (c.full()) return;
    }
  }
}

void check_tagged(Ctx& c, const json::value& v, const Node& n) {
  std::string disc = cat("'", n.discriminator, "'");
  const json::value* tag = v.is_object() ? v.get_object().if_contains(n.discriminator) : nullptr;
  if (!v.is_object()) {
    add_issue(c, "model_attributes_type",
              "Input should be a valid dictionary or object to extract fields from", v);
    return;
  }
  if (tag == nullptr || !tag->is_string()) {
    json::object ctx;
    ctx["discriminator"] = disc;
    add_issue(c, "union_tag_not_found", "Unable to extract tag using discriminator " + disc, v,
              std::move(ctx));
    return;
  }
  std::string_view t = tag->get_string();
  for (const auto& b : n.branches) {
    if (b.label == t) {
      c.loc.push_back({b.label});
      check(c, v, *b.node);
      c.loc.pop_back();
      return;
    }
  }
  std::vector<std::string_view> tags;
  tags.reserve(n.branches.size());
  for (const auto& b : n.branches)
    tags.push_back(b.label);
  std::string expected;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) expected += ", ";
    expected += cat("'", tags[i], "'");
  }
  json::object ctx;
  ctx["discriminator"] = disc;
  ctx["tag"] = t;
  ctx["expected_tags"] = expected;
  add_issue(c, "union_tag_invalid",
            cat("Input tag '", t, "' found using ", disc,
                " does not match any of the expected tags: ", expected),
            v, std::move(ctx));
}

void check_one_of(Ctx& c, const json::value& v, const Node& n) {
  // Smart union: valid when any branch accepts; otherwise every branch's issues, each under its
  // label, as pydantic reports them.
  json::array collected;
  for (const auto& b : n.branches) {
    json::array tmp;
    Ctx sub{tmp, c.loc};
    check(sub, v, *b.node);
    if (tmp.empty()) return;
    for (auto& issue : tmp) {
      auto& loc = issue.get_object()["loc"].get_array();
      loc.insert(loc.begin() + static_cast<std::ptrdiff_t>(c.loc.size()), json::string(b.label));
      collected.emplace_back(std::move(issue));
    }
  }
  for (auto& issue : collected) {
    if (c.full()) return;
    c.out.emplace_back(std::move(issue));
  }
}

void check(Ctx& c, const json::value& v, const Node& n) {
  if (c.full()) return;
  if (v.is_null()) {
    if (n.nullable || n.type == Type::any) return;
  }
  switch (n.type) {
    case Type::any:
      return;
    case Type::string:
      if (!v.is_string()) add_issue(c, "string_type", "Input should be a valid string", v);
      return;
    case Type::integer:
      if (v.is_int64() || v.is_uint64()) {
        check_bounds(c, v, n);
      } else if (v.is_double() && std::isfinite(v.get_double()) &&
                 std::floor(v.get_double()) == v.get_double()) {
        check_bounds(c, v, n);
      } else if (v.is_double()) {
        add_issue(c, "int_from_float",
                  "Input should be a valid integer, got a number with a fractional part", v);
      } else {
        add_issue(c, "int_type", "Input should be a valid integer", v);
      }
      return;
    case Type::number:
      if (v.is_number()) {
        check_bounds(c, v, n);
      } else {
        add_issue(c, "float_type", "Input should be a valid number", v);
      }
      return;
    case Type::boolean:
      if (!v.is_bool()) add_issue(c, "bool_type", "Input should be a valid boolean", v);
      return;
    case Type::dict:
      if (!v.is_object()) add_issue(c, "dict_type", "Input should be a valid dictionary", v);
      return;
    case Type::literal: {
      bool ok = false;
      if (v.is_string()) {
        for (auto s : n.values)
          ok = ok || (s == std::string_view(v.get_string()));
      }
      if (!ok) {
        json::object ctx;
        ctx["expected"] = quoted_list(n.values);
        add_issue(c, n.is_enum ? "enum" : "literal_error",
                  "Input should be " + quoted_list(n.values), v, std::move(ctx));
      }
      return;
    }
    case Type::array:
      if (!v.is_array()) {
        add_issue(c, "list_type", "Input should be a valid list", v);
        return;
      }
      {
        std::int64_t i = 0;
        for (const auto& item : v.get_array()) {
          c.loc.push_back({{}, i++});
          check(c, item, *n.items);
          c.loc.pop_back();
          if (c.full()) return;
        }
      }
      return;
    case Type::model:
      check_model(c, v, n);
      return;
    case Type::tagged:
      check_tagged(c, v, n);
      return;
    case Type::one_of:
      check_one_of(c, v, n);
      return;
  }
}

// ---- the Mistral request schemas ---------------------------------------------------------------

class Schemas {
 public:
  const Node* chat = nullptr;
  const Node* fim = nullptr;
  const Node* embedding = nullptr;

  Schemas() { build(); }

 private:
  std::deque<Node> nodes_;

  Node* make(Type t) {
    nodes_.emplace_back();
    nodes_.back().type = t;
    return &nodes_.back();
  }
  const Node* str(bool nullable = false) {
    Node* n = make(Type::string);
    n->nullable = nullable;
    return n;
  }
  const Node* boolean() { return make(Type::boolean); }
  const Node* dict(bool nullable = false) {
    Node* n = make(Type::dict);
    n->nullable = nullable;
    return n;
  }
  const Node* integer(json::value ge, json::value gt = nullptr, bool nullable = true) {
    Node* n = make(Type::integer);
    n->ge = std::move(ge);
    n->gt = std::move(gt);
    n->nullable = nullable;
    return n;
  }
  const Node* number(json::value ge, json::value le, json::value gt = nullptr) {
    Node* n = make(Type::number);
    n->ge = std::move(ge);
    n->le = std::move(le);
    n->gt = std::move(gt);
    n->nullable = true;
    return n;
  }
  const Node* literal(std::initializer_list<std::string_view> values, bool is_enum,
                      bool nullable = false) {
    Node* n = make(Type::literal);
    n->values.assign(values);
    n->is_enum = is_enum;
    n->nullable = nullable;
    return n;
  }
  const Node* array(const Node* items, bool nullable = false) {
    Node* n = make(Type::array);
    n->items = items;
    n->nullable = nullable;
    return n;
  }
  Node* model(std::initializer_list<Field> fields) {
    Node* n = make(Type::model);
    n->fields.assign(fields);
    return n;
  }
  const Node* one_of(std::initializer_list<Branch> branches, bool nullable = false) {
    Node* n = make(Type::one_of);
    n->branches.assign(branches);
    n->nullable = nullable;
    return n;
  }
  const Node* tagged(std::string_view disc, std::initializer_list<Branch> branches) {
    Node* n = make(Type::tagged);
    n->discriminator = disc;
    n->branches.assign(branches);
    return n;
  }

  void build() {
    const Node* text_chunk = model({{"type", literal({"text"}, false)}, {"text", str(), true}});
    const Node* image_url =
        model({{"url", str(), true}, {"detail", literal({"low", "auto", "high"}, true, true)}});
    const Node* image_chunk =
        model({{"type", literal({"image_url"}, false)},
               {"image_url", one_of({{"ImageURL", image_url}, {"str", str()}}), true}});
    const Node* document_chunk = model({{"type", literal({"document_url"}, false)},
                                        {"document_url", str(), true},
                                        {"document_name", str(true)}});
    const Node* reference_chunk =
        model({{"type", literal({"reference"}, false)},
               {"reference_ids",
                array(one_of({{"int", integer(nullptr, nullptr, false)}, {"str", str()}})), true}});
    const Node* file_chunk = model({{"type", literal({"file"}, false)}, {"file_id", str(), true}});
    const Node* tool_reference_chunk = model({{"type", literal({"tool_reference"}, false)},
                                              {"tool", str(), true},
                                              {"title", str(), true},
                                              {"url", str(true)},
                                              {"favicon", str(true)},
                                              {"description", str(true)}});
    const Node* think_chunk =
        model({{"type", literal({"thinking"}, false)},
               {"thinking",
                array(tagged("type", {{"text", text_chunk},
                                      {"tool_reference", tool_reference_chunk},
                                      {"reference", reference_chunk}})),
                true},
               {"signature", str(true)},
               {"closed", boolean()}});
    const Node* audio_chunk =
        model({{"type", literal({"input_audio"}, false)}, {"input_audio", str(), true}});
    const Node* content_chunk = tagged("type", {{"text", text_chunk},
                                                {"image_url", image_chunk},
                                                {"document_url", document_chunk},
                                                {"reference", reference_chunk},
                                                {"file", file_chunk},
                                                {"thinking", think_chunk},
                                                {"input_audio", audio_chunk}});
    const Node* system_chunk = tagged("type", {{"text", text_chunk}, {"thinking", think_chunk}});

    const Node* content =
        one_of({{"str", str()}, {"list[ContentChunk]", array(content_chunk)}}, /*nullable=*/true);
    const Node* function_call =
        model({{"name", str(), true},
               {"arguments", one_of({{"dict[str,any]", dict()}, {"str", str()}}), true}});
    const Node* tool_call = model({{"id", str()},
                                   {"type", literal({"function"}, true)},
                                   {"function", function_call, true},
                                   {"index", integer(nullptr, nullptr, false)}});

    const Node* system_message =
        model({{"role", literal({"system"}, false)},
               {"content",
                one_of({{"str", str()}, {"list[SystemMessageContentChunks]", array(system_chunk)}}),
                true}});
    const Node* user_message =
        model({{"role", literal({"user"}, false)}, {"content", content, true}});
    const Node* assistant_message = model({{"role", literal({"assistant"}, false)},
                                           {"content", content},
                                           {"tool_calls", array(tool_call, true)},
                                           {"prefix", boolean()}});
    const Node* tool_message = model({{"role", literal({"tool"}, false)},
                                      {"content", content, true},
                                      {"tool_call_id", str(true)},
                                      {"name", str(true)}});
    const Node* message = tagged("role", {{"system", system_message},
                                          {"user", user_message},
                                          {"assistant", assistant_message},
                                          {"tool", tool_message}});

    const Node* function = model({{"name", str(), true},
                                  {"description", str()},
                                  {"strict", boolean()},
                                  {"parameters", dict(), true}});
    const Node* function_tool =
        model({{"type", literal({"function"}, true)}, {"function", function, true}});
    // Built-in connectors are accepted as they come: the emulator never calls them.
    const Node* tool = tagged("type", {{"function", function_tool},
                                       {"web_search", dict()},
                                       {"web_search_premium", dict()},
                                       {"code_interpreter", dict()},
                                       {"image_generation", dict()},
                                       {"document_library", dict()},
                                       {"connector", dict()}});
    const Node* tool_choice_object = model({{"type", literal({"function"}, true)},
                                            {"function", model({{"name", str(), true}}), true}});
    const Node* tool_choice =
        one_of({{"ToolChoice", tool_choice_object},
                {"ToolChoiceEnum", literal({"auto", "none", "any", "required"}, true)}});
    Node* json_schema = model({{"name", str(), true},
                               {"description", str(true)},
                               {"schema", dict(), true},
                               {"strict", boolean()}});
    json_schema->nullable = true;
    const Node* response_format =
        model({{"type", literal({"text", "json_object", "json_schema"}, true)},
               {"json_schema", json_schema}});
    const Node* prediction = model({{"type", literal({"content"}, false)}, {"content", str()}});
    const Node* stop = one_of({{"str", str()}, {"list[str]", array(str())}}, /*nullable=*/true);

    // Chat and FIM share their sampling fields, in this order (issues follow field order).
    auto with_sampling = [&](Field model_field, std::initializer_list<Field> rest) {
      std::vector<Field> fields = {model_field,
                                   {"temperature", number(0, 1.5)},
                                   {"top_p", number(nullptr, 1, 0)},
                                   {"max_tokens", integer(0)},
                                   {"stream", boolean()},
                                   {"stop", stop},
                                   {"random_seed", integer(0)},
                                   {"metadata", dict(true)}};
      fields.insert(fields.end(), rest);
      Node* n = make(Type::model);
      n->fields = std::move(fields);
      return n;
    };
    chat = with_sampling(
        {"model", str(), true},
        {
            {"messages", array(message), true},
            {"response_format", response_format},
            {"tools", array(tool, true)},
            {"tool_choice", tool_choice},
            {"presence_penalty", number(-2, 2)},
            {"frequency_penalty", number(-2, 2)},
            {"n", integer(1)},
            {"prediction", prediction},
            {"parallel_tool_calls", boolean()},
            {"reasoning_effort",
             literal({"none", "minimal", "low", "medium", "high", "xhigh"}, true, true)},
            {"prompt_mode", literal({"reasoning"}, true, true)},
            {"guardrails", array(dict(), true)},
            {"prompt_cache_key", str(true)},
            {"service_tier", literal({"auto", "standard_only"}, true, true)},
            {"safe_prompt", boolean()},
        });
    fim = with_sampling({"model", str()}, {
                                              {"prompt", str(), true},
                                              {"suffix", str(true)},
                                              {"min_tokens", integer(0)},
                                              {"prompt_cache_key", str(true)},
                                          });
    embedding = model({
        {"model", str(), true},
        {"metadata", dict(true)},
        {"input", one_of({{"str", str()}, {"list[str]", array(str())}}), true},
        {"output_dimension", integer(nullptr, 0)},
        {"output_dtype", literal({"float", "int8", "uint8", "binary", "ubinary"}, true)},
        {"encoding_format", literal({"float", "base64"}, true)},
    });
  }
};

const Schemas& schemas() {
  static const Schemas s;
  return s;
}

json::array run(const json::value& body, const Node& root) {
  json::array out;
  std::vector<Step> loc;
  loc.reserve(16);
  loc.push_back({"body"});
  Ctx c{out, loc};
  check(c, body, root);
  return out;
}

}  // namespace

json::array validate_chat_request(const json::value& body) {
  return run(body, *schemas().chat);
}
json::array validate_fim_request(const json::value& body) {
  return run(body, *schemas().fim);
}
json::array validate_embedding_request(const json::value& body) {
  return run(body, *schemas().embedding);
}

}  // namespace litellm::emulator
