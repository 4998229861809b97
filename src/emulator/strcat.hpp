// cat("a", b, "c"): one allocation, no temporaries. Also sidesteps g++ 12's false -Wrestrict on
// `"literal" + std::string(...)` at -O3.
#pragma once

#include <string>
#include <string_view>

namespace litellm::emulator {

template <class... Parts>
[[nodiscard]] std::string cat(const Parts&... parts) {
  std::string s;
  s.reserve((std::string_view(parts).size() + ...));
  (s.append(std::string_view(parts)), ...);
  return s;
}

}  // namespace litellm::emulator
