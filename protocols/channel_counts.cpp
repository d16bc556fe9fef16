#include "protocols/channel_counts.h"

#include <stdexcept>

namespace snapsim {

void ChannelCounts::TooMany(std::uint32_t& low, std::uint16_t& high) {
  low = 0xffffffffu;
  high = 0xffffu;
  throw std::overflow_error("2^48 application messages on one in-group channel");
}

}  // namespace snapsim
