// The SDK's entry points: the gateway's path (router -> adapter -> http client) without the
// listener. Every call's I/O runs on one background thread owned by the SDK (Runtime), so the
// keep-alive pool is shared by all calls and sync callers need no io_context of their own.
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "core/json.hpp"
#include "http/client.hpp"
#include "litellm/litellm.hpp"
#include "providers/adapter.hpp"
#include "router/router.hpp"

namespace litellm {
inline namespace v1 {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// Retries when the caller does not say: as the OpenAI SDK LiteLLM uses underneath (2).
constexpr int kDefaultRetries = 2;

class Runtime {
 public:
  static Runtime& get() {
    static Runtime rt;
    return rt;
  }
  asio::any_io_executor executor() { return ioc_.get_executor(); }
  http::Client& client() { return client_; }
  router::Router& router() { return router_; }

  ~Runtime() {
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  Runtime()
      : work_(asio::make_work_guard(ioc_)),
        client_(ioc_.get_executor()),
        router_(make_config()),
        thread_([this] { ioc_.run(); }) {}

  static router::RouterConfig make_config() {
    router::RouterConfig c;
    c.allow_unlisted_models = true;
    c.num_retries = kDefaultRetries;
    return c;
  }

  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  http::Client client_;
  router::Router router_;
  std::thread thread_;
};

router::CallOptions to_options(const CallSettings& s) {
  router::CallOptions o;
  o.api_key = s.api_key;
  o.api_base = s.api_base;
  o.timeout = s.timeout;
  o.num_retries = s.num_retries;
  for (const auto& [k, v] : s.extra_headers)
    o.extra_headers.emplace_back(k, v);
  if (s.drop_params) o.drop_params = true;
  return o;
}

// Runs a router coroutine on the SDK thread and blocks until it finishes.
template <class T, class MakeAwaitable>
Result<T> run_sync(MakeAwaitable make) {
  auto& rt = Runtime::get();
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  asio::co_spawn(
      rt.executor(), [&]() -> asio::awaitable<void> { promise.set_value(co_await make(rt)); },
      [&](std::exception_ptr e) {
        if (e) promise.set_exception(e);
      });
  return future.get();
}

Result<ModelResponse> to_response(router::CallResult&& r) {
  ModelResponse out;
  if (r.body.empty()) {
    out = ModelResponse::from_json(r.response);
  } else {
    auto parsed = providers::read_chat_answer(r.body, core::document_storage(r.body.size()));
    if (!parsed) return std::move(parsed).error();
    out = ModelResponse::from_json(*parsed);
  }
  out.response_cost = r.cost;
  return out;
}

EmbeddingResponse to_embedding(router::CallResult&& r) {
  EmbeddingResponse out = EmbeddingResponse::from_json(r.response);
  out.response_cost = r.cost;
  return out;
}

}  // namespace

// ---- streams ---------------------------------------------------------------------------------

namespace detail {

// Shared by the consumer (CompletionStream) and the producer coroutine on the SDK thread. The
// bounded channel gives backpressure: a slow consumer stops the producer from reading upstream.
class StreamState {
 public:
  struct Item {
    std::string chunk;  // the chunk's JSON text, read into types by the consumer
    bool end = false;
    std::optional<Error> error;
  };
  using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code, Item)>;

  explicit StreamState(asio::any_io_executor ex) : executor(ex), channel(ex, 64) {}

  // The consumer is gone: close the channel (a pending send fails) and abort the upstream.
  void abandon() {
    channel.close();
    asio::post(executor, [sig = cancel] { sig->emit(asio::cancellation_type::all); });
  }

  std::optional<ModelResponseStream> take(Item item) {
    if (item.error) {
      done = true;
      throw_error(std::move(*item.error));
    }
    if (item.end) {
      done = true;
      return std::nullopt;
    }
    auto chunk = providers::read_chat_answer(item.chunk, json::storage_ptr());
    if (!chunk) {
      done = true;
      throw_error(std::move(chunk).error());
    }
    return ModelResponseStream::from_json(*chunk);
  }

  asio::any_io_executor executor;
  Channel channel;
  std::shared_ptr<asio::cancellation_signal> cancel = std::make_shared<asio::cancellation_signal>();
  bool done = false;  // consumer side only
  mutable std::mutex mu;
  std::optional<Usage> usage;
  double cost = 0;
};

namespace {

class ChannelSink final : public router::StreamSink {
 public:
  explicit ChannelSink(std::shared_ptr<StreamState> s) : state_(std::move(s)) {}
  asio::awaitable<bool> on_chunk(const router::Deployment&, std::string_view,
                                 std::string_view chunk) override {
    boost::system::error_code ec;
    // A named item, not a braced temporary inside the co_await: g++ 12 mishandles the latter.
    StreamState::Item item;
    item.chunk = chunk;
    co_await state_->channel.async_send(boost::system::error_code{}, std::move(item),
                                        asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

 private:
  std::shared_ptr<StreamState> state_;
};

std::shared_ptr<StreamState> start_stream(const CompletionParams& params) {
  auto& rt = Runtime::get();
  auto state = std::make_shared<StreamState>(rt.executor());
  json::object request = params.to_json_object();
  request["stream"] = true;
  if (params.include_usage) request["stream_options"] = json::object{{"include_usage", true}};
  asio::co_spawn(
      rt.executor(),
      [state, request = std::move(request),
       options = to_options(params.settings)]() mutable -> asio::awaitable<void> {
        auto& runtime = Runtime::get();
        ChannelSink sink(state);
        auto r = co_await runtime.router().chat_stream(runtime.client(), std::move(request), sink,
                                                       options);
        StreamState::Item last;
        if (r) {
          std::lock_guard lock(state->mu);
          if (r->usage) state->usage = Usage::from_json(*r->usage);
          state->cost = r->cost;
          last.end = true;
        } else {
          last.error = std::move(r).error();
        }
        boost::system::error_code ec;
        co_await state->channel.async_send(boost::system::error_code{}, std::move(last),
                                           asio::redirect_error(asio::use_awaitable, ec));
      },
      asio::bind_cancellation_slot(state->cancel->slot(), asio::detached));
  return state;
}

}  // namespace
}  // namespace detail

CompletionStream::CompletionStream(std::shared_ptr<detail::StreamState> s) : state_(std::move(s)) {}
CompletionStream::CompletionStream(CompletionStream&&) noexcept = default;
CompletionStream& CompletionStream::operator=(CompletionStream&& other) noexcept {
  if (this != &other) {
    if (state_) state_->abandon();
    state_ = std::move(other.state_);
  }
  return *this;
}
CompletionStream::~CompletionStream() {
  if (state_) state_->abandon();
}

std::optional<ModelResponseStream> CompletionStream::next() {
  if (!state_ || state_->done) return std::nullopt;
  auto item = state_->channel.async_receive(asio::use_future).get();
  return state_->take(std::move(item));
}

CompletionStream::iterator CompletionStream::begin() {
  iterator it(this);
  it.current_ = next();
  return it;
}

CompletionStream::iterator& CompletionStream::iterator::operator++() {
  current_ = stream_->next();
  return *this;
}

std::optional<Usage> CompletionStream::usage() const {
  if (!state_) return std::nullopt;
  std::lock_guard lock(state_->mu);
  return state_->usage;
}

double CompletionStream::response_cost() const {
  if (!state_) return 0;
  std::lock_guard lock(state_->mu);
  return state_->cost;
}

CompletionStream completion_stream(const CompletionParams& params) {
  return CompletionStream(detail::start_stream(params));
}

AsyncCompletionStream::AsyncCompletionStream(std::shared_ptr<detail::StreamState> s)
    : state_(std::move(s)) {}
AsyncCompletionStream::AsyncCompletionStream(AsyncCompletionStream&&) noexcept = default;
AsyncCompletionStream& AsyncCompletionStream::operator=(AsyncCompletionStream&& other) noexcept {
  if (this != &other) {
    if (state_) state_->abandon();
    state_ = std::move(other.state_);
  }
  return *this;
}
AsyncCompletionStream::~AsyncCompletionStream() {
  if (state_) state_->abandon();
}

asio::awaitable<std::optional<ModelResponseStream>> AsyncCompletionStream::next() {
  if (!state_ || state_->done) co_return std::nullopt;
  auto item = co_await state_->channel.async_receive(asio::use_awaitable);
  co_return state_->take(std::move(item));
}

std::optional<Usage> AsyncCompletionStream::usage() const {
  if (!state_) return std::nullopt;
  std::lock_guard lock(state_->mu);
  return state_->usage;
}

double AsyncCompletionStream::response_cost() const {
  if (!state_) return 0;
  std::lock_guard lock(state_->mu);
  return state_->cost;
}

asio::awaitable<AsyncCompletionStream> acompletion_stream(CompletionParams params) {
  co_return AsyncCompletionStream(detail::start_stream(params));
}

ModelResponse stream_chunk_builder(const std::vector<ModelResponseStream>& chunks) {
  ModelResponse out;
  std::map<int, Choice> choices;
  for (const auto& c : chunks) {
    if (out.id.empty()) {
      out.id = c.id;
      out.created = c.created;
      out.model = c.model;
    }
    if (c.usage) out.usage = *c.usage;
    for (const auto& sc : c.choices) {
      Choice& ch = choices[sc.index];
      ch.index = sc.index;
      Message& m = ch.message;
      if (!sc.delta.role.empty()) m.role = sc.delta.role;
      if (sc.delta.content) m.content = m.content.value_or("") + *sc.delta.content;
      if (sc.delta.reasoning_content) {
        m.reasoning_content = m.reasoning_content.value_or("") + *sc.delta.reasoning_content;
      }
      for (const auto& tc : sc.delta.tool_calls) {
        const int idx = tc.index.value_or(static_cast<int>(m.tool_calls.size()));
        if (idx < 0 || idx > 1024) continue;  // a hostile index must not allocate gigabytes
        if (static_cast<std::size_t>(idx) >= m.tool_calls.size()) {
          m.tool_calls.resize(static_cast<std::size_t>(idx) + 1);
        }
        ToolCall& dst = m.tool_calls[static_cast<std::size_t>(idx)];
        if (!tc.id.empty()) dst.id = tc.id;
        if (!tc.type.empty()) dst.type = tc.type;
        if (!tc.function.name.empty()) dst.function.name = tc.function.name;
        dst.function.arguments += tc.function.arguments;
      }
      if (sc.finish_reason) ch.finish_reason = sc.finish_reason;
    }
  }
  for (auto& [i, ch] : choices) {
    if (ch.message.role.empty()) ch.message.role = "assistant";
    for (auto& tc : ch.message.tool_calls)
      tc.index.reset();
    out.choices.push_back(std::move(ch));
  }
  out.raw = json::parse(out.to_json()).as_object();
  out.response_cost = completion_cost(out);
  return out;
}

// ---- completion ------------------------------------------------------------------------------

Result<ModelResponse> try_completion(const CompletionParams& params) {
  if (params.stream) {
    try {
      auto stream = completion_stream(params);
      std::vector<ModelResponseStream> chunks;
      while (auto c = stream.next())
        chunks.push_back(std::move(*c));
      ModelResponse r = stream_chunk_builder(chunks);
      if (auto u = stream.usage()) r.usage = *u;
      r.response_cost = stream.response_cost();
      return r;
    } catch (const APIError& e) {
      return e.error();
    }
  }
  auto r = run_sync<router::CallResult>([&](Runtime& rt) {
    return rt.router().chat(rt.client(), params.to_json_object(), to_options(params.settings));
  });
  if (!r) return std::move(r).error();
  return to_response(std::move(*r));
}

ModelResponse completion(const CompletionParams& params) {
  return try_completion(params).value();
}

asio::awaitable<ModelResponse> acompletion(CompletionParams params) {
  auto& rt = Runtime::get();
  if (params.stream) {
    auto stream = co_await acompletion_stream(params);
    std::vector<ModelResponseStream> chunks;
    while (auto c = co_await stream.next())
      chunks.push_back(std::move(*c));
    ModelResponse r = stream_chunk_builder(chunks);
    if (auto u = stream.usage()) r.usage = *u;
    r.response_cost = stream.response_cost();
    co_return r;
  }
  auto r = co_await asio::co_spawn(
      rt.executor(),
      rt.router().chat(rt.client(), params.to_json_object(), to_options(params.settings)),
      asio::use_awaitable);
  co_return to_response(std::move(r).value()).value();
}

// ---- embeddings ------------------------------------------------------------------------------

Result<EmbeddingResponse> try_embedding(const EmbeddingParams& params) {
  auto r = run_sync<router::CallResult>([&](Runtime& rt) {
    return rt.router().embedding(rt.client(), params.to_json_object(), to_options(params.settings));
  });
  if (!r) return std::move(r).error();
  return to_embedding(std::move(*r));
}

EmbeddingResponse embedding(const EmbeddingParams& params) {
  return try_embedding(params).value();
}

asio::awaitable<EmbeddingResponse> aembedding(EmbeddingParams params) {
  auto& rt = Runtime::get();
  auto r = co_await asio::co_spawn(
      rt.executor(),
      rt.router().embedding(rt.client(), params.to_json_object(), to_options(params.settings)),
      asio::use_awaitable);
  co_return to_embedding(std::move(r).value());
}

// ---- cost ------------------------------------------------------------------------------------

double cost_per_token(std::string_view model, std::int64_t prompt_tokens,
                      std::int64_t completion_tokens) {
  auto info = model_info(model);
  if (!info) return 0;
  return static_cast<double>(prompt_tokens) * info->input_cost_per_token +
         static_cast<double>(completion_tokens) * info->output_cost_per_token;
}

double completion_cost(const ModelResponse& response) {
  return cost_per_token(response.model, response.usage.prompt_tokens,
                        response.usage.completion_tokens);
}

double completion_cost(const EmbeddingResponse& response) {
  return cost_per_token(response.model, response.usage.prompt_tokens, 0);
}

}  // namespace v1
}  // namespace litellm
