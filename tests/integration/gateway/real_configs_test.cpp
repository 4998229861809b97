// Real LiteLLM configs from public projects (tests/fixtures/configs/real/), unchanged: the gateway
// binary starts on each with every os.environ/ name set to a placeholder (addresses on loopback),
// answers liveliness, and lists every model group. No request leaves 127.0.0.1: nothing here
// calls a model.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "gateway/config.hpp"
#include "process.hpp"

namespace litellm::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> real_configs() {
  std::vector<std::string> out;
  for (const auto& e :
       fs::directory_iterator(std::string(LITELLM_FIXTURES_DIR) + "/configs/real")) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A placeholder for each referenced variable; anything that looks like an address points at
// loopback so that even an accidental call could not leave the machine.
std::map<std::string, std::string> placeholders(const std::string& yaml) {
  std::map<std::string, std::string> env;
  for (const auto& name : gateway::env_references(yaml)) {
    bool address =
        name.find("BASE") != std::string::npos || name.find("URL") != std::string::npos ||
        name.find("HOST") != std::string::npos || name.find("ENDPOINT") != std::string::npos;
    env[name] = address ? "http://127.0.0.1:9/v1" : "placeholder-" + name;
  }
  return env;
}

class RealConfig : public ::testing::TestWithParam<std::string> {};

TEST_P(RealConfig, GatewayStartsUnchangedAndListsEveryModelGroup) {
  const std::string path = GetParam();
  const std::string yaml = read_file(path);
  auto env = placeholders(yaml);
  for (const auto& [k, v] : env)
    ::setenv(k.c_str(), v.c_str(), 1);
  gateway::LoadOptions lo;
  lo.export_environment = false;
  auto cfg = gateway::load_config_file(path, lo);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  std::set<std::string> groups;
  for (const auto& d : cfg->model_list)
    groups.insert(d.model_name);
  ASSERT_FALSE(groups.empty());

  Process gw(binary_path("apps/litellm/litellm"),
             {"--config", path, "--host", "127.0.0.1", "--port", "0", "--num_workers", "1"}, env);
  ASSERT_TRUE(gw.ready()) << gw.output();
  EXPECT_EQ(http_request(gw.port(), "GET", "/health/liveliness").status, 200);

  std::map<std::string, std::string> auth;
  if (!cfg->general.master_key.empty()) {
    auth["Authorization"] = "Bearer " + cfg->general.master_key;
  }
  auto models = http_request(gw.port(), "GET", "/v1/models", "", auth);
  ASSERT_EQ(models.status, 200) << models.body;
  auto doc = boost::json::parse(models.body);
  std::set<std::string> listed;
  for (const auto& m : doc.at("data").as_array())
    listed.emplace(m.at("id").as_string());
  EXPECT_EQ(listed, groups) << gw.output();
  EXPECT_EQ(gw.terminate(SIGTERM), 0) << gw.output();
}

INSTANTIATE_TEST_SUITE_P(Corpus, RealConfig, ::testing::ValuesIn(real_configs()),
                         [](const auto& param_info) {
                           std::string n = fs::path(param_info.param).stem().string();
                           std::replace_if(
                               n.begin(), n.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return n;
                         });

}  // namespace
}  // namespace litellm::testing
