#include "providers/sse_chat_decoder.hpp"

#include "core/json.hpp"

namespace litellm::providers::detail {
namespace {
// One chunk event is small; 4 MiB leaves room for a whole tool call's arguments in one event
// while bounding what a hostile upstream can make us buffer.
constexpr std::size_t kMaxEventBytes = 4 * 1024 * 1024;
}  // namespace

SseChatDecoder::SseChatDecoder(std::string provider, std::string exception_name, std::string model)
    : provider_(std::move(provider)),
      exception_name_(std::move(exception_name)),
      model_(std::move(model)),
      sse_(kMaxEventBytes) {}

Result<void> SseChatDecoder::feed(std::string_view bytes, std::vector<std::string>& out) {
  if (error_) return *error_;
  if (done_) return {};
  if (auto r = sse_.feed(bytes, events_); !r) return fail(std::move(r).error());
  return drain(out);
}

Result<void> SseChatDecoder::finish(std::vector<std::string>& out) {
  if (error_) return *error_;
  if (!done_) {
    // An unterminated last event is dispatched here; if it does not parse, the body was cut.
    at_end_ = true;
    sse_.finish(events_);
    if (auto r = drain(out); !r) return r;
  }
  if (!done_ && !any_finish_) {
    return fail(
        error(ErrorKind::api_connection, "the stream ended before a finish_reason or [DONE]"));
  }
  end(out);
  return {};
}

Result<void> SseChatDecoder::drain(std::vector<std::string>& out) {
  for (const auto& ev : events_) {
    if (done_) break;
    std::string_view data = ev.data;
    while (!data.empty() && (data.back() == ' ' || data.back() == '\r'))
      data.remove_suffix(1);
    if (data == "[DONE]") {
      done_ = true;
      end(out);
      break;
    }
    if (data.empty()) continue;  // keep-alive
    if (auto r = on_data(ev, data, out); !r) {
      events_.clear();
      return fail(std::move(r).error());
    }
  }
  events_.clear();
  return {};
}

Result<void> SseChatDecoder::fail(Error e) {
  error_ = std::move(e);
  return *error_;
}

void SseChatDecoder::end(std::vector<std::string>& out) {
  if (ended_) return;
  ended_ = true;
  on_end(out);
}

Result<void> SseChatDecoder::bad_event(std::string_view data) const {
  if (at_end_) {
    // A garbled last event after the answer finished costs nothing the client needs.
    if (any_finish_) return {};
    return error(ErrorKind::api_connection, "the stream ended before a finish_reason or [DONE]");
  }
  Error e = error(ErrorKind::api_error, "invalid JSON in the stream");
  e.status = 500;
  e.body = std::string(data.substr(0, 2000));
  return e;
}

bool SseChatDecoder::is_error_event(const http::SseEvent& event, const boost::json::object& o) {
  if (event.event == "error") return true;
  if (core::get_string(o, "object") == std::optional<std::string_view>("error")) return true;
  return core::find(o, "choices") == nullptr &&
         (core::find(o, "error") != nullptr || core::find(o, "message") != nullptr);
}

Error SseChatDecoder::error(ErrorKind kind, std::string_view what) const {
  Error e = Error::make(kind, exception_name_ + " - " + std::string(what));
  e.provider = provider_;
  e.model = model_;
  return e;
}

}  // namespace litellm::providers::detail
