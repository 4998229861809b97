// Mistral answers -> OpenAI shape: leniency and the edges of chat and embeddings responses.
#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>

#include "core/json.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace json = boost::json;
using mistral::adapter;

TEST(MistralChatResponse, IgnoresUnknownFieldsAndDefaultsMissingOnes) {
  auto out = adapter().chat_response(
      R"({"choices":[{"message":{"content":"ok","future_field":1}}],"p":"pad"})", {},
      testing::mistral_target());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->at("object"), "chat.completion");
  EXPECT_EQ(out->at("model"), "mistral-small-latest");
  const auto& c = out->at("choices").as_array()[0];
  EXPECT_EQ(c.at("index"), 0);
  EXPECT_EQ(c.at("finish_reason"), "stop");
  EXPECT_EQ(c.at("message").at("content"), "ok");
  EXPECT_EQ(out->at("usage"),
            json::parse(R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0})"));
}

// Who owns the answer's memory is part of the contract: a request in a caller-owned arena (the
// gateway's per-request monotonic resource) gets its response in that arena, which the caller
// keeps alive; any other request gets a response that owns its own storage.
TEST(MistralChatResponse, BuildsTheResponseInTheRequestsArenaOnlyWhenTheCallerOwnsOne) {
  const std::string answer = R"({"id":"a","choices":[{"message":{"content":"ok"}}]})";
  json::monotonic_resource arena;
  json::object in_arena{json::storage_ptr(&arena)};
  in_arena["model"] = "mistral-small-latest";
  auto out = adapter().chat_response(answer, in_arena, testing::mistral_target());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->storage().get(), &arena);
  EXPECT_EQ(out->at("choices").as_array()[0].at("message").at("content"), "ok");

  json::object on_heap;  // default storage: the SDK's requests
  on_heap["model"] = "mistral-small-latest";
  auto own = adapter().chat_response(answer, on_heap, testing::mistral_target());
  ASSERT_TRUE(own.ok());
  EXPECT_NE(own->storage().get(), &arena);
  EXPECT_NE(own->storage().get(), on_heap.storage().get());
  EXPECT_EQ(own->at("choices").as_array()[0].at("message").at("content"), "ok");
}

TEST(MistralChatResponse, MergesTheMessagesFormOfAChoice) {
  auto out = adapter().chat_response(
      R"({"id":"x","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop",
          "messages":[{"content":"Hel"},{"content":"lo","tool_calls":[{"id":"D681PevKs",
          "function":{"name":"f","arguments":"{}"}}]}]}],
          "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})",
      {}, testing::mistral_target());
  ASSERT_TRUE(out.ok());
  const auto& c = out->at("choices").as_array()[0];
  EXPECT_EQ(c.at("message").at("content"), "Hello");
  EXPECT_EQ(c.at("message").at("tool_calls").as_array().size(), 1U);
  EXPECT_EQ(c.at("finish_reason"), "tool_calls");  // tool calls were made
}

TEST(MistralChatResponse, ComputesTotalTokensWhenMissing) {
  auto out = adapter().chat_response(
      R"({"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
          "usage":{"prompt_tokens":4,"completion_tokens":6}})",
      {}, testing::mistral_target());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("usage").at("total_tokens"), 10);
}

TEST(MistralChatResponse, TurnsAnErrorBodyWithStatus200IntoAnError) {
  auto out = adapter().chat_response(
      R"({"object":"error","message":"Invalid model: x","type":"invalid_model","code":"1500"})", {},
      testing::mistral_target());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "1500");
  EXPECT_EQ(out.error().message, "InternalServerError: MistralException - Invalid model: x");
}

TEST(MistralChatResponse, RejectsInvalidJsonAndMissingChoices) {
  auto bad = adapter().chat_response("{oops", {}, testing::mistral_target());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::api_error);
  EXPECT_EQ(bad.error().body, "{oops");
  auto none = adapter().chat_response(R"({"id":"x"})", {}, testing::mistral_target());
  EXPECT_FALSE(none.ok());
}

TEST(MistralChatResponse, KeepsUnclosedThinkTextAsReasoning) {
  auto out = adapter().chat_response(
      R"({"choices":[{"message":{"content":"<think>still thinking"},"finish_reason":"length"}]})",
      {}, testing::mistral_target());
  ASSERT_TRUE(out.ok());
  const auto& m = out->at("choices").as_array()[0].at("message");
  EXPECT_TRUE(m.at("content").is_null());
  EXPECT_EQ(m.at("reasoning_content"), "still thinking");
}

TEST(MistralEmbeddingResponse, RejectsNonNumericVectors) {
  auto out = adapter().embedding_response(
      R"({"data":[{"embedding":["a"],"index":0}],"model":"mistral-embed"})",
      json::object{{"input", "x"}}, testing::mistral_target());
  EXPECT_FALSE(out.ok());
}

TEST(MistralEmbeddingRequest, RejectsUnknownParamsAndMissingInput) {
  Target t = testing::mistral_target();
  t.model = "mistral-embed";
  auto unknown =
      adapter().embedding_request(testing::parse_object(R"({"input":"x","truncate":true})"), t);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::unsupported_params);
  auto missing = adapter().embedding_request(testing::parse_object(R"({"model":"x"})"), t);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().param, "input");
  auto bad_format = adapter().embedding_request(
      testing::parse_object(R"({"input":"x","encoding_format":"hex"})"), t);
  ASSERT_FALSE(bad_format.ok());
  EXPECT_EQ(bad_format.error().param, "encoding_format");
}

TEST(MistralEmbeddingRequest, PassesMistralNativeOutputOptions) {
  Target t = testing::mistral_target();
  t.model = "codestral-embed";
  auto up = adapter().embedding_request(
      testing::parse_object(R"({"input":["x"],"output_dimension":512,"output_dtype":"int8"})"), t);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(
      json::parse(up->body),
      json::parse(
          R"({"model":"codestral-embed","input":["x"],"output_dimension":512,"output_dtype":"int8"})"));
}

}  // namespace
}  // namespace litellm::providers
