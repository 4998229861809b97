#include "emulator/pattern.hpp"

#include <bitset>
#include <memory>
#include <vector>

namespace litellm::emulator {
namespace {

constexpr std::size_t kMaxPattern = 1024;
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxOutput = 4096;
constexpr int kMaxBound = 1000;            // the largest {n,m} taken literally
constexpr std::uint64_t kExtra = 3;        // repeats beyond the minimum for * + and wide {n,m}
constexpr std::size_t kMaxSteps = 100000;  // repetitions, even of groups that emit nothing

using CharSet = std::bitset<128>;

CharSet range(char lo, char hi) {
  CharSet s;
  for (int c = lo; c <= hi; ++c)
    s.set(static_cast<std::size_t>(c));
  return s;
}

CharSet printable() {
  return range(' ', '~');
}
CharSet digits() {
  return range('0', '9');
}
CharSet word() {
  return range('a', 'z') | range('A', 'Z') | digits() | range('_', '_');
}
CharSet alnum() {
  return range('a', 'z') | range('A', 'Z') | digits();
}
CharSet space() {
  CharSet s;
  for (char c : {' ', '\t', '\n', '\r', '\f', '\v'})
    s.set(static_cast<std::size_t>(c));
  return s;
}

// The character of a one-character set (an escape such as \. used as a range end), else -1.
int only_char(const CharSet& s) {
  if (s.count() != 1) return -1;
  for (std::size_t c = 0; c < s.size(); ++c) {
    if (s.test(c)) return static_cast<int>(c);
  }
  return -1;
}

struct Node;
using Sequence = std::vector<Node>;
using Alternation = std::vector<Sequence>;

struct Node {
  CharSet chars;                       // one character from this set, or
  std::shared_ptr<Alternation> group;  // a group
  int min = 1;
  int max = 1;  // -1: unbounded
};

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  std::optional<Alternation> parse() {
    auto a = alternation(0);
    if (!a || i_ != p_.size()) return std::nullopt;
    return a;
  }

 private:
  bool more() const { return i_ < p_.size(); }
  char peek() const { return p_[i_]; }

  std::optional<Alternation> alternation(int depth) {
    if (depth > kMaxDepth) return std::nullopt;
    Alternation alt(1);
    while (more() && peek() != ')') {
      const char c = peek();
      if (c == '|') {
        ++i_;
        alt.emplace_back();
        continue;
      }
      if (c == '^' || c == '$') {  // the generated string is the whole match: nothing to emit
        ++i_;
        continue;
      }
      auto node = atom(depth);
      if (!node || !quantifier(*node)) return std::nullopt;
      alt.back().push_back(std::move(*node));
    }
    return alt;
  }

  std::optional<Node> atom(int depth) {
    const char c = p_[i_++];
    Node n;
    switch (c) {
      case '.':
        n.chars = alnum();  // any but a line terminator; a readable one
        return n;
      case '[':
        return bracket();
      case '\\': {
        auto s = escape();
        if (!s) return std::nullopt;
        n.chars = *s;
        return n;
      }
      case '(': {
        if (more() && peek() == '?') {
          ++i_;
          if (!more()) return std::nullopt;
          const char k = p_[i_++];
          if (k == '<' && more() && peek() != '=' && peek() != '!') {  // (?<name>...)
            while (more() && peek() != '>')
              ++i_;
            if (!more()) return std::nullopt;
            ++i_;
          } else if (k != ':') {
            return std::nullopt;  // look-arounds
          }
        }
        auto inner = alternation(depth + 1);
        if (!inner || !more() || peek() != ')') return std::nullopt;
        ++i_;
        n.group = std::make_shared<Alternation>(std::move(*inner));
        return n;
      }
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case ')':
        return std::nullopt;  // nothing to repeat, or unbalanced
      default:
        if (static_cast<unsigned char>(c) >= 0x80 || c < ' ') return std::nullopt;
        n.chars.set(static_cast<std::size_t>(c));
        return n;
    }
  }

  std::optional<int> number() {
    if (!more() || peek() < '0' || peek() > '9') return std::nullopt;
    int v = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (peek() - '0');
      if (v > kMaxBound) return std::nullopt;
      ++i_;
    }
    return v;
  }

  bool quantifier(Node& n) {
    if (!more()) return true;
    switch (peek()) {
      case '?':
        n.min = 0;
        n.max = 1;
        break;
      case '*':
        n.min = 0;
        n.max = -1;
        break;
      case '+':
        n.min = 1;
        n.max = -1;
        break;
      case '{': {
        ++i_;
        auto lo = number();
        if (!lo) return false;
        n.min = *lo;
        n.max = *lo;
        if (more() && peek() == ',') {
          ++i_;
          n.max = -1;
          if (more() && peek() != '}') {
            auto hi = number();
            if (!hi || *hi < *lo) return false;
            n.max = *hi;
          }
        }
        if (!more() || peek() != '}') return false;
        break;
      }
      default:
        return true;
    }
    ++i_;
    if (more() && peek() == '?') ++i_;  // lazy: the same strings match
    return !(more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{'));
  }

  // After a backslash, in or out of a class (in one, \b would be a backspace: refused too).
  std::optional<CharSet> escape() {
    if (!more()) return std::nullopt;
    const char c = p_[i_++];
    CharSet s;
    switch (c) {
      case 'd':
        return digits();
      case 'D':
        return printable() & ~digits();
      case 'w':
        return word();
      case 'W':
        return printable() & ~word();
      case 's':
        return space();
      case 'S':
        return printable() & ~space();
      case 't':
        s.set('\t');
        return s;
      case 'n':
        s.set('\n');
        return s;
      case 'r':
        s.set('\r');
        return s;
      case 'f':
        s.set('\f');
        return s;
      case 'v':
        s.set('\v');
        return s;
      default:
        break;
    }
    // Escaped punctuation is itself; letters and digits other than the above are features we
    // do not generate (\b, \B, back-references, \p{..}, \x, \u, \c, \k, \0).
    if (static_cast<unsigned char>(c) >= 0x80 || c < ' ' ||
        alnum().test(static_cast<std::size_t>(c))) {
      return std::nullopt;
    }
    s.set(static_cast<std::size_t>(c));
    return s;
  }

  std::optional<Node> bracket() {
    Node n;
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++i_;
    }
    CharSet set;
    while (more() && peek() != ']') {
      CharSet item;
      int lo = -1;  // a single character, when the item is one (it may start a range)
      const char c = p_[i_++];
      if (c == '\\') {
        auto s = escape();
        if (!s) return std::nullopt;
        item = *s;
        lo = only_char(item);
      } else {
        if (static_cast<unsigned char>(c) >= 0x80 || c < ' ') return std::nullopt;
        item.set(static_cast<std::size_t>(c));
        lo = c;
      }
      if (lo >= 0 && i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        char hi = p_[i_++];
        if (hi == '\\') {
          auto s = escape();
          const int only = s ? only_char(*s) : -1;
          if (only < 0) return std::nullopt;
          hi = static_cast<char>(only);
        }
        if (static_cast<unsigned char>(hi) >= 0x80 || hi < lo) return std::nullopt;
        item = range(static_cast<char>(lo), hi);
      }
      set |= item;
    }
    if (!more()) return std::nullopt;  // unterminated
    ++i_;
    n.chars = negate ? (printable() & ~set) : set;
    if (n.chars.none()) return std::nullopt;
    return n;
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

// One character of `s`: an alphanumeric one when the set has any, so outputs stay readable.
char pick(const CharSet& s, Rng64& rng) {
  const CharSet readable = s & alnum();
  const CharSet& from = readable.any() ? readable : s;
  std::uint64_t k = rng.below(from.count());
  for (std::size_t c = 0; c < 128; ++c) {
    if (!from.test(c)) continue;
    if (k == 0) return static_cast<char>(c);
    --k;
  }
  return 'x';  // unreachable: the set is never empty
}

bool generate(const Alternation& alt, Rng64& rng, std::string& out, std::size_t& steps) {
  const Sequence& seq = alt[rng.below(alt.size())];
  for (const Node& n : seq) {
    std::uint64_t span = n.max < 0 ? kExtra : std::min<std::uint64_t>(n.max - n.min, kExtra);
    // Wide ranges such as {0,1000} keep to their minimum plus a little.
    const int count = n.min + static_cast<int>(rng.below(span + 1));
    for (int r = 0; r < count; ++r) {
      if (++steps > kMaxSteps) return false;
      if (n.group) {
        if (!generate(*n.group, rng, out, steps)) return false;
      } else {
        out += pick(n.chars, rng);
      }
      if (out.size() > kMaxOutput) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> string_matching(std::string_view pattern, Rng64& rng) {
  if (pattern.size() > kMaxPattern) return std::nullopt;
  auto tree = Parser(pattern).parse();
  if (!tree) return std::nullopt;
  std::string out;
  std::size_t steps = 0;
  if (!generate(*tree, rng, out, steps)) return std::nullopt;
  return out;
}

}  // namespace litellm::emulator
