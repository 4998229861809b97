// The emulator as a server: embedding API, headers, concurrency and the binary's contract.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include <boost/json.hpp>

#include "emulator/emulator.hpp"
#include "raw_client.hpp"

namespace litellm::emulator {
namespace {

using namespace testing;
namespace json = boost::json;

TEST(EmulatorServer, ServesChatAndRecordsWhatItReceived) {
  Emulator emu;
  auto port = emu.start();
  ASSERT_TRUE(port);
  EXPECT_EQ(emu.base_url(), "http://127.0.0.1:" + std::to_string(*port) + "/v1");
  auto r = roundtrip(*port, post_request("/v1/chat/completions", kChat), Millis(5000));
  ASSERT_EQ(r.status(), 200u);
  EXPECT_EQ(json::parse(r.body()).at("object"), "chat.completion");
  EXPECT_EQ(emu.requests_seen(), 1u);
  auto last = emu.last_request();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->method, "POST");
  EXPECT_EQ(last->target, "/v1/chat/completions");
  EXPECT_EQ(last->authorization, "Bearer test-key");
  EXPECT_EQ(last->body, kChat);
  emu.clear_recorded();
  EXPECT_EQ(emu.requests_seen(), 0u);
  EXPECT_FALSE(emu.last_request());
}

TEST(EmulatorServer, SendsRateLimitHeadersOnEveryAnswer) {
  EmulatorOptions o;
  o.rate_limits.requests_per_minute = 100;
  Emulator emu(o);
  auto port = emu.start().value();
  auto ok = roundtrip(port, post_request("/v1/chat/completions", kChat), Millis(5000));
  EXPECT_EQ(ok.header("x-ratelimit-limit-req-minute"), "100");
  EXPECT_EQ(ok.header("x-ratelimit-remaining-req-minute"), "99");
  EXPECT_FALSE(ok.header("x-ratelimit-remaining-tokens-minute").empty());
  EXPECT_NE(ok.header("x-ratelimit-tokens-query-cost"), "0");
  std::string unauth = "GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto denied = roundtrip(port, unauth, Millis(5000));
  EXPECT_EQ(denied.status(), 401u);
  EXPECT_FALSE(denied.header("x-ratelimit-limit-req-minute").empty());
}

TEST(EmulatorServer, AnswersConcurrentClientsOnSeveralThreads) {
  EmulatorOptions o;
  o.threads = 2;
  o.record_requests = 0;
  Emulator emu(o);
  auto port = emu.start().value();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = roundtrip(port, post_request("/v1/chat/completions", kChat), Millis(5000));
        if (r.status() == 200u) ++ok;
      }
    });
  }
  for (auto& c : clients)
    c.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(emu.requests_seen(), 200u);
}

TEST(EmulatorServer, StopsWhileAStreamIsStalled) {
  Emulator emu;
  auto port = emu.start().value();
  std::thread client([&] {
    std::map<std::string, std::string> h{{"x-emulator-fault", "stall"}};
    (void)roundtrip(port, post_request("/v1/chat/completions", kChat, h), Millis(3000));
  });
  while (emu.requests_seen() == 0)
    std::this_thread::yield();
  auto start = Clock::now();
  emu.stop();
  EXPECT_LT(std::chrono::duration_cast<Millis>(Clock::now() - start).count(), 2000);
  client.join();
}

#ifdef MISTRAL_EMULATOR_BIN
TEST(EmulatorBinary, PrintsItsPortAndExitsZeroOnSigterm) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    execl(MISTRAL_EMULATOR_BIN, MISTRAL_EMULATOR_BIN, "--port", "0", nullptr);
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line += c;
  const std::string prefix = "mistral-emulator listening on http://127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
  auto port = static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));
  EXPECT_GT(port, 0);
  auto r = roundtrip(port, post_request("/v1/chat/completions", kChat), Millis(5000));
  EXPECT_EQ(r.status(), 200u);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  close(out[0]);
}

TEST(EmulatorBinary, RefusesToStartWithABadConfig) {
  std::string path = ::testing::TempDir() + "emulator-bad.yaml";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("rate_limits: {rpm: 3}\n", f);
    std::fclose(f);
  }
  std::string cmd = std::string(MISTRAL_EMULATOR_BIN) + " --port 0 --config " + path + " 2>&1";
  std::FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr)
    out += buf;
  int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(out.find("rate_limits.rpm"), std::string::npos) << out;
}
#endif

}  // namespace
}  // namespace litellm::emulator
