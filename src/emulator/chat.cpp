#include "emulator/chat.hpp"
#include "emulator/strcat.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <boost/json.hpp>

#include "emulator/textgen.hpp"
#include "emulator/tokens.hpp"

namespace litellm::emulator {
namespace json = boost::json;

namespace {

std::string_view str_or(const json::object& o, std::string_view key, std::string_view fallback) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : fallback;
}

// Text of a message's content: a string, or the text chunks of a list joined.
std::string content_text(const json::value* content) {
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string out;
  if (content->is_array()) {
    for (const auto& chunk : content->get_array()) {
      if (!chunk.is_object()) continue;
      const auto* t = chunk.get_object().if_contains("text");
      if (t != nullptr && t->is_string()) out += t->get_string();
    }
  }
  return out;
}

bool is_alnum9(std::string_view id) {
  return id.size() == 9 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

// A prefix of `s` of at most `max_bytes`, cut at a word boundary when there is one and never
// inside a UTF-8 sequence.
std::string_view cut(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  auto space = s.substr(0, end + 1).rfind(' ');
  if (space != std::string_view::npos && space > 0) {
    end = space;
  } else {
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
      --end;
  }
  return s.substr(0, end);
}

// Mistral's message-list rules (mistral-common's serving validator, v13): order of roles,
// tool call ids of 9 alphanumerics, every tool result answering a call of the assistant
// message before it, no call left unanswered.
std::optional<ErrorReply> check_messages(const json::array& messages) {
  if (messages.empty()) return invalid_request("Conversation must have at least one message");
  auto role_of = [](const json::value& m) { return str_or(m.get_object(), "role", ""); };
  if (messages.size() == 1) {
    auto r = role_of(messages[0]);
    if (r != "user" && r != "system") {
      return invalid_request("Conversation must start with a user message or system message");
    }
  } else {
    const auto& last = messages.back().get_object();
    auto r = str_or(last, "role", "");
    bool prefix = false;
    if (const auto* p = last.if_contains("prefix"); p && p->is_bool()) prefix = p->get_bool();
    if (r != "user" && r != "tool" && !(r == "assistant" && prefix)) {
      return invalid_request(
          "Expected last role User or Tool (or Assistant with prefix or continue_final_message set "
          "to True) for serving but got " +
          std::string(r));
    }
  }
  std::string_view prev;
  std::set<std::string, std::less<>> expected;
  std::set<std::string, std::less<>> observed;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i].get_object();
    std::string_view role = str_or(m, "role", "");
    if (!prev.empty()) {
      bool ok = true;
      if (prev == "system") ok = role == "user" || role == "assistant" || role == "system";
      if (prev == "user") ok = role == "assistant" || role == "system" || role == "user";
      if (prev == "assistant") ok = role == "assistant" || role == "user" || role == "tool";
      if (prev == "tool") ok = role == "assistant" || role == "tool";
      if (!ok) {
        return invalid_request(cat("Unexpected role '", role, "' after role '", prev, "'"));
      }
    }
    if (role == "assistant") {
      bool prefix = false;
      if (const auto* p = m.if_contains("prefix"); p && p->is_bool()) prefix = p->get_bool();
      if (prefix && i + 1 != messages.size()) {
        return invalid_request("Assistant message with prefix True must be last message");
      }
      if (i > 0 && expected.size() != observed.size()) {
        return invalid_request("Not the same number of function calls and responses");
      }
      expected.clear();
      observed.clear();
      if (const auto* calls = m.if_contains("tool_calls"); calls && calls->is_array()) {
        for (const auto& call : calls->get_array()) {
          std::string_view id = str_or(call.get_object(), "id", "null");
          if (id == "null")
            return invalid_request("Tool call id has to be defined in serving mode.");
          if (!is_alnum9(id)) return bad_tool_call_id(id);
          if (!expected.emplace(id).second) {
            return invalid_request(cat("Duplicate tool call id ", id, " in assistant message"));
          }
        }
      }
    } else if (role == "tool") {
      const auto* idv = m.if_contains("tool_call_id");
      if (idv == nullptr || !idv->is_string())
        return invalid_request("Tool call id has to be defined.");
      std::string_view id = idv->get_string();
      if (!is_alnum9(id)) return bad_tool_call_id(id);
      if (observed.count(id) > 0) {
        return invalid_request(cat("Duplicate tool call id ", id, " in tool results"));
      }
      if (expected.count(id) == 0) {
        return invalid_request(cat("Unexpected tool call id ", id, " in tool results"));
      }
      observed.emplace(id);
    }
    prev = role;
  }
  if (expected.size() != observed.size()) {
    return invalid_request("Not the same number of function calls and responses");
  }
  return std::nullopt;
}

struct ToolRef {
  const json::object* function = nullptr;  // {"name","description","parameters"}
  std::string_view name;
};

std::vector<ToolRef> function_tools(const json::object& request) {
  std::vector<ToolRef> out;
  const auto* tools = request.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return out;
  for (const auto& t : tools->get_array()) {
    const auto& o = t.get_object();
    if (str_or(o, "type", "function") != "function") continue;
    const auto* fn = o.if_contains("function");
    if (fn == nullptr || !fn->is_object()) continue;
    out.push_back({&fn->get_object(), str_or(fn->get_object(), "name", "")});
  }
  return out;
}

std::set<std::string> words_of(std::string_view text) {
  std::set<std::string> out;
  std::string w;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      w += static_cast<char>(std::tolower(c));
    } else {
      if (w.size() >= 3) out.insert(w);
      w.clear();
    }
  }
  if (w.size() >= 3) out.insert(w);
  return out;
}

// The tool whose name and description share most words with the user's last message.
const ToolRef* pick_tool(const std::vector<ToolRef>& tools, std::string_view user_text) {
  auto wanted = words_of(user_text);
  const ToolRef* best = tools.empty() ? nullptr : &tools.front();
  std::size_t best_score = 0;
  for (const auto& t : tools) {
    std::string haystack(t.name);
    haystack += ' ';
    haystack += str_or(*t.function, "description", "");
    std::size_t score = 0;
    for (const auto& w : words_of(haystack))
      score += wanted.count(w);
    if (score > best_score) {
      best_score = score;
      best = &t;
    }
  }
  return best;
}

std::int64_t completion_budget(const json::object& request, const ModelSpec& model,
                               std::int64_t prompt_tokens) {
  std::int64_t budget = std::max<std::int64_t>(model.context_window - prompt_tokens, 0);
  if (model.max_output_tokens > 0) budget = std::min(budget, model.max_output_tokens);
  if (const auto* mt = request.if_contains("max_tokens"); mt && mt->is_number()) {
    budget = std::min(budget, clamped_int(*mt, 0, INT64_MAX));
  }
  return budget;
}

std::vector<std::string> stops_of(const json::object& request) {
  std::vector<std::string> out;
  const auto* s = request.if_contains("stop");
  if (s == nullptr) return out;
  if (s->is_string() && !s->get_string().empty()) out.emplace_back(s->get_string());
  if (s->is_array()) {
    for (const auto& x : s->get_array()) {
      if (x.is_string() && !x.get_string().empty()) out.emplace_back(x.get_string());
    }
  }
  return out;
}

// Applies stop sequences, then the token budget, to one choice; sets finish_reason.
void finish_choice(ChoiceOut& ch, const std::vector<std::string>& stops, std::int64_t budget) {
  if (!ch.tool_calls.empty()) {
    ch.finish_reason = "tool_calls";
    return;
  }
  ch.finish_reason = "stop";
  std::size_t first = std::string::npos;
  for (const auto& s : stops)
    first = std::min(first, ch.content.find(s));
  if (first != std::string::npos) ch.content.resize(first);
  auto max_bytes = [](std::int64_t tokens) {
    return static_cast<std::size_t>(std::max<std::int64_t>(tokens, 0)) * 4;
  };
  if (text_tokens(ch.thinking) + text_tokens(ch.content) > budget) {
    ch.finish_reason = "length";
    std::string_view t = cut(ch.thinking, max_bytes(budget));
    ch.thinking.resize(t.size());
    std::int64_t left = budget - text_tokens(ch.thinking);
    std::string_view c = cut(ch.content, max_bytes(left));
    ch.content.resize(c.size());
  }
}

std::int64_t choice_tokens(const ChoiceOut& ch) {
  std::int64_t n = text_tokens(ch.thinking) + text_tokens(ch.content);
  for (const auto& tc : ch.tool_calls)
    n += text_tokens(tc.name) + text_tokens(tc.arguments);
  return n;
}

std::string json_answer(const json::object& request, Rng64& rng) {
  const auto* rf = request.if_contains("response_format");
  if (rf == nullptr || !rf->is_object()) return {};
  std::string_view type = str_or(rf->get_object(), "type", "text");
  if (type == "json_schema") {
    const auto* js = rf->get_object().if_contains("json_schema");
    if (js != nullptr && js->is_object()) {
      if (const auto* schema = js->get_object().if_contains("schema")) {
        return json::serialize(value_for_schema(*schema, *schema, rng));
      }
    }
    type = "json_object";
  }
  if (type == "json_object") {
    json::object o;
    o["answer"] = prose(rng, static_cast<int>(rng.between(6, 14)));
    o["confidence"] = static_cast<double>(rng.between(50, 99)) / 100.0;
    json::array topics;
    for (int i = 0; i < 2; ++i)
      topics.emplace_back(prose(rng, 1));
    o["topics"] = std::move(topics);
    return json::serialize(o);
  }
  return {};
}

// The fields every completion shares; choices and completion tokens come after.
Completion start_completion(const json::object& request, const ModelSpec& model,
                            const GenerateParams& p, std::uint64_t seed, std::int64_t prompt) {
  Completion c;
  c.id = hex_id(seed);
  c.model = std::string(str_or(request, "model", model.id));
  c.created = p.created;
  c.prompt_tokens = prompt;
  c.padding = p.padding;
  return c;
}

}  // namespace

CompletionResult chat_completion(const json::object& request, const ModelSpec& model,
                                 const GenerateParams& p) {
  const auto& messages = request.at("messages").get_array();
  if (auto err = check_messages(messages)) return *err;

  std::int64_t prompt = chat_prompt_tokens(request);
  if (prompt > model.context_window) return context_length_exceeded(prompt, model.context_window);

  auto tools = function_tools(request);
  // tool_choice: "auto" (default), "none", "any"/"required", or {"function":{"name"}}.
  std::string_view choice_mode = "auto";
  std::string_view forced_name;
  if (const auto* tc = request.if_contains("tool_choice")) {
    if (tc->is_string()) {
      choice_mode = tc->get_string();
    } else if (tc->is_object()) {
      choice_mode = "named";
      forced_name = str_or(tc->get_object().at("function").get_object(), "name", "");
    }
  }
  const ToolRef* forced = nullptr;
  if (choice_mode == "named") {
    for (const auto& t : tools) {
      if (t.name == forced_name) forced = &t;
    }
    if (forced == nullptr) {
      return invalid_request(
          cat("Tool choice '", forced_name, "' is not one of the provided tools"));
    }
  }

  const auto& last = messages.back().get_object();
  std::string_view last_role = str_or(last, "role", "");
  bool last_prefix = false;
  if (const auto* pf = last.if_contains("prefix"); pf && pf->is_bool())
    last_prefix = pf->get_bool();
  std::string user_text;
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (str_or(it->get_object(), "role", "") == "user") {
      user_text = content_text(it->get_object().if_contains("content"));
      break;
    }
  }

  bool call_tool =
      !tools.empty() && (choice_mode == "any" || choice_mode == "required" ||
                         choice_mode == "named" || (choice_mode == "auto" && last_role == "user"));
  bool think = model.reasoning;
  if (const auto* re = request.if_contains("reasoning_effort"); re && re->is_string()) {
    think = think && re->get_string() != "none";
  }
  if (const auto* pm = request.if_contains("prompt_mode"); pm && pm->is_string()) {
    think = think || pm->get_string() == "reasoning";
  }

  // Everything generated hangs off one seed: messages, model, seed and output constraints, but
  // not `stream`, so a streamed answer carries exactly the text of the plain one.
  std::uint64_t seed = hash_json(request.at("messages"));
  seed = hash_text(model.id, seed);
  if (const auto* rs = request.if_contains("random_seed"); rs && rs->is_number()) {
    seed = hash_json(*rs, seed);
  }
  if (const auto* rf = request.if_contains("response_format")) seed = hash_json(*rf, seed);

  std::int64_t n = 1;
  if (const auto* nv = request.if_contains("n"); nv && nv->is_number()) {
    n = clamped_int(*nv, 1, 8);
  }
  std::int64_t budget = completion_budget(request, model, prompt);
  auto stops = stops_of(request);

  Completion c = start_completion(request, model, p, seed, prompt);
  c.reasoning_chunks = think && p.shape == ReasoningShape::chunks;
  for (std::int64_t i = 0; i < n; ++i) {
    Rng64 rng(seed + static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
    ChoiceOut ch;
    if (think) {
      ch.thinking = "Let me think about this. " + prose(rng, static_cast<int>(rng.between(15, 35)));
    }
    if (call_tool) {
      const ToolRef* t = forced != nullptr ? forced : pick_tool(tools, user_text);
      static const json::value kEmpty =
          json::object{{"type", "object"}, {"properties", json::object{}}};
      const json::value* params = t->function->if_contains("parameters");
      const json::value& schema = params != nullptr ? *params : kEmpty;
      json::value args = value_for_schema(schema, schema, rng);
      if (!args.is_object()) args = json::object{};
      ch.tool_calls.push_back(
          ToolCallOut{tool_call_id(rng.next()), std::string(t->name), json::serialize(args)});
    } else {
      std::string answer = json_answer(request, rng);
      if (answer.empty()) {
        if (last_role == "tool") {
          // Answer from the tool result, so a test can see the round trip worked.
          std::string result = content_text(last.if_contains("content"));
          std::string_view name = str_or(last, "name", "the tool");
          answer = cat("Based on ", name, ": ", cut(result, 120), ". ",
                       prose(rng, static_cast<int>(rng.between(6, 16))));
        } else {
          answer = prose(rng, static_cast<int>(rng.between(12, 40)));
        }
      }
      if (last_role == "assistant" && last_prefix) {
        answer = content_text(last.if_contains("content")) + " " + answer;
      }
      ch.content = std::move(answer);
    }
    finish_choice(ch, stops, budget);
    if (think && p.shape == ReasoningShape::think_tags) {
      ch.content = "<think>\n" + ch.thinking + "\n</think>\n\n" + ch.content;
      // Counted once: the tags are part of the text the model produced.
      ch.thinking.clear();
    }
    c.completion_tokens += choice_tokens(ch);
    c.choices.push_back(std::move(ch));
  }
  return c;
}

CompletionResult fim_completion(const json::object& request, const ModelSpec& model,
                                const GenerateParams& p) {
  std::int64_t prompt = fim_prompt_tokens(request);
  if (prompt > model.context_window) return context_length_exceeded(prompt, model.context_window);
  std::uint64_t seed = hash_text(str_or(request, "prompt", ""));
  seed = hash_text(str_or(request, "suffix", ""), seed);
  seed = hash_text(model.id, seed);
  if (const auto* rs = request.if_contains("random_seed"); rs && rs->is_number()) {
    seed = hash_json(*rs, seed);
  }
  Rng64 rng(seed);
  ChoiceOut ch;
  ch.content = code_lines(rng, static_cast<int>(rng.between(2, 6)));
  if (const auto* mt = request.if_contains("min_tokens"); mt && mt->is_number()) {
    auto min_tokens = clamped_int(*mt, 0, 4096);
    while (text_tokens(ch.content) < min_tokens)
      ch.content += code_lines(rng, 1);
  }
  finish_choice(ch, stops_of(request), completion_budget(request, model, prompt));

  Completion c = start_completion(request, model, p, seed, prompt);
  c.completion_tokens = choice_tokens(ch);
  c.choices.push_back(std::move(ch));
  return c;
}

// ---- rendering
// -------------------------------------------------------------------------------------

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Runs of characters that need no escape are appended in one go.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

namespace {

void append_usage(std::string& out, const Completion& c) {
  out += R"("usage":{"prompt_tokens":)";
  out += std::to_string(c.prompt_tokens);
  out += R"(,"completion_tokens":)";
  out += std::to_string(c.completion_tokens);
  out += R"(,"total_tokens":)";
  out += std::to_string(c.prompt_tokens + c.completion_tokens);
  out += R"(,"prompt_tokens_details":{"cached_tokens":0}})";
}

void append_tool_calls(std::string& out, const std::vector<ToolCallOut>& calls) {
  out += '[';
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"id":)";
    append_json_string(out, calls[i].id);
    out += R"(,"function":{"name":)";
    append_json_string(out, calls[i].name);
    out += R"(,"arguments":)";
    append_json_string(out, calls[i].arguments);
    out += R"(},"index":)";
    out += std::to_string(i);
    out += '}';
  }
  out += ']';
}

void append_thinking_chunk(std::string& out, std::string_view text) {
  out += R"({"type":"thinking","thinking":[{"type":"text","text":)";
  append_json_string(out, text);
  out += "}]}";
}

void append_text_chunk(std::string& out, std::string_view text) {
  out += R"({"type":"text","text":)";
  append_json_string(out, text);
  out += '}';
}

}  // namespace

std::string completion_json(const Completion& c) {
  std::string out;
  out.reserve(256 + c.choices.size() * 512);
  out += R"({"id":)";
  append_json_string(out, c.id);
  out += R"(,"object":"chat.completion","model":)";
  append_json_string(out, c.model);
  out += ',';
  append_usage(out, c);
  out += R"(,"created":)";
  out += std::to_string(c.created);
  out += R"(,"choices":[)";
  for (std::size_t i = 0; i < c.choices.size(); ++i) {
    const auto& ch = c.choices[i];
    if (i > 0) out += ',';
    out += R"({"index":)";
    out += std::to_string(i);
    out += R"(,"message":{"role":"assistant","tool_calls":)";
    if (ch.tool_calls.empty()) {
      out += "null";
    } else {
      append_tool_calls(out, ch.tool_calls);
    }
    out += R"(,"content":)";
    if (c.reasoning_chunks) {
      out += '[';
      append_thinking_chunk(out, ch.thinking);
      if (!ch.content.empty()) {
        out += ',';
        append_text_chunk(out, ch.content);
      }
      out += ']';
    } else {
      append_json_string(out, ch.content);
    }
    out += R"(,"prefix":false},"finish_reason":)";
    append_json_string(out, ch.finish_reason);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string_view CompletionStream::next_piece(std::string_view s) {
  if (pos_ >= s.size()) return {};
  std::size_t start = pos_;
  std::size_t end = s.find(' ', start + 1);
  if (end == std::string_view::npos) end = s.size();
  pos_ = end;
  return s.substr(start, end - start);
}

void CompletionStream::chunk_prefix(std::string& out) const {
  out += R"(data: {"id":)";
  append_json_string(out, c_.id);
  out += R"(,"object":"chat.completion.chunk","created":)";
  out += std::to_string(c_.created);
  out += R"(,"model":)";
  append_json_string(out, c_.model);
  out += R"(,"choices":[{"index":)";
  out += std::to_string(choice_);
  out += R"(,"delta":)";
}

void CompletionStream::chunk_suffix(std::string& out, bool with_usage) {
  if (with_usage) {
    out += ',';
    append_usage(out, c_);
  }
  if (c_.padding) {
    // The live API pads chunks with a random-length "p" so sizes do not leak tokens; here the
    // length cycles deterministically.
    static constexpr std::string_view kPad = "abcdefghijklmnopqrstuvwxyz";
    out += R"(,"p":")";
    out += kPad.substr(0, 1 + (events_ * 7) % 13);
    out += '"';
  }
  out += "}\n\n";
  ++events_;
}

CompletionStream::Event CompletionStream::next(std::string& out) {
  out.clear();
  while (true) {
    if (phase_ == Phase::over) return Event{true, 0};
    if (phase_ == Phase::done_marker) {
      out += "data: [DONE]\n\n";
      phase_ = Phase::over;
      return Event{false, 0};
    }
    const ChoiceOut& ch = c_.choices[choice_];
    switch (phase_) {
      case Phase::role:
        chunk_prefix(out);
        out += R"({"role":"assistant","content":""},"finish_reason":null}])";
        chunk_suffix(out, false);
        phase_ = c_.reasoning_chunks ? Phase::thinking : Phase::text;
        pos_ = 0;
        return Event{false, 0};
      case Phase::thinking: {
        std::string_view piece = next_piece(ch.thinking);
        if (piece.empty()) {
          phase_ = Phase::text;
          pos_ = 0;
          continue;
        }
        chunk_prefix(out);
        out += R"({"content":[)";
        append_thinking_chunk(out, piece);
        out += R"(]},"finish_reason":null}])";
        chunk_suffix(out, false);
        return Event{false, static_cast<int>(std::max<std::int64_t>(1, text_tokens(piece)))};
      }
      case Phase::text: {
        std::string_view piece = next_piece(ch.content);
        if (piece.empty()) {
          phase_ = ch.tool_calls.empty() ? Phase::final : Phase::tools;
          continue;
        }
        chunk_prefix(out);
        if (c_.reasoning_chunks) {
          out += R"({"content":[)";
          append_text_chunk(out, piece);
          out += "]}";
        } else {
          out += R"({"content":)";
          append_json_string(out, piece);
          out += '}';
        }
        out += R"(,"finish_reason":null}])";
        chunk_suffix(out, false);
        return Event{false, static_cast<int>(std::max<std::int64_t>(1, text_tokens(piece)))};
      }
      case Phase::tools: {
        // Mistral sends each tool call whole, in one delta, with the finish reason.
        bool last_choice = choice_ + 1 == c_.choices.size();
        chunk_prefix(out);
        out += R"({"tool_calls":)";
        append_tool_calls(out, ch.tool_calls);
        out += R"(},"finish_reason":"tool_calls"}])";
        chunk_suffix(out, last_choice);
        int tokens = 0;
        for (const auto& tc : ch.tool_calls) {
          tokens += static_cast<int>(text_tokens(tc.name) + text_tokens(tc.arguments));
        }
        if (last_choice) {
          phase_ = Phase::done_marker;
        } else {
          ++choice_;
          phase_ = Phase::role;
        }
        return Event{false, tokens};
      }
      case Phase::final: {
        bool last_choice = choice_ + 1 == c_.choices.size();
        chunk_prefix(out);
        out += R"({"content":""},"finish_reason":)";
        append_json_string(out, ch.finish_reason);
        out += "}]";
        chunk_suffix(out, last_choice);
        if (last_choice) {
          phase_ = Phase::done_marker;
        } else {
          ++choice_;
          phase_ = Phase::role;
        }
        return Event{false, 0};
      }
      case Phase::done_marker:
      case Phase::over:
        break;
    }
  }
}

}  // namespace litellm::emulator
