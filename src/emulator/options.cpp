#include "emulator/options.hpp"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace litellm::emulator {

namespace {

Error config_error(const std::string& message) {
  return Error::make(ErrorKind::bad_request, "emulator config: " + message);
}

// yaml-cpp reports conversions by throwing; config loading is not a request path, and every
// throw is caught in parse_options and turned into an Error.
template <class T>
T as(const YAML::Node& n, const std::string& path) {
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    throw std::runtime_error(path + " has the wrong type");
  }
}

void check_keys(const YAML::Node& n, const std::string& path,
                std::initializer_list<std::string_view> allowed) {
  if (!n.IsMap()) throw std::runtime_error(path + " must be a mapping");
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    bool ok = false;
    for (auto a : allowed)
      ok = ok || a == key;
    if (!ok) throw std::runtime_error("unknown key " + (path.empty() ? key : path + "." + key));
  }
}

FaultSpec parse_fault(const YAML::Node& n) {
  check_keys(n, "fault",
             {"latency_ms", "ttft_ms", "tokens_per_second", "status", "retry_after_s", "reset",
              "reset_after_events", "stall", "stall_after_events", "malformed", "times"});
  FaultSpec f;
  if (n["latency_ms"])
    f.latency = std::chrono::milliseconds(as<std::int64_t>(n["latency_ms"], "fault.latency_ms"));
  if (n["ttft_ms"])
    f.ttft = std::chrono::milliseconds(as<std::int64_t>(n["ttft_ms"], "fault.ttft_ms"));
  if (n["tokens_per_second"])
    f.tokens_per_second = as<double>(n["tokens_per_second"], "fault.tokens_per_second");
  if (n["status"]) f.status = as<unsigned>(n["status"], "fault.status");
  if (n["retry_after_s"])
    f.retry_after_s = as<std::int64_t>(n["retry_after_s"], "fault.retry_after_s");
  if (n["reset"]) {
    auto r = as<std::string>(n["reset"], "fault.reset");
    if (r == "before") {
      f.reset = ResetMode::before;
    } else if (r == "mid") {
      f.reset = ResetMode::mid;
    } else if (r != "none") {
      throw std::runtime_error("fault.reset must be none, before or mid");
    }
  }
  if (n["reset_after_events"])
    f.reset_after_events = as<int>(n["reset_after_events"], "fault.reset_after_events");
  if (n["stall"]) f.stall = as<bool>(n["stall"], "fault.stall");
  if (n["stall_after_events"])
    f.stall_after_events = as<int>(n["stall_after_events"], "fault.stall_after_events");
  if (n["malformed"]) f.malformed = as<bool>(n["malformed"], "fault.malformed");
  if (n["times"]) f.times = as<std::int64_t>(n["times"], "fault.times");
  if (f.latency.count() < 0 || f.ttft.count() < 0 || f.tokens_per_second < 0 || f.times < 0) {
    throw std::runtime_error("fault values must not be negative");
  }
  if (f.status != 0 && (f.status < 400 || f.status > 599)) {
    throw std::runtime_error("fault.status must be 400..599");
  }
  return f;
}

}  // namespace

Result<EmulatorOptions> parse_options(std::string_view text) {
  EmulatorOptions o;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root || root.IsNull()) return o;
    check_keys(root, "",
               {"host", "port", "threads", "api_keys", "rate_limits", "fault", "reasoning_shape",
                "stream_padding", "record_requests", "body_limit"});
    if (root["host"]) o.host = as<std::string>(root["host"], "host");
    if (root["port"]) o.port = as<std::uint16_t>(root["port"], "port");
    if (root["threads"]) o.threads = as<int>(root["threads"], "threads");
    if (o.threads < 1 || o.threads > 64) throw std::runtime_error("threads must be 1..64");
    if (auto keys = root["api_keys"]) {
      if (!keys.IsSequence()) throw std::runtime_error("api_keys must be a list");
      for (const auto& k : keys)
        o.api_keys.push_back(as<std::string>(k, "api_keys[]"));
    }
    if (auto rl = root["rate_limits"]) {
      check_keys(rl, "rate_limits", {"requests_per_minute", "tokens_per_minute"});
      if (rl["requests_per_minute"]) {
        o.rate_limits.requests_per_minute =
            as<std::int64_t>(rl["requests_per_minute"], "rate_limits.requests_per_minute");
      }
      if (rl["tokens_per_minute"]) {
        o.rate_limits.tokens_per_minute =
            as<std::int64_t>(rl["tokens_per_minute"], "rate_limits.tokens_per_minute");
      }
    }
    if (auto f = root["fault"]) o.fault = parse_fault(f);
    if (root["reasoning_shape"]) {
      auto s = as<std::string>(root["reasoning_shape"], "reasoning_shape");
      if (s == "chunks") {
        o.reasoning_shape = ReasoningShape::chunks;
      } else if (s == "think_tags") {
        o.reasoning_shape = ReasoningShape::think_tags;
      } else {
        throw std::runtime_error("reasoning_shape must be chunks or think_tags");
      }
    }
    if (root["stream_padding"])
      o.stream_padding = as<bool>(root["stream_padding"], "stream_padding");
    if (root["record_requests"]) {
      o.record_requests = as<std::size_t>(root["record_requests"], "record_requests");
    }
    if (root["body_limit"]) o.body_limit = as<std::size_t>(root["body_limit"], "body_limit");
  } catch (const YAML::Exception& e) {
    return config_error(e.what());
  } catch (const std::exception& e) {
    return config_error(e.what());
  }
  return o;
}

Result<EmulatorOptions> load_options(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return config_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_options(ss.str());
}

}  // namespace litellm::emulator
