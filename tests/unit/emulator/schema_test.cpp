#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "emulator/schema.hpp"

namespace litellm::emulator {
namespace {

namespace json = boost::json;

json::array chat_issues(std::string_view body) {
  return validate_chat_request(json::parse(body));
}

TEST(EmulatorChatSchema, AcceptsAMinimalRequest) {
  EXPECT_TRUE(chat_issues(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})").empty());
}

TEST(EmulatorChatSchema, RejectsStreamOptionsAsExtraForbidden) {
  auto issues = chat_issues(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("type"), "extra_forbidden");
  EXPECT_EQ(issues[0].at("msg"), "Extra inputs are not permitted");
  EXPECT_EQ(issues[0].at("loc"), json::parse(R"(["body","stream_options"])"));
  EXPECT_EQ(issues[0].at("input"), json::parse(R"({"include_usage":true})"));
}

TEST(EmulatorChatSchema, NamesTheRoleInTheLocationOfAMessageField) {
  auto issues =
      chat_issues(R"({"model":"m","messages":[{"role":"user","content":"hi","name":"bob"}]})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("loc"), json::parse(R"(["body","messages",0,"user","name"])"));
}

TEST(EmulatorChatSchema, ReportsMissingMessagesAsFieldRequired) {
  auto issues = chat_issues(R"({"model":"m"})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("type"), "missing");
  EXPECT_EQ(issues[0].at("msg"), "Field required");
  EXPECT_EQ(issues[0].at("loc"), json::parse(R"(["body","messages"])"));
}

TEST(EmulatorChatSchema, RejectsWrongScalarTypesStrictly) {
  auto issues = chat_issues(
      R"({"model":3,"messages":[{"role":"user","content":"hi"}],"temperature":"0.5","stream":1,"max_tokens":2.5})");
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[0].at("type"), "string_type");
  EXPECT_EQ(issues[1].at("type"), "float_type");
  EXPECT_EQ(issues[2].at("type"), "int_from_float");
  EXPECT_EQ(issues[3].at("type"), "bool_type");
}

TEST(EmulatorChatSchema, ChecksNumericBoundsWithPydanticMessages) {
  auto issues = chat_issues(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":2,"top_p":0,"n":0})");
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].at("type"), "less_than_equal");
  EXPECT_EQ(issues[0].at("msg"), "Input should be less than or equal to 1.5");
  EXPECT_EQ(issues[0].at("ctx"), json::parse(R"({"le":1.5})"));
  EXPECT_EQ(issues[1].at("type"), "greater_than");
  EXPECT_EQ(issues[2].at("msg"), "Input should be greater than or equal to 1");
}

TEST(EmulatorChatSchema, RejectsAnUnknownRoleAsAnInvalidUnionTag) {
  auto issues = chat_issues(R"({"model":"m","messages":[{"role":"developer","content":"hi"}]})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("type"), "union_tag_invalid");
  EXPECT_EQ(issues[0].at("msg"),
            "Input tag 'developer' found using 'role' does not match any of the expected tags: "
            "'system', 'user', 'assistant', 'tool'");
}

TEST(EmulatorChatSchema, RejectsRequiredAsAToolChoiceObjectButAcceptsTheEnum) {
  EXPECT_TRUE(
      chat_issues(
          R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"required"})")
          .empty());
  auto issues = chat_issues(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"})");
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].at("loc"), json::parse(R"(["body","tool_choice","ToolChoice"])"));
  EXPECT_EQ(issues.back().at("type"), "enum");
}

TEST(EmulatorChatSchema, AcceptsTheAssistantMessageTheMistralSdkEchoes) {
  auto issues = chat_issues(R"({"model":"m","messages":[
      {"role":"user","content":"weather?"},
      {"role":"assistant","content":"","prefix":false,"tool_calls":[
        {"id":"abcDEF123","type":"function","index":0,
         "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
      {"role":"tool","tool_call_id":"abcDEF123","name":"get_weather","content":"sunny"}]})");
  EXPECT_TRUE(issues.empty()) << json::serialize(issues);
}

TEST(EmulatorChatSchema, RejectsAnEchoedReasoningContentField) {
  auto issues = chat_issues(R"({"model":"m","messages":[{"role":"user","content":"a"},
      {"role":"assistant","content":"b","reasoning_content":"c"},{"role":"user","content":"d"}]})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("loc"),
            json::parse(R"(["body","messages",1,"assistant","reasoning_content"])"));
}

TEST(EmulatorChatSchema, AcceptsNullWhereTheSpecAllowsIt) {
  EXPECT_TRUE(chat_issues(R"({"model":"m","messages":[{"role":"user","content":null}],
      "temperature":null,"max_tokens":null,"stop":null,"random_seed":null,"tools":null})")
                  .empty());
  EXPECT_FALSE(
      chat_issues(R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":null})")
          .empty());
}

TEST(EmulatorChatSchema, ValidatesContentChunksByType) {
  auto issues = chat_issues(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"http://x","detail":"huge"}}]}]})");
  bool saw_enum = false;
  for (const auto& i : issues) {
    saw_enum = saw_enum || (i.at("type") == "enum" &&
                            i.at("loc") == json::parse(R"(["body","messages",0,"user","content",
                                "list[ContentChunk]",1,"image_url","image_url","ImageURL","detail"])"));
  }
  EXPECT_TRUE(saw_enum) << json::serialize(issues);
}

TEST(EmulatorChatSchema, BoundsTheNumberOfReportedIssues) {
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi"}])";
  for (int i = 0; i < 200; ++i)
    body += ",\"x" + std::to_string(i) + "\":1";
  body += "}";
  EXPECT_EQ(chat_issues(body).size(), kMaxValidationIssues);
}

TEST(EmulatorChatSchema, DoesNotEchoALargeInputIntoTheAnswer) {
  std::string body = R"({"model":")" + std::string(1 << 20, 'x') + R"("})";
  auto issues = chat_issues(body);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("type"), "missing");
  EXPECT_LT(json::serialize(issues).size(), 1024u);
}

TEST(EmulatorChatSchema, RejectsANonObjectBody) {
  auto issues = validate_chat_request(json::parse("[1,2]"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("type"), "model_attributes_type");
}

TEST(EmulatorEmbeddingSchema, RejectsAnUnknownDtypeAndAcceptsKnownOnes) {
  EXPECT_TRUE(
      validate_embedding_request(
          json::parse(
              R"({"model":"m","input":["a"],"output_dtype":"ubinary","encoding_format":"base64"})"))
          .empty());
  auto issues =
      validate_embedding_request(json::parse(R"({"model":"m","input":"a","output_dtype":"int4"})"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("msg"), "Input should be 'float', 'int8', 'uint8', 'binary' or 'ubinary'");
}

TEST(EmulatorFimSchema, RequiresAPrompt) {
  auto issues = validate_fim_request(json::parse(R"({"model":"codestral-latest"})"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].at("loc"), json::parse(R"(["body","prompt"])"));
}

}  // namespace
}  // namespace litellm::emulator
