#include "emulator/textgen.hpp"

#include "emulator/pattern.hpp"
#include "emulator/strcat.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <boost/json.hpp>

namespace litellm::emulator {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 96> kWords = {
    "the",     "model",   "answer",  "is",       "a",       "simple",  "clear",   "result",
    "of",      "careful", "thought", "and",      "every",   "step",    "follows", "from",
    "data",    "we",      "can",     "see",      "that",    "this",    "request", "was",
    "handled", "by",      "an",      "emulator", "which",   "returns", "stable",  "text",
    "for",     "testing", "your",    "code",     "with",    "fixed",   "seeds",   "so",
    "each",    "call",    "gives",   "same",     "output",  "when",    "input",   "stays",
    "in",      "short",   "it",      "works",    "well",    "offline", "without", "network",
    "access",  "Paris",   "river",   "mountain", "city",    "light",   "morning", "quiet",
    "bright",  "garden",  "window",  "table",    "story",   "number",  "small",   "large",
    "fast",    "slow",    "good",    "better",   "best",    "often",   "also",    "here",
    "there",   "about",   "under",   "over",     "between", "through", "because", "while",
    "value",   "system",  "process", "reason",   "example", "detail",  "summary", "note"};

constexpr std::array<std::string_view, 12> kIdentifiers = {"value", "result", "items",  "count",
                                                           "total", "index",  "buffer", "name",
                                                           "data",  "node",   "left",   "right"};

}  // namespace

std::string prose(Rng64& rng, int words) {
  std::string out;
  out.reserve(static_cast<std::size_t>(std::max(words, 0)) * 8);
  int in_sentence = 0;
  int sentence_len = static_cast<int>(rng.between(6, 14));
  for (int i = 0; i < words; ++i) {
    std::string_view w = kWords[rng.below(kWords.size())];
    if (i > 0) out += ' ';
    std::size_t at = out.size();
    out.append(w);
    if (in_sentence == 0 && out[at] >= 'a' && out[at] <= 'z') {
      out[at] = static_cast<char>(out[at] - 'a' + 'A');
    }
    ++in_sentence;
    bool last = (i + 1 == words);
    if (in_sentence >= sentence_len || last) {
      out += '.';
      in_sentence = 0;
      sentence_len = static_cast<int>(rng.between(6, 14));
    } else if (rng.below(9) == 0) {
      out += ',';
    }
  }
  return out;
}

std::string code_lines(Rng64& rng, int lines) {
  std::string out;
  for (int i = 0; i < lines; ++i) {
    auto a = kIdentifiers[rng.below(kIdentifiers.size())];
    auto b = kIdentifiers[rng.below(kIdentifiers.size())];
    switch (rng.below(4)) {
      case 0:
        out += cat("    ", a, " = ", b, " + 1\n");
        break;
      case 1:
        out += cat("    if ", a, " > ", b, ":\n        pass\n");
        break;
      case 2:
        out += cat("    ", a, ".append(", b, ")\n");
        break;
      default:
        out += cat("    return ", a, "\n");
        break;
    }
  }
  return out;
}

std::uint64_t hash_json(const json::value& v, std::uint64_t seed) {
  // Kind tags keep ["a"] and "a" (or 1 and "1") apart.
  switch (v.kind()) {
    case json::kind::null:
      return hash_text("n", seed);
    case json::kind::bool_:
      return hash_text(v.get_bool() ? "t" : "f", seed);
    case json::kind::int64:
      return hash_text(cat("i", std::to_string(v.get_int64())), seed);
    case json::kind::uint64:
      return hash_text(cat("u", std::to_string(v.get_uint64())), seed);
    case json::kind::double_:
      return hash_text(cat("d", std::to_string(v.get_double())), seed);
    case json::kind::string:
      return hash_text(v.get_string(), hash_text("s", seed));
    case json::kind::array: {
      std::uint64_t h = hash_text("[", seed);
      for (const auto& x : v.get_array())
        h = hash_json(x, h);
      return hash_text("]", h);
    }
    case json::kind::object: {
      std::uint64_t h = hash_text("{", seed);
      for (const auto& kv : v.get_object())
        h = hash_json(kv.value(), hash_text(kv.key(), h));
      return hash_text("}", h);
    }
  }
  return seed;
}

std::int64_t clamped_int(const json::value& v, std::int64_t lo, std::int64_t hi) noexcept {
  if (v.is_int64()) return std::clamp(v.get_int64(), lo, hi);
  if (v.is_uint64()) {
    return v.get_uint64() > static_cast<std::uint64_t>(hi)
               ? hi
               : std::max(static_cast<std::int64_t>(v.get_uint64()), lo);
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (!(d > static_cast<double>(lo))) return lo;
    if (!(d < static_cast<double>(hi))) return hi;
    return static_cast<std::int64_t>(d);
  }
  return lo;
}

std::string tool_call_id(std::uint64_t seed) {
  static constexpr std::string_view kAlnum =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  Rng64 rng(seed);
  std::string id(9, 'A');
  for (auto& c : id)
    c = kAlnum[rng.below(kAlnum.size())];
  return id;
}

std::string hex_id(std::uint64_t seed) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  Rng64 rng(seed);
  std::string id(32, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i % 16 == 0) bits = rng.next();
    id[i] = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

// ---- values from JSON Schema
// ---------------------------------------------------------------------

namespace {

constexpr int kMaxDepth = 12;
constexpr int kMaxNodes = 1000;

struct SchemaGen {
  const json::value& root;
  Rng64& rng;
  int nodes = 0;

  const json::value* resolve(std::string_view ref) const {
    // Only local references: "#/$defs/X", "#/definitions/X" and "#" itself.
    if (ref == "#") return &root;
    for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
      if (ref.substr(0, prefix.size()) == prefix && root.is_object()) {
        std::string_view section = prefix.substr(2, prefix.size() - 3);
        const auto* defs = root.get_object().if_contains(section);
        if (defs != nullptr && defs->is_object()) {
          return defs->get_object().if_contains(ref.substr(prefix.size()));
        }
      }
    }
    return nullptr;
  }

  static std::string_view type_of(const json::object& s) {
    const auto* t = s.if_contains("type");
    if (t == nullptr) {
      if (s.contains("properties")) return "object";
      if (s.contains("items")) return "array";
      return "";
    }
    if (t->is_string()) return t->get_string();
    if (t->is_array()) {
      // A union of types: prefer the first that is not "null".
      for (const auto& x : t->get_array()) {
        if (x.is_string() && x.get_string() != "null") return x.get_string();
      }
      return "null";
    }
    return "";
  }

  json::value string_value(const json::object& s, std::string_view prop) {
    std::string v;
    std::string_view format;
    if (const auto* f = s.if_contains("format"); f && f->is_string()) format = f->get_string();
    if (format == "date-time") {
      v = "2024-05-17T09:30:00Z";
    } else if (format == "date") {
      v = "2024-05-17";
    } else if (format == "time") {
      v = "09:30:00";
    } else if (format == "email") {
      v = "user@example.com";
    } else if (format == "uri" || format == "url") {
      v = "https://example.com/item";
    } else if (format == "uuid") {
      std::string h = hex_id(rng.next());
      v = h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) +
          "-" + h.substr(20, 12);
    } else if (format == "ipv4") {
      v = "192.0.2.1";
    } else {
      // Property-name hints make tool arguments read naturally in demos.
      std::string lower(prop);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower.find("city") != std::string::npos || lower.find("location") != std::string::npos) {
        v = "Paris";
      } else if (lower.find("country") != std::string::npos) {
        v = "France";
      } else if (lower.find("name") != std::string::npos) {
        v = "Alice";
      } else if (lower.find("email") != std::string::npos) {
        v = "user@example.com";
      } else if (lower.find("id") != std::string::npos) {
        v = cat("T", std::to_string(1000 + rng.below(9000)));
      } else {
        v = std::string(kWords[rng.below(kWords.size())]) + " " +
            std::string(kWords[rng.below(kWords.size())]);
      }
    }
    std::int64_t min_len = 0;
    std::int64_t max_len = -1;
    if (const auto* m = s.if_contains("minLength"); m && m->is_number()) {
      min_len = clamped_int(*m, 0, 1024);
    }
    if (const auto* m = s.if_contains("maxLength"); m && m->is_number()) {
      max_len = clamped_int(*m, 0, 1 << 20);
    }
    min_len = std::clamp<std::int64_t>(min_len, 0, 1024);
    if (const auto* pat = s.if_contains("pattern"); pat && pat->is_string()) {
      // A few draws: one may fall outside the length bounds where another does not.
      for (int attempt = 0; attempt < 8; ++attempt) {
        auto m = string_matching(pat->get_string(), rng);
        if (!m) break;  // a pattern we cannot generate for: fall back to the value above
        const auto n = static_cast<std::int64_t>(m->size());
        if (n >= min_len && (max_len < 0 || n <= max_len)) return json::string(*m);
      }
    }
    while (static_cast<std::int64_t>(v.size()) < min_len)
      v += 'x';
    if (max_len >= 0 && static_cast<std::int64_t>(v.size()) > max_len) {
      v.resize(static_cast<std::size_t>(std::max<std::int64_t>(max_len, 0)));
    }
    return json::string(v);
  }

  static double bound(const json::object& s, std::string_view key, double fallback, bool& set) {
    if (const auto* b = s.if_contains(key); b && b->is_number()) {
      set = true;
      return b->to_number<double>();
    }
    return fallback;
  }

  json::value number_value(const json::object& s, bool integer) {
    bool has_min = false;
    bool has_max = false;
    bool has_xmin = false;
    bool has_xmax = false;
    double lo = bound(s, "minimum", 0, has_min);
    double hi = bound(s, "maximum", 0, has_max);
    double xlo = bound(s, "exclusiveMinimum", 0, has_xmin);
    double xhi = bound(s, "exclusiveMaximum", 0, has_xmax);
    if (has_xmin) lo = integer ? std::floor(xlo) + 1 : xlo + 0.01;
    if (has_xmax) hi = integer ? std::ceil(xhi) - 1 : xhi - 0.01;
    if (!has_min && !has_xmin) lo = has_max || has_xmax ? hi - 100 : 1;
    if (!has_max && !has_xmax) hi = lo + 100;
    // Schemas are untrusted: keep bounds where doubles and int64 both stay exact and finite.
    constexpr double kLimit = 1e15;
    lo = std::clamp(lo, -kLimit, kLimit);
    hi = std::clamp(hi, -kLimit, kLimit);
    if (hi < lo) hi = lo;
    double mult = 0;
    bool has_mult = false;
    mult = std::min(bound(s, "multipleOf", 0, has_mult), 1e15);
    if (integer) {
      auto ilo = static_cast<std::int64_t>(std::ceil(lo));
      auto ihi = static_cast<std::int64_t>(std::floor(hi));
      std::int64_t v = rng.between(ilo, std::max(ilo, ihi));
      if (has_mult && mult >= 1) {
        auto m = static_cast<std::int64_t>(mult);
        std::int64_t up = ((v + m - 1) / m) * m;
        v = up <= ihi ? up : (v / m) * m;
      }
      return v;
    }
    double v = lo + std::floor(rng.uniform() * (hi - lo) * 100.0) / 100.0;
    if (has_mult && mult > 0) v = std::ceil(lo / mult) * mult;
    v = std::clamp(v, lo, hi);
    return v;
  }

  json::value gen(const json::value& schema, int depth, std::string_view prop) {
    if (++nodes > kMaxNodes || depth > kMaxDepth) return nullptr;
    if (schema.is_bool()) return schema.get_bool() ? json::value("value") : json::value(nullptr);
    if (!schema.is_object()) return "value";
    const auto& s = schema.get_object();
    if (const auto* ref = s.if_contains("$ref"); ref && ref->is_string()) {
      const json::value* target = resolve(ref->get_string());
      return target ? gen(*target, depth + 1, prop) : json::value(nullptr);
    }
    if (const auto* c = s.if_contains("const")) return *c;
    if (const auto* e = s.if_contains("enum"); e && e->is_array() && !e->get_array().empty()) {
      const auto& arr = e->get_array();
      return arr[rng.below(arr.size())];
    }
    for (std::string_view k : {"anyOf", "oneOf"}) {
      if (const auto* alts = s.if_contains(k);
          alts && alts->is_array() && !alts->get_array().empty()) {
        // The first branch that is not {"type":"null"}: the most specific valid choice.
        for (const auto& alt : alts->get_array()) {
          if (alt.is_object()) {
            const auto* t = alt.get_object().if_contains("type");
            if (t && t->is_string() && t->get_string() == "null") continue;
          }
          return gen(alt, depth + 1, prop);
        }
        return nullptr;
      }
    }
    if (const auto* all = s.if_contains("allOf"); all && all->is_array()) {
      json::object merged;
      json::object props;
      json::array required;
      for (const auto& part : all->get_array()) {
        const json::value* p = &part;
        if (part.is_object()) {
          if (const auto* r = part.get_object().if_contains("$ref"); r && r->is_string()) {
            p = resolve(r->get_string());
          }
        }
        if (p == nullptr || !p->is_object()) continue;
        if (const auto* pp = p->get_object().if_contains("properties"); pp && pp->is_object()) {
          for (const auto& kv : pp->get_object())
            props[kv.key()] = kv.value();
        }
        if (const auto* rr = p->get_object().if_contains("required"); rr && rr->is_array()) {
          for (const auto& r : rr->get_array())
            required.push_back(r);
        }
      }
      merged["type"] = "object";
      merged["properties"] = std::move(props);
      merged["required"] = std::move(required);
      return gen(merged, depth + 1, prop);
    }
    std::string_view type = type_of(s);
    if (type == "object") return object_value(s, depth);
    if (type == "array") return array_value(s, depth, prop);
    if (type == "integer") return number_value(s, true);
    if (type == "number") return number_value(s, false);
    if (type == "boolean") return rng.below(2) == 0;
    if (type == "null") return nullptr;
    return string_value(s, prop);
  }

  json::value object_value(const json::object& s, int depth) {
    json::object out;
    const auto* props = s.if_contains("properties");
    std::set<std::string, std::less<>> required;
    if (const auto* r = s.if_contains("required"); r && r->is_array()) {
      for (const auto& x : r->get_array()) {
        if (x.is_string()) required.emplace(x.get_string());
      }
    }
    if (props != nullptr && props->is_object()) {
      // Required properties always; optional ones too while shallow, so answers look complete.
      for (const auto& kv : props->get_object()) {
        bool req = required.count(std::string_view(kv.key())) > 0;
        if (!req && depth > 4) continue;
        out[kv.key()] = gen(kv.value(), depth + 1, kv.key());
      }
    }
    for (const auto& r : required) {
      if (!out.contains(r)) out[r] = "value";
    }
    return out;
  }

  json::value array_value(const json::object& s, int depth, std::string_view prop) {
    std::int64_t min_items = 0;
    std::int64_t max_items = 3;
    if (const auto* m = s.if_contains("minItems"); m && m->is_number()) {
      min_items = clamped_int(*m, 0, 64);
    }
    if (const auto* m = s.if_contains("maxItems"); m && m->is_number()) {
      max_items = clamped_int(*m, 0, 64);
    }
    min_items = std::clamp<std::int64_t>(min_items, 0, 64);
    max_items = std::clamp<std::int64_t>(max_items, min_items, 64);
    std::int64_t count = std::clamp<std::int64_t>(2, min_items, max_items);
    bool unique = false;
    if (const auto* u = s.if_contains("uniqueItems"); u && u->is_bool()) unique = u->get_bool();
    json::array out;
    if (const auto* prefix = s.if_contains("prefixItems"); prefix && prefix->is_array()) {
      for (const auto& item : prefix->get_array())
        out.push_back(gen(item, depth + 1, prop));
      return out;
    }
    const json::value* items = s.if_contains("items");
    static const json::value kString = json::object{{"type", "string"}};
    std::set<std::string> seen;
    for (std::int64_t i = 0, attempts = 0; i < count && attempts < count * 8; ++attempts) {
      json::value v = gen(items ? *items : kString, depth + 1, prop);
      if (unique && !seen.insert(json::serialize(v)).second) continue;
      out.push_back(std::move(v));
      ++i;
    }
    return out;
  }
};

}  // namespace

json::value value_for_schema(const json::value& schema, const json::value& root, Rng64& rng,
                             std::string_view property_name) {
  SchemaGen g{root, rng};
  return g.gen(schema, 0, property_name);
}

}  // namespace litellm::emulator
