// RoundHalfAway: std::llround for the engine's hot path, without the libm
// call.
#pragma once

#include <cstdint>

namespace snapsim {

// REQUIRES: |x| < 2^63 (callers clamp). Returns the integer nearest x,
// halfway cases away from zero: exactly std::llround(x) (tests/sim/
// round_test.cpp compares them), in a few inline instructions. The cast
// truncates toward zero, and x minus its truncation is exact in double
// arithmetic, so comparing it with +-0.5 decides the rounding exactly.
inline std::int64_t RoundHalfAway(double x) {
  const auto truncated = static_cast<std::int64_t>(x);
  const double fraction = x - static_cast<double>(truncated);
  return truncated + (fraction >= 0.5) - (fraction <= -0.5);
}

}  // namespace snapsim
