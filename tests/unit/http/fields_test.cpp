// Header fields allocated from per-thread free lists (src/http/fields.hpp). Run under ASan in
// CI: a block handed out twice, or freed into the wrong size class, shows up as corruption here.
#include "http/fields.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace litellm::http {
namespace {

Fields sample(int i) {
  Fields f;
  f.set(boost::beast::http::field::content_type, "application/json");
  f.set("x-ratelimit-remaining-tokens-minute", std::to_string(1000000 - i));
  f.set("x-long", std::string(700, static_cast<char>('a' + i % 26)));  // above every class
  return f;
}

TEST(HttpFields, ReusedBlocksKeepEveryFieldIntact) {
  for (int round = 0; round < 3; ++round) {
    std::vector<Fields> kept;
    for (int i = 0; i < 300; ++i)  // more than the free list keeps per class
      kept.push_back(sample(i));
    for (int i = 0; i < 300; ++i) {
      EXPECT_EQ(kept[i][boost::beast::http::field::content_type], "application/json");
      EXPECT_EQ(kept[i]["x-ratelimit-remaining-tokens-minute"], std::to_string(1000000 - i));
      EXPECT_EQ(kept[i]["x-long"], std::string(700, static_cast<char>('a' + i % 26)));
    }
  }
}

TEST(HttpFields, FieldsFreedOnAnotherThreadStayUsable) {
  std::vector<Fields> made;
  for (int i = 0; i < 50; ++i)
    made.push_back(sample(i));
  std::thread([&] { made.clear(); }).join();  // their blocks join that thread's lists
  std::vector<Fields> again;
  for (int i = 0; i < 50; ++i)
    again.push_back(sample(i + 7));
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(again[i]["x-ratelimit-remaining-tokens-minute"], std::to_string(1000000 - i - 7));
}

}  // namespace
}  // namespace litellm::http
