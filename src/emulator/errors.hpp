// Mistral's error answers, as the live API sends them (shapes from
// shared/reference/mistral-wire-notes.md and captured bodies, listed in docs/emulator.md):
//   most errors
//   {"object":"error","message":..,"type":..,"param":null,"code":..,"raw_status_code":N} 422 the
//   same envelope with message = {"detail":[pydantic-style issues]} 401
//   {"message":"Unauthorized","request_id":..} unknown route {"detail":"Not Found"} (FastAPI's
//   default)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>

namespace litellm::emulator {

struct ErrorReply {
  unsigned status = 500;
  std::string body;
  std::optional<std::int64_t> retry_after_s;  ///< 429 only: the Retry-After header value
};

/// The generic envelope; `code` empty means JSON null.
[[nodiscard]] ErrorReply mistral_error(unsigned status, std::string_view message,
                                       std::string_view type, std::string_view code);

/// 422 with pydantic-style details (see schema.hpp for how they are produced).
[[nodiscard]] ErrorReply validation_error(boost::json::array detail);
/// 400 invalid_model, code "1500": "Invalid model: <model>".
[[nodiscard]] ErrorReply invalid_model(std::string_view model, unsigned status = 400);
/// 400 invalid_request_invalid_args, code "3051": the prompt exceeds the context window.
[[nodiscard]] ErrorReply context_length_exceeded(std::int64_t prompt_tokens,
                                                 std::int64_t max_context);
/// 400 invalid_function_call, code "3280": a tool call id that is not 9 alphanumerics.
[[nodiscard]] ErrorReply bad_tool_call_id(std::string_view id);
/// 400 invalid_request_error, code null: message order / tool call bookkeeping problems.
[[nodiscard]] ErrorReply invalid_request(std::string_view message);
/// 401 {"message":"Unauthorized","request_id":..}.
[[nodiscard]] ErrorReply unauthorized(std::string_view request_id);
/// 429 rate_limited, code "1300", with Retry-After.
[[nodiscard]] ErrorReply rate_limited(std::int64_t retry_after_s);
/// 500 / 502 / 503 / any other injected status, with a Mistral envelope.
[[nodiscard]] ErrorReply server_error(unsigned status, std::int64_t retry_after_s = 1);
/// 404 / 405 from the router, FastAPI style.
[[nodiscard]] ErrorReply route_not_found();
[[nodiscard]] ErrorReply method_not_allowed();

}  // namespace litellm::emulator
