#include "http/sse.hpp"

#include <string>
#include <utility>

#include "core/ascii.hpp"

namespace litellm::http {

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}  // namespace

Result<void> SseDecoder::fail() {
  failed_ = true;
  line_.clear();
  line_.shrink_to_fit();
  pending_ = {};
  return Error::make(ErrorKind::api_connection, "SSE line or event larger than " +
                                                    std::to_string(max_event_bytes_) +
                                                    " bytes; the stream was abandoned");
}

Result<void> SseDecoder::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (failed_) return fail();
  if (!bom_checked_) {
    // The BOM may arrive one byte per feed: bytes that still match it are held back (as a count)
    // until it is complete or refuted.
    std::size_t i = 0;
    while (i < bytes.size() && bom_matched_ < kBom.size() && bytes[i] == kBom[bom_matched_]) {
      ++i;
      ++bom_matched_;
    }
    if (bom_matched_ == kBom.size()) {
      bom_checked_ = true;
      bytes.remove_prefix(i);
    } else if (i < bytes.size()) {
      bom_checked_ = true;
      bytes.remove_prefix(i);
      if (bom_matched_ > 0) {
        auto r = feed_lines(kBom.substr(0, bom_matched_), out);
        if (!r) return r;
      }
    } else {
      return {};
    }
  }
  return feed_lines(bytes, out);
}

Result<void> SseDecoder::feed_lines(std::string_view bytes, std::vector<SseEvent>& out) {
  std::size_t pos = 0;
  if (last_was_cr_ && !bytes.empty()) {
    last_was_cr_ = false;
    if (bytes.front() == '\n') pos = 1;
  }
  while (pos < bytes.size()) {
    const std::size_t end = core::find_either(bytes, '\n', '\r', pos);
    if (end == std::string_view::npos) {
      const std::string_view rest = bytes.substr(pos);
      if (line_.size() + rest.size() > max_event_bytes_) return fail();
      line_.append(rest);
      return {};
    }
    std::string_view line = bytes.substr(pos, end - pos);
    if (line_.size() + line.size() > max_event_bytes_) return fail();
    if (!line_.empty()) {
      line_.append(line);
      line = line_;
    }
    auto r = process_line(line, out);
    if (!r) return r;
    line_.clear();
    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos == bytes.size()) {
        last_was_cr_ = true;
      } else if (bytes[pos] == '\n') {
        ++pos;
      }
    }
  }
  return {};
}

Result<void> SseDecoder::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return {};
  }
  if (line.front() == ':') return {};  // comment (keep-alive pings)
  const std::size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) pending_.data.push_back('\n');
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    pending_.event.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) pending_.id.assign(value);
  }
  // "retry" sets a reconnection delay; we never reconnect a model stream, and unknown fields are
  // ignored by the standard.
  if (pending_.data.size() + pending_.event.size() + pending_.id.size() > max_event_bytes_) {
    return fail();
  }
  return {};
}

void SseDecoder::dispatch(std::vector<SseEvent>& out) {
  if (!has_data_) {
    pending_.event.clear();
    return;
  }
  out.push_back(SseEvent{std::move(pending_.event), std::move(pending_.data), pending_.id});
  pending_.event.clear();
  pending_.data.clear();
  has_data_ = false;
}

void SseDecoder::finish(std::vector<SseEvent>& out) {
  if (failed_) return;
  if (!bom_checked_) {
    bom_checked_ = true;
    if (bom_matched_ > 0 && !feed_lines(kBom.substr(0, bom_matched_), out)) return;
  }
  last_was_cr_ = false;
  if (!line_.empty()) {
    const std::string line = std::move(line_);
    line_.clear();
    if (!process_line(line, out)) return;
  }
  dispatch(out);
}

}  // namespace litellm::http
