#include "providers/think.hpp"

#include <array>

namespace litellm::providers {
namespace {

struct TagPair {
  std::string_view open;
  std::string_view close;
};
// LiteLLM's _parse_content_for_reasoning accepts both spellings, at the very start only.
constexpr std::array<TagPair, 2> kTags{{{"<think>", "</think>"}, {"<thinking>", "</thinking>"}}};

bool is_proper_prefix(std::string_view s, std::string_view of) noexcept {
  return s.size() < of.size() && of.substr(0, s.size()) == s;
}

// Length of the longest suffix of `s` that is a proper prefix of `tag`.
std::size_t partial_tag_suffix(std::string_view s, std::string_view tag) noexcept {
  std::size_t k = std::min(s.size(), tag.size() - 1);
  for (; k > 0; --k) {
    if (s.substr(s.size() - k) == tag.substr(0, k)) return k;
  }
  return 0;
}

}  // namespace

void ThinkSplitter::feed(std::string_view text, std::string& content, std::string& reasoning) {
  std::string joined;
  if (!held_.empty() && state_ != State::content) {
    joined.reserve(held_.size() + text.size());
    joined.append(held_).append(text);
    held_.clear();
    text = joined;
  }
  if (state_ == State::start) {
    if (text.empty()) return;
    bool maybe = false;
    for (const auto& t : kTags) {
      if (text.substr(0, t.open.size()) == t.open) {
        state_ = State::thinking;
        close_tag_ = t.close;
        text.remove_prefix(t.open.size());
        break;
      }
      maybe = maybe || is_proper_prefix(text, t.open);
    }
    if (state_ == State::start) {
      if (maybe) {
        held_.assign(text);
        return;
      }
      state_ = State::content;
    }
  }
  if (state_ == State::thinking) {
    if (auto pos = text.find(close_tag_); pos != std::string_view::npos) {
      reasoning.append(text.substr(0, pos));
      text.remove_prefix(pos + close_tag_.size());
      state_ = State::content;
    } else {
      const std::size_t k = partial_tag_suffix(text, close_tag_);
      reasoning.append(text.substr(0, text.size() - k));
      held_.assign(text.substr(text.size() - k));
      return;
    }
  }
  content.append(text);
}

void ThinkSplitter::flush(std::string& content, std::string& reasoning) {
  if (held_.empty()) return;
  (state_ == State::thinking ? reasoning : content).append(held_);
  held_.clear();
}

}  // namespace litellm::providers
