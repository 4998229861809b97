// Environment and secret resolution: LiteLLM's "os.environ/NAME" references.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "litellm/result.hpp"

namespace litellm::core {

/// The value of an environment variable, or nullopt when unset. An empty value counts as set.
std::optional<std::string> getenv_opt(const char* name);

/// True when `value` is an "os.environ/NAME" reference.
bool is_env_reference(std::string_view value) noexcept;

/// Resolves "os.environ/NAME" to the variable's value; other strings are returned unchanged.
/// An unset variable is a bad_request error naming it (never its would-be value).
Result<std::string> resolve_env_reference(std::string_view value);

}  // namespace litellm::core
