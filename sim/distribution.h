// Distributions of durations (latencies, service times, think times) and of
// signed quantities (clock offsets).
//
// A Distribution is a small value type; Sample() costs a test (exponential,
// inline) or a switch, and one or two draws from the caller's stream, never
// an allocation. Samples are integer
// nanoseconds (rounded to nearest). Sampling goes through Boost.Random so the
// same seed gives the same numbers with any standard library.
#pragma once

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/rng.h"
#include "sim/round.h"

namespace snapsim {

enum class DistKind : std::uint8_t {
  kConstant,     // value
  kUniform,      // integer ns uniform in [min, max]
  kExponential,  // mean
  kLognormal,    // median and sigma: exp(N(ln median, sigma^2))
  kNormal,       // mean and stddev (signed quantities only)
  kEmpirical,    // a uniformly chosen sample from a file, times scale
};

// The spelling used in scenarios and `snapsim list`.
std::string_view DistKindName(DistKind kind);
// All kinds, for listing.
const std::vector<DistKind>& AllDistKinds();

struct Distribution {
  DistKind kind = DistKind::kConstant;
  double p1 = 0;              // constant: value; uniform: min; exponential: mean;
                              // lognormal: median; normal: mean
  double p2 = 0;              // uniform: max; lognormal: sigma; normal: stddev
  double scale = 1.0;         // empirical: multiplier applied to each sample
  std::int64_t shift_ns = 0;  // added to every sample (e.g. a minimum latency)
  std::shared_ptr<const std::vector<std::int64_t>> samples;  // empirical only

  static Distribution Constant(std::int64_t ns);
  static Distribution Uniform(std::int64_t min_ns, std::int64_t max_ns);
  static Distribution Exponential(double mean_ns);
  static Distribution Lognormal(double median_ns, double sigma);
  static Distribution Normal(double mean_ns, double stddev_ns);

  // One sample in nanoseconds. May be negative only for kNormal, kConstant or
  // kUniform configured with negative values; latency users validate that.
  // Exponential samples (the usual latency, drawn on every send) are drawn
  // inline; the other kinds through a call and a switch.
  std::int64_t Sample(RandomStream& rng) const {
    if (kind == DistKind::kExponential) return SampleExponential(rng);
    return SampleOther(rng);
  }

  // The exact mean of Sample() (before rounding), for tests and reports.
  double Mean() const;

  // The smallest value Sample() can return (for lognormal/exponential/normal
  // the infimum of the support, ignoring rounding).
  double Min() const;

  // True when every sample is a constant zero: lets the engine skip work.
  bool IsZero() const { return kind == DistKind::kConstant && p1 == 0 && shift_ns == 0; }

 private:
  // A sample rounded to integer nanoseconds (ties away from zero), clamped
  // to half the int64 range.
  static std::int64_t Round(double x) {
    constexpr double kMax = static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2);
    return RoundHalfAway(std::clamp(x, -kMax, kMax));
  }
  std::int64_t SampleExponential(RandomStream& rng) const {
    return Round(boost::random::exponential_distribution<double>(1.0 / p1)(rng)) + shift_ns;
  }
  std::int64_t SampleOther(RandomStream& rng) const;
};

}  // namespace snapsim
