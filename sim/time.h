// Simulated time: integer nanoseconds.
//
// SimTime is a point on the simulated timeline, Duration a signed span. Both
// are strong types over int64_t so that a count of events or an actor index
// can never be passed where a time is expected. All arithmetic is exact.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace snapsim {

class Duration {
 public:
  constexpr Duration() = default;
  constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
  constexpr std::int64_t ns() const { return ns_; }
  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }

 private:
  std::int64_t ns_ = 0;
};

class SimTime {
 public:
  constexpr SimTime() = default;
  constexpr explicit SimTime(std::int64_t ns) : ns_(ns) {}
  static constexpr SimTime Max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }
  constexpr std::int64_t ns() const { return ns_; }
  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(Duration d) const { return SimTime(ns_ + d.ns()); }
  constexpr SimTime operator-(Duration d) const { return SimTime(ns_ - d.ns()); }
  constexpr Duration operator-(SimTime o) const { return Duration(ns_ - o.ns_); }

 private:
  std::int64_t ns_ = 0;
};

constexpr Duration Nanoseconds(std::int64_t n) { return Duration(n); }
constexpr Duration Microseconds(std::int64_t n) { return Duration(n * 1000); }
constexpr Duration Milliseconds(std::int64_t n) { return Duration(n * 1000000); }

}  // namespace snapsim
