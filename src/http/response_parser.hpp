// The client's parser of HTTP/1.1 responses (RFC 9112): the head once all of it arrived, then the
// body as it arrives, framed by Content-Length, chunked transfer coding or the connection's close.
//
// Why not Beast's response parser, which the client used before: on the gateway's hot path it
// took ~10k instructions for the head of a Mistral answer (8 fields), one sixth of a proxied
// request: fields tokenized a byte at a time, classified by name, each stored in its own node of a
// tree and a list, and then scanned again by the router. Here the head, bounded by the header
// limit, is copied once and split into lines with memchr; names are lower-cased in place and the
// fields are offsets into that copy (ResponseFields).
//
// Errors are Beast's http::error codes, so the client's messages stay as they were: bad_version,
// bad_status, bad_field, bad_value, bad_line_ending, bad_content_length,
// bad_transfer_encoding, bad_chunk, header_limit, body_limit, partial_message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "http/response_fields.hpp"

namespace litellm::http {

class ResponseParser {
 public:
  /// `head_request`: the answer to a HEAD has no body whatever its fields say.
  ResponseParser(std::size_t header_limit, std::uint64_t body_limit,
                 bool head_request = false) noexcept
      : header_limit_(header_limit), body_limit_(body_limit), head_request_(head_request) {}

  /// Parses the head when `in` (everything received so far, from the response's first byte)
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
  unsigned status() const noexcept { return status_; }
  ResponseFields& fields() noexcept { return fields_; }
  /// The body's length when Content-Length frames it (not for HEAD, 204, 304 or with chunked).
  std::optional<std::uint64_t> content_length() const noexcept {
    if (framing_ == Framing::length) return length_;
    return std::nullopt;
  }
  /// The body runs until the server closes the connection.
  bool need_eof() const noexcept { return framing_ == Framing::until_close; }
  /// The connection may carry another request once this answer is read.
  bool keep_alive() const noexcept {
    // After 101 the connection speaks another protocol: never back to the pool.
    if (need_eof() || close_ || status_ == 101) return false;
    return minor_version_ >= 1 || keep_alive_token_;
  }

 private:
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
  unsigned status_ = 0;
  unsigned minor_version_ = 1;
  State state_ = State::head;
  Framing framing_ = Framing::none;
  bool head_request_;
  bool got_some_ = false;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  bool chunked_ = false;
  bool close_ = false;
  bool keep_alive_token_ = false;
};

}  // namespace litellm::http
