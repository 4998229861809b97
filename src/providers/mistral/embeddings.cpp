// OpenAI embeddings request <-> Mistral's /v1/embeddings. Mistral is always asked for floats;
// base64 (what the OpenAI SDKs request by default) is encoded here.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/json.hpp"
#include "providers/common.hpp"
#include "providers/mistral/internal.hpp"
#include "providers/mistral/mistral.hpp"

namespace litellm::providers::mistral {
namespace {

namespace json = boost::json;

bool wants_base64(const json::object& request) {
  return core::get_string(request, "encoding_format") == std::optional<std::string_view>("base64");
}

// Little-endian float32, as OpenAI's base64 embeddings are (numpy.frombuffer(..., "float32")).
json::string float32_base64(const json::array& values) {
  std::string bytes;
  bytes.resize(values.size() * 4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    const double d = v.is_double()  ? v.get_double()
                     : v.is_int64() ? static_cast<double>(v.get_int64())
                                    : static_cast<double>(v.get_uint64());
    const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(d));
    bytes[4 * i] = static_cast<char>(bits & 0xFF);
    bytes[4 * i + 1] = static_cast<char>((bits >> 8) & 0xFF);
    bytes[4 * i + 2] = static_cast<char>((bits >> 16) & 0xFF);
    bytes[4 * i + 3] = static_cast<char>((bits >> 24) & 0xFF);
  }
  std::string out;
  detail::base64_append(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return json::string(out);
}

}  // namespace

Result<UpstreamRequest> MistralAdapter::embedding_request(const json::object& request,
                                                          const Target& target) const {
  std::vector<std::string_view> unsupported;
  const json::value* input = nullptr;
  json::object body;
  body.reserve(4);
  body.emplace("model", target.model);
  for (const auto& kv : request) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "model" || key == "user" || detail::is_litellm_internal_param(key) || v.is_null()) {
      continue;  // user/metadata: LiteLLM proxy bookkeeping; null: not set
    }
    if (key == "input") {
      input = &v;
    } else if (key == "encoding_format") {
      if (!v.is_string()) return detail::invalid_type("encoding_format", "a string", v);
      if (v.get_string() != "float" && v.get_string() != "base64") {
        return detail::invalid_value("encoding_format", "Invalid value for 'encoding_format': '" +
                                                            std::string(v.get_string()) +
                                                            "' (expected float or base64).");
      }
    } else if (key == "dimensions" || key == "output_dimension") {
      if (!v.is_int64() && !v.is_uint64()) return detail::invalid_type(key, "an integer", v);
      // Only some models (codestral-embed) take output_dimension; for the rest it is an
      // unsupported parameter, as LiteLLM reports `dimensions` for Mistral.
      if (key == "dimensions" && !(target.info && target.info->supports_embedding_dimensions)) {
        unsupported.push_back(key);
        continue;
      }
      body["output_dimension"] = v;
    } else if (key == "output_dtype") {
      if (!v.is_string()) return detail::invalid_type("output_dtype", "a string", v);
      body.emplace("output_dtype", v);
    } else {
      unsupported.push_back(key);
    }
  }
  if (!unsupported.empty() && !target.drop_params) {
    return detail::unsupported_params(internal::kProvider, unsupported, target.model);
  }
  if (input == nullptr) {
    Error e = Error::make(ErrorKind::bad_request, "Missing required parameter: 'input'.");
    e.param = "input";
    return e;
  }
  if (input->is_array()) {
    for (const auto& item : input->get_array()) {
      if (!item.is_string()) {
        // Token arrays are OpenAI-only: Mistral's EmbeddingRequest takes text.
        return detail::invalid_value("input",
                                     "mistral embeddings take text input only (a string or a list "
                                     "of strings); token arrays are not supported.");
      }
    }
  } else if (!input->is_string()) {
    return detail::invalid_type("input", "a string or an array of strings", *input);
  }
  body.emplace("input", *input);

  UpstreamRequest up;
  up.url = detail::join_url(normalize_api_base(target.api_base), "/embeddings");
  up.headers = internal::request_headers(target, false);
  up.body = json::serialize(body);
  return up;
}

Result<json::object> MistralAdapter::embedding_response(std::string_view body,
                                                        const json::object& request,
                                                        const Target& target) const {
  const detail::Origin origin{internal::kProvider, internal::kExceptionName, target.model};
  auto parsed = detail::parse_answer(body, "data", "embeddings", origin, request);
  if (!parsed) return std::move(parsed).error();
  json::object& in = *parsed;
  json::value* data = core::find(in, "data");
  const bool base64 = wants_base64(request);
  json::array items;
  items.reserve(data->get_array().size());
  std::int64_t position = 0;
  for (auto& d : data->get_array()) {
    if (!d.is_object()) continue;
    auto& o = d.get_object();
    json::value* emb = core::find(o, "embedding");
    if (emb == nullptr || !emb->is_array()) {
      return detail::bad_answer(origin, "an embedding is not a list of numbers", body);
    }
    for (const auto& x : emb->get_array()) {
      if (!x.is_number())
        return detail::bad_answer(origin, "an embedding is not a list of numbers", body);
    }
    json::object item;
    item.reserve(3);
    item.emplace("object", "embedding");
    item.emplace("index", core::get_int(o, "index").value_or(position));
    if (base64) {
      item.emplace("embedding", float32_base64(emb->get_array()));
    } else {
      item.emplace("embedding", std::move(*emb));
    }
    items.emplace_back(std::move(item));
    ++position;
  }
  json::object out;
  out.reserve(4);
  out.emplace("object", "list");
  out.emplace("data", std::move(items));
  out.emplace("model", core::get_string(in, "model").value_or(target.model));
  const json::object* u = core::get_object(in, "usage");
  const std::int64_t prompt = u != nullptr ? core::get_int(*u, "prompt_tokens").value_or(0) : 0;
  const std::int64_t total = u != nullptr ? core::get_int(*u, "total_tokens").value_or(prompt) : 0;
  out.emplace("usage", json::object{{"prompt_tokens", prompt}, {"total_tokens", total}});
  return out;
}

}  // namespace litellm::providers::mistral
