#include "protocols/channel_counts.h"

#include <stdexcept>

namespace snapsim {

void ChannelCounts::TooMany() {
  throw std::overflow_error("2^48 application messages on one in-group channel");
}

}  // namespace snapsim
