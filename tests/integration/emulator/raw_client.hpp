// A tiny blocking HTTP/1.1 client on POSIX sockets with a deadline, for tests that must see
// exactly what went over the wire: resets, stalls, timing of each chunk, malformed bodies.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace litellm::emulator::testing {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

enum class Ending { closed, reset, timeout, error };

struct Arrival {
  Millis at;  ///< since the request was sent
  std::string bytes;
};

struct RawResult {
  bool connected = false;
  Ending ending = Ending::closed;
  std::string raw;                ///< everything received
  std::vector<Arrival> arrivals;  ///< each read() as it arrived
  Millis first_byte{-1};
  Millis elapsed{0};

  [[nodiscard]] unsigned status() const {
    if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) return 0;
    return static_cast<unsigned>(std::stoul(raw.substr(9, 3)));
  }
  [[nodiscard]] std::string header(const std::string& name) const {
    auto end = raw.find("\r\n\r\n");
    std::string head = raw.substr(0, end);
    std::string lower = head;
    for (auto& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n" + name + ":";
    auto pos = lower.find(key);
    if (pos == std::string::npos) return {};
    auto start = pos + key.size();
    auto stop = head.find("\r\n", start);
    std::string v = head.substr(start, stop - start);
    while (!v.empty() && v.front() == ' ')
      v.erase(0, 1);
    return v;
  }
  /// The body with chunked transfer encoding removed (best effort for truncated bodies).
  [[nodiscard]] std::string body() const {
    auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return {};
    std::string rest = raw.substr(end + 4);
    if (header("transfer-encoding") != "chunked") return rest;
    std::string out;
    std::size_t pos = 0;
    while (pos < rest.size()) {
      auto eol = rest.find("\r\n", pos);
      if (eol == std::string::npos) break;
      std::size_t n = std::stoul(rest.substr(pos, eol - pos), nullptr, 16);
      if (n == 0) break;
      out += rest.substr(eol + 2, n);
      pos = eol + 2 + n + 2;
    }
    return out;
  }
};

/// Sends `request` (a complete HTTP/1.1 message) and reads until close, reset or `deadline`.
inline RawResult roundtrip(std::uint16_t port, const std::string& request, Millis deadline) {
  RawResult r;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    r.ending = Ending::error;
    return r;
  }
  r.connected = true;
  auto start = Clock::now();
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char buf[16384];
  while (true) {
    auto left = deadline - std::chrono::duration_cast<Millis>(Clock::now() - start);
    if (left.count() <= 0) {
      r.ending = Ending::timeout;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready == 0) {
      r.ending = Ending::timeout;
      break;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    auto now = std::chrono::duration_cast<Millis>(Clock::now() - start);
    if (n > 0) {
      if (r.first_byte.count() < 0) r.first_byte = now;
      r.raw.append(buf, static_cast<std::size_t>(n));
      r.arrivals.push_back({now, std::string(buf, static_cast<std::size_t>(n))});
      // A whole non-chunked response ends at its Content-Length: stop without waiting for close.
      auto head_end = r.raw.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::string cl = r.header("content-length");
        if (!cl.empty() && r.raw.size() >= head_end + 4 + std::stoul(cl)) break;
        if (r.header("transfer-encoding") == "chunked" && r.raw.size() >= 5 &&
            r.raw.compare(r.raw.size() - 5, 5, "0\r\n\r\n") == 0) {
          break;
        }
      }
      continue;
    }
    r.ending = (n < 0 && errno == ECONNRESET) ? Ending::reset : Ending::closed;
    break;
  }
  r.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  ::close(fd);
  return r;
}

/// The small chat request every socket test sends, plain and streamed.
inline const std::string kChat =
    R"({"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello there"}]})";
inline const std::string kStream =
    R"({"model":"mistral-small-latest","stream":true,"messages":[{"role":"user","content":"Hello there"}]})";

inline std::string post_request(const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers = {}) {
  std::string req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                    "Authorization: Bearer test-key\r\nContent-Type: application/json\r\n";
  for (const auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return req;
}

}  // namespace litellm::emulator::testing
