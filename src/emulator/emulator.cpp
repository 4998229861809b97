#include "emulator/emulator.hpp"

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "emulator/service.hpp"
#include "emulator/strcat.hpp"
#include "http/server.hpp"

namespace litellm::emulator {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

// Waits `d`, or less if the client leaves. True when the full time passed with the client there.
asio::awaitable<bool> pause(std::chrono::milliseconds d, http::ResponseWriter& w) {
  if (d.count() <= 0) co_return !w.client_gone();
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  auto [ec] = co_await t.async_wait(
      asio::bind_cancellation_slot(w.client_gone_slot(), asio::as_tuple(asio::use_awaitable)));
  co_return !ec && !w.client_gone();
}

// Never answers: holds the connection until the client leaves (or the emulator stops, which
// destroys this frame with its io_context).
asio::awaitable<void> stall(http::ResponseWriter& w) {
  // Written as an explicit loop: g++ 12 miscompiles `while (co_await ...) {}`.
  for (;;) {
    bool still_there = co_await pause(std::chrono::hours(1), w);
    if (!still_there) break;
  }
  co_return;
}

template <class Header>
void set_common_headers(Header& h, const Reply& reply) {
  h.set("mistral-correlation-id", reply.request_id);
  h.set("x-ratelimit-limit-req-minute", std::to_string(reply.rate.req_limit));
  h.set("x-ratelimit-remaining-req-minute", std::to_string(reply.rate.req_remaining));
  h.set("x-ratelimit-limit-tokens-minute", std::to_string(reply.rate.tok_limit));
  h.set("x-ratelimit-remaining-tokens-minute", std::to_string(reply.rate.tok_remaining));
  h.set("x-ratelimit-tokens-query-cost", std::to_string(reply.query_cost));
  if (reply.retry_after_s) h.set(bhttp::field::retry_after, std::to_string(*reply.retry_after_s));
}

}  // namespace

struct Emulator::Impl {
  explicit Impl(EmulatorOptions o) : options(o), service(std::move(o)) {}

  EmulatorOptions options;
  Service service;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;

  std::atomic<std::uint64_t> seen{0};
  mutable std::mutex record_mu;
  std::deque<RecordedRequest> recorded;

  void record(const http::ServerRequest& req) {
    seen.fetch_add(1, std::memory_order_relaxed);
    if (options.record_requests == 0) return;
    RecordedRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.authorization = std::string(req["authorization"]);
    r.fault = std::string(req["x-emulator-fault"]);
    r.body = req.body();
    std::lock_guard lock(record_mu);
    recorded.push_back(std::move(r));
    while (recorded.size() > options.record_requests)
      recorded.pop_front();
  }

  asio::awaitable<void> handle(http::ServerRequest& req, http::ResponseWriter& w) {
    record(req);
    Request r;
    r.method = req.method_string();
    r.target = req.target();
    r.authorization = req["authorization"];
    r.fault = req["x-emulator-fault"];
    r.reasoning = req["x-emulator-reasoning"];
    r.body = req.body();
    Reply reply = service.handle(r);
    const FaultSpec& f = reply.fault;

    // Checked here, not in pause(): awaiting a coroutine allocates its frame, even for 0 ms.
    if (f.latency.count() > 0 && !co_await pause(f.latency, w)) co_return;
    if (f.reset == ResetMode::before) {
      w.reset_connection();
      co_return;
    }
    if (f.stall) {
      co_await stall(w);
      co_return;
    }
    if (!reply.stream) {
      co_await send_whole(std::move(reply), req.version(), w);
      co_return;
    }
    co_await send_stream(reply, req.version(), w);
  }

  static asio::awaitable<void> send_whole(Reply reply, unsigned version, http::ResponseWriter& w) {
    const FaultSpec& f = reply.fault;
    if (f.malformed && reply.status == 200) {
      // Valid-looking start, cut in the middle: what a proxy that truncates bodies produces.
      reply.body.resize(reply.body.size() / 2);
      reply.body += "\x01<<malformed>>";
    }
    if (f.reset == ResetMode::mid) {
      // Half the body, then a reset: the client sees a response that breaks mid-way.
      http::ResponseHeader h;
      h.version(version);
      h.result(reply.status);
      h.set(bhttp::field::content_type, "application/json");
      set_common_headers(h, reply);
      if (!co_await w.start_stream(std::move(h))) co_return;
      std::size_t half = reply.body.size() / 2;
      if (f.reset_after_events > 0 && half > 0) {
        if (!co_await w.write_chunk(std::string_view(reply.body).substr(0, half))) co_return;
      }
      w.reset_connection();
      co_return;
    }
    http::ServerResponse res(static_cast<bhttp::status>(reply.status), version);
    res.set(bhttp::field::content_type, "application/json");
    set_common_headers(res, reply);
    res.body() = std::move(reply.body);
    co_await w.send(std::move(res));
  }

  static asio::awaitable<void> send_stream(Reply& reply, unsigned version,
                                           http::ResponseWriter& w) {
    const FaultSpec& f = reply.fault;
    http::ResponseHeader h;
    h.version(version);
    h.result(bhttp::status::ok);
    h.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
    h.set(bhttp::field::cache_control, "no-cache");
    set_common_headers(h, reply);
    if (!co_await w.start_stream(std::move(h))) co_return;
    if (f.ttft.count() > 0 && !co_await pause(f.ttft, w)) co_return;
    std::string event;
    event.reserve(512);
    int sent = 0;
    while (true) {
      auto ev = reply.stream->next(event);
      if (ev.done) break;
      if (f.reset == ResetMode::mid && sent >= f.reset_after_events) {
        w.reset_connection();
        co_return;
      }
      if (f.stall_after_events >= 0 && sent >= f.stall_after_events) {
        co_await stall(w);
        co_return;
      }
      if (f.malformed && sent == 1)
        event = "data: {\"id\":\"malformed\",\"choices\":[{\"delta\":\n\n";
      if (f.tokens_per_second > 0 && ev.tokens > 0) {
        auto us = static_cast<std::int64_t>(1e6 * ev.tokens / f.tokens_per_second);
        if (!co_await pause(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::microseconds(us)),
                            w)) {
          co_return;
        }
      }
      if (!co_await w.write_chunk(event)) co_return;
      ++sent;
    }
    co_await w.finish_stream();
  }
};

Emulator::Emulator(EmulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Emulator::~Emulator() {
  stop();
}

Result<std::uint16_t> Emulator::start() {
  if (impl_->server) return impl_->port;
  int threads = std::max(1, impl_->options.threads);
  std::vector<asio::io_context*> raw;
  for (int i = 0; i < threads; ++i) {
    impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
    raw.push_back(impl_->contexts.back().get());
  }
  http::ServerOptions so;
  so.host = impl_->options.host;
  so.port = impl_->options.port;
  so.body_limit = impl_->options.body_limit;
  so.backlog = 4096;
  Impl* impl = impl_.get();
  impl_->server = std::make_unique<http::Server>(
      raw, so,
      [impl](http::ServerRequest& req, http::ResponseWriter& w) { return impl->handle(req, w); });
  auto port = impl_->server->listen();
  if (!port) {
    impl_->server.reset();
    impl_->contexts.clear();
    return port;
  }
  impl_->port = *port;
  impl_->server->start();
  for (auto& ctx : impl_->contexts) {
    impl_->guards.emplace_back(asio::make_work_guard(*ctx));
    impl_->threads.emplace_back([c = ctx.get()] { c->run(); });
  }
  return impl_->port;
}

void Emulator::stop() {
  if (!impl_ || !impl_->server) return;
  impl_->server->stop();
  impl_->guards.clear();
  for (auto& c : impl_->contexts)
    c->stop();
  for (auto& t : impl_->threads)
    t.join();
  impl_->threads.clear();
  impl_->server.reset();
  impl_->contexts.clear();
}

std::uint16_t Emulator::port() const noexcept {
  return impl_->port;
}

std::string Emulator::server_url() const {
  return cat("http://127.0.0.1:", std::to_string(impl_->port));
}

std::string Emulator::base_url() const {
  return server_url() + "/v1";
}

void Emulator::set_fault(const FaultSpec& fault) {
  impl_->service.set_global_fault(fault);
}

std::uint64_t Emulator::requests_seen() const noexcept {
  return impl_->seen.load(std::memory_order_relaxed);
}

std::optional<RecordedRequest> Emulator::last_request() const {
  std::lock_guard lock(impl_->record_mu);
  if (impl_->recorded.empty()) return std::nullopt;
  return impl_->recorded.back();
}

std::string Emulator::last_request_body() const {
  auto r = last_request();
  return r ? r->body : std::string();
}

std::vector<RecordedRequest> Emulator::recent_requests() const {
  std::lock_guard lock(impl_->record_mu);
  return {impl_->recorded.begin(), impl_->recorded.end()};
}

void Emulator::clear_recorded() {
  std::lock_guard lock(impl_->record_mu);
  impl_->recorded.clear();
  impl_->seen.store(0, std::memory_order_relaxed);
}

}  // namespace litellm::emulator
