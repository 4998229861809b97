// litellm: one OpenAI-shaped interface to Mistral AI (and OpenAI-compatible providers).
//
//   #include <litellm/litellm.hpp>
//   auto r = litellm::completion({.model = "mistral/mistral-small-latest",
//                                 .messages = {litellm::Message::user("Hello")}});
//   std::cout << r.choices[0].message.content.value_or("") << "\n" << r << "\n";
//
// Sync forms block the calling thread and need no io_context: the SDK runs its own I/O thread
// (with a keep-alive connection pool shared by every call). Async forms are Asio awaitables,
// usable from any executor; their I/O also runs on the SDK's thread and completes back on the
// caller's executor.
//
// Errors: the sync and async forms throw the LiteLLM-named exceptions of litellm/error.hpp
// (AuthenticationError, RateLimitError, ContextWindowExceededError, ...). The try_ forms return
// Result<T> instead and never throw.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "litellm/error.hpp"
#include "litellm/models.hpp"
#include "litellm/result.hpp"
#include "litellm/types.hpp"
#include "litellm/version.hpp"

namespace litellm {
inline namespace v1 {

// ---- chat completion -------------------------------------------------------------------------

/// A chat completion. With params.stream set, the stream is collected into one response.
ModelResponse completion(const CompletionParams& params);
Result<ModelResponse> try_completion(const CompletionParams& params);
boost::asio::awaitable<ModelResponse> acompletion(CompletionParams params);

namespace detail {
class StreamState;
}

/// A streamed completion: an input range of chunks, usable in a range-for. Each chunk is yielded
/// the moment it arrives. Iteration throws the LiteLLM exception if the stream fails. Destroying
/// the stream early cancels the upstream request. usage() is available once iteration ended.
class CompletionStream {
 public:
  class iterator {
   public:
    using value_type = ModelResponseStream;
    using difference_type = std::ptrdiff_t;
    using reference = const ModelResponseStream&;
    using pointer = const ModelResponseStream*;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    reference operator*() const { return *current_; }
    pointer operator->() const { return &*current_; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, std::default_sentinel_t) { return a.at_end(); }

   private:
    friend class CompletionStream;
    explicit iterator(CompletionStream* s) : stream_(s) {}
    bool at_end() const { return stream_ == nullptr || !current_.has_value(); }
    CompletionStream* stream_ = nullptr;
    std::optional<ModelResponseStream> current_;
  };

  CompletionStream(CompletionStream&&) noexcept;
  CompletionStream& operator=(CompletionStream&&) noexcept;
  ~CompletionStream();

  iterator begin();
  std::default_sentinel_t end() const noexcept { return {}; }

  /// Next chunk, or nullopt at the end (throws on failure). Same as iterating.
  std::optional<ModelResponseStream> next();
  /// Usage reported at the end of the stream (also when include_usage was not requested).
  [[nodiscard]] std::optional<Usage> usage() const;
  /// Cost of the whole stream in USD, once it ended.
  [[nodiscard]] double response_cost() const;

 private:
  friend CompletionStream completion_stream(const CompletionParams&);
  friend class AsyncCompletionStream;
  explicit CompletionStream(std::shared_ptr<detail::StreamState> s);
  std::shared_ptr<detail::StreamState> state_;
};

/// Starts a streamed completion (params.stream is implied). Returns once the request is sent;
/// connection and status errors surface on the first next()/iteration.
CompletionStream completion_stream(const CompletionParams& params);

/// The async form of CompletionStream: `while (auto c = co_await s.next()) { ... }`.
class AsyncCompletionStream {
 public:
  AsyncCompletionStream(AsyncCompletionStream&&) noexcept;
  AsyncCompletionStream& operator=(AsyncCompletionStream&&) noexcept;
  ~AsyncCompletionStream();
  boost::asio::awaitable<std::optional<ModelResponseStream>> next();
  [[nodiscard]] std::optional<Usage> usage() const;
  [[nodiscard]] double response_cost() const;

 private:
  friend boost::asio::awaitable<AsyncCompletionStream> acompletion_stream(CompletionParams);
  explicit AsyncCompletionStream(std::shared_ptr<detail::StreamState> s);
  std::shared_ptr<detail::StreamState> state_;
};

boost::asio::awaitable<AsyncCompletionStream> acompletion_stream(CompletionParams params);

/// Builds the full response a stream describes (LiteLLM's stream_chunk_builder).
ModelResponse stream_chunk_builder(const std::vector<ModelResponseStream>& chunks);

// ---- embeddings ------------------------------------------------------------------------------

EmbeddingResponse embedding(const EmbeddingParams& params);
Result<EmbeddingResponse> try_embedding(const EmbeddingParams& params);
boost::asio::awaitable<EmbeddingResponse> aembedding(EmbeddingParams params);

// ---- cost ------------------------------------------------------------------------------------

/// Cost in USD of a response, from its usage and the model registry's prices (0 when the model
/// is unknown to the registry).
double completion_cost(const ModelResponse& response);
double completion_cost(const EmbeddingResponse& response);
/// Cost of a token count for a model ("mistral/..." or a bare Mistral name).
double cost_per_token(std::string_view model, std::int64_t prompt_tokens,
                      std::int64_t completion_tokens);

}  // namespace v1
}  // namespace litellm
