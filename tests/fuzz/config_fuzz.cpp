// Fuzz target: any bytes as a config.yaml. Loading must return (a config or an Error) without
// crashing, hanging or growing memory without bound; env_references() likewise.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  litellm::gateway::LoadOptions options;
  options.export_environment = false;  // fuzz inputs must not change the fuzzer's environment
  options.strict = size % 2 == 1;      // both modes, one load per input
  auto cfg = litellm::gateway::load_config_text(text, options, "fuzz");
  if (cfg) (void)litellm::gateway::startup_lines(*cfg);
  (void)litellm::gateway::env_references(text);
  return 0;
}
