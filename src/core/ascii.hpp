// ASCII case helpers for protocol text (header names, hosts, config keys, error wording):
// locale-free, and bytes >= 0x80 are left as they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace litellm::core {

/// Lower-cases the ASCII letters of [p, p + n) in place, eight bytes at a time: this runs over
/// every forwarded upstream header name.
void ascii_lower(char* p, std::size_t n) noexcept;

/// The position of the first `a` or `b` in `s` at or after `pos`, or npos. Two memchr calls,
/// the second bounded by the first's hit: std::string_view::find_first_of calls memchr once per
/// byte of `s`, and this runs over every line of every upstream event stream.
std::size_t find_either(std::string_view s, char a, char b, std::size_t pos = 0) noexcept;

/// A lower-cased copy of `s`.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  ascii_lower(out.data(), out.size());
  return out;
}

/// True when `s` starts with `lower` (written in lower case) in any letter case.
inline bool starts_with_icase(std::string_view s, std::string_view lower) noexcept {
  if (s.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char want = lower[i];
    // For a letter, OR-ing in the case bit maps exactly its two cases onto it.
    const char c = want >= 'a' && want <= 'z' ? static_cast<char>(s[i] | 0x20) : s[i];
    if (c != want) return false;
  }
  return true;
}

}  // namespace litellm::core
