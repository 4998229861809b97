// Splits "<think>...</think>answer" text into reasoning and content, incrementally: stream deltas
// in any split give the same result as the whole text at once. Only a possible partial tag is
// held back (at most 10 bytes), never the answer.
#pragma once

#include <string>
#include <string_view>

namespace litellm::providers {

class ThinkSplitter {
 public:
  /// Appends to `content` / `reasoning` every byte of `text` whose destination is certain.
  void feed(std::string_view text, std::string& content, std::string& reasoning);
  /// The text ended: what is held back is released (an unclosed <think> stays reasoning).
  void flush(std::string& content, std::string& reasoning);

 private:
  enum class State { start, thinking, content };
  State state_ = State::start;
  std::string held_;  // a possible partial "<think>" / "</think>" tag
  std::string_view close_tag_;
};

}  // namespace litellm::providers
