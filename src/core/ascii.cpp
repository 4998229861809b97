#include "core/ascii.hpp"

#include <cstdint>
#include <cstring>

namespace litellm::core {

void ascii_lower(char* p, std::size_t n) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = kOnes * 0x80;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    // Per byte, on its low seven bits (no carry crosses bytes): the high bit of ge_a says
    // ">= 'A'", of gt_z "> 'Z'"; a byte that has its own high bit set is not ASCII.
    const std::uint64_t low7 = w & ~kHigh;
    const std::uint64_t ge_a = low7 + kOnes * (0x80 - 'A');
    const std::uint64_t gt_z = low7 + kOnes * (0x80 - 'Z' - 1);
    const std::uint64_t upper = (ge_a ^ gt_z) & ~w & kHigh;
    w |= upper >> 2;  // 0x80 >> 2 == 0x20, the case bit
    std::memcpy(p, &w, 8);
  }
  for (; n > 0; ++p, --n) {
    if (*p >= 'A' && *p <= 'Z') *p = static_cast<char>(*p + ('a' - 'A'));
  }
}

std::size_t find_either(std::string_view s, char a, char b, std::size_t pos) noexcept {
  if (pos >= s.size()) return std::string_view::npos;
  const char* const from = s.data() + pos;
  std::size_t n = s.size() - pos;
  const auto* hit = static_cast<const char*>(std::memchr(from, a, n));
  if (hit != nullptr) n = static_cast<std::size_t>(hit - from);
  if (const auto* other = static_cast<const char*>(std::memchr(from, b, n))) hit = other;
  return hit == nullptr ? std::string_view::npos : static_cast<std::size_t>(hit - s.data());
}

}  // namespace litellm::core
