// The usual Mistral chat answer -> OpenAI text, read with Boost.JSON's event parser instead of
// into a document.
//
// Almost every answer is one or more choices with a plain text message and a usage object.
// Building a document of it cost more than everything else done with it; reading it as events
// costs the tokenising only. Anything else (tool calls, content lists, <think> text, the
// `messages` form, error objects, a repeated key, numbers written as floats, a JSON error)
// makes this reader give up, and the document path (chat_response.cpp) answers, so there is
// one meaning of every answer. The two paths write the same text for what both accept; the unit
// tests and the fuzz target hold them to that.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "core/json_writer.hpp"
#include "providers/common.hpp"
#include "providers/mistral/event_reader.hpp"
#include "providers/mistral/internal.hpp"

namespace litellm::providers::mistral::internal {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

using Field = Member;

enum class Ctx : std::uint8_t { answer, choices, choice, message, usage, details, tool_calls };

struct Choice {
  std::optional<std::int64_t> index;
  std::optional<BodyText> finish;   // nullopt: "stop"
  std::optional<BodyText> content;  // nullopt: null
  std::uint32_t seen = 0;
  std::uint32_t message_seen = 0;
};

class Reader final : public EventReader<Reader, Ctx, Field, 8> {
 public:
  explicit Reader(std::string_view body) : body_(body) {}

  bool on_object_begin(error_code& ec) {
    if (skipping_ > 0) return ++skipping_, true;
    if (depth_ == 0) return push(Ctx::answer, ec);
    const Field f = take_field();
    switch (top()) {
      case Ctx::answer:
        if (f == Field::usage) return push(Ctx::usage, ec);
        if (f == Field::choices) return give_up(ec);
        return skip();
      case Ctx::choices:
        choices_.emplace_back();
        return push(Ctx::choice, ec);
      case Ctx::choice:
        if (f == Field::message) return push(Ctx::message, ec);
        return skip();
      case Ctx::usage:
        if (f == Field::prompt_details || f == Field::completion_details) {
          details_ = f;
          details_keys_.clear();
          details_writer_.emplace(32);
          details_writer_->begin_object();
          return push(Ctx::details, ec);
        }
        return skip();
      case Ctx::message:
        // An object as content or tool_calls means nothing to the document path either.
        return skip();
      case Ctx::details:     // nested details: beyond this reader
      case Ctx::tool_calls:  // a tool call
        return give_up(ec);
    }
    return give_up(ec);
  }

  bool on_object_end(std::size_t, error_code&) {
    if (skipping_ > 0) return --skipping_, true;
    if (top() == Ctx::details) finish_details();
    --depth_;
    return true;
  }

  bool on_array_begin(error_code& ec) {
    if (skipping_ > 0) return ++skipping_, true;
    if (depth_ == 0) return give_up(ec);
    const Field f = take_field();
    if (top() == Ctx::answer && f == Field::choices) {
      if (has_choices_) return give_up(ec);
      has_choices_ = true;
      return push(Ctx::choices, ec);
    }
    if (top() == Ctx::message && f == Field::tool_calls) return push(Ctx::tool_calls, ec);
    // Content lists, nested arrays in details, a list as a choice: the document path's.
    if (top() == Ctx::message && f == Field::content) return give_up(ec);
    if (top() == Ctx::choices || top() == Ctx::details || top() == Ctx::tool_calls) {
      return give_up(ec);
    }
    return skip();
  }

  bool on_string(string_view s, std::size_t n, error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    const bool ok = on_whole_string(whole(s, n), ec);
    part_.clear();
    return ok;
  }

  bool on_int64(std::int64_t v, string_view, error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    return on_integer(v, ec);
  }
  // Above INT64_MAX: the document path's integer getters say "absent".
  bool on_uint64(std::uint64_t v, string_view, error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    if (top() == Ctx::details) return details_writer_->uint64(v), true;
    return on_absent(ec);
  }
  // A float where a count is expected is read by the document path's rules (3.0 counts as 3).
  bool on_double(double v, string_view, error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    if (top() == Ctx::details) return details_writer_->number(v), true;
    if (top() == Ctx::choices || top() == Ctx::tool_calls) return give_up(ec);
    if (take_field() == Field::other) return true;
    return give_up(ec);
  }
  bool on_bool(bool v, error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    if (top() == Ctx::details) return details_writer_->boolean(v), true;
    return on_absent(ec);
  }
  bool on_null(error_code& ec) {
    if (skipping_ > 0) return true;
    if (!in_container(ec)) return false;
    if (top() == Ctx::details) return details_writer_->null(), true;
    const Field f = peek_field();
    if (top() == Ctx::message && f == Field::content) {
      take_field();
      choices_.back().content.reset();
      return true;
    }
    return on_absent(ec);
  }

  // The answer in OpenAI's shape, written as the document path writes it.
  ChatAnswer answer(const Target& target) && {
    ChatAnswer out;
    core::JsonWriter w(256 + content_bytes_);
    auto text = [](const std::optional<BodyText>& t) {
      return t ? std::optional<std::string_view>(t->get()) : std::nullopt;
    };
    begin_completion(w, text(id_), created_, text(model_), target);
    w.begin_array();
    for (std::size_t i = 0; i < choices_.size(); ++i) {
      const Choice& c = choices_[i];
      w.begin_object();
      w.key("index");
      w.int64(c.index.value_or(static_cast<std::int64_t>(i)));
      w.key("message");
      w.begin_object();
      w.key("role");
      w.string("assistant");
      w.key("content");
      if (c.content && !c.content->get().empty()) {
        w.string(c.content->get());
      } else {
        w.null();  // "" too: LiteLLM's _handle_empty_content_response
      }
      w.end_object();
      w.key("finish_reason");
      w.string(openai_finish_reason(c.finish ? c.finish->get() : std::string_view("stop")));
      w.end_object();
    }
    w.end_array();
    detail::UsageText usage;
    usage.prompt = prompt_.value_or(0);
    usage.completion = completion_.value_or(0);
    usage.total = total_.value_or(usage.prompt + usage.completion);
    usage.cached = cached_;
    if (prompt_details_) usage.prompt_details = *prompt_details_;
    if (completion_details_) usage.completion_details = *completion_details_;
    w.key("usage");
    detail::write_openai_usage(w, usage);
    w.end_object();
    out.body = std::move(w).take();
    out.prompt_tokens = usage.prompt;
    out.completion_tokens = usage.completion;
    out.total_tokens = usage.total;
    return out;
  }

  bool has_choices() const noexcept { return has_choices_; }

 private:
  // A scalar as the whole answer is not an answer (the document path says why).
  bool in_container(error_code& ec) { return depth_ > 0 || give_up(ec); }

  friend EventReader;

  bool on_whole_key(std::string_view key, error_code& ec) {
    Field f = Field::other;
    switch (top()) {
      case Ctx::answer: {
        const std::optional<Field> top = top_member(key);
        if (!top) return give_up(ec);
        f = *top;
        if (f != Field::other && !first_time(answer_seen_, f, ec)) return false;
        break;
      }
      case Ctx::choice:
        if (key == "index")
          f = Field::index;
        else if (key == "finish_reason")
          f = Field::finish_reason;
        else if (key == "message")
          f = Field::message;
        else if (key == "messages")  // the spec's alternative form of a choice
          return give_up(ec);
        if (f != Field::other && !first_time(choices_.back().seen, f, ec)) return false;
        break;
      case Ctx::message:
        if (key == "content")
          f = Field::content;
        else if (key == "tool_calls")
          f = Field::tool_calls;
        if (f != Field::other && !first_time(choices_.back().message_seen, f, ec)) return false;
        break;
      case Ctx::usage:
        f = usage_member(key);
        if (f != Field::other && !first_time(usage_seen_, f, ec)) return false;
        break;
      case Ctx::details: {
        // Keys seen so far, each followed by a NUL. A key holding a NUL may match falsely,
        // which only sends the answer to the document path; a repeat is always found.
        std::string_view seen = details_keys_;
        for (std::size_t at = 0; at < seen.size();) {
          const std::size_t end = seen.find('\0', at);
          if (seen.substr(at, end - at) == key) return give_up(ec);
          at = end + 1;
        }
        details_keys_.append(key).push_back('\0');
        details_writer_->key_text(key);
        return true;
      }
      case Ctx::choices:
      case Ctx::tool_calls:
        break;
    }
    field_ = f;
    return true;
  }

  bool on_whole_string(std::string_view s, error_code& ec) {
    if (top() == Ctx::details) return details_writer_->string(s), true;
    if (top() == Ctx::choices || top() == Ctx::tool_calls) return give_up(ec);
    switch (take_field()) {
      case Field::id:
        id_.emplace().set(s, body_);
        return true;
      case Field::object:
        if (s == "error") return give_up(ec);
        return true;
      case Field::model:
        model_.emplace().set(s, body_);
        return true;
      case Field::finish_reason:
        // "error" is reported by the document path, with the answer attached.
        if (s == "error") return give_up(ec);
        choices_.back().finish.emplace().set(s, body_);
        return true;
      case Field::content:
        // A leading "<" may open <think>: the document path splits reasoning out.
        if (!s.empty() && s.front() == '<') return give_up(ec);
        choices_.back().content.emplace().set(s, body_);
        content_bytes_ += s.size();
        return true;
      default:
        return true;
    }
  }

  bool on_integer(std::int64_t v, error_code& ec) {
    if (top() == Ctx::details) return details_writer_->int64(v), true;
    if (top() == Ctx::choices || top() == Ctx::tool_calls) return give_up(ec);
    switch (take_field()) {
      case Field::created:
        created_ = v;
        return true;
      case Field::index:
        choices_.back().index = v;
        return true;
      case Field::prompt_tokens:
        prompt_ = v;
        return true;
      case Field::completion_tokens:
        completion_ = v;
        return true;
      case Field::total_tokens:
        total_ = v;
        return true;
      case Field::num_cached_tokens:
        cached_ = v;
        return true;
      default:
        return true;
    }
  }

  // A scalar where the document path's getters find nothing of the type they want.
  bool on_absent(error_code& ec) {
    if (top() == Ctx::choices || top() == Ctx::tool_calls) return give_up(ec);
    take_field();
    return true;
  }

  void finish_details() {
    details_writer_->end_object();
    std::string text = std::move(*details_writer_).take();
    details_writer_.reset();
    (details_ == Field::prompt_details ? prompt_details_ : completion_details_) = std::move(text);
  }

  std::uint32_t answer_seen_ = 0;
  std::uint32_t usage_seen_ = 0;
  bool has_choices_ = false;
  std::string_view body_;
  std::optional<BodyText> id_;
  std::optional<BodyText> model_;
  std::optional<std::int64_t> created_;
  boost::container::small_vector<Choice, 1> choices_;  // n = 1 is the usual answer
  std::size_t content_bytes_ = 0;
  std::optional<std::int64_t> prompt_;
  std::optional<std::int64_t> completion_;
  std::optional<std::int64_t> total_;
  std::optional<std::int64_t> cached_;
  std::optional<std::string> prompt_details_;
  std::optional<std::string> completion_details_;
  Field details_ = Field::other;
  std::string details_keys_;  // "key\0key\0": usually one short key, no allocation
  std::optional<core::JsonWriter> details_writer_;
};

}  // namespace

std::optional<ChatAnswer> chat_answer_fast(std::string_view body, const Target& target) {
  json::parse_options opts;
  opts.max_depth = 64;  // as the document path
  json::basic_parser<Reader> p(opts, body);
  error_code ec;
  const std::size_t used = p.write_some(false, body.data(), body.size(), ec);
  if (ec || used != body.size() || p.handler().gave_up() || !p.handler().has_choices()) {
    return std::nullopt;
  }
  return std::move(p.handler()).answer(target);
}

}  // namespace litellm::providers::mistral::internal
