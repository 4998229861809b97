// Result<T>: a T or an Error. Reads like std::optional; value() throws the LiteLLM-named
// exception for the error, so a caller picks "check" or "throw" at the call site.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "litellm/error.hpp"

namespace litellm {
inline namespace v1 {

template <class T>
class [[nodiscard]] Result {
 public:
  /// An api_error "no result". Exists because Asio default-constructs a coroutine's result when
  /// the coroutine throws; never a success.
  Result() : v_(std::in_place_index<1>, Error::make(ErrorKind::api_error, "no result")) {}
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    if (!ok()) throw_error(std::get<1>(v_));
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) throw_error(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw_error(std::get<1>(std::move(v_)));
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }

  [[nodiscard]] const Error& error() const& { return std::get<1>(v_); }
  [[nodiscard]] Error& error() & { return std::get<1>(v_); }
  [[nodiscard]] Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Result<void>: success carries nothing. The Error is held in an optional: a success (the
/// common case, often in a chain of checks) then constructs and destroys no strings.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  void value() const {
    if (error_) throw_error(*error_);
  }
  /// On a success: an empty Error (as before the optional), never undefined behaviour.
  [[nodiscard]] const Error& error() const& {
    static const Error kNone;
    return error_ ? *error_ : kNone;
  }
  [[nodiscard]] Error error() && { return error_ ? std::move(*error_) : Error(); }

 private:
  std::optional<Error> error_;
};

}  // namespace v1
}  // namespace litellm
