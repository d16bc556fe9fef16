// The `none` protocol: takes no snapshots. The baseline every other protocol
// is compared with (added messages, added latency).
#pragma once

#include "sim/protocol.h"

namespace snapsim {

class NoneProtocol : public Protocol {
 public:
  std::string_view Name() const override { return "none"; }
};

}  // namespace snapsim
