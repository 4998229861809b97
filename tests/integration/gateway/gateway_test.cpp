// The gateway binary against the emulator binary, both on loopback ports: what a client of
// LiteLLM's proxy sees.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "process.hpp"

namespace litellm::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("litellm-it-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

json::object parse(const std::string& s) {
  return json::parse(s).as_object();
}

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = std::make_unique<Process>(binary_path("apps/mistral-emulator/mistral-emulator"),
                                          std::vector<std::string>{"--port", "0"});
    ASSERT_TRUE(emulator_->ready()) << emulator_->output();
  }
  static void TearDownTestSuite() { emulator_.reset(); }

  static std::string emulator_base() {
    return "http://127.0.0.1:" + std::to_string(emulator_->port()) + "/v1";
  }

  // Starts the gateway on `config` (YAML); `${BASE}` is replaced by the emulator's base URL.
  std::unique_ptr<Process> start_gateway(std::string config,
                                         std::vector<std::string> extra_args = {},
                                         std::map<std::string, std::string> env = {}) {
    for (auto pos = config.find("${BASE}"); pos != std::string::npos;
         pos = config.find("${BASE}")) {
      config.replace(pos, 7, emulator_base());
    }
    auto path = write_temp("config-" + std::to_string(counter_++) + ".yaml", config);
    std::vector<std::string> args{"--config", path, "--host",        "127.0.0.1",
                                  "--port",   "0",  "--num_workers", "2"};
    for (auto& a : extra_args)
      args.push_back(a);
    env.emplace("MISTRAL_API_KEY", "test-key");
    auto p = std::make_unique<Process>(binary_path("apps/litellm/litellm"), args, env);
    EXPECT_TRUE(p->ready()) << p->output();
    return p;
  }

  static constexpr const char* kBasicConfig = R"(
model_list:
  - model_name: mistral-small
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
      api_key: os.environ/MISTRAL_API_KEY
  - model_name: magistral
    litellm_params:
      model: mistral/magistral-medium-2506
      api_base: ${BASE}
  - model_name: embed
    litellm_params:
      model: mistral/mistral-embed
      api_base: ${BASE}
  - model_name: gemini-pro
    litellm_params:
      model: gemini/gemini-1.5-pro
      api_key: fake
)";

  static std::string chat_body(std::string model, std::string extra = "") {
    return R"({"model":")" + model +
           R"(","messages":[{"role":"user","content":"Hello, how are you?"}])" + extra + "}";
  }

  static inline std::unique_ptr<Process> emulator_;
  static inline int counter_ = 0;
};

TEST_F(GatewayTest, AnswersTheSeedCurlInOpenAIShape) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("mistral-small"));
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  auto o = parse(r.body);
  EXPECT_EQ(o.at("object").as_string(), "chat.completion");
  EXPECT_TRUE(o.at("created").is_int64());
  const auto& choice = o.at("choices").as_array().at(0).as_object();
  EXPECT_EQ(choice.at("message").at("role").as_string(), "assistant");
  EXPECT_TRUE(choice.at("message").at("content").is_string());
  EXPECT_FALSE(choice.at("message").at("content").as_string().empty());
  EXPECT_EQ(choice.at("finish_reason").as_string(), "stop");
  const auto& usage = o.at("usage").as_object();
  EXPECT_EQ(usage.at("total_tokens").to_number<int64_t>(),
            usage.at("prompt_tokens").to_number<int64_t>() +
                usage.at("completion_tokens").to_number<int64_t>());
  // LiteLLM's response headers.
  EXPECT_TRUE(std::regex_match(
      r.headers["x-litellm-call-id"],
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << "a UUID v4, as LiteLLM's: " << r.headers["x-litellm-call-id"];
  EXPECT_FALSE(r.headers["x-litellm-model-id"].empty());
  EXPECT_GT(std::stod(r.headers["x-litellm-response-cost"]), 0.0);
  EXPECT_TRUE(std::regex_match(r.headers["x-litellm-overhead-duration-ms"],
                               std::regex("[0-9]+\\.[0-9]{3}")))
      << r.headers["x-litellm-overhead-duration-ms"];
  bool ratelimit = false;
  for (const auto& [k, v] : r.headers)
    ratelimit |= k.starts_with("x-ratelimit-");
  EXPECT_TRUE(ratelimit) << "upstream rate-limit headers are passed on";
}

TEST_F(GatewayTest, PathsWorkWithAndWithoutV1AndAzureStyle) {
  auto gw = start_gateway(kBasicConfig);
  EXPECT_EQ(
      http_request(gw->port(), "POST", "/chat/completions", chat_body("mistral-small")).status,
      200);
  auto azure =
      http_request(gw->port(), "POST", "/openai/deployments/mistral-small/chat/completions",
                   R"({"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(azure.status, 200) << azure.body;
}

TEST_F(GatewayTest, StreamsSseChunksEndingWithDone) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions",
                        chat_body("mistral-small", R"(,"stream":true)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 3u) << r.body;
  EXPECT_EQ(events.back(), "[DONE]");
  std::string text;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    auto c = parse(events[i]);
    EXPECT_EQ(c.at("object").as_string(), "chat.completion.chunk");
    EXPECT_FALSE(c.contains("usage") && !c.at("usage").is_null())
        << "no usage without stream_options.include_usage: " << events[i];
    for (const auto& ch : c.at("choices").as_array()) {
      const auto& d = ch.at("delta").as_object();
      if (auto it = d.find("content"); it != d.end() && it->value().is_string()) {
        text += it->value().as_string();
      }
    }
  }
  EXPECT_FALSE(text.empty());
}

TEST_F(GatewayTest, StreamWithIncludeUsageEndsWithAUsageChunk) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(
      gw->port(), "POST", "/v1/chat/completions",
      chat_body("mistral-small", R"(,"stream":true,"stream_options":{"include_usage":true})"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 3u);
  auto last = parse(events[events.size() - 2]);
  EXPECT_TRUE(last.at("choices").as_array().empty()) << events[events.size() - 2];
  EXPECT_GT(last.at("usage").at("total_tokens").to_number<int64_t>(), 0);
}

TEST_F(GatewayTest, MagistralReasoningComesBackAsReasoningContent) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions",
                        chat_body("magistral", R"(,"reasoning_effort":"medium")"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = parse(r.body);
  const auto& msg = doc.at("choices").at(0).at("message").as_object();
  ASSERT_TRUE(msg.contains("reasoning_content")) << r.body;
  EXPECT_FALSE(msg.at("reasoning_content").as_string().empty());
  EXPECT_TRUE(msg.at("content").is_string()) << "content stays a plain string";
}

TEST_F(GatewayTest, RequiredToolChoiceCallsATool) {
  auto gw = start_gateway(kBasicConfig);
  std::string tools = R"(,"tools":[{"type":"function","function":{"name":"get_weather",
    "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
    "tool_choice":"required")";
  auto r =
      http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("mistral-small", tools));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = parse(r.body);
  const auto& choice = doc.at("choices").at(0).as_object();
  EXPECT_EQ(choice.at("finish_reason").as_string(), "tool_calls");
  const auto& call = choice.at("message").at("tool_calls").at(0).as_object();
  EXPECT_EQ(call.at("type").as_string(), "function");
  EXPECT_EQ(call.at("function").at("name").as_string(), "get_weather");
  auto args = json::parse(call.at("function").at("arguments").as_string());
  EXPECT_TRUE(args.as_object().contains("city"));
}

TEST_F(GatewayTest, EmbeddingsFloatAndBase64) {
  auto gw = start_gateway(kBasicConfig);
  auto f = http_request(gw->port(), "POST", "/v1/embeddings",
                        R"({"model":"embed","input":["hello","world"]})");
  ASSERT_EQ(f.status, 200) << f.body;
  auto fo = parse(f.body);
  EXPECT_EQ(fo.at("object").as_string(), "list");
  ASSERT_EQ(fo.at("data").as_array().size(), 2u);
  EXPECT_EQ(fo.at("data").at(0).at("embedding").as_array().size(), 1024u);

  auto b = http_request(gw->port(), "POST", "/v1/embeddings",
                        R"({"model":"embed","input":"hello","encoding_format":"base64"})");
  ASSERT_EQ(b.status, 200) << b.body;
  const auto bdoc = parse(b.body);
  const auto& e = bdoc.at("data").at(0).at("embedding");
  ASSERT_TRUE(e.is_string());
  EXPECT_EQ(e.as_string().size(), 4 * ((1024 * 4 + 2) / 3)) << "1024 float32 in base64";
}

TEST_F(GatewayTest, UnknownModelIs400NamingTheModelAndTheAvailableOnes) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("gpt-17"));
  ASSERT_EQ(r.status, 400) << r.body;
  auto msg = std::string(parse(r.body).at("error").at("message").as_string());
  EXPECT_NE(msg.find("gpt-17"), std::string::npos) << msg;
  EXPECT_NE(msg.find("mistral-small"), std::string::npos) << msg;
}

TEST_F(GatewayTest, UnservedProviderIs400NamingTheProvider) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("gemini-pro"));
  ASSERT_EQ(r.status, 400) << r.body;
  auto err = parse(r.body).at("error").as_object();
  EXPECT_NE(std::string(err.at("message").as_string()).find("gemini"), std::string::npos);
  EXPECT_EQ(err.at("type").as_string(), "invalid_request_error");
}

TEST_F(GatewayTest, BadInputIs4xxInOpenAIErrorShape) {
  auto gw = start_gateway(kBasicConfig);
  struct Case {
    std::string body;
    int status;
  };
  for (
      const auto& c : std::vector<Case>{
          {R"({"model": "mistral-small", "messages": )", 400},       // malformed JSON
          {R"([1,2,3])", 400},                                       // not an object
          {R"({"messages":[{"role":"user","content":"x"}]})", 400},  // no model
          {R"({"model":"mistral-small","messages":"hi"})", 400},     // wrong type
          {R"({"model":"mistral-small","messages":[]})", 400},       // empty
          {R"({"model":"mistral-small","messages":[{"role":"user","content":"x"}],"stream":"yes"})",
           400},
          {R"({"model":"mistral-small","messages":[{"role":"user","content":"x"}],"temperature":"hot"})",
           400},
      }) {
    auto r = http_request(gw->port(), "POST", "/v1/chat/completions", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    auto o = parse(r.body);
    ASSERT_TRUE(o.contains("error")) << r.body;
    for (const char* k : {"message", "type", "param", "code"}) {
      EXPECT_TRUE(o.at("error").as_object().contains(k)) << k << " in " << r.body;
    }
  }
}

TEST_F(GatewayTest, OversizedBodyIs413) {
  auto gw =
      start_gateway(kBasicConfig + std::string("general_settings:\n  max_request_size_mb: 1\n"));
  std::string big(2 * 1024 * 1024, 'a');
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions",
                        chat_body("mistral-small").substr(0, 10) + big);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
}

TEST_F(GatewayTest, MasterKeyIsRequiredWhenConfigured) {
  auto gw = start_gateway(kBasicConfig + std::string("general_settings:\n  master_key: sk-1234\n"));
  auto none = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("mistral-small"));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(parse(none.body).at("error").at("type").as_string(), "authentication_error");
  auto wrong = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("mistral-small"),
                            {{"Authorization", "Bearer sk-nope"}});
  EXPECT_EQ(wrong.status, 401);
  auto ok = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("mistral-small"),
                         {{"Authorization", "Bearer sk-1234"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto azure = http_request(gw->port(), "GET", "/v1/models", "", {{"api-key", "sk-1234"}});
  EXPECT_EQ(azure.status, 200);
  // Liveliness stays open for orchestrators.
  EXPECT_EQ(http_request(gw->port(), "GET", "/health/liveliness").status, 200);
  EXPECT_EQ(none.body.find("sk-1234"), std::string::npos);
}

TEST_F(GatewayTest, ModelsListAndRetrieve) {
  auto gw = start_gateway(kBasicConfig);
  auto r = http_request(gw->port(), "GET", "/v1/models");
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> ids;
  const auto list = parse(r.body);
  for (const auto& m : list.at("data").as_array()) {
    ids.emplace_back(m.at("id").as_string());
    EXPECT_EQ(m.at("object").as_string(), "model");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"mistral-small", "magistral", "embed", "gemini-pro"}));
  EXPECT_EQ(http_request(gw->port(), "GET", "/v1/models/magistral").status, 200);
  EXPECT_EQ(http_request(gw->port(), "GET", "/models/nope").status, 404);

  auto info = http_request(gw->port(), "GET", "/model/info");
  ASSERT_EQ(info.status, 200);
  bool saw_unserved = false;
  const auto infos = parse(info.body);
  for (const auto& d : infos.at("data").as_array()) {
    EXPECT_FALSE(d.at("litellm_params").as_object().contains("api_key")) << "secrets hidden";
    if (d.at("model_name").as_string() == "gemini-pro") {
      saw_unserved = true;
      EXPECT_FALSE(d.at("model_info").at("supported_by_gateway").as_bool());
    }
  }
  EXPECT_TRUE(saw_unserved);
}

TEST_F(GatewayTest, HealthEndpoints) {
  auto gw = start_gateway(kBasicConfig);
  EXPECT_EQ(http_request(gw->port(), "GET", "/health/liveliness").status, 200);
  EXPECT_EQ(http_request(gw->port(), "GET", "/health/readiness").status, 200);
  auto h = http_request(gw->port(), "GET", "/health");
  ASSERT_EQ(h.status, 200);
  auto o = parse(h.body);
  EXPECT_EQ(o.at("healthy_count").to_number<int64_t>(), 3) << h.body;
  EXPECT_EQ(o.at("unhealthy_count").to_number<int64_t>(), 1) << h.body;
}

TEST_F(GatewayTest, FallsBackToTheNextGroupWhenAnUpstreamIsDown) {
  auto dead = free_port();
  auto gw = start_gateway(R"(
model_list:
  - model_name: primary
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: http://127.0.0.1:)" +
                          std::to_string(dead) + R"(/v1
  - model_name: unserved
    litellm_params:
      model: anthropic/claude-3-haiku
  - model_name: backup
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
router_settings:
  num_retries: 0
  fallbacks: [{"primary": ["unserved", "backup"]}]
)");
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("primary"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-litellm-model-group"], "backup");
}

TEST_F(GatewayTest, UpstreamErrorsKeepTheirStatusAndOpenAIShape) {
  auto gw = start_gateway(R"(
model_list:
  - model_name: limited
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
      extra_headers: {"x-emulator-fault": "status=429; retry_after=0"}
  - model_name: broken
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
      extra_headers: {"x-emulator-fault": "status=503"}
router_settings:
  num_retries: 1
  retry_after: 0
)");
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("limited"));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(parse(r.body).at("error").at("type").as_string(), "rate_limit_error");
  auto b = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("broken"));
  EXPECT_EQ(b.status, 503) << b.body;
  EXPECT_EQ(b.headers["x-litellm-call-id"].size(), 36u);
}

TEST_F(GatewayTest, RejectsAnUpstreamKeyTheEmulatorDoesNotAccept) {
  // An upstream 401 is the caller's configuration problem: 401 in OpenAI shape, no key leaked.
  auto gw = start_gateway(R"(
model_list:
  - model_name: m
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
      api_key: ""
)",
                          {}, {{"MISTRAL_API_KEY", ""}});
  auto r = http_request(gw->port(), "POST", "/v1/chat/completions", chat_body("m"));
  EXPECT_EQ(r.status, 401) << r.body;
}

TEST_F(GatewayTest, SigtermFinishesAnInFlightStreamThenExitsZero) {
  auto gw = start_gateway(R"(
model_list:
  - model_name: slow
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: ${BASE}
      extra_headers: {"x-emulator-fault": "tps=40"}
)");
  auto port = gw->port();
  auto fut = std::async(std::launch::async, [port] {
    return http_request(port, "POST", "/v1/chat/completions",
                        chat_body("slow", R"(,"stream":true,"max_tokens":30)"));
  });
  std::this_thread::sleep_for(milliseconds(300));
  int status = gw->terminate(SIGTERM, std::chrono::seconds(20));
  auto r = fut.get();
  EXPECT_EQ(status, 0) << gw->output();
  ASSERT_EQ(r.status, 200) << r.error;
  auto events = sse_data(r.body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), "[DONE]") << "the stream was finished, not cut";
}

TEST_F(GatewayTest, QuickStartWithModelFlagServesEveryRequest) {
  Process gw(binary_path("apps/litellm/litellm"),
             {"--model", "mistral/mistral-small-latest", "--host", "127.0.0.1", "--port", "0"},
             {{"MISTRAL_API_KEY", "k"}, {"MISTRAL_API_BASE", emulator_base()}});
  ASSERT_TRUE(gw.ready()) << gw.output();
  auto r = http_request(gw.port(), "POST", "/v1/chat/completions", chat_body("anything"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(gw.output().find("mistral/mistral-small-latest"), std::string::npos)
      << "one startup line per route: " << gw.output();
}

TEST_F(GatewayTest, OpenAICompatibleUpstreamThroughTheOpenAIAdapter) {
  // An `openai/` deployment with an api_base: here another gateway, a plain OpenAI-compatible
  // server. Streaming, tools, usage and errors must come through as they do for Mistral.
  auto inner = start_gateway(kBasicConfig);
  auto outer = start_gateway(R"(
model_list:
  - model_name: proxied
    litellm_params:
      model: openai/mistral-small
      api_base: http://127.0.0.1:)" +
                             std::to_string(inner->port()) + R"(/v1
      api_key: anything
  - model_name: proxied-missing
    litellm_params:
      model: openai/no-such-group
      api_base: http://127.0.0.1:)" +
                             std::to_string(inner->port()) + R"(/v1
      api_key: anything
)");
  auto plain = http_request(outer->port(), "POST", "/v1/chat/completions", chat_body("proxied"));
  ASSERT_EQ(plain.status, 200) << plain.body;
  auto doc = parse(plain.body);
  EXPECT_GT(doc.at("usage").at("total_tokens").to_number<int64_t>(), 0);

  auto stream = http_request(
      outer->port(), "POST", "/v1/chat/completions",
      chat_body("proxied", R"(,"stream":true,"stream_options":{"include_usage":true})"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  auto events = sse_data(stream.body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.back(), "[DONE]");
  auto usage_chunk = parse(events[events.size() - 2]);
  EXPECT_TRUE(usage_chunk.at("choices").as_array().empty());

  std::string tools = R"(,"tools":[{"type":"function","function":{"name":"f",
    "parameters":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}}}],
    "tool_choice":"required")";
  auto tool =
      http_request(outer->port(), "POST", "/v1/chat/completions", chat_body("proxied", tools));
  ASSERT_EQ(tool.status, 200) << tool.body;
  auto tdoc = parse(tool.body);
  EXPECT_EQ(tdoc.at("choices").at(0).at("finish_reason").as_string(), "tool_calls");

  auto err =
      http_request(outer->port(), "POST", "/v1/chat/completions", chat_body("proxied-missing"));
  EXPECT_EQ(err.status, 400) << err.body;
  EXPECT_TRUE(parse(err.body).contains("error"));
}

TEST_F(GatewayTest, BadConfigFailsAtStartupNamingTheKey) {
  auto path = write_temp("bad.yaml", "model_list:\n  - model_name: x\n    litellm_params: {}\n");
  Process p(binary_path("apps/litellm/litellm"), {"--config", path, "--port", "0"});
  EXPECT_FALSE(p.ready());
  EXPECT_NE(p.terminate(SIGTERM), 0);
  EXPECT_NE(p.output().find("model_list[0].litellm_params.model"), std::string::npos) << p.output();
}

}  // namespace
}  // namespace litellm::testing
