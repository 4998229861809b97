#include "emulator/ratelimit.hpp"

#include <algorithm>
#include <chrono>

namespace litellm::emulator {

RateLimiter::RateLimiter(RateLimits limits, const core::Clock& clock)
    : limits_(limits), clock_(clock), start_(clock.now()) {}

void RateLimiter::roll() {
  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - start_).count();
  std::int64_t w = elapsed / 60;
  if (w != window_) {
    window_ = w;
    requests_ = 0;
    tokens_ = 0;
  }
}

std::optional<std::int64_t> RateLimiter::admit() {
  std::lock_guard lock(mu_);
  roll();
  bool over_req = limits_.requests_per_minute > 0 && requests_ >= limits_.requests_per_minute;
  bool over_tok = limits_.tokens_per_minute > 0 && tokens_ >= limits_.tokens_per_minute;
  if (over_req || over_tok) {
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - start_).count();
    return std::max<std::int64_t>(1, (window_ + 1) * 60 - elapsed);
  }
  ++requests_;
  return std::nullopt;
}

RateSnapshot RateLimiter::charge(std::int64_t tokens) {
  std::lock_guard lock(mu_);
  roll();
  tokens_ += std::max<std::int64_t>(tokens, 0);
  return snapshot_locked();
}

RateSnapshot RateLimiter::snapshot() {
  std::lock_guard lock(mu_);
  roll();
  return snapshot_locked();
}

RateSnapshot RateLimiter::snapshot_locked() const {
  RateSnapshot s;
  s.req_limit = limits_.requests_per_minute > 0 ? limits_.requests_per_minute : kNominalRequests;
  s.tok_limit = limits_.tokens_per_minute > 0 ? limits_.tokens_per_minute : kNominalTokens;
  s.req_remaining = std::max<std::int64_t>(0, s.req_limit - requests_);
  s.tok_remaining = std::max<std::int64_t>(0, s.tok_limit - tokens_);
  return s;
}

}  // namespace litellm::emulator
