// The gateway: LiteLLM's proxy endpoints over the shared router, on the shared listener.
//
// Threads: `num_workers` io_contexts, one thread each. Each worker owns an http::Client (its
// keep-alive pool to the upstreams), so a request is served start to finish on one thread with no
// locks on the hot path; the Router's per-deployment counters are the only shared state.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway/config.hpp"
#include "litellm/result.hpp"

namespace litellm::gateway {

struct GatewayOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;
  int num_workers = 0;          ///< 0: one per core
  bool detailed_debug = false;  ///< log every request (off the hot path otherwise)
  std::size_t max_request_bytes = 16 * 1024 * 1024;
  /// Quick start (`litellm --model X`): every request goes to this model group.
  std::string force_model;
};

class Gateway {
 public:
  Gateway(GatewayConfig config, GatewayOptions options);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  /// Binds and starts the worker threads. Returns the bound port.
  Result<std::uint16_t> start();
  /// Stops accepting, finishes in-flight requests and streams for up to `bound`, then stops.
  /// Blocks until done.
  void drain(std::chrono::milliseconds bound);
  /// Stops now.
  void stop();
  /// Blocks until the workers exit (after drain or stop).
  void wait();
  std::uint16_t port() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::gateway
