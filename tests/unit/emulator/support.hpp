// Helpers for the emulator's unit tests: run requests through the pure Service.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "emulator/service.hpp"

namespace litellm::emulator::testing {

namespace json = boost::json;

inline Request post(std::string_view target, std::string_view body,
                    std::string_view auth = "Bearer test-key") {
  Request r;
  r.method = "POST";
  r.target = target;
  r.authorization = auth;
  r.body = body;
  return r;
}

inline Request get(std::string_view target, std::string_view auth = "Bearer test-key") {
  Request r;
  r.method = "GET";
  r.target = target;
  r.authorization = auth;
  return r;
}

/// The whole body of a reply, draining its stream when it has one.
inline std::string drain(Reply& reply) {
  if (!reply.stream) return reply.body;
  std::string all;
  std::string event;
  while (!reply.stream->next(event).done)
    all += event;
  return all;
}

inline json::value body_json(const Reply& reply) {
  return json::parse(reply.body);
}

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(LITELLM_FIXTURES_DIR) + "/emulator/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A Service with a manual clock (created = 1700000000) and the given options.
struct Harness {
  core::ManualClock clock{1'700'000'000};
  Service service;
  explicit Harness(EmulatorOptions o = {}) : service(with_clock(std::move(o), clock)) {}
  static EmulatorOptions with_clock(EmulatorOptions o, core::ManualClock& c) {
    o.clock = &c;
    return o;
  }
  Reply chat(std::string_view body) { return service.handle(post("/v1/chat/completions", body)); }
};

}  // namespace litellm::emulator::testing
