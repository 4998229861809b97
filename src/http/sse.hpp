// Incremental Server-Sent Events decoder (WHATWG "event stream" rules): bytes in, in any split,
// events out. Handles \n, \r\n and \r line ends, multi-line data (joined with \n), comments
// (":..."), "event:", "id:", "retry:" and a UTF-8 BOM at the start. Bounded: a line or an event
// longer than `max_event_bytes` is an error, so a hostile upstream cannot grow memory forever.
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
  std::string id;
};

class SseDecoder {
 public:
  explicit SseDecoder(std::size_t max_event_bytes = 8 * 1024 * 1024)
      : max_event_bytes_(max_event_bytes) {}

  /// Feeds bytes; appends every event completed by them to `out`. An error leaves the decoder
  /// unusable (the stream is broken).
  Result<void> feed(std::string_view bytes, std::vector<SseEvent>& out);

  /// The stream ended. A final event without its blank line is dispatched, as browsers do not,
  /// but as upstreams that forget the last "\n\n" need (e.g. a trailing "data: [DONE]").
  void finish(std::vector<SseEvent>& out);

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;      // partial line carried between feeds
  SseEvent pending_;      // event being assembled
  bool has_data_ = false;
  bool bom_checked_ = false;
  bool last_was_cr_ = false;
};

}  // namespace litellm::http
