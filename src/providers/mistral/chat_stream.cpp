// Mistral's SSE chat stream -> OpenAI chat.completion.chunk objects. State is one stream's:
// the SSE decoder, and per choice a <think> splitter and the tool-call count.
#include <array>
#include <optional>
#include <vector>

#include "core/json.hpp"
#include "http/sse.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/sse_chat_decoder.hpp"
#include "providers/think.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;

// n is small in practice; a choice index beyond this is a broken upstream, not a request.
constexpr std::int64_t kMaxChoices = 256;

class StreamDecoder final : public detail::SseChatDecoder {
 public:
  StreamDecoder(bool include_usage, std::string model)
      : SseChatDecoder(std::string(internal::kProvider), std::string(internal::kExceptionName),
                       std::move(model)),
        include_usage_(include_usage) {}

 private:
  struct ChoiceState {
    ThinkSplitter think;
    std::int64_t tool_calls = 0;  // tool calls started so far: the next OpenAI index
    std::string last_tool_id;
    bool finished = false;
  };

  Error upstream_error(std::string_view what) const {
    Error e = error(ErrorKind::api_error, what);
    e.status = 500;
    return e;
  }

  Result<void> on_data(const http::SseEvent& ev, std::string_view data,
                       std::vector<json::object>& out) override {
    // Each chunk is parsed into a scratch buffer that is reused for the next one: nothing built
    // from it keeps its storage (every output value is created in the output's containers).
    json::monotonic_resource scratch(scratch_.data(), scratch_.size());
    parser_.reset(json::storage_ptr(&scratch));
    boost::system::error_code ec;
    parser_.write(data.data(), data.size(), ec);
    if (ec) return bad_event(data);
    const json::value parsed = parser_.release();
    if (!parsed.is_object()) return bad_event(data);
    const json::object& chunk = parsed.get_object();
    if (is_error_event(ev, chunk)) {
      return detail::map_stream_error(chunk, provider_, exception_name_, model_);
    }
    return on_chunk(chunk, out);
  }

  Result<void> on_chunk(const json::object& in, std::vector<json::object>& out) {
    if (auto id = core::get_string(in, "id")) id_ = *id;
    if (auto created = core::get_int(in, "created")) created_ = *created;
    if (auto model = core::get_string(in, "model")) upstream_model_ = *model;
    if (const json::object* u = core::get_object(in, "usage")) usage_ = detail::openai_usage(*u);

    json::array choices;
    if (const json::array* in_choices = core::get_array(in, "choices")) {
      choices.reserve(in_choices->size());
      for (std::size_t i = 0; i < in_choices->size(); ++i) {
        if (!(*in_choices)[i].is_object()) continue;
        auto c = on_choice((*in_choices)[i].get_object(), static_cast<std::int64_t>(i));
        if (!c) return std::move(c).error();
        if (!c->empty()) choices.emplace_back(std::move(*c));
      }
    }
    if (!choices.empty()) out.push_back(make_chunk(std::move(choices)));
    return {};
  }

  // Returns an empty object when the choice has nothing to say yet (e.g. only a partial tag).
  Result<json::object> on_choice(const json::object& c, std::int64_t position) {
    const std::int64_t index = core::get_int(c, "index").value_or(position);
    if (index < 0 || index >= kMaxChoices) {
      return upstream_error("choice index out of range in the stream");
    }
    if (static_cast<std::size_t>(index) >= choices_.size()) choices_.resize(index + 1);
    ChoiceState& st = choices_[static_cast<std::size_t>(index)];

    std::string text;
    std::string reasoning;
    std::string thinking;        // from Mistral `thinking` chunks (not <think> tags)
    bool empty_content = false;  // the delta carried content "" (OpenAI's first-chunk shape)
    json::object delta;
    delta.reserve(4);
    const json::object* in_delta = core::get_object(c, "delta");
    if (in_delta != nullptr) {
      if (auto role = core::get_string(*in_delta, "role")) delta.emplace("role", *role);
      if (const json::value* content = core::find(*in_delta, "content")) {
        if (content->is_string()) {
          empty_content = content->get_string().empty();
          st.think.feed(content->get_string(), text, reasoning);
        } else if (content->is_array()) {
          internal::SplitContent split;
          // Streams deliver thinking text in fragments: they join without separators.
          internal::split_content_list(content->get_array(), "", split);
          reasoning.append(split.reasoning);
          thinking = std::move(split.reasoning);
          st.think.feed(split.text, text, reasoning);
        }
      }
    }
    json::array tool_calls;
    if (in_delta != nullptr) {
      if (const json::array* calls = core::get_array(*in_delta, "tool_calls")) {
        tool_calls.reserve(calls->size());
        for (const auto& tc : *calls) {
          if (!tc.is_object()) continue;
          tool_calls.emplace_back(openai_tool_call_delta(tc.get_object(), st));
        }
      }
    }
    const json::value* fr = core::find(c, "finish_reason");
    std::optional<std::string_view> finish;
    if (fr != nullptr && fr->is_string()) {
      if (fr->get_string() == "error") {
        return upstream_error("the model stopped with finish_reason 'error'");
      }
      finish = internal::openai_finish_reason(fr->get_string());
      st.think.flush(text, reasoning);
      if (*finish == "stop" && st.tool_calls > 0) finish = "tool_calls";
      st.finished = true;
      saw_finish();
    }
    if (!text.empty() || (empty_content && reasoning.empty())) delta.emplace("content", text);
    if (!reasoning.empty()) delta.emplace("reasoning_content", reasoning);
    if (!thinking.empty()) {
      // LiteLLM's MistralChatResponseIterator: a streamed thinking chunk also becomes a
      // thinking block, Anthropic's shape, signed "mistral".
      delta.emplace("thinking_blocks",
                    json::array{json::object{
                        {"type", "thinking"}, {"thinking", thinking}, {"signature", "mistral"}}});
    }
    if (!tool_calls.empty()) delta.emplace("tool_calls", std::move(tool_calls));
    if (delta.empty() && !finish) return json::object();

    json::object choice;
    choice.reserve(3);
    choice.emplace("index", index);
    choice.emplace("delta", std::move(delta));
    if (finish) {
      choice.emplace("finish_reason", *finish);
    } else {
      choice.emplace("finish_reason", nullptr);
    }
    return choice;
  }

  // Mistral sends each tool call whole, in one delta; OpenAI clients need an `index` on every
  // tool-call delta, `type: "function"` and string arguments.
  static json::object openai_tool_call_delta(const json::object& tc, ChoiceState& st) {
    std::string_view id = core::get_string(tc, "id").value_or("");
    std::int64_t index = 0;
    if (!id.empty() && id != st.last_tool_id) {
      index = st.tool_calls++;
      st.last_tool_id = std::string(id);
    } else {
      index = st.tool_calls > 0 ? st.tool_calls - 1 : 0;
      if (st.tool_calls == 0) st.tool_calls = 1;
    }
    json::object out;
    out.reserve(4);
    out.emplace("index", index);
    if (!id.empty()) out.emplace("id", id);
    out.emplace("type", "function");
    json::object fn;
    fn.reserve(2);
    if (const json::object* f = core::get_object(tc, "function")) {
      if (auto name = core::get_string(*f, "name")) fn.emplace("name", *name);
      if (const json::value* args = core::find(*f, "arguments")) {
        detail::emplace_arguments(fn, args);
      } else {
        fn.emplace("arguments", "");
      }
    }
    out.emplace("function", std::move(fn));
    return out;
  }

  json::object make_chunk(json::array choices) const {
    json::object o;
    o.reserve(6);
    o.emplace("id", id_);
    o.emplace("object", "chat.completion.chunk");
    o.emplace("created", created_);
    o.emplace("model", upstream_model_.empty() ? model_ : upstream_model_);
    o.emplace("choices", std::move(choices));
    return o;
  }

  // The stream is over: text held back for a possible partial tag is released, then the usage
  // chunk OpenAI sends when stream_options.include_usage was asked for.
  void on_end(std::vector<json::object>& out) override {
    json::array choices;
    for (std::size_t i = 0; i < choices_.size(); ++i) {
      ChoiceState& st = choices_[i];
      if (st.finished) continue;
      std::string text;
      std::string reasoning;
      st.think.flush(text, reasoning);
      if (text.empty() && reasoning.empty()) continue;
      json::object delta;
      if (!text.empty()) delta.emplace("content", text);
      if (!reasoning.empty()) delta.emplace("reasoning_content", reasoning);
      choices.emplace_back(json::object{{"index", static_cast<std::int64_t>(i)},
                                        {"delta", std::move(delta)},
                                        {"finish_reason", nullptr}});
    }
    if (!choices.empty()) out.push_back(make_chunk(std::move(choices)));
    if (include_usage_ && usage_) {
      json::object chunk = make_chunk(json::array());
      chunk.emplace("usage", *usage_);
      out.push_back(std::move(chunk));
    }
  }

  static json::parse_options parse_options() {
    json::parse_options o;
    o.max_depth = 64;  // as core::parse_json: hostile nesting cannot exhaust the stack
    return o;
  }

  json::parser parser_{json::storage_ptr(), parse_options()};
  std::array<unsigned char, 8192> scratch_{};
  std::vector<ChoiceState> choices_;
  bool include_usage_;
  std::string id_;
  std::string upstream_model_;
  std::int64_t created_ = 0;
};

}  // namespace

std::unique_ptr<ChatStreamDecoder> MistralAdapter::chat_stream(const json::object& request,
                                                               const Target& target) const {
  bool include_usage = false;
  if (const json::object* so = core::get_object(request, "stream_options")) {
    include_usage = core::get_bool(*so, "include_usage").value_or(false);
  }
  return std::make_unique<StreamDecoder>(include_usage, target.model);
}

}  // namespace litellm::providers::mistral
