// The per-minute request and token budget, as Mistral enforces and reports it
// (x-ratelimit-{limit,remaining}-req-minute, x-ratelimit-{limit,remaining}-tokens-minute).
// One budget for the whole emulator, in fixed one-minute windows measured on the injected Clock.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "core/clock.hpp"
#include "emulator/options.hpp"

namespace litellm::emulator {

struct RateSnapshot {
  std::int64_t req_limit = 0;
  std::int64_t req_remaining = 0;
  std::int64_t tok_limit = 0;
  std::int64_t tok_remaining = 0;
};

class RateLimiter {
 public:
  /// Limits shown in headers when none are configured (nothing is enforced then).
  static constexpr std::int64_t kNominalRequests = 1'000'000;
  static constexpr std::int64_t kNominalTokens = 1'000'000'000;

  RateLimiter(RateLimits limits, const core::Clock& clock);

  /// Counts one request. Returns the Retry-After seconds when the budget is spent (the request
  /// is then not counted), nullopt when admitted.
  [[nodiscard]] std::optional<std::int64_t> admit();
  /// Adds a request's tokens (prompt + completion) to the current window and returns the
  /// window's state after it, for the response headers.
  RateSnapshot charge(std::int64_t tokens);
  [[nodiscard]] RateSnapshot snapshot();

 private:
  void roll();                           // moves to the current window; mu_ held
  RateSnapshot snapshot_locked() const;  // mu_ held

  RateLimits limits_;
  const core::Clock& clock_;
  core::Clock::time_point start_;
  std::mutex mu_;
  std::int64_t window_ = 0;
  std::int64_t requests_ = 0;
  std::int64_t tokens_ = 0;
};

}  // namespace litellm::emulator
