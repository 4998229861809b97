#include "emulator/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <boost/json.hpp>

#include "litellm/models.hpp"

namespace litellm::emulator {
namespace json = boost::json;

namespace {

// "mistral-small-2506" and "mistral-small-latest" share the family "mistral-small": the part
// before a trailing "-latest" or all-digit version.
std::string family_of(std::string_view id) {
  auto dash = id.rfind('-');
  if (dash == std::string_view::npos) return std::string(id);
  std::string_view tail = id.substr(dash + 1);
  bool digits = !tail.empty() && std::all_of(tail.begin(), tail.end(),
                                             [](unsigned char c) { return std::isdigit(c); });
  if (tail == "latest" || digits) return std::string(id.substr(0, dash));
  return std::string(id);
}

}  // namespace

Catalog::Catalog() {
  for (const auto& info : litellm::all_models()) {
    if (info.provider != "mistral") continue;
    std::string_view key = info.key;
    if (key.substr(0, 8) == "mistral/") key.remove_prefix(8);
    ModelSpec m;
    m.id = std::string(key);
    m.mode = info.mode;
    m.context_window = info.max_input_tokens > 0 ? info.max_input_tokens : 32768;
    m.max_output_tokens = info.max_output_tokens;
    m.function_calling = info.supports_function_calling;
    m.reasoning = info.supports_reasoning;
    m.vision = info.supports_vision;
    m.fim = info.supports_fim;
    m.embedding_dimensions = info.supports_embedding_dimensions;
    m.vector_size = info.output_vector_size > 0 ? info.output_vector_size
                                                : (info.mode == "embedding" ? 1024 : 0);
    m.max_vector_size = std::max(info.max_output_vector_size, m.vector_size);
    models_.push_back(std::move(m));
  }
  // Aliases: models of the same family with the same context window and capabilities are the
  // same weights under another name (approximation; the registry has no alias field).
  std::map<std::string, std::vector<std::size_t>> families;
  for (std::size_t i = 0; i < models_.size(); ++i)
    families[family_of(models_[i].id)].push_back(i);
  for (auto& [family, members] : families) {
    for (std::size_t a : members) {
      for (std::size_t b : members) {
        const auto& x = models_[a];
        const auto& y = models_[b];
        if (a != b && x.context_window == y.context_window && x.mode == y.mode &&
            x.function_calling == y.function_calling && x.reasoning == y.reasoning &&
            x.vision == y.vision && x.fim == y.fim) {
          models_[a].aliases.push_back(y.id);
        }
      }
    }
  }
  for (std::size_t i = 0; i < models_.size(); ++i)
    index_.emplace(models_[i].id, i);
}

const ModelSpec* Catalog::find(std::string_view id) const noexcept {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &models_[it->second];
}

json::object Catalog::card(const ModelSpec& m, std::int64_t created) const {
  json::object caps;
  bool chat = m.mode == "chat";
  caps["completion_chat"] = chat;
  caps["function_calling"] = chat && m.function_calling;
  caps["reasoning"] = m.reasoning;
  caps["completion_fim"] = m.fim;
  caps["fine_tuning"] = false;
  caps["vision"] = m.vision;
  caps["ocr"] = m.mode == "ocr";
  caps["classification"] = false;
  caps["moderation"] = false;
  caps["audio"] = false;
  caps["audio_transcription"] = false;

  json::object c;
  c["id"] = m.id;
  c["object"] = "model";
  c["created"] = created;
  c["owned_by"] = "mistralai";
  c["capabilities"] = std::move(caps);
  c["name"] = m.id;
  c["description"] = "Official " + m.id + " Mistral AI model";
  c["max_context_length"] = m.context_window;
  json::array aliases;
  for (const auto& a : m.aliases)
    aliases.emplace_back(a);
  c["aliases"] = std::move(aliases);
  c["deprecation"] = nullptr;
  c["deprecation_replacement_model"] = nullptr;
  c["default_model_temperature"] = chat ? json::value(0.3) : json::value(nullptr);
  c["type"] = "base";
  return c;
}

std::string Catalog::list_json(std::int64_t created) const {
  json::array data;
  for (const auto& m : models_)
    data.emplace_back(card(m, created));
  json::object o;
  o["object"] = "list";
  o["data"] = std::move(data);
  return json::serialize(o);
}

const Catalog& Catalog::instance() {
  static const Catalog c;
  return c;
}

}  // namespace litellm::emulator
