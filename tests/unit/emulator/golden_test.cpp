// Golden files pin what the emulator puts on the wire: Mistral's error bodies and the exact
// bytes of a stream. Regenerate after an intended change with
//   LITELLM_UPDATE_GOLDEN=1 build/tests/unit/emulator/unit_emulator
//   --gtest_filter='EmulatorGolden*'
// and review the diff of tests/fixtures/emulator/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "support.hpp"

namespace litellm::emulator {
namespace {

using testing::Harness;
using testing::post;
using testing::read_fixture;
namespace json = boost::json;

bool updating() {
  return std::getenv("LITELLM_UPDATE_GOLDEN") != nullptr;
}

void write_fixture(const std::string& name, const std::string& bytes) {
  std::ofstream out(std::string(LITELLM_FIXTURES_DIR) + "/emulator/" + name, std::ios::binary);
  out << bytes;
}

// Compares parsed JSON (key order and spacing do not matter) and the status.
void expect_golden_json(const std::string& name, const Reply& r, unsigned status) {
  EXPECT_EQ(r.status, status) << name;
  if (updating()) write_fixture(name, json::serialize(json::parse(r.body)) + "\n");
  std::string expected = read_fixture(name);
  ASSERT_FALSE(expected.empty()) << "missing fixture " << name;
  EXPECT_EQ(json::parse(r.body), json::parse(expected)) << name << "\n" << r.body;
}

// Compares bytes exactly: the streaming format is part of the contract.
void expect_golden_bytes(const std::string& name, const std::string& bytes) {
  if (updating()) write_fixture(name, bytes);
  std::string expected = read_fixture(name);
  ASSERT_FALSE(expected.empty()) << "missing fixture " << name;
  EXPECT_EQ(bytes, expected) << name;
}

TEST(EmulatorGolden, ValidationErrorIs422WithDetailInsideMessage) {
  Harness h;
  expect_golden_json(
      "errors/validation_422.json",
      h.chat(R"({"model":"mistral-small-latest","stream_options":{"include_usage":true},
                       "messages":[{"role":"user","content":"hi","name":"bob"}],"max_completion_tokens":5})"),
      422);
}

TEST(EmulatorGolden, UnauthorizedIs401WithMessageAndRequestId) {
  Harness h;
  expect_golden_json("errors/unauthorized_401.json",
                     h.service.handle(post("/v1/chat/completions", "{}", "")), 401);
}

TEST(EmulatorGolden, UnknownModelIs400InvalidModel) {
  Harness h;
  expect_golden_json("errors/invalid_model_400.json",
                     h.chat(R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})"),
                     400);
}

TEST(EmulatorGolden, ContextLengthIs400Code3051) {
  Harness h;
  std::string big(200'000, 'x');
  expect_golden_json("errors/context_length_400.json",
                     h.chat(R"({"model":"open-mistral-7b","messages":[{"role":"user","content":")" +
                            big + R"("}]})"),
                     400);
}

TEST(EmulatorGolden, BadToolCallIdIs400Code3280) {
  Harness h;
  expect_golden_json(
      "errors/bad_tool_call_id_400.json",
      h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
                       {"role":"assistant","tool_calls":[{"id":"call_0","function":{"name":"f","arguments":"{}"}}]},
                       {"role":"tool","tool_call_id":"call_0","content":"ok"}]})"),
      400);
}

TEST(EmulatorGolden, RateLimitIs429RateLimited) {
  EmulatorOptions o;
  o.rate_limits.requests_per_minute = 1;
  Harness h(o);
  std::string body =
      R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"}]})";
  ASSERT_EQ(h.chat(body).status, 200u);
  Reply r = h.chat(body);
  expect_golden_json("errors/rate_limited_429.json", r, 429);
  EXPECT_EQ(r.retry_after_s.value_or(0), 60);
}

TEST(EmulatorGolden, ChatStreamBytes) {
  Harness h;
  Reply r = h.chat(
      R"({"model":"mistral-small-latest","stream":true,"max_tokens":12,"messages":[{"role":"user","content":"Say hi"}]})");
  expect_golden_bytes("stream/chat.sse", testing::drain(r));
}

TEST(EmulatorGolden, ToolCallStreamBytes) {
  Harness h;
  Reply r = h.chat(R"({"model":"mistral-small-latest","stream":true,"tool_choice":"any",
      "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
        "properties":{"city":{"type":"string"}},"required":["city"]}}}],
      "messages":[{"role":"user","content":"Weather in Paris?"}]})");
  expect_golden_bytes("stream/tool_call.sse", testing::drain(r));
}

TEST(EmulatorGolden, MagistralStreamBytes) {
  Harness h;
  Reply r = h.chat(
      R"({"model":"magistral-medium-2506","stream":true,"max_tokens":16,"messages":[{"role":"user","content":"2+2?"}]})");
  expect_golden_bytes("stream/magistral.sse", testing::drain(r));
}

}  // namespace
}  // namespace litellm::emulator
