// Embeddings: deterministic, unit-length vectors built by feature hashing (words and character
// trigrams, each hashed to a dimension and a sign), so texts that share words and spellings
// have a high cosine similarity and identical texts identical vectors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "emulator/catalog.hpp"
#include "emulator/errors.hpp"

namespace litellm::emulator {

/// The float vector for `text`, `dims` long, unit length.
[[nodiscard]] std::vector<float> embed_text(std::string_view text, std::size_t dims);

struct EmbeddingOutcome {
  std::string body;
  std::int64_t prompt_tokens = 0;
};

/// A whole /v1/embeddings answer for a request that passed validate_embedding_request().
[[nodiscard]] std::variant<EmbeddingOutcome, ErrorReply> embeddings(
    const boost::json::object& request, const ModelSpec& model);

}  // namespace litellm::emulator
