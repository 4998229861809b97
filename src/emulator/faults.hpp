// Fault injection: what can go wrong with an upstream, on demand. A FaultSpec comes from the
// global options (every request) and/or from the `x-emulator-fault` request header (that request
// only; it replaces the global spec field by field). Header syntax, e.g.
//   x-emulator-fault: status=503
//   x-emulator-fault: latency_ms=200; ttft_ms=50; tps=20
//   x-emulator-fault: reset=before | reset_after=3 | stall | stall_after=2 | malformed | none
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "litellm/result.hpp"

namespace litellm::emulator {

enum class ResetMode { none, before, mid };

struct FaultSpec {
  std::chrono::milliseconds latency{0};  ///< before the answer (headers) is sent
  std::chrono::milliseconds ttft{0};     ///< streams: before the first data event
  double tokens_per_second = 0;          ///< streams: pacing of deltas; 0 = as fast as possible
  unsigned status = 0;                   ///< answer this status with Mistral's error body
  std::int64_t retry_after_s = 1;        ///< Retry-After of an injected 429/503
  ResetMode reset = ResetMode::none;     ///< TCP reset before the answer, or mid-body
  int reset_after_events = 2;            ///< mid: events (or half the body) sent before the reset
  bool stall = false;                    ///< never answer (until the client goes away)
  int stall_after_events = -1;           ///< streams: stall after this many events
  bool malformed = false;                ///< 200 with a body that is not valid JSON
  std::int64_t times = 0;                ///< global spec only: first N requests; 0 = all

  /// True when the spec changes anything at all.
  [[nodiscard]] bool active() const noexcept {
    return latency.count() > 0 || ttft.count() > 0 || tokens_per_second > 0 || status != 0 ||
           reset != ResetMode::none || stall || stall_after_events >= 0 || malformed;
  }
};

/// Applies a header value onto `base` (start from the global spec). "none" clears everything.
/// Unknown keys or bad values are an Error naming the offending key.
[[nodiscard]] Result<FaultSpec> parse_fault_header(std::string_view header, FaultSpec base);

}  // namespace litellm::emulator
