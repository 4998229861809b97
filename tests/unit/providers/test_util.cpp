#include "test_util.hpp"

#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "core/json.hpp"

namespace litellm::providers::testing {

std::filesystem::path fixtures_dir() {
  return std::filesystem::path(LITELLM_FIXTURES_DIR) / "providers";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

json::value read_json(const std::filesystem::path& p) {
  return json::parse(read_file(p));
}

json::object parse_object(std::string_view text) {
  return json::parse(text).as_object();
}

std::string_view kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::bad_request:
      return "bad_request";
    case ErrorKind::unsupported_params:
      return "unsupported_params";
    case ErrorKind::context_window_exceeded:
      return "context_window_exceeded";
    case ErrorKind::content_policy:
      return "content_policy";
    case ErrorKind::authentication:
      return "authentication";
    case ErrorKind::permission_denied:
      return "permission_denied";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::unprocessable_entity:
      return "unprocessable_entity";
    case ErrorKind::rate_limit:
      return "rate_limit";
    case ErrorKind::internal_server:
      return "internal_server";
    case ErrorKind::bad_gateway:
      return "bad_gateway";
    case ErrorKind::service_unavailable:
      return "service_unavailable";
    case ErrorKind::api_connection:
      return "api_connection";
    case ErrorKind::api_error:
      return "api_error";
  }
  return "?";
}

Target mistral_target(const json::object* spec) {
  Target t;
  t.provider = "mistral";
  t.model = "mistral-small-latest";
  t.api_base = "https://api.mistral.ai/v1";
  t.api_key = "test-key";
  if (spec != nullptr) {
    if (auto v = core::get_string(*spec, "model")) t.model = std::string(*v);
    if (auto v = core::get_string(*spec, "api_base")) t.api_base = std::string(*v);
    if (auto v = core::get_string(*spec, "api_key")) t.api_key = std::string(*v);
    if (auto v = core::get_bool(*spec, "drop_params")) t.drop_params = *v;
    if (auto v = core::get_string(*spec, "reasoning_prompt")) t.reasoning_prompt = std::string(*v);
    if (auto v = core::get_string(*spec, "reasoning")) {
      if (*v == "automatic") t.reasoning = ReasoningMode::automatic;
      if (*v == "prompt") t.reasoning = ReasoningMode::prompt;
      if (*v == "prompt_mode") t.reasoning = ReasoningMode::prompt_mode;
      if (*v == "passthrough") t.reasoning = ReasoningMode::passthrough;
      if (*v == "drop") t.reasoning = ReasoningMode::drop;
    }
  }
  t.info = model_info("mistral/" + t.model);
  return t;
}

std::string error_mismatch(const Error& e, const json::object& expected) {
  std::ostringstream out;
  auto check = [&](std::string_view field, std::string_view want, std::string_view got) {
    if (want != got) out << field << ": want [" << want << "] got [" << got << "]\n";
  };
  if (auto v = core::get_string(expected, "kind")) check("kind", *v, kind_name(e.kind));
  if (auto v = core::get_int(expected, "status")) {
    check("status", std::to_string(*v), std::to_string(e.http_status()));
  }
  if (auto v = core::get_string(expected, "message")) check("message", *v, e.message);
  if (auto v = core::get_string(expected, "message_contains")) {
    if (e.message.find(*v) == std::string::npos) {
      out << "message: [" << e.message << "] lacks [" << *v << "]\n";
    }
  }
  if (auto v = core::get_string(expected, "param")) check("param", *v, e.param);
  if (auto v = core::get_string(expected, "code")) check("code", *v, e.code);
  if (auto v = core::get_string(expected, "provider")) check("provider", *v, e.provider);
  if (auto v = core::get_string(expected, "model")) check("model", *v, e.model);
  if (auto v = core::get_int(expected, "retry_after_ms")) {
    check("retry_after_ms", std::to_string(*v),
          e.retry_after ? std::to_string(e.retry_after->count()) : std::string("none"));
  }
  return out.str();
}

StreamOutcome run_stream(const ProviderAdapter& adapter, const json::object& request,
                         const Target& target, std::string_view bytes, Split split,
                         std::uint64_t seed) {
  StreamOutcome r;
  auto decoder = adapter.chat_stream(request, target);
  std::vector<std::string> texts;
  // Each chunk's text must read back as one JSON object.
  const auto read_back = [&] {
    for (const auto& t : texts)
      r.chunks.push_back(json::parse(t).as_object());
  };
  std::mt19937_64 rng(seed);
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::size_t n = bytes.size() - at;
    if (split == Split::one_byte) n = 1;
    if (split == Split::random) n = std::min<std::size_t>(n, 1 + rng() % 17);
    if (auto fed = decoder->feed(bytes.substr(at, n), texts); !fed) {
      r.ok = false;
      r.error = fed.error();
      read_back();
      return r;
    }
    at += n;
  }
  if (auto fin = decoder->finish(texts); !fin) {
    r.ok = false;
    r.error = fin.error();
  }
  read_back();
  if (const auto* u = decoder->usage()) r.usage = *u;
  return r;
}

std::string pretty(const json::value& v) {
  return json::serialize(v);
}

}  // namespace litellm::providers::testing
