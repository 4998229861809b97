// Chat and FIM completions as pure functions: a validated request in, a Completion (or a Mistral
// error) out; then either its JSON body or its stream of SSE events. No sockets, no clocks
// (the creation time is passed in), so tests can pin exact bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "emulator/catalog.hpp"
#include "emulator/errors.hpp"
#include "emulator/options.hpp"

namespace litellm::emulator {

struct ToolCallOut {
  std::string id;  ///< 9 alphanumerics
  std::string name;
  std::string arguments;  ///< JSON text
};

struct ChoiceOut {
  std::string thinking;  ///< reasoning text (chunks shape only; think_tags folds it into content)
  std::string content;
  std::vector<ToolCallOut> tool_calls;
  std::string_view finish_reason = "stop";
};

struct Completion {
  std::string id;
  std::string model;
  std::int64_t created = 0;
  std::vector<ChoiceOut> choices;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  bool reasoning_chunks = false;  ///< content is rendered as a list of thinking + text chunks
  bool padding = true;            ///< stream chunks carry the "p" field
};

struct GenerateParams {
  std::int64_t created = 0;
  ReasoningShape shape = ReasoningShape::chunks;
  bool padding = true;
};

using CompletionResult = std::variant<Completion, ErrorReply>;

/// A chat completion for a request that passed validate_chat_request(). Checks what the schema
/// cannot (message order, tool call ids and their results, the context window) first.
[[nodiscard]] CompletionResult chat_completion(const boost::json::object& request,
                                               const ModelSpec& model, const GenerateParams& p);
/// A FIM completion for a request that passed validate_fim_request().
[[nodiscard]] CompletionResult fim_completion(const boost::json::object& request,
                                              const ModelSpec& model, const GenerateParams& p);

/// The non-streamed body: {"id","object":"chat.completion","model","usage","created","choices"}.
[[nodiscard]] std::string completion_json(const Completion& c);

/// The streamed body, event by event, rendered lazily so a slow stream holds only its
/// Completion (a few hundred bytes), not its rendered bytes.
class CompletionStream {
 public:
  explicit CompletionStream(Completion c) : c_(std::move(c)) {}

  struct Event {
    bool done = false;  ///< no event written: the stream is over
    int tokens = 0;     ///< tokens the event carries (pacing for tokens_per_second)
  };
  /// Appends the next "data: ...\n\n" event to `out` (which it clears first).
  Event next(std::string& out);
  [[nodiscard]] const Completion& completion() const noexcept { return c_; }

 private:
  enum class Phase { role, thinking, text, tools, final, done_marker, over };
  void chunk_prefix(std::string& out) const;
  void chunk_suffix(std::string& out, bool with_usage);
  // Next word-sized piece of `s` starting at pos_, or empty when exhausted.
  std::string_view next_piece(std::string_view s);

  Completion c_;
  std::size_t choice_ = 0;
  Phase phase_ = Phase::role;
  std::size_t pos_ = 0;
  std::uint32_t events_ = 0;
};

/// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace litellm::emulator
