// Incremental Server-Sent Events decoder (WHATWG "event stream" rules): bytes in, in any split,
// events out. Handles \n, \r\n and \r line ends (a \r ending one feed and a \n starting the next
// are one line end), multi-line data (joined with \n), comments (":..."), "event:", "id:",
// "retry:" (parsed and ignored: we never reconnect) and a UTF-8 BOM at the start. Bounded: a line
// or an event longer than `max_event_bytes` is an error, so a hostile upstream cannot grow memory
// forever. The split of the input never changes the events nor whether an error occurs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "litellm/result.hpp"

namespace litellm::http {

struct SseEvent {
  std::string event;  ///< "event:" field; empty means "message"
  std::string data;   ///< "data:" lines joined with '\n'
  std::string id;     ///< the last "id:" seen so far in the stream (it persists across events)

  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

class SseDecoder {
 public:
  explicit SseDecoder(std::size_t max_event_bytes = 8 * 1024 * 1024)
      : max_event_bytes_(max_event_bytes) {}

  /// Feeds bytes; appends every event completed by them to `out`. An error (api_connection,
  /// "SSE event too large") leaves the decoder unusable: later feeds return the same error.
  Result<void> feed(std::string_view bytes, std::vector<SseEvent>& out);

  /// The stream ended. A final event without its blank line is dispatched, as browsers do not,
  /// but as upstreams that forget the last "\n\n" need (e.g. a trailing "data: [DONE]").
  void finish(std::vector<SseEvent>& out);

  /// True once feed() failed.
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  Result<void> feed_lines(std::string_view bytes, std::vector<SseEvent>& out);
  Result<void> process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);
  Result<void> fail();

  std::size_t max_event_bytes_;
  std::string line_;  // partial line carried between feeds
  SseEvent pending_;  // event being assembled (pending_.id is the stream's last event id)
  bool has_data_ = false;
  bool bom_checked_ = false;
  std::size_t bom_matched_ = 0;  // BOM bytes matched so far at the start of the stream
  bool last_was_cr_ = false;     // the previous feed ended with \r: skip a leading \n
  bool failed_ = false;
};

}  // namespace litellm::http
