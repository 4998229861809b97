// Two independent readings of Mistral's spec must agree: every request body the adapter builds
// for the golden fixtures passes the emulator's strict validator (written from the spec alone,
// never sharing code with the adapter). A disagreement means one of them misread the wire.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/json.hpp"
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
