// The real-config corpus (tests/fixtures/configs/real/): public LiteLLM configs that route to
// Mistral, copied unchanged. Each must load with every os.environ/ name set to a placeholder, and
// every model group it declares must be there. The warnings each one produces are printed, so a
// change in what we accept shows up in the test log.
#include "gateway/config.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace litellm::gateway {
namespace {

namespace fs = std::filesystem;

std::string real_dir() {
  return std::string(LITELLM_FIXTURES_DIR) + "/configs/real";
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(real_dir())) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The model_name of every model_list entry, read with yaml-cpp alone (not with the loader under
/// test), so a group the loader drops is noticed.
std::set<std::string> declared_groups(const std::string& yaml) {
  std::set<std::string> out;
  const YAML::Node root = YAML::Load(yaml);
  for (const auto& entry : root["model_list"]) {
    if (entry["model_name"]) out.insert(entry["model_name"].as<std::string>());
  }
  return out;
}

class RealConfig : public ::testing::TestWithParam<fs::path> {};

TEST(RealConfigCorpus, HoldsAtLeastTenConfigsEachListedInTheReadme) {
  const auto files = corpus();
  EXPECT_GE(files.size(), 10u);
  const std::string readme = read_file(real_dir() + "/README.md");
  for (const auto& f : files) {
    EXPECT_NE(readme.find(f.filename().string()), std::string::npos)
        << f.filename() << " is not described in README.md";
  }
}

TEST_P(RealConfig, StartsUnchangedAndKeepsEveryModelGroup) {
  const std::string yaml = read_file(GetParam());
  const std::vector<std::string> names = env_references(yaml);
  for (const auto& name : names)
    ::setenv(name.c_str(), ("placeholder-" + name).c_str(), 1);

  LoadOptions options;
  options.export_environment = false;
  auto cfg = load_config_text(yaml, options, GetParam().filename().string());
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;

  std::set<std::string> loaded;
  bool routes_to_mistral = false;
  for (const auto& d : cfg->model_list) {
    loaded.insert(d.model_name);
    routes_to_mistral |= d.provider == "mistral" && d.served;
  }
  EXPECT_EQ(loaded, declared_groups(yaml));
  EXPECT_TRUE(routes_to_mistral) << "no served mistral/ deployment";
  for (const auto& d : cfg->model_list) {
    if (!d.served || !d.api_key.starts_with("placeholder-")) continue;
    EXPECT_FALSE(d.api_key.empty());
  }
  for (const auto& line : startup_lines(*cfg))
    std::printf("  %s\n", line.c_str());
}

INSTANTIATE_TEST_SUITE_P(Corpus, RealConfig, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           std::string name = param.param.stem().string();
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace litellm::gateway
