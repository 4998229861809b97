#include "emulator/errors.hpp"
#include "emulator/strcat.hpp"

#include <boost/json.hpp>

namespace litellm::emulator {
namespace json = boost::json;

namespace {

ErrorReply envelope(unsigned status, json::value message, std::string_view type,
                    std::string_view code) {
  json::object o;
  o["object"] = "error";
  o["message"] = std::move(message);
  o["type"] = type;
  o["param"] = nullptr;
  if (code.empty()) {
    o["code"] = nullptr;
  } else {
    o["code"] = code;
  }
  o["raw_status_code"] = status;
  return ErrorReply{status, json::serialize(o), std::nullopt};
}

}  // namespace

ErrorReply mistral_error(unsigned status, std::string_view message, std::string_view type,
                         std::string_view code) {
  return envelope(status, json::string(message), type, code);
}

ErrorReply validation_error(json::array detail) {
  json::object msg;
  msg["detail"] = std::move(detail);
  return envelope(422, std::move(msg), "invalid_request_error", "");
}

ErrorReply invalid_model(std::string_view model, unsigned status) {
  return mistral_error(status, cat("Invalid model: ", model), "invalid_model", "1500");
}

ErrorReply context_length_exceeded(std::int64_t prompt_tokens, std::int64_t max_context) {
  return mistral_error(400,
                       cat("Prompt contains ", std::to_string(prompt_tokens),
                           " tokens and 0 draft tokens, too large for model with ",
                           std::to_string(max_context), " maximum context length"),
                       "invalid_request_invalid_args", "3051");
}

ErrorReply bad_tool_call_id(std::string_view id) {
  return mistral_error(
      400, cat("Tool call id was ", id, " but must be a-z, A-Z, 0-9, with a length of 9."),
      "invalid_function_call", "3280");
}

ErrorReply invalid_request(std::string_view message) {
  return mistral_error(400, message, "invalid_request_error", "");
}

ErrorReply unauthorized(std::string_view request_id) {
  json::object o;
  o["message"] = "Unauthorized";
  o["request_id"] = request_id;
  return ErrorReply{401, json::serialize(o), std::nullopt};
}

ErrorReply rate_limited(std::int64_t retry_after_s) {
  ErrorReply r = mistral_error(429, "Rate limit exceeded", "rate_limited", "1300");
  r.retry_after_s = retry_after_s;
  return r;
}

ErrorReply server_error(unsigned status, std::int64_t retry_after_s) {
  switch (status) {
    case 429:
      return rate_limited(retry_after_s);
    case 500:
      return mistral_error(500, "Internal server error", "internal_server_error", "3000");
    case 502:
      return mistral_error(502, "Bad gateway", "bad_gateway", "3000");
    case 503:
      return mistral_error(503, "Service unavailable, please retry later", "service_unavailable",
                           "3000");
    case 504:
      return mistral_error(504, "Gateway timeout", "gateway_timeout", "3000");
    default:
      break;
  }
  return mistral_error(status, "Injected error", "api_error", "");
}

ErrorReply route_not_found() {
  return ErrorReply{404, R"({"detail":"Not Found"})", std::nullopt};
}

ErrorReply method_not_allowed() {
  return ErrorReply{405, R"({"detail":"Method Not Allowed"})", std::nullopt};
}

}  // namespace litellm::emulator
