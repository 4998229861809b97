#include <gtest/gtest.h>

#include <cmath>

#include "emulator/embeddings.hpp"
#include "emulator/textgen.hpp"
#include "support.hpp"

namespace litellm::emulator {
namespace {

using testing::body_json;
using testing::Harness;
using testing::post;
namespace json = boost::json;

constexpr std::string_view kTools = R"("tools":[
  {"type":"function","function":{"name":"get_time","description":"Local time in a timezone",
    "parameters":{"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}}},
  {"type":"function","function":{"name":"get_weather","description":"Current weather in a city",
    "parameters":{"type":"object","properties":{
      "city":{"type":"string"},
      "unit":{"type":"string","enum":["celsius","fahrenheit"]},
      "days":{"type":"integer","minimum":1,"maximum":7},
      "hourly":{"type":"array","items":{"type":"number","minimum":0,"maximum":1},"minItems":3},
      "where":{"type":"object","properties":{"lat":{"type":"number"}},"required":["lat"]}},
      "required":["city","unit","days","hourly","where"]}}}])";

json::value chat(Harness& h, const std::string& extra,
                 std::string_view user = "What is the weather in Paris?") {
  std::string body = R"({"model":"mistral-small-latest",)" + extra +
                     R"(,"messages":[{"role":"user","content":")" + std::string(user) + R"("}]})";
  Reply r = h.chat(body);
  EXPECT_EQ(r.status, 200u) << r.body;
  return json::parse(r.body);
}

TEST(EmulatorTools, CallsTheBestMatchingToolWithArgumentsValidForItsSchema) {
  Harness h;
  auto v = chat(h, std::string(kTools));
  const auto& choice = v.at("choices").at(0);
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  const auto& call = choice.at("message").at("tool_calls").at(0);
  std::string id(call.at("id").as_string());
  ASSERT_EQ(id.size(), 9u);
  for (char c : id)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  auto args = json::parse(call.at("function").at("arguments").as_string());
  EXPECT_EQ(args.at("city"), "Paris");
  std::string unit(args.at("unit").as_string());
  EXPECT_TRUE(unit == "celsius" || unit == "fahrenheit");
  auto days = args.at("days").as_int64();
  EXPECT_GE(days, 1);
  EXPECT_LE(days, 7);
  ASSERT_GE(args.at("hourly").as_array().size(), 3u);
  for (const auto& x : args.at("hourly").as_array()) {
    EXPECT_GE(x.to_number<double>(), 0.0);
    EXPECT_LE(x.to_number<double>(), 1.0);
  }
  EXPECT_TRUE(args.at("where").at("lat").is_number());
  EXPECT_EQ(choice.at("message").at("content"), "");
}

TEST(EmulatorTools, AnswersInTextWhenToolChoiceIsNone) {
  Harness h;
  auto v = chat(h, std::string(kTools) + R"(,"tool_choice":"none")");
  EXPECT_TRUE(v.at("choices").at(0).at("message").at("tool_calls").is_null());
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "stop");
}

TEST(EmulatorTools, ForcesANamedToolAndRejectsAnUnknownOne) {
  Harness h;
  auto v = chat(h, std::string(kTools) +
                       R"(,"tool_choice":{"type":"function","function":{"name":"get_time"}})");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("tool_calls").at(0).at("function").at("name"),
            "get_time");
  Reply r = h.chat(
      R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"x"}],)" +
      std::string(kTools) + R"(,"tool_choice":{"type":"function","function":{"name":"nope"}}})");
  EXPECT_EQ(r.status, 400u);
}

TEST(EmulatorTools, StreamsATwoToolTurnAsOneWholeToolCallChunk) {
  Harness h;
  Reply r = h.chat(R"({"model":"mistral-small-latest","stream":true,"tool_choice":"any",)" +
                   std::string(kTools) + R"(,"messages":[{"role":"user","content":"hi"}]})");
  std::string all = testing::drain(r);
  std::size_t calls = 0;
  for (std::size_t pos = 0; (pos = all.find("\"tool_calls\":[", pos)) != std::string::npos; ++pos)
    ++calls;
  EXPECT_EQ(calls, 1u);
  EXPECT_NE(all.find(R"("finish_reason":"tool_calls"}],"usage")"), std::string::npos);
  EXPECT_EQ(all.substr(all.size() - 14), "data: [DONE]\n\n");
}

TEST(EmulatorJsonModes, JsonObjectContentParses) {
  Harness h;
  auto v = chat(h, R"("response_format":{"type":"json_object"})");
  auto content = json::parse(v.at("choices").at(0).at("message").at("content").as_string());
  EXPECT_TRUE(content.is_object());
}

TEST(EmulatorJsonModes, JsonSchemaContentIsValidForRefsEnumsAndNullableTypes) {
  Harness h;
  auto v = chat(h, R"("response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{
      "type":"object","$defs":{"Item":{"type":"object","properties":{"sku":{"type":"string","minLength":5}},"required":["sku"]}},
      "properties":{"items":{"type":"array","items":{"$ref":"#/$defs/Item"},"minItems":1,"maxItems":2},
                    "status":{"enum":["open","closed"]},"note":{"type":["string","null"]},
                    "email":{"type":"string","format":"email"},"score":{"type":"number","exclusiveMaximum":1,"minimum":0}},
      "required":["items","status","note","email","score"]}}})");
  auto c = json::parse(v.at("choices").at(0).at("message").at("content").as_string());
  ASSERT_TRUE(c.at("items").is_array());
  EXPECT_GE(c.at("items").as_array().size(), 1u);
  EXPECT_LE(c.at("items").as_array().size(), 2u);
  EXPECT_GE(c.at("items").at(0).at("sku").as_string().size(), 5u);
  std::string status(c.at("status").as_string());
  EXPECT_TRUE(status == "open" || status == "closed");
  EXPECT_TRUE(c.at("note").is_string());
  EXPECT_EQ(c.at("email"), "user@example.com");
  EXPECT_LT(c.at("score").to_number<double>(), 1.0);
}

TEST(EmulatorReasoning, MagistralAnswersWithThinkingThenTextChunks) {
  Harness h;
  Reply r =
      h.chat(R"({"model":"magistral-medium-2506","messages":[{"role":"user","content":"2+2?"}]})");
  auto content = body_json(r).at("choices").at(0).at("message").at("content");
  ASSERT_TRUE(content.is_array());
  EXPECT_EQ(content.at(0).at("type"), "thinking");
  EXPECT_EQ(content.at(0).at("thinking").at(0).at("type"), "text");
  EXPECT_EQ(content.at(1).at("type"), "text");
}

TEST(EmulatorReasoning, TheThinkTagsFlagFoldsReasoningIntoTheText) {
  EmulatorOptions o;
  o.reasoning_shape = ReasoningShape::think_tags;
  Harness h(o);
  Reply r =
      h.chat(R"({"model":"magistral-small-2506","messages":[{"role":"user","content":"2+2?"}]})");
  std::string content(body_json(r).at("choices").at(0).at("message").at("content").as_string());
  EXPECT_EQ(content.rfind("<think>\n", 0), 0u);
  EXPECT_NE(content.find("\n</think>\n\n"), std::string::npos);
  // The per-request header switches back.
  Request req = testing::post(
      "/v1/chat/completions",
      R"({"model":"magistral-small-2506","messages":[{"role":"user","content":"2+2?"}]})");
  req.reasoning = "chunks";
  EXPECT_TRUE(
      body_json(h.service.handle(req)).at("choices").at(0).at("message").at("content").is_array());
}

TEST(EmulatorReasoning, ReasoningEffortNoneTurnsThinkingOff) {
  Harness h;
  Reply r = h.chat(
      R"({"model":"magistral-medium-2506","reasoning_effort":"none","messages":[{"role":"user","content":"2+2?"}]})");
  EXPECT_TRUE(body_json(r).at("choices").at(0).at("message").at("content").is_string());
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    s += static_cast<double>(a[i]) * b[i];
  return s;
}

TEST(EmulatorEmbeddings, VectorsAreDeterministicUnitLengthAndSimilarForSimilarTexts) {
  auto a = embed_text("The quick brown fox jumps", 1024);
  auto b = embed_text("The quick brown fox jumped", 1024);
  auto c = embed_text("Invoice total due next month", 1024);
  EXPECT_EQ(a, embed_text("The quick brown fox jumps", 1024));
  EXPECT_NEAR(dot(a, a), 1.0, 1e-5);
  EXPECT_GT(dot(a, b), 0.5);
  EXPECT_LT(dot(a, c), 0.3);
  EXPECT_NEAR(dot(embed_text("", 64), embed_text("", 64)), 1.0, 1e-5);
}

TEST(EmulatorEmbeddings, AnswersWithDimensionsDtypesAndBase64) {
  Harness h;
  auto call = [&](std::string_view body) { return h.service.handle(post("/v1/embeddings", body)); };
  Reply r = call(R"({"model":"mistral-embed","input":["a b c","d e f"]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = body_json(r);
  EXPECT_EQ(v.at("data").as_array().size(), 2u);
  EXPECT_EQ(v.at("data").at(1).at("index"), 1);
  EXPECT_EQ(v.at("data").at(0).at("embedding").as_array().size(), 1024u);
  EXPECT_EQ(v.at("usage").at("prompt_tokens"), 4);

  auto b64 = body_json(call(R"({"model":"mistral-embed","input":"x","encoding_format":"base64"})"));
  EXPECT_EQ(b64.at("data").at(0).at("embedding").as_string().size(), (1024u * 4 + 2) / 3 * 4);

  auto bin = body_json(call(
      R"({"model":"codestral-embed","input":"x","output_dimension":64,"output_dtype":"ubinary"})"));
  ASSERT_EQ(bin.at("data").at(0).at("embedding").as_array().size(), 8u);
  for (const auto& x : bin.at("data").at(0).at("embedding").as_array()) {
    EXPECT_GE(x.as_int64(), 0);
    EXPECT_LE(x.as_int64(), 255);
  }
  EXPECT_EQ(body_json(call(R"({"model":"codestral-embed","input":"x"})"))
                .at("data")
                .at(0)
                .at("embedding")
                .as_array()
                .size(),
            1536u);
  EXPECT_EQ(call(R"({"model":"mistral-embed","input":"x","output_dimension":256})").status, 400u);
  EXPECT_EQ(call(R"({"model":"codestral-embed","input":"x","output_dimension":99999})").status,
            400u);
  EXPECT_EQ(call(R"({"model":"mistral-small-latest","input":"x"})").status, 400u);
}

TEST(EmulatorFim, CompletesCodeAndHonoursMinTokens) {
  Harness h;
  Reply r = h.service.handle(post(
      "/v1/fim/completions",
      R"({"model":"codestral-latest","prompt":"def f(x):","suffix":"return x","min_tokens":60})"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = body_json(r);
  EXPECT_GE(v.at("usage").at("completion_tokens").as_int64(), 60);
  EXPECT_EQ(v.at("object"), "chat.completion");
}

TEST(EmulatorTextgen, ToolCallIdsAreNineAlphanumerics) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    auto id = tool_call_id(seed);
    ASSERT_EQ(id.size(), 9u);
    for (char c : id)
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
  }
}

}  // namespace
}  // namespace litellm::emulator
