#include "core/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace litellm::core {
namespace {

TEST(ParseJson, AcceptsAnObject) {
  auto r = parse_json_object(R"({"model":"m","n":2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(get_string(*r, "model"), "m");
  EXPECT_EQ(get_int(*r, "n"), 2);
}

TEST(ParseJson, RejectsMalformedTextAsBadRequest) {
  auto r = parse_json(R"({"model": )");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_request);
  EXPECT_EQ(r.error().http_status(), 400);
}

TEST(ParseJson, RejectsTrailingGarbage) {
  EXPECT_FALSE(parse_json(R"({} {})").ok());
}

TEST(ParseJson, RejectsNonObjectTopLevel) {
  auto r = parse_json_object("[1,2]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("array"), std::string::npos);
}

TEST(ParseJson, LimitsNestingDepth) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  EXPECT_FALSE(parse_json(deep).ok());
}

TEST(JsonGetters, ToleratesWrongTypes) {
  auto r = parse_json_object(R"({"a":"x","b":1.0,"c":1.5,"d":true})");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(get_int(*r, "a").has_value());
  EXPECT_EQ(get_int(*r, "b"), 1);
  EXPECT_FALSE(get_int(*r, "c").has_value());
  EXPECT_EQ(get_number(*r, "c"), 1.5);
  EXPECT_EQ(get_bool(*r, "d"), true);
  EXPECT_FALSE(get_string(*r, "missing").has_value());
  EXPECT_EQ(get_object(*r, "a"), nullptr);
}

}  // namespace
}  // namespace litellm::core
