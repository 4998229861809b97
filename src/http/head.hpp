// Writes an HTTP/1.x message head (start line, header fields, blank line) into a string.
//
// Beast's serializer walks a buffers_cat_view over every field one buffer at a time; for the
// small messages a proxy forwards, that walk cost more than everything else it does with the
// head (callgrind). Copying the head into one reused string and sending it with the body as two
// buffers is one gather write, like Beast's, for a fraction of the instructions.
#pragma once

#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>

namespace litellm::http {

namespace head_detail {
inline void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10 % 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

template <class Fields>
void append_fields(std::string& out, const Fields& fields) {
  for (const auto& f : fields) {
    const auto name = f.name_string();
    const auto value = f.value();
    out.append(name.data(), name.size());
    out += ": ";
    out.append(value.data(), value.size());
    out += "\r\n";
  }
  out += "\r\n";
}
}  // namespace head_detail

/// Replaces `out` with the head of a response: "HTTP/1.1 200 OK\r\n", the fields, "\r\n".
template <class Fields>
void write_head(std::string& out, const boost::beast::http::response_header<Fields>& h) {
  out.clear();
  head_detail::append_version(out, h.version());
  char digits[8];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, h.result_int());
  static_cast<void>(ec);  // a status is at most three digits
  out += ' ';
  out.append(digits, end);
  out += ' ';
  auto reason = h.reason();
  if (reason.empty()) reason = boost::beast::http::obsolete_reason(h.result());
  out.append(reason.data(), reason.size());
  out += "\r\n";
  head_detail::append_fields(out, h);
}

/// Replaces `out` with the head of a request: "POST /v1/x HTTP/1.1\r\n", the fields, "\r\n".
template <class Fields>
void write_head(std::string& out, const boost::beast::http::request_header<Fields>& h) {
  out.clear();
  const auto method = h.method_string();
  const auto target = h.target();
  out.append(method.data(), method.size());
  out += ' ';
  out.append(target.data(), target.size());
  out += ' ';
  head_detail::append_version(out, h.version());
  out += "\r\n";
  head_detail::append_fields(out, h);
}

/// Appends "name: value\r\n" as given, for parts the caller has checked hold no CR or LF.
inline void append_checked_field(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t from = out.size();
  const std::size_t n = name.size() + 2 + value.size();
  out.resize(from + n + 2);  // one size check for the whole line, not one per piece
  char* const first = out.data() + from;
  std::memcpy(first, name.data(), name.size());
  first[name.size()] = ':';
  first[name.size() + 1] = ' ';
  std::memcpy(first + name.size() + 2, value.data(), value.size());
  first[n] = '\r';
  first[n + 1] = '\n';
}

/// Appends one "name: value\r\n" line for ResponseWriter's extra fields. A CR or LF in either
/// part (a config string, say) would split the head: those characters become spaces. The scan is
/// two memchr calls (vectorised) because this runs for every field of every answer; the fix-up
/// loop runs only when one of them finds something.
inline void append_field(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t from = out.size();
  append_checked_field(out, name, value);
  char* const first = out.data() + from;
  const std::size_t n = out.size() - from - 2;
  if (std::memchr(first, '\r', n) != nullptr || std::memchr(first, '\n', n) != nullptr) {
    for (char* p = first; p != first + n; ++p) {
      if (*p == '\r' || *p == '\n') *p = ' ';
    }
  }
}

/// Inserts pre-rendered field lines at the end of a head written by write_head.
inline void add_fields(std::string& head, std::string_view extra_fields) {
  if (extra_fields.empty()) return;
  head.resize(head.size() - 2);  // the blank line
  head.append(extra_fields.data(), extra_fields.size());
  head += "\r\n";
}

}  // namespace litellm::http
