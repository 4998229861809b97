#include "core/env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace litellm::core {
namespace {

TEST(EnvReference, ResolvesSetVariable) {
  ::setenv("LITELLM_TEST_ENV_A", "secret-value", 1);
  auto r = resolve_env_reference("os.environ/LITELLM_TEST_ENV_A");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "secret-value");
}

TEST(EnvReference, PlainStringsPassThrough) {
  auto r = resolve_env_reference("https://api.mistral.ai/v1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "https://api.mistral.ai/v1");
}

TEST(EnvReference, UnsetVariableIsAnErrorNamingIt) {
  ::unsetenv("LITELLM_TEST_ENV_UNSET");
  auto r = resolve_env_reference("os.environ/LITELLM_TEST_ENV_UNSET");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("LITELLM_TEST_ENV_UNSET"), std::string::npos);
}

TEST(EnvReference, EmptyNameIsAnError) {
  EXPECT_FALSE(resolve_env_reference("os.environ/").ok());
}

}  // namespace
}  // namespace litellm::core
