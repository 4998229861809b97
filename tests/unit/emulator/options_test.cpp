#include <gtest/gtest.h>

#include "emulator/faults.hpp"
#include "emulator/options.hpp"

namespace litellm::emulator {
namespace {

TEST(EmulatorOptionsFile, ParsesEveryDocumentedKey) {
  auto o = parse_options(R"(
host: 127.0.0.1
port: 8080
threads: 2
api_keys: [sk-a, sk-b]
rate_limits: {requests_per_minute: 60, tokens_per_minute: 50000}
reasoning_shape: think_tags
stream_padding: false
record_requests: 4
fault: {latency_ms: 20, ttft_ms: 5, tokens_per_second: 100, status: 503, retry_after_s: 3,
        reset: mid, reset_after_events: 4, stall: false, malformed: false, times: 2}
)");
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->port, 8080);
  EXPECT_EQ(o->threads, 2);
  EXPECT_EQ(o->api_keys.size(), 2u);
  EXPECT_EQ(o->rate_limits.tokens_per_minute, 50000);
  EXPECT_EQ(o->reasoning_shape, ReasoningShape::think_tags);
  EXPECT_FALSE(o->stream_padding);
  EXPECT_EQ(o->fault.latency.count(), 20);
  EXPECT_EQ(o->fault.status, 503u);
  EXPECT_EQ(o->fault.reset, ResetMode::mid);
  EXPECT_EQ(o->fault.times, 2);
}

TEST(EmulatorOptionsFile, AcceptsJsonAndAnEmptyFile) {
  auto o = parse_options(R"({"port": 9000, "api_keys": ["k"]})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->port, 9000);
  EXPECT_TRUE(parse_options(""));
}

TEST(EmulatorOptionsFile, RejectsUnknownKeysWithTheirPath) {
  auto o = parse_options("rate_limits: {rpm: 3}\n");
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("rate_limits.rpm"), std::string::npos);
  EXPECT_FALSE(parse_options("fault: {status: 200}\n"));
  EXPECT_FALSE(parse_options("threads: many\n"));
}

TEST(EmulatorFaultHeader, ParsesEveryKeyAndOverridesTheBase) {
  FaultSpec base;
  base.status = 500;
  auto f = parse_fault_header(
      "latency_ms=10; ttft_ms=20, tps=2.5; reset_after=3; stall_after=4; malformed", base);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 500u);
  EXPECT_EQ(f->latency.count(), 10);
  EXPECT_EQ(f->ttft.count(), 20);
  EXPECT_DOUBLE_EQ(f->tokens_per_second, 2.5);
  EXPECT_EQ(f->reset, ResetMode::mid);
  EXPECT_EQ(f->reset_after_events, 3);
  EXPECT_EQ(f->stall_after_events, 4);
  EXPECT_TRUE(f->malformed);
  auto cleared = parse_fault_header("none", base);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->active());
  EXPECT_FALSE(parse_fault_header("status=200", {}));
  EXPECT_FALSE(parse_fault_header("latency_ms=-1", {}));
  EXPECT_FALSE(parse_fault_header("reset=sideways", {}));
}

}  // namespace
}  // namespace litellm::emulator
