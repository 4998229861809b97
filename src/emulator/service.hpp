// The emulator's core: one HTTP request in (already read), one Reply out, with no sockets and no
// waiting. Routing, auth, rate limits, validation, generation and the choice of fault all happen
// here; emulator.cpp only executes the Reply (timing, resets, stalls) on a connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/chat.hpp"
#include "emulator/faults.hpp"
#include "emulator/options.hpp"
#include "emulator/ratelimit.hpp"

namespace litellm::emulator {

struct Request {
  std::string_view method;         ///< "GET", "POST"...
  std::string_view target;         ///< path and query: "/v1/models?x=1"
  std::string_view authorization;  ///< Authorization header value, empty when absent
  std::string_view fault;          ///< x-emulator-fault header value, empty when absent
  std::string_view reasoning;      ///< x-emulator-reasoning header value ("chunks"/"think_tags")
  std::string_view body;
};

struct Reply {
  unsigned status = 200;
  std::string body;                           ///< whole answer, unless `stream` is set
  std::unique_ptr<CompletionStream> stream;   ///< SSE answer (status 200)
  std::optional<std::int64_t> retry_after_s;  ///< Retry-After header
  RateSnapshot rate;                          ///< x-ratelimit-* headers
  std::int64_t query_cost = 0;                ///< x-ratelimit-tokens-query-cost
  FaultSpec fault;                            ///< what emulator.cpp must do to the answer
  std::string request_id;                     ///< mistral-correlation-id
};

class Service {
 public:
  explicit Service(EmulatorOptions options);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// Never throws; every failure is a Reply with Mistral's status and body.
  [[nodiscard]] Reply handle(const Request& request);

  [[nodiscard]] const EmulatorOptions& options() const noexcept { return options_; }

  /// Replaces the global fault spec (and restarts its `times` count). Thread-safe.
  void set_global_fault(const FaultSpec& fault);

 private:
  Reply dispatch(const Request& r, Reply reply);
  Reply chat(const Request& r, bool fim, Reply reply);
  Reply embed(const Request& r, Reply reply);
  std::optional<ErrorReply> authorize(std::string_view authorization, const std::string& id) const;

  EmulatorOptions options_;
  const core::Clock& clock_;
  RateLimiter limiter_;
  std::atomic<std::uint64_t> counter_{0};
  std::atomic<std::int64_t> global_fault_uses_{0};
  std::atomic<bool> global_fault_active_{false};  // lets the common case skip the mutex
  std::mutex fault_mu_;
  FaultSpec global_fault_;
};

}  // namespace litellm::emulator
