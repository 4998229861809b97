#include "emulator/service.hpp"

#include <array>

#include <boost/json.hpp>

#include "emulator/catalog.hpp"
#include "emulator/embeddings.hpp"
#include "emulator/errors.hpp"
#include "emulator/schema.hpp"
#include "emulator/textgen.hpp"

namespace litellm::emulator {
namespace json = boost::json;

namespace {

void set_error(Reply& reply, ErrorReply e) {
  reply.status = e.status;
  reply.body = std::move(e.body);
  reply.retry_after_s = e.retry_after_s;
  reply.stream.reset();
}

// A parsed body. Small bodies parse into a stack buffer: no heap traffic on the hot path.
struct ParsedBody {
  std::array<unsigned char, 8192> buffer;
  json::monotonic_resource mr{buffer.data(), buffer.size()};
  json::value value;
  std::optional<ErrorReply> error;
};

void parse_body(std::string_view body, ParsedBody& out) {
  if (body.empty()) {
    json::object issue;
    issue["type"] = "missing";
    issue["loc"] = json::array{"body"};
    issue["msg"] = "Field required";
    issue["input"] = nullptr;
    out.error = validation_error(json::array{std::move(issue)});
    return;
  }
  json::parse_options opts;
  opts.max_depth = 64;
  json::stream_parser p(json::storage_ptr(&out.mr), opts);
  boost::system::error_code ec;
  std::size_t used = p.write(body.data(), body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    json::object issue;
    issue["type"] = "json_invalid";
    issue["loc"] = json::array{"body", used};
    issue["msg"] = "JSON decode error";
    issue["input"] = json::object{};
    json::object ctx;
    ctx["error"] = ec.message();
    issue["ctx"] = std::move(ctx);
    out.error = validation_error(json::array{std::move(issue)});
    return;
  }
  out.value = p.release();
}

std::string_view path_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

}  // namespace

Service::Service(EmulatorOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : core::SystemClock::instance()),
      limiter_(options_.rate_limits, clock_) {
  set_global_fault(options_.fault);
}

void Service::set_global_fault(const FaultSpec& fault) {
  std::lock_guard lock(fault_mu_);
  global_fault_ = fault;
  global_fault_uses_.store(0, std::memory_order_relaxed);
  global_fault_active_.store(fault.active(), std::memory_order_release);
}

std::optional<ErrorReply> Service::authorize(std::string_view authorization,
                                             const std::string& id) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return unauthorized(id);
  }
  std::string_view key = authorization.substr(kBearer.size());
  if (options_.api_keys.empty()) return std::nullopt;
  for (const auto& k : options_.api_keys) {
    if (k == key) return std::nullopt;
  }
  return unauthorized(id);
}

Reply Service::handle(const Request& r) {
  Reply reply;
  std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  reply.request_id = hex_id(n ^ 0x6d697374726c0000ULL);
  reply = dispatch(r, std::move(reply));
  // One lock for both: the request's tokens go into the window the headers then report.
  reply.rate = limiter_.charge(reply.query_cost);
  return reply;
}

Reply Service::dispatch(const Request& r, Reply reply) {
  std::string_view path = path_of(r.target);
  enum class Route { chat, fim, embeddings, models, model, none } route = Route::none;
  std::string_view want_method = "POST";
  constexpr std::string_view kModelsPrefix = "/v1/models/";
  if (path == "/v1/chat/completions") {
    route = Route::chat;
  } else if (path == "/v1/fim/completions") {
    route = Route::fim;
  } else if (path == "/v1/embeddings") {
    route = Route::embeddings;
  } else if (path == "/v1/models") {
    route = Route::models;
    want_method = "GET";
  } else if (path.size() > kModelsPrefix.size() &&
             path.substr(0, kModelsPrefix.size()) == kModelsPrefix) {
    route = Route::model;
    want_method = "GET";
  }

  if (route == Route::none) {
    set_error(reply, route_not_found());
    return reply;
  }
  if (auto e = authorize(r.authorization, reply.request_id)) {
    set_error(reply, std::move(*e));
    return reply;
  }
  if (r.method != want_method) {
    set_error(reply, method_not_allowed());
    return reply;
  }

  // Faults: the global spec (limited to its first `times` requests), then the header's.
  FaultSpec fault;
  if (global_fault_active_.load(std::memory_order_acquire)) {
    std::lock_guard lock(fault_mu_);
    bool use = global_fault_.times == 0 ||
               global_fault_uses_.fetch_add(1, std::memory_order_relaxed) < global_fault_.times;
    if (use) fault = global_fault_;
  }
  if (!r.fault.empty()) {
    auto parsed = parse_fault_header(r.fault, fault);
    if (!parsed) {
      set_error(reply, mistral_error(400, parsed.error().message, "invalid_request_error", ""));
      return reply;
    }
    fault = *parsed;
  }
  reply.fault = fault;
  if (fault.status != 0) {
    set_error(reply, server_error(fault.status, fault.retry_after_s));
    return reply;
  }
  if (fault.stall || fault.reset == ResetMode::before) return reply;  // nothing will be sent

  if (auto retry = limiter_.admit()) {
    set_error(reply, rate_limited(*retry));
    return reply;
  }

  switch (route) {
    case Route::chat:
      reply = chat(r, false, std::move(reply));
      break;
    case Route::fim:
      reply = chat(r, true, std::move(reply));
      break;
    case Route::embeddings:
      reply = embed(r, std::move(reply));
      break;
    case Route::models:
      reply.body = Catalog::instance().list_json(clock_.unix_seconds());
      break;
    case Route::model: {
      std::string_view id = path.substr(kModelsPrefix.size());
      const ModelSpec* m = Catalog::instance().find(id);
      if (m == nullptr) {
        set_error(reply, invalid_model(id, 404));
      } else {
        reply.body = json::serialize(Catalog::instance().card(*m, clock_.unix_seconds()));
      }
      break;
    }
    case Route::none:
      break;
  }
  return reply;
}

Reply Service::chat(const Request& r, bool fim, Reply reply) {
  ParsedBody parsed;
  parse_body(r.body, parsed);
  if (parsed.error) {
    set_error(reply, std::move(*parsed.error));
    return reply;
  }
  json::array issues =
      fim ? validate_fim_request(parsed.value) : validate_chat_request(parsed.value);
  if (!issues.empty()) {
    set_error(reply, validation_error(std::move(issues)));
    return reply;
  }
  const auto& req = parsed.value.get_object();
  std::string_view model_id = "codestral-2404";  // FIM's documented default
  if (const auto* m = req.if_contains("model"); m && m->is_string()) model_id = m->get_string();
  const ModelSpec* model = Catalog::instance().find(model_id);
  if (model == nullptr || model->mode != "chat" || (fim && !model->fim)) {
    set_error(reply, invalid_model(model_id));
    return reply;
  }
  GenerateParams p;
  p.created = clock_.unix_seconds();
  p.shape = options_.reasoning_shape;
  if (r.reasoning == "think_tags") p.shape = ReasoningShape::think_tags;
  if (r.reasoning == "chunks") p.shape = ReasoningShape::chunks;
  p.padding = options_.stream_padding;
  CompletionResult result = fim ? fim_completion(req, *model, p) : chat_completion(req, *model, p);
  if (auto* err = std::get_if<ErrorReply>(&result)) {
    set_error(reply, std::move(*err));
    return reply;
  }
  auto& completion = std::get<Completion>(result);
  reply.query_cost = completion.prompt_tokens + completion.completion_tokens;
  bool stream = false;
  if (const auto* s = req.if_contains("stream"); s && s->is_bool()) stream = s->get_bool();
  if (stream) {
    reply.stream = std::make_unique<CompletionStream>(std::move(completion));
  } else {
    reply.body = completion_json(completion);
  }
  return reply;
}

Reply Service::embed(const Request& r, Reply reply) {
  ParsedBody parsed;
  parse_body(r.body, parsed);
  if (parsed.error) {
    set_error(reply, std::move(*parsed.error));
    return reply;
  }
  json::array issues = validate_embedding_request(parsed.value);
  if (!issues.empty()) {
    set_error(reply, validation_error(std::move(issues)));
    return reply;
  }
  const auto& req = parsed.value.get_object();
  std::string_view model_id = req.at("model").get_string();
  const ModelSpec* model = Catalog::instance().find(model_id);
  if (model == nullptr || model->mode != "embedding") {
    set_error(reply, invalid_model(model_id));
    return reply;
  }
  auto result = embeddings(req, *model);
  if (auto* err = std::get_if<ErrorReply>(&result)) {
    set_error(reply, std::move(*err));
    return reply;
  }
  auto& out = std::get<EmbeddingOutcome>(result);
  reply.query_cost = out.prompt_tokens;
  reply.body = std::move(out.body);
  return reply;
}

}  // namespace litellm::emulator
