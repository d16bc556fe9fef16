#include "sim/distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/clock.h"
#include "sim/histogram.h"
#include "sim/rng.h"

namespace snapsim {
namespace {

struct Moments {
  double mean = 0, var = 0, min = 1e300, max = -1e300;
};

Moments Sample(const Distribution& d, int n, std::uint64_t seed) {
  RandomStream rng(seed);
  double sum = 0, sum2 = 0;
  Moments m;
  for (int i = 0; i < n; ++i) {
    const double x = static_cast<double>(d.Sample(rng));
    sum += x;
    sum2 += x * x;
    m.min = std::min(m.min, x);
    m.max = std::max(m.max, x);
  }
  m.mean = sum / n;
  m.var = sum2 / n - m.mean * m.mean;
  return m;
}

constexpr int kN = 400000;

TEST(Distribution, ConstantIsConstant) {
  Moments m = Sample(Distribution::Constant(1234), 1000, 1);
  EXPECT_EQ(m.min, 1234);
  EXPECT_EQ(m.max, 1234);
}

TEST(Distribution, UniformMomentsAndBounds) {
  Moments m = Sample(Distribution::Uniform(1000, 3000), kN, 2);
  EXPECT_GE(m.min, 1000);
  EXPECT_LE(m.max, 3000);
  EXPECT_NEAR(m.mean, 2000, 2000 * 0.005);
  EXPECT_NEAR(m.var, 2001.0 * 2001.0 / 12.0, 2001.0 * 2001.0 / 12.0 * 0.02);
}

TEST(Distribution, ExponentialMoments) {
  Moments m = Sample(Distribution::Exponential(10000), kN, 3);
  EXPECT_GE(m.min, 0);
  EXPECT_NEAR(m.mean, 10000, 10000 * 0.01);
  EXPECT_NEAR(std::sqrt(m.var), 10000, 10000 * 0.02);
}

TEST(Distribution, LognormalMedianAndMean) {
  Distribution d = Distribution::Lognormal(40000, 0.5);
  RandomStream rng(4);
  std::vector<std::int64_t> xs(kN);
  for (auto& x : xs) x = d.Sample(rng);
  std::nth_element(xs.begin(), xs.begin() + kN / 2, xs.end());
  EXPECT_NEAR(static_cast<double>(xs[kN / 2]), 40000, 40000 * 0.01);
  Moments m = Sample(d, kN, 4);
  EXPECT_NEAR(m.mean, d.Mean(), d.Mean() * 0.01);
}

TEST(Distribution, NormalMoments) {
  Moments m = Sample(Distribution::Normal(-500, 2000), kN, 5);
  EXPECT_NEAR(m.mean, -500, 20);
  EXPECT_NEAR(std::sqrt(m.var), 2000, 2000 * 0.01);
}

TEST(Distribution, EmpiricalDrawsOnlyGivenSamplesUniformly) {
  Distribution d;
  d.kind = DistKind::kEmpirical;
  d.samples =
      std::make_shared<std::vector<std::int64_t>>(std::vector<std::int64_t>{10, 20, 30, 40});
  RandomStream rng(6);
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < kN; ++i) {
    const std::int64_t x = d.Sample(rng);
    ASSERT_TRUE(x == 10 || x == 20 || x == 30 || x == 40) << x;
    ++counts[x / 10 - 1];
  }
  for (int c : counts) {
    EXPECT_NEAR(c, kN / 4, kN / 4 * 0.02);
  }
  EXPECT_DOUBLE_EQ(d.Mean(), 25.0);
}

TEST(Distribution, ShiftMovesEverySample) {
  Distribution d = Distribution::Exponential(1000);
  d.shift_ns = 5000;
  Moments m = Sample(d, kN, 8);
  EXPECT_GE(m.min, 5000);
  EXPECT_NEAR(m.mean, 6000, 6000 * 0.01);
}

TEST(RandomStream, StreamsAreKeyedByNameNotOrder) {
  RandomStream a1(42, "net", "p3"), a2(42, "net", "p3"), b(42, "net", "p4"), c(42, "clock", "p3");
  const auto x = a1();
  EXPECT_EQ(x, a2());
  EXPECT_NE(x, b());
  EXPECT_NE(x, c());
}

// Pins the generator: xoroshiro128++ seeded with two SplitMix64 outputs of 1.
// The expected values come from an independent Python transcription of the
// published algorithm; any change here changes every run's results.
TEST(RandomStream, KnownAnswers) {
  RandomStream rng(1);
  EXPECT_EQ(rng(), 0x08260b0f1b52fcacULL);
  EXPECT_EQ(rng(), 0x5d9320f71ce29ff1ULL);
  EXPECT_EQ(rng(), 0x28197699ec67f190ULL);
}

TEST(RandomStream, BelowIsInRangeAndUnbiased) {
  RandomStream rng(9);
  int counts[7] = {};
  for (int i = 0; i < 70000; ++i) {
    const auto v = rng.Below(7);
    ASSERT_LT(v, 7u);
    ++counts[v];
  }
  for (int c : counts) {
    EXPECT_NEAR(c, 10000, 400);
  }
}

TEST(LocalClock, ReadAndInverse) {
  LocalClock c{5000, 50.0};  // +5 us, +50 ppm
  EXPECT_EQ(c.Read(SimTime(1'000'000'000)).ns(), 1'000'000'000 + 5000 + 50'000);
  for (std::int64_t local : {0LL, 12345LL, 1'000'055'000LL, 7'777'777'777LL}) {
    const SimTime t = c.TrueTimeOf(SimTime(local), SimTime(0));
    EXPECT_GE(c.Read(t).ns(), local);
    if (t.ns() > 0) {
      EXPECT_LT(c.Read(t - Duration(1)).ns(), local);
    }
  }
}

TEST(LogHistogram, QuantilesWithinBucketError) {
  LogHistogram h;
  for (int i = 1; i <= 100000; ++i) h.Add(i);
  EXPECT_NEAR(static_cast<double>(h.Quantile(0.5)), 50000, 50000 * 0.04);
  EXPECT_NEAR(static_cast<double>(h.Quantile(0.99)), 99000, 99000 * 0.04);
  EXPECT_EQ(h.Max(), 100000);
  EXPECT_NEAR(h.Mean(), 50000.5, 1e-6);
}

}  // namespace
}  // namespace snapsim
