#include "router/router.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/container/small_vector.hpp>

#include "core/env.hpp"
#include "core/json.hpp"
#include "http/head.hpp"

namespace litellm::router {
namespace {

using Clock = core::Clock;
constexpr auto kMinute = std::chrono::minutes(1);

class TimerSleeper final : public Sleeper {
 public:
  asio::awaitable<void> sleep(milliseconds d) override {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
};

bool is_2xx(unsigned s) {
  return s >= 200 && s < 300;
}

// What an answer is priced (prompt, completion) and rate-accounted (total) by.
struct Tokens {
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
  std::int64_t total = 0;
};

// The counts of an OpenAI usage object (embeddings answers, a stream decoder's usage).
Tokens tokens_of(const json::object* usage) {
  if (usage == nullptr) return {};
  return {core::get_int(*usage, "prompt_tokens").value_or(0),
          core::get_int(*usage, "completion_tokens").value_or(0),
          core::get_int(*usage, "total_tokens").value_or(0)};
}

std::string pass_through_fields(const http::ResponseFields& f) {
  // Rate-limit headers are what LiteLLM's proxy forwards to clients verbatim (lower-cased, as
  // the client's parser already stored the names).
  constexpr std::string_view kPrefix = "x-ratelimit-";
  std::string out;
  for (const auto [name, value] : f) {
    if (name.size() <= kPrefix.size() || !name.starts_with(kPrefix)) continue;
    // Written as it is: the client's parser refuses a CR, LF or other control byte in a value
    // (a folded line becomes spaces), so unlike http::append_field there is nothing to
    // neutralise.
    if (out.empty()) out.reserve(512);
    const std::size_t at = out.size();
    out.resize(at + name.size() + value.size() + 4);
    char* p = out.data() + at;
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = ':';
    *p++ = ' ';
    std::memcpy(p, value.data(), value.size());
    p += value.size();
    *p++ = '\r';
    *p = '\n';
  }
  return out;
}

// Errors that are the caller's fault: another deployment or group would fail the same way.
bool is_client_error(const Error& e) {
  return e.kind == ErrorKind::bad_request || e.kind == ErrorKind::unsupported_params ||
         e.kind == ErrorKind::unprocessable_entity;
}

// What a call answers before any attempt filled it in (the coroutines write into a result).
// Built on every call, so the message fits the string's inline buffer: no allocation.
Error not_attempted() {
  return Error::make(ErrorKind::api_error, "not attempted");
}

Error with_context(Error e, const Deployment& d, std::string_view requested_model) {
  if (e.provider.empty()) e.provider = d.provider;
  if (e.model.empty()) e.model = std::string(requested_model);
  return e;
}

// Fills `out` with the request plus the deployment's default params (config litellm_params such
// as temperature) that it does not set. Only called for a deployment that has some.
void apply_defaults(const Deployment& d, const json::object& request, json::object& out) {
  out = request;
  for (const auto& kv : d.default_params) {
    if (!out.contains(kv.key())) out[kv.key()] = kv.value();
  }
}

}  // namespace

std::optional<int> RetryPolicy::for_error(const Error& e) const noexcept {
  switch (e.kind) {
    case ErrorKind::bad_request:
    case ErrorKind::unsupported_params:
    case ErrorKind::unprocessable_entity:
      return bad_request;
    case ErrorKind::authentication:
    case ErrorKind::permission_denied:
      return authentication;
    case ErrorKind::timeout:
      return timeout;
    case ErrorKind::rate_limit:
      return rate_limit;
    case ErrorKind::content_policy:
      return content_policy;
    case ErrorKind::internal_server:
    case ErrorKind::bad_gateway:
    case ErrorKind::service_unavailable:
    case ErrorKind::api_connection:
    case ErrorKind::api_error:
      return internal_server;
    default:
      return std::nullopt;
  }
}

Sleeper& default_sleeper() {
  static TimerSleeper s;
  return s;
}

std::optional<Strategy> parse_strategy(std::string_view name) noexcept {
  if (name.empty() || name == "simple-shuffle") return Strategy::simple_shuffle;
  if (name == "least-busy") return Strategy::least_busy;
  if (name == "latency-based-routing") return Strategy::latency_based;
  if (name == "usage-based-routing" || name == "usage-based-routing-v2" ||
      name == "cost-based-routing") {
    return Strategy::usage_based;
  }
  return std::nullopt;
}

// Live counters of one deployment. Hot-path fields are atomics; the failure window (touched only
// on errors) sits behind a mutex.
struct Router::DeploymentState {
  std::atomic<int> in_flight{0};
  std::atomic<Clock::duration::rep> cooldown_until{
      std::numeric_limits<Clock::duration::rep>::min()};
  std::atomic<double> latency_ms{0.0};  // exponentially weighted moving average
  std::atomic<std::int64_t> minute{-1};
  std::atomic<std::int64_t> requests_this_minute{0};
  std::atomic<std::int64_t> tokens_this_minute{0};
  std::mutex mu;
  std::deque<Clock::time_point> failures;  // within the last minute
};

Router::Router(RouterConfig config, core::Clock& clock, core::Rng& rng, Sleeper& sleeper)
    : config_(std::move(config)), clock_(clock), rng_(rng), sleeper_(sleeper) {
  states_.reserve(config_.deployments.size());
  for (const auto& d : config_.deployments) {
    auto [it, inserted] = groups_.try_emplace(d.model_name);
    if (inserted) group_order_.push_back(d.model_name);
    it->second.push_back(&d);
    if (d.adapter != nullptr) served_[d.model_name].push_back(&d);
    states_.push_back(std::make_unique<DeploymentState>());
  }
}

Router::~Router() = default;

std::vector<std::string> Router::model_groups() const {
  return group_order_;
}

Router::DeploymentState& Router::state(const Deployment& d) const {
  const Deployment* base = config_.deployments.data();
  if (&d >= base && &d < base + config_.deployments.size()) {
    return *states_[static_cast<std::size_t>(&d - base)];
  }
  std::lock_guard lock(adhoc_mu_);
  auto& s = adhoc_states_[&d];
  if (!s) s = std::make_unique<DeploymentState>();
  return *s;
}

bool Router::in_cooldown(const Deployment& d) const {
  return clock_.now().time_since_epoch().count() < state(d).cooldown_until.load();
}

Result<providers::Target> resolve_target(std::string_view model,
                                         const std::optional<std::string>& api_key,
                                         const std::optional<std::string>& api_base) {
  auto [provider, upstream] = providers::split_model(model);
  if (provider.empty()) {
    // LiteLLM needs a provider prefix for non-OpenAI models; a bare Mistral model name is the
    // common case for this SDK, so registry hits default to Mistral.
    if (auto info = model_info(model); info && info->provider == "mistral") {
      provider = "mistral";
      upstream = model;
    } else {
      Error e = Error::make(
          ErrorKind::bad_request,
          "LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed "
          "model=" +
              std::string(model) + ". Pass model as e.g. mistral/mistral-small-latest");
      e.param = "model";
      return e;
    }
  }
  const providers::ProviderAdapter* adapter = providers::find_adapter(provider);
  if (adapter == nullptr) {
    Error e = Error::make(ErrorKind::bad_request, "provider '" + std::string(provider) +
                                                      "' is not supported by this gateway");
    e.param = "model";
    return e;
  }
  providers::Target t;
  t.provider = std::string(provider);
  t.model = std::string(upstream);
  t.api_key = api_key ? *api_key : first_env(adapter->api_key_envs());
  t.api_base = api_base ? *api_base : first_env(adapter->api_base_envs());
  if (t.api_base.empty()) t.api_base = std::string(adapter->default_api_base());
  t.info = model_info(std::string(provider) + "/" + std::string(upstream));
  return t;
}

std::string first_env(std::span<const std::string_view> names) {
  for (std::string_view n : names) {
    if (auto v = core::getenv_opt(std::string(n).c_str()); v && !v->empty()) return *v;
  }
  return {};
}

double cost_of(const Deployment& d, std::int64_t prompt_tokens, std::int64_t completion_tokens) {
  double in = 0;
  double out = 0;
  if (auto v = core::get_number(d.model_info, "input_cost_per_token")) {
    in = *v;
    out = core::get_number(d.model_info, "output_cost_per_token").value_or(0);
  } else if (d.target.info) {
    in = d.target.info->input_cost_per_token;
    out = d.target.info->output_cost_per_token;
  }
  return static_cast<double>(prompt_tokens) * in + static_cast<double>(completion_tokens) * out;
}

Result<Deployment> Router::adhoc_deployment(std::string_view model,
                                            const CallOptions& options) const {
  auto target = resolve_target(model, options.api_key, options.api_base);
  if (!target) return std::move(target).error();
  Deployment d;
  d.id = std::string(model);
  d.model_name = std::string(model);
  d.model = std::string(model);
  d.provider = target->provider;
  d.adapter = providers::find_adapter(d.provider);
  d.target = std::move(*target);
  return d;
}

Error Router::unserved_group(std::string_view model_name) const {
  if (auto it = groups_.find(std::string(model_name)); it != groups_.end()) {
    // Configured, but no deployment of it has a provider adapter (else it is in served_).
    const Deployment* d = it->second.front();
    Error e =
        Error::make(ErrorKind::bad_request,
                    "model '" + std::string(model_name) + "' routes to provider '" + d->provider +
                        "', which is not supported by this gateway (served providers: "
                        "mistral and OpenAI-compatible ones)");
    e.param = "model";
    e.provider = d->provider;
    e.model = std::string(model_name);
    return e;
  }
  std::string available;
  for (const auto& g : group_order_) {
    if (!available.empty()) available += ", ";
    available += g;
  }
  Error e = Error::make(ErrorKind::bad_request,
                        "Invalid model name passed in model=" + std::string(model_name) +
                            ". Call `/v1/models` to view available models. Available models: " +
                            (available.empty() ? std::string("none") : available));
  e.param = "model";
  e.code = "400";
  e.model = std::string(model_name);
  return e;
}

const Deployment* Router::pick(const std::vector<const Deployment*>& candidates,
                               std::span<const Deployment* const> tried) {
  const auto now = clock_.now();
  const std::int64_t minute =
      std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
  auto available = [&](const Deployment* d) {
    auto& s = state(*d);
    if (now.time_since_epoch().count() < s.cooldown_until.load()) return false;
    if (s.minute.load() == minute) {
      if (d->rpm && s.requests_this_minute.load() >= *d->rpm) return false;
      if (d->tpm && s.tokens_this_minute.load() >= *d->tpm) return false;
    }
    return true;
  };
  // A group of one (the common configuration) needs no candidate list.
  if (candidates.size() == 1) return available(candidates.front()) ? candidates.front() : nullptr;
  std::vector<const Deployment*> ok;
  ok.reserve(candidates.size());
  for (const Deployment* d : candidates) {
    if (available(d)) ok.push_back(d);
  }
  if (ok.empty()) return nullptr;
  // A retry prefers a deployment this call has not tried yet.
  if (ok.size() > 1 && !tried.empty()) {
    std::vector<const Deployment*> fresh;
    for (const Deployment* d : ok) {
      if (std::find(tried.begin(), tried.end(), d) == tried.end()) fresh.push_back(d);
    }
    if (!fresh.empty()) ok.swap(fresh);
  }
  // `order`: lower first; deployments without one come after every ordered one.
  int best_order = std::numeric_limits<int>::max();
  for (const Deployment* d : ok)
    best_order = std::min(best_order, d->order.value_or(best_order));
  if (best_order != std::numeric_limits<int>::max()) {
    std::erase_if(ok,
                  [&](const Deployment* d) { return d->order.value_or(INT32_MAX) != best_order; });
  }
  if (ok.size() == 1) return ok.front();

  auto random_of = [&](const std::vector<const Deployment*>& v) {
    auto i = static_cast<std::size_t>(rng_.uniform() * static_cast<double>(v.size()));
    return v[std::min(i, v.size() - 1)];
  };
  auto min_by = [&](auto key) {
    std::vector<const Deployment*> best;
    double best_key = std::numeric_limits<double>::infinity();
    for (const Deployment* d : ok) {
      double k = key(*d);
      if (k < best_key) {
        best_key = k;
        best.assign(1, d);
      } else if (k == best_key) {
        best.push_back(d);
      }
    }
    return random_of(best);
  };

  switch (config_.strategy) {
    case Strategy::least_busy:
      return min_by([&](const Deployment& d) { return double(state(d).in_flight.load()); });
    case Strategy::latency_based:
      return min_by([&](const Deployment& d) { return state(d).latency_ms.load(); });
    case Strategy::usage_based:
      return min_by([&](const Deployment& d) {
        auto& s = state(d);
        return s.minute.load() == minute ? double(s.tokens_this_minute.load()) : 0.0;
      });
    case Strategy::simple_shuffle:
      break;
  }
  // Weighted shuffle: `weight`, else rpm, else tpm, as LiteLLM's simple-shuffle.
  auto weight_of = [](const Deployment& d) {
    if (d.weight != 1.0) return d.weight;
    if (d.rpm) return double(*d.rpm);
    if (d.tpm) return double(*d.tpm);
    return 1.0;
  };
  double total = 0;
  for (const Deployment* d : ok)
    total += std::max(0.0, weight_of(*d));
  if (total <= 0) return random_of(ok);
  double r = rng_.uniform() * total;
  for (const Deployment* d : ok) {
    r -= std::max(0.0, weight_of(*d));
    if (r < 0) return d;
  }
  return ok.back();
}

milliseconds Router::backoff(int attempt, const Error& e) {
  milliseconds wait;
  if (e.retry_after && *e.retry_after > milliseconds(0) && *e.retry_after <= milliseconds(60'000)) {
    wait = *e.retry_after;  // the upstream said when; LiteLLM honours up to a minute
  } else {
    // LiteLLM: min(0.5 s * 2^attempt, 8 s), jittered down by up to 25%.
    double secs = std::min(0.5 * std::pow(2.0, attempt), 8.0);
    secs *= 1.0 - 0.25 * rng_.uniform();
    wait = milliseconds(static_cast<std::int64_t>(secs * 1000.0));
  }
  if (config_.retry_after && wait < *config_.retry_after) wait = *config_.retry_after;
  return wait;
}

void Router::record_success(const Deployment& d, std::chrono::microseconds latency,
                            std::int64_t tokens) {
  auto& s = state(d);
  const double l = static_cast<double>(latency.count()) / 1000.0;
  double prev = s.latency_ms.load();
  s.latency_ms.store(prev == 0.0 ? l : prev * 0.8 + l * 0.2);
  s.tokens_this_minute += tokens;
}

void Router::record_failure(const Deployment& d, const Error& e, std::size_t group_size) {
  // LiteLLM never cools down the only deployment of a group: there is nothing to fail over to.
  if (config_.disable_cooldowns || group_size <= 1 || is_client_error(e)) return;
  auto& s = state(d);
  const auto now = clock_.now();
  bool cool = false;
  const int status = e.http_status();
  if (status == 429 || status == 401 || status == 404 || status == 408) {
    cool = true;  // LiteLLM cools these down at once
  } else {
    std::lock_guard lock(s.mu);
    s.failures.push_back(now);
    while (!s.failures.empty() && now - s.failures.front() > kMinute)
      s.failures.pop_front();
    cool = static_cast<int>(s.failures.size()) > config_.allowed_fails;
    if (cool) s.failures.clear();
  }
  if (cool) {
    auto cooldown = d.cooldown_time.value_or(config_.cooldown_time);
    s.cooldown_until.store((now + cooldown).time_since_epoch().count());
  }
}

std::vector<std::string> Router::fallback_chain(std::string_view group, const Error& e) const {
  auto lookup = [&](const Fallbacks& f) -> const std::vector<std::string>* {
    for (const auto& [from, to] : f) {
      if (from == group) return &to;
    }
    return nullptr;
  };
  const std::vector<std::string>* chain = nullptr;
  if (e.kind == ErrorKind::context_window_exceeded)
    chain = lookup(config_.context_window_fallbacks);
  if (e.kind == ErrorKind::content_policy) chain = lookup(config_.content_policy_fallbacks);
  if (chain == nullptr && !is_client_error(e)) {
    chain = lookup(config_.fallbacks);
    if (chain == nullptr && !config_.default_fallbacks.empty()) chain = &config_.default_fallbacks;
  }
  std::vector<std::string> out;
  if (chain == nullptr) return out;
  for (const auto& g : *chain) {
    if (g != group) out.push_back(g);
  }
  return out;
}

// One attempt's request, built by a plain function rather than in the coroutines that await it:
// GCC gives every local of a coroutine (temporaries included) its own slot in the heap-allocated
// frame, and asio recycles only frames under ~1 KB, so a coroutine with many locals costs a
// malloc and a free of several KB per request, and touches that much fresh memory.
struct Router::Attempt {
  const Deployment* d = nullptr;
  std::string_view requested;
  std::unique_ptr<providers::Target> overridden;  // per-call api_key, api_base, ... (rare)
  const providers::Target* target = nullptr;
  json::object with_defaults;              // the request with the deployment's defaults, if any
  const json::object* original = nullptr;  // the caller's request, which outlives the attempt
  http::ClientRequest creq;
  core::Clock::time_point started;

  // Not a pointer kept in the attempt: prepare() returns the attempt by value, and a pointer to
  // its own with_defaults would be left pointing into prepare()'s stack frame.
  const json::object& req() const { return d->default_params.empty() ? *original : with_defaults; }
};

Result<Router::Attempt> Router::prepare(Op op, const Deployment& d, const json::object& request,
                                        const CallOptions& options) {
  Attempt a;
  a.d = &d;
  a.requested = core::get_string(request, "model").value_or(std::string_view(d.model_name));
  // The deployment's own target unless this call overrides part of it: a copy is a handful of
  // string allocations per request.
  if (options.api_key || options.api_base || options.drop_params ||
      (config_.drop_params && !d.target.drop_params) || !options.extra_headers.empty()) {
    a.overridden = std::make_unique<providers::Target>(d.target);
    providers::Target& t = *a.overridden;
    if (options.api_key) t.api_key = *options.api_key;
    if (options.api_base) t.api_base = *options.api_base;
    if (options.drop_params) t.drop_params = *options.drop_params;
    if (config_.drop_params) t.drop_params = t.drop_params || config_.drop_params;
    for (const auto& h : options.extra_headers)
      t.extra_headers.push_back(h);
  }
  a.target = a.overridden ? a.overridden.get() : &d.target;
  a.original = &request;
  if (!d.default_params.empty()) apply_defaults(d, request, a.with_defaults);
  const providers::ProviderAdapter& adapter = *d.adapter;
  auto upstream = op == Op::embedding ? adapter.embedding_request(a.req(), *a.target)
                                      : adapter.chat_request(a.req(), *a.target);
  if (!upstream) return with_context(std::move(upstream).error(), d, a.requested);
  a.creq.url = std::move(upstream->url);
  a.creq.headers = std::move(upstream->headers);
  a.creq.body = std::move(upstream->body);
  const bool streaming = op == Op::chat_stream;
  a.creq.timeout =
      options.timeout.value_or(streaming ? d.stream_timeout.value_or(d.timeout.value_or(
                                               config_.stream_timeout.value_or(config_.timeout)))
                                         : d.timeout.value_or(config_.timeout));

  auto& st = state(d);
  const std::int64_t minute =
      std::chrono::duration_cast<std::chrono::minutes>(clock_.now().time_since_epoch()).count();
  if (st.minute.exchange(minute) != minute) {
    st.requests_this_minute.store(0);
    st.tokens_this_minute.store(0);
  }
  ++st.requests_this_minute;
  a.started = clock_.now();
  return a;
}

// Counts an attempt in its deployment's in-flight gauge for as long as it is awaited.
struct Router::InFlight {
  std::atomic<int>& n;
  explicit InFlight(std::atomic<int>& counter) : n(counter) { ++n; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() { --n; }
};

Result<CallResult> Router::finish_whole(Op op, const Attempt& a, Result<http::ClientResponse> res) {
  const Deployment& d = *a.d;
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(clock_.now() - a.started);
  if (!res) return with_context(std::move(res).error(), d, a.requested);
  const providers::ProviderAdapter& adapter = *d.adapter;
  if (!is_2xx(res->status)) {
    return with_context(adapter.map_error(res->status, res->body, res->headers, *a.target), d,
                        a.requested);
  }
  auto success = [&](CallResult out, Tokens t) -> Result<CallResult> {
    out.deployment = &d;
    out.upstream_fields = pass_through_fields(res->headers);
    out.upstream_time = elapsed;
    out.cost = cost_of(d, t.prompt, t.completion);
    record_success(d, elapsed, t.total);
    return out;
  };
  if (op != Op::embedding) {
    auto answer = adapter.chat_answer(res->body, a.req(), *a.target);
    if (!answer) return with_context(std::move(answer).error(), d, a.requested);
    const Tokens t{answer->prompt_tokens, answer->completion_tokens, answer->total_tokens};
    return success(CallResult{.body = std::move(answer->body)}, t);
  }
  auto body = adapter.embedding_response(res->body, a.req(), *a.target);
  if (!body) return with_context(std::move(body).error(), d, a.requested);
  const Tokens t = tokens_of(core::get_object(*body, "usage"));
  // Constructed from the body, not assigned: the adapter built it in the storage of the parsed
  // answer, and json::object's move *assignment* across storages is a deep copy.
  return success(CallResult{.response = std::move(*body)}, t);
}

asio::awaitable<void> Router::call_whole(http::Client& client, Op op, const Deployment& d,
                                         json::object& request, const CallOptions& options,
                                         Result<CallResult>& out) {
  auto a = prepare(op, d, request, options);
  if (!a) {
    out = std::move(a).error();
    co_return;
  }
  InFlight in_flight(state(d).in_flight);
  out = finish_whole(op, *a, co_await client.send(std::move(a->creq)));
}

asio::awaitable<void> Router::stream_into(http::Client& client, const Deployment& d,
                                          json::object& request, const CallOptions& options,
                                          StreamSink* sink, StreamResult* stream_result,
                                          bool& delivered, Result<CallResult>& out) {
  out = co_await call_stream(client, d, request, options, sink, stream_result, delivered);
}

asio::awaitable<void> Router::call_once(http::Client& client, Op op, const Deployment& d,
                                        json::object& request, const CallOptions& options,
                                        StreamSink* sink, StreamResult* stream_result,
                                        bool& delivered, Result<CallResult>& out) {
  // Not a coroutine: it hands back the one that does the work, one frame fewer per call.
  if (op == Op::chat_stream) {
    return stream_into(client, d, request, options, sink, stream_result, delivered, out);
  }
  return call_whole(client, op, d, request, options, out);
}

asio::awaitable<Result<CallResult>> Router::call_stream(
    http::Client& client, const Deployment& d, json::object& request, const CallOptions& options,
    StreamSink* sink, StreamResult* stream_result, bool& delivered) {
  auto prepared = prepare(Op::chat_stream, d, request, options);
  if (!prepared) co_return std::move(prepared).error();
  Attempt& a = *prepared;
  const std::string_view requested = a.requested;
  const providers::Target& target = *a.target;
  const json::object& req = a.req();
  const providers::ProviderAdapter& adapter = *d.adapter;
  auto& st = state(d);
  InFlight in_flight(st.in_flight);
  const auto started = a.started;

  auto opened = co_await client.open(std::move(a.creq));
  if (!opened) co_return with_context(std::move(opened).error(), d, requested);
  auto& stream = *opened;
  if (!is_2xx(stream->status())) {
    auto body = co_await stream->read_all();
    std::string text = body ? std::move(*body) : std::string();
    co_return with_context(adapter.map_error(stream->status(), text, stream->headers(), target), d,
                           requested);
  }
  auto headers = pass_through_fields(stream->headers());
  auto decoder = adapter.chat_stream(req, target);
  std::vector<std::string> chunks;
  bool first = true;
  auto deliver = [&]() -> asio::awaitable<Result<void>> {
    bool open = true;
    for (auto& c : chunks) {
      delivered = true;
      ++stream_result->chunks;
      open = co_await sink->on_chunk(d, headers, c);
      if (!open) break;
    }
    if (open && !chunks.empty()) open = co_await sink->flush();
    chunks.clear();
    if (!open) {
      stream->cancel();
      Error e = Error::make(ErrorKind::api_connection, "client disconnected; stream cancelled");
      co_return e;
    }
    co_return Result<void>{};
  };
  for (;;) {
    auto piece = co_await stream->read_some();
    if (!piece) co_return with_context(std::move(piece).error(), d, requested);
    if (first) {
      first = false;
      record_success(
          d, std::chrono::duration_cast<std::chrono::microseconds>(clock_.now() - started), 0);
    }
    if (piece->empty()) break;
    if (auto fed = decoder->feed(*piece, chunks); !fed) {
      stream->cancel();
      co_return with_context(std::move(fed).error(), d, requested);
    }
    if (auto r = co_await deliver(); !r) co_return with_context(std::move(r).error(), d, requested);
  }
  if (auto fin = decoder->finish(chunks); !fin) {
    if (auto r = co_await deliver(); !r) co_return with_context(std::move(r).error(), d, requested);
    co_return with_context(std::move(fin).error(), d, requested);
  }
  if (auto r = co_await deliver(); !r) co_return with_context(std::move(r).error(), d, requested);
  stream_result->deployment = &d;
  if (const auto* usage = decoder->usage()) {
    stream_result->usage = *usage;
    const Tokens t = tokens_of(usage);
    stream_result->cost = cost_of(d, t.prompt, t.completion);
    st.tokens_this_minute += t.total;
  }
  CallResult out;
  out.deployment = &d;
  out.upstream_fields = std::move(headers);
  out.cost = stream_result->cost;
  co_return out;
}

Deployment* Router::adhoc(std::string_view group_name, const CallOptions& options,
                          Result<CallResult>& error) {
  if (group_name.empty()) {
    Error e = Error::make(ErrorKind::bad_request, "'model' is required and must be a string");
    e.param = "model";
    error = std::move(e);
    return nullptr;
  }
  if (!config_.allow_unlisted_models || groups_.find(std::string(group_name)) != groups_.end()) {
    error = unserved_group(group_name);
    return nullptr;
  }
  std::lock_guard lock(adhoc_mu_);
  auto& slot = adhoc_[std::string(group_name)];
  if (!slot) {
    auto d = adhoc_deployment(group_name, options);
    if (!d) {
      error = std::move(d).error();
      return nullptr;
    }
    slot = std::make_unique<Deployment>(std::move(*d));
  }
  return slot.get();
}

Error Router::none_available(std::string_view group_name) const {
  Error e = Error::make(ErrorKind::rate_limit,
                        "No deployments available for selected model, Try again in " +
                            std::to_string(config_.cooldown_time.count()) +
                            " seconds. Passed model=" + std::string(group_name) +
                            ". All deployments are cooling down or over their rpm/tpm limits.");
  e.model = std::string(group_name);
  e.retry_after = std::chrono::duration_cast<milliseconds>(config_.cooldown_time);
  return e;
}

bool Router::retry_after_failure(const Deployment& d, const Error& e, std::size_t group_size,
                                 int attempt, int retries, bool delivered) {
  record_failure(d, e, group_size);
  // Never retry once a byte reached the caller, nor what cannot succeed on retry (unless the
  // retry_policy names this class of error).
  const auto policy = config_.retry_policy.for_error(e);
  const int allowed = policy.value_or(retries);
  return !delivered && (policy || e.retryable()) && attempt < allowed;
}

// Answers into `r` rather than returning it: an awaited result is one more slot of the caller's
// frame (see Attempt). After a failure, r's error is what the call returns when nothing is left
// to try.
asio::awaitable<void> Router::call_group(http::Client& client, Op op, std::string_view group_name,
                                         json::object& request, const CallOptions& options,
                                         StreamSink* sink, StreamResult* stream_result,
                                         Result<CallResult>& r) {
  std::vector<const Deployment*> unlisted;  // the ad-hoc deployment of an unlisted model
  const std::vector<const Deployment*>* group = nullptr;
  if (auto it = served_.find(group_name); it != served_.end()) {
    group = &it->second;  // a configured group: no lookup key or vector built per request
  } else if (Deployment* d = adhoc(group_name, options, r)) {
    unlisted.push_back(d);
    group = &unlisted;
  } else {
    co_return;
  }
  const std::vector<const Deployment*>& all = *group;
  const int retries =
      options.num_retries.value_or(all.front()->max_retries.value_or(config_.num_retries));
  // Inline room for the usual handful of attempts: no allocation per request.
  boost::container::small_vector<const Deployment*, 4> tried;
  for (int attempt = 0; attempt <= retries; ++attempt) {
    const Deployment* d = pick(all, tried);
    if (d == nullptr) {
      if (attempt == 0) r = none_available(group_name);
      co_return;
    }
    tried.push_back(d);
    bool delivered = false;
    co_await call_once(client, op, *d, request, options, sink, stream_result, delivered, r);
    if (r) {
      r->attempts = attempt + 1;
      co_return;
    }
    if (!retry_after_failure(*d, r.error(), all.size(), attempt, retries, delivered)) co_return;
    co_await sleeper_.sleep(backoff(attempt, r.error()));
  }
}

asio::awaitable<Result<CallResult>> Router::run(http::Client& client, Op op, json::object request,
                                                CallOptions options, StreamSink* sink,
                                                StreamResult* stream_result) {
  // A missing or empty model is adhoc()'s error: no local here for it (see Attempt).
  const std::string_view model = core::get_string(request, "model").value_or("");
  Result<CallResult> r = not_attempted();
  co_await call_group(client, op, model, request, options, sink, stream_result, r);
  if (!r && !model.empty() && (stream_result == nullptr || stream_result->chunks == 0)) {
    co_await run_fallbacks(client, op, request, options, sink, stream_result, r);
  }
  co_return r;
}

// `r` holds the first group's error; it is replaced by a fallback's answer, or kept.
asio::awaitable<void> Router::run_fallbacks(http::Client& client, Op op, json::object& request,
                                            const CallOptions& options, StreamSink* sink,
                                            StreamResult* stream_result, Result<CallResult>& r) {
  // The fallbacks rewrite request["model"]: the first group's name is copied before that.
  const std::string first_group(core::get_string(request, "model").value_or(""));
  Result<CallResult> first = std::move(r);
  int tried_fallbacks = 0;
  for (const auto& fb : fallback_chain(first_group, first.error())) {
    if (tried_fallbacks >= config_.max_fallbacks) break;
    if (!served_.contains(fb)) continue;  // unknown or unserved fallback: skip to the next one
    ++tried_fallbacks;
    request["model"] = fb;
    co_await call_group(client, op, fb, request, options, sink, stream_result, r);
    if (r || (stream_result != nullptr && stream_result->chunks > 0)) co_return;
  }
  r = std::move(first);
}

asio::awaitable<Result<CallResult>> Router::probe(http::Client& client,
                                                  const Deployment& deployment,
                                                  json::object request, bool embedding) {
  if (deployment.adapter == nullptr) {
    co_return Error::make(ErrorKind::bad_request, "provider '" + deployment.provider +
                                                      "' is not supported by this gateway");
  }
  bool delivered = false;
  const CallOptions options;
  Result<CallResult> r = not_attempted();
  co_await call_once(client, embedding ? Op::embedding : Op::chat, deployment, request, options,
                     nullptr, nullptr, delivered, r);
  co_return r;
}

// Plain functions handing back run's coroutine (its parameters are copies, so nothing dangles):
// one frame and one resumption fewer per call.
asio::awaitable<Result<CallResult>> Router::chat(http::Client& client, json::object request,
                                                 CallOptions options) {
  return run(client, Op::chat, std::move(request), std::move(options), nullptr, nullptr);
}

asio::awaitable<Result<CallResult>> Router::embedding(http::Client& client, json::object request,
                                                      CallOptions options) {
  return run(client, Op::embedding, std::move(request), std::move(options), nullptr, nullptr);
}

asio::awaitable<Result<StreamResult>> Router::chat_stream(http::Client& client,
                                                          json::object request, StreamSink& sink,
                                                          CallOptions options) {
  StreamResult result;
  auto r =
      co_await run(client, Op::chat_stream, std::move(request), std::move(options), &sink, &result);
  if (!r) co_return std::move(r).error();
  result.attempts = r->attempts;
  co_return result;
}

}  // namespace litellm::router
