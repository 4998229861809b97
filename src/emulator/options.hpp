// EmulatorOptions: everything configurable, as a plain struct with defaults, and its loader for
// `mistral-emulator --config file` (YAML; JSON works too since YAML is a superset). The file
// format is documented in docs/emulator.md; unknown keys are rejected with their path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "emulator/faults.hpp"
#include "litellm/result.hpp"

namespace litellm::emulator {

/// How reasoning models answer: Mistral's current content chunks, or the older
/// "<think>...</think>" inside the text (Magistral 2506).
enum class ReasoningShape { chunks, think_tags };

struct RateLimits {
  std::int64_t requests_per_minute = 0;  ///< 0: not enforced (headers still sent)
  std::int64_t tokens_per_minute = 0;    ///< 0: not enforced (headers still sent)
};

struct EmulatorOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;             ///< 0: pick a free port (see Emulator::port())
  int threads = 1;                    ///< io threads, one io_context each
  std::vector<std::string> api_keys;  ///< accepted bearer keys; empty: any non-empty key
  RateLimits rate_limits;
  FaultSpec fault;  ///< applied to every request; x-emulator-fault overrides per request
  ReasoningShape reasoning_shape = ReasoningShape::chunks;
  bool stream_padding = true;        ///< the live API's "p" padding field on stream chunks
  std::size_t record_requests = 16;  ///< recent requests kept for tests; 0: none
  std::size_t body_limit = 16 * 1024 * 1024;
  core::Clock* clock = nullptr;  ///< time for "created" and rate windows; nullptr: system clock
};

/// Parses a YAML (or JSON) config text. Errors name the offending key.
[[nodiscard]] Result<EmulatorOptions> parse_options(std::string_view text);
/// Reads and parses a config file.
[[nodiscard]] Result<EmulatorOptions> load_options(const std::string& path);

}  // namespace litellm::emulator
