#include "providers/common.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "core/ascii.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "providers/adapter.hpp"

namespace litellm::providers::detail {
namespace {

// Error texts are scanned for LiteLLM's phrases; a hostile upstream body must not make that
// scan (or the stored message) unbounded.
constexpr std::size_t kMaxMessageBytes = 2000;
constexpr std::size_t kMaxDetailItems = 20;
constexpr int kMaxErrorNesting = 4;
// Retry-After values beyond a week are treated as a week: the router caps waits anyway, and
// this keeps the millisecond arithmetic far from overflow.
constexpr double kMaxRetryAfterMs = 7.0 * 24 * 3600 * 1000;

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Cuts at a UTF-8 character boundary so the message stays valid text.
std::string capped(std::string_view s) {
  if (s.size() <= kMaxMessageBytes) return std::string(s);
  std::size_t n = kMaxMessageBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  std::string out(s.substr(0, n));
  out += "...";
  return out;
}

bool contains(std::string_view hay, std::string_view needle) noexcept {
  return hay.find(needle) != std::string_view::npos;
}

std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return {};
}

// FastAPI/pydantic validation errors: [{"loc":["body","stream_options"],"msg":"Extra inputs are
// not permitted","type":"extra_forbidden"}] -> "body.stream_options: Extra inputs are not
// permitted".
std::string format_detail_list(const json::array& items) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& item : items) {
    if (shown == kMaxDetailItems) {
      out += "; ... (" + std::to_string(items.size() - shown) + " more)";
      break;
    }
    std::string one;
    if (item.is_object()) {
      const auto& o = item.get_object();
      if (const auto* loc = core::get_array(o, "loc")) {
        for (const auto& part : *loc) {
          std::string p = scalar_text(part);
          if (p.empty()) continue;
          if (!one.empty()) one += '.';
          one += p;
        }
      }
      if (auto msg = core::get_string(o, "msg")) {
        if (!one.empty()) one += ": ";
        one += *msg;
      }
    } else if (item.is_string()) {
      one = std::string(item.get_string());
    }
    if (one.empty()) continue;
    if (!out.empty()) out += "; ";
    out += one;
    ++shown;
  }
  return out;
}

ErrorBodyInfo read_error_object_at(const json::object& body, int depth) {
  ErrorBodyInfo info;
  if (depth > kMaxErrorNesting) return info;
  if (const auto* err = core::find(body, "error")) {
    if (err->is_object()) {
      info = read_error_object_at(err->get_object(), depth + 1);
    } else if (err->is_string()) {
      info.message = std::string(err->get_string());
    }
  }
  if (info.message.empty()) {
    if (const auto* m = core::find(body, "message")) {
      if (m->is_string()) {
        info.message = std::string(m->get_string());
      } else if (m->is_object()) {
        info.message = read_error_object_at(m->get_object(), depth + 1).message;
      } else if (m->is_array()) {
        info.message = format_detail_list(m->get_array());
      }
    }
  }
  if (info.message.empty()) {
    if (const auto* d = core::find(body, "detail")) {
      if (d->is_array()) {
        info.message = format_detail_list(d->get_array());
      } else if (d->is_string()) {
        info.message = std::string(d->get_string());
      }
    }
  }
  if (info.type.empty()) {
    if (auto t = core::get_string(body, "type")) info.type = std::string(*t);
  }
  if (info.code.empty()) {
    if (const auto* c = core::find(body, "code")) info.code = scalar_text(*c);
  }
  if (info.param.empty()) {
    if (auto p = core::get_string(body, "param")) info.param = std::string(*p);
  }
  info.message = capped(info.message);
  return info;
}

// LiteLLM's ExceptionCheckers.is_error_str_rate_limit, phrase part: "rate limit" with any run
// of spaces, '_' or '-' between the words, and Mistral's tier-capacity message.
bool is_rate_limit_text(std::string_view lower) noexcept {
  for (std::size_t at = lower.find("rate"); at != std::string_view::npos;
       at = lower.find("rate", at + 1)) {
    std::size_t i = at + 4;
    while (i < lower.size() && (lower[i] == ' ' || lower[i] == '_' || lower[i] == '-'))
      ++i;
    if (lower.substr(i, 5) == "limit") return true;
  }
  return contains(lower, "service tier capacity exceeded");
}

// LiteLLM's is_error_str_context_window_exceeded plus Mistral's own phrasing ("Prompt contains
// N tokens ... too large for model with M maximum context length").
bool is_context_window_text(std::string_view lower) noexcept {
  if (contains(lower, "string_above_max_length")) return false;
  static constexpr std::array<std::string_view, 13> kPhrases{
      "exceed context limit",
      "this model's maximum context length is",
      "string too long. expected a string with maximum length",
      "model's maximum context limit",
      "is longer than the model's context length",
      "input tokens exceed the configured limit",
      "`inputs` tokens + `max_new_tokens` must be",
      "exceeds the available context size",
      "exceeds the maximum number of tokens allowed",
      "too large for model with",
      "maximum context length",
      "context_length_exceeded",
      "prompt is too long",
  };
  for (auto p : kPhrases) {
    if (contains(lower, p)) return true;
  }
  if (contains(lower, "current length is") && contains(lower, "while limit is")) return true;
  return contains(lower, "maximum input length is") && contains(lower, "tokens");
}

bool is_content_policy_text(std::string_view lower) noexcept {
  return contains(lower, "content_policy_violation") ||
         (contains(lower, "invalid prompt") && contains(lower, "violating our usage policy")) ||
         contains(lower, "request was rejected as a result of the safety system");
}

struct Classified {
  ErrorKind kind;
  int status;               // 0: the kind's default
  std::string_view prefix;  // LiteLLM's class prefix in the message
};

// The order follows LiteLLM's exception_type() for OpenAI-compatible providers (Mistral is one):
// phrases first, then the HTTP status.
Classified classify(unsigned status, const ErrorBodyInfo& info, std::string_view lower) {
  if (status == 429 || is_rate_limit_text(lower)) {
    return {ErrorKind::rate_limit, 0, "RateLimitError: "};
  }
  if (is_context_window_text(lower)) {
    return {ErrorKind::context_window_exceeded, 0, "ContextWindowExceededError: "};
  }
  if (is_content_policy_text(lower)) {
    return {ErrorKind::content_policy, 0, "ContentPolicyViolationError: "};
  }
  if (info.code == "model_not_found" || contains(lower, "model_not_found")) {
    return {ErrorKind::not_found, 0, ""};
  }
  if (contains(lower, "a timeout occurred")) return {ErrorKind::timeout, 0, ""};
  switch (status) {
    case 400:
    case 413:
      return {ErrorKind::bad_request, 0, ""};
    // LiteLLM raises BadRequestError (400) for a 422: the client sent something the upstream
    // refused, and that is what OpenAI clients expect to see.
    case 422:
      return {ErrorKind::bad_request, 0, ""};
    case 401:
      return {ErrorKind::authentication, 0, "AuthenticationError: "};
    case 403:
      return {ErrorKind::permission_denied, 0, "PermissionDeniedError: "};
    case 404:
      return {ErrorKind::not_found, 0, "NotFoundError: "};
    case 408:
      return {ErrorKind::timeout, 0, "Timeout Error: "};
    case 409:
      return {ErrorKind::conflict, 0, "APIError: "};
    case 500:
      return {ErrorKind::internal_server, 0, "InternalServerError: "};
    case 502:
      return {ErrorKind::bad_gateway, 0, "BadGatewayError: "};
    case 503:
      return {ErrorKind::service_unavailable, 0, "ServiceUnavailableError: "};
    case 504:
      return {ErrorKind::timeout, 0, "Timeout Error: "};
    default:
      return {ErrorKind::api_error, static_cast<int>(status), "APIError: "};
  }
}

Error build_error(unsigned status, const ErrorBodyInfo& info, std::string message_text,
                  std::string_view provider, std::string_view exception_name,
                  std::string_view model) {
  const std::string lower =
      core::ascii_lower(std::string_view(message_text).substr(0, 4 * kMaxMessageBytes));
  Classified c = classify(status, info, lower);
  Error e;
  e.kind = c.kind;
  e.status = c.status;
  e.message.reserve(c.prefix.size() + exception_name.size() + 3 + message_text.size());
  e.message.append(c.prefix).append(exception_name).append(" - ").append(message_text);
  e.provider = std::string(provider);
  e.model = std::string(model);
  e.code = info.code.empty() ? info.type : info.code;
  e.param = info.param;
  return e;
}

// ---- HTTP-date ----------------------------------------------------------------------------

int month_index(std::string_view m) noexcept {
  static constexpr std::array<std::string_view, 12> kMonths{
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (m.size() < 3) return -1;
  std::array<char, 3> l{};
  for (std::size_t i = 0; i < 3; ++i) {
    char c = m[i];
    l[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (std::string_view(l.data(), 3) == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return -1;
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool parse_uint(std::string_view s, int& out) noexcept {
  if (s.empty() || s.size() > 4) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Accepts the three HTTP-date forms of RFC 9110 by their parts: a month name, a hh:mm:ss time
// and two numbers (day first, then year) in any of the forms' orders.
std::optional<std::int64_t> parse_http_date(std::string_view s) noexcept {
  int month = -1;
  int numbers[2] = {-1, -1};
  int nnum = 0;
  int hh = -1;
  int mm = -1;
  int ss = -1;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-'))
      ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '-')
      ++j;
    std::string_view tok = s.substr(i, j - i);
    i = j;
    if (tok.empty()) continue;
    if (tok.find(':') != std::string_view::npos) {
      if (tok.size() != 8 || tok[2] != ':' || tok[5] != ':') return std::nullopt;
      if (!parse_uint(tok.substr(0, 2), hh) || !parse_uint(tok.substr(3, 2), mm) ||
          !parse_uint(tok.substr(6, 2), ss)) {
        return std::nullopt;
      }
    } else if (tok[0] >= '0' && tok[0] <= '9') {
      if (nnum == 2 || !parse_uint(tok, numbers[nnum])) return std::nullopt;
      ++nnum;
    } else if (int m = month_index(tok); m > 0 && tok.size() == 3) {
      month = m;
    }
    // Day names and "GMT" are skipped.
  }
  if (month < 0 || nnum != 2 || hh < 0) return std::nullopt;
  int day = numbers[0];
  int year = numbers[1];
  if (year < 100) year += year < 70 ? 2000 : 1900;
  if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hh * 3600 + mm * 60 + ss;
}

std::optional<double> parse_seconds(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::chrono::milliseconds clamp_ms(double ms) noexcept {
  if (!(ms > 0)) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(ms, kMaxRetryAfterMs)));
}

}  // namespace

std::string python_list(std::span<const std::string_view> names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += '\'';
    out += names[i];
    out += '\'';
  }
  out += ']';
  return out;
}

Error unsupported_params(std::string_view provider, std::span<const std::string_view> names,
                         std::string_view model) {
  std::string msg;
  msg.reserve(200);
  msg.append(provider)
      .append(" does not support parameters: ")
      .append(python_list(names))
      .append(", for model=")
      .append(model)
      .append(
          ". To drop these, set `litellm.drop_params=True` or for proxy: `litellm_settings: "
          "drop_params: true`");
  Error e = Error::make(ErrorKind::unsupported_params, std::move(msg));
  e.provider = std::string(provider);
  e.model = std::string(model);
  if (!names.empty()) e.param = std::string(names.front());
  return e;
}

Error invalid_type(std::string_view param, std::string_view expected, const json::value& got) {
  std::string msg = "Invalid type for '";
  msg.append(param)
      .append("': expected ")
      .append(expected)
      .append(", but got ")
      .append(core::json_type_name(got))
      .append(" instead.");
  Error e = Error::make(ErrorKind::bad_request, std::move(msg));
  e.param = std::string(param);
  e.code = "invalid_type";
  return e;
}

Error invalid_value(std::string_view param, std::string message) {
  Error e = Error::make(ErrorKind::bad_request, std::move(message));
  e.param = std::string(param);
  e.code = "invalid_value";
  return e;
}

bool is_litellm_internal_param(std::string_view key) noexcept {
  // Sorted, for binary search. Keys LiteLLM's SDK and proxy consume themselves.
  static constexpr std::array<std::string_view, 31> kInternal{
      "additional_drop_params",
      "allowed_openai_params",
      "api_base",
      "api_key",
      "api_version",
      "base_url",
      "cache",
      "caching",
      "context_window_fallback_dict",
      "custom_llm_provider",
      "drop_params",
      "extra_headers",
      "fallbacks",
      "input_cost_per_token",
      "litellm_call_id",
      "litellm_logging_obj",
      "litellm_metadata",
      "litellm_session_id",
      "litellm_trace_id",
      "max_retries",
      "metadata",
      "mock_response",
      "mock_timeout",
      "mock_tool_calls",
      "model_info",
      "no-log",
      "num_retries",
      "output_cost_per_token",
      "proxy_server_request",
      "request_timeout",
      "timeout",
  };
  return std::binary_search(kInternal.begin(), kInternal.end(), key);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::int64_t now_unix) noexcept {
  value = trim(value);
  if (auto secs = parse_seconds(value)) return clamp_ms(*secs * 1000.0);
  if (auto when = parse_http_date(value)) {
    return clamp_ms(static_cast<double>(*when - now_unix) * 1000.0);
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> retry_after_from(const http::ResponseFields& headers,
                                                          std::int64_t now_unix) {
  if (auto v = headers.find("retry-after-ms")) {
    if (auto ms = parse_seconds(trim(*v))) return clamp_ms(*ms);
  }
  if (auto v = headers.find("retry-after")) return parse_retry_after(*v, now_unix);
  return std::nullopt;
}

ErrorBodyInfo read_error_object(const json::object& body) {
  return read_error_object_at(body, 0);
}

ErrorBodyInfo read_error_body(std::string_view body) {
  auto parsed = core::parse_json(body);
  if (parsed && parsed->is_object()) return read_error_object(parsed->get_object());
  ErrorBodyInfo info;
  if (parsed && parsed->is_string()) {
    info.message = capped(parsed->get_string());
  } else {
    info.message = capped(trim(body));
  }
  return info;
}

Error map_http_error(unsigned status, std::string_view body, const http::ResponseFields& headers,
                     std::string_view provider, std::string_view exception_name,
                     std::string_view model, std::int64_t now_unix) {
  ErrorBodyInfo info = read_error_body(body);
  std::string text = info.message;
  if (text.empty()) text = capped(trim(body));
  if (text.empty()) text = "HTTP " + std::to_string(status) + " with an empty body";
  Error e = build_error(status, info, std::move(text), provider, exception_name, model);
  e.body = std::string(body);
  e.retry_after = retry_after_from(headers, now_unix);
  return e;
}

Error map_stream_error(const json::object& event, std::string_view provider,
                       std::string_view exception_name, std::string_view model) {
  ErrorBodyInfo info = read_error_object(event);
  unsigned status = 500;
  std::int64_t code = 0;
  if (auto c = core::get_int(event, "code")) {
    code = *c;
  } else if (const auto* err = core::get_object(event, "error")) {
    code = core::get_int(*err, "code").value_or(0);
  }
  if (code == 0 && !info.code.empty()) {
    std::from_chars(info.code.data(), info.code.data() + info.code.size(), code);
  }
  if (code >= 400 && code <= 599) status = static_cast<unsigned>(code);
  std::string text = info.message.empty() ? capped(json::serialize(event)) : info.message;
  Error e = build_error(status, info, std::move(text), provider, exception_name, model);
  e.body = json::serialize(event);
  return e;
}

Error bad_answer(const Origin& origin, std::string_view what, std::string_view body) {
  Error e = Error::make(ErrorKind::api_error,
                        std::string(origin.exception_name) + " - " + std::string(what));
  e.status = 500;
  e.provider = std::string(origin.provider);
  e.model = std::string(origin.model);
  e.body = std::string(body);
  return e;
}

json::storage_ptr answer_storage(const json::object& request, std::size_t text_size) {
  const json::storage_ptr& rs = request.storage();
  return rs.is_not_shared_and_deallocate_is_trivial() ? rs : core::document_storage(text_size);
}

Result<json::object> parse_answer(std::string_view body, std::string_view list_key,
                                  std::string_view kind, const Origin& origin,
                                  const json::object& request) {
  auto parsed = core::parse_json_object(body, 64, answer_storage(request, body.size()));
  if (!parsed) {
    return bad_answer(
        origin, "invalid JSON in the " + std::string(kind) + " response: " + parsed.error().message,
        body);
  }
  const json::object& o = *parsed;
  const bool has_list = core::get_array(o, list_key) != nullptr;
  const bool says_error =
      core::get_string(o, "object") == std::optional<std::string_view>("error") ||
      (!has_list && (core::find(o, "error") != nullptr || core::find(o, "message") != nullptr ||
                     core::find(o, "detail") != nullptr));
  if (says_error) {
    Error e = map_stream_error(o, origin.provider, origin.exception_name, origin.model);
    e.body = std::string(body);
    return e;
  }
  if (!has_list) {
    return bad_answer(
        origin, "the " + std::string(kind) + " response has no " + std::string(list_key), body);
  }
  return parsed;
}

UpstreamUsage UpstreamUsage::read(const json::object* upstream) noexcept {
  UpstreamUsage u;
  if (upstream == nullptr) return u;
  u.prompt = core::get_int(*upstream, "prompt_tokens").value_or(0);
  u.completion = core::get_int(*upstream, "completion_tokens").value_or(0);
  u.total = core::get_int(*upstream, "total_tokens").value_or(u.prompt + u.completion);
  u.prompt_details = core::get_object(*upstream, "prompt_tokens_details");
  // Mistral's legacy spelling of the cached-token count.
  if (u.prompt_details == nullptr) u.cached = core::get_int(*upstream, "num_cached_tokens");
  u.completion_details = core::get_object(*upstream, "completion_tokens_details");
  return u;
}

json::object openai_usage(const json::object& upstream, json::storage_ptr sp) {
  const UpstreamUsage in = UpstreamUsage::read(&upstream);
  json::object u(std::move(sp));
  u.reserve(5);
  u.emplace("prompt_tokens", in.prompt);
  u.emplace("completion_tokens", in.completion);
  u.emplace("total_tokens", in.total);
  if (in.prompt_details != nullptr) {
    u.emplace("prompt_tokens_details", *in.prompt_details);
  } else if (in.cached) {
    u.emplace("prompt_tokens_details", json::object{{"cached_tokens", *in.cached}});
  }
  if (in.completion_details != nullptr) {
    u.emplace("completion_tokens_details", *in.completion_details);
  }
  return u;
}

void write_openai_usage(core::JsonWriter& w, const UsageText& u) {
  w.begin_object();
  w.key("prompt_tokens");
  w.int64(u.prompt);
  w.key("completion_tokens");
  w.int64(u.completion);
  w.key("total_tokens");
  w.int64(u.total);
  if (!u.prompt_details.empty()) {
    w.key("prompt_tokens_details");
    w.raw(u.prompt_details);
  } else if (u.cached) {
    w.key("prompt_tokens_details");
    w.begin_object();
    w.key("cached_tokens");
    w.int64(*u.cached);
    w.end_object();
  }
  if (!u.completion_details.empty()) {
    w.key("completion_tokens_details");
    w.raw(u.completion_details);
  }
  w.end_object();
}

UpstreamUsage write_openai_usage(core::JsonWriter& w, const json::object* upstream) {
  const UpstreamUsage in = UpstreamUsage::read(upstream);
  auto text_of = [](const json::object* o) {
    if (o == nullptr) return std::string();
    core::JsonWriter d(64);
    d.value(*o);
    return std::move(d).take();
  };
  const std::string prompt_details = text_of(in.prompt_details);
  const std::string completion_details = text_of(in.completion_details);
  write_openai_usage(w, UsageText{in.prompt, in.completion, in.total, in.cached, prompt_details,
                                  completion_details});
  return in;
}

std::string_view arguments_text(const json::value* args, std::string& scratch) {
  if (args == nullptr || args->is_null()) return "{}";
  if (args->is_string()) return args->get_string();
  scratch = json::serialize(*args);
  return scratch;
}

void emplace_arguments(json::object& fn, const json::value* args) {
  std::string scratch;
  fn["arguments"] = arguments_text(args, scratch);
}

void base64_append(std::string& out, const unsigned char* data, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.reserve(out.size() + (n + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) |
                            std::uint32_t{data[i + 2]};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == n) {
    const std::uint32_t v = std::uint32_t{data[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == n) {
    const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  std::string out;
  out.reserve(base.size() + path.size());
  out.append(base).append(path);
  return out;
}

}  // namespace litellm::providers::detail

namespace litellm::providers {

namespace json = boost::json;

Result<json::object> read_chat_answer(std::string_view text, json::storage_ptr sp) {
  auto parsed = core::parse_json_object(text, 64, std::move(sp));
  if (!parsed) {
    return Error::make(ErrorKind::api_error,
                       "the converted chat answer did not parse: " + parsed.error().message);
  }
  return parsed;
}

Result<json::object> ProviderAdapter::chat_response(std::string_view body,
                                                    const json::object& request,
                                                    const Target& target) const {
  auto answer = chat_answer(body, request, target);
  if (!answer) return std::move(answer).error();
  return read_chat_answer(answer->body, detail::answer_storage(request, answer->body.size()));
}

}  // namespace litellm::providers
