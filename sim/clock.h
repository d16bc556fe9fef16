// Local clocks: true time + offset + drift (MODEL.md section 2).
//
// The engine runs on true time; only clock-based protocols and timestamp
// checks read local clocks. Drift is in parts per million of elapsed true
// time since 0.
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/round.h"
#include "sim/time.h"

namespace snapsim {

struct LocalClock {
  std::int64_t offset_ns = 0;
  double drift_ppm = 0;

  // The local clock's reading at true time t.
  SimTime Read(SimTime t) const {
    return SimTime(t.ns() + offset_ns + RoundHalfAway(t.ns() * drift_ppm * 1e-6));
  }

  // The earliest true time at which Read() reaches `local` (for timers set on
  // the local clock). Never earlier than `not_before`.
  SimTime TrueTimeOf(SimTime local, SimTime not_before) const {
    const double rate = 1.0 + drift_ppm * 1e-6;
    std::int64_t t =
        static_cast<std::int64_t>(std::floor(static_cast<double>(local.ns() - offset_ns) / rate));
    // Correct the rounding of the closed form so that Read(t) >= local holds
    // and Read(t - 1) < local, as far as the integer grid allows.
    while (Read(SimTime(t)) < local) ++t;
    while (t > not_before.ns() && Read(SimTime(t - 1)) >= local) --t;
    return SimTime(t < not_before.ns() ? not_before.ns() : t);
  }
};

}  // namespace snapsim
