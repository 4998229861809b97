// The OpenAI-compatible adapter and the provider registry.
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "providers/openai/openai.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace json = boost::json;
using testing::Split;

Target target_for(std::string_view provider, std::string_view model = "some-model") {
  Target t;
  t.provider = std::string(provider);
  t.model = std::string(model);
  t.api_key = "sk-test";
  return t;
}

const ProviderAdapter& get(std::string_view name) {
  const ProviderAdapter* a = find_adapter(name);
  EXPECT_NE(a, nullptr) << name;
  return *a;
}

TEST(ProviderRegistry, ServesEveryDocumentedPrefix) {
  for (std::string_view p : {"mistral", "openai", "groq", "cerebras", "openrouter", "together_ai",
                             "deepseek", "perplexity", "fireworks_ai", "xai", "nvidia_nim",
                             "github", "hosted_vllm", "lm_studio", "ollama_chat", "ollama"}) {
    const ProviderAdapter* a = find_adapter(p);
    ASSERT_NE(a, nullptr) << p;
    EXPECT_EQ(a->name(), p);
  }
  EXPECT_EQ(find_adapter("anthropic"), nullptr);
  EXPECT_EQ(find_adapter(""), nullptr);
}

TEST(ProviderRegistry, KnowsLiteLLMsBasesAndKeys) {
  EXPECT_EQ(get("openai").default_api_base(), "https://api.openai.com/v1");
  EXPECT_EQ(get("openai").api_key_env(), "OPENAI_API_KEY");
  EXPECT_EQ(get("openai").api_base_envs().size(), 2U);
  EXPECT_EQ(get("groq").default_api_base(), "https://api.groq.com/openai/v1");
  EXPECT_EQ(get("deepseek").default_api_base(), "https://api.deepseek.com/beta");
  EXPECT_EQ(get("perplexity").api_key_env(), "PERPLEXITYAI_API_KEY");
  EXPECT_EQ(get("together_ai").api_key_envs().size(), 4U);
  EXPECT_EQ(get("ollama").default_api_base(), "http://localhost:11434/v1");
  EXPECT_EQ(get("mistral").default_api_base(), "https://api.mistral.ai/v1");
  EXPECT_EQ(get("mistral").api_key_env(), "MISTRAL_API_KEY");
  EXPECT_EQ(get("hosted_vllm").default_api_base(), "");
}

TEST(SplitModel, SplitsOnlyKnownProviderPrefixes) {
  using P = std::pair<std::string_view, std::string_view>;
  EXPECT_EQ(split_model("mistral/mistral-small-latest"), P("mistral", "mistral-small-latest"));
  EXPECT_EQ(split_model("mistral-small-latest"), P("", "mistral-small-latest"));
  EXPECT_EQ(split_model("groq/llama-3.1-8b-instant"), P("groq", "llama-3.1-8b-instant"));
  EXPECT_EQ(split_model("openrouter/meta-llama/llama-3-70b"),
            P("openrouter", "meta-llama/llama-3-70b"));
  EXPECT_EQ(split_model("mistralai/Mistral-7B"), P("", "mistralai/Mistral-7B"));
  EXPECT_EQ(split_model("/x"), P("", "/x"));
  EXPECT_EQ(split_model(""), P("", ""));
}

TEST(OpenAICompatibleRequest, ForwardsOpenAIParamsAndDropsLiteLLMOnes) {
  auto r =
      testing::parse_object(R"({"model":"groq/llama","messages":[{"role":"user","content":"hi"}],
      "temperature":0.1,"logit_bias":{"1":2},"user":"u","stream":true,"stream_options":{"include_usage":true},
      "metadata":{"x":1},"num_retries":2,"fallbacks":["a"],"mock_response":"x","guardrails":["g"],"seed":null})");
  auto up = get("groq").chat_request(r, target_for("groq", "llama-3.1-8b-instant"));
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->url, "https://api.groq.com/openai/v1/chat/completions");
  auto body = testing::parse_object(up->body);
  EXPECT_EQ(body.at("model"), "llama-3.1-8b-instant");
  for (const char* kept :
       {"messages", "temperature", "logit_bias", "user", "stream", "stream_options"}) {
    EXPECT_TRUE(body.contains(kept)) << kept;
  }
  for (const char* gone :
       {"metadata", "num_retries", "fallbacks", "mock_response", "guardrails", "seed"}) {
    EXPECT_FALSE(body.contains(gone)) << gone;
  }
  bool auth = false;
  for (const auto& [k, v] : up->headers)
    auth = auth || (k == "Authorization" && v == "Bearer sk-test");
  EXPECT_TRUE(auth);
}

TEST(OpenAICompatibleRequest, UsesTheDeploymentApiBase) {
  Target t = target_for("openai", "gpt-4o-mini");
  t.api_base = "http://127.0.0.1:4010/v1/";
  auto up = get("openai").chat_request(
      testing::parse_object(R"({"messages":[{"role":"user","content":"x"}]})"), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->url, "http://127.0.0.1:4010/v1/chat/completions");
  auto emb = get("openai").embedding_request(testing::parse_object(R"({"input":"x"})"), t);
  ASSERT_TRUE(emb.ok());
  EXPECT_EQ(emb->url, "http://127.0.0.1:4010/v1/embeddings");
}

TEST(OpenAICompatibleRequest, AppendsV1ForOllamaServers) {
  Target t = target_for("ollama_chat", "llama3");
  t.api_base = "http://localhost:11434";
  auto up = get("ollama_chat")
                .chat_request(
                    testing::parse_object(R"({"messages":[{"role":"user","content":"x"}]})"), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->url, "http://localhost:11434/v1/chat/completions");
}

TEST(OpenAICompatibleRequest, NeedsAnApiBaseWhereLiteLLMHasNoDefault) {
  auto up =
      get("hosted_vllm")
          .chat_request(testing::parse_object(R"({"messages":[{"role":"user","content":"x"}]})"),
                        target_for("hosted_vllm"));
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().param, "api_base");
  EXPECT_NE(up.error().message.find("HOSTED_VLLM_API_BASE"), std::string::npos);
}

TEST(OpenAICompatibleRequest, ValidatesMessagesAndInput) {
  auto bad = get("openai").chat_request(testing::parse_object(R"({"messages":"x"})"),
                                        target_for("openai"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().param, "messages");
  auto none = get("openai").embedding_request(testing::parse_object(R"({"model":"x"})"),
                                              target_for("openai"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().param, "input");
}

TEST(OpenAICompatibleResponse, NormalisesToolCallsAndReasoning) {
  auto out =
      get("openrouter")
          .chat_response(
              R"({"id":"gen-1","object":"chat.completion","created":5,"model":"x","choices":[{"index":0,
          "finish_reason":"tool_calls","message":{"role":"assistant","content":null,"reasoning":"hmm",
          "tool_calls":[{"id":"call_1","function":{"name":"f","arguments":{"a":1}}}]}}],
          "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})",
              {}, target_for("openrouter"));
  ASSERT_TRUE(out.ok()) << out.error().message;
  const auto& m = out->at("choices").as_array()[0].at("message");
  EXPECT_EQ(m.at("reasoning_content"), "hmm");
  const auto& tc = m.at("tool_calls").as_array()[0];
  EXPECT_EQ(tc.at("type"), "function");
  EXPECT_EQ(tc.at("function").at("arguments"), "{\"a\":1}");
}

TEST(OpenAICompatibleResponse, SplitsLeadingThinkTags) {
  auto out = get("ollama").chat_response(
      R"({"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"<think>r</think>a"}}]})",
      {}, target_for("ollama"));
  ASSERT_TRUE(out.ok());
  const auto& m = out->at("choices").as_array()[0].at("message");
  EXPECT_EQ(m.at("content"), "a");
  EXPECT_EQ(m.at("reasoning_content"), "r");
  EXPECT_EQ(out->at("object"), "chat.completion");
}

TEST(OpenAICompatibleResponse, MapsAnErrorBody) {
  auto out = get("openai").chat_response(R"({"error":{"message":"boom","type":"server_error"}})",
                                         {}, target_for("openai"));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("OpenAIException - boom"), std::string::npos);
}

TEST(OpenAICompatibleStream, PassesChunksThroughInAnySplit) {
  const std::string bytes =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_"
      "reason\":null}]}\n\n"
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"r\",\"tool_calls\":[{\"index\":0,"
      "\"id\":\"t\","
      "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}"
      "\n\n"
      "data: [DONE]\n\n";
  json::object req{{"stream", true}};
  auto whole = testing::run_stream(get("groq"), req, target_for("groq"), bytes, Split::whole);
  ASSERT_TRUE(whole.ok) << whole.error.message;
  ASSERT_EQ(whole.chunks.size(), 3U);
  EXPECT_EQ(whole.chunks[1].at("choices").as_array()[0].at("delta").at("reasoning_content"), "r");
  EXPECT_EQ(whole.chunks[1]
                .at("choices")
                .as_array()[0]
                .at("delta")
                .at("tool_calls")
                .as_array()[0]
                .at("type"),
            "function");
  ASSERT_TRUE(whole.usage);
  EXPECT_EQ(whole.usage->at("total_tokens"), 3);
  auto bytewise = testing::run_stream(get("groq"), req, target_for("groq"), bytes, Split::one_byte);
  EXPECT_EQ(bytewise.chunks, whole.chunks);
}

TEST(OpenAICompatibleStream, ReportsCutsAndErrorEvents) {
  json::object req{{"stream", true}};
  auto cut = testing::run_stream(
      get("openai"), req, target_for("openai"),
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n",
      Split::whole);
  ASSERT_FALSE(cut.ok);
  EXPECT_EQ(cut.error.kind, ErrorKind::api_connection);
  EXPECT_EQ(cut.chunks.size(), 1U);
  auto err = testing::run_stream(
      get("openai"), req, target_for("openai"),
      "data: {\"error\":{\"message\":\"Rate limit reached\",\"code\":429}}\n\n", Split::whole);
  ASSERT_FALSE(err.ok);
  EXPECT_EQ(err.error.kind, ErrorKind::rate_limit);
}

TEST(OpenAICompatibleError, UsesLiteLLMsExceptionNames) {
  auto t = target_for("together_ai");
  Error e =
      get("together_ai")
          .map_error(
              401,
              R"({"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}})",
              {}, t);
  EXPECT_EQ(e.kind, ErrorKind::authentication);
  EXPECT_EQ(e.message, "AuthenticationError: Together_aiException - Invalid API key");
  EXPECT_EQ(e.code, "invalid_api_key");
  EXPECT_EQ(e.provider, "together_ai");
  Error o = get("openai").map_error(
      404,
      R"({"error":{"message":"The model `x` does not exist","type":"invalid_request_error","code":"model_not_found"}})",
      {}, target_for("openai"));
  EXPECT_EQ(o.kind, ErrorKind::not_found);
  EXPECT_EQ(o.message, "OpenAIException - The model `x` does not exist");
}

TEST(OpenAICompatibleEmbeddings, PassThroughWithDefaults) {
  auto out = get("openai").embedding_response(R"({"data":[{"embedding":[0.5],"index":0}]})", {},
                                              target_for("openai", "text-embedding-3-small"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("object"), "list");
  EXPECT_EQ(out->at("model"), "text-embedding-3-small");
}

}  // namespace
}  // namespace litellm::providers
