// Request and response types of the SDK, in OpenAI's shape (as LiteLLM's Python types).
// Every response type prints as the same JSON LiteLLM would return (to_json(), operator<<).
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace litellm {
inline namespace v1 {

// ---- messages and tools ---------------------------------------------------------------------

struct FunctionCall {
  std::string name;
  std::string arguments;  ///< JSON text, always a string (as OpenAI)
};

struct ToolCall {
  std::string id;
  std::string type = "function";
  FunctionCall function;
  std::optional<int> index;  ///< set in stream deltas
};

/// A reasoning block in Anthropic's shape, which LiteLLM adds to streamed Magistral deltas
/// beside `reasoning_content` (signature "mistral").
struct ThinkingBlock {
  std::string type = "thinking";
  std::string thinking;
  std::string signature;
};

struct Message {
  std::string role;  ///< "system", "user", "assistant", "tool"
  std::optional<std::string> content;
  /// Multimodal content parts (OpenAI shape: {"type":"text",...}, {"type":"image_url",...});
  /// when non-empty it is sent instead of `content`.
  boost::json::array content_parts;
  std::optional<std::string> name;
  std::optional<std::string> tool_call_id;       ///< role "tool": the call this answers
  std::vector<ToolCall> tool_calls;              ///< role "assistant": calls the model made
  std::optional<std::string> reasoning_content;  ///< the model's reasoning (Magistral)
  std::vector<ThinkingBlock> thinking_blocks;    ///< stream deltas: reasoning as blocks

  static Message system(std::string text);
  static Message user(std::string text);
  static Message assistant(std::string text);
  static Message tool(std::string tool_call_id, std::string text);

  [[nodiscard]] boost::json::object to_json_object() const;
  static Message from_json(const boost::json::object& o);
};

struct FunctionDefinition {
  std::string name;
  std::string description;
  boost::json::value parameters;  ///< JSON schema of the arguments
  std::optional<bool> strict;
};

struct Tool {
  std::string type = "function";
  FunctionDefinition function;
};

// ---- options shared by every call ------------------------------------------------------------

/// Where and how a call is made. Explicit values beat environment variables
/// (MISTRAL_API_KEY, MISTRAL_API_BASE), which beat defaults (https://api.mistral.ai/v1).
struct CallSettings {
  std::optional<std::string> api_key;
  std::optional<std::string> api_base;
  std::optional<std::chrono::milliseconds> timeout;  ///< per attempt; default 600 s
  std::optional<int> num_retries;                    ///< default 2
  std::map<std::string, std::string> extra_headers;
  bool drop_params = false;  ///< drop parameters the provider does not support instead of failing
};

// ---- chat completion -------------------------------------------------------------------------

struct CompletionParams {
  std::string model;  ///< "mistral/mistral-small-latest"
  std::vector<Message> messages;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> max_tokens;
  std::optional<int> max_completion_tokens;
  std::optional<int> n;
  std::vector<std::string> stop;
  std::optional<double> presence_penalty;
  std::optional<double> frequency_penalty;
  std::optional<std::int64_t> seed;
  std::vector<Tool> tools;
  boost::json::value tool_choice;      ///< "auto", "none", "required", or {"type":"function",...}
  boost::json::value response_format;  ///< {"type":"json_object"} or {"type":"json_schema",...}
  std::optional<bool> parallel_tool_calls;
  std::optional<bool> safe_prompt;
  std::optional<std::string> reasoning_effort;  ///< "low" | "medium" | "high" (Magistral)
  std::optional<std::string> user;
  bool stream = false;  ///< completion() with stream=true collects the stream into one response
  bool include_usage = false;      ///< stream_options.include_usage for streams
  boost::json::object extra_body;  ///< any other request field, sent as given
  CallSettings settings;

  /// The OpenAI request body these params describe.
  [[nodiscard]] boost::json::object to_json_object() const;
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  [[nodiscard]] boost::json::object to_json_object() const;
  static Usage from_json(const boost::json::object& o);
};

struct Choice {
  int index = 0;
  Message message;
  std::optional<std::string> finish_reason;
};

struct ModelResponse {
  std::string id;
  std::string object = "chat.completion";
  std::int64_t created = 0;
  std::string model;
  std::vector<Choice> choices;
  Usage usage;
  double response_cost = 0;  ///< USD, from the model registry's prices
  boost::json::object raw;   ///< the full OpenAI-shaped JSON, including fields not modelled here

  [[nodiscard]] std::string to_json() const;
  static ModelResponse from_json(const boost::json::object& o);
};

struct StreamChoice {
  int index = 0;
  Message delta;
  std::optional<std::string> finish_reason;
};

/// One chunk of a streamed completion ("chat.completion.chunk").
struct ModelResponseStream {
  std::string id;
  std::string object = "chat.completion.chunk";
  std::int64_t created = 0;
  std::string model;
  std::vector<StreamChoice> choices;
  std::optional<Usage> usage;
  boost::json::object raw;

  [[nodiscard]] std::string to_json() const;
  static ModelResponseStream from_json(const boost::json::object& o);
};

// ---- embeddings ------------------------------------------------------------------------------

struct EmbeddingParams {
  std::string model;  ///< "mistral/mistral-embed"
  std::vector<std::string> input;
  std::optional<std::string> encoding_format;  ///< "float" (default) or "base64"
  std::optional<int> dimensions;
  std::optional<std::string> user;
  CallSettings settings;

  [[nodiscard]] boost::json::object to_json_object() const;
};

struct Embedding {
  int index = 0;
  std::vector<float> embedding;  ///< filled for encoding_format "float"
  std::string embedding_base64;  ///< filled for encoding_format "base64"
};

struct EmbeddingResponse {
  std::string object = "list";
  std::string model;
  std::vector<Embedding> data;
  Usage usage;
  double response_cost = 0;
  boost::json::object raw;

  [[nodiscard]] std::string to_json() const;
  static EmbeddingResponse from_json(const boost::json::object& o);
};

std::ostream& operator<<(std::ostream& os, const ModelResponse& r);
std::ostream& operator<<(std::ostream& os, const ModelResponseStream& r);
std::ostream& operator<<(std::ostream& os, const EmbeddingResponse& r);

}  // namespace v1
}  // namespace litellm
