#include "protocols/registry.h"

#include "protocols/none.h"

namespace snapsim {

std::unique_ptr<Protocol> MakeProtocol(const ProtocolOptions& options) {
  if (options.kind == "none") return std::make_unique<NoneProtocol>();
  return nullptr;
}

const std::vector<ProtocolInfo>& Protocols() {
  static const std::vector<ProtocolInfo> kAll = {
      {"none", "no snapshots: the baseline for overhead comparisons"},
  };
  return kAll;
}

}  // namespace snapsim
