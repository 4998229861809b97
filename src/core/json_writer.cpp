#include "core/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <boost/json/value.hpp>

namespace litellm::core {
namespace {

namespace json = boost::json;

// What each byte becomes inside a JSON string: 0 itself, 'u' \u00XX, else a backslash and it.
constexpr std::array<char, 256> kEscape = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c)
    t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

// True when none of the eight bytes in `w` needs escaping (no control byte, quote or backslash).
// Bytes >= 0x80 (UTF-8) pass: `~w` clears their high bit from the below-0x20 test.
constexpr bool clean8(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t below = (w - kOnes * 0x20) & ~w;
  const std::uint64_t q = w ^ (kOnes * '"');
  const std::uint64_t b = w ^ (kOnes * '\\');
  return ((below | ((q - kOnes) & ~q) | ((b - kOnes) & ~b)) & kHigh) == 0;
}

}  // namespace

JsonWriter::JsonWriter(std::size_t expected, std::string prefix) : out_(std::move(prefix)) {
  const std::size_t at = out_.size();
  // Sized, not just reserved: the writer stores through a pointer into the string's bytes.
  out_.resize(at + std::max<std::size_t>(expected, 16));
  p_ = out_.data() + at;
  end_ = out_.data() + out_.size();
}

void JsonWriter::grow(std::size_t n) {
  const std::size_t at = static_cast<std::size_t>(p_ - out_.data());
  out_.resize(std::max(out_.size() * 2, at + n + 256));
  p_ = out_.data() + at;
  end_ = out_.data() + out_.size();
}

void JsonWriter::key_text(std::string_view k) {
  ensure(1);
  comma();
  escaped(k);
  ensure(1);
  *p_++ = ':';
  comma_ = false;
}

void JsonWriter::string(std::string_view s) {
  ensure(1);
  comma();
  escaped(s);
  comma_ = true;
}

void JsonWriter::escaped(std::string_view s) {
  const char* in = s.data();
  const char* const last = in + s.size();
  // Room for the text unescaped and its quotes; an escape asks for more below.
  ensure(s.size() + 2);
  char* o = p_;  // a local: a store through char* could alias the member, reloaded every byte
  *o++ = '"';
  for (;;) {
#if defined(__SSE2__)
    // Sixteen bytes at a time where the target has SSE2 (every x86-64): long model answers are
    // most of the bytes written. The mask points at the first byte to escape.
    while (last - in >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
      const __m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
      const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
      const __m128i slash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
      const int mask = _mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(quote, slash)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);  // room was ensured for all of `s`
      if (mask != 0) {
        const int clean = __builtin_ctz(static_cast<unsigned>(mask));
        in += clean;
        o += clean;
        break;
      }
      in += 16;
      o += 16;
    }
#endif
    while (last - in >= 8) {
      std::uint64_t w;
      std::memcpy(&w, in, 8);
      if (!clean8(w)) break;
      std::memcpy(o, in, 8);
      in += 8;
      o += 8;
    }
    while (in != last && kEscape[static_cast<unsigned char>(*in)] == 0)
      *o++ = *in++;
    if (in == last) break;
    const char e = kEscape[static_cast<unsigned char>(*in)];
    p_ = o;
    ensure(static_cast<std::size_t>(last - in) + 7);  // this escape (<= 6), the rest, the quote
    o = p_;
    *o++ = '\\';
    if (e == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(*in);
      *o++ = 'u';
      *o++ = '0';
      *o++ = '0';
      *o++ = kHex[c >> 4];
      *o++ = kHex[c & 0xf];
    } else {
      *o++ = e;
    }
    ++in;
  }
  *o++ = '"';
  p_ = o;
}

template <class Int>
void JsonWriter::integer(Int v) {
  ensure(21);  // "-9223372036854775808" or "18446744073709551615", and a comma
  comma();
  p_ = std::to_chars(p_, end_, v).ptr;
  comma_ = true;
}

void JsonWriter::int64(std::int64_t v) {
  integer(v);
}

void JsonWriter::uint64(std::uint64_t v) {
  integer(v);
}

void JsonWriter::number(double v) {
  if (!std::isfinite(v)) {
    null();
    return;
  }
  ensure(32);
  comma();
  char* const first = p_;
  p_ = std::to_chars(p_, end_, v).ptr;
  if (std::find_if(first, p_, [](char c) { return c == '.' || c == 'e'; }) == p_) {
    *p_++ = '.';
    *p_++ = '0';
  }
  comma_ = true;
}

void JsonWriter::value(const json::object& o) {
  begin_object();
  for (const auto& kv : o) {
    key_text(kv.key());
    value(kv.value());
  }
  end_object();
}

void JsonWriter::value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      null();
      return;
    case json::kind::bool_:
      boolean(v.get_bool());
      return;
    case json::kind::int64:
      int64(v.get_int64());
      return;
    case json::kind::uint64:
      uint64(v.get_uint64());
      return;
    case json::kind::double_:
      number(v.get_double());
      return;
    case json::kind::string:
      string(v.get_string());
      return;
    case json::kind::array:
      begin_array();
      for (const auto& e : v.get_array())
        value(e);
      end_array();
      return;
    case json::kind::object:
      value(v.get_object());
      return;
  }
}

}  // namespace litellm::core
