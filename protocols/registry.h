// The protocols a scenario can name, and their construction.
//
// ProtocolOptions holds every protocol knob a scenario may set (parsed and
// validated by the scenario loader); each protocol reads the fields it uses.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/protocol.h"

namespace snapsim {

struct ProtocolOptions {
  std::string kind = "none";  // Default: none
};

// The protocol named by options.kind; nullptr for an unknown name (the loader
// rejects unknown names first).
std::unique_ptr<Protocol> MakeProtocol(const ProtocolOptions& options);

struct ProtocolInfo {
  std::string_view name;
  std::string_view summary;
};
const std::vector<ProtocolInfo>& Protocols();

}  // namespace snapsim
