// Golden fixtures, both ways: every folder under tests/fixtures/providers/mistral/ is one case
// (see the README there). JSON is compared as values, not text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/json.hpp"
#include "providers/mistral/mistral.hpp"
#include "test_util.hpp"

namespace litellm::providers {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::Split;

struct GoldenCase {
  std::string name;
  fs::path dir;
};

// gtest prints parameters on failure; the folder name says it all.
void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.name;
}

std::vector<GoldenCase> list_cases() {
  std::vector<GoldenCase> out;
  const fs::path root = testing::fixtures_dir() / "mistral";
  if (!fs::is_directory(root)) return out;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) out.push_back({e.path().filename().string(), e.path()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

class MistralGolden : public ::testing::TestWithParam<GoldenCase> {
 protected:
  void SetUp() override {
    dir_ = GetParam().dir;
    if (fs::exists(dir_ / "case.json")) case_ = testing::read_json(dir_ / "case.json").as_object();
    target_ = testing::mistral_target(core::get_object(case_, "target"));
    expect_ = core::get_object(case_, "expect");
  }
  bool has(const char* file) const { return fs::exists(dir_ / file); }
  json::value load(const char* file) const { return testing::read_json(dir_ / file); }

  void check_request(const Result<UpstreamRequest>& up) const {
    if (expect_ == nullptr) return;
    if (auto url = core::get_string(*expect_, "url")) {
      EXPECT_EQ(up->url, *url);
    }
    if (const auto* headers = core::get_object(*expect_, "headers")) {
      for (const auto& kv : *headers) {
        auto it = std::find_if(up->headers.begin(), up->headers.end(),
                               [&](const auto& h) { return h.first == kv.key(); });
        ASSERT_NE(it, up->headers.end()) << "missing header " << kv.key();
        EXPECT_EQ(it->second, kv.value().as_string());
      }
    }
  }

  fs::path dir_;
  json::object case_;
  Target target_;
  const json::object* expect_ = nullptr;
  const ProviderAdapter& adapter_ = mistral::adapter();
};

TEST_P(MistralGolden, MatchesFixtures) {
  const json::object request =
      has("openai_request.json") ? load("openai_request.json").as_object() : json::object();
  int checked = 0;

  if (has("openai_request.json")) {
    auto up = adapter_.chat_request(request, target_);
    if (has("expected_request_error.json")) {
      ASSERT_FALSE(up.ok()) << "expected an error, got " << up->body;
      EXPECT_EQ(
          testing::error_mismatch(up.error(), load("expected_request_error.json").as_object()), "");
      ++checked;
    } else if (has("mistral_request.json")) {
      ASSERT_TRUE(up.ok()) << up.error().message;
      EXPECT_EQ(json::parse(up->body), load("mistral_request.json"))
          << "got:  " << up->body << "\nwant: " << testing::pretty(load("mistral_request.json"));
      check_request(up);
      ++checked;
    }
  }

  if (has("mistral_response.json")) {
    auto out = adapter_.chat_response(testing::read_file(dir_ / "mistral_response.json"), request,
                                      target_);
    if (has("expected_response_error.json")) {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(
          testing::error_mismatch(out.error(), load("expected_response_error.json").as_object()),
          "");
      EXPECT_FALSE(out.error().body.empty());
    } else {
      ASSERT_TRUE(out.ok()) << out.error().message;
      EXPECT_EQ(json::value(*out), load("openai_response.json"))
          << "got:  " << testing::pretty(*out)
          << "\nwant: " << testing::pretty(load("openai_response.json"));
    }
    ++checked;
  }

  if (has("mistral_stream.txt")) {
    const std::string bytes = testing::read_file(dir_ / "mistral_stream.txt");
    const json::value want_chunks =
        has("openai_chunks.json") ? load("openai_chunks.json") : json::array();
    auto whole = testing::run_stream(adapter_, request, target_, bytes, Split::whole);
    json::array got;
    for (auto& c : whole.chunks)
      got.emplace_back(c);
    EXPECT_EQ(json::value(got), want_chunks)
        << "got:  " << testing::pretty(got) << "\nwant: " << testing::pretty(want_chunks);
    if (has("expected_stream_error.json")) {
      ASSERT_FALSE(whole.ok);
      EXPECT_EQ(
          testing::error_mismatch(whole.error, load("expected_stream_error.json").as_object()), "");
    } else {
      EXPECT_TRUE(whole.ok) << whole.error.message;
    }
    if (expect_ != nullptr) {
      if (const auto* usage = core::get_object(*expect_, "usage")) {
        ASSERT_TRUE(whole.usage.has_value());
        EXPECT_EQ(*whole.usage, *usage);
      }
    }
    // The same bytes in any split give the same chunks and the same outcome.
    std::vector<testing::StreamOutcome> others;
    others.push_back(testing::run_stream(adapter_, request, target_, bytes, Split::one_byte));
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      others.push_back(testing::run_stream(adapter_, request, target_, bytes, Split::random, seed));
    }
    for (const auto& o : others) {
      EXPECT_EQ(o.chunks, whole.chunks);
      EXPECT_EQ(o.ok, whole.ok);
      EXPECT_EQ(o.error.message, whole.error.message);
      EXPECT_EQ(o.usage, whole.usage);
    }
    ++checked;
  }

  if (has("openai_embedding_request.json")) {
    auto up =
        adapter_.embedding_request(load("openai_embedding_request.json").as_object(), target_);
    if (has("expected_embedding_request_error.json")) {
      ASSERT_FALSE(up.ok()) << up->body;
      EXPECT_EQ(testing::error_mismatch(up.error(),
                                        load("expected_embedding_request_error.json").as_object()),
                "");
    } else {
      ASSERT_TRUE(up.ok()) << up.error().message;
      EXPECT_EQ(json::parse(up->body), load("mistral_embedding_request.json")) << up->body;
      check_request(up);
    }
    ++checked;
  }

  if (has("mistral_embedding_response.json")) {
    const json::object ereq = load("openai_embedding_request.json").as_object();
    auto out = adapter_.embedding_response(
        testing::read_file(dir_ / "mistral_embedding_response.json"), ereq, target_);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(json::value(*out), load("openai_embedding_response.json")) << testing::pretty(*out);
    ++checked;
  }

  if (has("error_body.txt")) {
    http::ResponseFields headers;
    if (const auto* h = core::get_object(case_, "headers")) {
      for (const auto& kv : *h)
        headers.add(kv.key(), kv.value().as_string());
    }
    const std::string body = testing::read_file(dir_ / "error_body.txt");
    Error e = adapter_.map_error(static_cast<unsigned>(case_.at("status").as_int64()), body,
                                 headers, target_);
    EXPECT_EQ(testing::error_mismatch(e, load("expected_error.json").as_object()), "");
    EXPECT_EQ(e.body, body);  // kept verbatim
    EXPECT_EQ(e.provider, "mistral");
    ++checked;
  }

  EXPECT_GT(checked, 0) << "fixture folder with nothing to check";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, MistralGolden, ::testing::ValuesIn(list_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(MistralGoldenFixtures, AreThere) {
  EXPECT_GE(list_cases().size(), 40U);
}

}  // namespace
}  // namespace litellm::providers
