// litellm: the gateway binary. `litellm --config config.yaml [--host 0.0.0.0] [--port 4000]`.
// Everything that can be wrong with the configuration fails here, before listening.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "gateway/config.hpp"
#include "gateway/gateway.hpp"
#include "litellm/version.hpp"
#include "providers/adapter.hpp"
#include "router/router.hpp"

namespace {

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace litellm;
  CLI::App app{"litellm-cpp: LiteLLM-compatible gateway (OpenAI endpoints in front of Mistral)",
               "litellm"};
  std::string config_path;
  std::string model;
  gateway::GatewayOptions opts;
  bool strict = false;
  bool debug = false;
  double drain_seconds = 30;
  app.add_option("--config,-c", config_path, "LiteLLM proxy config.yaml");
  app.add_option("--model,-m", model,
                 "quick start: serve one model, e.g. mistral/mistral-small-latest");
  app.add_option("--host", opts.host, "address to listen on")->capture_default_str();
  app.add_option("--port,-p", opts.port, "port to listen on")->capture_default_str();
  app.add_option("--num_workers", opts.num_workers, "worker threads (default: one per core)");
  app.add_flag("--detailed_debug", opts.detailed_debug, "log every request");
  app.add_flag("--debug", debug, "debug logs");
  app.add_flag("--strict-config", strict, "unknown config keys are errors instead of warnings");
  app.add_option("--drain_timeout", drain_seconds,
                 "seconds to finish in-flight requests on SIGTERM")
      ->capture_default_str();
  app.set_version_flag("--version,-v", std::string("litellm-cpp ") + LITELLM_VERSION_STRING);
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("litellm");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%L%$ %H:%M:%S.%e litellm: %v");
  spdlog::set_level(opts.detailed_debug || debug ? spdlog::level::debug : spdlog::level::info);

  gateway::LoadOptions lo;
  lo.strict = strict;
  Result<gateway::GatewayConfig> cfg = Error::make(ErrorKind::bad_request, "no config");
  if (!config_path.empty()) {
    cfg = gateway::load_config_file(config_path, lo);
  } else {
    std::string yaml = "model_list: []\n";
    if (!model.empty()) {
      yaml = "model_list:\n  - model_name: \"" + model +
             "\"\n    litellm_params:\n      model: \"" + model + "\"\n";
    }
    cfg = gateway::load_config_text(yaml, lo, "--model");
  }
  if (!cfg) {
    spdlog::error("{}", cfg.error().message);
    return 2;
  }
  if (!model.empty()) opts.force_model = model;  // LiteLLM: --model serves every request

  for (const auto& w : cfg->warnings)
    spdlog::warn("{}", w);
  if (!cfg->ignored_keys.empty()) {
    spdlog::warn("config: accepted but not implemented, ignored: {}",
                 join(cfg->ignored_keys, ", "));
  }
  if (cfg->model_list.empty()) spdlog::warn("no models configured (pass --config or --model)");

  // Handlers first: a supervisor may send SIGTERM the moment it reads the "listening" line, and
  // that must drain, not kill.
  boost::asio::io_context signals_ctx(1);
  boost::asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);

  gateway::Gateway gw(*cfg, opts);
  auto port = gw.start();
  if (!port) {
    spdlog::error("cannot start: {}", port.error().message);
    return 1;
  }
  // One line per route, after start so api_base shows what the router resolved.
  for (const auto& d : cfg->model_list) {
    if (d.served) {
      const auto* adapter = providers::find_adapter(d.provider);
      std::string base = d.api_base;
      if (base.empty() && adapter != nullptr) base = router::first_env(adapter->api_base_envs());
      if (base.empty() && adapter != nullptr) base = std::string(adapter->default_api_base());
      spdlog::info("model '{}' -> {} at {}", d.model_name, d.model, base);
    } else {
      spdlog::info("model '{}' -> {} (provider '{}' not served by this gateway)", d.model_name,
                   d.model, d.provider);
    }
  }
  std::printf("litellm listening on http://%s:%u\n", opts.host.c_str(),
              static_cast<unsigned>(*port));
  std::fflush(stdout);

  int got = 0;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) got = sig;
  });
  signals_ctx.run();
  spdlog::info("signal {}: draining (up to {} s)", got, drain_seconds);
  gw.drain(std::chrono::milliseconds(static_cast<std::int64_t>(drain_seconds * 1000)));
  gw.wait();
  spdlog::info("stopped");
  return 0;
}
