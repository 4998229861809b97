#include "litellm/error.hpp"

#include <array>

#include <boost/json.hpp>

namespace litellm {
inline namespace v1 {
namespace {

struct KindRow {
  ErrorKind kind;
  int status;
  std::string_view openai_type;
  std::string_view class_name;
  bool retryable;
};

// The one table: status, OpenAI "type", LiteLLM class, retryable. Order follows ErrorKind.
constexpr std::array<KindRow, 16> kRows{{
    {ErrorKind::bad_request, 400, "invalid_request_error", "BadRequestError", false},
    {ErrorKind::unsupported_params, 400, "invalid_request_error", "UnsupportedParamsError", false},
    {ErrorKind::context_window_exceeded, 400, "invalid_request_error", "ContextWindowExceededError",
     false},
    {ErrorKind::content_policy, 400, "invalid_request_error", "ContentPolicyViolationError", false},
    {ErrorKind::authentication, 401, "authentication_error", "AuthenticationError", false},
    {ErrorKind::permission_denied, 403, "permission_error", "PermissionDeniedError", false},
    {ErrorKind::not_found, 404, "not_found_error", "NotFoundError", false},
    {ErrorKind::timeout, 408, "timeout", "Timeout", true},
    {ErrorKind::conflict, 409, "invalid_request_error", "ConflictError", true},
    {ErrorKind::unprocessable_entity, 422, "invalid_request_error", "UnprocessableEntityError",
     false},
    {ErrorKind::rate_limit, 429, "rate_limit_error", "RateLimitError", true},
    {ErrorKind::internal_server, 500, "internal_server_error", "InternalServerError", true},
    {ErrorKind::bad_gateway, 502, "internal_server_error", "BadGatewayError", true},
    {ErrorKind::service_unavailable, 503, "internal_server_error", "ServiceUnavailableError", true},
    {ErrorKind::api_connection, 500, "api_connection_error", "APIConnectionError", true},
    {ErrorKind::api_error, 500, "api_error", "APIError", true},
}};

const KindRow& row(ErrorKind k) noexcept {
  auto i = static_cast<std::size_t>(k);
  return i < kRows.size() ? kRows[i] : kRows.back();
}

}  // namespace

int default_status(ErrorKind kind) noexcept {
  return row(kind).status;
}

ErrorKind kind_from_status(int status) noexcept {
  switch (status) {
    case 400:
      return ErrorKind::bad_request;
    case 401:
      return ErrorKind::authentication;
    case 403:
      return ErrorKind::permission_denied;
    case 404:
      return ErrorKind::not_found;
    case 408:
      return ErrorKind::timeout;
    case 409:
      return ErrorKind::conflict;
    case 413:
      return ErrorKind::bad_request;
    case 422:
      return ErrorKind::unprocessable_entity;
    case 429:
      return ErrorKind::rate_limit;
    case 500:
      return ErrorKind::internal_server;
    case 502:
      return ErrorKind::bad_gateway;
    case 503:
      return ErrorKind::service_unavailable;
    case 504:
      return ErrorKind::timeout;
    default:
      if (status >= 500) return ErrorKind::internal_server;
      if (status >= 400) return ErrorKind::bad_request;
      return ErrorKind::api_error;
  }
}

int Error::http_status() const noexcept {
  return status != 0 ? status : default_status(kind);
}
std::string_view Error::openai_type() const noexcept {
  return row(kind).openai_type;
}
std::string_view Error::class_name() const noexcept {
  return row(kind).class_name;
}

bool Error::retryable() const noexcept {
  if (row(kind).retryable) return true;
  int s = http_status();
  return s == 408 || s == 409 || s == 429 || s >= 500;
}

std::string Error::to_openai_json() const {
  boost::json::object inner;
  inner["message"] = message;
  inner["type"] = openai_type();
  if (param.empty()) {
    inner["param"] = nullptr;
  } else {
    inner["param"] = param;
  }
  // LiteLLM reports the status as the code when no provider code is known.
  if (code.empty()) {
    inner["code"] = std::to_string(http_status());
  } else {
    inner["code"] = code;
  }
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return boost::json::serialize(outer);
}

Error Error::make(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

APIError::APIError(Error e)
    : std::runtime_error("litellm." + std::string(e.class_name()) + ": " + e.message),
      error_(std::move(e)) {}

void throw_error(Error e) {
  switch (e.kind) {
    case ErrorKind::bad_request:
      throw BadRequestError(std::move(e));
    case ErrorKind::unsupported_params:
      throw UnsupportedParamsError(std::move(e));
    case ErrorKind::context_window_exceeded:
      throw ContextWindowExceededError(std::move(e));
    case ErrorKind::content_policy:
      throw ContentPolicyViolationError(std::move(e));
    case ErrorKind::authentication:
      throw AuthenticationError(std::move(e));
    case ErrorKind::permission_denied:
      throw PermissionDeniedError(std::move(e));
    case ErrorKind::not_found:
      throw NotFoundError(std::move(e));
    case ErrorKind::timeout:
      throw Timeout(std::move(e));
    case ErrorKind::conflict:
      throw ConflictError(std::move(e));
    case ErrorKind::unprocessable_entity:
      throw UnprocessableEntityError(std::move(e));
    case ErrorKind::rate_limit:
      throw RateLimitError(std::move(e));
    case ErrorKind::internal_server:
      throw InternalServerError(std::move(e));
    case ErrorKind::bad_gateway:
      throw BadGatewayError(std::move(e));
    case ErrorKind::service_unavailable:
      throw ServiceUnavailableError(std::move(e));
    case ErrorKind::api_connection:
      throw APIConnectionError(std::move(e));
    case ErrorKind::api_error:
      break;
  }
  throw APIError(std::move(e));
}

}  // namespace v1
}  // namespace litellm
