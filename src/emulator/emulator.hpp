// mistral-emulator as an embeddable server: Mistral's HTTP API on loopback, deterministic, with
// fault injection. Tests start one on port 0:
//
//   litellm::emulator::Emulator emu({});          // any bearer key, no faults
//   auto port = emu.start().value();              // runs its own io threads
//   client.base_url = emu.base_url();             // "http://127.0.0.1:<port>/v1"
//   ...
//   EXPECT_EQ(emu.requests_seen(), 1u);
//   auto last = emu.last_request();               // what the upstream received
//
// See docs/emulator.md for behaviour, the config file and the x-emulator-fault header.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/faults.hpp"
#include "emulator/options.hpp"
#include "litellm/result.hpp"

namespace litellm::emulator {

/// One request as the emulator received it.
struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string fault;  ///< x-emulator-fault header
  std::string body;
};

class Emulator {
 public:
  explicit Emulator(EmulatorOptions options = {});
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Binds, listens and starts `threads` io threads. Returns the bound port.
  Result<std::uint16_t> start();
  /// Stops accepting, closes every connection and joins the threads. Idempotent.
  void stop();

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:<port>/v1": what an OpenAI-style client or the gateway uses as api_base.
  [[nodiscard]] std::string base_url() const;
  /// "http://127.0.0.1:<port>": what the Mistral SDK takes as serverURL.
  [[nodiscard]] std::string server_url() const;

  /// Replaces the global fault spec at run time (tests toggle upstream trouble).
  void set_fault(const FaultSpec& fault);

  /// Requests received (every route, every outcome).
  [[nodiscard]] std::uint64_t requests_seen() const noexcept;
  /// The latest request, when recording is on (options.record_requests > 0).
  [[nodiscard]] std::optional<RecordedRequest> last_request() const;
  /// The body of the latest request ("" when none).
  [[nodiscard]] std::string last_request_body() const;
  /// Up to options.record_requests latest requests, oldest first.
  [[nodiscard]] std::vector<RecordedRequest> recent_requests() const;
  /// Forgets recorded requests and zeroes requests_seen().
  void clear_recorded();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::emulator
