// Time and randomness are injected so that retries, cooldowns and rate limits are tested
// without sleeping and without flakiness. Production code takes a Clock& / Rng&; tests pass
// ManualClock / SeededRng.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace litellm::core {

class Clock {
 public:
  using duration = std::chrono::steady_clock::duration;
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  /// Monotonic time, for timeouts, cooldowns and rate windows.
  virtual time_point now() const = 0;
  /// Wall-clock seconds since the epoch, for "created" fields.
  virtual std::int64_t unix_seconds() const = 0;
};

/// The real clocks.
class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  std::int64_t unix_seconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static SystemClock& instance() {
    static SystemClock c;
    return c;
  }
};

/// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t unix_start = 1'700'000'000) : unix_(unix_start) {}
  time_point now() const override { return time_point(duration(ticks_.load())); }
  std::int64_t unix_seconds() const override {
    return unix_ +
           std::chrono::duration_cast<std::chrono::seconds>(duration(ticks_.load())).count();
  }
  void advance(duration d) { ticks_ += d.count(); }

 private:
  std::int64_t unix_;
  std::atomic<duration::rep> ticks_{0};
};

class Rng {
 public:
  virtual ~Rng() = default;
  /// Uniform in [0, 1).
  virtual double uniform() = 0;
};

/// Thread-safe; seeded from std::random_device unless a seed is given.
class DefaultRng final : public Rng {
 public:
  DefaultRng() : gen_(std::random_device{}()) {}
  explicit DefaultRng(std::uint64_t seed) : gen_(seed) {}
  double uniform() override {
    std::lock_guard lock(mu_);
    return dist_(gen_);
  }
  static DefaultRng& instance() {
    static DefaultRng r;
    return r;
  }

 private:
  std::mutex mu_;
  std::mt19937_64 gen_;
  std::uniform_real_distribution<double> dist_{0.0, 1.0};
};

}  // namespace litellm::core
