// The SDK's own cost per call, without the network: CPU time to build the upstream request from
// CompletionParams (public struct -> OpenAI JSON -> Mistral wire body) and to turn a Mistral
// answer into a ModelResponse, for ~1 KB and ~32 KB bodies, and to cut a streamed answer into
// its events. Then, against an embedded emulator on loopback, the wall time per call and how many
// connections N sequential calls opened.
//
//   build/bench/sdk_bench [--benchmark_min_time=0.5]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/json.hpp>

#include "emulator/emulator.hpp"
#include "http/client.hpp"
#include "http/sse.hpp"
#include "litellm/litellm.hpp"
#include "providers/adapter.hpp"
#include "router/router.hpp"

namespace {

namespace json = boost::json;
using litellm::CompletionParams;
using litellm::Message;

// A conversation whose JSON is about `bytes` long.
CompletionParams params_of_size(std::size_t bytes) {
  CompletionParams p;
  p.model = "mistral/mistral-small-latest";
  p.temperature = 0.7;
  p.max_tokens = 256;
  p.messages.push_back(Message::system("You are a helpful assistant."));
  std::string sentence = "The quick brown fox jumps over the lazy dog near the river bank. ";
  std::size_t size = 200;
  bool user = true;
  while (size < bytes) {
    std::string text;
    while (text.size() < std::min<std::size_t>(bytes - size, 2000))
      text += sentence;
    size += text.size() + 40;
    p.messages.push_back(user ? Message::user(text) : Message::assistant(text));
    user = !user;
  }
  if (!user) p.messages.push_back(Message::user("Summarise."));
  return p;
}

std::string mistral_response_of_size(std::size_t bytes) {
  std::string text;
  while (text.size() + 300 < bytes)
    text += "The quick brown fox jumps over the lazy dog. ";
  json::object o{
      {"id", "cmpl-0123456789abcdef"},
      {"object", "chat.completion"},
      {"created", 1700000000},
      {"model", "mistral-small-latest"},
      {"choices", json::array{json::object{{"index", 0},
                                           {"message", json::object{{"role", "assistant"},
                                                                    {"content", text},
                                                                    {"tool_calls", nullptr}}},
                                           {"finish_reason", "stop"}}}},
      {"usage",
       json::object{{"prompt_tokens", 120}, {"completion_tokens", 300}, {"total_tokens", 420}}}};
  return json::serialize(o);
}

litellm::providers::Target target() {
  litellm::providers::Target t;
  t.provider = "mistral";
  t.model = "mistral-small-latest";
  t.api_base = "https://api.mistral.ai/v1";
  t.api_key = "bench-key";
  t.info = litellm::model_info("mistral/mistral-small-latest");
  return t;
}

void BM_BuildRequest(benchmark::State& state) {
  const auto params = params_of_size(static_cast<std::size_t>(state.range(0)));
  const auto* adapter = litellm::providers::find_adapter("mistral");
  const auto t = target();
  std::size_t body = 0;
  for (auto _ : state) {
    json::object req = params.to_json_object();
    auto up = adapter->chat_request(req, t);
    body = up->body.size();
    benchmark::DoNotOptimize(up);
  }
  state.counters["wire_bytes"] = static_cast<double>(body);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body));
}
BENCHMARK(BM_BuildRequest)->Arg(1024)->Arg(32 * 1024)->Unit(benchmark::kMicrosecond);

void BM_ParseResponse(benchmark::State& state) {
  const std::string body = mistral_response_of_size(static_cast<std::size_t>(state.range(0)));
  const auto* adapter = litellm::providers::find_adapter("mistral");
  const auto t = target();
  const json::object req = params_of_size(512).to_json_object();
  for (auto _ : state) {
    auto openai = adapter->chat_response(body, req, t);
    auto r = litellm::ModelResponse::from_json(*openai);
    r.response_cost = litellm::completion_cost(r);
    benchmark::DoNotOptimize(r);
  }
  state.counters["wire_bytes"] = static_cast<double>(body.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseResponse)->Arg(1024)->Arg(32 * 1024)->Unit(benchmark::kMicrosecond);

// A streamed answer's bytes cut into events: `range(0)` Mistral chunks of ~250 bytes, read in
// 4 KiB pieces as a socket would give them. Reported per event.
void BM_DecodeStream(benchmark::State& state) {
  std::string wire;
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    wire += R"(data: {"id":"cmpl-0123456789abcdef","object":"chat.completion.chunk",)"
            R"("created":1700000000,"model":"mistral-small-latest","choices":[{"index":0,)"
            R"("delta":{"content":" token )" +
            std::to_string(i) + R"("},"finish_reason":null}]})" + "\n\n";
  }
  wire += "data: [DONE]\n\n";
  std::vector<litellm::http::SseEvent> events;
  for (auto _ : state) {
    litellm::http::SseDecoder decoder;
    events.clear();
    for (std::size_t at = 0; at < wire.size(); at += 4096) {
      auto r = decoder.feed(std::string_view(wire).substr(at, 4096), events);
      if (!r) state.SkipWithError("decoder failed");
    }
    benchmark::DoNotOptimize(events.data());
  }
  state.counters["events"] = static_cast<double>(events.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}
BENCHMARK(BM_DecodeStream)->Arg(200)->Unit(benchmark::kMicrosecond);

// Connection reuse: N sequential calls through the SDK's path (router + pooled client) to an
// embedded emulator. Prints calls, connections opened and reused, and wall time per call.
void report_connection_reuse() {
  litellm::emulator::EmulatorOptions eo;
  eo.record_requests = 0;
  litellm::emulator::Emulator emu(eo);
  auto port = emu.start();
  if (!port) {
    std::fprintf(stderr, "emulator: %s\n", port.error().message.c_str());
    return;
  }
  boost::asio::io_context ioc;
  litellm::http::Client client(ioc.get_executor());
  litellm::router::RouterConfig rc;
  rc.allow_unlisted_models = true;
  litellm::router::Router router(rc);
  litellm::router::CallOptions opts;
  opts.api_base = emu.base_url();
  opts.api_key = "bench-key";
  const int calls = 2000;
  auto params = params_of_size(1024);
  params.max_tokens = 16;
  const json::object req = params.to_json_object();
  auto t0 = std::chrono::steady_clock::now();
  auto fut = boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < calls; ++i) {
          auto r = co_await router.chat(client, req, opts);
          ok += r.ok() ? 1 : 0;
        }
        co_return ok;
      },
      boost::asio::use_future);
  ioc.run();
  const int ok = fut.get();
  auto us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  auto s = client.stats();
  std::printf(
      "connection reuse: %d/%d calls ok, %llu connections opened, %llu requests on reused "
      "connections, %.1f us per call (wall, loopback emulator)\n",
      ok, calls, static_cast<unsigned long long>(s.connections_opened),
      static_cast<unsigned long long>(s.connections_reused), us / calls);
  emu.stop();
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  report_connection_reuse();
  return 0;
}
