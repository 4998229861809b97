// Test support: start a real binary on a loopback port and talk HTTP to it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace litellm::testing {

/// A child process. The constructor starts it and waits (bounded) for a stdout line containing
/// `ready_marker`; the first "http://host:port" on that line gives port(). The destructor sends
/// SIGTERM, waits a bounded time, then SIGKILL.
class Process {
 public:
  Process(std::string binary, std::vector<std::string> args,
          std::map<std::string, std::string> env = {}, std::string ready_marker = "listening on",
          std::chrono::milliseconds timeout = std::chrono::seconds(20));
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool ready() const { return port_ != 0; }
  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// Sends a signal and waits for exit (bounded); returns the exit status (or -1).
  int terminate(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Everything the process wrote to stdout and stderr so far (for assertion messages).
  std::string output();

 private:
  void drain_output(std::chrono::milliseconds wait);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  unsigned short port_ = 0;
  std::string output_;
  bool exited_ = false;
  int status_ = -1;
};

struct HttpResult {
  int status = 0;                              ///< 0: connection failed
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
  std::string error;
};

/// One HTTP/1.1 request to 127.0.0.1:port, bounded by `timeout`.
HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = {},
                        const std::map<std::string, std::string>& headers = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Path of a built binary (LITELLM_BINARY_DIR + relative path).
std::string binary_path(const std::string& relative);

/// A free loopback port (bound and released).
unsigned short free_port();

/// Parses "data: ..." SSE lines from a body into their payloads (for non-incremental checks).
std::vector<std::string> sse_data(const std::string& body);

}  // namespace litellm::testing
