// Comparison of one recorded channel state with the expected one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace snapsim::checker {

using MessageNamer = std::function<std::string(std::uint64_t key)>;

// Returns nullopt when `recorded` equals `expected` as a multiset and, when
// `fifo`, also in order; otherwise a description such as
// "missing m3, m4; extra m7; order m6, m5 (expected m5, m6)". The order is
// compared on the messages the two lists have in common.
std::optional<std::string> CompareChannelState(const std::vector<std::uint64_t>& expected,
                                               const std::vector<std::uint64_t>& recorded,
                                               bool fifo, const MessageNamer& name);

}  // namespace snapsim::checker
