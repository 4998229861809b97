// Helpers shared by the provider adapters: LiteLLM's error wording, upstream error bodies to
// Error, Retry-After, usage in OpenAI's shape, base64. Internal to src/providers/.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/json_writer.hpp"
#include "http/response_fields.hpp"
#include "litellm/result.hpp"

namespace litellm::providers::detail {

namespace json = boost::json;

/// Python's repr of a list of strings, as LiteLLM prints it: "['logit_bias', 'store']".
std::string python_list(std::span<const std::string_view> names);

/// LiteLLM's UnsupportedParamsError text: "<provider> does not support parameters: [...], for
/// model=<model>. To drop these, set `litellm.drop_params=True` or for proxy: ...".
Error unsupported_params(std::string_view provider, std::span<const std::string_view> names,
                         std::string_view model);

/// A known parameter with the wrong JSON type: bad_request naming it.
Error invalid_type(std::string_view param, std::string_view expected, const json::value& got);

/// A known parameter with a value we cannot map: bad_request naming it.
Error invalid_value(std::string_view param, std::string message);

/// Request keys that only mean something to LiteLLM itself (router, proxy bookkeeping, SDK
/// options). They never reach an upstream and are never "unsupported".
bool is_litellm_internal_param(std::string_view key) noexcept;

/// Retry-After as a delay: delta-seconds ("7", "1.5") or an HTTP-date (IMF-fixdate, RFC 850,
/// asctime) measured from `now_unix`. Past dates give 0; garbage gives nullopt.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::int64_t now_unix) noexcept;

/// The delay an upstream asked for: "retry-after-ms" (OpenAI's) first, then "retry-after".
std::optional<std::chrono::milliseconds> retry_after_from(const http::ResponseFields& headers,
                                                          std::int64_t now_unix);

/// What an upstream error body says, whatever its shape: OpenAI's {"error":{...}}, Mistral's
/// top-level {"message": string | {"detail": [...]}, "type", "code"}, FastAPI's {"detail": [...]}.
/// Validation lists become "loc.path: msg; ..." so the message names the offending fields.
struct ErrorBodyInfo {
  std::string message;  ///< empty when the body said nothing readable
  std::string type;
  std::string code;
  std::string param;
};
ErrorBodyInfo read_error_object(const json::object& body);
ErrorBodyInfo read_error_body(std::string_view body);

/// Upstream non-2xx answer -> Error, with LiteLLM's kinds and message prefixes
/// ("RateLimitError: MistralException - ..."). `exception_name` is e.g. "MistralException".
Error map_http_error(unsigned status, std::string_view body, const http::ResponseFields& headers,
                     std::string_view provider, std::string_view exception_name,
                     std::string_view model, std::int64_t now_unix);

/// An error object received inside a 200 stream -> Error (status from its "code" when numeric).
Error map_stream_error(const json::object& event, std::string_view provider,
                       std::string_view exception_name, std::string_view model);

/// Who answered: for the errors built from an upstream answer.
struct Origin {
  std::string_view provider;        ///< "mistral"
  std::string_view exception_name;  ///< "MistralException"
  std::string_view model;
};

/// A 2xx answer we cannot use (invalid JSON, no choices, ...): api_error (500), body kept.
Error bad_answer(const Origin& origin, std::string_view what, std::string_view body);

/// Parses a 2xx answer that must be an object holding the array `list_key` ("choices",
/// "data"). An error object in its place is mapped as map_stream_error does; anything else is
/// bad_answer. `kind` names the answer in messages ("chat", "embeddings").
///
/// Storage: when the request lives in a caller-owned arena (a storage that is not reference
/// counted and whose deallocation is a no-op, like the gateway's per-request
/// monotonic_resource), the answer is parsed into that arena too: the response built from it
/// then costs no allocation of its own and is never walked to be destroyed, and the caller
/// keeps the arena alive while it uses the response. Otherwise it gets its own per-document
/// storage (core::document_storage).
Result<json::object> parse_answer(std::string_view body, std::string_view list_key,
                                  std::string_view kind, const Origin& origin,
                                  const json::object& request);

/// The storage parse_answer reads an answer to `request` into (see there).
json::storage_ptr answer_storage(const json::object& request, std::size_t text_size);

/// An upstream usage object as OpenAI's usage is made of it: total_tokens computed when
/// missing, the details objects when sent (Mistral's legacy num_cached_tokens otherwise).
/// The pointers point into the upstream object.
struct UpstreamUsage {
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
  std::int64_t total = 0;
  const json::object* prompt_details = nullptr;
  std::optional<std::int64_t> cached;
  const json::object* completion_details = nullptr;
  /// nullptr (no usage sent): all zero.
  static UpstreamUsage read(const json::object* upstream) noexcept;
};

/// Usage in OpenAI's shape: prompt_tokens, completion_tokens, total_tokens, plus
/// prompt_tokens_details / completion_tokens_details when the upstream sent them.
json::object openai_usage(const json::object& upstream, json::storage_ptr sp = {});
/// OpenAI's usage object as text, from the counts and the details objects already written as
/// JSON text (empty: not sent). The document path and Mistral's event reader both write usage
/// with this, so their answers cannot differ there.
struct UsageText {
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
  std::int64_t total = 0;
  std::optional<std::int64_t> cached;  // written only when prompt_details is empty
  std::string_view prompt_details;
  std::string_view completion_details;
};
void write_openai_usage(core::JsonWriter& w, const UsageText& u);
/// The same from an upstream usage object (nullptr: all zero); returns what it read (the counts
/// a response is priced by).
UpstreamUsage write_openai_usage(core::JsonWriter& w, const json::object* upstream);

/// A tool call's `arguments` as OpenAI clients need them: always a string (objects serialised
/// into `scratch`, null -> "{}").
std::string_view arguments_text(const json::value* args, std::string& scratch);
/// Sets fn["arguments"] to arguments_text. The string is created in `fn`'s storage, whatever
/// storage `args` lives in.
void emplace_arguments(json::object& fn, const json::value* args);

/// Standard base64 (with padding) of `n` bytes appended to `out`.
void base64_append(std::string& out, const unsigned char* data, std::size_t n);

/// `base` without trailing slashes, followed by `path` ("/chat/completions").
std::string join_url(std::string_view base, std::string_view path);

/// True when `s` begins with `prefix`.
inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace litellm::providers::detail
