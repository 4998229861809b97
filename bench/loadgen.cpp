// loadgen: a small HTTP/1.1 load generator for the benchmarks (wrk cannot pace requests or time
// the first byte of a stream). Keep-alive connections, closed loop (as fast as possible) or open
// loop at a fixed rate, latency percentiles measured from each request's scheduled start (so a
// slow server cannot hide its queueing: no coordinated omission), and for streams the time to
// the first body byte. Prints one JSON line.
//
//   loadgen --url http://127.0.0.1:4000/v1/chat/completions --body body.json
//           [--connections 32] [--duration 10] [--rate 0] [--warmup 2] [--header 'k: v']...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
  std::vector<double> latency_us;  // scheduled start -> last byte
  std::vector<double> ttfb_us;     // send -> first body byte
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t bytes = 0;
};

struct Config {
  std::string host;
  std::string port;
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int connections = 32;
  double duration_s = 10;
  double warmup_s = 2;
  double rate = 0;  // requests per second over all connections; 0: closed loop
};

asio::awaitable<void> connection(const Config& cfg, int index, Clock::time_point start,
                                 Clock::time_point warm, Clock::time_point end, Stats& stats) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(ex);
  beast::tcp_stream stream(ex);
  beast::flat_buffer buffer;
  bool connected = false;
  bhttp::request<bhttp::string_body> req{cfg.body.empty() ? bhttp::verb::get : bhttp::verb::post,
                                         cfg.target, 11};
  req.set(bhttp::field::host, cfg.host);
  if (!cfg.body.empty()) req.set(bhttp::field::content_type, "application/json");
  for (const auto& [k, v] : cfg.headers)
    req.set(k, v);
  req.body() = cfg.body;
  req.prepare_payload();
  req.keep_alive(true);

  // Open loop: connection i sends at start + (i + k*N) / rate.
  const double interval_s = cfg.rate > 0 ? cfg.connections / cfg.rate : 0;
  Clock::time_point next =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(cfg.rate > 0 ? index / cfg.rate : 0.0));
  asio::steady_timer timer(ex);
  char buf[16384];
  while (Clock::now() < end) {
    if (cfg.rate > 0) {
      timer.expires_at(next);
      boost::system::error_code tec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, tec));
    }
    const auto scheduled = cfg.rate > 0 ? next : Clock::now();
    next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s));
    boost::system::error_code ec;
    if (!connected) {
      auto eps = co_await resolver.async_resolve(cfg.host, cfg.port,
                                                 asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await stream.async_connect(eps, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        ++stats.errors;
        continue;
      }
      stream.socket().set_option(asio::ip::tcp::no_delay(true));
      connected = true;
    }
    stream.expires_after(std::chrono::seconds(30));
    const auto sent = Clock::now();
    co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.body_limit(1ULL << 30);
    if (!ec) {
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
    }
    Clock::time_point first_byte{};
    std::size_t bytes = 0;
    while (!ec && !parser.is_done()) {
      parser.get().body().data = buf;
      parser.get().body().size = sizeof buf;
      co_await bhttp::async_read_some(stream, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      std::size_t got = sizeof buf - parser.get().body().size;
      if (got > 0 && first_byte == Clock::time_point{}) first_byte = Clock::now();
      bytes += got;
    }
    const auto done = Clock::now();
    if (ec || parser.get().result_int() >= 400) {
      ++stats.errors;
      if (ec) {
        stream.close();
        connected = false;
        buffer.consume(buffer.size());
      }
      continue;
    }
    if (!parser.get().keep_alive()) {
      stream.close();
      connected = false;
    }
    if (done < warm) continue;  // warm-up requests are not counted
    ++stats.ok;
    stats.bytes += bytes;
    stats.latency_us.push_back(std::chrono::duration<double, std::micro>(done - scheduled).count());
    if (first_byte != Clock::time_point{}) {
      stats.ttfb_us.push_back(std::chrono::duration<double, std::micro>(first_byte - sent).count());
    }
  }
  boost::system::error_code ignore;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignore);
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"HTTP load generator for the litellm-cpp benchmarks"};
  std::string url;
  std::string body_file;
  std::vector<std::string> headers;
  Config cfg;
  app.add_option("--url", url, "http://host:port/path")->required();
  app.add_option("--body", body_file, "request body file (POST); none: GET");
  app.add_option("--header", headers, "extra header 'name: value'");
  app.add_option("--connections,-c", cfg.connections);
  app.add_option("--duration,-d", cfg.duration_s, "seconds measured");
  app.add_option("--warmup", cfg.warmup_s, "seconds before measuring");
  app.add_option("--rate,-r", cfg.rate, "requests/s in total (open loop); 0: closed loop");
  CLI11_PARSE(app, argc, argv);

  auto u = boost::urls::parse_uri(url);
  if (!u) {
    std::cerr << "bad url\n";
    return 2;
  }
  cfg.host = u->host();
  cfg.port = u->has_port() ? std::string(u->port()) : "80";
  cfg.target = u->encoded_target().empty() ? "/" : std::string(u->encoded_target());
  if (!body_file.empty()) {
    std::ifstream in(body_file);
    std::stringstream ss;
    ss << in.rdbuf();
    cfg.body = ss.str();
  }
  for (const auto& h : headers) {
    auto c = h.find(':');
    if (c == std::string::npos) continue;
    std::string v = h.substr(c + 1);
    while (!v.empty() && v.front() == ' ')
      v.erase(0, 1);
    cfg.headers.emplace_back(h.substr(0, c), v);
  }

  asio::io_context ioc(1);
  Stats stats;
  const auto start = Clock::now();
  const auto warm = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(cfg.warmup_s));
  const auto end = warm + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(cfg.duration_s));
  for (int i = 0; i < cfg.connections; ++i) {
    asio::co_spawn(ioc, connection(cfg, i, start, warm, end, stats), asio::detached);
  }
  ioc.run();
  const double measured = std::chrono::duration<double>(Clock::now() - warm).count();
  std::printf(
      "{\"requests\":%llu,\"errors\":%llu,\"rps\":%.1f,\"p50_us\":%.1f,\"p90_us\":%.1f,"
      "\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"ttfb_p50_us\":%.1f,\"ttfb_p99_us\":%.1f,"
      "\"bytes\":%llu}\n",
      static_cast<unsigned long long>(stats.ok), static_cast<unsigned long long>(stats.errors),
      static_cast<double>(stats.ok) / measured, percentile(stats.latency_us, 50),
      percentile(stats.latency_us, 90), percentile(stats.latency_us, 99),
      percentile(stats.latency_us, 99.9), percentile(stats.latency_us, 100),
      percentile(stats.ttfb_us, 50), percentile(stats.ttfb_us, 99),
      static_cast<unsigned long long>(stats.bytes));
  return 0;
}
