#include "viz/line_times.h"

#include <cstdio>
#include <cstring>
#include <memory>

namespace snapsim::viz {
namespace {

const char* SkipSpace(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  return p;
}

// Skips a JSON string starting at the opening quote; returns the position
// after the closing quote (or `end`).
const char* SkipString(const char* p, const char* end) {
  ++p;
  while (p < end) {
    if (*p == '\\') {
      p += 2;
    } else if (*p == '"') {
      return p + 1;
    } else {
      ++p;
    }
  }
  return end;
}

// Skips one JSON value (scalar, or nested array/object).
const char* SkipValue(const char* p, const char* end) {
  if (p >= end) return end;
  if (*p == '"') return SkipString(p, end);
  if (*p == '[' || *p == '{') {
    int depth = 0;
    while (p < end) {
      if (*p == '"') {
        p = SkipString(p, end);
        continue;
      }
      if (*p == '[' || *p == '{') ++depth;
      if (*p == ']' || *p == '}') {
        if (--depth == 0) return p + 1;
      }
      ++p;
    }
    return end;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']') ++p;
  return p;
}

}  // namespace

std::int64_t ScanLineTime(const char* p, const char* end) {
  p = SkipSpace(p, end);
  if (p >= end || *p != '{') return kNoTime;
  ++p;
  while (true) {
    p = SkipSpace(p, end);
    if (p >= end || *p != '"') return kNoTime;
    const char* key = p + 1;
    p = SkipString(p, end);
    const bool is_t = p - key == 2 && key[0] == 't';
    p = SkipSpace(p, end);
    if (p >= end || *p != ':') return kNoTime;
    p = SkipSpace(p + 1, end);
    if (is_t) {
      bool neg = false;
      if (p < end && *p == '-') {
        neg = true;
        ++p;
      }
      if (p >= end || *p < '0' || *p > '9') return kNoTime;
      std::int64_t v = 0;
      while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
      if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return kNoTime;
      return neg ? -v : v;
    }
    p = SkipSpace(SkipValue(p, end), end);
    if (p >= end || *p != ',') return kNoTime;
    ++p;
  }
}

std::optional<LineTimes> ReadLineTimes(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  LineTimes out;
  out.t.push_back(kNoTime);  // line 0
  constexpr std::size_t kChunk = 1 << 20;
  std::vector<char> buf(kChunk);
  std::string carry;  // an unfinished line from the previous chunk
  while (true) {
    const std::size_t n = std::fread(buf.data(), 1, kChunk, f.get());
    if (n == 0) break;
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (!nl) {
        carry.append(p, end);
        break;
      }
      if (!carry.empty()) {
        carry.append(p, nl);
        out.t.push_back(ScanLineTime(carry.data(), carry.data() + carry.size()));
        carry.clear();
      } else {
        out.t.push_back(ScanLineTime(p, nl));
      }
      p = nl + 1;
    }
  }
  if (!carry.empty()) out.t.push_back(ScanLineTime(carry.data(), carry.data() + carry.size()));
  return out;
}

}  // namespace snapsim::viz
