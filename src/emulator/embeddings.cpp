#include "emulator/embeddings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

#include <boost/json.hpp>

#include "emulator/textgen.hpp"
#include "emulator/tokens.hpp"

namespace litellm::emulator {
namespace json = boost::json;

namespace {

void add_feature(std::vector<float>& v, std::string_view feature, float weight) {
  std::uint64_t h = hash_text(feature);
  std::size_t dim = static_cast<std::size_t>(h % v.size());
  float sign = ((h >> 63) & 1U) != 0 ? -1.0F : 1.0F;
  v[dim] += sign * weight;
}

std::string base64(const unsigned char* data, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    std::uint32_t chunk = static_cast<std::uint32_t>(data[i]) << 16;
    if (i + 1 < n) chunk |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (i + 2 < n) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < n ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < n ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace

std::vector<float> embed_text(std::string_view text, std::size_t dims) {
  std::vector<float> v(std::max<std::size_t>(dims, 1), 0.0F);
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Words weigh more than trigrams: sharing a word says more than sharing a spelling.
  std::size_t start = std::string::npos;
  for (std::size_t i = 0; i <= lower.size(); ++i) {
    bool alnum = i < lower.size() && std::isalnum(static_cast<unsigned char>(lower[i]));
    if (alnum && start == std::string::npos) start = i;
    if (!alnum && start != std::string::npos) {
      add_feature(v, std::string("w:") + lower.substr(start, i - start), 2.0F);
      start = std::string::npos;
    }
  }
  std::string padded = " " + lower + " ";
  for (std::size_t i = 0; i + 3 <= padded.size(); ++i) {
    add_feature(v, std::string_view(padded).substr(i, 3), 1.0F);
  }
  // A small text-specific component keeps unrelated texts apart and empty text non-zero.
  Rng64 rng(hash_text(text, 0x5bd1e995ULL));
  for (auto& x : v)
    x += static_cast<float>((rng.uniform() - 0.5) * 0.02);
  double norm = 0;
  for (float x : v)
    norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  for (auto& x : v)
    x = static_cast<float>(x / norm);
  return v;
}

std::variant<EmbeddingOutcome, ErrorReply> embeddings(const json::object& request,
                                                      const ModelSpec& model) {
  std::vector<std::string_view> inputs;
  const auto& input = request.at("input");
  if (input.is_string()) {
    inputs.emplace_back(input.get_string());
  } else {
    for (const auto& x : input.get_array())
      inputs.emplace_back(x.get_string());
  }
  if (inputs.empty()) return invalid_request("Input must not be empty");

  std::size_t dims = static_cast<std::size_t>(model.vector_size);
  if (const auto* od = request.if_contains("output_dimension"); od && od->is_number()) {
    auto want = clamped_int(*od, 0, INT64_MAX);
    if (!model.embedding_dimensions) {
      return invalid_request("Model " + model.id + " does not support output_dimension");
    }
    if (want > model.max_vector_size) {
      return invalid_request("output_dimension must be at most " +
                             std::to_string(model.max_vector_size) + " for model " + model.id);
    }
    dims = static_cast<std::size_t>(want);
  }
  std::string_view dtype = "float";
  if (const auto* d = request.if_contains("output_dtype"); d && d->is_string())
    dtype = d->get_string();
  bool b64 = false;
  if (const auto* e = request.if_contains("encoding_format"); e && e->is_string()) {
    b64 = e->get_string() == "base64";
  }
  bool packed = dtype == "binary" || dtype == "ubinary";
  if (packed && dims % 8 != 0) {
    return invalid_request("output_dimension must be a multiple of 8 for binary output_dtype");
  }

  std::int64_t prompt = 0;
  for (auto text : inputs) {
    std::int64_t t = text_tokens(text);
    if (t > model.context_window) return context_length_exceeded(t, model.context_window);
    prompt += t;
  }

  std::uint64_t seed = hash_json(input, hash_text(model.id));
  json::array data;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::vector<float> v = embed_text(inputs[i], dims);
    json::object item;
    item["object"] = "embedding";
    if (dtype == "float") {
      if (b64) {
        std::vector<unsigned char> bytes(v.size() * 4);
        std::memcpy(bytes.data(), v.data(), bytes.size());  // little-endian float32, as numpy
        item["embedding"] = base64(bytes.data(), bytes.size());
      } else {
        json::array arr;
        arr.reserve(v.size());
        for (float x : v)
          arr.emplace_back(static_cast<double>(x));
        item["embedding"] = std::move(arr);
      }
    } else {
      // Quantized forms: int8 in [-128,127], uint8 in [0,255], binary/ubinary one bit per
      // dimension (sign), packed 8 per value.
      std::vector<int> q;
      if (packed) {
        for (std::size_t j = 0; j < v.size(); j += 8) {
          int byte = 0;
          for (std::size_t k = 0; k < 8; ++k)
            byte = (byte << 1) | (v[j + k] > 0 ? 1 : 0);
          q.push_back(dtype == "binary" ? byte - 128 : byte);
        }
      } else {
        for (float x : v) {
          double scaled = dtype == "int8" ? std::round(x * 127.0) : std::round((x + 1.0) * 127.5);
          q.push_back(static_cast<int>(dtype == "int8" ? std::clamp(scaled, -128.0, 127.0)
                                                       : std::clamp(scaled, 0.0, 255.0)));
        }
      }
      if (b64) {
        std::vector<unsigned char> bytes;
        bytes.reserve(q.size());
        for (int x : q)
          bytes.push_back(static_cast<unsigned char>(x & 0xFF));
        item["embedding"] = base64(bytes.data(), bytes.size());
      } else {
        json::array arr;
        for (int x : q)
          arr.emplace_back(x);
        item["embedding"] = std::move(arr);
      }
    }
    item["index"] = i;
    data.emplace_back(std::move(item));
  }
  json::object usage;
  usage["prompt_tokens"] = prompt;
  usage["completion_tokens"] = 0;
  usage["total_tokens"] = prompt;
  usage["request_count"] = inputs.size();
  json::object details;
  details["cached_tokens"] = 0;
  usage["prompt_token_details"] = std::move(details);

  json::object o;
  o["id"] = hex_id(seed);
  o["object"] = "list";
  o["data"] = std::move(data);
  o["model"] = request.at("model");
  o["usage"] = std::move(usage);
  return EmbeddingOutcome{json::serialize(o), prompt};
}

}  // namespace litellm::emulator
