#include "checker/channel_compare.h"

#include <fmt/format.h>

#include <map>

namespace snapsim::checker {
namespace {

std::string Names(const std::vector<std::uint64_t>& keys, const MessageNamer& name) {
  std::string out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += name(keys[i]);
  }
  return out;
}

}  // namespace

std::optional<std::string> CompareChannelState(const std::vector<std::uint64_t>& expected,
                                               const std::vector<std::uint64_t>& recorded,
                                               bool fifo, const MessageNamer& name) {
  // Equal lists (every channel of a consistent snapshot) differ in nothing:
  // answered without the maps below, which allocate a node per message.
  if (expected == recorded) return std::nullopt;
  // Multiset difference, keeping each list's own order.
  std::map<std::uint64_t, int> budget;
  for (auto k : expected) ++budget[k];
  std::vector<std::uint64_t> extra, common_recorded;
  for (auto k : recorded) {
    auto it = budget.find(k);
    if (it != budget.end() && it->second > 0) {
      --it->second;
      common_recorded.push_back(k);
    } else {
      extra.push_back(k);
    }
  }
  std::map<std::uint64_t, int> seen;
  for (auto k : common_recorded) ++seen[k];
  std::vector<std::uint64_t> missing, common_expected;
  for (auto k : expected) {
    auto it = seen.find(k);
    if (it != seen.end() && it->second > 0) {
      --it->second;
      common_expected.push_back(k);
    } else {
      missing.push_back(k);
    }
  }
  std::vector<std::string> parts;
  if (!missing.empty()) parts.push_back("missing " + Names(missing, name));
  if (!extra.empty()) parts.push_back("extra " + Names(extra, name));
  if (fifo && common_recorded != common_expected) {
    parts.push_back(fmt::format("order {} (expected {})", Names(common_recorded, name),
                                Names(common_expected, name)));
  }
  if (parts.empty()) return std::nullopt;
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace snapsim::checker
