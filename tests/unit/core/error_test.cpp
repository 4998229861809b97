#include "litellm/error.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "litellm/result.hpp"

namespace litellm {
namespace {

TEST(Error, DefaultStatusFollowsKind) {
  EXPECT_EQ(Error::make(ErrorKind::authentication, "x").http_status(), 401);
  EXPECT_EQ(Error::make(ErrorKind::context_window_exceeded, "x").http_status(), 400);
  EXPECT_EQ(Error::make(ErrorKind::rate_limit, "x").http_status(), 429);
  EXPECT_EQ(Error::make(ErrorKind::service_unavailable, "x").http_status(), 503);
}

TEST(Error, ExplicitStatusWins) {
  Error e = Error::make(ErrorKind::bad_request, "x");
  e.status = 413;
  EXPECT_EQ(e.http_status(), 413);
}

TEST(Error, RetryableOnlyForTransientKinds) {
  EXPECT_TRUE(Error::make(ErrorKind::rate_limit, "").retryable());
  EXPECT_TRUE(Error::make(ErrorKind::timeout, "").retryable());
  EXPECT_TRUE(Error::make(ErrorKind::api_connection, "").retryable());
  EXPECT_TRUE(Error::make(ErrorKind::internal_server, "").retryable());
  EXPECT_FALSE(Error::make(ErrorKind::bad_request, "").retryable());
  EXPECT_FALSE(Error::make(ErrorKind::authentication, "").retryable());
  EXPECT_FALSE(Error::make(ErrorKind::context_window_exceeded, "").retryable());
}

TEST(Error, KindFromStatusMatchesLiteLLM) {
  EXPECT_EQ(kind_from_status(401), ErrorKind::authentication);
  EXPECT_EQ(kind_from_status(422), ErrorKind::unprocessable_entity);
  EXPECT_EQ(kind_from_status(429), ErrorKind::rate_limit);
  EXPECT_EQ(kind_from_status(418), ErrorKind::bad_request);
  EXPECT_EQ(kind_from_status(599), ErrorKind::internal_server);
}

TEST(Error, OpenAIJsonHasAllFourFields) {
  Error e = Error::make(ErrorKind::bad_request, "bad \"thing\"");
  e.param = "temperature";
  auto v = boost::json::parse(e.to_openai_json());
  const auto& err = v.at("error").as_object();
  EXPECT_EQ(err.at("message").as_string(), "bad \"thing\"");
  EXPECT_EQ(err.at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(err.at("param").as_string(), "temperature");
  EXPECT_EQ(err.at("code").as_string(), "400");
}

TEST(Error, OpenAIJsonNullParamWhenUnknown) {
  auto v = boost::json::parse(Error::make(ErrorKind::authentication, "no").to_openai_json());
  EXPECT_TRUE(v.at("error").at("param").is_null());
  EXPECT_EQ(v.at("error").at("type").as_string(), "authentication_error");
}

TEST(Error, ThrowErrorPicksLiteLLMClass) {
  EXPECT_THROW(throw_error(Error::make(ErrorKind::context_window_exceeded, "")),
               ContextWindowExceededError);
  // ContextWindowExceededError is a BadRequestError, as in LiteLLM.
  EXPECT_THROW(throw_error(Error::make(ErrorKind::context_window_exceeded, "")), BadRequestError);
  EXPECT_THROW(throw_error(Error::make(ErrorKind::rate_limit, "")), RateLimitError);
  EXPECT_THROW(throw_error(Error::make(ErrorKind::timeout, "")), Timeout);
  EXPECT_THROW(throw_error(Error::make(ErrorKind::api_connection, "")), APIConnectionError);
  EXPECT_THROW(throw_error(Error::make(ErrorKind::unprocessable_entity, "")),
               UnprocessableEntityError);
}

TEST(Error, ExceptionCarriesTheError) {
  Error e = Error::make(ErrorKind::authentication, "Unauthorized");
  e.provider = "mistral";
  e.model = "mistral-small-latest";
  e.body = R"({"message":"Unauthorized"})";
  try {
    throw_error(e);
    FAIL() << "no throw";
  } catch (const AuthenticationError& ex) {
    EXPECT_EQ(ex.status_code(), 401);
    EXPECT_EQ(ex.llm_provider(), "mistral");
    EXPECT_EQ(ex.model(), "mistral-small-latest");
    EXPECT_EQ(ex.body(), R"({"message":"Unauthorized"})");
    EXPECT_STREQ(ex.what(), "litellm.AuthenticationError: Unauthorized");
  }
}

TEST(Result, ValueThrowsTheMappedException) {
  Result<int> r = Error::make(ErrorKind::not_found, "gone");
  EXPECT_FALSE(r.ok());
  EXPECT_THROW(r.value(), NotFoundError);
  Result<int> ok = 3;
  EXPECT_EQ(ok.value(), 3);
  Result<void> v;
  EXPECT_TRUE(v.ok());
}

}  // namespace
}  // namespace litellm
