#include "core/env.hpp"

#include <cstdlib>

namespace litellm::core {
namespace {
constexpr std::string_view kPrefix = "os.environ/";
}

std::optional<std::string> getenv_opt(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

bool is_env_reference(std::string_view value) noexcept {
  return value.starts_with(kPrefix);
}

Result<std::string> resolve_env_reference(std::string_view value) {
  if (!is_env_reference(value)) return std::string(value);
  std::string name(value.substr(kPrefix.size()));
  if (name.empty()) {
    return Error::make(ErrorKind::bad_request,
                       "empty environment variable name in \"" + std::string(value) + "\"");
  }
  if (auto v = getenv_opt(name.c_str())) return std::move(*v);
  return Error::make(ErrorKind::bad_request, "environment variable " + name + " is not set");
}

}  // namespace litellm::core
