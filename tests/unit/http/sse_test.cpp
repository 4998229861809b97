#include "http/sse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace litellm::http {
namespace {

std::vector<SseEvent> decode_whole(std::string_view bytes, std::size_t limit = 1 << 20) {
  SseDecoder d(limit);
  std::vector<SseEvent> out;
  EXPECT_TRUE(d.feed(bytes, out).ok());
  d.finish(out);
  return out;
}

std::vector<SseEvent> decode_bytewise(std::string_view bytes) {
  SseDecoder d;
  std::vector<SseEvent> out;
  for (char c : bytes)
    EXPECT_TRUE(d.feed(std::string_view(&c, 1), out).ok());
  d.finish(out);
  return out;
}

// A real Mistral stream: role delta, content deltas, the final chunk with usage, then [DONE].
constexpr std::string_view kMistralStream =
    "data: {\"id\":\"a1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
    "\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
    "\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
    "\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":7,"
    "\"completion_tokens\":2}}\n\n"
    "data: [DONE]\n\n";

TEST(SseDecoder, DecodesAMistralStreamIntoOneEventPerChunk) {
  const auto events = decode_whole(kMistralStream);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].data,
            "{\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
            "\"finish_reason\":null}]}");
  EXPECT_EQ(events[3].data, "[DONE]");
  EXPECT_EQ(events[0].event, "");
}

TEST(SseDecoder, ByteByByteFeedingGivesTheSameEventsAsOneBuffer) {
  EXPECT_EQ(decode_bytewise(kMistralStream), decode_whole(kMistralStream));
  const std::string mixed =
      "\xEF\xBB\xBF: hi\r\nevent: a\r\ndata: 1\r\ndata:2\r\rid: 7\ndata: x\n\n\r\ndata: y\r";
  EXPECT_EQ(decode_bytewise(mixed), decode_whole(mixed));
}

TEST(SseDecoder, EverySplitPointOfAStreamGivesTheSameEvents) {
  const std::string stream = "event: e\r\ndata: a\r\n\r\n: c\rdata: b\rdata: c\r\rdata: d\n\n";
  const auto expected = decode_whole(stream);
  ASSERT_EQ(expected.size(), 3u);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    SseDecoder d;
    std::vector<SseEvent> out;
    ASSERT_TRUE(d.feed(std::string_view(stream).substr(0, cut), out).ok());
    ASSERT_TRUE(d.feed(std::string_view(stream).substr(cut), out).ok());
    d.finish(out);
    EXPECT_EQ(out, expected) << "cut at " << cut;
  }
}

TEST(SseDecoder, TreatsCrAtTheEndOfOneFeedAndLfAtTheStartOfTheNextAsOneLineEnd) {
  SseDecoder d;
  std::vector<SseEvent> out;
  ASSERT_TRUE(d.feed("data: one\r", out).ok());
  ASSERT_TRUE(d.feed("\ndata: two\r", out).ok());
  ASSERT_TRUE(d.feed("\n\r", out).ok());
  ASSERT_TRUE(d.feed("\n", out).ok());
  // Had the \r\n pairs counted twice, "one" would have been dispatched alone.
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "one\ntwo");
}

TEST(SseDecoder, JoinsMultiLineDataWithNewlines) {
  const auto events = decode_whole("data: first\ndata:second\ndata:  third\ndata\n\n");
  ASSERT_EQ(events.size(), 1u);
  // One optional space after the colon is removed; a field without colon has an empty value.
  EXPECT_EQ(events[0].data, "first\nsecond\n third\n");
}

TEST(SseDecoder, IgnoresCommentsAndUnknownFields) {
  const auto events =
      decode_whole(": keep-alive\n\n:another\ndata: x\nfoo: bar\nretry: 100\n: mid\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseDecoder, ABlockWithoutDataDispatchesNothingAndResetsTheEventType) {
  const auto events = decode_whole("event: ping\n\ndata: x\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "");
}

TEST(SseDecoder, KeepsTheEventTypeAndTheLastIdAcrossEvents) {
  const auto events = decode_whole("event: delta\nid: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event, "delta");
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[1].event, "");
  EXPECT_EQ(events[1].id, "1");  // the last event id persists
  EXPECT_EQ(events[2].id, "");   // "id" with an empty value resets it
}

TEST(SseDecoder, StripsALeadingBomEvenWhenSplitAcrossFeeds) {
  SseDecoder d;
  std::vector<SseEvent> out;
  ASSERT_TRUE(d.feed("\xEF", out).ok());
  ASSERT_TRUE(d.feed("\xBB", out).ok());
  ASSERT_TRUE(d.feed("\xBF"
                     "data: x\n\n",
                     out)
                  .ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "x");
}

TEST(SseDecoder, KeepsBytesThatOnlyLookedLikeTheStartOfABom) {
  const auto events = decode_bytewise(
      "\xEF\xBB"
      "data: x\n\n");
  // "\xEF\xBB" is not a BOM: it becomes the start of a field name, which is then unknown.
  EXPECT_TRUE(events.empty());
  const auto data = decode_whole("data: \xEF\xBB\xBF\n\n");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].data, "\xEF\xBB\xBF");  // only a leading BOM is special
}

TEST(SseDecoder, FinishDispatchesAFinalEventWithoutItsBlankLine) {
  SseDecoder d;
  std::vector<SseEvent> out;
  ASSERT_TRUE(d.feed("data: a\n\ndata: [DONE]", out).ok());
  ASSERT_EQ(out.size(), 1u);
  d.finish(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].data, "[DONE]");
}

TEST(SseDecoder, RejectsALineLongerThanTheLimitWhateverTheSplit) {
  const std::string line = "data: " + std::string(100, 'x');
  SseDecoder whole(64);
  std::vector<SseEvent> out;
  EXPECT_FALSE(whole.feed(line + "\n\n", out).ok());

  SseDecoder split(64);
  Result<void> r;
  for (char c : line) {
    r = split.feed(std::string_view(&c, 1), out);
    if (!r) break;
  }
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::api_connection);
  EXPECT_TRUE(split.failed());
  EXPECT_FALSE(split.feed("data: ok\n\n", out).ok());  // the stream stays broken
  EXPECT_TRUE(out.empty());
}

TEST(SseDecoder, RejectsAnEventWhoseDataLinesAddUpBeyondTheLimit) {
  SseDecoder d(64);
  std::vector<SseEvent> out;
  Result<void> r;
  for (int i = 0; i < 20 && r.ok(); ++i)
    r = d.feed("data: 0123456789\n", out);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(out.empty());
}

TEST(SseDecoder, AcceptsManySmallEventsWhoseTotalExceedsTheLimit) {
  SseDecoder d(64);
  std::vector<SseEvent> out;
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(d.feed("data: 0123456789\n\n", out).ok());
  EXPECT_EQ(out.size(), 100u);
}

}  // namespace
}  // namespace litellm::http
