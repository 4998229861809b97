// Two independent readings of Mistral's spec must agree: every request body the adapter builds
// for the golden fixtures passes the emulator's strict validator (written from the spec alone,
// never sharing code with the adapter). A disagreement means one of them misread the wire.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/json.hpp"
#include "emulator/chat.hpp"
#include "emulator/schema.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

TEST(MistralWireCrossCheck, EveryFixtureRequestPassesTheEmulatorsValidator) {
  int checked = 0;
  for (const auto& e : fs::directory_iterator(testing::fixtures_dir() / "mistral")) {
    const fs::path dir = e.path();
    json::object case_json;
    if (fs::exists(dir / "case.json"))
      case_json = testing::read_json(dir / "case.json").as_object();
    const Target t = testing::mistral_target(core::get_object(case_json, "target"));
    if (fs::exists(dir / "openai_request.json")) {
      auto up = mistral::adapter().chat_request(
          testing::read_json(dir / "openai_request.json").as_object(), t);
      if (up) {
        auto issues = emulator::validate_chat_request(json::parse(up->body));
        EXPECT_TRUE(issues.empty()) << dir.filename() << ": " << json::serialize(issues) << "\n"
                                    << up->body;
        ++checked;
      }
    }
    if (fs::exists(dir / "openai_embedding_request.json")) {
      auto up = mistral::adapter().embedding_request(
          testing::read_json(dir / "openai_embedding_request.json").as_object(), t);
      if (up) {
        auto issues = emulator::validate_embedding_request(json::parse(up->body));
        EXPECT_TRUE(issues.empty()) << dir.filename() << ": " << json::serialize(issues) << "\n"
                                    << up->body;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 35);
}

TEST(MistralWireCrossCheck, AnEverythingRequestPassesTheEmulatorsValidator) {
  auto r = testing::parse_object(R"({"model":"x","messages":[
      {"role":"developer","content":"Be brief."},
      {"role":"user","name":"u","content":[{"type":"text","text":"Look"},
        {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"high"}}]},
      {"role":"assistant","content":"","refusal":null,"tool_calls":[{"index":0,"id":"call_1","type":"function",
        "function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_1","name":"f","content":"ok"},
      {"role":"assistant","content":"Done","prefix":true}],
    "temperature":0.5,"top_p":0.9,"max_completion_tokens":100,"stream":true,
    "stream_options":{"include_usage":true},"stop":["\n"],"seed":7,"n":1,
    "presence_penalty":0.1,"frequency_penalty":0.1,"parallel_tool_calls":true,"safe_prompt":false,
    "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"},"strict":true}},
    "tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"$schema":"x",
      "type":"object","additionalProperties":false,"properties":{}}}}],
    "tool_choice":{"type":"function","function":{"name":"f"}},
    "prediction":{"type":"content","content":"Done"},"prompt_cache_key":"k","service_tier":"auto",
    "user":"u","metadata":{"a":1},"reasoning_effort":"high"})");
  for (auto mode : {ReasoningMode::automatic, ReasoningMode::prompt, ReasoningMode::prompt_mode,
                    ReasoningMode::passthrough}) {
    Target t = testing::mistral_target();
    t.model = "magistral-medium-latest";
    t.reasoning = mode;
    auto up = mistral::adapter().chat_request(r, t);
    ASSERT_TRUE(up.ok()) << up.error().message;
    auto issues = emulator::validate_chat_request(json::parse(up->body));
    EXPECT_TRUE(issues.empty()) << static_cast<int>(mode) << ": " << json::serialize(issues) << "\n"
                                << up->body;
  }
}

}  // namespace
}  // namespace litellm::providers

namespace litellm::providers {
namespace {

struct Decoded {
  std::string content;
  std::string reasoning;
  json::array tool_calls;  // {id, name, arguments}
  std::string finish;
  json::value usage;
};

emulator::Completion sample_completion(bool chunks) {
  emulator::Completion c;
  c.id = "cmpl-cross";
  c.model = "magistral-medium-latest";
  c.created = 1700000000;
  c.prompt_tokens = 12;
  c.completion_tokens = 34;
  c.reasoning_chunks = chunks;
  emulator::ChoiceOut a;
  if (chunks) {
    a.thinking = "First, add the numbers. Then check the sum.";
    a.content = "The answer is 4, as expected.";
  } else {
    a.content =
        "<think>First, add the numbers. Then check the sum.</think>The answer is 4, as expected.";
  }
  emulator::ChoiceOut b;
  b.tool_calls = {{"D681PevKs", "get_weather", R"({"city":"Paris"})"},
                  {"Q2w3E4r5T", "get_time", "{}"}};
  b.finish_reason = "tool_calls";
  c.choices = {a, b};
  return c;
}

Decoded from_message(const json::object& choice) {
  Decoded d;
  const auto& m = choice.at("message").as_object();
  if (auto s = core::get_string(m, "content")) d.content = std::string(*s);
  if (auto s = core::get_string(m, "reasoning_content")) d.reasoning = std::string(*s);
  if (const auto* calls = core::get_array(m, "tool_calls")) {
    for (const auto& tc : *calls) {
      d.tool_calls.emplace_back(json::object{{"id", tc.at("id")},
                                             {"name", tc.at("function").at("name")},
                                             {"arguments", tc.at("function").at("arguments")}});
    }
  }
  d.finish = std::string(choice.at("finish_reason").as_string());
  return d;
}

TEST(MistralWireCrossCheck, EmulatorAnswersDecodeToTheSameMessageStreamedOrNot) {
  for (bool chunks : {true, false}) {
    const emulator::Completion c = sample_completion(chunks);
    const Target t = testing::mistral_target();
    auto whole = mistral::adapter().chat_response(emulator::completion_json(c), {}, t);
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    const auto& choices = whole->at("choices").as_array();
    ASSERT_EQ(choices.size(), 2U);
    std::vector<Decoded> want{from_message(choices[0].as_object()),
                              from_message(choices[1].as_object())};
    EXPECT_EQ(want[0].content, "The answer is 4, as expected.");
    EXPECT_EQ(want[0].reasoning, "First, add the numbers. Then check the sum.");
    EXPECT_EQ(want[1].tool_calls.size(), 2U);
    EXPECT_EQ(want[1].finish, "tool_calls");

    std::string bytes;
    emulator::CompletionStream stream(c);
    for (std::string ev; !stream.next(ev).done;)
      bytes += ev;
    json::object req{{"stream", true}, {"stream_options", json::object{{"include_usage", true}}}};
    auto got = testing::run_stream(mistral::adapter(), req, t, bytes, testing::Split::random, 3);
    ASSERT_TRUE(got.ok) << got.error.message;
    std::vector<Decoded> have(2);
    for (const auto& chunk : got.chunks) {
      for (const auto& ch : chunk.at("choices").as_array()) {
        auto& d = have.at(static_cast<std::size_t>(ch.at("index").as_int64()));
        const auto& delta = ch.at("delta").as_object();
        if (auto s = core::get_string(delta, "content")) d.content += *s;
        if (auto s = core::get_string(delta, "reasoning_content")) d.reasoning += *s;
        if (const auto* calls = core::get_array(delta, "tool_calls")) {
          for (const auto& tc : *calls) {
            d.tool_calls.emplace_back(
                json::object{{"id", tc.at("id")},
                             {"name", tc.at("function").at("name")},
                             {"arguments", tc.at("function").at("arguments")}});
          }
        }
        if (auto f = core::get_string(ch.as_object(), "finish_reason")) d.finish = std::string(*f);
      }
      if (chunk.contains("usage")) have[0].usage = chunk.at("usage");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(have[i].content, want[i].content) << "choice " << i << " chunks " << chunks;
      EXPECT_EQ(have[i].reasoning, want[i].reasoning) << "choice " << i;
      EXPECT_EQ(have[i].tool_calls, want[i].tool_calls) << "choice " << i;
      EXPECT_EQ(have[i].finish, want[i].finish) << "choice " << i;
    }
    EXPECT_EQ(have[0].usage, whole->at("usage"));
  }
}

}  // namespace
}  // namespace litellm::providers
