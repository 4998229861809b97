// Helpers for the provider adapter tests: fixture files, targets, error expectations and stream
// feeding in arbitrary splits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "providers/adapter.hpp"

namespace litellm::providers::testing {

namespace json = boost::json;

std::filesystem::path fixtures_dir();
std::string read_file(const std::filesystem::path& p);
json::value read_json(const std::filesystem::path& p);
json::object parse_object(std::string_view text);

std::string_view kind_name(ErrorKind k);

/// A Mistral target: model mistral-small-latest, api_base https://api.mistral.ai/v1, key
/// "test-key", overridden by the fields of `spec` (model, api_base, api_key, drop_params,
/// reasoning, reasoning_prompt). ModelInfo comes from the registry for "mistral/<model>".
Target mistral_target(const json::object* spec = nullptr);

/// Checks each field `expected` names: kind, status, message, message_contains, param, code,
/// provider, model, retry_after_ms. Returns a description of the mismatches ("" when none).
std::string error_mismatch(const Error& e, const json::object& expected);

/// How to cut a byte stream into feed() calls.
enum class Split { whole, one_byte, random };

struct StreamOutcome {
  std::vector<json::object> chunks;
  bool ok = true;
  Error error;
  std::optional<json::object> usage;
};

/// Feeds `bytes` to a fresh decoder in the given split (random: seeded), then finish().
StreamOutcome run_stream(const ProviderAdapter& adapter, const json::object& request,
                         const Target& target, std::string_view bytes, Split split,
                         std::uint64_t seed = 1);

std::string pretty(const json::value& v);

}  // namespace litellm::providers::testing
