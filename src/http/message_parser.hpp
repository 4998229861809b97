// The HTTP/1.1 parser (RFC 9112) of the client's answers and of the listener's requests: the head
// once all of it arrived, then the body as it arrives, framed by Content-Length, chunked transfer
// coding or (answers only) the connection's close.
//
// Why not Beast's parsers, which both sides used before: on the gateway's hot path Beast took
// ~10k instructions for the head of a Mistral answer (8 fields) and ~5k for a four-field request,
// one fifth of a proxied request: fields tokenized a byte at a time, classified by name, each
// stored in its own node of a tree and a list, and then scanned again by the router and the
// gateway. Here the head, bounded by the header limit, is copied once and split into lines with
// memchr; names are lower-cased in place and the fields are offsets into that copy
// (ResponseFields, which requests use too).
//
// Errors are Beast's http::error codes, so messages and the listener's status mapping stay as
// they were: bad_method, bad_target, bad_version, bad_status, bad_field, bad_value,
// bad_line_ending, bad_content_length, bad_transfer_encoding, bad_chunk, header_limit,
// body_limit, partial_message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "http/response_fields.hpp"

namespace litellm::http {

// What answers and requests share: the head's lines and fields, the body's framing and decoding.
class MessageParser {
 public:
  /// Parses the head when `in` (everything received so far, from the message's first byte)
  /// holds all of it. Returns the head's size in bytes, or 0 when more input is needed (or on
  /// an error, in `ec`). Call again with the same bytes and more after them.
  std::size_t put_head(std::string_view in, boost::system::error_code& ec);

  struct Step {
    std::size_t used = 0;      ///< input bytes consumed
    std::size_t produced = 0;  ///< body bytes written to the output
  };
  /// Decodes body bytes from `in` into [out, out + room). Stops when the output is full, the
  /// input is used up or the body ended; without `drain`, also after the first chunk of a chunked
  /// body that gave bytes (the first event of a stream goes out without waiting for the rest).
  Step put_body(std::string_view in, char* out, std::size_t room, bool drain,
                boost::system::error_code& ec);

  /// The connection ended: that ends a body delimited by the close; anywhere else in a message
  /// it is partial_message.
  void put_eof(boost::system::error_code& ec);

  bool got_some() const noexcept { return got_some_; }
  bool header_done() const noexcept { return state_ != State::head; }
  bool done() const noexcept { return state_ == State::done; }
  ResponseFields& fields() noexcept { return fields_; }
  const ResponseFields& fields() const noexcept { return fields_; }
  /// The body's length when Content-Length frames it (not for HEAD, 204, 304 or with chunked).
  std::optional<std::uint64_t> content_length() const noexcept {
    if (framing_ == Framing::length) return length_;
    return std::nullopt;
  }
  /// The body runs until the server closes the connection.
  bool need_eof() const noexcept { return framing_ == Framing::until_close; }

 protected:
  enum class Kind : std::uint8_t { response, request };
  MessageParser(Kind kind, std::size_t header_limit, std::uint64_t body_limit,
                bool head_request) noexcept
      : header_limit_(header_limit),
        body_limit_(body_limit),
        kind_(kind),
        head_request_(head_request) {}

  // Back to the state before the first byte, keeping the fields' storage unless its text is
  // larger than `keep_capacity`.
  void reset_state(std::size_t keep_capacity) noexcept;
  const char* head_text() const noexcept { return fields_.text_.data(); }

  enum class State : std::uint8_t {
    head,
    body,        // Content-Length or until the close
    chunk_size,  // a chunk-size line
    chunk_data,  // inside a chunk
    chunk_end,   // the CRLF after a chunk's data
    trailers,    // after the last chunk, up to the empty line
    done,
  };
  enum class Framing : std::uint8_t { none, length, chunked, until_close };

  void parse_head(std::size_t size, boost::system::error_code& ec);
  // The start line, [base, eol): a status line or a request line.
  bool parse_status_line(std::string_view line, boost::system::error_code& ec);
  bool parse_request_line(std::string_view line, boost::system::error_code& ec);
  bool on_field(std::string_view name, std::string_view value, boost::system::error_code& ec);
  void start_body(boost::system::error_code& ec);

  std::size_t header_limit_;
  std::uint64_t body_limit_;
  std::uint64_t length_ = 0;     // Content-Length
  std::uint64_t remaining_ = 0;  // of the body (length framing) or of the current chunk
  std::uint64_t received_ = 0;   // body bytes so far (chunked, until close)
  std::size_t scanned_ = 0;      // head bytes already searched for its end
  std::size_t trailer_bytes_ = 0;
  ResponseFields fields_;
  unsigned status_ = 0;  // answers
  // Requests: the method and the target, as offsets into the head's text.
  std::uint32_t method_size_ = 0;
  std::uint32_t target_at_ = 0;
  std::uint32_t target_size_ = 0;
  unsigned minor_version_ = 1;
  State state_ = State::head;
  Framing framing_ = Framing::none;
  Kind kind_;
  bool head_request_;
  bool got_some_ = false;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  bool chunked_ = false;
  bool close_ = false;
  bool keep_alive_token_ = false;
};

/// The client's parser of an upstream answer.
class ResponseParser : public MessageParser {
 public:
  /// `head_request`: the answer to a HEAD has no body whatever its fields say.
  ResponseParser(std::size_t header_limit, std::uint64_t body_limit,
                 bool head_request = false) noexcept
      : MessageParser(Kind::response, header_limit, body_limit, head_request) {}

  unsigned status() const noexcept { return status_; }
  /// The connection may carry another request once this answer is read.
  bool keep_alive() const noexcept {
    // After 101 the connection speaks another protocol: never back to the pool.
    if (need_eof() || close_ || status_ == 101) return false;
    return minor_version_ >= 1 || keep_alive_token_;
  }
};

/// The listener's parser of a client's request. A request without Content-Length or
/// Transfer-Encoding has no body; a Transfer-Encoding that does not end in chunked, or one next
/// to a Content-Length, is refused (RFC 9112 section 6.3).
class RequestParser : public MessageParser {
 public:
  RequestParser(std::size_t header_limit, std::uint64_t body_limit) noexcept
      : MessageParser(Kind::request, header_limit, body_limit, false) {}

  /// Ready for the next request on the connection; the storage of the last one is reused up to
  /// `keep_capacity` bytes of head.
  void reset(std::size_t keep_capacity) noexcept { reset_state(keep_capacity); }

  /// The method, as sent (a token; case matters).
  std::string_view method() const noexcept { return {head_text(), method_size_}; }
  std::string_view target() const noexcept { return {head_text() + target_at_, target_size_}; }
  /// 10 or 11.
  unsigned version() const noexcept { return 10 + minor_version_; }
  /// The client keeps the connection open after the answer.
  bool keep_alive() const noexcept {
    if (close_) return false;
    return minor_version_ >= 1 || keep_alive_token_;
  }
};

}  // namespace litellm::http
