// Small helpers over Boost.JSON, the project's one JSON library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "litellm/result.hpp"

namespace litellm::core {

namespace json = boost::json;

/// Parses untrusted JSON text. Depth is limited (64) so hostile nesting cannot exhaust the stack;
/// any syntax error is a bad_request Error whose message says where it failed. The result's
/// memory comes from `sp` (the default heap when null).
Result<json::value> parse_json(std::string_view text, std::size_t max_depth = 64,
                               json::storage_ptr sp = {});

/// Like parse_json, but the top level must be an object.
Result<json::object> parse_json_object(std::string_view text, std::size_t max_depth = 64,
                                       json::storage_ptr sp = {});

/// Storage for a document that is parsed, read and dropped as a whole (a request or response
/// body on the hot path): one reference-counted bump allocator sized from the text, so a parse
/// costs two heap allocations instead of one per key, string, object and array (Boost.JSON
/// allocates every object key separately). Values keep the storage alive; nothing is freed
/// until the last of them goes, so use it only for documents whose lifetime is one call.
json::storage_ptr document_storage(std::size_t text_size);

/// "string", "number", "integer", "boolean", "object", "array" or "null", for error messages.
std::string_view json_type_name(const json::value& v) noexcept;

/// Member lookup that tolerates absence: nullptr when missing.
inline const json::value* find(const json::object& o, std::string_view key) noexcept {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}
inline json::value* find(json::object& o, std::string_view key) noexcept {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

/// The string at `key`, or nullopt when missing or not a string.
inline std::optional<std::string_view> get_string(const json::object& o,
                                                  std::string_view key) noexcept {
  if (auto* v = find(o, key); v != nullptr && v->is_string())
    return std::string_view(v->get_string());
  return std::nullopt;
}

/// The boolean at `key`, or nullopt when missing or not a boolean.
inline std::optional<bool> get_bool(const json::object& o, std::string_view key) noexcept {
  if (auto* v = find(o, key); v != nullptr && v->is_bool()) return v->get_bool();
  return std::nullopt;
}

/// The integer at `key` (an integral double such as 3.0 counts), or nullopt.
std::optional<std::int64_t> get_int(const json::object& o, std::string_view key) noexcept;

/// The number at `key` as a double, or nullopt when missing or not a number.
std::optional<double> get_number(const json::object& o, std::string_view key) noexcept;

/// The object at `key`, or nullptr when missing or not an object.
inline const json::object* get_object(const json::object& o, std::string_view key) noexcept {
  if (auto* v = find(o, key); v != nullptr && v->is_object()) return &v->get_object();
  return nullptr;
}

/// The array at `key`, or nullptr when missing or not an array.
inline const json::array* get_array(const json::object& o, std::string_view key) noexcept {
  if (auto* v = find(o, key); v != nullptr && v->is_array()) return &v->get_array();
  return nullptr;
}

}  // namespace litellm::core
