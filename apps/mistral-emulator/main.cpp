// mistral-emulator --port 8080 [--host 127.0.0.1] [--threads N] [--config file.yaml]
// Prints exactly one line when ready, "mistral-emulator listening on http://127.0.0.1:<port>",
// so scripts can start it with --port 0 and read the port; exits 0 on SIGTERM or SIGINT.
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "emulator/emulator.hpp"

namespace {

// 10,000 concurrent streams need 10,000 descriptors; the soft limit is often 1024.
void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Mistral's HTTP API on loopback: deterministic answers, fault injection"};
  std::optional<std::string> config;
  std::optional<int> port;
  std::optional<std::string> host;
  std::optional<int> threads;
  app.add_option("--config", config, "YAML or JSON config file (docs/emulator.md)");
  app.add_option("--port", port, "port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "address to listen on (default 127.0.0.1)");
  app.add_option("--threads", threads, "io threads")->check(CLI::Range(1, 64));
  CLI11_PARSE(app, argc, argv);

  litellm::emulator::EmulatorOptions options;
  if (config) {
    auto loaded = litellm::emulator::load_options(*config);
    if (!loaded) {
      std::cerr << "mistral-emulator: " << loaded.error().message << "\n";
      return 2;
    }
    options = std::move(*loaded);
  }
  // Recorded requests are for embedding tests (Emulator::recent_requests()); a process has no
  // way to read them, so it does not pay for them.
  options.record_requests = 0;
  if (port) options.port = static_cast<std::uint16_t>(*port);
  if (host) options.host = *host;
  if (threads) options.threads = *threads;
  raise_fd_limit();

  // Block the stop signals before any thread starts so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  litellm::emulator::Emulator emulator(options);
  auto bound = emulator.start();
  if (!bound) {
    std::cerr << "mistral-emulator: " << bound.error().message << "\n";
    return 1;
  }
  std::printf("mistral-emulator listening on http://%s:%u\n",
              options.host == "0.0.0.0" ? "127.0.0.1" : options.host.c_str(),
              static_cast<unsigned>(*bound));
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  emulator.stop();
  return 0;
}
