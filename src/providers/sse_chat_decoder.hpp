// What every provider's stream decoder shares: SSE framing, [DONE], the end-of-stream rules
// (a cut before any finish_reason is an api_connection Error), error stickiness and usage.
// A provider implements on_data() for one event and, optionally, on_end().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "http/sse.hpp"
#include "providers/adapter.hpp"

namespace litellm::providers::detail {

class SseChatDecoder : public ChatStreamDecoder {
 public:
  Result<void> feed(std::string_view bytes, std::vector<std::string>& out) final;
  Result<void> finish(std::vector<std::string>& out) final;
  const boost::json::object* usage() const noexcept final { return usage_ ? &*usage_ : nullptr; }

 protected:
  SseChatDecoder(std::string provider, std::string exception_name, std::string model);

  /// One event with data (not "[DONE]", not blank). An Error ends the stream.
  virtual Result<void> on_data(const http::SseEvent& event, std::string_view data,
                               std::vector<std::string>& out) = 0;
  /// The stream ended well ([DONE], or the body ended after a finish_reason). Called once.
  virtual void on_end(std::vector<std::string>& /*out*/) {}

  /// An event whose data is not a JSON object: at the end of a stream cut mid-event it is the
  /// cut (or nothing, when the answer had finished); otherwise an api_error.
  Result<void> bad_event(std::string_view data) const;
  /// Whether a parsed event is an error object rather than a chunk.
  static bool is_error_event(const http::SseEvent& event, const boost::json::object& o);
  /// A chunk carried a finish_reason: the answer is complete even if the body is cut later.
  void saw_finish() noexcept { any_finish_ = true; }
  Error error(ErrorKind kind, std::string_view what) const;

  std::string provider_;
  std::string exception_name_;
  std::string model_;
  std::optional<boost::json::object> usage_;

 private:
  Result<void> drain(std::vector<std::string>& out);
  Result<void> fail(Error e);
  void end(std::vector<std::string>& out);

  http::SseDecoder sse_;
  std::vector<http::SseEvent> events_;
  std::optional<Error> error_;
  bool done_ = false;
  bool ended_ = false;
  bool at_end_ = false;
  bool any_finish_ = false;
};

}  // namespace litellm::providers::detail
