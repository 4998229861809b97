// The header fields of a parsed message: an upstream answer, as the client hands them to the
// adapters and the router, or a client's request, as the listener hands them to its handler. One
// block of text (the head as received, names lower-cased in place) and the offsets of each field
// in it: parsing a head costs two allocations whatever its number of fields, and a lookup folds
// the case of the name it looks for only. Header-only: the adapters read answers' fields without
// linking the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.hpp"

namespace litellm::http {

class ResponseFields {
 public:
  struct Field {
    std::string_view name;   ///< lower-case
    std::string_view value;  ///< without the whitespace around it
  };

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Field;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Field;

    const_iterator() = default;
    Field operator*() const noexcept { return (*fields_)[i_]; }
    const_iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) noexcept {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const const_iterator& o) const noexcept { return i_ == o.i_; }

   private:
    friend class ResponseFields;
    const_iterator(const ResponseFields* f, std::size_t i) : fields_(f), i_(i) {}
    const ResponseFields* fields_ = nullptr;
    std::size_t i_ = 0;
  };

  /// Appends a field (synthetic answers, tests); the name is stored lower-cased.
  void add(std::string_view name, std::string_view value) {
    const auto at = static_cast<std::uint32_t>(text_.size());
    text_.append(name);
    core::ascii_lower(text_.data() + at, name.size());
    text_.append(value);
    slots_.push_back({at, static_cast<std::uint32_t>(name.size()),
                      static_cast<std::uint32_t>(at + name.size()),
                      static_cast<std::uint32_t>(value.size())});
  }

  /// The value of the first field called `name` (in any letter case), if there is one.
  std::optional<std::string_view> find(std::string_view name) const noexcept {
    for (const Slot& s : slots_) {
      if (s.name_size != name.size()) continue;
      const std::string_view have(text_.data() + s.name_at, s.name_size);
      if (core::starts_with_icase(name, have)) return value_of(s);
    }
    return std::nullopt;
  }

  std::size_t size() const noexcept { return slots_.size(); }
  bool empty() const noexcept { return slots_.empty(); }
  Field operator[](std::size_t i) const noexcept {
    const Slot& s = slots_[i];
    return {std::string_view(text_.data() + s.name_at, s.name_size), value_of(s)};
  }
  const_iterator begin() const noexcept { return {this, 0}; }
  const_iterator end() const noexcept { return {this, slots_.size()}; }

 private:
  friend class MessageParser;
  struct Slot {
    std::uint32_t name_at;
    std::uint32_t name_size;
    std::uint32_t value_at;
    std::uint32_t value_size;
  };
  std::string_view value_of(const Slot& s) const noexcept {
    return {text_.data() + s.value_at, s.value_size};
  }

  std::string text_;
  std::vector<Slot> slots_;
};

}  // namespace litellm::http
