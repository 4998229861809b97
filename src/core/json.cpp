#include "core/json.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace litellm::core {

Result<json::value> parse_json(std::string_view text, std::size_t max_depth, json::storage_ptr sp) {
  // A parser owns a sizeable internal stack; building one per call cost more than parsing a
  // typical request body. Each thread keeps one per depth limit in use (in practice one).
  struct Cached {
    Cached(std::size_t d, const json::parse_options& o) : depth(d), parser({}, o) {}
    std::size_t depth;
    json::parser parser;
  };
  thread_local std::vector<std::unique_ptr<Cached>> cache;
  json::parser* p = nullptr;
  for (auto& c : cache) {
    if (c->depth == max_depth) p = &c->parser;
  }
  if (p == nullptr) {
    json::parse_options opts;
    opts.max_depth = max_depth;
    cache.push_back(std::make_unique<Cached>(max_depth, opts));
    p = &cache.back()->parser;
  }
  p->reset(std::move(sp));
  boost::system::error_code ec;
  p->write(text.data(), text.size(), ec);
  if (ec) {
    Error e = Error::make(ErrorKind::bad_request, "Invalid JSON in request body: " + ec.message());
    e.code = "invalid_json";
    return e;
  }
  return p->release();
}

Result<json::object> parse_json_object(std::string_view text, std::size_t max_depth,
                                       json::storage_ptr sp) {
  auto v = parse_json(text, max_depth, std::move(sp));
  if (!v) return std::move(v).error();
  if (!v->is_object()) {
    Error e = Error::make(
        ErrorKind::bad_request,
        std::string("Request body must be a JSON object, got ") + std::string(json_type_name(*v)));
    e.code = "invalid_json";
    return e;
  }
  return std::move(v->get_object());
}

json::storage_ptr document_storage(std::size_t text_size) {
  // The parsed form of a small chat body takes about twice its text; larger blocks follow
  // geometrically when that guess is short.
  const std::size_t first = std::clamp<std::size_t>(text_size * 2, 1024, std::size_t{1} << 20);
  return json::make_shared_resource<json::monotonic_resource>(first);
}

std::string_view json_type_name(const json::value& v) noexcept {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

std::optional<std::int64_t> get_int(const json::object& o, std::string_view key) noexcept {
  const json::value* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    auto u = v->get_uint64();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v->is_double()) {
    double d = v->get_double();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<double> get_number(const json::object& o, std::string_view key) noexcept {
  const json::value* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

}  // namespace litellm::core
