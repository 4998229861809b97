// Strings that match a JSON Schema `pattern` (an ECMA-262 regular expression), for the
// emulator's structured outputs and tool arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "emulator/textgen.hpp"

namespace litellm::emulator {

/// A string matching `pattern`, generated (not searched for): literals, escapes (\d \w \s and
/// their negations, escaped punctuation, \t \n \r), `.`, bracket classes with ranges and
/// negation, groups (capturing, `(?:`, named) with `|`, the quantifiers ? * + {n} {n,} {n,m}
/// (greedy or lazy), and ^ $ at the ends. Anything else (back-references, look-arounds, \b,
/// Unicode classes) gives nullopt: the caller falls back to an unconstrained value rather than
/// claim a match it cannot produce. The pattern is untrusted: its length, nesting and the output
/// size are bounded, and no regex engine runs on it.
[[nodiscard]] std::optional<std::string> string_matching(std::string_view pattern, Rng64& rng);

}  // namespace litellm::emulator
