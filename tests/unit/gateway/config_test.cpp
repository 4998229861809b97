// The config loader: what a LiteLLM user's config.yaml turns into, which warnings they see at
// startup, and which mistakes stop the gateway before it listens.
#include "gateway/config.hpp"

#include "gateway/config_keys.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace litellm::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

LoadOptions no_export() {
  LoadOptions o;
  o.export_environment = false;
  return o;
}

GatewayConfig load_ok(const std::string& yaml, LoadOptions options = no_export()) {
  auto r = load_config_text(yaml, options, "config.yaml");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : GatewayConfig{};
}

std::string load_error(const std::string& yaml, LoadOptions options = no_export()) {
  auto r = load_config_text(yaml, options, "config.yaml");
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << yaml;
  return r.ok() ? std::string() : r.error().message;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

bool has_warning(const GatewayConfig& c, const std::string& needle) {
  for (const auto& w : c.warnings)
    if (w.find(needle) != std::string::npos) return true;
  return false;
}

constexpr const char* kMistral = R"(
model_list:
  - model_name: small
    litellm_params:
      model: mistral/mistral-small-latest
      api_key: os.environ/CFGTEST_MISTRAL_KEY
)";

// ---- what a deployment becomes -------------------------------------------------------------

TEST(ConfigDeployment, ResolvesMistralDeploymentWithKeyFromEnvironment) {
  ::setenv("CFGTEST_MISTRAL_KEY", "sk-test-1", 1);
  auto c = load_ok(kMistral);
  ASSERT_EQ(c.model_list.size(), 1u);
  const auto& d = c.model_list[0];
  EXPECT_EQ(d.model_name, "small");
  EXPECT_EQ(d.model, "mistral/mistral-small-latest");
  EXPECT_EQ(d.provider, "mistral");
  EXPECT_EQ(d.upstream_model, "mistral-small-latest");
  EXPECT_TRUE(d.served);
  EXPECT_EQ(d.api_key, "sk-test-1");
  EXPECT_EQ(d.id.size(), 64u);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigDeployment, EmptyFileIsAConfigWithNoModels) {
  auto c = load_ok("");
  EXPECT_TRUE(c.model_list.empty());
  EXPECT_TRUE(c.warnings.empty());
  auto d = load_ok("# only a comment\n");
  EXPECT_TRUE(d.model_list.empty());
}

TEST(ConfigDeployment, IdComesFromModelInfoAndIntegersBecomeStrings) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
    model_info: {id: my-deployment, mode: chat, base_model: mistral/mistral-small-latest, team: x}
  - model_name: b
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
    model_info: {id: 42}
)");
  ASSERT_EQ(c.model_list.size(), 2u);
  EXPECT_EQ(c.model_list[0].id, "my-deployment");
  EXPECT_EQ(c.model_list[0].model_info.at("team").as_string(), "x");
  EXPECT_EQ(c.model_list[0].model_info.at("mode").as_string(), "chat");
  EXPECT_EQ(c.model_list[1].id, "42");
}

TEST(ConfigDeployment, GeneratedIdIsStableAndNeverDependsOnTheSecret) {
  ::setenv("CFGTEST_MISTRAL_KEY", "first", 1);
  const std::string id1 = load_ok(kMistral).model_list.at(0).id;
  ::setenv("CFGTEST_MISTRAL_KEY", "rotated", 1);
  const std::string id2 = load_ok(kMistral).model_list.at(0).id;
  EXPECT_EQ(id1, id2);
  std::string other = kMistral;
  other.replace(other.find("small-latest"), 12, "large-latest");
  EXPECT_NE(load_ok(other).model_list.at(0).id, id1);
}

TEST(ConfigDeployment, DuplicateIdsAreMadeUniqueWithAWarning) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
    model_info: {id: same}
  - model_name: b
    litellm_params: {model: mistral/mistral-large-latest, api_key: k}
    model_info: {id: same}
)");
  ASSERT_EQ(c.model_list.size(), 2u);
  EXPECT_EQ(c.model_list[0].id, "same");
  EXPECT_EQ(c.model_list[1].id, "same-2");
  EXPECT_THAT(c.warnings, ElementsAre("config: 'model_list[1]' has the same model_info.id as "
                                      "'model_list[0]' ('same'); it is listed as 'same-2'"));
}

TEST(ConfigDeployment, ClassifiesProvidersAsLiteLLMDoes) {
  auto c = load_ok(R"(
model_list:
  - {model_name: a, litellm_params: {model: gpt-4o-mini, api_key: k}}
  - {model_name: b, litellm_params: {model: claude-3-5-sonnet-20240620, api_key: k}}
  - {model_name: c, litellm_params: {model: "llama3.1:latest", api_base: "http://ollama:11434"}}
  - {model_name: d, litellm_params: {model: mistral-large-latest, api_key: k}}
  - {model_name: e, litellm_params: {model: mistral-large-latest, custom_llm_provider: mistral}}
  - {model_name: f, litellm_params: {model: groq/openai/gpt-oss-120b, api_key: k}}
  - {model_name: g, litellm_params: {model: zhipu/glm-4-flash, api_key: k}}
  - {model_name: h, litellm_params: {model: gemini/gemini-2.5-flash, api_key: k}}
  - {model_name: i, litellm_params: {model: my-custom-model}}
)");
  ASSERT_EQ(c.model_list.size(), 9u);
  auto at = [&](int i) { return c.model_list[static_cast<std::size_t>(i)]; };
  EXPECT_EQ(at(0).provider, "openai");
  EXPECT_TRUE(at(0).served);
  EXPECT_EQ(at(1).provider, "anthropic");
  EXPECT_FALSE(at(1).served);
  EXPECT_EQ(at(2).provider, "openai");
  EXPECT_TRUE(at(2).served);
  EXPECT_EQ(at(2).upstream_model, "llama3.1:latest");
  EXPECT_EQ(at(2).api_base, "http://ollama:11434");
  EXPECT_EQ(at(3).provider, "mistral");
  EXPECT_EQ(at(4).provider, "mistral");
  EXPECT_EQ(at(4).upstream_model, "mistral-large-latest");
  EXPECT_EQ(at(5).provider, "groq");
  EXPECT_EQ(at(5).upstream_model, "openai/gpt-oss-120b");
  EXPECT_EQ(at(6).provider, "zhipu");
  EXPECT_FALSE(at(6).served);
  EXPECT_EQ(at(7).provider, "gemini");
  EXPECT_EQ(at(8).provider, "");
  EXPECT_FALSE(at(8).served);
}

TEST(ConfigDeployment, ListsUnservedProvidersInOneWarningWithTheirModelNames) {
  auto c = load_ok(R"(
model_list:
  - {model_name: flash, litellm_params: {model: gemini/gemini-2.5-flash, api_key: k}}
  - {model_name: smart, litellm_params: {model: gemini/gemini-2.5-pro, api_key: k}}
  - {model_name: small, litellm_params: {model: mistral/mistral-small-latest, api_key: k}}
  - {model_name: cmd, litellm_params: {model: cohere/command-a, api_key: k}}
  - {model_name: flash, litellm_params: {model: gemini/gemini-2.0-flash, api_key: k}}
  - {model_name: odd, litellm_params: {model: my-model}}
)");
  EXPECT_THAT(c.warnings,
              ElementsAre("config: providers not served by this gateway, listed in /v1/models "
                          "but answering 400: gemini (flash, smart); cohere (cmd); unknown "
                          "provider (odd)"));
}

TEST(ConfigDeployment, RpmAndTpmBesideLitellmParamsWinOverTheOnesInside) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    rpm: 10
    litellm_params: {model: mistral/mistral-small-latest, api_key: k, rpm: 99, tpm: 5000}
  - model_name: b
    tpm: 7
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
)");
  ASSERT_EQ(c.model_list.size(), 2u);
  EXPECT_EQ(c.model_list[0].rpm, 10);
  EXPECT_EQ(c.model_list[0].tpm, 5000);
  EXPECT_EQ(c.model_list[1].tpm, 7);
  EXPECT_FALSE(c.model_list[1].rpm.has_value());
}

TEST(ConfigDeployment, RequestParamsBecomeTypedDefaultParams) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params:
      model: mistral/mistral-small-latest
      api_key: k
      temperature: 0.2
      top_p: "0.9"
      max_tokens: 256
      stop: ["\n\n", END]
      response_format: {"type": "json_object"}
      safe_prompt: yes
      presence_penalty: -0.5
      reasoning_effort: low
      tool_choice: auto
)");
  const auto& p = c.model_list.at(0).default_params;
  EXPECT_DOUBLE_EQ(p.at("temperature").as_double(), 0.2);
  EXPECT_DOUBLE_EQ(p.at("top_p").as_double(), 0.9);
  EXPECT_EQ(p.at("max_tokens").as_int64(), 256);
  EXPECT_EQ(p.at("stop").as_array().size(), 2u);
  EXPECT_EQ(p.at("response_format").as_object().at("type").as_string(), "json_object");
  EXPECT_TRUE(p.at("safe_prompt").as_bool());
  EXPECT_DOUBLE_EQ(p.at("presence_penalty").as_double(), -0.5);
  EXPECT_EQ(p.at("reasoning_effort").as_string(), "low");
  EXPECT_EQ(p.at("tool_choice").as_string(), "auto");
  EXPECT_FALSE(p.contains("model"));
  EXPECT_FALSE(p.contains("api_key"));
}

TEST(ConfigDeployment, NumbersWrittenAsStringsAreReadAsNumbersLikePydantic) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params:
      model: mistral/mistral-small-latest
      api_key: k
      rpm: "100"
      tpm: 1_000_000
      timeout: "30"
      stream_timeout: 12.5
      max_retries: "3"
      weight: 2
      order: 1
      cooldown_time: 0
litellm_settings:
  request_timeout: "600"
  num_retries: 4.0
)");
  const auto& d = c.model_list.at(0);
  EXPECT_EQ(d.rpm, 100);
  EXPECT_EQ(d.tpm, 1000000);
  EXPECT_EQ(d.timeout_s, 30.0);
  EXPECT_EQ(d.stream_timeout_s, 12.5);
  EXPECT_EQ(d.max_retries, 3);
  EXPECT_EQ(d.weight, 2.0);
  EXPECT_EQ(d.order, 1);
  EXPECT_EQ(d.cooldown_time_s, 0.0);
  EXPECT_EQ(c.litellm.request_timeout_s, 600.0);
  EXPECT_EQ(c.router.num_retries, 4);
}

TEST(ConfigDeployment, UnservedDeploymentsAreNotTypeChecked) {
  // LiteLLM does not check these at startup either; we never send them anywhere.
  auto c = load_ok(R"(
model_list:
  - model_name: g
    litellm_params: {model: gemini/gemini-2.5-flash, temperature: hot, rpm: lots, api_key: k}
)");
  ASSERT_EQ(c.model_list.size(), 1u);
  EXPECT_FALSE(c.model_list[0].served);
  EXPECT_TRUE(c.model_list[0].default_params.empty());
}

TEST(ConfigDeployment, ExtraHeadersAndHeadersAreBothSent) {
  ::setenv("CFGTEST_TENANT", "acme", 1);
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key: k
      extra_headers: {X-Tenant: os.environ/CFGTEST_TENANT}
      headers: {X-Trace: "on"}
)");
  EXPECT_THAT(c.model_list.at(0).extra_headers,
              ElementsAre(std::pair<std::string, std::string>{"X-Tenant", "acme"},
                          std::pair<std::string, std::string>{"X-Trace", "on"}));
}

TEST(ConfigDeployment, ReasoningModeAndPromptAreOurExtension) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params:
      model: mistral/magistral-medium-latest
      api_key: k
      reasoning_mode: prompt_mode
      reasoning_prompt: Think first.
  - model_name: b
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
)");
  EXPECT_EQ(c.model_list.at(0).reasoning, providers::ReasoningMode::prompt_mode);
  EXPECT_EQ(c.model_list.at(0).reasoning_prompt, "Think first.");
  EXPECT_EQ(c.model_list.at(1).reasoning, providers::ReasoningMode::automatic);
}

TEST(ConfigDeployment, MergeKeysShareCommonParamsAsPyYamlDoes) {
  auto c = load_ok(R"(
x-common: &common
  api_key: shared-key
  temperature: 0.1
model_list:
  - model_name: a
    litellm_params:
      <<: *common
      model: mistral/mistral-small-latest
      temperature: 0.7
)");
  const auto& d = c.model_list.at(0);
  EXPECT_EQ(d.api_key, "shared-key");
  EXPECT_DOUBLE_EQ(d.default_params.at("temperature").as_double(), 0.7);
}

TEST(ConfigDeployment, IncludedFilesAddTheirModelsAndSettings) {
  ::setenv("CFGTEST_INCLUDE_KEY", "sk-included", 1);
  const std::string dir = std::string(LITELLM_FIXTURES_DIR) + "/configs/include/";
  auto r = load_config_file(dir + "parent.yaml", no_export());
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::string> names;
  for (const auto& d : r->model_list)
    names.push_back(d.model_name);
  EXPECT_THAT(names, ElementsAre("local", "mistral-small", "llama"));
  EXPECT_EQ(r->model_list.at(1).api_key, "sk-included");
  EXPECT_EQ(r->router.num_retries, 4);
  EXPECT_TRUE(r->litellm.drop_params);
  EXPECT_TRUE(r->warnings.empty());

  auto missing = load_config_file(dir + "missing.yaml", no_export());
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message,
              HasSubstr("missing.yaml: include[0]: " + dir + "does_not_exist.yaml: cannot open"));
  // Text has no folder to look in: the include is reported, not followed.
  EXPECT_THAT(load_ok("include: [models.yaml]\n").warnings,
              ElementsAre("config: 'include' needs the config to be read from a file; ignored"));
}

// ---- settings and precedence --------------------------------------------------------------

TEST(ConfigSettings, LiteLLMDefaultsApplyWhenNothingIsSet) {
  ::setenv("CFGTEST_MISTRAL_KEY", "sk-test", 1);
  auto c = load_ok(kMistral);
  EXPECT_EQ(c.router.routing_strategy, "simple-shuffle");
  EXPECT_EQ(c.router.num_retries, 2);
  EXPECT_EQ(c.router.allowed_fails, 3);
  EXPECT_EQ(c.router.cooldown_time_s, 5.0);
  EXPECT_EQ(c.router.max_fallbacks, 5);
  EXPECT_FALSE(c.router.timeout_s.has_value());
  EXPECT_FALSE(c.litellm.drop_params);
  EXPECT_FALSE(c.model_list.at(0).timeout_s.has_value());
}

TEST(ConfigSettings, RouterSettingsWinOverLitellmSettings) {
  auto c = load_ok(R"(
model_list: []
litellm_settings:
  num_retries: 1
  allowed_fails: 9
  cooldown_time: 60
  fallbacks: [{a: [b]}]
  request_timeout: 100
router_settings:
  num_retries: 3
  cooldown_time: 30
  fallbacks: [{a: [c]}]
  timeout: 20
)");
  EXPECT_EQ(c.router.num_retries, 3);
  EXPECT_EQ(c.router.allowed_fails, 9);  // only litellm_settings sets it
  EXPECT_EQ(c.router.cooldown_time_s, 30.0);
  ASSERT_EQ(c.router.fallbacks.size(), 1u);
  EXPECT_THAT(c.router.fallbacks[0].second, ElementsAre("c"));
  EXPECT_EQ(c.router.timeout_s, 20.0);
  EXPECT_EQ(c.litellm.request_timeout_s, 100.0);
}

TEST(ConfigSettings, LitellmSettingsFillWhatRouterSettingsLeaveUnset) {
  auto c = load_ok(R"(
model_list: []
litellm_settings:
  request_timeout: 300
  retry_after: 2
  default_fallbacks: [backup]
  context_window_fallbacks: [{small: [large]}]
router_settings:
  fallbacks: []
)");
  EXPECT_EQ(c.router.timeout_s, 300.0);
  EXPECT_EQ(c.router.retry_after_s, 2.0);
  EXPECT_THAT(c.router.default_fallbacks, ElementsAre("backup"));
  ASSERT_EQ(c.router.context_window_fallbacks.size(), 1u);
  EXPECT_EQ(c.router.context_window_fallbacks[0].first, "small");
}

TEST(ConfigSettings, DeploymentValuesWinOverGlobalOnes) {
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: k, timeout: 5,
                     drop_params: false, temperature: 0.9}
  - model_name: b
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
litellm_settings:
  drop_params: true
  request_timeout: 50
router_settings:
  stream_timeout: 70
  default_litellm_params: {temperature: 0.1, max_tokens: 64, api_version: v1}
)");
  const auto& a = c.model_list.at(0);
  const auto& b = c.model_list.at(1);
  EXPECT_EQ(a.timeout_s, 5.0);
  EXPECT_EQ(b.timeout_s, 50.0);
  EXPECT_EQ(a.stream_timeout_s, 70.0);
  EXPECT_FALSE(a.drop_params);
  EXPECT_TRUE(b.drop_params);
  EXPECT_DOUBLE_EQ(a.default_params.at("temperature").as_double(), 0.9);
  EXPECT_DOUBLE_EQ(b.default_params.at("temperature").as_double(), 0.1);
  EXPECT_EQ(a.default_params.at("max_tokens").as_int64(), 64);
  EXPECT_THAT(c.ignored_keys, ElementsAre("router_settings.default_litellm_params.api_version"));
}

TEST(ConfigSettings, FallbacksAreListsOfSingleKeyMaps) {
  auto c = load_ok(R"(
model_list: []
router_settings:
  fallbacks:
    - default: ["mistral-large", "openrouter-auto"]
    - small: large
  content_policy_fallbacks: [{"x": ["y"]}]
)");
  ASSERT_EQ(c.router.fallbacks.size(), 2u);
  EXPECT_EQ(c.router.fallbacks[0].first, "default");
  EXPECT_THAT(c.router.fallbacks[0].second, ElementsAre("mistral-large", "openrouter-auto"));
  EXPECT_THAT(c.router.fallbacks[1].second, ElementsAre("large"));
  ASSERT_EQ(c.router.content_policy_fallbacks.size(), 1u);
}

TEST(ConfigSettings, RetryPolicyIsReadPerErrorClass) {
  auto c = load_ok(R"(
model_list: []
router_settings:
  retry_policy: {RateLimitErrorRetries: 4, TimeoutErrorRetries: 3, AuthenticationErrorRetries: 0}
)");
  EXPECT_EQ(c.router.retry_policy.rate_limit, 4);
  EXPECT_EQ(c.router.retry_policy.timeout, 3);
  EXPECT_EQ(c.router.retry_policy.authentication, 0);
  EXPECT_FALSE(c.router.retry_policy.bad_request.has_value());
}

TEST(ConfigSettings, BooleansAcceptYamlAndPydanticSpellings) {
  EXPECT_TRUE(load_ok("litellm_settings: {drop_params: yes}").litellm.drop_params);
  EXPECT_TRUE(load_ok("litellm_settings: {drop_params: True}").litellm.drop_params);
  EXPECT_TRUE(load_ok("litellm_settings: {drop_params: \"true\"}").litellm.drop_params);
  EXPECT_FALSE(load_ok("litellm_settings: {drop_params: \"off\"}").litellm.drop_params);
  EXPECT_THAT(load_error("litellm_settings: {drop_params: maybe}"),
              HasSubstr("litellm_settings.drop_params: expected true or false, got 'maybe'"));
}

TEST(ConfigSettings, MasterKeyResolvesAndFallsBackToLitellmMasterKey) {
  ::setenv("CFGTEST_MASTER", "sk-master", 1);
  EXPECT_EQ(load_ok("general_settings: {master_key: os.environ/CFGTEST_MASTER}").general.master_key,
            "sk-master");
  ::setenv("LITELLM_MASTER_KEY", "sk-from-env", 1);
  EXPECT_EQ(load_ok("model_list: []").general.master_key, "sk-from-env");
  ::unsetenv("LITELLM_MASTER_KEY");
  EXPECT_EQ(load_ok("model_list: []").general.master_key, "");
}

TEST(ConfigSettings, MaxRequestSizeIsRead) {
  EXPECT_EQ(load_ok("general_settings: {max_request_size_mb: 10}").general.max_request_size_mb,
            10u);
}

// ---- environment_variables ----------------------------------------------------------------

TEST(ConfigEnvironment, VariablesSetInTheConfigResolveReferencesWithoutExporting) {
  ::unsetenv("CFGTEST_FROM_CONFIG");
  auto c = load_ok(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: os.environ/CFGTEST_FROM_CONFIG}
environment_variables:
  CFGTEST_FROM_CONFIG: sk-in-file
)");
  EXPECT_EQ(c.model_list.at(0).api_key, "sk-in-file");
  EXPECT_EQ(c.environment_variables.at("CFGTEST_FROM_CONFIG"), "sk-in-file");
  EXPECT_EQ(std::getenv("CFGTEST_FROM_CONFIG"), nullptr);
}

TEST(ConfigEnvironment, VariablesAreExportedBeforeModelsAreRead) {
  ::unsetenv("CFGTEST_EXPORTED");
  LoadOptions o;  // export_environment = true, as the gateway runs
  auto c = load_ok(R"(
environment_variables:
  CFGTEST_EXPORTED: 8080
  CFGTEST_COPY: os.environ/CFGTEST_SOURCE
)",
                   o);
  (void)c;
  ASSERT_NE(std::getenv("CFGTEST_EXPORTED"), nullptr);
  EXPECT_STREQ(std::getenv("CFGTEST_EXPORTED"), "8080");
}

TEST(ConfigEnvironment, ReferencesInsideEnvironmentVariablesComeFromTheProcess) {
  ::setenv("CFGTEST_SOURCE", "copied", 1);
  ::unsetenv("CFGTEST_MISSING_SOURCE");
  auto c = load_ok(R"(
environment_variables:
  CFGTEST_COPY: os.environ/CFGTEST_SOURCE
  CFGTEST_NOPE: os.environ/CFGTEST_MISSING_SOURCE
  CFGTEST_MAP: {description: "not a value"}
)");
  EXPECT_EQ(c.environment_variables.at("CFGTEST_COPY"), "copied");
  EXPECT_EQ(c.environment_variables.count("CFGTEST_NOPE"), 0u);
  EXPECT_THAT(c.warnings,
              ElementsAre("config: environment variable CFGTEST_MISSING_SOURCE is not set (used "
                          "by environment_variables.CFGTEST_NOPE); not exported",
                          "config: 'environment_variables.CFGTEST_MAP' is not a string, number or "
                          "boolean; not exported"));
}

// ---- what must fail, fails at startup ---------------------------------------------------------

TEST(ConfigErrors, MalformedYamlNamesTheLine) {
  EXPECT_THAT(load_error("model_list:\n  - model_name: a\n    litellm_params: [unclosed\n"),
              HasSubstr("config.yaml: line 4"));
  EXPECT_THAT(load_error("model_list:\n  - model_name: a\n   bad indent: 1\n"),
              HasSubstr("invalid YAML"));
}

TEST(ConfigErrors, EntryWithoutModelNameNamesItsPath) {
  EXPECT_EQ(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: k}
  - litellm_params: {model: mistral/mistral-small-latest, api_key: k}
)"),
            "config.yaml: model_list[1].model_name: required key is missing");
}

TEST(ConfigErrors, EntryWithoutLitellmParamsModelNamesItsPath) {
  EXPECT_EQ(load_error(R"(
model_list:
  - {model_name: a, litellm_params: {model: mistral/mistral-small-latest, api_key: k}}
  - {model_name: b, litellm_params: {model: mistral/mistral-small-latest, api_key: k}}
  - {model_name: c, litellm_params: {api_key: k}}
)"),
            "config.yaml: model_list[2].litellm_params.model: required key is missing");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n"),
            "config.yaml: model_list[0].litellm_params: required key is missing");
}

TEST(ConfigErrors, WrongTypeNamesPathAndValue) {
  EXPECT_EQ(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: k, rpm: lots}
)"),
            "config.yaml: model_list[0].litellm_params.rpm: expected an integer, got 'lots'");
  EXPECT_EQ(load_error("litellm_settings: [drop_params]"),
            "config.yaml: litellm_settings: expected a map, got a list");
  EXPECT_EQ(load_error("model_list: {a: b}"),
            "config.yaml: model_list: expected a list of models, got a map");
  EXPECT_THAT(load_error("- just\n- a list\n"), HasSubstr("the top level must be a map"));
  EXPECT_THAT(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, response_format: json}
)"),
              HasSubstr("model_list[0].litellm_params.response_format: expected a map, got the "
                        "value 'json'"));
  EXPECT_THAT(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: {nested: map}}
)"),
              HasSubstr("model_list[0].litellm_params.api_key: expected a string, got a map"));
}

TEST(ConfigErrors, OutOfRangeValuesAreRefused) {
  EXPECT_THAT(load_error("router_settings: {num_retries: -1}"),
              HasSubstr("router_settings.num_retries: must be at least 0, got -1"));
  EXPECT_THAT(load_error("litellm_settings: {request_timeout: 0}"),
              HasSubstr("litellm_settings.request_timeout: must be greater than 0"));
}

TEST(ConfigErrors, UnsetVariableWhereAValueIsRequiredNamesVariableAndPath) {
  ::unsetenv("CFGTEST_UNSET_KEY");
  EXPECT_EQ(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/mistral-small-latest, api_key: os.environ/CFGTEST_UNSET_KEY}
)"),
            "config.yaml: model_list[0].litellm_params.api_key: environment variable "
            "CFGTEST_UNSET_KEY is not set");
  EXPECT_EQ(load_error("general_settings: {master_key: os.environ/CFGTEST_UNSET_KEY}"),
            "config.yaml: general_settings.master_key: environment variable CFGTEST_UNSET_KEY "
            "is not set");
}

TEST(ConfigErrors, UnsetVariableWhereTheValueIsNotUsedOnlyWarns) {
  ::unsetenv("CFGTEST_UNSET_GEMINI");
  ::unsetenv("CFGTEST_UNSET_DB");
  auto c = load_ok(R"(
model_list:
  - model_name: g
    litellm_params: {model: gemini/gemini-2.5-flash, api_key: os.environ/CFGTEST_UNSET_GEMINI}
general_settings:
  database_url: os.environ/CFGTEST_UNSET_DB
)");
  EXPECT_TRUE(has_warning(c,
                          "config: environment variable CFGTEST_UNSET_GEMINI is not set (used "
                          "by model_list[0].litellm_params.api_key)"));
  EXPECT_TRUE(has_warning(c,
                          "config: environment variable CFGTEST_UNSET_DB is not set (used by "
                          "general_settings.database_url)"));
}

TEST(ConfigErrors, FallbacksThatLiteLLMRefusesAreRefused) {
  EXPECT_THAT(load_error("router_settings:\n  fallbacks: [{a: [b], c: [d]}]\n"),
              HasSubstr("router_settings.fallbacks[0]: has 2 keys; each fallback is a map with "
                        "exactly one key"));
  EXPECT_THAT(load_error("litellm_settings:\n  fallbacks: [a, b]\n"),
              HasSubstr("litellm_settings.fallbacks[0]: is the value 'a', not a map"));
}

TEST(ConfigErrors, MalformedContextWindowFallbacksOnlyWarnAsInLiteLLM) {
  auto c = load_ok(R"(
litellm_settings:
  context_window_fallbacks:
    - model: "claude-opus-4-6"
      context_window: 200000
)");
  EXPECT_TRUE(c.router.context_window_fallbacks.empty());
  EXPECT_THAT(c.warnings, ElementsAre("config: 'litellm_settings.context_window_fallbacks[0]' has "
                                      "2 keys, not a {model_name: [fallbacks]} map; ignored"));
}

TEST(ConfigErrors, UnknownReasoningModeIsRefusedWithASuggestion) {
  EXPECT_THAT(load_error(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/magistral-small-latest, reasoning_mode: promt}
)"),
              HasSubstr("model_list[0].litellm_params.reasoning_mode: unknown reasoning mode "
                        "'promt' (did you mean 'prompt'?)"));
}

TEST(ConfigErrors, StrictModeTurnsUnknownKeysIntoTheStartupError) {
  LoadOptions strict = no_export();
  strict.strict = true;
  const std::string yaml = R"(
litellm_settings:
  drop_param: true
general_settings:
  debug: true
success_callback: [langfuse]
)";
  EXPECT_EQ(load_error(yaml, strict),
            "config.yaml: litellm_settings.drop_param: unknown key (did you mean "
            "'drop_params'?); --strict-config refuses unknown and misplaced keys (2 more: "
            "general_settings.debug, success_callback)");
  EXPECT_EQ(load_ok(yaml).warnings.size(), 3u);  // the same config starts without --strict
}

TEST(ConfigErrors, StrictModeAcceptsKeysLiteLLMKnowsThatWeIgnore) {
  LoadOptions strict = no_export();
  strict.strict = true;
  auto c = load_ok(R"(
litellm_settings: {cache: true, success_callback: [langfuse]}
general_settings: {database_url: postgres://x, store_model_in_db: true}
)",
                   strict);
  EXPECT_THAT(c.ignored_keys,
              ElementsAre("litellm_settings.cache", "litellm_settings.success_callback",
                          "general_settings.database_url", "general_settings.store_model_in_db"));
}

TEST(ConfigErrors, HostileInputIsRefusedBeforeItCostsMuch) {
  EXPECT_THAT(load_error(std::string(kMaxConfigBytes + 1, '#')), HasSubstr("larger than 4 MiB"));
  EXPECT_THAT(load_error("model_list: " + std::string(100, '[') + std::string(100, ']')),
              HasSubstr("nested deeper than 64 levels"));
  std::string block = "a:\n";
  for (int i = 1; i < 80; ++i)
    block += std::string(static_cast<std::size_t>(i), ' ') + "b:\n";
  EXPECT_THAT(load_error(block), HasSubstr("nested deeper than 64 levels"));
  // Billion laughs: nine levels of ten aliases each name 10^9 nodes in a few hundred bytes.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i)
      bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  bomb += "litellm_settings:\n  cache_params: *j\n";
  EXPECT_THAT(load_error(bomb), HasSubstr("nodes to read (an alias counts each time it is used)"));
}

TEST(ConfigErrors, MergeKeyCyclesAreRefused) {
  EXPECT_THAT(load_error("litellm_settings:\n  cache_params: &p\n    host: h\n    <<: *p\n"),
              HasSubstr("config.yaml: litellm_settings.cache_params: a '<<' merge key refers to "
                        "a map that contains it"));
  EXPECT_THAT(load_error(R"(
base: &base
  api_key: k
  <<: [*base, *base]
model_list:
  - model_name: a
    litellm_params:
      <<: *base
      model: mistral/x
)"),
              HasSubstr("a '<<' merge key refers to a map that contains it"));
}

TEST(ConfigErrors, RecursiveAliasesAreRefused) {
  EXPECT_THAT(load_error("litellm_settings:\n  cache_params: &p {a: [*p]}\n"),
              HasSubstr("litellm_settings.cache_params.a[0]: an alias refers to a map or list "
                        "that contains it"));
  EXPECT_TRUE(env_references("a: &p {b: [*p, os.environ/X]}\n").size() == 1u);
}

TEST(ConfigErrors, MissingFileNamesThePath) {
  auto r = load_config_file("/nonexistent/dir/config.yaml", no_export());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("/nonexistent/dir/config.yaml: cannot open"));
}

// ---- warnings ---------------------------------------------------------------------------------

TEST(ConfigWarnings, GoldenTextForMisplacedAndUnknownKeys) {
  const std::string dir = std::string(LITELLM_FIXTURES_DIR) + "/configs/golden/";
  ::setenv("CFGTEST_GOLDEN_KEY", "sk-golden", 1);
  ::unsetenv("CFGTEST_GOLDEN_UNSET");
  auto r = load_config_file(dir + "misplaced_and_unknown.yaml", no_export());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::vector<std::string> expected = lines_of(read_file(dir + "misplaced_and_unknown.txt"));
  EXPECT_EQ(startup_lines(*r), expected);
}

TEST(ConfigWarnings, UnknownKeyGetsTheClosestKnownKey) {
  auto c = load_ok("litellm_settings:\n  drop_param: true\n");
  EXPECT_THAT(c.warnings, ElementsAre("config: unknown key 'litellm_settings.drop_param' (did you "
                                      "mean 'drop_params'?); ignored"));
  EXPECT_FALSE(c.litellm.drop_params);
}

TEST(ConfigWarnings, TopLevelKeyThatBelongsInASectionSaysWhere) {
  auto c = load_ok("success_callback: [\"langfuse\"]\n");
  EXPECT_THAT(c.warnings, ElementsAre("config: 'success_callback' at the top level is not a "
                                      "top-level key (LiteLLM reads it under litellm_settings); "
                                      "ignored"));
}

TEST(ConfigWarnings, RepeatedKeyKeepsTheLastValueAsPyYamlDoes) {
  auto c = load_ok("litellm_settings:\n  drop_params: false\n  drop_params: true\n");
  EXPECT_TRUE(c.litellm.drop_params);
  EXPECT_THAT(c.warnings, ElementsAre("config: duplicate key 'litellm_settings.drop_params' (line "
                                      "3); the last one wins"));
}

TEST(ConfigWarnings, UnknownRoutingStrategyShufflesAsLiteLLMDoes) {
  auto c = load_ok("router_settings: {routing_strategy: latency-based}\n");
  EXPECT_EQ(c.router.routing_strategy, "simple-shuffle");
  EXPECT_THAT(c.warnings, ElementsAre("config: unknown value 'latency-based' for "
                                      "'router_settings.routing_strategy' (did you mean "
                                      "'latency-based-routing'?); using simple-shuffle, as "
                                      "LiteLLM does"));
  EXPECT_EQ(load_ok("router_settings: {routing_strategy: usage-based-routing-v2}\n")
                .router.routing_strategy,
            "usage-based-routing-v2");
}

TEST(ConfigWarnings, FallbackToAGroupThatDoesNotExistIsPointedOut) {
  auto c = load_ok(R"(
model_list:
  - {model_name: mistral-large, litellm_params: {model: mistral/mistral-large-latest, api_key: k}}
router_settings:
  fallbacks: [{mistral-large: [mistral-larg]}]
)");
  EXPECT_THAT(c.warnings, ElementsAre("config: 'router_settings.fallbacks[0].mistral-large' names "
                                      "'mistral-larg', which is not a model_name in model_list "
                                      "(did you mean 'mistral-large'?)"));
}

TEST(ConfigWarnings, IgnoredDeploymentKeysAreListedOncePerKey) {
  auto c = load_ok(R"(
model_list:
  - {model_name: a, litellm_params: {model: mistral/mistral-small-latest, api_key: k,
                                     api_version: x, tags: [t]}}
  - {model_name: b, litellm_params: {model: mistral/mistral-small-latest, api_key: k,
                                     api_version: y}}
)");
  EXPECT_THAT(c.ignored_keys, ElementsAre("model_list[*].litellm_params.api_version",
                                          "model_list[*].litellm_params.tags"));
  EXPECT_THAT(startup_lines(c), ElementsAre("config: accepted but not implemented, ignored: "
                                            "model_list[*].litellm_params.api_version, "
                                            "model_list[*].litellm_params.tags"));
}

// ---- helpers for tooling ---------------------------------------------------------------------

TEST(ConfigEnvReferences, ListsEveryReferencedNameOnceInOrder) {
  EXPECT_THAT(env_references(R"(
model_list:
  - model_name: a
    litellm_params: {model: mistral/x, api_key: os.environ/MISTRAL_API_KEY}
  # - {model_name: b, litellm_params: {api_key: os.environ/COMMENTED_OUT}}
  - model_name: c
    litellm_params:
      model: openai/y
      api_key: "os.environ/OPENAI_API_KEY"
      extra_headers: {X: os.environ/MISTRAL_API_KEY}
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  alerting: [os.environ/IN_A_LIST]
)"),
              ElementsAre("MISTRAL_API_KEY", "OPENAI_API_KEY", "LITELLM_MASTER_KEY", "IN_A_LIST"));
  EXPECT_TRUE(env_references("model_list: [unclosed").empty());
  EXPECT_TRUE(env_references("").empty());
}

TEST(ConfigProviders, ServedListMatchesTheIssue) {
  for (const char* p : {"mistral", "openai", "groq", "cerebras", "openrouter", "together_ai",
                        "deepseek", "perplexity", "fireworks_ai", "xai", "nvidia_nim", "github",
                        "hosted_vllm", "lm_studio", "ollama_chat", "ollama"}) {
    EXPECT_TRUE(provider_is_served(p)) << p;
  }
  for (const char* p : {"gemini", "vertex_ai", "anthropic", "azure", "bedrock", "cohere", ""}) {
    EXPECT_FALSE(provider_is_served(p)) << p;
  }
}

/// "`key`", built with append: GCC 12 at -O3 warns falsely (-Wrestrict) on "`" + std::string.
std::string quoted_key(std::string_view key) {
  std::string out(1, '`');
  out.append(key);
  out.push_back('`');
  return out;
}

TEST(ConfigDocs, EveryKeyInTheTablesIsDocumented) {
  const std::string doc = read_file(std::string(LITELLM_SOURCE_DIR) + "/docs/config.md");
  ASSERT_FALSE(doc.empty());
  auto check = [&](const auto& table, const char* name) {
    for (std::string_view key : table) {
      EXPECT_NE(doc.find(quoted_key(key)), std::string::npos) << name << ": " << key;
    }
  };
  check(keys::kServedProviders, "kServedProviders");
  check(keys::kTopImplemented, "kTopImplemented");
  check(keys::kTopIgnored, "kTopIgnored");
  check(keys::kLitellmImplemented, "kLitellmImplemented");
  check(keys::kLitellmIgnored, "kLitellmIgnored");
  check(keys::kGeneralImplemented, "kGeneralImplemented");
  check(keys::kGeneralIgnored, "kGeneralIgnored");
  check(keys::kRouterImplemented, "kRouterImplemented");
  check(keys::kRouterIgnored, "kRouterIgnored");
  check(keys::kRetryPolicyKeys, "kRetryPolicyKeys");
  check(keys::kRoutingStrategies, "kRoutingStrategies");
  check(keys::kEntryKeys, "kEntryKeys");
  check(keys::kParamsImplemented, "kParamsImplemented");
  check(keys::kParamsIgnored, "kParamsIgnored");
  check(keys::kReasoningModes, "kReasoningModes");
  for (const auto& p : keys::kRequestParams) {
    EXPECT_NE(doc.find(quoted_key(p.name)), std::string::npos) << p.name;
  }
}

}  // namespace
}  // namespace litellm::gateway
