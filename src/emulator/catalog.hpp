// The models the emulator serves: every "mistral/..." entry of the project's registry
// (include/litellm/models.hpp), indexed once by bare id, plus their Mistral model cards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

namespace litellm::emulator {

struct ModelSpec {
  std::string id;    ///< bare id as Mistral names it: "mistral-small-latest"
  std::string mode;  ///< "chat", "embedding" or "ocr"
  std::int64_t context_window = 32768;
  std::int64_t max_output_tokens = 0;
  bool function_calling = false;
  bool reasoning = false;
  bool vision = false;
  bool fim = false;
  bool embedding_dimensions = false;
  std::int64_t vector_size = 0;      ///< embeddings: default dimension
  std::int64_t max_vector_size = 0;  ///< embeddings: largest output_dimension accepted
  std::vector<std::string> aliases;
};

class Catalog {
 public:
  /// Built from litellm::all_models().
  Catalog();
  /// nullptr when the id is unknown. Lookups are by exact bare id, as on the live API.
  [[nodiscard]] const ModelSpec* find(std::string_view id) const noexcept;
  [[nodiscard]] const std::vector<ModelSpec>& models() const noexcept { return models_; }
  /// Mistral's BaseModelCard for a model.
  [[nodiscard]] boost::json::object card(const ModelSpec& m, std::int64_t created) const;
  /// {"object":"list","data":[cards...]}.
  [[nodiscard]] std::string list_json(std::int64_t created) const;

  static const Catalog& instance();

 private:
  std::vector<ModelSpec> models_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

}  // namespace litellm::emulator
