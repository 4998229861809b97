// JSON text written straight from code, without building a document first.
//
// The gateway's hottest output is an answer whose shape the code knows (an OpenAI
// chat.completion built from Mistral's): building a Boost.JSON object of it only to serialize it
// next cost more than the two steps' useful work. JsonWriter writes the text directly: keys known
// at compile time are copied as they are, strings are escaped eight bytes at a time, and the
// output goes into the string's own buffer through a pointer (no per-token append bookkeeping).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/fwd.hpp>

namespace litellm::core {

/// Writes one JSON text into a string it owns; take() hands the string over. Commas are placed
/// by the writer; the caller pairs begin/end and gives every object member a key.
class JsonWriter {
 public:
  /// Room for about `expected` bytes is made up front. The text follows `prefix` (an SSE
  /// "data: ", say), which is kept.
  explicit JsonWriter(std::size_t expected = 256, std::string prefix = {});
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  /// The prefix and the text written so far. The writer is spent.
  [[nodiscard]] std::string take() && {
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
    p_ = end_ = nullptr;
    return std::move(out_);
  }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// A key the code spells (a literal): no escaping is needed, so none is scanned for.
  template <std::size_t N>
  void key(const char (&k)[N]) {
    static_assert(N > 1, "an empty key");
    literal_key(k, N - 1);
  }
  /// A key from data: escaped.
  void key_text(std::string_view k);

  void string(std::string_view s);
  void int64(std::int64_t v);
  void uint64(std::uint64_t v);
  /// Shortest text that reads back as the same double; a whole number keeps a ".0" so it stays
  /// a float for readers that care. NaN and infinities (which JSON cannot spell) are null.
  void number(double v);
  void boolean(bool v) { v ? raw_value("true", 4) : raw_value("false", 5); }
  void null() { raw_value("null", 4); }
  /// A value already written as JSON text (by another JsonWriter): copied as it is.
  void raw(std::string_view json_text) { raw_value(json_text.data(), json_text.size()); }
  /// A whole Boost.JSON value (a piece of the input passed through).
  void value(const boost::json::value& v);
  void value(const boost::json::object& o);

 private:
  void ensure(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void grow(std::size_t n);
  void comma() {
    if (comma_) *p_++ = ',';
  }
  void open(char c) {
    ensure(2);
    comma();
    *p_++ = c;
    comma_ = false;
  }
  void close(char c) {
    ensure(1);
    *p_++ = c;
    comma_ = true;
  }
  void literal_key(const char* k, std::size_t n) {
    ensure(n + 4);
    comma();
    *p_++ = '"';
    std::memcpy(p_, k, n);
    p_ += n;
    *p_++ = '"';
    *p_++ = ':';
    comma_ = false;
  }
  void raw_value(const char* s, std::size_t n) {
    ensure(n + 1);
    comma();
    std::memcpy(p_, s, n);
    p_ += n;
    comma_ = true;
  }
  void escaped(std::string_view s);
  template <class Int>
  void integer(Int v);

  std::string out_;  // [data, p_) written; [p_, end_) room, its bytes not yet meaningful
  char* p_ = nullptr;
  char* end_ = nullptr;
  bool comma_ = false;  // the next value or key needs a ',' before it
};

}  // namespace litellm::core
