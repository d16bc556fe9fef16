// LogHistogram: a fixed-size, allocation-free histogram of non-negative
// integers (latencies in ns) with ~3% relative bucket width, for means and
// tail percentiles over millions of samples at O(1) per sample.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace snapsim {

class LogHistogram {
 public:
  void Add(std::int64_t v) {
    if (v < 0) v = 0;
    ++counts_[Bucket(static_cast<std::uint64_t>(v))];
    ++count_;
    sum_ += static_cast<long double>(v);
    if (v > max_) max_ = v;
  }
  std::uint64_t Count() const { return count_; }
  double Mean() const { return count_ ? static_cast<double>(sum_ / count_) : 0.0; }
  std::int64_t Max() const { return max_; }
  // The smallest bucket upper bound below which a fraction q of samples fall
  // (q in [0, 1]); 0 when empty.
  std::int64_t Quantile(double q) const {
    if (count_ == 0) return 0;
    const auto target = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= target) {
        std::int64_t ub = static_cast<std::int64_t>(UpperBound(b));
        return ub < max_ ? ub : max_;
      }
    }
    return max_;
  }

 private:
  static constexpr int kSubBits = 5;  // 32 sub-buckets per power of two
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) << kSubBits;
  static std::size_t Bucket(std::uint64_t v) {
    if (v < (1u << kSubBits)) return static_cast<std::size_t>(v);
    const int msb = 63 - std::countl_zero(v);
    const int shift = msb - kSubBits;
    return static_cast<std::size_t>(((shift + 1) << kSubBits) +
                                    ((v >> shift) & ((1u << kSubBits) - 1)));
  }
  static std::uint64_t UpperBound(std::size_t b) {
    if (b < (1u << kSubBits)) return b;
    const int shift = static_cast<int>(b >> kSubBits) - 1;
    const std::uint64_t sub = b & ((1u << kSubBits) - 1);
    return (((1ULL << kSubBits) | sub) << shift) + ((1ULL << shift) - 1);
  }
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  long double sum_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace snapsim
