// The emulator's token rule. Mistral's tokenizer is not available offline, so every count the
// emulator reports or enforces (usage, the tokens-per-minute budget, the context-window check)
// uses this one approximation, documented in docs/emulator.md:
//   text           ceil(utf8_bytes / 4)
//   chat prompt    3 + sum over messages of (4 + content + tool calls) + tools + response schema
//   image/document/audio chunk  kMediaChunkTokens each
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/json/fwd.hpp>

namespace litellm::emulator {

inline constexpr std::int64_t kPromptOverhead = 3;
inline constexpr std::int64_t kMessageOverhead = 4;
inline constexpr std::int64_t kMediaChunkTokens = 256;

/// ceil(bytes / 4): the cost of one piece of text.
[[nodiscard]] constexpr std::int64_t text_tokens(std::string_view text) noexcept {
  return static_cast<std::int64_t>((text.size() + 3) / 4);
}

/// Prompt tokens of a validated chat request (messages, tools, response_format schema).
[[nodiscard]] std::int64_t chat_prompt_tokens(const boost::json::object& request);

/// Prompt tokens of a validated FIM request (prompt and suffix).
[[nodiscard]] std::int64_t fim_prompt_tokens(const boost::json::object& request);

/// Tokens of a message's `content` (string, null or list of chunks).
[[nodiscard]] std::int64_t content_tokens(const boost::json::value& content);

}  // namespace litellm::emulator
