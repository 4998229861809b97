// Upstream errors -> Error: Retry-After forms, LiteLLM's phrase rules, body shapes, bounds.
#include <gtest/gtest.h>

#include "providers/common.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

using detail::parse_retry_after;
using std::chrono::milliseconds;

// 2026-01-01T00:00:00Z
constexpr std::int64_t kNow = 1767225600;

TEST(RetryAfter, ReadsDeltaSeconds) {
  EXPECT_EQ(parse_retry_after("7", kNow), milliseconds(7000));
  EXPECT_EQ(parse_retry_after(" 0 ", kNow), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1.5", kNow), milliseconds(1500));
}

TEST(RetryAfter, ReadsTheThreeHttpDateForms) {
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", kNow), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Thursday, 01-Jan-26 00:01:00 GMT", kNow), milliseconds(60000));
  EXPECT_EQ(parse_retry_after("Thu Jan  1 00:00:05 2026", kNow), milliseconds(5000));
}

TEST(RetryAfter, TreatsAPastDateAsNoWait) {
  EXPECT_EQ(parse_retry_after("Wed, 31 Dec 2025 23:59:00 GMT", kNow), milliseconds(0));
}

TEST(RetryAfter, RejectsGarbage) {
  EXPECT_FALSE(parse_retry_after("", kNow));
  EXPECT_FALSE(parse_retry_after("soon", kNow));
  EXPECT_FALSE(parse_retry_after("-5", kNow));
  EXPECT_FALSE(parse_retry_after("Thu, 32 Jan 2026 00:00:00 GMT", kNow));
  EXPECT_FALSE(parse_retry_after("Thu, 01 Foo 2026 00:00:00 GMT", kNow));
  EXPECT_FALSE(parse_retry_after("1e400", kNow));
}

TEST(RetryAfter, CapsAbsurdDelays) {
  auto d = parse_retry_after("99999999999999", kNow);
  ASSERT_TRUE(d);
  EXPECT_LE(d->count(), 7LL * 24 * 3600 * 1000);
}

http::ResponseFields no_headers() {
  return {};
}

TEST(MistralMapError, ClassifiesRateLimitPhrasesOnAnyStatus) {
  Error e = mistral::adapter().map_error(400, R"({"message":"Rate-limit reached for tokens"})",
                                         no_headers(), testing::mistral_target());
  EXPECT_EQ(e.kind, ErrorKind::rate_limit);
  EXPECT_TRUE(e.retryable());
}

TEST(MistralMapError, DoesNotReadRateLimitIntoEchoedValidationInput) {
  // A 422 echoes the request; "rate limit" in the user's prompt must not make it retryable.
  Error e = mistral::adapter().map_error(
      422,
      R"({"detail":[{"loc":["body","n"],"msg":"Input should be greater than 0","input":"rate limit"}]})",
      no_headers(), testing::mistral_target());
  EXPECT_EQ(e.kind, ErrorKind::bad_request);
  EXPECT_EQ(e.message, "MistralException - body.n: Input should be greater than 0");
}

TEST(MistralMapError, RecognisesOpenAIStyleContextWindowMessages) {
  Error e = mistral::adapter().map_error(
      400, R"({"error":{"message":"This model's maximum context length is 32768 tokens"}})",
      no_headers(), testing::mistral_target());
  EXPECT_EQ(e.kind, ErrorKind::context_window_exceeded);
  EXPECT_EQ(e.http_status(), 400);
}

TEST(MistralMapError, MapsPermissionAndNotFoundAndOddStatuses) {
  auto t = testing::mistral_target();
  EXPECT_EQ(mistral::adapter().map_error(403, R"({"message":"Forbidden"})", no_headers(), t).kind,
            ErrorKind::permission_denied);
  EXPECT_EQ(mistral::adapter().map_error(404, R"({"message":"Not Found"})", no_headers(), t).kind,
            ErrorKind::not_found);
  Error odd = mistral::adapter().map_error(418, "teapot", no_headers(), t);
  EXPECT_EQ(odd.kind, ErrorKind::api_error);
  EXPECT_EQ(odd.http_status(), 418);
  EXPECT_EQ(odd.message, "APIError: MistralException - teapot");
}

TEST(MistralMapError, KeepsTheBodyVerbatimButBoundsTheMessage) {
  const std::string huge = R"({"message":")" + std::string(100000, 'x') + R"("})";
  Error e = mistral::adapter().map_error(500, huge, no_headers(), testing::mistral_target());
  EXPECT_EQ(e.body, huge);
  EXPECT_LT(e.message.size(), 2100U);
}

TEST(MistralMapError, SetsProviderAndModel) {
  Target t = testing::mistral_target();
  t.model = "mistral-large-latest";
  Error e = mistral::adapter().map_error(401, R"({"message":"Unauthorized"})", no_headers(), t);
  EXPECT_EQ(e.provider, "mistral");
  EXPECT_EQ(e.model, "mistral-large-latest");
  EXPECT_NE(e.to_openai_json().find("authentication_error"), std::string::npos);
}

TEST(MistralMapError, ReadsRetryAfterAsAnHttpDate) {
  http::ResponseFields h;
  h.add("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT");
  Error e = mistral::adapter().map_error(429, "{}", h, testing::mistral_target());
  ASSERT_TRUE(e.retry_after);
  EXPECT_EQ(e.retry_after->count(), 0);  // long past
}

TEST(MistralMapError, SurvivesDeeplyNestedBodies) {
  std::string deep;
  for (int i = 0; i < 1000; ++i)
    deep += "{\"message\":";
  deep += "\"x\"";
  for (int i = 0; i < 1000; ++i)
    deep += "}";
  Error e = mistral::adapter().map_error(400, deep, no_headers(), testing::mistral_target());
  EXPECT_EQ(e.kind, ErrorKind::bad_request);
  EXPECT_EQ(e.body, deep);
}

TEST(PythonList, PrintsLikePythonRepr) {
  std::array<std::string_view, 2> names{"a", "b"};
  EXPECT_EQ(detail::python_list(names), "['a', 'b']");
  EXPECT_EQ(detail::python_list({}), "[]");
}

TEST(Base64, EncodesWithPadding) {
  auto enc = [](std::string_view s) {
    std::string out;
    detail::base64_append(out, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    return out;
  };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace litellm::providers
