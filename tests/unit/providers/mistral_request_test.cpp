// Mistral request mapping: the edges the golden fixtures do not spell out.
#include <gtest/gtest.h>

#include <set>

#include "core/json.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace json = boost::json;
using mistral::adapter;

json::object request_with(std::string_view extra_json = "{}") {
  json::object r = testing::parse_object(R"({"model":"mistral-small-latest",
      "messages":[{"role":"user","content":"Hi"}]})");
  for (const auto& kv : testing::parse_object(extra_json))
    r[kv.key()] = kv.value();
  return r;
}

json::object sent_body(const json::object& request, const Target& target) {
  auto up = adapter().chat_request(request, target);
  EXPECT_TRUE(up.ok()) << (up.ok() ? "" : up.error().message);
  return up.ok() ? testing::parse_object(up->body) : json::object();
}

std::string header(const UpstreamRequest& up, std::string_view name) {
  for (const auto& [k, v] : up.headers) {
    if (k == name) return v;
  }
  return "<none>";
}

TEST(MistralApiBase, AppendsV1WhenMissingAsLiteLLMDoes) {
  EXPECT_EQ(mistral::normalize_api_base("https://api.mistral.ai"), "https://api.mistral.ai/v1");
  EXPECT_EQ(mistral::normalize_api_base("https://api.mistral.ai/"), "https://api.mistral.ai/v1");
  EXPECT_EQ(mistral::normalize_api_base("https://api.mistral.ai/v1"), "https://api.mistral.ai/v1");
  EXPECT_EQ(mistral::normalize_api_base("https://api.mistral.ai/v1//"),
            "https://api.mistral.ai/v1");
  EXPECT_EQ(mistral::normalize_api_base("http://127.0.0.1:8080"), "http://127.0.0.1:8080/v1");
  EXPECT_EQ(mistral::normalize_api_base("https://proxy.example/mistral"),
            "https://proxy.example/mistral/v1");
}

TEST(MistralApiBase, EmptyMeansTheDefault) {
  EXPECT_EQ(mistral::normalize_api_base(""), "https://api.mistral.ai/v1");
  Target t = testing::mistral_target();
  t.api_base.clear();
  auto up = adapter().chat_request(request_with(), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->url, "https://api.mistral.ai/v1/chat/completions");
}

TEST(MistralChatRequest, SendsBearerAuthJsonAndExtraHeaders) {
  Target t = testing::mistral_target();
  t.api_base = "http://127.0.0.1:9999";
  t.extra_headers = {{"X-Trace", "42"}};
  auto up = adapter().chat_request(request_with(), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->url, "http://127.0.0.1:9999/v1/chat/completions");
  EXPECT_EQ(header(*up, "Authorization"), "Bearer test-key");
  EXPECT_EQ(header(*up, "Content-Type"), "application/json");
  EXPECT_EQ(header(*up, "Accept"), "application/json");
  EXPECT_EQ(header(*up, "X-Trace"), "42");
}

TEST(MistralChatRequest, SendsNoAuthorizationWithoutAKey) {
  Target t = testing::mistral_target();
  t.api_key.clear();
  auto up = adapter().chat_request(request_with(), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(header(*up, "Authorization"), "<none>");
}

TEST(MistralChatRequest, UsesTheTargetModelNotTheRequestModel) {
  auto body = sent_body(request_with(R"({"model":"my-group-alias"})"), testing::mistral_target());
  EXPECT_EQ(body.at("model"), "mistral-small-latest");
}

TEST(MistralChatRequest, NeverSendsAFieldOutsideMistralsSpec) {
  // Everything an OpenAI client might send at once.
  auto r = request_with(R"({"temperature":0.5,"top_p":1,"max_tokens":5,"max_completion_tokens":6,
      "stream":true,"stream_options":{"include_usage":true},"stop":["x"],"seed":1,
      "response_format":{"type":"json_object"},"tools":[],"tool_choice":"auto",
      "presence_penalty":0,"frequency_penalty":0,"n":1,"parallel_tool_calls":true,
      "user":"u","metadata":{"a":1},"reasoning_effort":"low","safe_prompt":false,
      "prompt_cache_key":"k","service_tier":"auto","guardrails":["pii"],"prompt_mode":"reasoning",
      "random_seed":3,"prediction":{"type":"content","content":"x"},"num_retries":3,
      "fallbacks":["m"],"mock_response":"hi","litellm_metadata":{}})");
  auto body = sent_body(r, testing::mistral_target());
  const std::set<std::string> allowed{"model",
                                      "messages",
                                      "temperature",
                                      "top_p",
                                      "max_tokens",
                                      "stream",
                                      "stop",
                                      "random_seed",
                                      "metadata",
                                      "response_format",
                                      "tools",
                                      "tool_choice",
                                      "presence_penalty",
                                      "frequency_penalty",
                                      "n",
                                      "prediction",
                                      "parallel_tool_calls",
                                      "prompt_mode",
                                      "reasoning_effort",
                                      "safe_prompt",
                                      "guardrails",
                                      "prompt_cache_key",
                                      "service_tier"};
  for (const auto& kv : body)
    EXPECT_TRUE(allowed.count(std::string(kv.key()))) << kv.key();
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_FALSE(body.contains("metadata"));
  EXPECT_FALSE(body.contains("guardrails"));  // LiteLLM guardrail names are proxy bookkeeping
  EXPECT_EQ(body.at("max_tokens"), 6);
  EXPECT_EQ(body.at("random_seed"), 3);  // the native name wins over seed
  EXPECT_EQ(body.at("prompt_mode"), "reasoning");
}

TEST(MistralChatRequest, ForwardsMistralGuardrailObjects) {
  auto body = sent_body(request_with(R"({"guardrails":[{"block_on_error":true}]})"),
                        testing::mistral_target());
  ASSERT_TRUE(body.contains("guardrails"));
  EXPECT_EQ(body.at("guardrails").as_array().size(), 1U);
}

TEST(MistralChatRequest, SetsAcceptEventStreamWhenStreaming) {
  auto up = adapter().chat_request(request_with(R"({"stream":true})"), testing::mistral_target());
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(header(*up, "Accept"), "text/event-stream");
}

TEST(MistralChatRequest, ListsEveryUnsupportedParamInRequestOrder) {
  auto up =
      adapter().chat_request(request_with(R"({"logprobs":true,"top_logprobs":2,"store":true})"),
                             testing::mistral_target());
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().kind, ErrorKind::unsupported_params);
  EXPECT_NE(up.error().message.find("['logprobs', 'top_logprobs', 'store']"), std::string::npos)
      << up.error().message;
  EXPECT_EQ(up.error().http_status(), 400);
}

TEST(MistralChatRequest, MapsOpenAIServiceTiersAsUnsupported) {
  auto bad =
      adapter().chat_request(request_with(R"({"service_tier":"flex"})"), testing::mistral_target());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::unsupported_params);
  EXPECT_EQ(bad.error().param, "service_tier");
  Target drop = testing::mistral_target();
  drop.drop_params = true;
  EXPECT_FALSE(
      sent_body(request_with(R"({"service_tier":"flex"})"), drop).contains("service_tier"));
  EXPECT_EQ(
      sent_body(request_with(R"({"service_tier":"standard_only"})"), testing::mistral_target())
          .at("service_tier"),
      "standard_only");
}

struct BadRequestCase {
  const char* extra;
  const char* param;
};

class MistralChatRequestRejects : public ::testing::TestWithParam<BadRequestCase> {};

TEST_P(MistralChatRequestRejects, AWrongTypeNamingTheParam) {
  auto up = adapter().chat_request(request_with(GetParam().extra), testing::mistral_target());
  ASSERT_FALSE(up.ok()) << up->body;
  EXPECT_EQ(up.error().kind, ErrorKind::bad_request);
  EXPECT_EQ(up.error().param, GetParam().param);
  EXPECT_NE(up.error().message.find(GetParam().param), std::string::npos) << up.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Params, MistralChatRequestRejects,
    ::testing::Values(
        BadRequestCase{R"({"temperature":"hot"})", "temperature"},
        BadRequestCase{R"({"top_p":[1]})", "top_p"},
        BadRequestCase{R"({"max_tokens":1.5})", "max_tokens"},
        BadRequestCase{R"({"max_completion_tokens":"10"})", "max_completion_tokens"},
        BadRequestCase{R"({"seed":"x"})", "seed"}, BadRequestCase{R"({"n":0})", "n"},
        BadRequestCase{R"({"stream":"yes"})", "stream"},
        BadRequestCase{R"({"stream_options":true})", "stream_options"},
        BadRequestCase{R"({"stop":["a",1]})", "stop[1]"}, BadRequestCase{R"({"stop":5})", "stop"},
        BadRequestCase{R"({"tools":{}})", "tools"},
        BadRequestCase{R"({"tools":[{"type":"function"}]})", "tools[0].function"},
        BadRequestCase{R"({"tool_choice":"sometimes"})", "tool_choice"},
        BadRequestCase{R"({"tool_choice":3})", "tool_choice"},
        BadRequestCase{R"({"response_format":"json"})", "response_format"},
        BadRequestCase{R"({"response_format":{"type":"xml"}})", "response_format.type"},
        BadRequestCase{R"({"response_format":{"type":"json_schema"}})",
                       "response_format.json_schema"},
        BadRequestCase{R"({"reasoning_effort":"max"})", "reasoning_effort"},
        BadRequestCase{R"({"reasoning_effort":1})", "reasoning_effort"},
        BadRequestCase{R"({"parallel_tool_calls":"no"})", "parallel_tool_calls"},
        BadRequestCase{R"({"messages":[1]})", "messages[0]"},
        BadRequestCase{R"({"messages":[{"role":"function","content":"x"}]})", "messages[0].role"},
        BadRequestCase{R"({"messages":[{"role":"user"}]})", "messages[0].content"},
        BadRequestCase{R"({"messages":[{"role":"user","content":5}]})", "messages[0].content"},
        BadRequestCase{R"({"messages":[{"role":"user","content":[{"type":"video"}]}]})",
                       "messages[0].content[0].type"},
        BadRequestCase{R"({"messages":[{"role":"assistant","tool_calls":[{"id":"a"}]}]})",
                       "messages[0].tool_calls[0].function"}));

TEST(MistralChatRequest, RejectsAMissingMessagesList) {
  json::object r{{"model", "m"}};
  auto up = adapter().chat_request(r, testing::mistral_target());
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().param, "messages");
}

TEST(MistralChatRequest, KeepsAssistantPrefixAndSystemNullBecomesEmptyText) {
  auto r = request_with(R"({"messages":[{"role":"system","content":null},
      {"role":"user","content":"Write a haiku"},{"role":"assistant","content":"Autumn","prefix":true}]})");
  auto body = sent_body(r, testing::mistral_target());
  const auto& msgs = body.at("messages").as_array();
  ASSERT_EQ(msgs.size(), 3U);
  EXPECT_EQ(msgs[0].at("content"), "");
  EXPECT_EQ(msgs[2].at("prefix"), true);
}

TEST(MistralChatRequest, MapsFileAndAudioPartsToMistralChunks) {
  auto r = request_with(R"({"messages":[{"role":"user","content":[
      {"type":"text","text":"Summarise"},
      {"type":"file","file":{"file_id":"0f3c8e2a-7d5b-4c1e-9a6f-2b8d4e6f8a1c"}},
      {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
      {"type":"image_url","image_url":"https://example.com/a.png"}]}]})");
  auto body = sent_body(r, testing::mistral_target());
  const auto& parts = body.at("messages").as_array()[0].at("content").as_array();
  ASSERT_EQ(parts.size(), 4U);
  EXPECT_EQ(parts[1],
            json::parse(R"({"type":"file","file_id":"0f3c8e2a-7d5b-4c1e-9a6f-2b8d4e6f8a1c"})"));
  EXPECT_EQ(parts[2], json::parse(R"({"type":"input_audio","input_audio":"UklGRg=="})"));
  EXPECT_EQ(parts[3],
            json::parse(R"({"type":"image_url","image_url":"https://example.com/a.png"})"));
}

TEST(MistralChatRequest, RefusesInlineFileDataItCannotForward) {
  auto r = request_with(R"({"messages":[{"role":"user","content":[{"type":"text","text":"x"},
      {"type":"file","file":{"file_data":"data:application/pdf;base64,AAAA"}}]}]})");
  auto up = adapter().chat_request(r, testing::mistral_target());
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().param, "messages[0].content[1].file");
}

TEST(MistralToolCallId, KeepsValidIdsAndRewritesOthersDeterministically) {
  EXPECT_TRUE(mistral::is_valid_tool_call_id("D681PevKs"));
  EXPECT_FALSE(mistral::is_valid_tool_call_id("call_0"));
  EXPECT_FALSE(mistral::is_valid_tool_call_id("D681PevK_"));
  EXPECT_FALSE(mistral::is_valid_tool_call_id("D681PevKs1"));
  EXPECT_EQ(mistral::tool_call_id("D681PevKs"), "D681PevKs");
  const std::string a = mistral::tool_call_id("call_0");
  EXPECT_TRUE(mistral::is_valid_tool_call_id(a)) << a;
  EXPECT_EQ(mistral::tool_call_id("call_0"), a);
  EXPECT_NE(mistral::tool_call_id("call_1"), a);
  EXPECT_TRUE(mistral::is_valid_tool_call_id(mistral::tool_call_id("")));
}

TEST(MistralToolCallId, GivesDistinctIdsToManyOriginals) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i)
    seen.insert(mistral::tool_call_id("call_" + std::to_string(i)));
  EXPECT_EQ(seen.size(), 10000U);
}

TEST(MistralChatRequest, ReasoningPromptGoesIntoASystemMessageWithContentParts) {
  Target t = testing::mistral_target();
  t.model = "magistral-medium-latest";
  auto r = request_with(R"({"reasoning_effort":"high","messages":[{"role":"system","content":[
      {"type":"text","text":"Rules"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
      {"role":"user","content":"Hi"}]})");
  auto body = sent_body(r, t);
  const auto& parts = body.at("messages").as_array()[0].at("content").as_array();
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_EQ(parts[0].at("text").as_string(), std::string(mistral::kReasoningPrompt) + "\n\n");
  EXPECT_FALSE(body.contains("reasoning_effort"));
}

// The body is written in one pass, so parameters that two request keys set are settled before
// they are written: each must appear once, with the winner's value.
TEST(MistralChatRequest, WritesEachRenamedParameterOnceWithTheWinningValue) {
  auto up = adapter().chat_request(
      request_with(R"({"seed":1,"random_seed":2,"max_tokens":3,"max_completion_tokens":4})"),
      testing::mistral_target());
  ASSERT_TRUE(up.ok()) << up.error().message;
  // Boost.JSON keeps the last of duplicate keys: count in the text, not in the parsed object.
  auto count = [&](std::string_view key) {
    std::size_t n = 0;
    for (auto at = up->body.find(key); at != std::string::npos; at = up->body.find(key, at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("\"random_seed\""), 1U) << up->body;
  EXPECT_EQ(count("\"max_tokens\""), 1U) << up->body;
  const auto body = testing::parse_object(up->body);
  EXPECT_EQ(body.at("random_seed"), 2);
  EXPECT_EQ(body.at("max_tokens"), 4);
}

TEST(MistralChatRequest, ReasoningModeOverridesTheCallersPromptModeOnce) {
  Target t = testing::mistral_target();
  t.reasoning = ReasoningMode::prompt_mode;
  auto up = adapter().chat_request(
      request_with(R"({"reasoning_effort":"high","prompt_mode":"other"})"), t);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->body.find("\"prompt_mode\""), up->body.rfind("\"prompt_mode\"")) << up->body;
  EXPECT_EQ(testing::parse_object(up->body).at("prompt_mode"), "reasoning");
}

// Which mistake is reported first is what a user fixing a request sees: the messages' one, then
// reasoning_effort's, then the scalar parameters' in their order.
TEST(MistralChatRequest, ReportsTheMessagesErrorBeforeTheReasoningOne) {
  auto up =
      adapter().chat_request(request_with(R"({"reasoning_effort":"extreme","temperature":"hot",
          "messages":[{"role":"robot","content":"Hi"}]})"),
                             testing::mistral_target());
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().param, "messages[0].role");
  auto effort =
      adapter().chat_request(request_with(R"({"reasoning_effort":"extreme","temperature":"hot"})"),
                             testing::mistral_target());
  ASSERT_FALSE(effort.ok());
  EXPECT_EQ(effort.error().param, "reasoning_effort");
}

// A developer message is a system message (the prompt goes into it), and an empty assistant
// message dropped before it does not move where the prompt goes.
TEST(MistralChatRequest, ReasoningPromptGoesIntoTheFirstDeveloperMessage) {
  Target t = testing::mistral_target();
  t.model = "magistral-small-latest";
  auto body = sent_body(request_with(R"({"reasoning_effort":"low","messages":[
      {"role":"assistant","content":""},{"role":"user","content":"Hi"},
      {"role":"developer","content":"Be brief"},{"role":"system","content":"Second"}]})"),
                        t);
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 3U) << json::serialize(body);
  EXPECT_EQ(messages[0].at("role"), "user");
  EXPECT_EQ(messages[1].at("role"), "system");
  EXPECT_EQ(messages[1].at("content").as_string(),
            std::string(mistral::kReasoningPrompt) + "\n\nBe brief");
  EXPECT_EQ(messages[2].at("content"), "Second");
}

}  // namespace
}  // namespace litellm::providers
