// Pieces shared by the Mistral adapter's translation units.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "providers/adapter.hpp"

namespace litellm::providers::mistral::internal {

namespace json = boost::json;

inline constexpr std::string_view kProvider = "mistral";
inline constexpr std::string_view kExceptionName = "MistralException";

/// Authorization (when a key is set), Content-Type, Accept, then the deployment's extra headers.
std::vector<std::pair<std::string, std::string>> request_headers(const Target& target, bool stream);

/// Mistral's content chunk list -> the text (text chunks, concatenated) and the reasoning
/// (thinking chunks' text parts, joined with `thinking_sep`; several thinking chunks with "\n").
struct SplitContent {
  std::string text;
  std::string reasoning;
};
void split_content_list(const json::array& chunks, std::string_view thinking_sep,
                        SplitContent& out);

/// Mistral's finish_reason -> OpenAI's ("model_length" -> "length"). "error" is the caller's.
std::string_view openai_finish_reason(std::string_view mistral) noexcept;

}  // namespace litellm::providers::mistral::internal
