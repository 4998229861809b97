#include "http/message_parser.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include <boost/beast/http/error.hpp>

#include "core/ascii.hpp"

namespace litellm::http {

namespace {

using boost::system::error_code;
using Http = boost::beast::http::error;

// A chunk-size line (size and extensions) longer than this is refused: it only ever is an attack.
constexpr std::size_t kChunkLineLimit = 4096;

enum : std::uint8_t { kToken = 1, kBadInValue = 2 };

// Byte classes: RFC 9110's tchar for names; the bytes a field value may not hold (controls other
// than HTAB, and DEL). A CR or LF in a value would let an answer's field inject lines into ours.
constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c)
    t[c] = kBadInValue;
  t['\t'] = 0;
  t[0x7f] = kBadInValue;
  for (int c = '0'; c <= '9'; ++c)
    t[c] = kToken;
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] = kToken;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] = kToken;
  for (char c : std::string_view("!#$%&'*+-.^_`|~"))
    t[static_cast<unsigned char>(c)] = kToken;
  return t;
}();

// A field name's bytes, lower-cased: a token byte maps to its lower-case form, any other to 0.
constexpr std::array<char, 256> kNameByte = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((kClass[c] & kToken) != 0) t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
  }
  return t;
}();

std::uint8_t class_of(char c) {
  return kClass[static_cast<unsigned char>(c)];
}

bool has_bad_value_byte_slow(const char* p, const char* end) {
  return std::any_of(p, end, [](char c) { return (class_of(c) & kBadInValue) != 0; });
}

// The same test eight bytes at a time: this runs over every byte of every answer's head. A word
// holding a byte below 0x20 (HTAB included) or DEL gets the exact test above.
bool has_bad_value_byte(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHigh = 0x8080808080808080;
  for (; end - p >= 8; p += 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, p, 8);
    const std::uint64_t below_space = (x - kOnes * 0x20) & ~x & kHigh;
    const std::uint64_t y = x ^ (kOnes * 0x7f);
    const std::uint64_t del = (y - kOnes) & ~y & kHigh;
    if ((below_space | del) != 0 && has_bad_value_byte_slow(p, p + 8)) return true;
  }
  return has_bad_value_byte_slow(p, end);
}

bool is_token(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return (class_of(c) & kToken) != 0; });
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && core::starts_with_icase(s, lower);
}

// Calls f(token) for each element of a comma-separated list, whitespace trimmed, empty ones
// skipped (RFC 9110 section 5.6.1).
template <class F>
void for_each_token(std::string_view list, F&& f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view token = trim(list.substr(0, comma));
    if (!token.empty()) f(token);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// A trailer field's line [p, cr), checked as a head's field would be though it is not kept: a
// token name and a colon, no control bytes in the value. No obs-fold (RFC 9112 section 5.2 lets
// a recipient refuse one; trailers are rare enough that nobody folds them). The fields that
// frame a message or manage the connection may not be trailers (RFC 9110 section 6.5.1): a peer
// that sends one may mean something by it that we would ignore, so it is refused.
bool valid_trailer_line(const char* p, const char* cr) {
  const char* q = p;
  while (q < cr && (class_of(*q) & kToken) != 0)
    ++q;
  if (q == p || q == cr || *q != ':') return false;
  const std::string_view name(p, static_cast<std::size_t>(q - p));
  if (iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
      iequals(name, "connection")) {
    return false;
  }
  return !has_bad_value_byte(q + 1, cr);
}

// chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token or
// quoted-string (RFC 9112 section 7.1.1). With `value_required`, a transfer coding's parameters:
// *( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) ) (RFC 9110 section 10.1.4).
bool valid_parameters(std::string_view s, bool value_required) {
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < s.size() && is_space(s[i]))
      ++i;
  };
  const auto token = [&] {
    const std::size_t from = i;
    while (i < s.size() && (class_of(s[i]) & kToken) != 0)
      ++i;
    return i > from;
  };
  while (i < s.size()) {
    // Whitespace only before a ';': "0 \r\n" is refused, as Beast does.
    skip_space();
    if (i == s.size() || s[i] != ';') return false;
    ++i;
    skip_space();
    if (!token()) return false;
    const std::size_t after_name = i;
    skip_space();
    if (i == s.size() || s[i] != '=') {
      // Whitespace is allowed before a ';' or a '=', not at the end.
      if (value_required || (i == s.size() && i != after_name)) return false;
      continue;
    }
    ++i;
    skip_space();
    if (i < s.size() && s[i] == '"') {
      // qdtext or a quoted-pair; no control bytes either way.
      for (++i;; ++i) {
        if (i == s.size() || (class_of(s[i]) & kBadInValue) != 0) return false;
        if (s[i] == '"') break;
        if (s[i] == '\\' && ++i == s.size()) return false;
        if ((class_of(s[i]) & kBadInValue) != 0) return false;
      }
      ++i;
    } else if (!token()) {
      return false;
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char l = static_cast<char>(c | 0x20);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

}  // namespace

std::size_t MessageParser::put_head(std::string_view in, error_code& ec) {
  if (in.empty()) return 0;
  got_some_ = true;
  // The head ends at the first empty line. Every LF in it must close a CRLF: a bare LF is refused
  // here rather than waited on until the header limit.
  const std::size_t limit = std::min(in.size(), header_limit_);
  const char* const begin = in.data();
  const char* p = begin + scanned_;
  const char* const stop = begin + limit;
  while (p < stop) {
    const auto* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stop - p)));
    if (nl == nullptr) break;
    if (nl == begin || nl[-1] != '\r') {
      ec = Http::bad_line_ending;
      return 0;
    }
    // The line before this LF is empty: CR LF CR LF.
    if (nl - begin >= 3 && nl[-2] == '\n') {
      const auto size = static_cast<std::size_t>(nl + 1 - begin);
      fields_.text_.assign(begin, size);
      parse_head(size, ec);
      return ec ? 0 : size;
    }
    p = nl + 1;
  }
  if (in.size() >= header_limit_) {
    ec = Http::header_limit;
    return 0;
  }
  // Resume at the last line's start: the next LF found must see this line's CR.
  scanned_ = static_cast<std::size_t>(p - begin);
  return 0;
}

void MessageParser::reset_state(std::size_t keep_capacity) noexcept {
  length_ = remaining_ = received_ = 0;
  scanned_ = trailer_bytes_ = 0;
  if (fields_.text_.capacity() > keep_capacity) {
    std::string().swap(fields_.text_);
    std::vector<ResponseFields::Slot>().swap(fields_.slots_);
  } else {
    fields_.text_.clear();
    fields_.slots_.clear();
  }
  status_ = 0;
  method_size_ = target_at_ = target_size_ = 0;
  minor_version_ = 1;
  state_ = State::head;
  framing_ = Framing::none;
  got_some_ = has_length_ = has_transfer_encoding_ = chunked_ = close_ = keep_alive_token_ = false;
}

bool MessageParser::parse_status_line(std::string_view line, error_code& ec) {
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' ||
      line[8] != ' ') {
    ec = Http::bad_version;
    return false;
  }
  minor_version_ = static_cast<unsigned>(line[7] - '0');
  status_ = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') {
      ec = Http::bad_status;
      return false;
    }
    status_ = status_ * 10 + static_cast<unsigned>(line[i] - '0');
  }
  if (status_ < 100 || (line.size() > 12 && line[12] != ' ')) {
    ec = Http::bad_status;
    return false;
  }
  if (has_bad_value_byte(line.data() + 12, line.data() + line.size())) {
    ec = Http::bad_reason;
    return false;
  }
  return true;
}

bool MessageParser::parse_request_line(std::string_view line, error_code& ec) {
  // method SP request-target SP HTTP/1.x (RFC 9112 section 3); one space each, no more.
  std::size_t i = 0;
  while (i < line.size() && (class_of(line[i]) & kToken) != 0)
    ++i;
  if (i == 0 || i == line.size() || line[i] != ' ') {
    ec = Http::bad_method;
    return false;
  }
  method_size_ = static_cast<std::uint32_t>(i);
  const std::size_t target = ++i;
  // Any visible byte (obs-text included, as Beast took it); controls, space and DEL end it.
  while (i < line.size() && static_cast<unsigned char>(line[i]) > 0x20 && line[i] != 0x7f)
    ++i;
  if (i == target || i == line.size() || line[i] != ' ') {
    ec = Http::bad_target;
    return false;
  }
  target_at_ = static_cast<std::uint32_t>(target);
  target_size_ = static_cast<std::uint32_t>(i - target);
  const std::string_view version = line.substr(i + 1);
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." ||
      (version[7] != '0' && version[7] != '1')) {
    ec = Http::bad_version;
    return false;
  }
  minor_version_ = static_cast<unsigned>(version[7] - '0');
  return true;
}

void MessageParser::parse_head(std::size_t size, error_code& ec) {
  char* const base = fields_.text_.data();
  char* const end = base + size;
  // Every line of the head ends in CR LF (checked while looking for its end).
  const auto line_end = [end](char* from) {
    return static_cast<char*>(std::memchr(from, '\n', static_cast<std::size_t>(end - from))) - 1;
  };

  char* const eol = line_end(base);
  const std::string_view line(base, static_cast<std::size_t>(eol - base));
  if (!(kind_ == Kind::response ? parse_status_line(line, ec) : parse_request_line(line, ec))) {
    return;
  }

  // Room for the fields of a typical head at once (Mistral's answers have 8 to 15).
  fields_.slots_.reserve(16);
  const auto offset = [base](const char* p) { return static_cast<std::uint32_t>(p - base); };
  for (char* p = eol + 2;;) {
    char* const e = line_end(p);
    if (e == p) break;  // the empty line
    if (is_space(*p)) {
      // A request's obs-fold is refused (RFC 9112 section 5.2 allows either that or unfolding):
      // no client of ours folds, and one that does is more likely probing than talking.
      if (kind_ == Kind::request || has_bad_value_byte(p, e)) {
        ec = Http::bad_value;
        return;
      }
      // obs-fold: the line continues the previous field's value, joined by spaces (RFC 9112
      // section 5.2 asks a recipient to replace the fold with SP).
      if (fields_.slots_.empty()) {
        ec = Http::bad_value;
        return;
      }
      p[-2] = ' ';
      p[-1] = ' ';
      ResponseFields::Slot& s = fields_.slots_.back();
      const std::string_view more = trim(std::string_view(p, static_cast<std::size_t>(e - p)));
      if (!more.empty()) {
        if (s.value_size == 0) s.value_at = offset(more.data());
        s.value_size = offset(more.data() + more.size()) - s.value_at;
      }
      p = e + 2;
      continue;
    }
    // The name, lower-cased as it is checked; the line's CR stops the loop at the latest.
    char* colon = p;
    for (char l; (l = kNameByte[static_cast<unsigned char>(*colon)]) != 0; ++colon)
      *colon = l;
    if (colon == p || *colon != ':') {
      ec = Http::bad_field;
      return;
    }
    if (has_bad_value_byte(colon + 1, e)) {
      ec = Http::bad_value;
      return;
    }
    const std::string_view value =
        trim(std::string_view(colon + 1, static_cast<std::size_t>(e - colon - 1)));
    // An empty value points at its line's end: inside the text, so a fold can extend it.
    const char* value_at = value.empty() ? e : value.data();
    fields_.slots_.push_back({offset(p), static_cast<std::uint32_t>(colon - p), offset(value_at),
                              static_cast<std::uint32_t>(value.size())});
    p = e + 2;
  }

  // The fields that frame the body, read once their folds are joined.
  for (const ResponseFields::Slot& s : fields_.slots_) {
    if (!on_field(std::string_view(base + s.name_at, s.name_size), fields_.value_of(s), ec)) {
      return;
    }
  }
  start_body(ec);
}

bool MessageParser::on_field(std::string_view name, std::string_view value, error_code& ec) {
  switch (name.size()) {
    case 14:
      if (name == "content-length") {
        std::uint64_t n = 0;
        if (value.empty() || value.size() > 19) {
          ec = Http::bad_content_length;
          return false;
        }
        for (char c : value) {
          if (c < '0' || c > '9') {
            ec = Http::bad_content_length;
            return false;
          }
          n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        // Two different lengths: which one frames the body is anyone's guess (smuggling).
        if (has_length_ && n != length_) {
          ec = Http::bad_content_length;
          return false;
        }
        has_length_ = true;
        length_ = n;
      }
      break;
    case 17:
      if (name == "transfer-encoding") {
        has_transfer_encoding_ = true;
        // Chunked only when it is the last coding (RFC 9112 section 6.3); otherwise an answer's
        // body runs to the close. The codings of several fields form one list (RFC 9110
        // section 5.3), and in a request nothing may follow chunked, not even chunked again
        // (RFC 9112 section 6.1): such a request's body has no end we could agree on.
        if (kind_ == Kind::response) chunked_ = false;
        bool valid = true;
        for_each_token(value, [&](std::string_view t) {
          // A coding is a token, maybe with parameters; anything else leaves the framing unclear.
          const std::size_t semicolon = std::min(t.find(';'), t.size());
          const std::string_view coding = trim(t.substr(0, semicolon));
          valid = valid && is_token(coding) &&
                  valid_parameters(t.substr(semicolon), /*value_required=*/true) &&
                  !(kind_ == Kind::request && chunked_);
          chunked_ = iequals(coding, "chunked");
        });
        if (!valid) {
          ec = Http::bad_transfer_encoding;
          return false;
        }
      }
      break;
    case 10:
      if (name == "connection") {
        // A list of tokens (RFC 9110 section 7.6.1); anything else is refused, as Beast did.
        bool valid = true;
        for_each_token(value, [&](std::string_view t) {
          valid = valid && is_token(t);
          if (iequals(t, "close")) close_ = true;
          if (iequals(t, "keep-alive")) keep_alive_token_ = true;
        });
        if (!valid) {
          ec = Http::bad_value;
          return false;
        }
      }
      break;
    default:
      break;
  }
  return true;
}

void MessageParser::start_body(error_code& ec) {
  // No body whatever the fields say (RFC 9112 section 6.3, rule 1).
  if (kind_ == Kind::response &&
      (head_request_ || status_ < 200 || status_ == 204 || status_ == 304)) {
    state_ = State::done;
    return;
  }
  if (has_transfer_encoding_) {
    // Both framings at once is how requests get smuggled: refused, as Beast did. A request's
    // body cannot run to the close (the client would never see an answer): its transfer coding
    // must end in chunked.
    if (has_length_ || (kind_ == Kind::request && !chunked_)) {
      ec = Http::bad_transfer_encoding;
      return;
    }
    framing_ = chunked_ ? Framing::chunked : Framing::until_close;
    state_ = chunked_ ? State::chunk_size : State::body;
    return;
  }
  if (has_length_) {
    if (length_ > body_limit_) {
      ec = Http::body_limit;
      return;
    }
    framing_ = Framing::length;
    remaining_ = length_;
    state_ = length_ == 0 ? State::done : State::body;
    return;
  }
  if (kind_ == Kind::request) {  // no framing: no body (RFC 9112 section 6.3, rule 6)
    state_ = State::done;
    return;
  }
  framing_ = Framing::until_close;
  state_ = State::body;
}

MessageParser::Step MessageParser::put_body(std::string_view in, char* out, std::size_t room,
                                            bool drain, error_code& ec) {
  const char* p = in.data();
  const char* const end = p + in.size();
  std::size_t produced = 0;
  const auto step = [&] { return Step{static_cast<std::size_t>(p - in.data()), produced}; };
  const auto copy = [&](std::uint64_t most) {
    const auto n = static_cast<std::size_t>(
        std::min<std::uint64_t>({static_cast<std::uint64_t>(end - p), room - produced, most}));
    std::memcpy(out + produced, p, n);
    p += n;
    produced += n;
    return n;
  };
  while (state_ != State::done && state_ != State::head && p != end) {
    switch (state_) {
      case State::body:
        if (framing_ == Framing::length) {
          remaining_ -= copy(remaining_);
          if (remaining_ == 0) state_ = State::done;
        } else {
          received_ += copy(body_limit_ - std::min(received_, body_limit_));
          // Input left while the output has room: the body passed its limit.
          if (p != end && produced < room) ec = Http::body_limit;
        }
        return step();
      case State::chunk_size: {
        const auto* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (nl == nullptr) {
          if (static_cast<std::size_t>(end - p) > kChunkLineLimit) ec = Http::bad_chunk;
          return step();
        }
        if (static_cast<std::size_t>(nl - p) > kChunkLineLimit || nl == p || nl[-1] != '\r') {
          ec = Http::bad_chunk;
          return step();
        }
        const char* q = p;
        const char* const cr = nl - 1;
        std::uint64_t size = 0;
        int digits = 0;
        for (; q < cr && hex_value(*q) >= 0; ++q) {
          if (++digits > 15) {  // beyond any body limit: refused before it could overflow
            ec = Http::bad_chunk;
            return step();
          }
          size = size * 16 + static_cast<std::uint64_t>(hex_value(*q));
        }
        // Whitespace after the size without an extension is refused in a request, as Beast
        // does, and tolerated in an answer (some servers pad the size line).
        if (kind_ == Kind::response) {
          while (q < cr && is_space(*q))
            ++q;
        }
        // Chunk extensions (";name=value") carry nothing we use; their syntax is still checked.
        if (digits == 0 || !valid_parameters(std::string_view(q, static_cast<std::size_t>(cr - q)),
                                             /*value_required=*/false)) {
          ec = Http::bad_chunk;
          return step();
        }
        p = nl + 1;
        if (size == 0) {
          state_ = State::trailers;
          break;
        }
        if (size > body_limit_ - std::min(received_, body_limit_)) {
          ec = Http::body_limit;
          return step();
        }
        received_ += size;
        remaining_ = size;
        state_ = State::chunk_data;
        break;
      }
      case State::chunk_data:
        remaining_ -= copy(remaining_);
        if (remaining_ > 0) return step();  // the input or the room ran out
        state_ = State::chunk_end;
        break;
      case State::chunk_end:
        if (end - p < 2) return step();
        if (p[0] != '\r' || p[1] != '\n') {
          ec = Http::bad_chunk;
          return step();
        }
        p += 2;
        state_ = State::chunk_size;
        if (!drain && produced > 0) return step();
        break;
      case State::trailers: {
        // Trailer fields are read past, not kept; bounded like a head.
        const auto* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const std::size_t line = nl == nullptr ? static_cast<std::size_t>(end - p)
                                               : static_cast<std::size_t>(nl + 1 - p);
        if (trailer_bytes_ + line > header_limit_) {
          ec = Http::header_limit;
          return step();
        }
        if (nl == nullptr) return step();
        if (nl == p || nl[-1] != '\r') {
          ec = Http::bad_line_ending;
          return step();
        }
        if (line > 2 && !valid_trailer_line(p, nl - 1)) {
          ec = Http::bad_field;
          return step();
        }
        trailer_bytes_ += line;
        p = nl + 1;
        if (line == 2) state_ = State::done;
        break;
      }
      case State::head:
      case State::done:
        break;
    }
  }
  return step();
}

void MessageParser::put_eof(error_code& ec) {
  if (state_ == State::done) return;
  if (state_ == State::body && framing_ == Framing::until_close) {
    state_ = State::done;
    return;
  }
  ec = Http::partial_message;
}

}  // namespace litellm::http
