// What the Mistral adapter's two event readers share (a whole answer, chat_answer_fast.cpp; a
// stream chunk, chat_stream.cpp): the handler members Boost.JSON's basic_parser asks for, a stack
// of contexts, skipping the values a reader does not read, keys and strings that arrive in
// pieces, members that may appear once, and giving up, after which the document path reads the
// text. Each reader keeps the parts that say what it reads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/error.hpp>
#include <boost/json/string_view.hpp>

namespace litellm::providers::mistral::internal {

/// The members the readers understand, in any of the objects they read; `other` is skipped.
enum class Member : std::uint8_t {
  other,
  // an answer or a chunk
  id,
  object,
  created,
  model,
  choices,
  usage,
  // a choice
  index,
  delta,
  finish_reason,
  message,
  // a message or a delta
  role,
  content,
  tool_calls,
  // usage
  prompt_tokens,
  completion_tokens,
  total_tokens,
  num_cached_tokens,
  prompt_details,
  completion_details,
};

/// A member of an answer or chunk object itself. nullopt for `error`, `message` and `detail`,
/// the members of an error object, which the document path reports.
inline std::optional<Member> top_member(std::string_view key) noexcept {
  if (key == "id") return Member::id;
  if (key == "object") return Member::object;
  if (key == "created") return Member::created;
  if (key == "model") return Member::model;
  if (key == "choices") return Member::choices;
  if (key == "usage") return Member::usage;
  if (key == "error" || key == "message" || key == "detail") return std::nullopt;
  return Member::other;
}

/// A member of a usage object.
inline Member usage_member(std::string_view key) noexcept {
  if (key == "prompt_tokens") return Member::prompt_tokens;
  if (key == "completion_tokens") return Member::completion_tokens;
  if (key == "total_tokens") return Member::total_tokens;
  if (key == "num_cached_tokens") return Member::num_cached_tokens;
  if (key == "prompt_tokens_details") return Member::prompt_details;
  if (key == "completion_tokens_details") return Member::completion_details;
  return Member::other;
}

/// `Derived` provides `on_whole_key(std::string_view, error_code&)` (reachable from this base)
/// and the value handlers; `Ctx` and `Field` are its enums, `Field::other` a member it skips.
template <class Derived, class Ctx, class Field, std::size_t MaxDepth>
class EventReader {
 public:
  using error_code = boost::json::error_code;
  using string_view = boost::json::string_view;

  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  // A reader with work to do when an object closes declares its own (it hides this one).
  bool on_object_end(std::size_t, error_code&) {
    if (skipping_ > 0) return --skipping_, true;
    --depth_;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    if (skipping_ > 0) return --skipping_, true;
    --depth_;
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    if (skipping_ == 0) part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t n, error_code& ec) {
    if (skipping_ > 0) return true;
    const bool ok = static_cast<Derived*>(this)->on_whole_key(whole(s, n), ec);
    part_.clear();
    return ok;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    if (skipping_ == 0) part_.append(s.data(), s.size());
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  bool gave_up() const noexcept { return gave_up_; }

 protected:
  Ctx top() const noexcept { return ctx_[depth_ - 1]; }
  bool push(Ctx c, error_code& ec) {
    if (depth_ == MaxDepth) return give_up(ec);
    ctx_[depth_++] = c;
    field_ = Field::other;
    return true;
  }
  bool skip() {
    skipping_ = 1;
    return true;
  }
  bool give_up(error_code& ec) {
    gave_up_ = true;
    ec = boost::json::error::extra_data;  // any error stops the parser; gave_up_ says why
    return false;
  }
  Field take_field() noexcept { return std::exchange(field_, Field::other); }
  Field peek_field() const noexcept { return field_; }
  // Marks `f` seen in `mask`; a member repeated is the document path's (it keeps one of them).
  bool first_time(std::uint32_t& mask, Field f, error_code& ec) {
    const std::uint32_t bit = std::uint32_t{1} << static_cast<unsigned>(f);
    if ((mask & bit) != 0) return give_up(ec);
    mask |= bit;
    return true;
  }
  // A key or string whose last piece is `s` and whole size `n`: `s` itself when it came in one
  // piece (a view of the parsed text), else the pieces joined in part_ (clear it after use).
  std::string_view whole(string_view s, std::size_t n) {
    if (n == s.size()) return {s.data(), s.size()};
    part_.append(s.data(), s.size());
    return part_;
  }

  std::array<Ctx, MaxDepth> ctx_{};
  std::size_t depth_ = 0;
  std::size_t skipping_ = 0;  // > 0: inside a value being skipped, at this nesting
  Field field_ = Field::other;
  std::string part_;  // a key or string arriving in pieces (escapes, long text)
  bool gave_up_ = false;
};

}  // namespace litellm::providers::mistral::internal
