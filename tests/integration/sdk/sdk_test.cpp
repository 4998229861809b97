// The SDK (litellm::completion & co.) against the emulator binary on a loopback port.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "litellm/litellm.hpp"
#include "process.hpp"

namespace litellm::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("litellm-sdk-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

std::unique_ptr<Process> start_emulator(const std::string& config_yaml = {}) {
  std::vector<std::string> args{"--port", "0"};
  if (!config_yaml.empty()) {
    static int n = 0;
    args.push_back("--config");
    args.push_back(write_temp("emu-" + std::to_string(n++) + ".yaml", config_yaml));
  }
  auto p = std::make_unique<Process>(binary_path("apps/mistral-emulator/mistral-emulator"), args);
  EXPECT_TRUE(p->ready()) << p->output();
  return p;
}

std::string base_of(const Process& p) {
  return "http://127.0.0.1:" + std::to_string(p.port()) + "/v1";
}

class SdkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = start_emulator();
    ::setenv("MISTRAL_API_KEY", "test-key", 1);
  }
  static void TearDownTestSuite() { emulator_.reset(); }

  static CompletionParams chat(std::string model = "mistral/mistral-small-latest") {
    CompletionParams p;
    p.model = std::move(model);
    p.messages = {Message::user("Hello, how are you?")};
    p.settings.api_base = base_of(*emulator_);
    return p;
  }

  static inline std::unique_ptr<Process> emulator_;
};

Tool weather_tool() {
  return Tool{.function = {.name = "get_current_weather",
                           .description = "Get the current weather",
                           .parameters = json::parse(R"({"type":"object",
                             "properties":{"location":{"type":"string"},
                                           "unit":{"type":"string","enum":["celsius","fahrenheit"]}},
                             "required":["location"]})")}};
}

TEST_F(SdkTest, CompletionReturnsAnOpenAIShapedResponseWithCost) {
  auto r = completion(chat());
  EXPECT_EQ(r.object, "chat.completion");
  EXPECT_FALSE(r.id.empty());
  EXPECT_GT(r.created, 0);
  ASSERT_EQ(r.choices.size(), 1u);
  EXPECT_EQ(r.choices[0].message.role, "assistant");
  ASSERT_TRUE(r.choices[0].message.content.has_value());
  EXPECT_FALSE(r.choices[0].message.content->empty());
  EXPECT_EQ(r.choices[0].finish_reason, "stop");
  EXPECT_EQ(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
  EXPECT_GT(r.response_cost, 0.0);
  EXPECT_DOUBLE_EQ(r.response_cost, completion_cost(r));
  // Printable as JSON, and the JSON parses back to the same content.
  auto again = ModelResponse::from_json(json::parse(r.to_json()).as_object());
  EXPECT_EQ(again.choices[0].message.content, r.choices[0].message.content);
}

TEST_F(SdkTest, MaxTokensGivesFinishReasonLength) {
  auto p = chat();
  p.max_tokens = 3;
  auto r = completion(p);
  EXPECT_EQ(r.choices[0].finish_reason, "length");
  EXPECT_LE(r.usage.completion_tokens, 3);
}

TEST_F(SdkTest, StreamYieldsChunksThenUsage) {
  auto p = chat();
  auto stream = completion_stream(p);
  std::string text;
  int chunks = 0;
  std::optional<std::string> finish;
  for (const auto& c : stream) {
    ++chunks;
    EXPECT_EQ(c.object, "chat.completion.chunk");
    for (const auto& ch : c.choices) {
      text += ch.delta.content.value_or("");
      if (ch.finish_reason) finish = ch.finish_reason;
    }
  }
  EXPECT_GE(chunks, 2);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(finish, "stop");
  ASSERT_TRUE(stream.usage().has_value()) << "usage known at the end even without include_usage";
  EXPECT_GT(stream.usage()->total_tokens, 0);
  EXPECT_GT(stream.response_cost(), 0.0);
}

TEST_F(SdkTest, StreamTrueOnCompletionCollectsTheSameText) {
  auto p = chat();
  p.seed = 7;
  auto plain = completion(p);
  p.stream = true;
  auto streamed = completion(p);
  EXPECT_EQ(streamed.choices.at(0).message.content, plain.choices.at(0).message.content);
  EXPECT_EQ(streamed.usage.total_tokens, plain.usage.total_tokens);
}

TEST_F(SdkTest, ToolRoundTrip) {
  auto p = chat();
  p.messages = {Message::user("What's the weather like in Boston today?")};
  p.tools = {weather_tool()};
  p.tool_choice = "auto";
  auto first = completion(p);
  ASSERT_EQ(first.choices[0].finish_reason, "tool_calls");
  const auto& msg = first.choices[0].message;
  ASSERT_EQ(msg.tool_calls.size(), 1u);
  EXPECT_EQ(msg.tool_calls[0].type, "function");
  EXPECT_EQ(msg.tool_calls[0].function.name, "get_current_weather");
  auto args = json::parse(msg.tool_calls[0].function.arguments).as_object();
  EXPECT_TRUE(args.contains("location"));
  p.messages.push_back(msg);
  p.messages.push_back(Message::tool(msg.tool_calls[0].id, R"({"temperature":"72"})"));
  auto second = completion(p);
  EXPECT_EQ(second.choices[0].finish_reason, "stop");
  EXPECT_TRUE(second.choices[0].message.content.has_value());
}

TEST_F(SdkTest, ForeignToolCallIdsAreAccepted) {
  // History from another provider: ids Mistral would reject are rewritten consistently.
  auto p = chat();
  Message assistant{.role = "assistant"};
  assistant.tool_calls = {ToolCall{
      .id = "call_abc123XYZ_long_openai_id",
      .function = {.name = "get_current_weather", .arguments = R"({"location":"Paris"})"}}};
  p.messages = {Message::user("Weather in Paris?"), assistant,
                Message::tool("call_abc123XYZ_long_openai_id", R"({"temperature":"20"})")};
  p.tools = {weather_tool()};
  auto r = completion(p);
  EXPECT_EQ(r.choices[0].finish_reason, "stop");
}

TEST_F(SdkTest, StreamedToolCallHasIndexAndWholeArguments) {
  auto p = chat();
  p.messages = {Message::user("Weather in Boston?")};
  p.tools = {weather_tool()};
  p.tool_choice = "required";
  std::vector<ModelResponseStream> chunks;
  for (const auto& c : completion_stream(p))
    chunks.push_back(c);
  auto built = stream_chunk_builder(chunks);
  ASSERT_EQ(built.choices.at(0).message.tool_calls.size(), 1u);
  EXPECT_EQ(built.choices[0].finish_reason, "tool_calls");
  bool saw_index = false;
  for (const auto& c : chunks) {
    for (const auto& ch : c.choices) {
      for (const auto& tc : ch.delta.tool_calls)
        saw_index |= tc.index.has_value();
    }
  }
  EXPECT_TRUE(saw_index);
  EXPECT_NO_THROW((void)json::parse(built.choices[0].message.tool_calls[0].function.arguments));
}

TEST_F(SdkTest, MagistralReasoningEffortGivesReasoningContent) {
  auto p = chat("mistral/magistral-medium-2506");
  p.reasoning_effort = "medium";
  auto r = completion(p);
  const auto& m = r.choices.at(0).message;
  ASSERT_TRUE(m.reasoning_content.has_value());
  EXPECT_FALSE(m.reasoning_content->empty());
  ASSERT_TRUE(m.content.has_value());
  EXPECT_EQ(m.content->find("<think>"), std::string::npos);

  std::string reasoning;
  std::string blocks;
  for (const auto& c : completion_stream(p)) {
    for (const auto& ch : c.choices) {
      reasoning += ch.delta.reasoning_content.value_or("");
      for (const auto& b : ch.delta.thinking_blocks) {
        EXPECT_EQ(b.type, "thinking");
        EXPECT_EQ(b.signature, "mistral");
        blocks += b.thinking;
      }
    }
  }
  EXPECT_FALSE(reasoning.empty()) << "streamed reasoning arrives as reasoning_content deltas";
  EXPECT_EQ(blocks, reasoning) << "and, as LiteLLM, as thinking_blocks beside it";
}

TEST_F(SdkTest, ReasoningEffortOnOtherModelsIsIgnored) {
  auto p = chat();
  p.reasoning_effort = "high";
  EXPECT_NO_THROW(completion(p));
}

TEST_F(SdkTest, EmbeddingFloatAndBase64) {
  EmbeddingParams p{.model = "mistral/mistral-embed", .input = {"good morning", "good night"}};
  p.settings.api_base = base_of(*emulator_);
  auto r = embedding(p);
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(r.data[0].embedding.size(), 1024u);
  double norm = 0;
  for (float f : r.data[0].embedding)
    norm += double(f) * f;
  EXPECT_NEAR(norm, 1.0, 1e-3);
  EXPECT_GT(r.usage.prompt_tokens, 0);
  EXPECT_GT(r.response_cost, 0.0);

  p.encoding_format = "base64";
  auto b = embedding(p);
  ASSERT_EQ(b.data.size(), 2u);
  EXPECT_FALSE(b.data[0].embedding_base64.empty());
}

TEST_F(SdkTest, UnknownModelRaisesBadRequest) {
  EXPECT_THROW(completion(chat("mistral/no-such-model")), BadRequestError);
  auto r = try_completion(chat("mistral/no-such-model"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().provider, "mistral");
  EXPECT_FALSE(r.error().body.empty()) << "the upstream body is kept";
}

TEST_F(SdkTest, ContextWindowOverflowRaisesContextWindowExceeded) {
  auto p = chat("mistral/open-mistral-7b");  // 32k context
  p.messages = {Message::user(std::string(200'000, 'x') + " end")};
  EXPECT_THROW(completion(p), ContextWindowExceededError);
}

TEST_F(SdkTest, UnsupportedParamIsAnErrorUnlessDropped) {
  auto p = chat();
  p.extra_body["logit_bias"] = json::object{{"1", 5}};
  try {
    completion(p);
    FAIL() << "expected UnsupportedParamsError";
  } catch (const BadRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("logit_bias"), std::string::npos) << e.what();
  }
  p.settings.drop_params = true;
  EXPECT_NO_THROW(completion(p));
}

TEST_F(SdkTest, ConnectionRefusedRaisesAPIConnectionError) {
  auto p = chat();
  p.settings.api_base = "http://127.0.0.1:" + std::to_string(free_port()) + "/v1";
  p.settings.num_retries = 0;
  EXPECT_THROW(completion(p), APIConnectionError);
}

TEST_F(SdkTest, StallRaisesTimeoutWithinTheBound) {
  auto p = chat();
  p.settings.extra_headers["x-emulator-fault"] = "stall";
  p.settings.timeout = milliseconds(300);
  p.settings.num_retries = 0;
  auto t0 = SteadyClock::now();
  EXPECT_THROW(completion(p), Timeout);
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(3));
}

TEST_F(SdkTest, ErrorStatusesMapToLiteLLMExceptions) {
  auto p = chat();
  p.settings.num_retries = 0;
  p.settings.extra_headers["x-emulator-fault"] = "status=429";
  EXPECT_THROW(completion(p), RateLimitError);
  p.settings.extra_headers["x-emulator-fault"] = "status=500";
  EXPECT_THROW(completion(p), InternalServerError);
  p.settings.extra_headers["x-emulator-fault"] = "status=503";
  EXPECT_THROW(completion(p), ServiceUnavailableError);
  p.settings.extra_headers["x-emulator-fault"] = "malformed";
  EXPECT_THROW(completion(p), APIError);
}

TEST_F(SdkTest, ApiKeyArgumentBeatsTheEnvironment) {
  auto guarded = start_emulator("api_keys: [right-key]\n");
  auto p = chat();
  p.settings.api_base = base_of(*guarded);
  p.settings.num_retries = 0;
  EXPECT_THROW(completion(p), AuthenticationError) << "env key is test-key";
  p.settings.api_key = "right-key";
  EXPECT_NO_THROW(completion(p));
}

TEST_F(SdkTest, RetriesATransientFailureThenSucceeds) {
  auto flaky = start_emulator("fault:\n  status: 503\n  times: 2\n");
  auto p = chat();
  p.settings.api_base = base_of(*flaky);
  p.settings.num_retries = 2;
  auto r = completion(p);
  EXPECT_EQ(r.choices.at(0).finish_reason, "stop");
}

TEST_F(SdkTest, HonoursRetryAfter) {
  auto limited = start_emulator("fault:\n  status: 429\n  retry_after_s: 1\n  times: 1\n");
  auto p = chat();
  p.settings.api_base = base_of(*limited);
  p.settings.num_retries = 1;
  auto t0 = SteadyClock::now();
  EXPECT_NO_THROW(completion(p));
  EXPECT_GE(SteadyClock::now() - t0, milliseconds(900)) << "waited the upstream's Retry-After";
}

TEST_F(SdkTest, DestroyingAStreamEarlyReturnsPromptly) {
  auto p = chat();
  p.settings.extra_headers["x-emulator-fault"] = "tps=5";
  p.max_tokens = 200;
  auto t0 = SteadyClock::now();
  {
    auto stream = completion_stream(p);
    auto first = stream.next();
    ASSERT_TRUE(first.has_value());
  }
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(5)) << "no waiting for 200 tokens at 5/s";
}

TEST_F(SdkTest, AsyncFormsWorkFromTheCallersIoContext) {
  boost::asio::io_context ioc;
  auto p = chat();
  EmbeddingParams ep{.model = "mistral/mistral-embed", .input = {"x"}};
  ep.settings.api_base = base_of(*emulator_);
  auto fut = boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<std::string> {
        auto r = co_await acompletion(p);
        auto s = co_await acompletion_stream(p);
        int n = 0;
        while (auto c = co_await s.next())
          ++n;
        auto e = co_await aembedding(ep);
        co_return r.choices.at(0).message.content.value_or("") + "|" + std::to_string(n) + "|" +
            std::to_string(e.data.size());
      },
      boost::asio::use_future);
  ioc.run();
  auto s = fut.get();
  auto first = s.find('|');
  auto second = s.rfind('|');
  ASSERT_NE(first, second) << s;
  EXPECT_GT(first, 0u) << "non-empty completion text: " << s;
  EXPECT_GE(std::stoi(s.substr(first + 1, second - first - 1)), 2) << "stream chunks: " << s;
  EXPECT_EQ(s.substr(second + 1), "1") << "one embedding: " << s;
}

}  // namespace
}  // namespace litellm::testing
