#include <gtest/gtest.h>

#include <regex>
#include <string>

#include <boost/json.hpp>

#include "emulator/pattern.hpp"
#include "emulator/textgen.hpp"

namespace litellm::emulator {
namespace {

namespace json = boost::json;

// Patterns seen in real structured-output and tool schemas. JSON Schema's `pattern` is an
// unanchored ECMA-262 search; std::regex's ECMAScript grammar is the same language here.
const char* const kPatterns[] = {
    R"(^[A-Z]{3}-\d{4}$)",
    R"(^\w+@\w+\.com$)",
    R"(^(red|green|blue)$)",
    R"(^[a-z0-9_-]{3,16}$)",
    R"(^\+?[1-9]\d{1,14}$)",
    R"(^(?:[01]\d|2[0-3]):[0-5]\d$)",
    R"(^[^@\s]+@[^@\s]+\.[a-z]{2,}$)",
    R"(^#[0-9a-fA-F]{6}$)",
    R"(colou?r)",
    R"(^(?<year>\d{4})-(?<month>0[1-9]|1[0-2])$)",
    R"(^\d*\.\d+$)",
    R"(^[A-Z][a-z]*( [A-Z][a-z]*)*$)",
    R"(^[\w.-]+/[\w.-]+$)",
    R"(^v\d+\.\d+\.\d+(-[a-z]+(\.\d+)?)?$)",
    R"(^\S+ \S+$)",
    R"(^[^a-z]{2,4}$)",
    R"(^.{5}$)",
    R"(^\[\d+\]\(\)\{\}$)",
    R"(^a{2,}?b{0,1000}c+?$)",
};

// libstdc++'s std::regex has no named groups; as plain groups they match the same strings.
std::string without_group_names(std::string p) {
  return std::regex_replace(p, std::regex(R"(\(\?<[A-Za-z]\w*>)"), "(");
}

TEST(EmulatorPattern, GeneratedStringsMatchTheirPatternForManySeeds) {
  for (const char* p : kPatterns) {
    const std::regex re(without_group_names(p), std::regex::ECMAScript);
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      Rng64 rng(seed);
      auto s = string_matching(p, rng);
      ASSERT_TRUE(s.has_value()) << p;
      EXPECT_TRUE(std::regex_search(*s, re)) << p << " -> '" << *s << "'";
    }
  }
}

TEST(EmulatorPattern, IsDeterministicInTheSeed) {
  Rng64 a(7);
  Rng64 b(7);
  EXPECT_EQ(string_matching(R"(^[a-z]{8}\d{3}$)", a), string_matching(R"(^[a-z]{8}\d{3}$)", b));
}

TEST(EmulatorPattern, RefusesWhatItCannotGenerateInsteadOfGuessing) {
  for (const char* p : {R"((a)\1)", R"((?=a)b)", R"(\bword\b)", R"(\p{L}+)", "[", "(", "a**", "*a",
                        "a{3,2}", "[z-a]", "[^\\x00-\\x7f]", "caf\xc3\xa9", "a{99999}"}) {
    Rng64 rng(1);
    EXPECT_FALSE(string_matching(p, rng).has_value()) << p;
  }
}

TEST(EmulatorPattern, BoundsWorkOnHostilePatterns) {
  // Nested groups that emit nothing, repeated: refused by the step budget, promptly.
  std::string nested;
  for (int i = 0; i < 20; ++i)
    nested += "(";
  for (int i = 0; i < 20; ++i)
    nested += "){1000}";
  Rng64 rng(1);
  EXPECT_FALSE(string_matching(nested, rng).has_value());
  std::string deep(200, '(');
  deep += std::string(200, ')');
  EXPECT_FALSE(string_matching(deep, rng).has_value());  // nesting deeper than the limit
  EXPECT_FALSE(string_matching(std::string(5000, 'a'), rng).has_value());  // too long
}

TEST(EmulatorPattern, SchemaValuesHonourPatternWithLengthBounds) {
  const auto schema = json::parse(R"({"type":"object","properties":{
      "sku":{"type":"string","pattern":"^[A-Z]{2}-\\d{3,6}$","maxLength":8},
      "tag":{"type":"string","pattern":"^(alpha|beta)$"},
      "odd":{"type":"string","pattern":"(?=x)y"}},
    "required":["sku","tag","odd"]})");
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    Rng64 rng(seed);
    const auto v = value_for_schema(schema, schema, rng);
    const std::string sku(v.at("sku").as_string());
    EXPECT_TRUE(std::regex_match(sku, std::regex(R"([A-Z]{2}-\d{3,6})"))) << sku;
    EXPECT_LE(sku.size(), 8u) << sku;
    const std::string tag(v.at("tag").as_string());
    EXPECT_TRUE(tag == "alpha" || tag == "beta") << tag;
    EXPECT_TRUE(v.at("odd").is_string());  // unsupported pattern: still a string, as before
  }
}

}  // namespace
}  // namespace litellm::emulator
