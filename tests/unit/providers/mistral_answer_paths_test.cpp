// The two readers of a Mistral chat answer: the event reader for the usual shape and the
// document path for everything. A client must not be able to tell which one answered: where
// the fast one accepts an answer, both write the same text. And the usual answers must take
// the fast one, or the gateway silently loses its cheaper path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Both paths on one answer: the text of each, "" when it declines or fails.
struct Both {
  std::optional<std::string> fast;
  std::string document;
};

Both read(std::string_view body) {
  const Target t = testing::mistral_target();
  Both out;
  if (auto f = mistral::internal::chat_answer_fast(body, t)) out.fast = f->body;
  auto d = mistral::internal::chat_answer_document(body, {}, t);
  if (d) out.document = d->body;
  return out;
}

// The usual answers: the fast path takes them and writes what the document path writes.
TEST(MistralAnswerPaths, TheUsualAnswersTakeTheFastPathWithTheSameText) {
  const std::vector<std::string> usual = {
      // the emulator's shape (usage before created, tool_calls null, prefix)
      R"({"id":"8804a6","object":"chat.completion","model":"mistral-small-latest",
          "usage":{"prompt_tokens":9,"completion_tokens":28,"total_tokens":37,
                   "prompt_tokens_details":{"cached_tokens":0}},"created":1796316010,
          "choices":[{"index":0,"message":{"role":"assistant","tool_calls":null,
          "content":"Light value Paris.","prefix":false},"finish_reason":"stop"}]})",
      // several choices, escapes, non-ASCII, an empty content, model_length, extra members
      R"({"id":"x","created":1,"model":"m","extra":{"a":[1,{"b":2}]},"choices":[
          {"index":0,"message":{"content":"line\n\"quoted\" caf\u00e9 \ud83d\ude00"},
           "finish_reason":"model_length","logprobs":null},
          {"index":1,"message":{"content":""},"finish_reason":"length"},
          {"message":{"role":"assistant"}}],
          "usage":{"prompt_tokens":3,"completion_tokens":4}})",
      // legacy cached count, completion details, no id/model/created, usage null-ish members
      R"({"choices":[{"message":{"content":"ok","tool_calls":[]},"finish_reason":null}],
          "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,
                   "num_cached_tokens":1,"completion_tokens_details":{"reasoning_tokens":0,
                   "x":1.5,"y":"z","big":18446744073709551615,"t":true,"n":null},
                   "prompt_audio_seconds":null}})",
      // whitespace around the answer (a server's trailing newline)
      " \n{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}\r\n ",
      // a string long enough to arrive in pieces, with escapes throughout
      R"({"choices":[{"message":{"content":")" + std::string(20000, 'a') + R"(\t)" +
          std::string(9000, 'b') + R"("}}],"usage":null})",
  };
  for (const auto& body : usual) {
    const Both b = read(body);
    ASSERT_TRUE(b.fast.has_value()) << "declined: " << body.substr(0, 200);
    EXPECT_EQ(*b.fast, b.document) << body.substr(0, 200);
  }
}

// Everything the fast path leaves to the document path, and answers where it still agrees.
TEST(MistralAnswerPaths, AnythingElseIsLeftToTheDocumentPath) {
  const std::vector<std::string> declined = {
      R"({"choices":[{"message":{"content":"<think>hm</think>ok"}}]})",
      R"({"choices":[{"message":{"content":[{"type":"text","text":"a"}]}}]})",
      R"({"choices":[{"message":{"content":null,"tool_calls":[{"id":"abcdefghi",
          "function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})",
      R"({"choices":[{"messages":[{"content":"a"},{"content":"b"}]}]})",
      R"({"choices":[{"message":{"content":"a"},"finish_reason":"error"}]})",
      R"({"object":"error","message":"boom","choices":[]})",
      R"({"choices":[{"message":{"content":"a","content":"b"}}]})",
      R"({"choices":[],"choices":[]})",
      R"({"choices":[1,{"message":{"content":"a"}}]})",
      R"({"created":1.0,"choices":[]})",
      R"({"choices":[{"index":2.0,"message":{"content":"a"}}]})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"a":{"b":1}}}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"a":1,"a":2}}})",
      R"({"id":"no choices"})",
      R"([{"choices":[]}])",
      R"(42)",
      R"({"choices":[]} trailing)",
      R"({"choices":[)",
  };
  for (const auto& body : declined) {
    const Both b = read(body);
    EXPECT_FALSE(b.fast.has_value()) << body;
  }
}

// Every golden Mistral answer: where the fast path accepts it, the text is the document path's.
TEST(MistralAnswerPaths, AgreeOnEveryGoldenAnswer) {
  int compared = 0;
  for (const auto& dir : fs::directory_iterator(testing::fixtures_dir() / "mistral")) {
    const fs::path file = dir.path() / "mistral_response.json";
    if (!fs::exists(file)) continue;
    const Both b = read(testing::read_file(file));
    if (b.fast) {
      EXPECT_EQ(*b.fast, b.document) << file;
      ++compared;
    }
  }
  EXPECT_GE(compared, 3) << "the plain golden answers should take the fast path";
}

}  // namespace
}  // namespace litellm::providers
