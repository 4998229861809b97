// Mistral stream decoder and the <think> splitter: splits, cuts, errors, bounds.
#include <gtest/gtest.h>

#include <random>

#include "core/json.hpp"
#include "providers/mistral/mistral.hpp"
#include "providers/think.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace json = boost::json;
using mistral::adapter;
using testing::Split;

std::string event(std::string_view json_text) {
  return "data: " + std::string(json_text) + "\n\n";
}

std::string delta_event(std::string_view content, std::string_view finish = "null", int index = 0) {
  json::object d{{"content", content}};
  json::object c{{"index", index}, {"delta", d}};
  c["finish_reason"] = finish == "null" ? json::value(nullptr) : json::value(finish);
  json::object chunk{{"id", "c1"},
                     {"object", "chat.completion.chunk"},
                     {"created", 1},
                     {"model", "mistral-small-latest"},
                     {"choices", json::array{c}}};
  return event(json::serialize(chunk));
}

json::object stream_request(bool include_usage = false) {
  json::object r{{"model", "m"}, {"stream", true}};
  if (include_usage) r["stream_options"] = json::object{{"include_usage", true}};
  return r;
}

std::pair<std::string, std::string> collect(const std::vector<json::object>& chunks) {
  std::string content;
  std::string reasoning;
  for (const auto& c : chunks) {
    for (const auto& ch : c.at("choices").as_array()) {
      const auto& d = ch.at("delta").as_object();
      if (auto s = core::get_string(d, "content")) content += *s;
      if (auto s = core::get_string(d, "reasoning_content")) reasoning += *s;
    }
  }
  return {content, reasoning};
}

TEST(ThinkSplitter, GivesTheSameSplitForEveryCutOfTheText) {
  const std::string texts[] = {"<think>a</think>b",
                               "<think>x</thinkish></think>y",
                               "<thinking>deep</thinking>done",
                               "plain <think>not at start</think>",
                               "<think>unclosed",
                               "<thi",
                               "</think>",
                               "",
                               "<think></think>"};
  for (const auto& text : texts) {
    std::string whole_c, whole_r;
    ThinkSplitter w;
    w.feed(text, whole_c, whole_r);
    w.flush(whole_c, whole_r);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      for (std::size_t cut2 = cut; cut2 <= text.size(); ++cut2) {
        std::string c, r;
        ThinkSplitter s;
        s.feed(std::string_view(text).substr(0, cut), c, r);
        s.feed(std::string_view(text).substr(cut, cut2 - cut), c, r);
        s.feed(std::string_view(text).substr(cut2), c, r);
        s.flush(c, r);
        EXPECT_EQ(c, whole_c) << text << " cut " << cut << "," << cut2;
        EXPECT_EQ(r, whole_r) << text << " cut " << cut << "," << cut2;
      }
    }
  }
}

TEST(ThinkSplitter, ExtractsReasoningOnlyFromALeadingTag) {
  std::string c, r;
  ThinkSplitter s;
  s.feed("<think>plan</think>answer", c, r);
  s.flush(c, r);
  EXPECT_EQ(r, "plan");
  EXPECT_EQ(c, "answer");
  std::string c2, r2;
  ThinkSplitter s2;
  s2.feed(" <think>plan</think>", c2, r2);
  s2.flush(c2, r2);
  EXPECT_EQ(r2, "");
  EXPECT_EQ(c2, " <think>plan</think>");
}

TEST(ThinkSplitter, HoldsBackNoMoreThanAPartialTag) {
  std::string c, r;
  ThinkSplitter s;
  s.feed("<think>", c, r);
  s.feed(std::string(10000, 'x') + "</thi", c, r);
  EXPECT_EQ(r.size(), 10000U);  // everything but the possible "</thi" is out already
  s.feed("nk>", c, r);
  s.feed("answer", c, r);
  EXPECT_EQ(c, "answer");
}

TEST(MistralStream, ReassemblesTextAcrossArbitrarySplitsWithCRLFLineEnds) {
  std::string bytes = delta_event("<think>why") + delta_event("</think>because") +
                      delta_event("", "stop") + "data: [DONE]\n\n";
  std::string crlf;
  for (char ch : bytes) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  for (const auto& b : {bytes, crlf}) {
    auto whole = testing::run_stream(adapter(), stream_request(), testing::mistral_target(), b,
                                     Split::whole);
    ASSERT_TRUE(whole.ok) << whole.error.message;
    EXPECT_EQ(collect(whole.chunks), std::make_pair(std::string("because"), std::string("why")));
    for (std::uint64_t seed = 10; seed < 40; ++seed) {
      auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(), b,
                                   Split::random, seed);
      EXPECT_EQ(r.chunks, whole.chunks) << "seed " << seed;
    }
  }
}

TEST(MistralStream, KeepsUsageForTheCallerWithoutForwardingIt) {
  std::string bytes =
      event(
          R"({"id":"c","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})") +
      "data: [DONE]\n\n";
  auto r = testing::run_stream(adapter(), stream_request(false), testing::mistral_target(), bytes,
                               Split::whole);
  ASSERT_TRUE(r.ok);
  ASSERT_TRUE(r.usage.has_value());
  EXPECT_EQ(r.usage->at("total_tokens"), 4);
  for (const auto& c : r.chunks)
    EXPECT_FALSE(c.contains("usage"));
  auto with = testing::run_stream(adapter(), stream_request(true), testing::mistral_target(), bytes,
                                  Split::whole);
  ASSERT_EQ(with.chunks.size(), 2U);
  EXPECT_TRUE(with.chunks[1].at("choices").as_array().empty());
  EXPECT_EQ(with.chunks[1].at("usage").at("prompt_tokens"), 3);
}

TEST(MistralStream, IgnoresBytesAfterDone) {
  std::string bytes = delta_event("a", "stop") + "data: [DONE]\n\n" + "data: {garbage\n\n";
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(), bytes,
                               Split::one_byte);
  EXPECT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(collect(r.chunks).first, "a");
}

TEST(MistralStream, ReportsACutBeforeAnyFinishAsAConnectionError) {
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(),
                               delta_event("partial"), Split::whole);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, ErrorKind::api_connection);
  EXPECT_TRUE(r.error.retryable());
  EXPECT_EQ(collect(r.chunks).first, "partial");  // what arrived was still delivered
}

TEST(MistralStream, EmptyBodyIsACut) {
  auto r =
      testing::run_stream(adapter(), stream_request(), testing::mistral_target(), "", Split::whole);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, ErrorKind::api_connection);
}

TEST(MistralStream, MapsAnErrorEventAndStaysFailed) {
  auto decoder = adapter().chat_stream(stream_request(), testing::mistral_target());
  std::vector<std::string> out;
  auto r =
      decoder->feed("event: error\ndata: {\"message\":\"Internal error\",\"code\":500}\n\n", out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal_server);
  EXPECT_EQ(r.error().message, "InternalServerError: MistralException - Internal error");
  auto again = decoder->feed(delta_event("x", "stop"), out);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, r.error().message);
  EXPECT_FALSE(decoder->finish(out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(MistralStream, TurnsAnInvalidChunkIntoAnError) {
  auto decoder = adapter().chat_stream(stream_request(), testing::mistral_target());
  std::vector<std::string> out;
  auto r = decoder->feed("data: {not json}\n\n", out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::api_error);
}

TEST(MistralStream, RejectsAnOversizedEventInsteadOfBufferingIt) {
  auto decoder = adapter().chat_stream(stream_request(), testing::mistral_target());
  std::vector<std::string> out;
  const std::string piece(1 << 20, 'a');
  Result<void> r;
  std::size_t fed = 0;
  for (int i = 0; i < 16 && r.ok(); ++i) {
    r = decoder->feed(i == 0 ? "data: \"" + piece : piece, out);
    fed += piece.size();
  }
  EXPECT_FALSE(r.ok());
  EXPECT_LE(fed, 6U << 20);
}

TEST(MistralStream, RejectsAChoiceIndexBeyondTheBound) {
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(),
                               delta_event("x", "null", 100000), Split::whole);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, ErrorKind::api_error);
}

TEST(MistralStream, KeepsSeparateThinkStateForEachChoice) {
  std::string bytes = delta_event("<think>a", "null", 0) + delta_event("plain", "null", 1) +
                      delta_event("</think>b", "stop", 0) + delta_event("", "stop", 1) +
                      "data: [DONE]\n\n";
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(), bytes,
                               Split::one_byte);
  ASSERT_TRUE(r.ok) << r.error.message;
  std::string c0, r0, c1;
  for (const auto& c : r.chunks) {
    for (const auto& ch : c.at("choices").as_array()) {
      const auto& d = ch.at("delta").as_object();
      auto idx = ch.at("index").as_int64();
      if (auto s = core::get_string(d, "content")) (idx == 0 ? c0 : c1) += *s;
      if (auto s = core::get_string(d, "reasoning_content")) r0 += *s;
    }
  }
  EXPECT_EQ(c0, "b");
  EXPECT_EQ(r0, "a");
  EXPECT_EQ(c1, "plain");
}

TEST(MistralStream, ReleasesAHeldPartialTagWhenTheStreamEnds) {
  // "<th" might have opened a tag; the stream ends without a finish_reason but with [DONE].
  std::string bytes = delta_event("<th") + "data: [DONE]\n\n";
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(), bytes,
                               Split::whole);
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(collect(r.chunks).first, "<th");
}

TEST(MistralStream, FinishReasonErrorIsAnError) {
  auto r = testing::run_stream(adapter(), stream_request(), testing::mistral_target(),
                               delta_event("x", "error") + "data: [DONE]\n\n", Split::whole);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, ErrorKind::api_error);
}

}  // namespace
}  // namespace litellm::providers
