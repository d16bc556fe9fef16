// ProcStatusKiB: a field of /proc/self/status, for the peak and current
// memory the benchmark drivers report. Header-only so that the SimGrid peer,
// which links nothing of snapsim, can use it too.
#pragma once

#include <cstring>
#include <fstream>
#include <string>

namespace snapsim::bench {

// The value of `key` (e.g. "VmHWM", "VmRSS") in KiB, or 0 when absent.
inline long ProcStatusKiB(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(key);
  while (std::getline(in, line))
    if (line.compare(0, len, key) == 0 && line.size() > len && line[len] == ':')
      return std::stol(line.substr(len + 1));
  return 0;
}

}  // namespace snapsim::bench
