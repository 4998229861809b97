// Holds N concurrent slow streams open against a mistral-emulator process and reports the
// emulator's resident memory at checkpoints, to show the per-stream cost is small and constant.
//
//   emulator_streams_bench <path/to/mistral-emulator> [streams=10000] [tokens_per_second=0.2]
//
// Each stream asks for a chat completion with `x-emulator-fault: tps=<rate>`, so the emulator
// keeps every stream open, writing an event every few seconds. The bench counts a stream once
// its first event arrived, and keeps reading (and discarding) so nothing backs up.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct Child {
  pid_t pid = -1;
  unsigned short port = 0;
};

Child spawn_emulator(const char* bin) {
  int out[2];
  if (pipe(out) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    execl(bin, bin, "--port", "0", "--threads", "2", nullptr);
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line += c;
  close(out[0]);
  auto colon = line.rfind(':');
  if (colon == std::string::npos) return {pid, 0};
  return {pid, static_cast<unsigned short>(std::stoi(line.substr(colon + 1)))};
}

struct Stream : std::enable_shared_from_this<Stream> {
  tcp::socket socket;
  std::array<char, 512> buf{};
  bool established = false;
  std::string* request;
  int* live;
  int* failed;
  Stream(asio::io_context& io, std::string* req, int* l, int* f)
      : socket(io), request(req), live(l), failed(f) {}

  void start(const tcp::endpoint& ep) {
    socket.async_connect(ep, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail();
      asio::async_write(self->socket, asio::buffer(*self->request),
                        [self](boost::system::error_code ec2, std::size_t) {
                          if (ec2) return self->fail();
                          self->read();
                        });
    });
  }
  void read() {
    socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](
                                                  boost::system::error_code ec, std::size_t n) {
      if (ec) return self->fail();
      if (!self->established &&
          std::string_view(self->buf.data(), n).find("data: ") != std::string_view::npos) {
        self->established = true;
        ++*self->live;
      }
      self->read();
    });
  }
  void fail() {
    if (established) --*live;
    established = false;
    ++*failed;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <mistral-emulator> [streams] [tokens_per_second]\n", argv[0]);
    return 2;
  }
  int target = argc > 2 ? std::stoi(argv[2]) : 10000;
  std::string tps = argc > 3 ? argv[3] : "0.2";
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);

  Child emu = spawn_emulator(argv[1]);
  if (emu.port == 0) {
    std::fprintf(stderr, "emulator did not start\n");
    return 1;
  }
  std::string body =
      R"({"model":"mistral-small-latest","stream":true,"max_tokens":200,"messages":[{"role":"user","content":"Tell me a long story"}]})";
  std::string request =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer bench\r\nContent-Type: application/json\r\n"
      "x-emulator-fault: tps=" +
      tps + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;

  asio::io_context io(1);
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), emu.port);
  int live = 0;
  int failed = 0;
  std::vector<std::shared_ptr<Stream>> streams;
  streams.reserve(static_cast<std::size_t>(target));

  auto settle = [&](std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
  };
  settle(std::chrono::milliseconds(500));
  long base = rss_kib(emu.pid);
  std::printf("streams=%6d  emulator RSS %8.1f MiB\n", 0, base / 1024.0);

  std::vector<int> checkpoints = {1000, 5000, 10000};
  if (target < 10000) checkpoints = {target / 10, target / 2, target};
  std::size_t next = 0;
  auto started = std::chrono::steady_clock::now();
  while (next < checkpoints.size()) {
    int goal = checkpoints[next];
    // Open in batches so the listen backlog never overflows.
    while (static_cast<int>(streams.size()) < goal) {
      int batch = std::min<int>(250, goal - static_cast<int>(streams.size()));
      for (int i = 0; i < batch; ++i) {
        streams.push_back(std::make_shared<Stream>(io, &request, &live, &failed));
        streams.back()->start(ep);
      }
      settle(std::chrono::milliseconds(50));
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (live < goal - failed && std::chrono::steady_clock::now() < deadline) {
      settle(std::chrono::milliseconds(100));
    }
    settle(std::chrono::milliseconds(1000));
    long rss = rss_kib(emu.pid);
    double per = live > 0 ? static_cast<double>(rss - base) / live : 0;
    std::printf("streams=%6d  emulator RSS %8.1f MiB  (+%.1f KiB per stream, %d failed)\n", live,
                rss / 1024.0, per, failed);
    std::fflush(stdout);
    ++next;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("held %d concurrent streams (%.1f s to open all)\n", live, secs);
  kill(emu.pid, SIGTERM);
  int status = 0;
  waitpid(emu.pid, &status, 0);
  return live >= target * 95 / 100 ? 0 : 1;
}
