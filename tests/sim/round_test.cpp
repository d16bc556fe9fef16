#include "sim/round.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace snapsim {
namespace {

void ExpectLikeLlround(double x) { ASSERT_EQ(RoundHalfAway(x), std::llround(x)) << "x = " << x; }

TEST(RoundHalfAway, EqualsLlroundAtHalvesAndTheirNeighbours) {
  for (std::int64_t i = -1000; i <= 1000; ++i) {
    const double half = static_cast<double>(i) + 0.5;
    for (const double x : {half, std::nextafter(half, -1e300), std::nextafter(half, 1e300),
                           static_cast<double>(i), std::nextafter(static_cast<double>(i), -1e300),
                           std::nextafter(static_cast<double>(i), 1e300)})
      ExpectLikeLlround(x);
  }
  // The largest double below 0.5: adding 0.5 to it would round up to 1.
  ExpectLikeLlround(0.49999999999999994);
  ExpectLikeLlround(-0.49999999999999994);
  ExpectLikeLlround(0.0);
  ExpectLikeLlround(-0.0);
}

TEST(RoundHalfAway, EqualsLlroundAcrossMagnitudes) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 62);
  for (int i = 0; i < 1000000; ++i) {
    const double x = std::ldexp(mantissa(rng), exponent(rng));
    ExpectLikeLlround(x);
  }
  // Beyond 2^52 every double is an integer.
  const double big = static_cast<double>(std::int64_t{1} << 62);
  ExpectLikeLlround(big);
  ExpectLikeLlround(-big);
  ExpectLikeLlround(std::nextafter(big, 0.0));
}

}  // namespace
}  // namespace snapsim
