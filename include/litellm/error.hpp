// Errors: one value type (litellm::Error) used everywhere inside, and a throwing façade whose
// exception classes are named as LiteLLM's Python exceptions. One table (error.cpp) drives the
// HTTP status, the OpenAI error "type", the exception class and retryability of every kind.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace litellm {
inline namespace v1 {

enum class ErrorKind {
  bad_request,              // 400
  unsupported_params,       // 400, a parameter the provider does not accept (drop_params drops it)
  context_window_exceeded,  // 400, prompt longer than the model's context window
  content_policy,           // 400, refused by a content filter
  authentication,           // 401
  permission_denied,        // 403
  not_found,                // 404
  timeout,                  // 408
  conflict,                 // 409
  unprocessable_entity,     // 422
  rate_limit,               // 429
  internal_server,          // 500
  bad_gateway,              // 502
  service_unavailable,      // 503
  api_connection,           // 500, no HTTP answer at all (refused, reset, DNS, TLS)
  api_error,                // anything else
};

/// What went wrong, as a value. Every failure inside the SDK and gateway is one of these.
struct Error {
  ErrorKind kind = ErrorKind::api_error;
  int status = 0;        ///< HTTP status to report (defaults from `kind` when 0)
  std::string message;   ///< human readable, never contains a secret
  std::string provider;  ///< "mistral", "openai", ... (empty when not upstream related)
  std::string model;     ///< model name as the caller wrote it
  std::string body;      ///< upstream response body, verbatim, when there was one
  std::string param;     ///< offending request parameter, when known
  std::string code;      ///< OpenAI-style error code, when known
  std::optional<std::chrono::milliseconds> retry_after;  ///< from Retry-After, when sent

  /// The HTTP status: `status` when set, else the kind's default.
  [[nodiscard]] int http_status() const noexcept;
  /// OpenAI's error "type" field: "invalid_request_error", "authentication_error", ...
  [[nodiscard]] std::string_view openai_type() const noexcept;
  /// LiteLLM's exception class name: "AuthenticationError", "RateLimitError", ...
  [[nodiscard]] std::string_view class_name() const noexcept;
  /// Whether a retry may succeed: 408, 409, 429, 5xx and connection errors.
  [[nodiscard]] bool retryable() const noexcept;
  /// `{"error":{"message":..,"type":..,"param":..,"code":..}}`, OpenAI's error body.
  [[nodiscard]] std::string to_openai_json() const;

  static Error make(ErrorKind kind, std::string message);
};

/// The default HTTP status of a kind.
[[nodiscard]] int default_status(ErrorKind kind) noexcept;
/// The kind LiteLLM reports for an upstream HTTP status (before body inspection).
[[nodiscard]] ErrorKind kind_from_status(int status) noexcept;

// ---- throwing façade: exception classes named as LiteLLM's ---------------------------------

/// Base of every exception the SDK throws. Carries the full Error.
class APIError : public std::runtime_error {
 public:
  explicit APIError(Error e);
  [[nodiscard]] const Error& error() const noexcept { return error_; }
  [[nodiscard]] int status_code() const noexcept { return error_.http_status(); }
  [[nodiscard]] const std::string& llm_provider() const noexcept { return error_.provider; }
  [[nodiscard]] const std::string& model() const noexcept { return error_.model; }
  [[nodiscard]] const std::string& body() const noexcept { return error_.body; }

 private:
  Error error_;
};

#define LITELLM_DECLARE_ERROR(Name, Base) \
  class Name : public Base {              \
   public:                                \
    using Base::Base;                     \
  };
LITELLM_DECLARE_ERROR(BadRequestError, APIError)
LITELLM_DECLARE_ERROR(UnsupportedParamsError, BadRequestError)
LITELLM_DECLARE_ERROR(ContextWindowExceededError, BadRequestError)
LITELLM_DECLARE_ERROR(ContentPolicyViolationError, BadRequestError)
LITELLM_DECLARE_ERROR(AuthenticationError, APIError)
LITELLM_DECLARE_ERROR(PermissionDeniedError, APIError)
LITELLM_DECLARE_ERROR(NotFoundError, APIError)
LITELLM_DECLARE_ERROR(Timeout, APIError)
LITELLM_DECLARE_ERROR(ConflictError, APIError)
LITELLM_DECLARE_ERROR(UnprocessableEntityError, APIError)
LITELLM_DECLARE_ERROR(RateLimitError, APIError)
LITELLM_DECLARE_ERROR(InternalServerError, APIError)
LITELLM_DECLARE_ERROR(BadGatewayError, APIError)
LITELLM_DECLARE_ERROR(ServiceUnavailableError, APIError)
LITELLM_DECLARE_ERROR(APIConnectionError, APIError)
#undef LITELLM_DECLARE_ERROR

/// Throws the exception class matching `e.kind`.
[[noreturn]] void throw_error(Error e);

}  // namespace v1
}  // namespace litellm
