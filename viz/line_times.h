// LineTimes: the `t` field of every line of a JSON Lines trace, read by a
// streaming scanner (no JSON tree is built), so that a drawing can place the
// events of a CompactTrace on a real time axis. CompactTrace keeps the source
// line of each event (CompactTrace::LineOf) but not its time.
//
// The scanner expects lines the checker's reader has already accepted; on a
// line it cannot make sense of it records "no time" rather than failing.
// Cost: one pass over the file, 8 bytes per line.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace snapsim::viz {

inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

struct LineTimes {
  // By 1-based line number (index 0 unused); kNoTime when the line has no
  // integer top-level "t" field.
  std::vector<std::int64_t> t;

  std::int64_t At(std::uint32_t line) const { return line < t.size() ? t[line] : kNoTime; }
};

// Reads `path`; nullopt when the file cannot be opened.
std::optional<LineTimes> ReadLineTimes(const std::string& path);

// The top-level integer "t" of one JSON object line, or kNoTime. Exposed for
// tests.
std::int64_t ScanLineTime(const char* begin, const char* end);

}  // namespace snapsim::viz
