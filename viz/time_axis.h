// TimeAxis: how a drawing maps simulated time (integer ns) to the horizontal
// axis. Real scale by default: position is proportional to time. In
// compressed mode every idle gap (no event drawn) longer than a threshold is
// shortened to the threshold and marked as a break, so bursts separated by
// long silences stay readable.
//
// Positions are in "virtual time" units (ns after compression), from 0 to
// Span(); the writers scale them to pixels. The HTML page gets the same
// segments and inverts the mapping in JavaScript for its tick labels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snapsim::viz {

struct AxisSegment {
  std::int64_t real_begin = 0;  // a piece of the window drawn to scale
  std::int64_t real_end = 0;
  double virt_begin = 0;
};

struct AxisBreak {
  std::int64_t real_begin = 0;  // an idle gap drawn shortened
  std::int64_t real_end = 0;
  double virt_begin = 0;
  double virt_end = 0;
};

struct AxisTick {
  double v = 0;
  std::string label;
};

class TimeAxis {
 public:
  // A real-scale axis over [from, to]. REQUIRES: from <= to.
  TimeAxis(std::int64_t from, std::int64_t to);
  // A compressed axis: `times` are the (sorted, possibly repeated) times of
  // the events drawn, all within [from, to]; gaps between consecutive ones
  // (and to the window's ends) longer than max(1, (to - from) / 50) are
  // shortened to that threshold.
  static TimeAxis Compressed(std::int64_t from, std::int64_t to,
                             const std::vector<std::int64_t>& times);

  std::int64_t from() const { return from_; }
  std::int64_t to() const { return to_; }
  double Span() const { return span_; }
  // The position of real time t; times outside the window are clamped.
  double Virtual(std::int64_t t) const;
  const std::vector<AxisSegment>& segments() const { return segments_; }
  const std::vector<AxisBreak>& breaks() const { return breaks_; }
  // Ticks at round real times (1, 2 or 5 times a power of ten ns), about
  // `target` of them over the drawn span, none inside a break.
  std::vector<AxisTick> Ticks(int target) const;

 private:
  std::int64_t from_, to_;
  double span_;
  std::vector<AxisSegment> segments_;
  std::vector<AxisBreak> breaks_;
};

// "0", "250 ns", "12.5 us", "3.2 ms", "1.5 s": a duration or time for labels.
std::string FormatNs(std::int64_t ns);

// Parses "1500", "1500ns", "12.5us", "3ms", "2s" into ns; false on bad text.
bool ParseNs(const std::string& text, std::int64_t& ns);

}  // namespace snapsim::viz
