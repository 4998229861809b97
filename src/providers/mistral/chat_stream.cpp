// Mistral's SSE chat stream -> OpenAI chat.completion.chunk objects, written as JSON text. State is
// one stream's: the SSE decoder, and per choice a <think> splitter and the tool-call count.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "http/sse.hpp"
#include "providers/common.hpp"
#include "providers/mistral/event_reader.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/sse_chat_decoder.hpp"
#include "providers/think.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

// n is small in practice; a choice index beyond this is a broken upstream, not a request.
constexpr std::int64_t kMaxChoices = 256;
// Room a chunk's text usually fits in (Mistral's are 200-300 bytes): one allocation per chunk.
constexpr std::size_t kChunkBytes = 384;

// One choice of a chunk as read, by the document path or the event reader: what write_choice
// turns into OpenAI's delta.
struct ChoiceIn {
  std::int64_t index = 0;
  std::optional<std::string_view> role;
  std::optional<std::string_view> content;    // content given as a string
  const json::array* content_list = nullptr;  // content given as a list (document path only)
  const json::array* tool_calls = nullptr;    // (document path only)
  std::optional<std::string_view> finish;     // finish_reason, when a string
};

// Where the chunk reader is, and the members it reads (other: skipped).
enum class ChunkCtx : std::uint8_t { chunk, choices, choice, delta, usage, details };
using ChunkField = internal::Member;

// The usual chunk read as events instead of into a document: id, created, model, choices whose
// delta holds a role and a text content, and usage with integer counts (details objects of
// integers, as Mistral's `prompt_tokens_details: {cached_tokens}`). A chunk is a few hundred
// bytes, and building a document of it cost more than everything else done with it. Anything
// else (tool calls, content lists, error objects, a repeated member, a member of an unexpected
// type, a scalar as the chunk, a choice that is not an object) makes it give up and the document
// path reads the chunk, so there is one meaning of every chunk; the tests hold the two paths to
// the same output.
class ChunkReader final : public internal::EventReader<ChunkReader, ChunkCtx, ChunkField, 4> {
 public:
  struct Choice {
    std::optional<std::int64_t> index;
    std::optional<internal::BodyText> role;
    std::optional<internal::BodyText> content;
    std::optional<internal::BodyText> finish;
    std::uint32_t seen = 0;
    std::uint32_t delta_seen = 0;
  };

  explicit ChunkReader(std::string_view data) : data_(data) {}

  bool on_object_begin(error_code& ec) {
    if (skipping_ > 0) return ++skipping_, true;
    if (depth_ == 0) return push(Ctx::chunk, ec);
    if (top() == Ctx::details) return give_up(ec);
    const Field f = take_field();
    if (top() == Ctx::choices) {
      choices.emplace_back();
      return push(Ctx::choice, ec);
    }
    if (top() == Ctx::choice && f == Field::delta) return push(Ctx::delta, ec);
    if (top() == Ctx::chunk && f == Field::usage) {
      usage.emplace().reserve(6);  // room for every member read: no rehash on the way
      return push(Ctx::usage, ec);
    }
    if (top() == Ctx::usage && (f == Field::prompt_details || f == Field::completion_details)) {
      const std::string_view name =
          f == Field::prompt_details ? "prompt_tokens_details" : "completion_tokens_details";
      details_ = &usage->emplace(name, json::object()).first->value().get_object();
      details_->reserve(4);
      return push(Ctx::details, ec);
    }
    return f == Field::other ? skip() : give_up(ec);
  }
  bool on_array_begin(error_code& ec) {
    if (skipping_ > 0) return ++skipping_, true;
    if (depth_ == 0 || top() == Ctx::choices || top() == Ctx::details) return give_up(ec);
    const Field f = take_field();
    if (top() == Ctx::chunk && f == Field::choices) {
      has_choices_ = true;
      return push(Ctx::choices, ec);
    }
    return f == Field::other ? skip() : give_up(ec);
  }
  bool on_string(string_view s, std::size_t n, error_code& ec) {
    if (skipping_ > 0) return true;
    if (depth_ == 0 || top() == Ctx::choices || top() == Ctx::details) return give_up(ec);
    const std::string_view text = whole(s, n);
    bool ok = true;
    switch (take_field()) {
      case Field::id:
        id.emplace().set(text, data_);
        break;
      case Field::model:
        model.emplace().set(text, data_);
        break;
      case Field::object:
        ok = text != "error" || give_up(ec);
        break;
      case Field::role:
        choices.back().role.emplace().set(text, data_);
        break;
      case Field::content:
        choices.back().content.emplace().set(text, data_);
        break;
      case Field::finish_reason:
        choices.back().finish.emplace().set(text, data_);
        break;
      case Field::other:
        break;
      default:  // a string where a number or a container belongs
        ok = give_up(ec);
        break;
    }
    part_.clear();
    return ok;
  }

  bool on_int64(std::int64_t v, string_view, error_code& ec) {
    if (skipping_ > 0) return true;
    if (depth_ == 0 || top() == Ctx::choices) return give_up(ec);
    if (top() == Ctx::details) {
      details_->emplace(details_key_, v);
      return true;
    }
    switch (take_field()) {
      case Field::created:
        created = v;
        return true;
      case Field::index:
        choices.back().index = v;
        return true;
      case Field::prompt_tokens:
        usage->emplace("prompt_tokens", v);
        return true;
      case Field::completion_tokens:
        usage->emplace("completion_tokens", v);
        return true;
      case Field::total_tokens:
        usage->emplace("total_tokens", v);
        return true;
      case Field::num_cached_tokens:
        usage->emplace("num_cached_tokens", v);
        return true;
      case Field::other:
        return true;
      default:
        return give_up(ec);
    }
  }
  bool on_uint64(std::uint64_t, string_view, error_code& ec) { return on_other_scalar(ec); }
  bool on_double(double, string_view, error_code& ec) { return on_other_scalar(ec); }
  bool on_bool(bool, error_code& ec) { return on_other_scalar(ec); }
  // null reads as absent for every member this reader knows, as the document path's getters.
  bool on_null(error_code& ec) {
    if (skipping_ > 0) return true;
    if (depth_ == 0 || top() == Ctx::choices || top() == Ctx::details) return give_up(ec);
    take_field();
    return true;
  }
  /// Read to the end without giving up, and a chunk (it has choices).
  bool complete() const noexcept { return !gave_up_ && has_choices_; }

  std::optional<internal::BodyText> id;
  std::optional<internal::BodyText> model;
  std::optional<std::int64_t> created;
  boost::container::small_vector<Choice, 1> choices;
  /// The usage members that matter to detail::openai_usage, as the document would hold them.
  std::optional<json::object> usage;

 private:
  // A number of another kind, or a boolean: fine where nothing is expected of it.
  bool on_other_scalar(error_code& ec) {
    if (skipping_ > 0) return true;
    if (depth_ == 0 || top() == Ctx::choices || top() == Ctx::details) return give_up(ec);
    return take_field() == Field::other || give_up(ec);
  }

  friend EventReader;
  using Ctx = ChunkCtx;
  using Field = ChunkField;

  bool on_whole_key(std::string_view key, error_code& ec) {
    Field f = Field::other;
    switch (top()) {
      case Ctx::chunk: {
        const std::optional<Field> top = internal::top_member(key);
        if (!top) return give_up(ec);  // an error object
        f = *top;
        if (f != Field::other && !first_time(chunk_seen_, f, ec)) return false;
        break;
      }
      case Ctx::choice:
        if (key == "index")
          f = Field::index;
        else if (key == "delta")
          f = Field::delta;
        else if (key == "finish_reason")
          f = Field::finish_reason;
        if (f != Field::other && !first_time(choices.back().seen, f, ec)) return false;
        break;
      case Ctx::delta:
        if (key == "role")
          f = Field::role;
        else if (key == "content")
          f = Field::content;
        else if (key == "tool_calls")
          f = Field::tool_calls;  // null only: tool calls are the document path's
        if (f != Field::other && !first_time(choices.back().delta_seen, f, ec)) return false;
        break;
      case Ctx::usage:
        f = internal::usage_member(key);
        if (f != Field::other && !first_time(usage_seen_, f, ec)) return false;
        break;
      case Ctx::details:
        // A repeated key: which value the document keeps is the document path's business.
        if (details_->contains(key)) return give_up(ec);
        details_key_.assign(key);
        return true;
      case Ctx::choices:
        break;
    }
    field_ = f;
    return true;
  }

  std::string_view data_;
  std::uint32_t chunk_seen_ = 0;
  std::uint32_t usage_seen_ = 0;
  json::object* details_ = nullptr;  // the details object being read, inside `usage`
  std::string details_key_;
  bool has_choices_ = false;
};

class StreamDecoder final : public detail::SseChatDecoder {
 public:
  StreamDecoder(bool include_usage, std::string model, bool fast, std::size_t* fast_chunks)
      : SseChatDecoder(std::string(internal::kProvider), std::string(internal::kExceptionName),
                       std::move(model)),
        include_usage_(include_usage),
        fast_(fast),
        fast_chunks_(fast_chunks) {}

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
                       std::vector<std::string>& out) override {
    // The usual chunk is read as events; anything else (and error events) as a document.
    if (fast_ && ev.event != "error") {
      json::basic_parser<ChunkReader> p(parse_options(), data);
      boost::system::error_code ec;
      const std::size_t used = p.write_some(false, data.data(), data.size(), ec);
      if (!ec && used == data.size() && p.handler().complete()) {
        if (fast_chunks_ != nullptr) ++*fast_chunks_;
        const ChunkReader& r = p.handler();
        if (r.id) id_ = r.id->get();
        if (r.created) created_ = *r.created;
        if (r.model) upstream_model_ = r.model->get();
        if (r.usage) usage_ = detail::openai_usage(*r.usage);
        return on_choices(r.choices.size(), out, [&](std::size_t i) {
          const ChunkReader::Choice& c = r.choices[i];
          ChoiceIn in;
          in.index = c.index.value_or(static_cast<std::int64_t>(i));
          if (c.role) in.role = c.role->get();
          if (c.content) in.content = c.content->get();
          if (c.finish) in.finish = c.finish->get();
          return in;
        });
      }
    }
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

  Result<void> on_chunk(const json::object& in, std::vector<std::string>& out) {
    if (auto id = core::get_string(in, "id")) id_ = *id;
    if (auto created = core::get_int(in, "created")) created_ = *created;
    if (auto model = core::get_string(in, "model")) upstream_model_ = *model;
    if (const json::object* u = core::get_object(in, "usage")) usage_ = detail::openai_usage(*u);

    const json::array* in_choices = core::get_array(in, "choices");
    if (in_choices == nullptr) return {};
    return on_choices(in_choices->size(), out, [&](std::size_t i) -> std::optional<ChoiceIn> {
      if (!(*in_choices)[i].is_object()) return std::nullopt;
      const json::object& c = (*in_choices)[i].get_object();
      ChoiceIn choice;
      choice.index = core::get_int(c, "index").value_or(static_cast<std::int64_t>(i));
      if (const json::object* delta = core::get_object(c, "delta")) {
        choice.role = core::get_string(*delta, "role");
        if (const json::value* content = core::find(*delta, "content")) {
          if (content->is_string()) choice.content = content->get_string();
          if (content->is_array()) choice.content_list = &content->get_array();
        }
        choice.tool_calls = core::get_array(*delta, "tool_calls");
      }
      choice.finish = core::get_string(c, "finish_reason");
      return choice;
    });
  }

  // Writes the chunk for `n` choices, each read by `read(i)` (nullopt: not a choice, skipped);
  // no chunk when none of them has anything to say.
  template <class Read>
  Result<void> on_choices(std::size_t n, std::vector<std::string>& out, Read&& read) {
    core::JsonWriter w(kChunkBytes);
    begin_chunk(w);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      const std::optional<ChoiceIn> in = read(i);
      if (!in) continue;
      auto wrote = write_choice(*in, w);
      if (!wrote) return std::move(wrote).error();
      any = any || *wrote;
    }
    if (any) out.push_back(end_chunk(w));
    return {};
  }

  // Writes the choice's OpenAI delta; false (and nothing written) when it has nothing to say
  // yet (e.g. only a partial tag).
  Result<bool> write_choice(const ChoiceIn& in, core::JsonWriter& w) {
    const std::int64_t index = in.index;
    if (index < 0 || index >= kMaxChoices) {
      return upstream_error("choice index out of range in the stream");
    }
    if (static_cast<std::size_t>(index) >= choices_.size()) choices_.resize(index + 1);
    ChoiceState& st = choices_[static_cast<std::size_t>(index)];

    std::string text;
    std::string reasoning;
    std::string thinking;        // from Mistral `thinking` chunks (not <think> tags)
    bool empty_content = false;  // the delta carried content "" (OpenAI's first-chunk shape)
    if (in.content) {
      empty_content = in.content->empty();
      st.think.feed(*in.content, text, reasoning);
    } else if (in.content_list != nullptr) {
      internal::SplitContent split;
      // Streams deliver thinking text in fragments: they join without separators.
      internal::split_content_list(*in.content_list, "", split);
      reasoning.append(split.reasoning);
      thinking = std::move(split.reasoning);
      st.think.feed(split.text, text, reasoning);
    }
    std::vector<json::object> tool_calls;
    if (in.tool_calls != nullptr) {
      tool_calls.reserve(in.tool_calls->size());
      for (const auto& tc : *in.tool_calls) {
        if (!tc.is_object()) continue;
        tool_calls.push_back(openai_tool_call_delta(tc.get_object(), st));
      }
    }
    std::optional<std::string_view> finish;
    if (in.finish) {
      if (*in.finish == "error") {
        return upstream_error("the model stopped with finish_reason 'error'");
      }
      finish = internal::openai_finish_reason(*in.finish);
      st.think.flush(text, reasoning);
      if (*finish == "stop" && st.tool_calls > 0) finish = "tool_calls";
      st.finished = true;
      saw_finish();
    }
    const bool content = !text.empty() || (empty_content && reasoning.empty());
    if (!in.role && !content && reasoning.empty() && thinking.empty() && tool_calls.empty() &&
        !finish) {
      return false;
    }

    w.begin_object();
    w.key("index");
    w.int64(index);
    w.key("delta");
    w.begin_object();
    if (in.role) {
      w.key("role");
      w.string(*in.role);
    }
    if (content) {
      w.key("content");
      w.string(text);
    }
    if (!reasoning.empty()) {
      w.key("reasoning_content");
      w.string(reasoning);
    }
    if (!thinking.empty()) {
      // LiteLLM's MistralChatResponseIterator: a streamed thinking chunk also becomes a
      // thinking block, Anthropic's shape, signed "mistral".
      w.key("thinking_blocks");
      w.begin_array();
      w.begin_object();
      w.key("type");
      w.string("thinking");
      w.key("thinking");
      w.string(thinking);
      w.key("signature");
      w.string("mistral");
      w.end_object();
      w.end_array();
    }
    if (!tool_calls.empty()) {
      w.key("tool_calls");
      w.begin_array();
      for (const json::object& tc : tool_calls)
        w.value(tc);
      w.end_array();
    }
    w.end_object();
    w.key("finish_reason");
    if (finish) {
      w.string(*finish);
    } else {
      w.null();
    }
    w.end_object();
    return true;
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

  // Opens a chunk, up to its choices array: id, object, created and model.
  void begin_chunk(core::JsonWriter& w) const {
    w.begin_object();
    w.key("id");
    w.string(id_);
    w.key("object");
    w.string("chat.completion.chunk");
    w.key("created");
    w.int64(created_);
    w.key("model");
    w.string(upstream_model_.empty() ? model_ : upstream_model_);
    w.key("choices");
    w.begin_array();
  }
  static std::string end_chunk(core::JsonWriter& w) {
    w.end_array();
    w.end_object();
    return std::move(w).take();
  }

  // The stream is over: text held back for a possible partial tag is released, then the usage
  // chunk OpenAI sends when stream_options.include_usage was asked for.
  void on_end(std::vector<std::string>& out) override {
    core::JsonWriter w(kChunkBytes);
    begin_chunk(w);
    bool any = false;
    for (std::size_t i = 0; i < choices_.size(); ++i) {
      ChoiceState& st = choices_[i];
      if (st.finished) continue;
      std::string text;
      std::string reasoning;
      st.think.flush(text, reasoning);
      if (text.empty() && reasoning.empty()) continue;
      any = true;
      w.begin_object();
      w.key("index");
      w.int64(static_cast<std::int64_t>(i));
      w.key("delta");
      w.begin_object();
      if (!text.empty()) {
        w.key("content");
        w.string(text);
      }
      if (!reasoning.empty()) {
        w.key("reasoning_content");
        w.string(reasoning);
      }
      w.end_object();
      w.key("finish_reason");
      w.null();
      w.end_object();
    }
    if (any) out.push_back(end_chunk(w));
    if (include_usage_ && usage_) {
      core::JsonWriter u(kChunkBytes);
      begin_chunk(u);
      u.end_array();
      u.key("usage");
      u.value(*usage_);
      u.end_object();
      out.push_back(std::move(u).take());
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
  bool fast_;
  std::size_t* fast_chunks_;
  std::string id_;
  std::string upstream_model_;
  std::int64_t created_ = 0;
};

}  // namespace

std::unique_ptr<ChatStreamDecoder> internal::chat_stream_decoder(bool include_usage,
                                                                 std::string model, bool fast,
                                                                 std::size_t* fast_chunks) {
  return std::make_unique<StreamDecoder>(include_usage, std::move(model), fast, fast_chunks);
}

std::unique_ptr<ChatStreamDecoder> MistralAdapter::chat_stream(const json::object& request,
                                                               const Target& target) const {
  bool include_usage = false;
  if (const json::object* so = core::get_object(request, "stream_options")) {
    include_usage = core::get_bool(*so, "include_usage").value_or(false);
  }
  return internal::chat_stream_decoder(include_usage, target.model, /*fast=*/true);
}

}  // namespace litellm::providers::mistral
