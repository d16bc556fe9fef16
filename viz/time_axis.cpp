#include "viz/time_axis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace snapsim::viz {

TimeAxis::TimeAxis(std::int64_t from, std::int64_t to)
    : from_(from), to_(to), span_(static_cast<double>(std::max<std::int64_t>(to - from, 1))) {
  segments_.push_back({from, to, 0});
}

TimeAxis TimeAxis::Compressed(std::int64_t from, std::int64_t to,
                              const std::vector<std::int64_t>& times) {
  TimeAxis axis(from, to);
  const std::int64_t threshold = std::max<std::int64_t>(1, (to - from) / 50);
  axis.segments_.clear();
  double v = 0;
  std::int64_t seg_begin = from;
  std::int64_t prev = from;
  auto gap = [&](std::int64_t next) {
    if (next - prev > threshold) {
      const double seg_v = v - static_cast<double>(prev - seg_begin);
      axis.segments_.push_back({seg_begin, prev, seg_v});
      axis.breaks_.push_back({prev, next, v, v + static_cast<double>(threshold)});
      v += static_cast<double>(threshold);
      seg_begin = next;
    } else {
      v += static_cast<double>(next - prev);
    }
    prev = next;
  };
  for (std::int64_t t : times) {
    if (t < from || t > to || t == prev) continue;
    gap(t);
  }
  if (to > prev) gap(to);
  axis.segments_.push_back({seg_begin, to, v - static_cast<double>(to - seg_begin)});
  axis.span_ = std::max(v, 1.0);
  return axis;
}

double TimeAxis::Virtual(std::int64_t t) const {
  t = std::clamp(t, from_, to_);
  // The last segment starting at or before t.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), t,
                             [](std::int64_t x, const AxisSegment& s) { return x < s.real_begin; });
  if (it != segments_.begin()) --it;
  if (t <= it->real_end) return it->virt_begin + static_cast<double>(t - it->real_begin);
  // Inside a break after segment `it`: interpolate across the break.
  for (const AxisBreak& b : breaks_) {
    if (t >= b.real_begin && t <= b.real_end) {
      const double f = static_cast<double>(t - b.real_begin) /
                       static_cast<double>(std::max<std::int64_t>(b.real_end - b.real_begin, 1));
      return b.virt_begin + f * (b.virt_end - b.virt_begin);
    }
  }
  return it->virt_begin + static_cast<double>(it->real_end - it->real_begin);
}

std::vector<AxisTick> TimeAxis::Ticks(int target) const {
  std::vector<AxisTick> out;
  const double raw = span_ / std::max(target, 1);
  double step = std::pow(10.0, std::floor(std::log10(std::max(raw, 1.0))));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (step * m >= raw) {
      step *= m;
      break;
    }
  }
  const auto istep = std::max<std::int64_t>(1, static_cast<std::int64_t>(step));
  for (const AxisSegment& s : segments_) {
    std::int64_t t = (s.real_begin / istep) * istep;
    if (t < s.real_begin) t += istep;
    for (; t <= s.real_end; t += istep) {
      out.push_back({s.virt_begin + static_cast<double>(t - s.real_begin), FormatNs(t)});
      if (out.size() > 1000) return out;
    }
  }
  return out;
}

std::string FormatNs(std::int64_t ns) {
  if (ns == 0) return "0";
  const double a = std::abs(static_cast<double>(ns));
  auto fmt_unit = [&](double div, const char* unit) {
    std::string s = fmt::format("{:.3f}", static_cast<double>(ns) / div);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + " " + unit;
  };
  if (a < 1e3) return fmt::format("{} ns", ns);
  if (a < 1e6) return fmt_unit(1e3, "us");
  if (a < 1e9) return fmt_unit(1e6, "ms");
  return fmt_unit(1e9, "s");
}

bool ParseNs(const std::string& text, std::int64_t& ns) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  std::string unit(end);
  double mult = 1;
  if (unit.empty() || unit == "ns") {
    mult = 1;
  } else if (unit == "us") {
    mult = 1e3;
  } else if (unit == "ms") {
    mult = 1e6;
  } else if (unit == "s") {
    mult = 1e9;
  } else {
    return false;
  }
  const double r = v * mult;
  if (!std::isfinite(r) || std::abs(r) > 9e18) return false;
  ns = static_cast<std::int64_t>(std::llround(r));
  return true;
}

}  // namespace snapsim::viz
