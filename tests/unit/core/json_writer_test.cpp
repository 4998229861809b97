// JsonWriter: the text the gateway sends for every chat answer. What a client would notice is
// text that does not parse, a value that reads back different, or a missing/doubled comma.
#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <boost/json.hpp>

namespace litellm::core {
namespace {

namespace json = boost::json;

std::string write(const json::value& v) {
  JsonWriter w(4);  // small: values longer than this grow the buffer
  w.value(v);
  return std::move(w).take();
}

TEST(JsonWriter, WritesStructureWithCommasWhereTheyBelong) {
  JsonWriter w;
  w.begin_object();
  w.key("a");
  w.int64(-1);
  w.key("b");
  w.begin_array();
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.null();
  w.boolean(true);
  w.boolean(false);
  w.uint64(18446744073709551615ULL);
  w.end_array();
  w.key_text("c\"d");
  w.string("e");
  w.end_object();
  const std::string out = std::move(w).take();
  EXPECT_EQ(out, R"({"a":-1,"b":[{},[],null,true,false,18446744073709551615],"c\"d":"e"})");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndPassesUtf8Through) {
  JsonWriter w;
  w.string(std::string("q\" b\\ n\n t\t r\r b\b f\f nul") + std::string(1, '\0') +
           "\x01\x1f\x7f/ é 😀");
  const std::string out = std::move(w).take();
  EXPECT_EQ(out, "\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f nul\\u0000\\u0001\\u001f\x7f/ é 😀\"");
}

// Escapes at every position of the eight-byte blocks the writer scans, in strings long enough
// to grow the output several times: each must read back as the same string.
TEST(JsonWriter, RoundTripsEscapesAtEveryOffsetAndLength) {
  for (std::size_t len = 0; len < 40; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (char special : {'"', '\\', '\n', '\x02', '\xc3'}) {
        std::string s(len, 'x');
        s[at] = special;
        if (special == '\xc3') {
          s[at] = '\xc3';  // a two-byte UTF-8 letter: valid only when its tail follows
          if (at + 1 < len)
            s[at + 1] = '\xa9';
          else
            s[at] = 'y';
        }
        const std::string text = write(json::string(s));
        boost::system::error_code ec;
        const json::value back = json::parse(text, ec);
        ASSERT_FALSE(ec) << text;
        ASSERT_EQ(back.as_string(), s) << "len " << len << " at " << at;
      }
    }
  }
}

TEST(JsonWriter, LongStringsGrowTheOutput) {
  std::string big(100000, 'a');
  for (std::size_t i = 0; i < big.size(); i += 997)
    big[i] = '"';  // each escape asks for room again
  const std::string text = write(json::string(big));
  EXPECT_EQ(json::parse(text).as_string(), big);
}

TEST(JsonWriter, NumbersReadBackAsTheSameValue) {
  for (double d : {0.0, -0.0, 0.7, 1.0, -3.0, 1e300, 5e-324, 123456789.125, 1e21, 0.1 + 0.2}) {
    const std::string text = write(json::value(d));
    const json::value back = json::parse(text);
    ASSERT_TRUE(back.is_double()) << text << " must stay a float";
    EXPECT_EQ(back.as_double(), d) << text;
  }
  EXPECT_EQ(write(json::value(1.0)), "1.0");
  EXPECT_EQ(write(json::value(0.7)), "0.7");
  EXPECT_EQ(write(json::value(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
}

TEST(JsonWriter, NonFiniteNumbersAreNull) {
  JsonWriter w;
  w.begin_array();
  w.number(std::nan(""));
  w.number(std::numeric_limits<double>::infinity());
  w.end_array();
  EXPECT_EQ(std::move(w).take(), "[null,null]");
}

TEST(JsonWriter, CopiesAWholeDocumentFaithfully) {
  const json::value doc = json::parse(R"({"id":"x","n":[1,-2,3.5,true,null,{"k":"v\n"}],
    "usage":{"prompt_tokens":9,"details":{"cached":0}},"empty":{},"list":[],
    "big":18446744073709551615,"text":"caf\u00e9 \"quoted\""})");
  EXPECT_EQ(json::parse(write(doc)), doc);
}

TEST(JsonWriter, AppendsToWhatTheStringAlreadyHolds) {
  JsonWriter w(0, "data: ");
  w.begin_object();
  w.key("a");
  w.string("b");
  w.end_object();
  std::string out = std::move(w).take();
  out += "\n\n";
  EXPECT_EQ(out, "data: {\"a\":\"b\"}\n\n");
}

}  // namespace
}  // namespace litellm::core
