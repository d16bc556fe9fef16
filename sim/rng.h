// Deterministic random streams.
//
// One root seed per run; every consumer (an actor's workload, its network
// sends, its clock, a protocol) draws from its own stream, derived by hashing
// (root seed, purpose, actor name). Deriving from the actor's *name* rather
// than its index means adding an actor leaves every other actor's stream as it
// was. The engine is xoroshiro128++ (Blackman and Vigna: 16 bytes of state, so a
// million actors cost 16 MB per purpose, and period 2^128 - 1); it satisfies
// UniformRandomBitGenerator, so Boost.Random distributions, whose output is the
// same on every standard library, use it. The state is half that of
// xoshiro256**, used before: an event touches its actor's streams, and at 10^5
// actors and more those are cache misses (docs/performance-history.md).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace snapsim {

// SplitMix64 step: used to expand a 64-bit seed into engine state.
constexpr std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a over a string, then mixed: a stable 64-bit key for names.
constexpr std::uint64_t HashName(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Combines a root seed with a purpose and a name into a stream seed.
constexpr std::uint64_t DeriveSeed(std::uint64_t root, std::string_view purpose,
                                   std::string_view name) {
  std::uint64_t s = root ^ (HashName(purpose) * 0x9e3779b97f4a7c15ULL);
  SplitMix64(s);
  s ^= HashName(name);
  return SplitMix64(s);
}

class RandomStream {
 public:
  using result_type = std::uint64_t;
  RandomStream() : RandomStream(0) {}
  explicit RandomStream(std::uint64_t seed) {
    for (auto& w : s_) w = SplitMix64(seed);
  }
  RandomStream(std::uint64_t root, std::string_view purpose, std::string_view name)
      : RandomStream(DeriveSeed(root, purpose, name)) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    const std::uint64_t s0 = s_[0];
    std::uint64_t s1 = s_[1];
    const std::uint64_t result = Rotl(s0 + s1, 17) + s0;
    s1 ^= s0;
    s_[0] = Rotl(s0, 49) ^ s1 ^ (s1 << 21);
    s_[1] = Rotl(s1, 28);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias < 2^-64 * n).
  std::uint64_t Below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>((*this)()) * n) >> 64);
  }

  // True with probability p.
  bool Bernoulli(double p) { return p > 0 && Uniform01() < p; }

 private:
  static constexpr std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[2];  // never both zero: SplitMix64 of any seed is not (0, 0)
};

}  // namespace snapsim
