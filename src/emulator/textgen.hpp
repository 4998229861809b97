// Deterministic content: everything the emulator "generates" is a pure function of a 64-bit
// seed derived from the request, so identical requests get identical answers and tests can
// assert exact outputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace litellm::emulator {

/// FNV-1a, chained through `seed` so several fields can be mixed into one hash.
[[nodiscard]] constexpr std::uint64_t hash_text(
    std::string_view s, std::uint64_t seed = 0xcbf29ce484222325ULL) noexcept {
  std::uint64_t h = seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// A hash of a JSON value's content (structure, keys in order, scalars), with no allocation for
/// strings: the seed of everything generated for a request.
[[nodiscard]] std::uint64_t hash_json(const boost::json::value& v,
                                      std::uint64_t seed = 0xcbf29ce484222325ULL);

/// A JSON number as an integer clamped to [lo, hi], without throwing on values out of int64's
/// range (Boost.JSON's to_number would): untrusted bodies and schemas carry any number.
[[nodiscard]] std::int64_t clamped_int(const boost::json::value& v, std::int64_t lo,
                                       std::int64_t hi) noexcept;

/// SplitMix64: tiny, fast, good enough for picking words.
class Rng64 {
 public:
  explicit Rng64(std::uint64_t seed) noexcept : s_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n == 0 gives 0.
  std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }
  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    if (hi <= lo) return lo;
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t s_;
};

/// Prose of `words` words in sentences ("Lorem-like" but English words).
[[nodiscard]] std::string prose(Rng64& rng, int words);
/// A few lines of plausible code, for FIM answers.
[[nodiscard]] std::string code_lines(Rng64& rng, int lines);
/// 9 characters from [A-Za-z0-9], Mistral's tool call id format.
[[nodiscard]] std::string tool_call_id(std::uint64_t seed);
/// 32 lowercase hex characters, Mistral's completion id format.
[[nodiscard]] std::string hex_id(std::uint64_t seed);

/// A JSON value valid against `schema` (JSON Schema subset: type, properties, required, items,
/// enum, const, anyOf/oneOf/allOf, $ref to #/$defs or #/definitions, min/max bounds, formats).
/// `root` resolves $ref. Depth and size are bounded. A string `pattern` is honoured when it uses
/// the regular-expression subset string_matching() generates for (emulator/pattern.hpp), and
/// ignored otherwise.
[[nodiscard]] boost::json::value value_for_schema(const boost::json::value& schema,
                                                  const boost::json::value& root, Rng64& rng,
                                                  std::string_view property_name = {});

}  // namespace litellm::emulator
