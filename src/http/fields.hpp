// HTTP header fields allocated from per-thread free lists.
//
// Beast stores each parsed header field in its own heap block (name and value inline). An SDK
// client's request has a dozen or so fields, each a malloc when parsed and a free when done with:
// on the gateway's hot path, every request.
// FieldAllocator keeps freed blocks of a few size classes on a per-thread free list and hands them
// out again, which costs a few instructions instead of a trip through glibc's allocator.
#pragma once

#include <array>
#include <cstddef>
#include <new>

#include <boost/beast/http/fields.hpp>

namespace litellm::http {

namespace fields_detail {

// Size classes in bytes; larger blocks (a header field over ~450 bytes) go to operator new.
inline constexpr std::array<std::size_t, 4> kClasses{64, 128, 256, 512};
// Free blocks kept per class and thread: enough for the fields of a few dozen answers in
// flight; beyond it a freed block goes back to operator delete, so the lists stay bounded.
inline constexpr std::size_t kKeepPerClass = 256;

struct FreeBlock {
  FreeBlock* next;
};

struct FreeLists {
  std::array<FreeBlock*, kClasses.size()> head{};
  std::array<std::size_t, kClasses.size()> count{};
  FreeLists() = default;
  FreeLists(const FreeLists&) = delete;
  FreeLists& operator=(const FreeLists&) = delete;
  ~FreeLists() {
    for (FreeBlock* b : head) {
      while (b != nullptr) {
        FreeBlock* next = b->next;
        ::operator delete(b);
        b = next;
      }
    }
  }
};

inline FreeLists& lists() {
  thread_local FreeLists l;
  return l;
}

inline std::size_t class_of(std::size_t bytes) noexcept {
  for (std::size_t i = 0; i < kClasses.size(); ++i) {
    if (bytes <= kClasses[i]) return i;
  }
  return kClasses.size();
}

inline void* allocate(std::size_t bytes) {
  const std::size_t c = class_of(bytes);
  if (c == kClasses.size()) return ::operator new(bytes);
  FreeLists& l = lists();
  if (FreeBlock* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  return ::operator new(kClasses[c]);
}

// A block may be freed on another thread than the one that allocated it (an SDK response moved
// across threads): it then joins that thread's list, which is just as good.
inline void deallocate(void* p, std::size_t bytes) noexcept {
  const std::size_t c = class_of(bytes);
  if (c == kClasses.size()) {
    ::operator delete(p);
    return;
  }
  FreeLists& l = lists();
  if (l.count[c] >= kKeepPerClass) {
    ::operator delete(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = l.head[c];
  l.head[c] = b;
  ++l.count[c];
}

}  // namespace fields_detail

/// A stateless allocator (every instance equal) drawing on fields_detail's per-thread lists.
template <class T>
struct FieldAllocator {
  using value_type = T;
  FieldAllocator() noexcept = default;
  template <class U>
  FieldAllocator(const FieldAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    return static_cast<T*>(fields_detail::allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { fields_detail::deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const FieldAllocator<U>&) const noexcept {
    return true;
  }
};

/// The header fields the listener answers with (ServerResponse). Requests and the client's
/// answers carry ResponseFields instead (response_fields.hpp).
using Fields = boost::beast::http::basic_fields<FieldAllocator<char>>;

}  // namespace litellm::http
