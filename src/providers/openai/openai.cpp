#include "providers/openai/openai.hpp"

#include <array>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "http/sse.hpp"
#include "providers/common.hpp"
#include "providers/sse_chat_decoder.hpp"
#include "providers/think.hpp"

namespace litellm::providers::openai {
namespace {

namespace json = boost::json;

// LiteLLM's defaults (litellm/litellm_core_utils/get_llm_provider_logic.py and each provider's
// _get_openai_compatible_provider_info): base URL and the environment variables, in its order.
constexpr std::array<std::string_view, 1> kOpenAIKey{"OPENAI_API_KEY"};
constexpr std::array<std::string_view, 2> kOpenAIBase{"OPENAI_BASE_URL", "OPENAI_API_BASE"};
constexpr std::array<std::string_view, 1> kGroqKey{"GROQ_API_KEY"};
constexpr std::array<std::string_view, 1> kGroqBase{"GROQ_API_BASE"};
constexpr std::array<std::string_view, 1> kCerebrasKey{"CEREBRAS_API_KEY"};
constexpr std::array<std::string_view, 1> kCerebrasBase{"CEREBRAS_API_BASE"};
constexpr std::array<std::string_view, 2> kOpenRouterKey{"OPENROUTER_API_KEY", "OR_API_KEY"};
constexpr std::array<std::string_view, 1> kOpenRouterBase{"OPENROUTER_API_BASE"};
constexpr std::array<std::string_view, 4> kTogetherKey{"TOGETHER_API_KEY", "TOGETHER_AI_API_KEY",
                                                       "TOGETHERAI_API_KEY", "TOGETHER_AI_TOKEN"};
constexpr std::array<std::string_view, 1> kTogetherBase{"TOGETHER_AI_API_BASE"};
constexpr std::array<std::string_view, 1> kDeepSeekKey{"DEEPSEEK_API_KEY"};
constexpr std::array<std::string_view, 1> kDeepSeekBase{"DEEPSEEK_API_BASE"};
constexpr std::array<std::string_view, 2> kPerplexityKey{"PERPLEXITYAI_API_KEY",
                                                         "PERPLEXITY_API_KEY"};
constexpr std::array<std::string_view, 1> kPerplexityBase{"PERPLEXITY_API_BASE"};
constexpr std::array<std::string_view, 4> kFireworksKey{
    "FIREWORKS_API_KEY", "FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY", "FIREWORKS_AI_TOKEN"};
constexpr std::array<std::string_view, 1> kFireworksBase{"FIREWORKS_API_BASE"};
constexpr std::array<std::string_view, 1> kXaiKey{"XAI_API_KEY"};
constexpr std::array<std::string_view, 1> kXaiBase{"XAI_API_BASE"};
constexpr std::array<std::string_view, 1> kNimKey{"NVIDIA_NIM_API_KEY"};
constexpr std::array<std::string_view, 1> kNimBase{"NVIDIA_NIM_API_BASE"};
constexpr std::array<std::string_view, 1> kGithubKey{"GITHUB_API_KEY"};
constexpr std::array<std::string_view, 1> kGithubBase{"GITHUB_API_BASE"};
constexpr std::array<std::string_view, 1> kVllmKey{"HOSTED_VLLM_API_KEY"};
constexpr std::array<std::string_view, 1> kVllmBase{"HOSTED_VLLM_API_BASE"};
constexpr std::array<std::string_view, 1> kLmStudioKey{"LM_STUDIO_API_KEY"};
constexpr std::array<std::string_view, 1> kLmStudioBase{"LM_STUDIO_API_BASE"};
constexpr std::array<std::string_view, 1> kOllamaKey{"OLLAMA_API_KEY"};
constexpr std::array<std::string_view, 1> kOllamaBase{"OLLAMA_API_BASE"};

const std::array<OpenAICompatibleAdapter, 16>& adapters() noexcept {
  static const std::array<OpenAICompatibleAdapter, 16> all{{
      OpenAICompatibleAdapter({"openai", "https://api.openai.com/v1", kOpenAIKey, kOpenAIBase}),
      OpenAICompatibleAdapter({"groq", "https://api.groq.com/openai/v1", kGroqKey, kGroqBase}),
      OpenAICompatibleAdapter(
          {"cerebras", "https://api.cerebras.ai/v1", kCerebrasKey, kCerebrasBase}),
      OpenAICompatibleAdapter(
          {"openrouter", "https://openrouter.ai/api/v1", kOpenRouterKey, kOpenRouterBase}),
      OpenAICompatibleAdapter(
          {"together_ai", "https://api.together.xyz/v1", kTogetherKey, kTogetherBase}),
      OpenAICompatibleAdapter(
          {"deepseek", "https://api.deepseek.com/beta", kDeepSeekKey, kDeepSeekBase}),
      OpenAICompatibleAdapter(
          {"perplexity", "https://api.perplexity.ai", kPerplexityKey, kPerplexityBase}),
      OpenAICompatibleAdapter(
          {"fireworks_ai", "https://api.fireworks.ai/inference/v1", kFireworksKey, kFireworksBase}),
      OpenAICompatibleAdapter({"xai", "https://api.x.ai/v1", kXaiKey, kXaiBase}),
      OpenAICompatibleAdapter(
          {"nvidia_nim", "https://integrate.api.nvidia.com/v1", kNimKey, kNimBase}),
      OpenAICompatibleAdapter(
          {"github", "https://models.inference.ai.azure.com", kGithubKey, kGithubBase}),
      OpenAICompatibleAdapter({"hosted_vllm", "", kVllmKey, kVllmBase}),
      OpenAICompatibleAdapter({"lm_studio", "", kLmStudioKey, kLmStudioBase}),
      OpenAICompatibleAdapter(
          {"ollama_chat", "http://localhost:11434/v1", kOllamaKey, kOllamaBase, true}),
      OpenAICompatibleAdapter(
          {"ollama", "http://localhost:11434/v1", kOllamaKey, kOllamaBase, true}),
      // LiteLLM's name for a generic OpenAI-compatible endpoint given by api_base.
      OpenAICompatibleAdapter({"custom_openai", "", kOpenAIKey, {}}),
  }};
  return all;
}

constexpr std::array<std::string_view, 16> kNames{
    "openai",     "groq",         "cerebras", "openrouter",   "together_ai", "deepseek",
    "perplexity", "fireworks_ai", "xai",      "nvidia_nim",   "github",      "hosted_vllm",
    "lm_studio",  "ollama_chat",  "ollama",   "custom_openai"};

// Light normalisation of a message or a stream delta: `type: "function"` and string arguments on
// tool calls, and the "reasoning" field some servers use (OpenRouter, Ollama, Groq) also given
// as reasoning_content. Nothing is removed.
void normalize_message(json::object& m) {
  if (!m.contains("reasoning_content")) {
    if (const json::value* r = core::find(m, "reasoning"); r != nullptr && r->is_string()) {
      json::value copy = *r;
      m.emplace("reasoning_content", std::move(copy));
    }
  }
  if (json::value* calls = core::find(m, "tool_calls"); calls != nullptr && calls->is_array()) {
    for (auto& tc : calls->get_array()) {
      if (!tc.is_object()) continue;
      auto& o = tc.get_object();
      if (!o.contains("type")) o.emplace("type", "function");
      if (json::value* fn = core::find(o, "function"); fn != nullptr && fn->is_object()) {
        if (json::value* args = core::find(fn->get_object(), "arguments");
            args != nullptr && !args->is_string() && !args->is_null()) {
          *args = json::serialize(*args);
        }
      }
    }
  }
}

// LiteLLM parses <think>...</think> at the start of every non-streamed answer
// (_parse_content_for_reasoning) when the provider gave no reasoning_content.
void split_think(json::object& m) {
  if (m.contains("reasoning_content")) return;
  json::value* c = core::find(m, "content");
  if (c == nullptr || !c->is_string()) return;
  std::string_view s = c->get_string();
  if (!detail::starts_with(s, "<think>") && !detail::starts_with(s, "<thinking>")) return;
  std::string text;
  std::string reasoning;
  ThinkSplitter t;
  t.feed(s, text, reasoning);
  t.flush(text, reasoning);
  *c = json::string(text);
  m.emplace("reasoning_content", reasoning);
}

class StreamDecoder final : public detail::SseChatDecoder {
 public:
  StreamDecoder(const OpenAICompatibleAdapter& adapter, const Target& target)
      : SseChatDecoder(target.provider, std::string(adapter.exception_name()), target.model) {}

 private:
  // Chunks are already OpenAI's: parsed to be checked and normalized, then written again.
  Result<void> on_data(const http::SseEvent& ev, std::string_view data,
                       std::vector<std::string>& out) override {
    auto parsed = core::parse_json(data);
    if (!parsed || !parsed->is_object()) return bad_event(data);
    json::object& chunk = parsed->get_object();
    if (is_error_event(ev, chunk)) {
      return detail::map_stream_error(chunk, provider_, exception_name_, model_);
    }
    if (!chunk.contains("object")) chunk.emplace("object", "chat.completion.chunk");
    if (const json::object* u = core::get_object(chunk, "usage")) usage_ = detail::openai_usage(*u);
    if (json::value* choices = core::find(chunk, "choices");
        choices != nullptr && choices->is_array()) {
      for (auto& c : choices->get_array()) {
        if (!c.is_object()) continue;
        if (json::value* d = core::find(c.get_object(), "delta"); d != nullptr && d->is_object()) {
          normalize_message(d->get_object());
        }
        if (auto fr = core::get_string(c.get_object(), "finish_reason"); fr && !fr->empty()) {
          saw_finish();
        }
      }
    }
    core::JsonWriter w(data.size() + 64);
    w.value(chunk);
    out.push_back(std::move(w).take());
    return {};
  }
};

}  // namespace

OpenAICompatibleAdapter::OpenAICompatibleAdapter(const ProviderSpec& spec) : spec_(spec) {
  // LiteLLM: "OpenAIException" for openai, else the provider with its first letter upper-cased.
  if (spec.name == "openai") {
    exception_name_ = "OpenAIException";
  } else {
    exception_name_ = std::string(spec.name);
    if (!exception_name_.empty() && exception_name_[0] >= 'a' && exception_name_[0] <= 'z') {
      exception_name_[0] = static_cast<char>(exception_name_[0] - 'a' + 'A');
    }
    exception_name_ += "Exception";
  }
}

Result<std::string> OpenAICompatibleAdapter::url(const Target& target,
                                                 std::string_view path) const {
  std::string_view base =
      target.api_base.empty() ? spec_.default_api_base : std::string_view(target.api_base);
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  if (base.empty()) {
    Error e = Error::make(
        ErrorKind::bad_request,
        std::string(spec_.name) + " needs an api_base (set it on the deployment" +
            (spec_.base_envs.empty() ? std::string()
                                     : " or in " + std::string(spec_.base_envs.front())) +
            ")");
    e.param = "api_base";
    e.provider = std::string(spec_.name);
    e.model = target.model;
    return e;
  }
  std::string out(base);
  if (spec_.append_v1 && (base.size() < 3 || base.substr(base.size() - 3) != "/v1")) out += "/v1";
  out += path;
  return out;
}

Result<UpstreamRequest> OpenAICompatibleAdapter::forward(const json::object& request,
                                                         const Target& target,
                                                         std::string_view path, bool chat) const {
  json::object body;
  body.reserve(request.size() + 1);
  body.emplace("model", target.model);
  bool stream = false;
  for (const auto& kv : request) {
    const std::string_view key = kv.key();
    // LiteLLM's own keys never leave the proxy; `guardrails` names LiteLLM guardrails; nulls are
    // "not set" and some OpenAI-compatible servers refuse them.
    if (key == "model" || key == "guardrails" || detail::is_litellm_internal_param(key) ||
        kv.value().is_null()) {
      continue;
    }
    if (chat && key == "reasoning_effort" && target.reasoning == ReasoningMode::drop) continue;
    if (key == "stream" && kv.value().is_bool()) stream = kv.value().get_bool();
    body.emplace(key, kv.value());
  }
  if (chat) {
    const json::value* messages = core::find(request, "messages");
    if (messages == nullptr) {
      Error e = Error::make(ErrorKind::bad_request, "Missing required parameter: 'messages'.");
      e.param = "messages";
      return e;
    }
    if (!messages->is_array()) return detail::invalid_type("messages", "an array", *messages);
  } else if (core::find(request, "input") == nullptr) {
    Error e = Error::make(ErrorKind::bad_request, "Missing required parameter: 'input'.");
    e.param = "input";
    return e;
  }
  auto u = url(target, path);
  if (!u) return std::move(u).error();
  UpstreamRequest up;
  up.url = std::move(*u);
  up.headers.reserve(3 + target.extra_headers.size());
  if (!target.api_key.empty()) up.headers.emplace_back("Authorization", "Bearer " + target.api_key);
  up.headers.emplace_back("Content-Type", "application/json");
  up.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  for (const auto& h : target.extra_headers)
    up.headers.push_back(h);
  up.body = json::serialize(body);
  return up;
}

Result<UpstreamRequest> OpenAICompatibleAdapter::chat_request(const json::object& request,
                                                              const Target& target) const {
  return forward(request, target, "/chat/completions", true);
}

Result<UpstreamRequest> OpenAICompatibleAdapter::embedding_request(const json::object& request,
                                                                   const Target& target) const {
  return forward(request, target, "/embeddings", false);
}

Result<ChatAnswer> OpenAICompatibleAdapter::chat_answer(std::string_view body,
                                                        const json::object& request,
                                                        const Target& target) const {
  auto parsed = detail::parse_answer(body, "choices", "chat",
                                     {target.provider, exception_name_, target.model}, request);
  if (!parsed) return std::move(parsed).error();
  json::object& out = *parsed;
  // Defaults first: an insertion may rehash the object and move its values.
  if (!out.contains("object")) out.emplace("object", "chat.completion");
  if (!out.contains("created")) out.emplace("created", 0);
  if (!out.contains("model")) out.emplace("model", target.model);
  json::value* choices = core::find(out, "choices");
  for (auto& c : choices->get_array()) {
    if (!c.is_object()) continue;
    if (json::value* m = core::find(c.get_object(), "message"); m != nullptr && m->is_object()) {
      normalize_message(m->get_object());
      split_think(m->get_object());
    }
  }
  ChatAnswer answer;
  core::JsonWriter w(body.size() + 128);
  w.value(out);
  answer.body = std::move(w).take();
  // The counts only: the usage object itself is already OpenAI's.
  const auto counts = detail::UpstreamUsage::read(core::get_object(out, "usage"));
  answer.prompt_tokens = counts.prompt;
  answer.completion_tokens = counts.completion;
  answer.total_tokens = counts.total;
  return answer;
}

std::unique_ptr<ChatStreamDecoder> OpenAICompatibleAdapter::chat_stream(
    const json::object& /*request*/, const Target& target) const {
  return std::make_unique<StreamDecoder>(*this, target);
}

Result<json::object> OpenAICompatibleAdapter::embedding_response(std::string_view body,
                                                                 const json::object& request,
                                                                 const Target& target) const {
  auto parsed = detail::parse_answer(body, "data", "embeddings",
                                     {target.provider, exception_name_, target.model}, request);
  if (!parsed) return std::move(parsed).error();
  json::object& out = *parsed;
  if (!out.contains("object")) out.emplace("object", "list");
  if (!out.contains("model")) out.emplace("model", target.model);
  return std::move(out);
}

Error OpenAICompatibleAdapter::map_error(unsigned status, std::string_view body,
                                         const http::ResponseFields& headers,
                                         const Target& target) const {
  return detail::map_http_error(status, body, headers, spec_.name, exception_name_, target.model,
                                core::SystemClock::instance().unix_seconds());
}

const OpenAICompatibleAdapter* find(std::string_view provider) noexcept {
  for (const auto& a : adapters()) {
    if (a.name() == provider) return &a;
  }
  return nullptr;
}

std::span<const std::string_view> provider_names() noexcept {
  return kNames;
}

}  // namespace litellm::providers::openai
