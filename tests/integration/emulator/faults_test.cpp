// Every injected fault, observed from a raw socket: what a client of a broken upstream sees.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "emulator/emulator.hpp"
#include "raw_client.hpp"

namespace litellm::emulator {
namespace {

using namespace testing;
namespace json = boost::json;

class EmulatorFaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EmulatorOptions o;
    o.threads = 2;
    emu_ = new Emulator(o);
    ASSERT_TRUE(emu_->start());
  }
  static void TearDownTestSuite() {
    delete emu_;
    emu_ = nullptr;
  }
  void TearDown() override { emu_->set_fault(FaultSpec{}); }

  static RawResult call(const std::string& body, const std::string& fault,
                        Millis deadline = Millis(5000)) {
    std::map<std::string, std::string> h;
    if (!fault.empty()) h["x-emulator-fault"] = fault;
    return roundtrip(emu_->port(), post_request("/v1/chat/completions", body, h), deadline);
  }
  static std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
      ++n;
    return n;
  }

  static Emulator* emu_;
};
Emulator* EmulatorFaults::emu_ = nullptr;

TEST_F(EmulatorFaults, LatencyDelaysTheWholeAnswer) {
  auto r = call(kChat, "latency_ms=200");
  EXPECT_EQ(r.status(), 200u);
  EXPECT_GE(r.first_byte.count(), 190);
  EXPECT_NO_THROW((void)json::parse(r.body()));
}

TEST_F(EmulatorFaults, TimeToFirstTokenDelaysTheFirstEventNotTheHeaders) {
  auto r = call(kStream, "ttft_ms=300");
  ASSERT_EQ(r.status(), 200u);
  Millis first_event{-1};
  for (const auto& a : r.arrivals) {
    if (a.bytes.find("data: ") != std::string::npos) {
      first_event = a.at;
      break;
    }
  }
  EXPECT_GE(first_event.count(), 290);
  // The headers come first; the wait starts after them (a lower bound, so load cannot flake it).
  EXPECT_GE((first_event - r.first_byte).count(), 250);
  EXPECT_NE(r.body().find("data: [DONE]"), std::string::npos);
}

TEST_F(EmulatorFaults, TokensPerSecondPacesTheStream) {
  auto r = call(kStream, "tps=100");
  ASSERT_EQ(r.status(), 200u);
  std::string body = r.body();
  auto usage_at = body.rfind("\"completion_tokens\":");
  ASSERT_NE(usage_at, std::string::npos);
  int tokens = std::stoi(body.substr(usage_at + 20));
  // Each content event waits its tokens / 100 s before it is written.
  EXPECT_GE(r.elapsed.count(), tokens * 10 * 8 / 10);
  EXPECT_GT(r.arrivals.size(), 5u);
}

TEST_F(EmulatorFaults, InjectedStatusesCarryMistralBodiesAndRetryAfter) {
  for (unsigned status : {429u, 500u, 502u, 503u}) {
    auto r = call(kChat, "status=" + std::to_string(status) + ";retry_after=2");
    EXPECT_EQ(r.status(), status);
    auto body = json::parse(r.body());
    EXPECT_EQ(body.at("object"), "error");
    EXPECT_EQ(body.at("raw_status_code"), status);
    if (status == 429) {
      EXPECT_EQ(r.header("retry-after"), "2");
      EXPECT_EQ(body.at("type"), "rate_limited");
    }
  }
}

TEST_F(EmulatorFaults, ResetBeforeTheAnswerSendsNothing) {
  auto r = call(kChat, "reset=before");
  EXPECT_EQ(r.ending, Ending::reset);
  EXPECT_TRUE(r.raw.empty());
}

TEST_F(EmulatorFaults, ResetMidStreamCutsAfterTheGivenEvents) {
  auto r = call(kStream, "reset_after=3");
  EXPECT_EQ(r.ending, Ending::reset);
  EXPECT_EQ(r.status(), 200u);
  EXPECT_EQ(count(r.raw, "data: "), 3u);
  EXPECT_EQ(r.raw.find("[DONE]"), std::string::npos);
}

TEST_F(EmulatorFaults, ResetMidBodyCutsAPlainAnswerInHalf) {
  auto r = call(kChat, "reset=mid");
  EXPECT_EQ(r.ending, Ending::reset);
  EXPECT_EQ(r.status(), 200u);
  EXPECT_THROW((void)json::parse(r.body()), std::exception);
}

TEST_F(EmulatorFaults, StallNeverAnswersAndLeavesTheEmulatorServing) {
  auto r = call(kChat, "stall", Millis(400));
  EXPECT_EQ(r.ending, Ending::timeout);
  EXPECT_TRUE(r.raw.empty());
  auto next = call(kChat, "");
  EXPECT_EQ(next.status(), 200u);
}

TEST_F(EmulatorFaults, StallMidStreamStopsAfterTheGivenEvents) {
  auto r = call(kStream, "stall_after=2", Millis(400));
  EXPECT_EQ(r.ending, Ending::timeout);
  EXPECT_EQ(count(r.raw, "data: "), 2u);
}

TEST_F(EmulatorFaults, MalformedPlainBodyIsNotJson) {
  auto r = call(kChat, "malformed");
  EXPECT_EQ(r.status(), 200u);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_THROW((void)json::parse(r.body()), std::exception);
}

TEST_F(EmulatorFaults, MalformedStreamCarriesAnEventThatIsNotJson) {
  auto r = call(kStream, "malformed");
  ASSERT_EQ(r.status(), 200u);
  std::string body = r.body();
  int bad = 0;
  for (auto p = body.find("data: "); p != std::string::npos; p = body.find("data: ", p + 1)) {
    auto end = body.find("\n\n", p);
    std::string payload = body.substr(p + 6, end - p - 6);
    if (payload == "[DONE]") continue;
    try {
      (void)json::parse(payload);
    } catch (const std::exception&) {
      ++bad;
    }
  }
  EXPECT_EQ(bad, 1);
}

TEST_F(EmulatorFaults, AGlobalFaultAppliesUntilCleared) {
  FaultSpec f;
  f.status = 503;
  emu_->set_fault(f);
  EXPECT_EQ(call(kChat, "").status(), 503u);
  EXPECT_EQ(call(kChat, "none").status(), 200u);  // the header overrides the global spec
  emu_->set_fault(FaultSpec{});
  EXPECT_EQ(call(kChat, "").status(), 200u);
}

}  // namespace
}  // namespace litellm::emulator
