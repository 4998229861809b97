// Router behaviour against scripted upstreams on loopback, with injected clock, randomness and
// sleeps: retries, backoff, Retry-After, cooldowns, fallbacks, load balancing, streams.
#include "router/router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "scripted_upstream.hpp"

namespace litellm::router {
namespace {

namespace json = boost::json;
using litellm::testing::Reply;
using litellm::testing::ScriptedUpstream;

class RecordingSleeper final : public Sleeper {
 public:
  asio::awaitable<void> sleep(milliseconds d) override {
    waits.push_back(d);
    co_return;
  }
  std::vector<milliseconds> waits;
};

class FixedRng final : public core::Rng {
 public:
  explicit FixedRng(double v) : v_(v) {}
  double uniform() override { return v_; }

 private:
  double v_;
};

Deployment deployment(std::string group, const ScriptedUpstream& up, std::string id = "") {
  Deployment d;
  d.id = id.empty() ? group + "-" + std::to_string(up.port()) : id;
  d.model_name = std::move(group);
  d.model = "mistral/mistral-small-latest";
  d.provider = "mistral";
  d.adapter = providers::find_adapter("mistral");
  d.target.provider = "mistral";
  d.target.model = "mistral-small-latest";
  d.target.api_base = up.base();
  d.target.api_key = "k";
  d.target.info = model_info("mistral/mistral-small-latest");
  return d;
}

json::object chat_request(std::string model) {
  return json::object{{"model", model},
                      {"messages", json::array{json::object{{"role", "user"}, {"content", "hi"}}}}};
}

Reply status(unsigned s, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Reply r;
  r.status = s;
  r.headers = std::move(headers);
  r.pieces = {R"({"object":"error","message":"boom","type":"x","param":null,"code":null})"};
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  template <class F>
  auto run(F f) {
    auto fut = asio::co_spawn(ioc_, f(), asio::use_future);
    ioc_.run();
    ioc_.restart();
    return fut.get();
  }
  Result<CallResult> chat(Router& r, json::object req) {
    return run([&]() { return r.chat(client_, std::move(req)); });
  }

  asio::io_context ioc_;
  http::Client client_{ioc_.get_executor()};
  core::ManualClock clock_;
  RecordingSleeper sleeper_;
};

TEST_F(RouterTest, RetriesRetryableErrorsWithExponentialBackoff) {
  ScriptedUpstream up;
  up.push(status(503));
  up.push(status(500));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 2;
  FixedRng rng(0.0);  // no jitter
  Router r(c, clock_, rng, sleeper_);
  auto res = chat(r, chat_request("g"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->attempts, 3);
  EXPECT_EQ(up.count(), 3u);
  ASSERT_EQ(sleeper_.waits.size(), 2u);
  EXPECT_EQ(sleeper_.waits[0], milliseconds(500));
  EXPECT_EQ(sleeper_.waits[1], milliseconds(1000));
}

TEST_F(RouterTest, JitterShortensTheWaitByUpToAQuarter) {
  ScriptedUpstream up;
  up.push(status(503));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 1;
  FixedRng rng(0.999);
  Router r(c, clock_, rng, sleeper_);
  ASSERT_TRUE(chat(r, chat_request("g")).ok());
  ASSERT_EQ(sleeper_.waits.size(), 1u);
  EXPECT_GE(sleeper_.waits[0], milliseconds(375));
  EXPECT_LT(sleeper_.waits[0], milliseconds(380));
}

TEST_F(RouterTest, GivesUpAfterNumRetriesWithTheLastError) {
  ScriptedUpstream up;
  up.set_fallback(status(503));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 1;
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("g"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().http_status(), 503);
  EXPECT_EQ(res.error().provider, "mistral");
  EXPECT_EQ(up.count(), 2u);
}

TEST_F(RouterTest, NeverRetriesClientErrors) {
  ScriptedUpstream up;
  up.set_fallback(status(400));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 3;
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("g"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().http_status(), 400);
  EXPECT_EQ(up.count(), 1u);
  EXPECT_TRUE(sleeper_.waits.empty());
}

TEST_F(RouterTest, HonoursRetryAfter) {
  ScriptedUpstream up;
  up.push(status(429, {{"Retry-After", "3"}}));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 1;
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  ASSERT_TRUE(chat(r, chat_request("g")).ok());
  ASSERT_EQ(sleeper_.waits.size(), 1u);
  EXPECT_EQ(sleeper_.waits[0], milliseconds(3000));
}

TEST_F(RouterTest, RetryAfterSettingIsAMinimum) {
  ScriptedUpstream up;
  up.push(status(500));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 1;
  c.retry_after = milliseconds(2500);
  FixedRng rng(0.0);
  Router r(c, clock_, rng, sleeper_);
  ASSERT_TRUE(chat(r, chat_request("g")).ok());
  EXPECT_EQ(sleeper_.waits.at(0), milliseconds(2500));
}

TEST_F(RouterTest, RateLimitedDeploymentCoolsDownAndComesBack) {
  ScriptedUpstream a;
  ScriptedUpstream b;
  a.push(status(429));
  RouterConfig c;
  c.deployments.push_back(deployment("g", a, "a"));
  c.deployments.push_back(deployment("g", b, "b"));
  c.num_retries = 1;
  c.cooldown_time = std::chrono::seconds(5);
  FixedRng rng(0.0);  // weighted shuffle picks the first eligible deployment
  Router r(c, clock_, rng, sleeper_);

  auto first = chat(r, chat_request("g"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->deployment->id, "b") << "the retry moved to the other deployment";
  EXPECT_TRUE(r.in_cooldown(r.deployments()[0]));

  auto second = chat(r, chat_request("g"));
  EXPECT_EQ(second->deployment->id, "b");
  EXPECT_EQ(a.count(), 1u);

  clock_.advance(std::chrono::seconds(6));
  EXPECT_FALSE(r.in_cooldown(r.deployments()[0]));
  auto third = chat(r, chat_request("g"));
  EXPECT_EQ(third->deployment->id, "a");
}

TEST_F(RouterTest, TheOnlyDeploymentOfAGroupNeverCoolsDown) {
  ScriptedUpstream up;
  up.push(status(429));
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  EXPECT_FALSE(chat(r, chat_request("g")).ok());
  EXPECT_FALSE(r.in_cooldown(r.deployments()[0]));
  EXPECT_TRUE(chat(r, chat_request("g")).ok());
}

TEST_F(RouterTest, AllowedFailsBeforeCooldown) {
  ScriptedUpstream a;
  ScriptedUpstream b;
  a.set_fallback(status(500));
  RouterConfig c;
  c.deployments.push_back(deployment("g", a, "a"));
  c.deployments.push_back(deployment("g", b, "b"));
  c.allowed_fails = 2;
  FixedRng rng(0.0);
  Router r(c, clock_, rng, sleeper_);
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(chat(r, chat_request("g")).ok());
    EXPECT_FALSE(r.in_cooldown(r.deployments()[0])) << "failure " << i + 1 << " is allowed";
  }
  EXPECT_FALSE(chat(r, chat_request("g")).ok());
  EXPECT_TRUE(r.in_cooldown(r.deployments()[0])) << "the third failure in a minute cools it";
}

TEST_F(RouterTest, FallsBackToTheNextGroupAfterRetries) {
  ScriptedUpstream bad;
  ScriptedUpstream good;
  bad.set_fallback(status(503));
  RouterConfig c;
  c.deployments.push_back(deployment("primary", bad));
  c.deployments.push_back(deployment("secondary", good));
  c.fallbacks = {{"primary", {"missing", "secondary"}}};
  c.num_retries = 1;
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("primary"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->deployment->model_name, "secondary");
  EXPECT_EQ(bad.count(), 2u);
  auto got = good.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].body).at("model").as_string(), "mistral-small-latest");
}

TEST_F(RouterTest, ContextWindowErrorsUseContextWindowFallbacks) {
  ScriptedUpstream small;
  ScriptedUpstream big;
  Reply ctx;
  ctx.status = 400;
  ctx.pieces = {
      R"({"object":"error","message":"Prompt contains 40000 tokens, too large for model with 32768 maximum context length","type":"invalid_request_invalid_args","param":null,"code":"3051"})"};
  small.set_fallback(ctx);
  RouterConfig c;
  c.deployments.push_back(deployment("small", small));
  c.deployments.push_back(deployment("big", big));
  c.context_window_fallbacks = {{"small", {"big"}}};
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("small"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->deployment->model_name, "big");
}

TEST_F(RouterTest, BadRequestsDoNotFallBack) {
  ScriptedUpstream bad;
  ScriptedUpstream good;
  bad.set_fallback(status(400));
  RouterConfig c;
  c.deployments.push_back(deployment("primary", bad));
  c.deployments.push_back(deployment("secondary", good));
  c.fallbacks = {{"primary", {"secondary"}}};
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  EXPECT_FALSE(chat(r, chat_request("primary")).ok());
  EXPECT_EQ(good.count(), 0u);
}

TEST_F(RouterTest, WeightedShuffleFollowsWeights) {
  ScriptedUpstream heavy;
  ScriptedUpstream light;
  RouterConfig c;
  c.deployments.push_back(deployment("g", heavy));
  c.deployments.back().weight = 9;
  c.deployments.push_back(deployment("g", light));
  core::DefaultRng rng(42);
  Router r(c, clock_, rng, sleeper_);
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(chat(r, chat_request("g")).ok());
  EXPECT_GT(heavy.count(), 160u);
  EXPECT_GT(light.count(), 5u);
  EXPECT_EQ(heavy.count() + light.count(), 200u);
}

TEST_F(RouterTest, RpmLimitSendsTheOverflowElsewhere) {
  ScriptedUpstream a;
  ScriptedUpstream b;
  RouterConfig c;
  c.deployments.push_back(deployment("g", a, "a"));
  c.deployments.back().rpm = 2;
  c.deployments.back().weight = 1000;
  c.deployments.push_back(deployment("g", b, "b"));
  FixedRng rng(0.0);
  Router r(c, clock_, rng, sleeper_);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(chat(r, chat_request("g")).ok());
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(b.count(), 3u);
  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(chat(r, chat_request("g"))->deployment->id, "a") << "a new minute, a new budget";
}

TEST_F(RouterTest, OrderPrefersLowerOrderThenFailsOver) {
  ScriptedUpstream first;
  ScriptedUpstream second;
  RouterConfig c;
  c.deployments.push_back(deployment("g", second, "second"));
  c.deployments.back().order = 2;
  c.deployments.push_back(deployment("g", first, "first"));
  c.deployments.back().order = 1;
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(chat(r, chat_request("g"))->deployment->id, "first");
}

TEST_F(RouterTest, DeploymentDefaultParamsApplyUnlessTheRequestSetsThem) {
  ScriptedUpstream up;
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.deployments.back().default_params = json::object{{"temperature", 0.2}, {"max_tokens", 50}};
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto req = chat_request("g");
  req["temperature"] = 0.9;
  ASSERT_TRUE(chat(r, req).ok());
  auto body = json::parse(up.received().at(0).body).as_object();
  EXPECT_DOUBLE_EQ(body.at("temperature").as_double(), 0.9);
  EXPECT_EQ(body.at("max_tokens").as_int64(), 50);
}

TEST_F(RouterTest, UnknownGroupListsTheAvailableOnes) {
  ScriptedUpstream up;
  RouterConfig c;
  c.deployments.push_back(deployment("alpha", up));
  c.deployments.push_back(deployment("beta", up));
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("gamma"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().http_status(), 400);
  EXPECT_NE(res.error().message.find("gamma"), std::string::npos);
  EXPECT_NE(res.error().message.find("alpha, beta"), std::string::npos);
}

TEST_F(RouterTest, CostComesFromRegistryPrices) {
  ScriptedUpstream up;
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("g"));
  ASSERT_TRUE(res.ok());
  // 10 prompt + 5 completion tokens at mistral-small-latest prices.
  EXPECT_DOUBLE_EQ(res->cost, 10 * 6e-08 + 5 * 1.8e-07);
}

// What the gateway sends on: the answer's OpenAI text and the upstream's rate-limit fields
// (lower-cased, as LiteLLM's proxy forwards them), nothing else of the upstream's head.
TEST_F(RouterTest, AnswersWithOpenAITextAndTheUpstreamsRateLimitFields) {
  ScriptedUpstream up;
  Reply reply;
  reply.headers = {{"X-RateLimit-Remaining-Requests", "41"},
                   {"x-ratelimit-limit-tokens", "1000"},
                   {"X-Other", "not forwarded"},
                   {"x-ratelimit-", "a bare prefix is not a rate-limit field"}};
  reply.pieces = {testing::mistral_chat_body("hi there")};
  up.push(reply);
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  Router r(c, clock_, core::DefaultRng::instance(), sleeper_);
  auto res = chat(r, chat_request("g"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->upstream_fields,
            "x-ratelimit-remaining-requests: 41\r\nx-ratelimit-limit-tokens: 1000\r\n");
  const json::value body = json::parse(res->body);
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_EQ(body.at("choices").at(0).at("message").at("content"), "hi there");
  EXPECT_EQ(body.at("usage").at("total_tokens"), 15);
}

class CollectingSink final : public StreamSink {
 public:
  asio::awaitable<bool> on_chunk(const Deployment&, std::string_view,
                                 std::string_view chunk) override {
    chunks.push_back(json::parse(chunk).as_object());
    co_return true;
  }
  std::vector<json::object> chunks;
};

TEST_F(RouterTest, StreamDeliversChunksAndUsage) {
  ScriptedUpstream up;
  Reply r;
  r.pieces = litellm::testing::mistral_stream_pieces("hello world");
  up.set_fallback(r);
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  Router router(c, clock_, core::DefaultRng::instance(), sleeper_);
  CollectingSink sink;
  auto req = chat_request("g");
  req["stream"] = true;
  auto res = run([&]() { return router.chat_stream(client_, req, sink); });
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_GE(sink.chunks.size(), 3u);
  ASSERT_TRUE(res->usage.has_value());
  EXPECT_EQ(res->usage->at("total_tokens").as_int64(), 12);
  EXPECT_GT(res->cost, 0.0);
}

TEST_F(RouterTest, StreamIsRetriedBeforeTheFirstChunkOnly) {
  ScriptedUpstream up;
  Reply reset;
  reset.reset_before = true;
  up.push(reset);  // no byte reached anyone: retried
  Reply cut;
  cut.pieces = litellm::testing::mistral_stream_pieces("hello world");
  cut.reset_after_pieces = 2;  // two chunks delivered, then the connection dies
  up.push(cut);
  RouterConfig c;
  c.deployments.push_back(deployment("g", up));
  c.num_retries = 3;
  Router router(c, clock_, core::DefaultRng::instance(), sleeper_);
  CollectingSink sink;
  auto req = chat_request("g");
  req["stream"] = true;
  auto res = run([&]() { return router.chat_stream(client_, req, sink); });
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(up.count(), 2u) << "one retry for the reset, none after chunks were delivered";
  EXPECT_FALSE(sink.chunks.empty());
}

}  // namespace
}  // namespace litellm::router
