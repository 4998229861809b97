#include "gateway/gateway.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <future>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "gateway/routes.hpp"
#include "http/client.hpp"
#include "http/head.hpp"
#include "http/server.hpp"
#include "litellm/version.hpp"
#include "router/router.hpp"

namespace litellm::gateway {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace bhttp = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;

// The worker thread's own client (keep-alive pool); set when the worker starts.
thread_local http::Client* t_client = nullptr;

// Two hex digits per byte value: the call id is written a byte at a time (16 lookups) rather
// than a nibble at a time, which was ~400 instructions per request.
constexpr std::array<std::array<char, 2>, 256> kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> t{};
  for (std::size_t i = 0; i < 256; ++i)
    t[i] = {kHex[i >> 4], kHex[i & 0xf]};
  return t;
}();

std::string new_call_id() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  std::uint64_t a = gen();
  std::uint64_t b = gen();
  // UUID v4 layout: 8-4-4-4-12 hex digits, version 4, variant 10.
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  std::string out(36, '-');
  char* p = out.data();
  // The bytes of `bits` from byte `from` (0: the most significant) down to byte `to`.
  const auto put = [&p](std::uint64_t bits, int from, int to) {
    for (int i = from; i <= to; ++i, p += 2)
      std::memcpy(p, kHexPairs[(bits >> (56 - 8 * i)) & 0xff].data(), 2);
  };
  put(a, 0, 3);
  ++p;
  put(a, 4, 5);
  ++p;
  put(a, 6, 7);
  ++p;
  put(b, 0, 1);
  ++p;
  put(b, 2, 7);
  return out;
}

std::string format_double(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

// Milliseconds with three decimals ("12.345"), from integer microseconds: the same text as
// printing the double with to_chars(fixed, 3), at a tenth of the cost (two per answer).
std::string format_ms(SteadyClock::duration d) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  const std::uint64_t us = ns <= 0 ? 0 : (static_cast<std::uint64_t>(ns) + 500) / 1000;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf - 4, us / 1000);
  static_cast<void>(ec);  // 28 digits hold any 64-bit value
  const auto frac = static_cast<unsigned>(us % 1000);
  *end++ = '.';
  *end++ = static_cast<char>('0' + frac / 100);
  *end++ = static_cast<char>('0' + frac / 10 % 10);
  *end++ = static_cast<char>('0' + frac % 10);
  return std::string(buf, end);
}

// Appends the JSON text of `o` to `out`, with the hot path's one writer (core::JsonWriter): the
// string's buffer is reused, nothing is written twice.
void append_json(std::string& out, const json::object& o) {
  core::JsonWriter w(512, std::move(out));
  w.value(o);
  out = std::move(w).take();
}

}  // namespace

struct Gateway::Impl {
  GatewayConfig config;
  GatewayOptions options;
  std::unique_ptr<router::Router> router;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::unique_ptr<http::Client>> clients;
  std::vector<std::thread> threads;
  std::unique_ptr<http::Server> server;
  std::int64_t created = core::SystemClock::instance().unix_seconds();
  std::atomic<bool> draining{false};

  // ---- responses ----

  http::ServerResponse json_response(const http::ServerRequest& req, unsigned status,
                                     std::string body, const std::string& call_id) {
    http::ServerResponse res{static_cast<bhttp::status>(status), req.version()};
    res.set(bhttp::field::content_type, "application/json");
    if (!call_id.empty()) res.set("x-litellm-call-id", call_id);
    res.set("x-litellm-version", LITELLM_VERSION_STRING);
    res.body() = std::move(body);  // keep-alive is the listener's to set
    return res;
  }

  asio::awaitable<void> send_error(http::ResponseWriter& w, const http::ServerRequest& req,
                                   const Error& e, const std::string& call_id) {
    co_await w.send(
        json_response(req, static_cast<unsigned>(e.http_status()), e.to_openai_json(), call_id));
  }

  static Error bad_request(std::string message, std::string param = {}) {
    Error e = Error::make(ErrorKind::bad_request, std::move(message));
    e.param = std::move(param);
    return e;
  }

  // ---- auth ----

  bool authorized(const http::ServerRequest& req) const {
    if (config.general.master_key.empty()) return true;
    std::string_view key = client_key(req["authorization"], req["api-key"], req["x-api-key"]);
    return !key.empty() && keys_equal(key, config.general.master_key);
  }

  // ---- request parsing shared by chat and embeddings ----

  // The first block of a request's arena: room for the request, the upstream body, the answer
  // and the response of a typical chat call; larger ones grow it geometrically.
  static std::size_t arena_size(const http::ServerRequest& req) {
    return std::clamp<std::size_t>(req.body().size() * 3, 4096, std::size_t{1} << 20);
  }

  // Parsed into `arena`, the handler's per-request monotonic resource: the upstream answer and
  // the response are built there too (parse_answer), so none of them is walked to be destroyed
  // and no reference count moves per JSON value. The handler's frame owns the arena and outlives
  // every use of them.
  Result<json::object> parse_body(const http::ServerRequest& req, const Route& route,
                                  json::monotonic_resource& arena) {
    auto body = core::parse_json_object(req.body(), 64, json::storage_ptr(&arena));
    if (!body) return std::move(body).error();
    json::object& o = *body;
    if (!options.force_model.empty()) {
      o["model"] = options.force_model;
    } else if (!route.model.empty()) {
      o["model"] = route.model;
    }
    const json::value* model = core::find(o, "model");
    if (model == nullptr || model->is_null()) {
      return bad_request("Missing required parameter: 'model'", "model");
    }
    if (!model->is_string() || model->get_string().empty()) {
      return bad_request("'model' must be a non-empty string", "model");
    }
    return std::move(*body);
  }

  // The fields every answer of a call carries, streamed or not: LiteLLM's call id and version,
  // and which deployment answered.
  static void append_identity_fields(std::string& f, const std::string& call_id,
                                     const router::Deployment* d) {
    // The call id is hex digits and dashes, the version a constant: written without a scan.
    http::append_checked_field(f, "x-litellm-call-id", call_id);
    http::append_checked_field(f, "x-litellm-version", LITELLM_VERSION_STRING);
    if (d != nullptr) {
      http::append_field(f, "x-litellm-model-id", d->id);
      http::append_field(f, "x-litellm-model-group", d->model_name);
    }
  }

  // An answered call: its body and LiteLLM's response headers, the latter rendered as field
  // lines in one string rather than an allocation and a name lookup per field.
  asio::awaitable<void> send_result(http::ResponseWriter& w, const http::ServerRequest& req,
                                    router::CallResult& r, SteadyClock::time_point start,
                                    const std::string& call_id) {
    std::string body = std::move(r.body);             // the chat answer's text, sent as it is
    if (body.empty()) append_json(body, r.response);  // embeddings: sized by the writer
    http::ServerResponse res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = std::move(body);  // keep-alive is the listener's to set

    std::string f;
    f.reserve(512 + r.upstream_fields.size());
    append_identity_fields(f, call_id, r.deployment);
    if (r.deployment != nullptr) {
      http::append_field(f, "x-litellm-model-api-base", r.deployment->target.api_base);
    }
    // Numbers this code formats: nothing in them to check for line breaks.
    http::append_checked_field(f, "x-litellm-response-cost", format_double(r.cost));
    http::append_checked_field(f, "x-litellm-attempted-retries", std::to_string(r.attempts - 1));
    auto total = SteadyClock::now() - start;
    http::append_checked_field(f, "x-litellm-response-duration-ms", format_ms(total));
    auto overhead = total - std::chrono::duration_cast<SteadyClock::duration>(r.upstream_time);
    if (overhead < SteadyClock::duration::zero()) overhead = SteadyClock::duration::zero();
    http::append_checked_field(f, "x-litellm-overhead-duration-ms", format_ms(overhead));
    f += r.upstream_fields;
    co_await w.send(std::move(res), f);
  }

  // ---- /chat/completions ----

  class SseSink final : public router::StreamSink {
    static constexpr std::size_t kSseBatchBytes = 4096;

   public:
    SseSink(http::ResponseWriter& w, const http::ServerRequest& req, const std::string& call_id)
        : w_(w), req_(req), call_id_(call_id) {}

    asio::awaitable<bool> on_chunk(const router::Deployment& d, std::string_view upstream_fields,
                                   std::string_view chunk) override {
      if (fields_.empty()) {
        // First chunk: the head's fields; the head leaves with the first batch (flush).
        fields_.reserve(256 + upstream_fields.size());
        append_identity_fields(fields_, call_id_, &d);
        fields_ += upstream_fields;
        // Room for a few events at once: a stream's batches then never grow the buffer.
        buf_.reserve(kSseBatchBytes);
      }
      // Held until flush(): the chunks of one upstream read leave in one write.
      buf_.append("data: ");
      buf_.append(chunk);
      buf_.append("\n\n");
      co_return true;
    }

    asio::awaitable<bool> flush() override {
      if (buf_.empty()) co_return true;
      bool ok = false;
      if (!head_sent_) {
        head_sent_ = true;
        http::ResponseHeader h;
        h.version(req_.version());
        h.result(bhttp::status::ok);
        h.set(bhttp::field::content_type, "text/event-stream");
        h.set(bhttp::field::cache_control, "no-cache");
        ok = co_await w_.start_stream(std::move(h), fields_, buf_);
      } else {
        ok = co_await w_.write_chunk(buf_);
      }
      buf_.clear();
      co_return ok;
    }

    bool started() const { return head_sent_; }

   private:
    http::ResponseWriter& w_;
    const http::ServerRequest& req_;
    const std::string& call_id_;
    bool head_sent_ = false;  // the 200 head went out (with the first batch)
    std::string fields_;      // the head's extra fields, rendered at the first chunk
    std::string buf_;
  };

  // What the gateway itself requires of a chat request (the adapter checks the rest); a problem
  // replaces the parsed body with its error.
  static void check_chat(Result<json::object>& parsed, bool& stream) {
    if (!parsed) return;
    const json::value* messages = core::find(*parsed, "messages");
    if (messages == nullptr || messages->is_null()) {
      parsed = bad_request("Missing required parameter: 'messages'", "messages");
    } else if (!messages->is_array() || messages->get_array().empty()) {
      parsed = bad_request("'messages' must be a non-empty array of message objects", "messages");
    } else if (const json::value* s = core::find(*parsed, "stream");
               s != nullptr && !s->is_null()) {
      if (s->is_bool()) {
        stream = s->get_bool();
      } else {
        parsed = bad_request("'stream' must be a boolean", "stream");
      }
    }
  }

  // The per-request coroutines keep few locals, the checks being plain functions: GCC gives
  // every local of a coroutine its own slot in a heap-allocated frame, and asio recycles only
  // frames under ~1 KB (router.cpp's Attempt says more).
  asio::awaitable<void> chat(http::ServerRequest& req, http::ResponseWriter& w, const Route& route,
                             SteadyClock::time_point start, const std::string& call_id) {
    json::monotonic_resource arena(arena_size(req));  // declared first: destroyed last
    auto parsed = parse_body(req, route, arena);
    bool stream = false;
    check_chat(parsed, stream);
    if (!parsed) co_return co_await send_error(w, req, parsed.error(), call_id);
    if (stream) co_return co_await chat_stream(req, w, std::move(*parsed), call_id);
    // No co_spawn to make this cancellable: the listener cancels the handler's own coroutine when
    // the client leaves, and the HTTP client's calls accept that cancellation (ResponseWriter).
    auto r = co_await router->chat(*t_client, std::move(*parsed));
    if (!r) co_return co_await send_error(w, req, r.error(), call_id);
    co_return co_await send_result(w, req, *r, start, call_id);
  }

  asio::awaitable<void> chat_stream(http::ServerRequest& req, http::ResponseWriter& w,
                                    json::object request, const std::string& call_id) {
    SseSink sink(w, req, call_id);
    auto r = co_await router->chat_stream(*t_client, std::move(request), sink);
    if (!r) {
      if (!sink.started()) co_return co_await send_error(w, req, r.error(), call_id);
      if (!w.client_gone()) {
        // Headers (200) are gone already: report the failure in-band, as LiteLLM does.
        std::string event = "data: " + r.error().to_openai_json() + "\n\n";
        co_await w.write_chunk(event);
      }
      co_await w.finish_stream();
      co_return;
    }
    if (!sink.started()) {
      // Upstream ended without a single chunk: still a valid (empty) stream.
      http::ResponseHeader h;
      h.version(req.version());
      h.result(bhttp::status::ok);
      h.set(bhttp::field::content_type, "text/event-stream");
      h.set("x-litellm-call-id", call_id);
      if (!co_await w.start_stream(std::move(h))) co_return;
    }
    co_await w.write_chunk("data: [DONE]\n\n");
    co_await w.finish_stream();
  }

  // ---- /embeddings ----

  asio::awaitable<void> embeddings(http::ServerRequest& req, http::ResponseWriter& w,
                                   const Route& route, SteadyClock::time_point start,
                                   const std::string& call_id) {
    json::monotonic_resource arena(arena_size(req));  // declared first: destroyed last
    auto parsed = parse_body(req, route, arena);
    if (!parsed) co_return co_await send_error(w, req, parsed.error(), call_id);
    const json::value* input = core::find(*parsed, "input");
    if (input == nullptr || input->is_null()) {
      co_return co_await send_error(
          w, req, bad_request("Missing required parameter: 'input'", "input"), call_id);
    }
    auto r = co_await router->embedding(*t_client, std::move(*parsed));
    if (!r) co_return co_await send_error(w, req, r.error(), call_id);
    co_await send_result(w, req, *r, start, call_id);
  }

  // ---- /health ----

  asio::awaitable<void> health(http::ServerRequest& req, http::ResponseWriter& w,
                               const std::string& call_id) {
    json::array healthy;
    json::array unhealthy;
    for (const auto& d : router->deployments()) {
      json::object entry{{"model", d.model}, {"model_name", d.model_name}};
      if (!d.target.api_base.empty()) entry["api_base"] = d.target.api_base;
      if (d.adapter == nullptr) {
        entry["error"] = "provider '" + d.provider + "' is not supported by this gateway";
        unhealthy.push_back(std::move(entry));
        continue;
      }
      const bool embedding = (d.target.info && d.target.info->mode == "embedding") ||
                             core::get_string(d.model_info, "mode").value_or("") == "embedding";
      json::object probe{{"model", d.model_name}};
      if (embedding) {
        probe["input"] = "health check";
      } else {
        probe["messages"] = json::array{json::object{{"role", "user"}, {"content", "ping"}}};
        probe["max_tokens"] = 1;
      }
      auto r = co_await router->probe(*t_client, d, std::move(probe), embedding);
      if (r) {
        healthy.push_back(std::move(entry));
      } else {
        entry["error"] = r.error().message;
        unhealthy.push_back(std::move(entry));
      }
    }
    json::object out{{"healthy_count", healthy.size()},
                     {"unhealthy_count", unhealthy.size()},
                     {"healthy_endpoints", std::move(healthy)},
                     {"unhealthy_endpoints", std::move(unhealthy)}};
    co_await w.send(json_response(req, 200, json::serialize(out), call_id));
  }

  // ---- dispatch ----

  static bool needs_key(RouteKind kind) {
    switch (kind) {
      case RouteKind::health_liveliness:
      case RouteKind::health_readiness:
      case RouteKind::not_found:
      case RouteKind::method_not_allowed:
        return false;
      default:
        return true;
    }
  }

  static Error unauthorized() {
    Error e = Error::make(ErrorKind::authentication,
                          "Authentication Error, Invalid proxy server token passed. Pass "
                          "the key as 'Authorization: Bearer <key>'.");
    e.code = "401";
    return e;
  }

  // Routes open without the master key: probes and the answers for unknown routes.
  asio::awaitable<void> public_route(http::ServerRequest& req, http::ResponseWriter& w,
                                     const Route& route, const std::string& call_id) {
    switch (route.kind) {
      case RouteKind::health_liveliness:
        co_await w.send(json_response(req, 200, "\"I'm alive!\"", call_id));
        break;
      case RouteKind::health_readiness: {
        json::object o{{"status", draining ? "draining" : "healthy"},
                       {"db", "Not connected"},
                       {"cache", nullptr},
                       {"litellm_version", LITELLM_VERSION_STRING}};
        co_await w.send(json_response(req, draining ? 503 : 200, json::serialize(o), call_id));
        break;
      }
      case RouteKind::not_found: {
        Error e =
            Error::make(ErrorKind::not_found, "Route not found: " + std::string(req.target()));
        co_await send_error(w, req, e, call_id);
        break;
      }
      case RouteKind::method_not_allowed: {
        Error e =
            Error::make(ErrorKind::bad_request, "Method " + std::string(req.method_string()) +
                                                    " not allowed on " + std::string(req.target()));
        e.status = 405;
        co_await send_error(w, req, e, call_id);
        break;
      }
      default:
        break;
    }
  }

  asio::awaitable<void> handle(http::ServerRequest& req, http::ResponseWriter& w) {
    const auto start = SteadyClock::now();
    const Route route = match_route(req.method(), req.target());
    std::string call_id = new_call_id();
    if (!needs_key(route.kind)) {
      co_await public_route(req, w, route, call_id);
    } else if (!authorized(req)) {
      co_await send_error(w, req, unauthorized(), call_id);
    } else if (route.kind == RouteKind::chat_completions) {
      co_await chat(req, w, route, start, call_id);  // the hot path: one frame fewer
    } else {
      co_await authorized_route(req, w, route, start, call_id);
    }
    if (options.detailed_debug) {
      spdlog::debug("{} {} {} {} ms", w.remote(), req.method_string(), req.target(),
                    format_ms(SteadyClock::now() - start));
    }
  }

  asio::awaitable<void> authorized_route(http::ServerRequest& req, http::ResponseWriter& w,
                                         const Route& route, SteadyClock::time_point start,
                                         const std::string& call_id) {
    // chat_completions never comes here: handle() awaits chat() itself (one frame fewer on the
    // hot path).
    switch (route.kind) {
      case RouteKind::embeddings:
        co_return co_await embeddings(req, w, route, start, call_id);
      case RouteKind::models:
        co_return co_await w.send(
            json_response(req, 200, json::serialize(models_list(*router, created)), call_id));
      case RouteKind::model_by_id: {
        if (auto m = model_entry(*router, route.model, created)) {
          co_return co_await w.send(json_response(req, 200, json::serialize(*m), call_id));
        }
        Error e =
            Error::make(ErrorKind::not_found, "The model '" + route.model + "' does not exist");
        e.param = "model";
        e.code = "model_not_found";
        co_return co_await send_error(w, req, e, call_id);
      }
      case RouteKind::model_info:
        co_return co_await w.send(
            json_response(req, 200, json::serialize(model_info_list(*router)), call_id));
      case RouteKind::health:
        co_return co_await health(req, w, call_id);
      case RouteKind::root: {
        json::object o{{"name", "litellm-cpp"},
                       {"version", LITELLM_VERSION_STRING},
                       {"docs", "OpenAI-compatible endpoints under /v1"}};
        co_return co_await w.send(json_response(req, 200, json::serialize(o), call_id));
      }
      default:
        break;
    }
    co_await send_error(w, req, Error::make(ErrorKind::not_found, "Route not found"), call_id);
  }
};

Gateway::Gateway(GatewayConfig config, GatewayOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->options = std::move(options);
}

Gateway::~Gateway() {
  stop();
  wait();
}

Result<std::uint16_t> Gateway::start() {
  Impl& s = *impl_;
  auto rc = to_router_config(s.config);
  if (!rc) return std::move(rc).error();
  s.router = std::make_unique<router::Router>(std::move(*rc));

  int workers = s.options.num_workers > 0 ? s.options.num_workers
                                          : static_cast<int>(std::thread::hardware_concurrency());
  workers = std::max(1, workers);
  std::vector<asio::io_context*> raw;
  for (int i = 0; i < workers; ++i) {
    // A context's sockets and timers are used by its own thread only (others just post to it:
    // drain, stop), so the lock the reactor takes per descriptor around each I/O operation
    // can go. The scheduler's queue stays locked for those posts.
    s.contexts.push_back(std::make_unique<asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO));
    s.clients.push_back(std::make_unique<http::Client>(s.contexts.back()->get_executor()));
    raw.push_back(s.contexts.back().get());
  }
  http::ServerOptions so;
  so.host = s.options.host;
  so.port = s.options.port;
  so.body_limit = s.options.max_request_bytes;
  if (s.config.general.max_request_size_mb) {
    so.body_limit = *s.config.general.max_request_size_mb * 1024 * 1024;
  }
  Impl* impl = impl_.get();
  s.server = std::make_unique<http::Server>(
      raw, so,
      [impl](http::ServerRequest& req, http::ResponseWriter& w) { return impl->handle(req, w); });
  auto port = s.server->listen();
  if (!port) return std::move(port).error();
  s.server->start();
  for (int i = 0; i < workers; ++i) {
    s.threads.emplace_back([impl, i] {
      t_client = impl->clients[static_cast<std::size_t>(i)].get();
      auto& ctx = *impl->contexts[static_cast<std::size_t>(i)];
      auto guard = asio::make_work_guard(ctx);
      ctx.run();
      t_client = nullptr;
    });
  }
  return *port;
}

void Gateway::drain(std::chrono::milliseconds bound) {
  Impl& s = *impl_;
  if (!s.server) return;
  s.draining = true;
  // Shared: if the bound passes first, the callback may still run later.
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  s.server->drain(bound, [done] { done->set_value(); });
  fut.wait_for(bound + std::chrono::seconds(2));
  stop();
}

void Gateway::stop() {
  Impl& s = *impl_;
  if (s.server) s.server->stop();
  for (auto& c : s.contexts)
    c->stop();
}

void Gateway::wait() {
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

std::uint16_t Gateway::port() const noexcept {
  return impl_->server ? impl_->server->port() : 0;
}

}  // namespace litellm::gateway
