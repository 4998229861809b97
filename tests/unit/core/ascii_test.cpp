// ASCII case helpers: header names are compared and forwarded lower-cased with them, so a byte
// changed that should not be (or the reverse) would reach clients.
#include "core/ascii.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

namespace litellm::core {
namespace {

char lower_one(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Every byte value at every position of the eight-byte blocks and the tail, next to neighbours
// that are upper-case letters, non-ASCII bytes or the letters' edges ('@', '[', '`', '{').
TEST(AsciiLower, ChangesExactlyTheUpperCaseLettersWhereverTheyAre) {
  for (const char fill : {'A', 'z', '@', '[', '`', '{', '\x80', '\xff', '\x00'}) {
    for (std::size_t len = 1; len <= 19; ++len) {
      for (std::size_t at = 0; at < len; ++at) {
        for (int b = 0; b < 256; ++b) {
          std::string s(len, fill);
          s[at] = static_cast<char>(b);
          std::string want = s;
          for (char& c : want)
            c = lower_one(c);
          ascii_lower(s.data(), s.size());
          ASSERT_EQ(s, want) << "len " << len << " at " << at << " byte " << b;
        }
      }
    }
  }
}

TEST(AsciiLower, CopiesAString) {
  EXPECT_EQ(ascii_lower("X-RateLimit-Remaining-Requests: Ä"), "x-ratelimit-remaining-requests: Ä");
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(StartsWithIcase, MatchesEitherCaseOfLettersOnly) {
  EXPECT_TRUE(starts_with_icase("X-RateLimit-Limit", "x-ratelimit-"));
  EXPECT_TRUE(starts_with_icase("x-ratelimit-", "x-ratelimit-"));
  EXPECT_FALSE(starts_with_icase("x-ratelimit", "x-ratelimit-"));    // too short
  EXPECT_FALSE(starts_with_icase("x\rratelimit-", "x-ratelimit-"));  // '\r' | 0x20 is '-'
  EXPECT_FALSE(starts_with_icase("x-ratelimiT_", "x-ratelimit-"));
  EXPECT_FALSE(starts_with_icase("y-ratelimit-a", "x-ratelimit-"));
  EXPECT_TRUE(starts_with_icase("anything", ""));
}

// Checked against std::string_view::find_first_of (the behaviour it replaces) for every start
// position over strings holding either byte, both, neither, and in either order.
TEST(FindEither, AgreesWithFindFirstOfEverywhere) {
  for (std::string_view s :
       {"", "x", "\n", "\r", "ab\r\ncd", "ab\n\rcd", "data: {}\n\n", "a\rb\rc\n",
        "no break at all in this longer line", "/v1/chat?x=1#f", "/a#b?c"}) {
    for (auto [a, b] : {std::pair{'\n', '\r'}, std::pair{'?', '#'}}) {
      const char set[] = {a, b};
      for (std::size_t pos = 0; pos <= s.size() + 1; ++pos) {
        EXPECT_EQ(find_either(s, a, b, pos), s.find_first_of(std::string_view(set, 2), pos))
            << "'" << s << "' from " << pos;
      }
    }
  }
}

}  // namespace
}  // namespace litellm::core
