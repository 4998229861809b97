// Request validation as Mistral's API does it: every request object is closed
// (additionalProperties: false, so unknown fields are 422 extra_forbidden) and every field is
// checked against the types in shared/spec/mistral-openapi.yaml. Failures are reported as
// pydantic v2 issues ({"type","loc","msg","input"[,"ctx"]}), the shape FastAPI puts in a 422.
//
// Deliberate difference: scalars are checked strictly (a numeric string is not a number), so a
// gateway that sends "0.5" for temperature is caught here instead of silently accepted.
#pragma once

#include <cstddef>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

namespace litellm::emulator {

/// Upper bound on reported issues, so a hostile body cannot make the answer grow without limit.
inline constexpr std::size_t kMaxValidationIssues = 32;

/// Validates a parsed body; returns the 422 issue list (empty when valid). Never throws.
[[nodiscard]] boost::json::array validate_chat_request(const boost::json::value& body);
[[nodiscard]] boost::json::array validate_fim_request(const boost::json::value& body);
[[nodiscard]] boost::json::array validate_embedding_request(const boost::json::value& body);

}  // namespace litellm::emulator
