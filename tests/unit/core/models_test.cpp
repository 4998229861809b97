#include "litellm/models.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace litellm {
namespace {

TEST(ModelRegistry, HasEverySeedModel) {
  const std::vector<std::string> seed = {
      "mistral-small-latest", "mistral-medium-latest",  "mistral-large-2407",
      "mistral-large-latest", "magistral-small-2506",   "magistral-medium-2506",
      "open-mistral-7b",      "open-mixtral-8x7b",      "open-mixtral-8x22b",
      "codestral-latest",     "open-mistral-nemo",      "open-mistral-nemo-2407",
      "open-codestral-mamba", "codestral-mamba-latest", "mistral-embed"};
  for (const auto& name : seed) {
    auto m = model_info("mistral/" + name);
    ASSERT_TRUE(m.has_value()) << name;
    EXPECT_GT(m->max_input_tokens, 0) << name;
    EXPECT_GT(m->input_cost_per_token, 0) << name;
  }
}

TEST(ModelRegistry, BareNameMeansMistral) {
  auto m = model_info("mistral-small-latest");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->key, "mistral/mistral-small-latest");
  EXPECT_EQ(m->provider, "mistral");
  EXPECT_EQ(m->max_input_tokens, 131072);
  EXPECT_DOUBLE_EQ(m->input_cost_per_token, 6e-08);
  EXPECT_DOUBLE_EQ(m->output_cost_per_token, 1.8e-07);
}

TEST(ModelRegistry, CapabilityFlags) {
  EXPECT_TRUE(model_info("mistral/magistral-medium-2506")->supports_reasoning);
  EXPECT_FALSE(model_info("mistral/mistral-large-2407")->supports_reasoning);
  EXPECT_TRUE(model_info("mistral/mistral-large-2407")->supports_function_calling);
  EXPECT_TRUE(model_info("mistral/pixtral-large-latest")->supports_vision);
  EXPECT_EQ(model_info("mistral/mistral-embed")->mode, "embedding");
  EXPECT_EQ(model_info("mistral/mistral-embed")->output_vector_size, 1024);
  EXPECT_TRUE(model_info("mistral/codestral-embed")->supports_embedding_dimensions);
}

TEST(ModelRegistry, UnknownModelIsNullopt) {
  EXPECT_FALSE(model_info("mistral/no-such-model").has_value());
  EXPECT_FALSE(model_info("openai/mistral-small-latest").has_value());
}

TEST(ModelRegistry, ListIsSortedAndComplete) {
  const auto& all = all_models();
  EXPECT_GE(all.size(), 58u);
  for (std::size_t i = 1; i < all.size(); ++i)
    EXPECT_LT(all[i - 1].key, all[i].key);
}

}  // namespace
}  // namespace litellm
