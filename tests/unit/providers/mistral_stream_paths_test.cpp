// The two readers of a Mistral stream chunk: the event reader for the usual chunk and the
// document path for everything. A client must not be able to tell which one read a chunk: both
// give the same chunks, errors and usage for every stream. And the usual chunks must take the
// event reader, or the gateway silently loses its cheaper path.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "providers/mistral/internal.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct Outcome {
  std::vector<std::string> chunks;  // equal text: equal chunks, key order and numbers too
  bool ok = true;
  std::string error;
  std::string usage;
  std::size_t fast_chunks = 0;
};

// `bytes` through a decoder with the event reader on or off, in pieces cut by `seed` (0: whole).
Outcome run(std::string_view bytes, bool fast, bool include_usage, std::uint64_t seed = 0) {
  Outcome o;
  auto d = mistral::internal::chat_stream_decoder(include_usage, "m", fast, &o.fast_chunks);
  std::mt19937_64 rng(seed);
  Result<void> r;
  for (std::size_t at = 0; r && at < bytes.size();) {
    const std::size_t n =
        seed == 0 ? bytes.size() : std::min<std::size_t>(1 + rng() % 23, bytes.size() - at);
    r = d->feed(bytes.substr(at, n), o.chunks);
    at += n;
  }
  if (r) r = d->finish(o.chunks);
  if (!r) {
    o.ok = false;
    o.error = r.error().message;
  }
  if (const auto* u = d->usage()) o.usage = json::serialize(*u);
  return o;
}

void expect_same(const Outcome& fast, const Outcome& doc, std::string_view what) {
  EXPECT_EQ(fast.chunks, doc.chunks) << what;
  EXPECT_EQ(fast.ok, doc.ok) << what;
  EXPECT_EQ(fast.error, doc.error) << what;
  EXPECT_EQ(fast.usage, doc.usage) << what;
  EXPECT_EQ(doc.fast_chunks, 0u);
}

std::string event(std::string_view json_text) {
  return "data: " + std::string(json_text) + "\n\n";
}

TEST(MistralStreamPaths, TheUsualChunksTakeTheEventReaderWithTheSameOutput) {
  // The emulator's and Mistral's shape: a role chunk, text chunks with the "p" padding, escapes
  // and non-ASCII, a finish chunk, then the usage chunk and [DONE].
  const std::string id =
      R"("id":"f341b00ed9c35c905b9cc6ede03d6665","object":"chat.completion.chunk",)"
      R"("created":1796355484,"model":"mistral-small-latest",)";
  std::string bytes =
      event("{" + id +
            R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},)"
            R"("finish_reason":null}],"p":"a"})") +
      event("{" + id +
            R"("choices":[{"index":0,"delta":{"content":"Clear"},"finish_reason":null,)"
            R"("logprobs":null}],"p":"abcdefgh"})") +
      event("{" + id +
            R"("choices":[{"index":0,"delta":{"content":" \"quoted\"\ncaf\u00e9 \ud83d\ude00",)"
            R"("tool_calls":null,"prefix":{"x":[1,2]}},"finish_reason":null}]})") +
      event("{" + id +
            R"("choices":[{"index":1,"delta":{"content":"second choice"}},)"
            R"({"delta":{"content":" at its position"}}]})") +
      event("{" + id + R"("choices":[{"index":0,"delta":{"content":"<thi"}}]})") +
      event("{" + id + R"("choices":[{"index":0,"delta":{"content":"nk>x"}}]})") +
      event("{" + id +
            R"("choices":[{"index":0,"delta":{"content":""},"finish_reason":"model_length"}]})") +
      event("{" + id +
            R"("choices":[],"usage":{"prompt_tokens":12,"completion_tokens":15,)"
            R"("total_tokens":27,"prompt_tokens_details":{"cached_tokens":0}}})") +
      "data: [DONE]\n\n";
  for (bool include_usage : {false, true}) {
    for (std::uint64_t seed = 0; seed <= 6; ++seed) {
      const Outcome fast = run(bytes, true, include_usage, seed);
      const Outcome doc = run(bytes, false, include_usage, seed);
      expect_same(fast, doc, "seed " + std::to_string(seed));
      EXPECT_TRUE(fast.ok) << fast.error;
      EXPECT_EQ(fast.fast_chunks, 8u) << "every chunk, the usage one too";
      EXPECT_FALSE(fast.usage.empty());
    }
  }
}

TEST(MistralStreamPaths, UsageIsReadAsTheDocumentPathReadsIt) {
  const std::vector<std::string> usages = {
      R"({"prompt_tokens":12,"completion_tokens":15,"total_tokens":27})",
      R"({"prompt_tokens":12,"completion_tokens":15})",  // total from the two
      R"({"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"num_cached_tokens":1,)"
      R"("completion_tokens_details":{"reasoning_tokens":2},"prompt_audio_seconds":null,)"
      R"("extra":{"a":[1,{"b":"c"}]}})",
      R"({"prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},"num_cached_tokens":9})",
      R"({"prompt_tokens":null,"completion_tokens":2,"prompt_tokens_details":null})",
      R"({})",
  };
  for (const auto& u : usages) {
    const std::string bytes = event(R"({"id":"a","choices":[{"index":0,"delta":{"content":"x"},)"
                                    R"("finish_reason":"stop"}],"usage":)" +
                                    u + "}") +
                              "data: [DONE]\n\n";
    for (bool include_usage : {false, true}) {
      const Outcome fast = run(bytes, true, include_usage);
      expect_same(fast, run(bytes, false, include_usage), u);
      EXPECT_EQ(fast.fast_chunks, 1u) << u;
      EXPECT_FALSE(fast.usage.empty()) << u;
    }
  }
}

TEST(MistralStreamPaths, AnythingElseIsLeftToTheDocumentPath) {
  const std::vector<std::string> declined = {
      R"({"choices":[{"delta":{"tool_calls":[{"id":"abcdefghi","function":{"name":"f",)"
      R"("arguments":"{}"}}]},"finish_reason":"tool_calls"}]})",
      R"({"choices":[{"delta":{"content":[{"type":"thinking","thinking":[{"type":"text",)"
      R"("text":"hm"}]},{"type":"text","text":"a"}]}}]})",
      R"({"choices":[{"delta":{"content":"a"},"finish_reason":"error"}]})",
      R"({"object":"error","message":"boom","choices":[]})",
      R"({"error":{"message":"boom"}})",
      R"({"message":"boom"})",
      R"({"choices":[{"delta":{"content":"a","content":"b"}}]})",
      R"({"choices":[],"choices":[]})",
      R"({"choices":[1,{"delta":{"content":"a"}}]})",
      R"({"choices":[null]})",
      R"({"created":1.0,"choices":[{"delta":{"content":"a"}}]})",
      R"({"created":"1","choices":[{"delta":{"content":"a"}}]})",
      R"({"id":7,"choices":[{"delta":{"content":"a"}}]})",
      R"({"choices":[{"index":2.0,"delta":{"content":"a"}}]})",
      R"({"choices":[{"index":-1,"delta":{"content":"a"}}]})",
      R"({"choices":[{"index":1000,"delta":{"content":"a"}}]})",
      R"({"choices":[{"delta":"text"}]})",
      R"({"choices":[{"delta":{"role":1,"content":"a"}}]})",
      R"({"choices":[{"delta":{"content":true}}]})",
      R"({"choices":[{"delta":{"content":"a"},"finish_reason":1}]})",
      R"({"choices":{"0":{"delta":{"content":"a"}}}})",
      R"({"choices":[],"usage":{"prompt_tokens":1.0}})",
      R"({"choices":[],"usage":{"prompt_tokens":18446744073709551615}})",
      R"({"choices":[],"usage":{"prompt_tokens":"1"}})",
      R"({"choices":[],"usage":{"prompt_tokens":1,"prompt_tokens":2}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":{"a":1}}}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":"1"}}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":null}}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":{"a":1,"a":2}}})",
      R"({"choices":[],"usage":{"prompt_tokens_details":[1]}})",
      R"({"choices":[],"usage":[1]})",
      R"({"choices":[],"usage":{},"usage":{}})",
      R"({"id":"no choices"})",
      R"([{"choices":[]}])",
      R"(42)",
      R"({"choices":[]} trailing)",
      R"({"choices":[)",
  };
  const std::string finish =
      event(R"({"choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}]})");
  for (const auto& chunk : declined) {
    const std::string bytes = event(chunk) + finish + "data: [DONE]\n\n";
    const Outcome fast = run(bytes, true, false);
    const Outcome doc = run(bytes, false, false);
    expect_same(fast, doc, chunk);
    // The first chunk went to the document path (an index out of range fails the same way on
    // both); the finish chunk, when the stream got that far, did not.
    EXPECT_LE(fast.fast_chunks, 1u) << chunk;
    if (fast.ok) {
      EXPECT_EQ(fast.fast_chunks, 1u) << chunk;
    }
  }
  // An error event is the document path's whatever its data.
  const std::string error_event =
      "event: error\ndata: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
  const Outcome fast = run(error_event, true, false);
  expect_same(fast, run(error_event, false, false), "event: error");
  EXPECT_EQ(fast.fast_chunks, 0u);
}

// Every golden Mistral stream, whole and cut: the same chunks, errors and usage on both paths.
TEST(MistralStreamPaths, AgreeOnEveryGoldenStream) {
  std::size_t streams = 0;
  std::size_t fast_chunks = 0;
  for (const auto& dir : fs::directory_iterator(testing::fixtures_dir() / "mistral")) {
    const fs::path file = dir.path() / "mistral_stream.txt";
    if (!fs::exists(file)) continue;
    const std::string bytes = testing::read_file(file);
    for (bool include_usage : {false, true}) {
      for (std::uint64_t seed = 0; seed <= 3; ++seed) {
        const Outcome fast = run(bytes, true, include_usage, seed);
        expect_same(fast, run(bytes, false, include_usage, seed), file.string());
        if (seed == 0 && !include_usage) fast_chunks += fast.fast_chunks;
      }
    }
    ++streams;
  }
  EXPECT_GE(streams, 5u);
  EXPECT_GE(fast_chunks, 10u) << "the plain golden streams should take the event reader";
}

}  // namespace
}  // namespace litellm::providers
