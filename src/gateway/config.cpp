// LiteLLM's config.yaml -> GatewayConfig. See config.hpp for the contract and docs/config.md for
// every key. The loader is one pass over the YAML tree with a diagnostics sink: the first error
// stops it; warnings accumulate in document order.
#include "gateway/config.hpp"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <span>

#include "core/ascii.hpp"
#include "core/env.hpp"
#include "gateway/config_keys.hpp"
#include "litellm/models.hpp"

namespace litellm::gateway {
namespace {

namespace json = boost::json;
using Keys = std::span<const std::string_view>;

constexpr std::string_view kEnvPrefix = "os.environ/";
/// Node visits allowed while reading one config: aliases let a small file name a huge tree. The
/// largest real config we know (2759 lines, 306 models) needs about 7,000.
constexpr std::size_t kMaxNodeVisits = 50'000;
constexpr std::size_t kMaxQuotedValue = 40;

// ---- small text helpers ---------------------------------------------------------------------

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += sep;
    out += parts[i];
  }
  return out;
}

/// A literal value for a message: quoted, shortened, control characters replaced.
std::string shown(std::string_view v) {
  std::string out = "'";
  for (std::size_t i = 0; i < v.size() && i < kMaxQuotedValue; ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (v.size() > kMaxQuotedValue) out += "...";
  return out + "'";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool contains(Keys keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const keys::RequestParam* request_param(std::string_view key) {
  for (const auto& p : keys::kRequestParams)
    if (p.name == key) return &p;
  return nullptr;
}

/// Optimal-string-alignment distance, case-insensitive, with three rolling rows: unknown keys
/// are compared with a few hundred known ones, so this stays allocation-light.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = eq(a[i - 1], b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The known key closest to `key`, when it is close enough to be a typo of it: a small edit
/// distance (longer keys tolerate more), else a known key that `key` abbreviates.
std::optional<std::string_view> closest(std::string_view key, std::initializer_list<Keys> sets) {
  constexpr std::size_t kLongestKey = 64;
  constexpr std::size_t kShortestPrefix = 5;
  if (key.empty() || key.size() > kLongestKey) return std::nullopt;
  const std::size_t limit = key.size() <= 4 ? 1 : std::max<std::size_t>(2, key.size() / 4);
  std::optional<std::string_view> best, prefix;
  std::size_t best_d = limit + 1;
  for (Keys set : sets) {
    for (std::string_view candidate : set) {
      const std::size_t gap = key.size() > candidate.size() ? key.size() - candidate.size()
                                                            : candidate.size() - key.size();
      const std::size_t d = gap < best_d ? edit_distance(key, candidate) : best_d;
      if (d < best_d) {
        best_d = d;
        best = candidate;
      }
      // "latency-based" abbreviates "latency-based-routing"; "num_retry" nearly so.
      if (!prefix && key.size() > kShortestPrefix &&
          candidate.starts_with(key.substr(0, key.size() - 1))) {
        prefix = candidate;
      }
    }
  }
  return best ? best : prefix;
}

std::vector<std::string_view> request_param_names() {
  std::vector<std::string_view> out;
  for (const auto& p : keys::kRequestParams)
    out.push_back(p.name);
  return out;
}

// ---- YAML scalars as PyYAML (YAML 1.1) reads them --------------------------------------------

bool is_plain(const YAML::Node& n) {
  return n.Tag() == "?";
}

bool yaml11_bool(std::string_view s, bool& out) {
  static constexpr std::array<std::string_view, 9> kTrue = {"true", "True", "TRUE", "yes", "Yes",
                                                            "YES",  "on",   "On",   "ON"};
  static constexpr std::array<std::string_view, 9> kFalse = {"false", "False", "FALSE", "no", "No",
                                                             "NO",    "off",   "Off",   "OFF"};
  if (std::find(kTrue.begin(), kTrue.end(), s) != kTrue.end()) {
    out = true;
    return true;
  }
  if (std::find(kFalse.begin(), kFalse.end(), s) != kFalse.end()) {
    out = false;
    return true;
  }
  return false;
}

/// Python's int() syntax (optional sign, digits, single underscores between digits) plus, for
/// plain YAML scalars, PyYAML's 0x / 0o / 0b / leading-0 octal forms.
std::optional<std::int64_t> parse_int_text(std::string_view s, bool yaml_plain) {
  s = trim(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (yaml_plain && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16, s.remove_prefix(2);
  } else if (yaml_plain && s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    base = 8, s.remove_prefix(2);
  } else if (yaml_plain && s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2, s.remove_prefix(2);
  } else if (yaml_plain && s.size() > 1 && s[0] == '0') {
    base = 8, s.remove_prefix(1);
  }
  std::string digits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (i == 0 || i + 1 == s.size() || s[i + 1] == '_') return std::nullopt;
      continue;
    }
    digits += s[i];
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (magnitude > kMax) return std::nullopt;
  const auto v = static_cast<std::int64_t>(magnitude);
  return negative ? -v : v;
}

/// Python's float() syntax (what pydantic applies to strings), finite values only. Plain YAML
/// scalars use the same syntax: PyYAML only reads "1.5" style as float, but a value a user meant
/// as a number is read as one.
std::optional<double> parse_double_text(std::string_view s) {
  s = trim(s);
  std::string digits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (i == 0 || i + 1 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        return std::nullopt;
      }
      continue;
    }
    digits += s[i];
  }
  if (digits.empty()) return std::nullopt;
  const char* first = digits.data();
  if (*first == '+') ++first;
  double v = 0;
  auto [end, ec] = std::from_chars(first, digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  // from_chars reads "inf"/"nan" spellings; isfinite() above rejects them.
  return v;
}

/// A plain scalar as PyYAML's resolver types it (YAML 1.1 core schema), as a JSON value.
json::value plain_scalar_json(const std::string& s) {
  bool b = false;
  if (yaml11_bool(s, b)) return b;
  if (s == "~" || s == "null" || s == "Null" || s == "NULL" || s.empty()) return nullptr;
  if (auto i = parse_int_text(s, true)) return *i;
  const bool looks_numeric =
      !s.empty() && (std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '-' ||
                     s.front() == '+' || s.front() == '.');
  if (looks_numeric) {
    if (auto d = parse_double_text(s)) return *d;
  }
  return json::string(s);
}

// ---- nesting pre-scan -----------------------------------------------------------------------

/// Rejects text nested deeper than kMaxConfigDepth before the YAML parser (which recurses) sees
/// it. Counts flow brackets and block indentation levels; conservative, never misses depth.
std::optional<std::string> nesting_problem(std::string_view text) {
  std::size_t flow = 0, line_no = 1;
  std::vector<std::size_t> indents;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    std::size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t'))
      ++indent;
    std::string_view body = line.substr(indent);
    if (!body.empty() && body.front() != '#' && body.front() != '\r') {
      while (!indents.empty() && indents.back() >= indent)
        indents.pop_back();
      indents.push_back(indent);
      std::size_t dashes = 0;  // "- - - x" opens one sequence per dash
      for (std::size_t i = 0; i + 1 < body.size() && body[i] == '-' && body[i + 1] == ' '; i += 2) {
        ++dashes;
        while (i + 2 < body.size() && body[i + 2] == ' ')
          ++i;
      }
      bool in_comment = false;
      for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '#' && (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\t')) in_comment = true;
        if (in_comment) break;
        if (c == '[' || c == '{') {
          if (++flow > kMaxConfigDepth) break;
        } else if ((c == ']' || c == '}') && flow > 0) {
          --flow;
        }
      }
      if (indents.size() + dashes + flow > kMaxConfigDepth) {
        return "line " + std::to_string(line_no) + ": nested deeper than " +
               std::to_string(kMaxConfigDepth) + " levels";
      }
    }
    pos = eol + 1;
    ++line_no;
  }
  return std::nullopt;
}

// ---- reading text ---------------------------------------------------------------------------

/// A file's text, refusing files larger than a config can be.
Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::make(ErrorKind::bad_request,
                       path + ": cannot open the config file: " + std::strerror(errno));
  }
  std::string text;
  text.resize(kMaxConfigBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Error::make(ErrorKind::bad_request, path + ": cannot read the config file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

/// YAML text -> node tree, bounded: size and nesting are checked before the parser runs.
Result<YAML::Node> parse_yaml(const std::string& yaml, const std::string& origin) {
  if (yaml.size() > kMaxConfigBytes) {
    return Error::make(ErrorKind::bad_request, origin + ": larger than " +
                                                   std::to_string(kMaxConfigBytes >> 20) +
                                                   " MiB; not a config file");
  }
  if (auto problem = nesting_problem(yaml)) {
    return Error::make(ErrorKind::bad_request, origin + ": " + *problem);
  }
  try {
    return YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Error::make(ErrorKind::bad_request,
                       origin + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                           std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
}

// ---- recursive aliases ----------------------------------------------------------------------

/// The maps and lists being walked, outermost first: an alias to one of them (YAML allows
/// `&a [*a]`) would make the walk endless.
class OpenNodes {
 public:
  bool contains(const YAML::Node& n) const {
    return std::any_of(open_.begin(), open_.end(), [&](const YAML::Node& o) { return o.is(n); });
  }
  /// Keeps `n` open for the guard's lifetime.
  class Guard {
   public:
    Guard(OpenNodes& nodes, const YAML::Node& n) : nodes_(nodes) { nodes_.open_.push_back(n); }
    ~Guard() { nodes_.open_.pop_back(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    OpenNodes& nodes_;
  };

 private:
  std::vector<YAML::Node> open_;
};

// ---- the loader -------------------------------------------------------------------------------

enum class Env { required, optional, raw };

struct Entry {
  std::string key;
  YAML::Node value;
};

using Fallbacks = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// Settings router_settings and litellm_settings can both carry; router_settings wins.
struct Overlap {
  std::optional<int> num_retries, allowed_fails, max_fallbacks;
  std::optional<double> timeout, cooldown_time, retry_after;
  std::optional<Fallbacks> fallbacks, context_window_fallbacks, content_policy_fallbacks;
  std::optional<std::vector<std::string>> default_fallbacks;
};

struct Section {
  std::string_view name;  ///< as written in messages
  Keys implemented;
  Keys ignored;
};

const Section kTop{"the top level", keys::kTopImplemented, keys::kTopIgnored};
const Section kLitellm{"litellm_settings", keys::kLitellmImplemented, keys::kLitellmIgnored};
const Section kGeneral{"general_settings", keys::kGeneralImplemented, keys::kGeneralIgnored};
const Section kRouter{"router_settings", keys::kRouterImplemented, keys::kRouterIgnored};

class Loader {
 public:
  /// `base_dir`: where `include:` files are looked up (the config file's folder); none for text.
  Loader(const LoadOptions& options, std::string origin,
         std::optional<std::filesystem::path> base_dir)
      : options_(options), origin_(std::move(origin)), base_dir_(std::move(base_dir)) {}

  Result<GatewayConfig> load(const std::string& yaml) {
    auto parsed = parse_yaml(yaml, origin_);
    if (!parsed) return std::move(parsed).error();
    YAML::Node root = std::move(*parsed);
    try {
      read(root);
    } catch (const std::exception& e) {
      fail("", std::string("cannot read the config: ") + e.what());
    }
    if (error_) return std::move(*error_);
    if (options_.strict && !unknown_.empty()) {
      constexpr std::size_t kListed = 5;
      std::string msg = origin_ + ": " + unknown_.front().first + ": " + unknown_.front().second +
                        "; --strict-config refuses unknown and misplaced keys";
      if (unknown_.size() > 1) {
        std::vector<std::string> more;
        for (std::size_t i = 1; i < unknown_.size() && i <= kListed; ++i) {
          more.push_back(unknown_[i].first);
        }
        if (unknown_.size() > kListed + 1) more.emplace_back("...");
        msg += " (" + std::to_string(unknown_.size() - 1) + " more: " + join(more, ", ") + ")";
      }
      return Error::make(ErrorKind::bad_request, std::move(msg));
    }
    return std::move(cfg_);
  }

 private:
  // ---- diagnostics ----

  bool failed() const { return error_.has_value(); }

  void fail(const std::string& path, const std::string& reason) {
    if (error_) return;
    error_ = Error::make(ErrorKind::bad_request,
                         origin_ + ": " + (path.empty() ? "" : path + ": ") + reason);
  }

  void warn(std::string line) { cfg_.warnings.push_back("config: " + std::move(line)); }

  void count(std::size_t nodes) {
    if (visits_ > kMaxNodeVisits - std::min(nodes, kMaxNodeVisits)) {
      fail("", "more than " + std::to_string(kMaxNodeVisits) +
                   " nodes to read (an alias counts each time it is used); not a config file");
      visits_ = kMaxNodeVisits;
      return;
    }
    visits_ += nodes;
  }

  void ignore(const std::string& path) {
    if (ignored_seen_.insert(path).second) cfg_.ignored_keys.push_back(path);
  }

  /// An unknown or misplaced key: a warning line now, the startup error under --strict-config.
  void report_unknown(const std::string& path, std::string reason, std::string line) {
    unknown_.emplace_back(path, std::move(reason));
    warn(std::move(line));
  }

  /// A key LiteLLM does not know in `here`: where LiteLLM reads it, or the closest known key.
  void unknown_key(const Section& here, const std::string& path, const std::string& key,
                   std::initializer_list<const Section*> elsewhere) {
    std::vector<std::string> homes;
    for (const Section* s : elsewhere) {
      if (contains(s->implemented, key) || contains(s->ignored, key)) {
        homes.emplace_back(s->name);
      }
    }
    if (!homes.empty()) {
      const std::string where = "LiteLLM reads it under " + join(homes, " or ");
      if (&here == &kTop) {
        report_unknown(
            path, "not a top-level key (" + where + ")",
            "'" + path + "' at the top level is not a top-level key (" + where + "); ignored");
      } else {
        const std::string reason = "not a " + std::string(here.name) + " key (" + where + ")";
        report_unknown(path, reason, "'" + path + "' is " + reason + "; ignored");
      }
      return;
    }
    unknown_with_suggestion(path, key, {here.implemented, here.ignored});
  }

  void unknown_with_suggestion(const std::string& path, const std::string& key,
                               std::initializer_list<Keys> known) {
    std::string reason = "unknown key";
    if (auto near = closest(key, known)) reason += " (did you mean '" + std::string(*near) + "'?)";
    std::string line = "unknown key '" + path + "'" + reason.substr(std::strlen("unknown key"));
    report_unknown(path, reason, line + "; ignored");
  }

  // ---- YAML access ----

  static std::string kind(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Map:
        return "a map";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Null:
        return "nothing";
      case YAML::NodeType::Scalar:
        return "the value " + shown(n.Scalar());
      default:
        return "nothing";
    }
  }

  /// Map entries in document order, as PyYAML builds a dict: a repeated key keeps its first
  /// position and its last value (with a warning); "<<" merge keys fill in absent keys.
  std::vector<Entry> entries(const YAML::Node& map, const std::string& path) {
    std::vector<Entry> out;
    if (!map.IsMap()) return out;
    count(map.size());
    std::vector<YAML::Node> merges;
    for (auto it = map.begin(); it != map.end() && !failed(); ++it) {
      // yaml-cpp iterators hand out proxies: copy the key node, do not bind a reference to it.
      const YAML::Node k = it->first;
      if (!k.IsScalar()) {
        fail(path, "keys must be plain strings, got " + kind(k));
        return {};
      }
      std::string key = k.Scalar();
      if (key == "<<" && is_plain(k)) {
        merges.push_back(it->second);
        continue;
      }
      auto same =
          std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.key == key; });
      if (same != out.end()) {
        warn("duplicate key '" + dotted(path, key) + "' (line " +
             std::to_string(k.Mark().line + 1) + "); the last one wins");
        same->value = it->second;
      } else {
        out.push_back({std::move(key), it->second});
      }
    }
    for (const YAML::Node& m : merges) {
      std::vector<YAML::Node> sources;
      if (m.IsMap()) {
        sources.push_back(m);
      } else if (m.IsSequence()) {
        count(m.size());
        for (const auto& s : m)
          sources.push_back(s);
      }
      for (const YAML::Node& s : sources) {
        if (!s.IsMap()) {
          fail(path, "a '<<' merge key must name a map, got " + kind(s));
          return {};
        }
        // A map may not merge itself, directly or through another map: expanding that cycle
        // would never end.
        if (s.is(map) || std::any_of(merging_.begin(), merging_.end(),
                                     [&](const YAML::Node& open) { return open.is(s); })) {
          fail(path, "a '<<' merge key refers to a map that contains it");
          return {};
        }
        if (merging_.size() >= kMaxConfigDepth) {
          fail(path, "'<<' merge keys nested deeper than " + std::to_string(kMaxConfigDepth));
          return {};
        }
        merging_.push_back(map);
        std::vector<Entry> merged = entries(s, path);
        merging_.pop_back();
        for (Entry& e : merged) {
          const bool present =
              std::any_of(out.begin(), out.end(), [&](const Entry& o) { return o.key == e.key; });
          if (!present) out.push_back(std::move(e));
        }
      }
    }
    return out;
  }

  static std::string dotted(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  /// The value of an environment variable: environment_variables of this config first (they are
  /// exported before anything else is read), then the process environment.
  std::optional<std::string> env_value(const std::string& name) const {
    if (auto it = exported_.find(name); it != exported_.end()) return it->second;
    return core::getenv_opt(name.c_str());
  }

  /// A scalar's text with os.environ/NAME resolved. Nullopt when null, when not a scalar (an
  /// error is recorded) or when an optional variable is unset (a warning is recorded).
  /// `from_env` tells the caller the text did not come from the file (typed as a string).
  std::optional<std::string> text(const YAML::Node& n, const std::string& path, Env env,
                                  bool* from_env = nullptr, const char* expected = "a string") {
    if (from_env != nullptr) *from_env = false;
    if (!n.IsDefined() || n.IsNull()) return std::nullopt;
    if (!n.IsScalar()) {
      fail(path, std::string("expected ") + expected + ", got " + kind(n));
      return std::nullopt;
    }
    const std::string& s = n.Scalar();
    if (env == Env::raw || !s.starts_with(kEnvPrefix)) return s;
    if (from_env != nullptr) *from_env = true;
    const std::string name = s.substr(kEnvPrefix.size());
    if (name.empty()) {
      if (env == Env::required) {
        fail(path, "empty environment variable name in 'os.environ/'");
      } else {
        warn("empty environment variable name in 'os.environ/' (used by " + path + ")");
      }
      return std::nullopt;
    }
    if (auto v = env_value(name)) return v;
    if (env == Env::required) {
      fail(path, "environment variable " + name + " is not set");
    } else {
      warn("environment variable " + name + " is not set (used by " + path + ")");
    }
    return std::nullopt;
  }

  std::optional<std::string> string(const YAML::Node& n, const std::string& path,
                                    Env env = Env::required) {
    return text(n, path, env);
  }

  std::optional<std::int64_t> integer(const YAML::Node& n, const std::string& path,
                                      std::int64_t min = 0) {
    bool from_env = false;
    auto t = text(n, path, Env::required, &from_env, "an integer");
    if (!t) return std::nullopt;
    const bool plain = !from_env && is_plain(n);
    std::optional<std::int64_t> v = parse_int_text(*t, plain);
    if (!v) {
      // pydantic's int accepts a float with no fractional part ("10.0").
      if (auto d = parse_double_text(*t); d && std::floor(*d) == *d && std::fabs(*d) < 9e15) {
        v = static_cast<std::int64_t>(*d);
      }
    }
    if (!v) {
      fail(path, "expected an integer, got " + (from_env ? "the environment value" : shown(*t)));
      return std::nullopt;
    }
    if (*v < min) {
      fail(path, "must be at least " + std::to_string(min) + ", got " + std::to_string(*v));
      return std::nullopt;
    }
    return v;
  }

  std::optional<int> small_int(const YAML::Node& n, const std::string& path, std::int64_t min = 0) {
    auto v = integer(n, path, min);
    if (!v) return std::nullopt;
    if (*v > std::numeric_limits<int>::max()) {
      fail(path, "is too large: " + std::to_string(*v));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  /// A number of seconds (or a weight): finite, >= 0, and > 0 when `positive`.
  std::optional<double> number(const YAML::Node& n, const std::string& path,
                               bool positive = false) {
    bool from_env = false;
    auto t = text(n, path, Env::required, &from_env, "a number");
    if (!t) return std::nullopt;
    auto v = parse_double_text(*t);
    if (!v) {
      fail(path, "expected a number, got " + (from_env ? "the environment value" : shown(*t)));
      return std::nullopt;
    }
    if (*v < 0 || (positive && *v == 0)) {
      fail(path, std::string("must be ") + (positive ? "greater than 0" : "at least 0") + ", got " +
                     shown(*t));
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> boolean(const YAML::Node& n, const std::string& path) {
    bool from_env = false;
    auto t = text(n, path, Env::required, &from_env, "true or false");
    if (!t) return std::nullopt;
    bool b = false;
    if (!from_env && is_plain(n)) {
      if (yaml11_bool(*t, b)) return b;
      if (*t == "0" || *t == "1") return *t == "1";
    } else {
      // pydantic's lax bool for strings.
      const std::string v = core::ascii_lower(trim(*t));
      if (v == "true" || v == "yes" || v == "on" || v == "1" || v == "t" || v == "y") return true;
      if (v == "false" || v == "no" || v == "off" || v == "0" || v == "f" || v == "n") {
        return false;
      }
    }
    fail(path, "expected true or false, got " + (from_env ? "the environment value" : shown(*t)));
    return std::nullopt;
  }

  /// YAML -> JSON with PyYAML's scalar typing. Map values that are os.environ/ references are
  /// resolved (LiteLLM resolves them in dicts, not in lists); Env::raw keeps them as written.
  json::value to_json(const YAML::Node& n, const std::string& path, Env env,
                      std::size_t depth = 0) {
    if (failed()) return nullptr;
    if (depth > kMaxConfigDepth) {
      fail(path, "nested deeper than " + std::to_string(kMaxConfigDepth) + " levels");
      return nullptr;
    }
    count(1);
    if ((n.IsMap() || n.IsSequence()) && open_.contains(n)) {
      fail(path, "an alias refers to a map or list that contains it");
      return nullptr;
    }
    OpenNodes::Guard guard(open_, n);
    switch (n.Type()) {
      case YAML::NodeType::Map: {
        json::object o;
        for (Entry& e : entries(n, path)) {
          const std::string p = dotted(path, e.key);
          if (env != Env::raw && e.value.IsScalar() && e.value.Scalar().starts_with(kEnvPrefix)) {
            auto v = text(e.value, p, env);
            if (v) o[e.key] = json::string(*v);
            continue;
          }
          o[e.key] = to_json(e.value, p, env, depth + 1);
        }
        return o;
      }
      case YAML::NodeType::Sequence: {
        json::array a;
        count(n.size());
        std::size_t i = 0;
        for (const auto& item : n) {
          a.push_back(to_json(item, path + "[" + std::to_string(i++) + "]", env, depth + 1));
          if (failed()) break;
        }
        return a;
      }
      case YAML::NodeType::Scalar:
        if (is_plain(n)) return plain_scalar_json(n.Scalar());
        return json::string(n.Scalar());
      default:
        return nullptr;
    }
  }

  /// Ignored subtrees are not read, but LiteLLM resolves os.environ/ in them: say when a
  /// variable is unset, so a missing secret is visible before the feature is implemented.
  void check_env(const YAML::Node& n, const std::string& path, std::size_t depth = 0) {
    if (failed() || depth > kMaxConfigDepth) return;
    count(1);
    if ((n.IsMap() || n.IsSequence()) && open_.contains(n)) {
      fail(path, "an alias refers to a map or list that contains it");
      return;
    }
    OpenNodes::Guard guard(open_, n);
    if (n.IsScalar()) {
      if (n.Scalar().starts_with(kEnvPrefix)) text(n, path, Env::optional);
    } else if (n.IsMap()) {
      for (const Entry& e : entries(n, path))
        check_env(e.value, dotted(path, e.key), depth + 1);
    } else if (n.IsSequence()) {
      count(n.size());
      std::size_t i = 0;
      for (const auto& item : n)
        check_env(item, path + "[" + std::to_string(i++) + "]", depth + 1);
    }
  }

  /// A section that must be a map (or empty). Returns its entries.
  std::optional<std::vector<Entry>> section(const YAML::Node& n, const std::string& path) {
    if (n.IsNull()) return std::vector<Entry>{};
    if (!n.IsMap()) {
      fail(path, "expected a map, got " + kind(n));
      return std::nullopt;
    }
    return entries(n, path);
  }

  // ---- sections ----

  void read(YAML::Node root) {  // a handle: `include` merges into the same tree
    if (!root.IsDefined() || root.IsNull()) return;  // an empty file: no models, defaults
    if (!root.IsMap()) {
      fail("",
           "the top level must be a map of sections (model_list, litellm_settings, ...), "
           "got " +
               kind(root));
      return;
    }
    if (const YAML::Node& croot = root; croot["include"]) include(root, croot["include"]);
    if (failed()) return;
    const std::vector<Entry> top = entries(root, "");
    // LiteLLM exports environment_variables before it builds the router, wherever they appear.
    for (const Entry& e : top) {
      if (e.key == "environment_variables") read_environment(e.value);
    }
    for (const Entry& e : top) {
      if (failed()) return;
      if (e.key == "environment_variables" || e.key == "include") continue;
      if (e.key == "model_list") {
        read_model_list(e.value);
      } else if (e.key == "litellm_settings") {
        read_litellm_settings(e.value);
      } else if (e.key == "general_settings") {
        read_general_settings(e.value);
      } else if (e.key == "router_settings") {
        read_router_settings(e.value);
      } else if (contains(keys::kTopIgnored, e.key)) {
        ignore(e.key);
        check_env(e.value, e.key);
      } else {
        unknown_key(kTop, e.key, e.key, {&kLitellm, &kGeneral, &kRouter});
      }
    }
    if (!failed()) finish();
  }

  /// LiteLLM's `include: [file, ...]`: each file (relative to the config's folder) is read and
  /// its top-level keys merged in: lists (model_list) are extended, other keys replaced.
  void include(YAML::Node& root, const YAML::Node& list) {
    if (!base_dir_) {
      warn("'include' needs the config to be read from a file; ignored");
      return;
    }
    std::vector<std::string> files;
    if (list.IsScalar()) {
      files.push_back(list.Scalar());
    } else if (list.IsSequence()) {
      std::size_t i = 0;
      for (const auto& item : list) {
        const std::string p = "include[" + std::to_string(i++) + "]";
        if (!item.IsScalar()) return fail(p, "expected a file name, got " + kind(item));
        files.push_back(item.Scalar());
      }
    } else if (!list.IsNull()) {
      return fail("include", "expected a list of file names, got " + kind(list));
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < files.size() && !failed(); ++i) {
      const std::filesystem::path file = std::filesystem::path(files[i]).is_absolute()
                                             ? std::filesystem::path(files[i])
                                             : *base_dir_ / files[i];
      auto text = read_text_file(file.string());
      if (!text) return fail("include[" + std::to_string(i) + "]", text.error().message);
      total += text->size();
      if (total > kMaxConfigBytes) {
        return fail("include", "the included files are larger than " +
                                   std::to_string(kMaxConfigBytes >> 20) + " MiB together");
      }
      auto parsed = parse_yaml(*text, file.string());
      if (!parsed) {
        error_ = std::move(parsed).error();
        return;
      }
      if (parsed->IsNull()) continue;
      if (!parsed->IsMap()) {
        return fail("include[" + std::to_string(i) + "]",
                    file.string() + " must be a map of sections, got " + kind(*parsed));
      }
      for (const Entry& e : entries(*parsed, "")) {
        if (e.key == "include") {
          warn("'include' inside the included " + file.string() + " is not followed; ignored");
          continue;
        }
        YAML::Node target = root[e.key];
        if (target.IsSequence() && e.value.IsSequence()) {
          count(e.value.size());
          for (const auto& item : e.value)
            target.push_back(item);
        } else {
          root[e.key] = e.value;
        }
      }
    }
  }

  void read_environment(const YAML::Node& n) {
    auto items = section(n, "environment_variables");
    if (!items) return;
    for (const Entry& e : *items) {
      const std::string path = "environment_variables." + e.key;
      if (e.key.empty() || e.key.find('=') != std::string::npos ||
          e.key.find('\0') != std::string::npos) {
        warn("'" + path + "' is not a valid environment variable name; not exported");
        continue;
      }
      if (!e.value.IsScalar()) {
        warn("'" + path + "' is not a string, number or boolean; not exported");
        continue;
      }
      // LiteLLM resolves an os.environ/ value from the real environment, skipping unset ones.
      std::optional<std::string> v;
      if (e.value.Scalar().starts_with(kEnvPrefix)) {
        const std::string name = e.value.Scalar().substr(kEnvPrefix.size());
        v = core::getenv_opt(name.c_str());
        if (!v) {
          warn("environment variable " + name + " is not set (used by " + path + "); not exported");
          continue;
        }
      } else {
        v = e.value.Scalar();
      }
      exported_[e.key] = *v;
      cfg_.environment_variables[e.key] = *v;
      if (options_.export_environment) ::setenv(e.key.c_str(), v->c_str(), 1);
    }
  }

  /// A settings section: `handle(key, value, path)` reads the keys we implement and returns
  /// false for the others; keys LiteLLM knows that we ignore are listed, the rest are unknown.
  template <class Handle>
  void read_section(const YAML::Node& n, const Section& s,
                    std::initializer_list<const Section*> elsewhere, Handle&& handle) {
    auto items = section(n, std::string(s.name));
    if (!items) return;
    for (const Entry& e : *items) {
      if (failed()) return;
      const std::string path = std::string(s.name) + "." + e.key;
      if (handle(e.key, e.value, path)) continue;
      if (contains(s.ignored, e.key)) {
        ignore(path);
        check_env(e.value, path);
      } else {
        unknown_key(s, path, e.key, elsewhere);
      }
    }
  }

  void read_litellm_settings(const YAML::Node& n) {
    LitellmSettings& ls = cfg_.litellm;
    read_section(n, kLitellm, {&kGeneral, &kRouter, &kTop},
                 [&](const std::string& key, const YAML::Node& v, const std::string& path) {
                   if (key == "drop_params") {
                     if (auto b = boolean(v, path)) ls.drop_params = *b;
                   } else if (key == "request_timeout") {
                     if (auto d = number(v, path, true)) ls.request_timeout_s = *d;
                   } else if (key == "set_verbose") {
                     if (auto b = boolean(v, path)) ls.set_verbose = *b;
                   } else if (key == "json_logs") {
                     if (auto b = boolean(v, path)) ls.json_logs = *b;
                   } else {
                     return read_overlap(key, v, path, litellm_overlap_);
                   }
                   return true;
                 });
  }

  void read_general_settings(const YAML::Node& n) {
    GeneralSettings& gs = cfg_.general;
    read_section(n, kGeneral, {&kLitellm, &kRouter, &kTop},
                 [&](const std::string& key, const YAML::Node& v, const std::string& path) {
                   if (key == "master_key") {
                     master_key_set_ = true;
                     if (auto s = string(v, path)) gs.master_key = *s;
                   } else if (key == "max_request_size_mb") {
                     if (auto i = integer(v, path, 1)) {
                       gs.max_request_size_mb = static_cast<std::size_t>(*i);
                     }
                   } else {
                     return false;
                   }
                   return true;
                 });
  }

  void read_router_settings(const YAML::Node& n) {
    RouterSettings& rs = cfg_.router;
    read_section(n, kRouter, {&kGeneral, &kLitellm, &kTop},
                 [&](const std::string& key, const YAML::Node& v, const std::string& path) {
                   if (key == "routing_strategy") {
                     read_strategy(v, path);
                   } else if (key == "stream_timeout") {
                     if (auto d = number(v, path, true)) rs.stream_timeout_s = *d;
                   } else if (key == "disable_cooldowns") {
                     if (auto b = boolean(v, path)) rs.disable_cooldowns = *b;
                   } else if (key == "enable_pre_call_checks") {
                     if (auto b = boolean(v, path)) rs.enable_pre_call_checks = *b;
                   } else if (key == "retry_policy") {
                     read_retry_policy(v, path);
                   } else if (key == "default_litellm_params") {
                     if (!v.IsNull() && !v.IsMap()) {
                       fail(path, "expected a map, got " + kind(v));
                     } else {
                       default_litellm_params_ = v;
                     }
                   } else {
                     return read_overlap(key, v, path, router_overlap_);
                   }
                   return true;
                 });
  }

  /// The keys litellm_settings and router_settings share. False when `key` is not one of them.
  bool read_overlap(const std::string& key, const YAML::Node& v, const std::string& path,
                    Overlap& o) {
    if (key == "num_retries") {
      o.num_retries = small_int(v, path);
    } else if (key == "allowed_fails") {
      o.allowed_fails = small_int(v, path);
    } else if (key == "max_fallbacks") {
      o.max_fallbacks = small_int(v, path);
    } else if (key == "cooldown_time") {
      o.cooldown_time = number(v, path);
    } else if (key == "retry_after") {
      o.retry_after = number(v, path);
    } else if (key == "timeout" && &o == &router_overlap_) {
      o.timeout = number(v, path, true);
    } else if (key == "fallbacks") {
      o.fallbacks = read_fallbacks(v, path, true);
    } else if (key == "content_policy_fallbacks") {
      o.content_policy_fallbacks = read_fallbacks(v, path, true);
    } else if (key == "context_window_fallbacks") {
      // LiteLLM validates the shape of fallbacks and content_policy_fallbacks at startup, not
      // of these: a malformed entry only warns.
      o.context_window_fallbacks = read_fallbacks(v, path, false);
    } else if (key == "default_fallbacks") {
      o.default_fallbacks = read_string_list(v, path);
    } else {
      return false;
    }
    return true;
  }

  std::optional<std::vector<std::string>> read_string_list(const YAML::Node& v,
                                                           const std::string& path) {
    std::vector<std::string> out;
    if (v.IsNull()) return out;
    if (v.IsScalar()) {  // one name given without brackets
      if (auto s = string(v, path)) out.push_back(*s);
      return out;
    }
    if (!v.IsSequence()) {
      fail(path, "expected a list of model names, got " + kind(v));
      return std::nullopt;
    }
    count(v.size());
    std::size_t i = 0;
    for (const auto& item : v) {
      auto s = string(item, path + "[" + std::to_string(i++) + "]");
      if (failed()) return std::nullopt;
      if (s) out.push_back(*s);
    }
    return out;
  }

  /// [{model_group: [fallback, ...]}, ...]; a single fallback may be written without a list.
  std::optional<Fallbacks> read_fallbacks(const YAML::Node& v, const std::string& path,
                                          bool strict_shape) {
    Fallbacks out;
    if (v.IsNull()) return out;
    if (!v.IsSequence()) {
      fail(path, "expected a list of {model_name: [fallbacks]} maps, got " + kind(v));
      return std::nullopt;
    }
    count(v.size());
    std::size_t i = 0;
    for (const auto& item : v) {
      const std::string p = path + "[" + std::to_string(i++) + "]";
      if (!item.IsMap() || item.size() != 1) {
        const std::string why = !item.IsMap() ? "is " + kind(item) + ", not a map"
                                              : "has " + std::to_string(item.size()) + " keys";
        if (strict_shape) {
          fail(p, why +
                      "; each fallback is a map with exactly one key, {model_name: [fallbacks]}"
                      " (LiteLLM refuses it too)");
          return std::nullopt;
        }
        warn("'" + p + "' " + why + ", not a {model_name: [fallbacks]} map; ignored");
        continue;
      }
      auto pairs = entries(item, p);
      if (failed() || pairs.empty()) return std::nullopt;
      auto targets = read_string_list(pairs.front().value, dotted(p, pairs.front().key));
      if (!targets) return std::nullopt;
      out.emplace_back(pairs.front().key, std::move(*targets));
    }
    return out;
  }

  void read_strategy(const YAML::Node& v, const std::string& path) {
    auto s = string(v, path);
    if (!s) return;
    if (contains(keys::kRoutingStrategies, *s)) {
      cfg_.router.routing_strategy = *s;
      return;
    }
    std::string line = "unknown value " + shown(*s) + " for '" + path + "'";
    if (auto near = closest(*s, {keys::kRoutingStrategies})) {
      line += " (did you mean '" + std::string(*near) + "'?)";
    }
    warn(line + "; using simple-shuffle, as LiteLLM does");
    cfg_.router.routing_strategy = "simple-shuffle";
  }

  void read_retry_policy(const YAML::Node& v, const std::string& path) {
    auto items = section(v, path);
    if (!items) return;
    RetryPolicy& rp = cfg_.router.retry_policy;
    for (const Entry& e : *items) {
      const std::string p = dotted(path, e.key);
      std::optional<int>* slot = nullptr;
      if (e.key == "BadRequestErrorRetries") slot = &rp.bad_request;
      if (e.key == "AuthenticationErrorRetries") slot = &rp.authentication;
      if (e.key == "TimeoutErrorRetries") slot = &rp.timeout;
      if (e.key == "RateLimitErrorRetries") slot = &rp.rate_limit;
      if (e.key == "ContentPolicyViolationErrorRetries") slot = &rp.content_policy;
      if (e.key == "InternalServerErrorRetries") slot = &rp.internal_server;
      if (slot == nullptr) {
        unknown_with_suggestion(p, e.key, {keys::kRetryPolicyKeys});
        continue;
      }
      *slot = small_int(e.value, p);
      if (failed()) return;
    }
  }

  // ---- model_list ----

  void read_model_list(const YAML::Node& n) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
      fail("model_list", "expected a list of models, got " + kind(n));
      return;
    }
    count(n.size());
    std::size_t i = 0;
    for (const auto& item : n) {
      if (failed()) return;
      read_deployment(item, i++);
    }
  }

  /// provider, upstream model and whether we serve it, as LiteLLM's get_llm_provider decides.
  static void classify(DeploymentConfig& d, const std::optional<std::string>& custom_provider) {
    const std::string& m = d.model;
    const auto slash = m.find('/');
    if (custom_provider && !custom_provider->empty()) {
      d.provider = core::ascii_lower(*custom_provider);
      d.upstream_model =
          (slash != std::string::npos && core::ascii_lower(m.substr(0, slash)) == d.provider)
              ? m.substr(slash + 1)
              : m;
    } else if (slash != std::string::npos && slash > 0) {
      d.provider = core::ascii_lower(m.substr(0, slash));
      d.upstream_model = m.substr(slash + 1);
    } else {
      d.upstream_model = m;
      d.provider = infer_provider(m, !d.api_base.empty());
    }
    d.served = provider_is_served(d.provider);
  }

  /// A bare model name: OpenAI when an api_base is set (an OpenAI-compatible server) or the name
  /// is OpenAI's; Mistral when our registry knows it; a few well-known others for the warning.
  static std::string infer_provider(const std::string& model, bool has_api_base) {
    if (has_api_base) return "openai";
    for (std::string_view p : keys::kOpenAiNamePrefixes) {
      if (model.starts_with(p)) return "openai";
    }
    if (auto info = litellm::model_info(model); info && info->provider == "mistral") {
      return "mistral";
    }
    for (const auto& ip : keys::kInferredProviders) {
      if (model.starts_with(ip.prefix)) return std::string(ip.provider);
    }
    return "";
  }

  void read_deployment(const YAML::Node& n, std::size_t index) {
    const std::string path = "model_list[" + std::to_string(index) + "]";
    if (!n.IsMap()) {
      fail(path, "expected a map with model_name and litellm_params, got " + kind(n));
      return;
    }
    const std::vector<Entry> items = entries(n, path);
    auto find = [&](std::string_view key) -> const Entry* {
      for (const Entry& e : items)
        if (e.key == key) return &e;
      return nullptr;
    };
    DeploymentConfig d;
    const Entry* name = find("model_name");
    if (name == nullptr || name->value.IsNull()) {
      fail(path + ".model_name", "required key is missing");
      return;
    }
    auto model_name = string(name->value, path + ".model_name", Env::optional);
    if (failed()) return;
    if (!model_name || model_name->empty()) {
      fail(path + ".model_name", "must not be empty");
      return;
    }
    d.model_name = *model_name;

    const Entry* params = find("litellm_params");
    const std::string lp_path = path + ".litellm_params";
    if (params == nullptr || params->value.IsNull()) {
      fail(lp_path, "required key is missing");
      return;
    }
    if (!params->value.IsMap()) {
      fail(lp_path, "expected a map, got " + kind(params->value));
      return;
    }
    const std::vector<Entry> lp = entries(params->value, lp_path);
    auto lp_find = [&](std::string_view key) -> const YAML::Node* {
      for (const Entry& e : lp)
        if (e.key == key) return &e.value;
      return nullptr;
    };
    const YAML::Node* model = lp_find("model");
    if (model == nullptr || model->IsNull()) {
      fail(lp_path + ".model", "required key is missing");
      return;
    }
    auto model_text = string(*model, lp_path + ".model");
    if (failed()) return;
    if (!model_text || model_text->empty()) {
      fail(lp_path + ".model", "must not be empty");
      return;
    }
    d.model = *model_text;
    // Classification needs api_base (a bare name with an api_base is OpenAI-compatible) and
    // custom_llm_provider; read them leniently first, properly below once we know it is served.
    std::optional<std::string> custom_provider;
    if (const YAML::Node* cp = lp_find("custom_llm_provider")) {
      custom_provider = string(*cp, lp_path + ".custom_llm_provider", Env::optional);
    }
    if (const YAML::Node* ab = lp_find("api_base"); ab != nullptr && ab->IsScalar()) {
      d.api_base = ab->Scalar();
    }
    if (failed()) return;
    classify(d, custom_provider);
    d.api_base.clear();

    std::optional<std::int64_t> beside_rpm, beside_tpm;  // beside litellm_params: they win
    for (const Entry& e : items) {
      if (failed()) return;
      const std::string p = dotted(path, e.key);
      if (e.key == "model_name" || e.key == "litellm_params") continue;
      if (e.key == "model_info") {
        read_model_info(e.value, p, d);
      } else if (e.key == "rpm" || e.key == "tpm") {
        if (!d.served) continue;
        (e.key == "rpm" ? beside_rpm : beside_tpm) = integer(e.value, p);
      } else if (contains(keys::kParamsImplemented, e.key) || request_param(e.key) != nullptr ||
                 contains(keys::kParamsIgnored, e.key)) {
        const std::string reason =
            "not a model_list entry key (LiteLLM reads it under litellm_params)";
        report_unknown(p, reason, "'" + p + "' is " + reason + "; ignored");
      } else {
        unknown_with_suggestion(p, e.key, {keys::kEntryKeys});
      }
    }
    if (failed()) return;
    read_params(lp, lp_path, d);
    if (failed()) return;
    if (beside_rpm) d.rpm = beside_rpm;
    if (beside_tpm) d.tpm = beside_tpm;

    const bool generated = d.id.empty();
    if (generated) d.id = stable_id(d.model_name, params->value, lp_path);
    if (auto [it, fresh] = ids_.emplace(d.id, index); !fresh) {
      std::string unique;
      for (std::size_t k = 2; unique.empty() || ids_.count(unique) != 0; ++k) {
        unique = d.id + "-" + std::to_string(k);
      }
      const std::string earlier = "'model_list[" + std::to_string(it->second) + "]'";
      if (generated) {
        warn("'" + path + "' repeats " + earlier +
             " exactly; both are kept, the second with its id suffixed " +
             shown(unique.substr(d.id.size())));
      } else {
        warn("'" + path + "' has the same model_info.id as " + earlier + " (" + shown(d.id) +
             "); it is listed as " + shown(unique));
      }
      ids_.emplace(unique, index);
      d.id = unique;
    }
    cfg_.model_list.push_back(std::move(d));
  }

  void read_model_info(const YAML::Node& v, const std::string& path, DeploymentConfig& d) {
    if (v.IsNull()) return;
    if (!v.IsMap()) {
      fail(path, "expected a map, got " + kind(v));
      return;
    }
    json::value info = to_json(v, path, Env::optional);
    if (failed() || !info.is_object()) return;
    d.model_info = std::move(info.get_object());
    if (const json::value* id = d.model_info.if_contains("id")) {
      if (id->is_string()) {
        d.id = std::string(id->get_string());
      } else if (id->is_int64() || id->is_uint64()) {
        d.id = json::serialize(*id);
      } else if (!id->is_null()) {
        fail(path + ".id", "expected a string or an integer");
      }
    }
  }

  /// litellm_params. Only a served deployment's values are read and type-checked: we never use
  /// the others, and LiteLLM does not check them at startup either. Unknown keys warn for all.
  void read_params(const std::vector<Entry>& lp, const std::string& path, DeploymentConfig& d) {
    static const std::vector<std::string_view> kParamNames = request_param_names();
    std::optional<bool> drop;
    for (const Entry& e : lp) {
      if (failed()) return;
      const std::string p = dotted(path, e.key);
      const YAML::Node& v = e.value;
      const bool implemented = contains(keys::kParamsImplemented, e.key);
      const keys::RequestParam* rp = request_param(e.key);
      if (!implemented && rp == nullptr) {
        if (contains(keys::kParamsIgnored, e.key)) {
          ignore("model_list[*].litellm_params." + e.key);
          check_env(v, p);
        } else if (contains(keys::kEntryKeys, e.key)) {
          const std::string reason =
              "not a litellm_params key (LiteLLM reads it in the model_list entry)";
          report_unknown(p, reason, "'" + p + "' is " + reason + "; ignored");
        } else {
          unknown_with_suggestion(p, e.key,
                                  {keys::kParamsImplemented, kParamNames, keys::kParamsIgnored});
        }
        continue;
      }
      if (!d.served) {
        check_env(v, p);
        continue;
      }
      if (rp != nullptr) {
        json::value jv = request_value(v, p, rp->type);
        if (!failed() && !jv.is_null()) d.default_params[e.key] = std::move(jv);
        continue;
      }
      if (e.key == "model" || e.key == "custom_llm_provider") continue;  // already read
      if (e.key == "api_key") {
        if (auto s = string(v, p)) d.api_key = *s;
      } else if (e.key == "api_base") {
        if (auto s = string(v, p)) d.api_base = *s;
      } else if (e.key == "rpm") {
        if (auto i = integer(v, p)) d.rpm = *i;
      } else if (e.key == "tpm") {
        if (auto i = integer(v, p)) d.tpm = *i;
      } else if (e.key == "timeout") {
        if (auto t = number(v, p, true)) d.timeout_s = *t;
      } else if (e.key == "stream_timeout") {
        if (auto t = number(v, p, true)) d.stream_timeout_s = *t;
      } else if (e.key == "max_retries") {
        d.max_retries = small_int(v, p);
      } else if (e.key == "weight") {
        if (auto w = number(v, p)) d.weight = *w;
      } else if (e.key == "order") {
        d.order = small_int(v, p, std::numeric_limits<int>::min());
      } else if (e.key == "cooldown_time") {
        d.cooldown_time_s = number(v, p);
      } else if (e.key == "drop_params") {
        drop = boolean(v, p);
      } else if (e.key == "extra_headers" || e.key == "headers") {
        read_headers(v, p, d);
      } else if (e.key == "reasoning_mode") {
        read_reasoning_mode(v, p, d);
      } else if (e.key == "reasoning_prompt") {
        if (auto s = string(v, p)) d.reasoning_prompt = *s;
      }
    }
    if (drop) deployment_drop_params_[cfg_.model_list.size()] = *drop;
  }

  /// A request parameter's value, typed as OpenAI's API expects it.
  json::value request_value(const YAML::Node& v, const std::string& path, keys::ParamType type) {
    using keys::ParamType;
    if (v.IsNull()) return nullptr;
    switch (type) {
      case ParamType::number: {
        auto d = number_any_sign(v, path);
        return d ? json::value(*d) : json::value(nullptr);
      }
      case ParamType::integer: {
        auto i = integer(v, path, std::numeric_limits<std::int64_t>::min());
        return i ? json::value(*i) : json::value(nullptr);
      }
      case ParamType::boolean: {
        auto b = boolean(v, path);
        return b ? json::value(*b) : json::value(nullptr);
      }
      case ParamType::string: {
        auto s = string(v, path);
        return s ? json::value(json::string(*s)) : json::value(nullptr);
      }
      default:
        break;
    }
    json::value jv;
    if (v.IsScalar() && v.Scalar().starts_with(kEnvPrefix)) {
      if (auto s = text(v, path, Env::required)) jv = json::string(*s);
    } else {
      jv = to_json(v, path, Env::required);
    }
    if (failed() || jv.is_null()) return nullptr;
    const bool ok = (type == ParamType::object && jv.is_object()) ||
                    (type == ParamType::list && jv.is_array()) ||
                    (type == ParamType::string_or_list && (jv.is_string() || jv.is_array())) ||
                    (type == ParamType::string_or_object && (jv.is_string() || jv.is_object())) ||
                    type == ParamType::any;
    if (!ok) {
      const char* want = type == ParamType::object           ? "a map"
                         : type == ParamType::list           ? "a list"
                         : type == ParamType::string_or_list ? "a string or a list"
                                                             : "a string or a map";
      fail(path, std::string("expected ") + want + ", got " + kind(v));
      return nullptr;
    }
    return jv;
  }

  /// Request numbers may be negative (penalties); seconds may not.
  std::optional<double> number_any_sign(const YAML::Node& n, const std::string& path) {
    bool from_env = false;
    auto t = text(n, path, Env::required, &from_env, "a number");
    if (!t) return std::nullopt;
    auto v = parse_double_text(*t);
    if (!v)
      fail(path, "expected a number, got " + (from_env ? "the environment value" : shown(*t)));
    return v;
  }

  void read_headers(const YAML::Node& v, const std::string& path, DeploymentConfig& d) {
    auto items = section(v, path);
    if (!items) return;
    for (const Entry& e : *items) {
      auto s = string(e.value, dotted(path, e.key));
      if (failed()) return;
      if (s) d.extra_headers.emplace_back(e.key, *s);
    }
  }

  void read_reasoning_mode(const YAML::Node& v, const std::string& path, DeploymentConfig& d) {
    using providers::ReasoningMode;
    auto s = string(v, path);
    if (!s) return;
    static constexpr std::pair<std::string_view, ReasoningMode> kModes[] = {
        {"automatic", ReasoningMode::automatic},
        {"prompt", ReasoningMode::prompt},
        {"prompt_mode", ReasoningMode::prompt_mode},
        {"passthrough", ReasoningMode::passthrough},
        {"drop", ReasoningMode::drop},
    };
    for (const auto& [name, mode] : kModes) {
      if (*s == name) {
        d.reasoning = mode;
        return;
      }
    }
    std::string reason = "unknown reasoning mode " + shown(*s);
    if (auto near = closest(*s, {keys::kReasoningModes})) {
      reason += " (did you mean '" + std::string(*near) + "'?)";
    }
    fail(path, reason + "; one of automatic, prompt, prompt_mode, passthrough, drop");
  }

  /// SHA-256 of the entry as written (os.environ/ names, not their values), so an id survives a
  /// key rotation and never depends on a secret.
  std::string stable_id(const std::string& model_name, const YAML::Node& params,
                        const std::string& path) {
    json::value raw = to_json(params, path, Env::raw);
    std::vector<std::pair<std::string, std::string>> sorted;
    if (raw.is_object()) {
      for (const auto& kv : raw.get_object()) {
        sorted.emplace_back(std::string(kv.key()), json::serialize(kv.value()));
      }
    }
    std::sort(sorted.begin(), sorted.end());
    std::string canonical = model_name;
    for (const auto& [k, v] : sorted)
      canonical += "\n" + k + "=" + v;
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(canonical.data(), canonical.size(), md.data(), &len, EVP_sha256(), nullptr) !=
        1) {
      fail(path, "cannot hash the deployment");
      return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
      hex += kHex[md[i] >> 4];
      hex += kHex[md[i] & 0xf];
    }
    return hex;
  }

  // ---- after every section was read ----

  void finish() {
    if (!master_key_set_) {  // LiteLLM: general_settings.get("master_key", $LITELLM_MASTER_KEY)
      cfg_.general.master_key = env_value("LITELLM_MASTER_KEY").value_or("");
    }
    RouterSettings& rs = cfg_.router;
    const Overlap& r = router_overlap_;
    const Overlap& l = litellm_overlap_;
    if (auto v = r.num_retries ? r.num_retries : l.num_retries) rs.num_retries = *v;
    if (auto v = r.allowed_fails ? r.allowed_fails : l.allowed_fails) rs.allowed_fails = *v;
    if (auto v = r.max_fallbacks ? r.max_fallbacks : l.max_fallbacks) rs.max_fallbacks = *v;
    if (auto v = r.cooldown_time ? r.cooldown_time : l.cooldown_time) rs.cooldown_time_s = *v;
    if (auto v = r.retry_after ? r.retry_after : l.retry_after) rs.retry_after_s = *v;
    // router_settings.timeout, else litellm_settings.request_timeout (LiteLLM: timeout or
    // litellm.request_timeout).
    rs.timeout_s = r.timeout ? r.timeout : cfg_.litellm.request_timeout_s;
    // LiteLLM: `fallbacks or litellm.fallbacks`: an empty router list defers too.
    auto pick = [](const auto& a, const auto& b, auto& out, const char* key) -> std::string {
      if (a && !a->empty()) {
        out = *a;
        return std::string("router_settings.") + key;
      }
      if (b) out = *b;
      return std::string("litellm_settings.") + key;
    };
    const std::string fb = pick(r.fallbacks, l.fallbacks, rs.fallbacks, "fallbacks");
    const std::string cw = pick(r.context_window_fallbacks, l.context_window_fallbacks,
                                rs.context_window_fallbacks, "context_window_fallbacks");
    const std::string cp = pick(r.content_policy_fallbacks, l.content_policy_fallbacks,
                                rs.content_policy_fallbacks, "content_policy_fallbacks");
    const std::string df =
        pick(r.default_fallbacks, l.default_fallbacks, rs.default_fallbacks, "default_fallbacks");

    json::object defaults = router_default_params();
    if (failed()) return;
    for (std::size_t i = 0; i < cfg_.model_list.size(); ++i) {
      DeploymentConfig& d = cfg_.model_list[i];
      if (!d.served) continue;
      auto drop = deployment_drop_params_.find(i);
      d.drop_params =
          drop != deployment_drop_params_.end() ? drop->second : cfg_.litellm.drop_params;
      if (!d.timeout_s) d.timeout_s = rs.timeout_s;
      if (!d.stream_timeout_s) d.stream_timeout_s = rs.stream_timeout_s;
      for (const auto& kv : defaults) {
        if (!d.default_params.contains(kv.key())) d.default_params[kv.key()] = kv.value();
      }
    }
    check_fallback_targets(fb, cw, cp, df);
    report_unserved();
  }

  /// router_settings.default_litellm_params: request parameters for every deployment (each
  /// deployment's own litellm_params win); other litellm params there are ignored.
  json::object router_default_params() {
    json::object out;
    if (!default_litellm_params_.IsMap()) return out;
    const std::string path = "router_settings.default_litellm_params";
    for (const Entry& e : entries(default_litellm_params_, path)) {
      const std::string p = dotted(path, e.key);
      if (const keys::RequestParam* rp = request_param(e.key)) {
        json::value v = request_value(e.value, p, rp->type);
        if (failed()) return {};
        if (!v.is_null()) out[e.key] = std::move(v);
      } else {
        ignore(p);
        check_env(e.value, p);
      }
    }
    return out;
  }

  void check_fallback_targets(const std::string& fb, const std::string& cw, const std::string& cp,
                              const std::string& df) {
    std::set<std::string> groups;
    std::vector<std::string> names;
    for (const auto& d : cfg_.model_list) {
      if (groups.insert(d.model_name).second) names.push_back(d.model_name);
    }
    std::vector<std::string_view> name_views(names.begin(), names.end());
    auto check = [&](const std::string& path, const std::string& target) {
      if (target == "*" || groups.count(target) != 0) return;
      std::string line =
          "'" + path + "' names " + shown(target) + ", which is not a model_name in model_list";
      if (ids_.count(target) != 0) {
        line += " (it is a model_info.id; fallbacks name model groups)";
      } else if (auto near = closest(target, {name_views})) {
        line += " (did you mean '" + std::string(*near) + "'?)";
      }
      warn(line);
    };
    const RouterSettings& rs = cfg_.router;
    auto check_all = [&](const Fallbacks& f, const std::string& name) {
      for (std::size_t i = 0; i < f.size(); ++i) {
        const std::string p = name + "[" + std::to_string(i) + "]";
        check(p, f[i].first);
        for (const auto& t : f[i].second)
          check(p + "." + f[i].first, t);
      }
    };
    check_all(rs.fallbacks, fb);
    check_all(rs.context_window_fallbacks, cw);
    check_all(rs.content_policy_fallbacks, cp);
    for (std::size_t i = 0; i < rs.default_fallbacks.size(); ++i) {
      check(df + "[" + std::to_string(i) + "]", rs.default_fallbacks[i]);
    }
  }

  /// One line: the providers we do not serve and the model groups that use them.
  void report_unserved() {
    std::vector<std::pair<std::string, std::vector<std::string>>> by_provider;
    for (const auto& d : cfg_.model_list) {
      if (d.served) continue;
      const std::string provider = d.provider.empty() ? "unknown provider" : d.provider;
      auto it = std::find_if(by_provider.begin(), by_provider.end(),
                             [&](const auto& p) { return p.first == provider; });
      if (it == by_provider.end()) {
        by_provider.push_back({provider, {}});
        it = std::prev(by_provider.end());
      }
      if (std::find(it->second.begin(), it->second.end(), d.model_name) == it->second.end()) {
        it->second.push_back(d.model_name);
      }
    }
    if (by_provider.empty()) return;
    std::vector<std::string> parts;
    for (const auto& [provider, names] : by_provider) {
      parts.push_back(provider + " (" + join(names, ", ") + ")");
    }
    warn("providers not served by this gateway, listed in /v1/models but answering 400: " +
         join(parts, "; "));
  }

  const LoadOptions& options_;
  std::string origin_;
  std::optional<std::filesystem::path> base_dir_;
  GatewayConfig cfg_;
  std::optional<Error> error_;
  std::vector<std::pair<std::string, std::string>> unknown_;  ///< (path, reason), for --strict
  std::set<std::string> ignored_seen_;
  std::map<std::string, std::size_t> ids_;  ///< deployment id -> model_list index
  std::map<std::string, std::string> exported_;
  Overlap litellm_overlap_, router_overlap_;
  YAML::Node default_litellm_params_;
  std::map<std::size_t, bool> deployment_drop_params_;
  std::size_t visits_ = 0;
  std::vector<YAML::Node> merging_;  ///< maps whose "<<" keys are being expanded
  OpenNodes open_;                   ///< maps and lists to_json/check_env are inside
  bool master_key_set_ = false;
};

// ---- env_references ---------------------------------------------------------------------------

void collect_env(const YAML::Node& n, std::vector<std::string>& out, std::set<std::string>& seen,
                 OpenNodes& open, std::size_t depth, std::size_t& budget) {
  if (depth > kMaxConfigDepth || budget == 0) return;
  --budget;
  if ((n.IsMap() || n.IsSequence()) && open.contains(n)) return;
  OpenNodes::Guard guard(open, n);
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s.starts_with(kEnvPrefix) && s.size() > kEnvPrefix.size()) {
      std::string name = s.substr(kEnvPrefix.size());
      if (seen.insert(name).second) out.push_back(std::move(name));
    }
  } else if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end() && budget > 0; ++it) {
      collect_env(it->second, out, seen, open, depth + 1, budget);
    }
  } else if (n.IsSequence()) {
    for (auto it = n.begin(); it != n.end() && budget > 0; ++it) {
      collect_env(*it, out, seen, open, depth + 1, budget);
    }
  }
}

}  // namespace

bool provider_is_served(std::string_view provider) noexcept {
  return std::find(std::begin(keys::kServedProviders), std::end(keys::kServedProviders),
                   provider) != std::end(keys::kServedProviders);
}

Result<GatewayConfig> load_config_text(const std::string& yaml, const LoadOptions& options,
                                       const std::string& origin) {
  try {
    return Loader(options, origin, std::nullopt).load(yaml);
  } catch (const std::exception& e) {  // allocation failure or a parser bug: still an Error
    return Error::make(ErrorKind::bad_request, origin + ": cannot read the config: " + e.what());
  }
}

Result<GatewayConfig> load_config_file(const std::string& path, const LoadOptions& options) {
  auto text = read_text_file(path);
  if (!text) return std::move(text).error();
  try {
    return Loader(options, path, std::filesystem::path(path).parent_path()).load(*text);
  } catch (const std::exception& e) {
    return Error::make(ErrorKind::bad_request, path + ": cannot read the config: " + e.what());
  }
}

std::vector<std::string> startup_lines(const GatewayConfig& config) {
  std::vector<std::string> lines = config.warnings;
  if (!config.ignored_keys.empty()) {
    lines.push_back("config: accepted but not implemented, ignored: " +
                    join(config.ignored_keys, ", "));
  }
  return lines;
}

std::vector<std::string> env_references(const std::string& yaml) {
  std::vector<std::string> out;
  if (yaml.size() > kMaxConfigBytes || nesting_problem(yaml)) return out;
  try {
    const YAML::Node root = YAML::Load(yaml);
    std::set<std::string> seen;
    std::size_t budget = kMaxNodeVisits;
    OpenNodes open;
    collect_env(root, out, seen, open, 0, budget);
  } catch (const std::exception&) {
    // What was collected before the failure is still useful; nothing was, for a parse error.
  }
  return out;
}

}  // namespace litellm::gateway
