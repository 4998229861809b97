#include "emulator/faults.hpp"
#include "emulator/strcat.hpp"

#include <charconv>
#include <string>

namespace litellm::emulator {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Error bad(std::string_view what) {
  Error e = Error::make(ErrorKind::bad_request, cat("bad x-emulator-fault: ", what));
  e.param = "x-emulator-fault";
  return e;
}

}  // namespace

Result<FaultSpec> parse_fault_header(std::string_view header, FaultSpec f) {
  constexpr std::int64_t kMaxMs = 3'600'000;  // an hour: anything longer is a typo
  while (!header.empty()) {
    auto sep = header.find_first_of(";,");
    std::string_view item = trim(header.substr(0, sep));
    header = sep == std::string_view::npos ? std::string_view{} : header.substr(sep + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    std::string_view key = trim(item.substr(0, eq));
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : trim(item.substr(eq + 1));
    std::int64_t n = 0;
    auto need_int = [&](std::int64_t lo, std::int64_t hi) {
      return parse_number(value, n) && n >= lo && n <= hi;
    };
    if (key == "none") {
      f = FaultSpec{};
    } else if (key == "latency_ms" || key == "latency") {
      if (!need_int(0, kMaxMs)) return bad(key);
      f.latency = std::chrono::milliseconds(n);
    } else if (key == "ttft_ms" || key == "ttft") {
      if (!need_int(0, kMaxMs)) return bad(key);
      f.ttft = std::chrono::milliseconds(n);
    } else if (key == "tps" || key == "tokens_per_second") {
      double d = 0;
      if (!parse_number(value, d) || !(d >= 0) || d > 1e9) return bad(key);
      f.tokens_per_second = d;
    } else if (key == "status") {
      if (!need_int(400, 599)) return bad(key);
      f.status = static_cast<unsigned>(n);
    } else if (key == "retry_after" || key == "retry_after_s") {
      if (!need_int(0, 86400)) return bad(key);
      f.retry_after_s = n;
    } else if (key == "reset") {
      if (value == "before") {
        f.reset = ResetMode::before;
      } else if (value == "mid" || value.empty()) {
        f.reset = ResetMode::mid;
      } else {
        return bad(key);
      }
    } else if (key == "reset_after") {
      if (!need_int(0, 1'000'000)) return bad(key);
      f.reset = ResetMode::mid;
      f.reset_after_events = static_cast<int>(n);
    } else if (key == "stall") {
      if (!value.empty() && value != "true" && value != "1") return bad(key);
      f.stall = true;
    } else if (key == "stall_after") {
      if (!need_int(0, 1'000'000)) return bad(key);
      f.stall_after_events = static_cast<int>(n);
    } else if (key == "malformed") {
      if (!value.empty() && value != "true" && value != "1") return bad(key);
      f.malformed = true;
    } else {
      return bad(key);
    }
  }
  return f;
}

}  // namespace litellm::emulator
