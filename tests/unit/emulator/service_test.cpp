#include <gtest/gtest.h>

#include <string>

#include "support.hpp"

namespace litellm::emulator {
namespace {

using testing::body_json;
using testing::drain;
using testing::get;
using testing::Harness;
using testing::post;
namespace json = boost::json;

constexpr std::string_view kHello =
    R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello there"}]})";

TEST(EmulatorService, AnswersAChatCompletionWithConsistentUsage) {
  Harness h;
  Reply r = h.chat(kHello);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = body_json(r);
  EXPECT_EQ(v.at("object"), "chat.completion");
  EXPECT_EQ(v.at("created"), 1'700'000'000);
  const auto& usage = v.at("usage");
  EXPECT_EQ(usage.at("total_tokens").as_int64(),
            usage.at("prompt_tokens").as_int64() + usage.at("completion_tokens").as_int64());
  // 3 + (4 + ceil(11/4)) = 10: the documented token rule.
  EXPECT_EQ(usage.at("prompt_tokens"), 10);
  EXPECT_EQ(r.query_cost, usage.at("total_tokens").as_int64());
}

TEST(EmulatorService, GivesTheSameAnswerToTheSameRequestAndAnotherForAnotherSeed) {
  Harness h;
  auto a = body_json(h.chat(kHello));
  auto b = body_json(h.chat(kHello));
  EXPECT_EQ(a, b);
  auto c = body_json(h.chat(
      R"({"model":"mistral-small-latest","random_seed":42,"messages":[{"role":"user","content":"Hello there"}]})"));
  EXPECT_NE(a.at("choices"), c.at("choices"));
}

TEST(EmulatorService, StreamsExactlyTheTextOfThePlainAnswer) {
  Harness h;
  auto plain = body_json(h.chat(kHello));
  Reply r = h.chat(
      R"({"model":"mistral-small-latest","stream":true,"messages":[{"role":"user","content":"Hello there"}]})");
  ASSERT_TRUE(r.stream);
  std::string event;
  std::string text;
  json::value last;
  int events = 0;
  while (!r.stream->next(event).done) {
    ++events;
    ASSERT_EQ(event.substr(0, 6), "data: ");
    ASSERT_EQ(event.substr(event.size() - 2), "\n\n");
    std::string_view payload = std::string_view(event).substr(6, event.size() - 8);
    if (payload == "[DONE]") break;
    last = json::parse(payload);
    const auto& delta = last.at("choices").at(0).at("delta");
    if (const auto* c = delta.as_object().if_contains("content"); c && c->is_string()) {
      text += c->as_string();
    }
  }
  EXPECT_GT(events, 4);
  EXPECT_EQ(text, plain.at("choices").at(0).at("message").at("content").as_string());
  EXPECT_EQ(last.at("usage"), plain.at("usage"));
  EXPECT_EQ(last.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_TRUE(r.stream->next(event).done);
}

TEST(EmulatorService, HonoursMaxTokensWithFinishReasonLength) {
  Harness h;
  auto v = body_json(h.chat(
      R"({"model":"mistral-small-latest","max_tokens":4,"messages":[{"role":"user","content":"Hello there"}]})"));
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "length");
  EXPECT_LE(v.at("usage").at("completion_tokens").as_int64(), 4);
  auto zero = body_json(h.chat(
      R"({"model":"mistral-small-latest","max_tokens":0,"messages":[{"role":"user","content":"Hello there"}]})"));
  EXPECT_EQ(zero.at("choices").at(0).at("message").at("content"), "");
  EXPECT_EQ(zero.at("usage").at("completion_tokens"), 0);
}

TEST(EmulatorService, StopsBeforeTheFirstStopSequence) {
  Harness h;
  auto full = body_json(h.chat(kHello)).at("choices").at(0).at("message").at("content").as_string();
  std::string word = std::string(full).substr(std::string(full).find(' ') + 1, 3);
  std::string body = R"({"model":"mistral-small-latest","stop":[")" + word +
                     R"("],"messages":[{"role":"user","content":"Hello there"}]})";
  auto v = body_json(h.chat(body));
  std::string content(v.at("choices").at(0).at("message").at("content").as_string());
  EXPECT_EQ(content.find(word), std::string::npos);
  EXPECT_EQ(content, std::string(full).substr(0, std::string(full).find(word)));
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "stop");
}

TEST(EmulatorService, RejectsAPromptOverTheContextWindow) {
  Harness h;
  std::string big(140'000, 'a');  // 35,000 tokens > open-mistral-7b's 32,000
  std::string body =
      R"({"model":"open-mistral-7b","messages":[{"role":"user","content":")" + big + R"("}]})";
  Reply r = h.chat(body);
  EXPECT_EQ(r.status, 400u);
  auto v = body_json(r);
  EXPECT_EQ(v.at("code"), "3051");
  EXPECT_NE(std::string(v.at("message").as_string()).find("too large for model with 32000 maximum"),
            std::string::npos);
}

TEST(EmulatorService, RejectsABadToolCallIdWithCode3280) {
  Harness h;
  Reply r = h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"call_123","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_123","content":"ok"}]})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_json(r).at("code"), "3280");
}

TEST(EmulatorService, RejectsAToolResultWithoutAMatchingCall) {
  Harness h;
  Reply r = h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"abcDEF123","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"zzzZZZ999","content":"ok"}]})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_json(r).at("message"), "Unexpected tool call id zzzZZZ999 in tool results");
  Reply missing =
      h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"abcDEF123","function":{"name":"f","arguments":"{}"}}]},
      {"role":"user","content":"and?"}]})");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(body_json(missing).at("message"),
            "Not the same number of function calls and responses");
}

TEST(EmulatorService, RejectsAConversationEndingWithTheAssistant) {
  Harness h;
  Reply r = h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
      {"role":"assistant","content":"y"}]})");
  EXPECT_EQ(r.status, 400u);
  Reply prefix =
      h.chat(R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"},
      {"role":"assistant","content":"Once upon","prefix":true}]})");
  ASSERT_EQ(prefix.status, 200u);
  std::string content(
      body_json(prefix).at("choices").at(0).at("message").at("content").as_string());
  EXPECT_EQ(content.rfind("Once upon ", 0), 0u);
}

TEST(EmulatorService, RejectsUnknownModelsAndModelsOfTheWrongKind) {
  Harness h;
  Reply r = h.chat(R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_json(r).at("type"), "invalid_model");
  EXPECT_EQ(
      h.chat(R"({"model":"mistral-embed","messages":[{"role":"user","content":"x"}]})").status,
      400u);
  Reply fim = h.service.handle(
      post("/v1/fim/completions", R"({"model":"mistral-small-latest","prompt":"x"})"));
  EXPECT_EQ(fim.status, 400u);
}

TEST(EmulatorService, RequiresABearerKeyAndOnlyTheConfiguredOnes) {
  Harness open;
  EXPECT_EQ(open.service.handle(post("/v1/chat/completions", kHello, "")).status, 401u);
  EXPECT_EQ(open.service.handle(post("/v1/chat/completions", kHello, "Basic abc")).status, 401u);
  EmulatorOptions o;
  o.api_keys = {"sk-one"};
  Harness strict(o);
  EXPECT_EQ(strict.service.handle(post("/v1/chat/completions", kHello, "Bearer sk-two")).status,
            401u);
  EXPECT_EQ(strict.service.handle(post("/v1/chat/completions", kHello, "Bearer sk-one")).status,
            200u);
}

TEST(EmulatorService, EnforcesTheRequestBudgetPerMinute) {
  EmulatorOptions o;
  o.rate_limits.requests_per_minute = 2;
  Harness h(o);
  EXPECT_EQ(h.chat(kHello).status, 200u);
  Reply second = h.chat(kHello);
  EXPECT_EQ(second.rate.req_remaining, 0);
  EXPECT_EQ(second.rate.req_limit, 2);
  Reply third = h.chat(kHello);
  EXPECT_EQ(third.status, 429u);
  EXPECT_EQ(body_json(third).at("type"), "rate_limited");
  ASSERT_TRUE(third.retry_after_s);
  EXPECT_EQ(*third.retry_after_s, 60);
  h.clock.advance(std::chrono::seconds(45));
  EXPECT_EQ(*h.chat(kHello).retry_after_s, 15);
  h.clock.advance(std::chrono::seconds(15));
  EXPECT_EQ(h.chat(kHello).status, 200u);
}

TEST(EmulatorService, EnforcesTheTokenBudgetPerMinute) {
  EmulatorOptions o;
  o.rate_limits.tokens_per_minute = 30;
  Harness h(o);
  Reply first = h.chat(kHello);
  ASSERT_EQ(first.status, 200u);
  EXPECT_EQ(first.rate.tok_remaining, std::max<std::int64_t>(0, 30 - first.query_cost));
  Reply over = h.chat(kHello);
  if (first.query_cost < 30) over = h.chat(kHello);
  EXPECT_EQ(over.status, 429u);
}

TEST(EmulatorService, AnswersRoutingErrorsAsFastApiDoes) {
  Harness h;
  Reply nf = h.service.handle(post("/v1/nope", "{}"));
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(nf.body, R"({"detail":"Not Found"})");
  EXPECT_EQ(h.service.handle(get("/v1/chat/completions")).status, 405u);
}

TEST(EmulatorService, Answers422ForABodyThatIsNotJson) {
  Harness h;
  Reply r = h.chat("{\"model\": ");
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(body_json(r).at("message").at("detail").at(0).at("type"), "json_invalid");
  Reply empty = h.chat("");
  EXPECT_EQ(empty.status, 422u);
}

TEST(EmulatorService, ListsEveryRegistryModelAndRetrievesOne) {
  Harness h;
  Reply list = h.service.handle(get("/v1/models"));
  ASSERT_EQ(list.status, 200u);
  auto v = body_json(list);
  EXPECT_EQ(v.at("object"), "list");
  EXPECT_GE(v.at("data").as_array().size(), 50u);
  for (const auto& card : v.at("data").as_array()) {
    EXPECT_EQ(card.at("type"), "base");
    EXPECT_EQ(card.at("object"), "model");
    EXPECT_TRUE(card.at("capabilities").is_object());
  }
  Reply one = h.service.handle(get("/v1/models/magistral-medium-2506"));
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(body_json(one).at("capabilities").at("reasoning"), true);
  EXPECT_EQ(body_json(one).at("max_context_length"), 40000);
  EXPECT_EQ(h.service.handle(get("/v1/models/nope")).status, 404u);
}

TEST(EmulatorService, AppliesAFaultHeaderAndRejectsABadOne) {
  Harness h;
  Request r = post("/v1/chat/completions", kHello);
  r.fault = "status=503";
  Reply down = h.service.handle(r);
  EXPECT_EQ(down.status, 503u);
  EXPECT_EQ(body_json(down).at("object"), "error");
  r.fault = "status=429; retry_after=7";
  Reply limited = h.service.handle(r);
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(*limited.retry_after_s, 7);
  r.fault = "explode=1";
  Reply bad = h.service.handle(r);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(std::string(body_json(bad).at("message").as_string()).find("explode"),
            std::string::npos);
  r.fault = "latency_ms=250;tps=10";
  Reply slow = h.service.handle(r);
  EXPECT_EQ(slow.status, 200u);
  EXPECT_EQ(slow.fault.latency.count(), 250);
  EXPECT_EQ(slow.fault.tokens_per_second, 10);
}

TEST(EmulatorService, LimitsAGlobalFaultToItsFirstRequests) {
  EmulatorOptions o;
  o.fault.status = 500;
  o.fault.times = 2;
  Harness h(o);
  EXPECT_EQ(h.chat(kHello).status, 500u);
  EXPECT_EQ(h.chat(kHello).status, 500u);
  EXPECT_EQ(h.chat(kHello).status, 200u);
  Request r = post("/v1/chat/completions", kHello);
  r.fault = "status=502";
  EXPECT_EQ(h.service.handle(r).status, 502u);
  h.service.set_global_fault(FaultSpec{});
  EXPECT_EQ(h.chat(kHello).status, 200u);
}

TEST(EmulatorService, ReturnsSeveralChoicesForN) {
  Harness h;
  auto v = body_json(h.chat(
      R"({"model":"mistral-small-latest","n":3,"messages":[{"role":"user","content":"Hello there"}]})"));
  ASSERT_EQ(v.at("choices").as_array().size(), 3u);
  EXPECT_EQ(v.at("choices").at(2).at("index"), 2);
  EXPECT_NE(v.at("choices").at(0).at("message"), v.at("choices").at(1).at("message"));
}

}  // namespace
}  // namespace litellm::emulator
