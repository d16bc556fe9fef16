// The protocols a scenario can name, their options, and their construction.
//
// ProtocolOptions holds every protocol knob a scenario may set (parsed and
// validated by the scenario loader); each protocol reads the fields it uses,
// and the registry says which option groups each protocol accepts so the
// loader can reject keys that would be silently ignored.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/protocol.h"

namespace snapsim {

// When snapshots are initiated and by whom.
struct ScheduleOptions {
  Duration start = Microseconds(100);   // first initiation. Default: 100 us
  Duration interval = Milliseconds(1);  // between initiations. Default: 1 ms
  // When set (> interval): intervals drawn uniformly in [interval,
  // interval_max], from a stream of the run's seed. Default: unset (0).
  Duration interval_max = Duration(0);
  std::uint64_t count = 0;      // 0: keep initiating until the run ends. Default: 0
  std::vector<Duration> times;  // explicit initiation times (replace start/interval)
  // Who initiates (classic protocols): the first in-group process, a random
  // in-group process per snapshot, or every listed process for every snapshot.
  enum class Initiators { kFirst, kRandom, kListed } initiators = Initiators::kFirst;
  std::vector<ActorId> listed;  // kListed: the initiating processes
};

struct ProtocolOptions {
  std::string kind = "none";  // Default: none
  ScheduleOptions schedule;
  // Gateway protocols (mgm, ogm, blocking).
  Duration tau = Microseconds(33);  // OGM accepts iff t1 - t0 < tau. Default: 33 us
  std::uint32_t max_in_flight = 1;  // pipelining depth. Default: 1
  std::uint32_t id_bits = 32;       // 32 or 14 (wrap-around on in-group traffic). Default: 32
  bool notify = true;               // gateways notify their processes of a new id. Default: true
  std::int64_t control_bytes = 64;  // size of one control message, for overhead. Default: 64
};

// The protocol named by options.kind; nullptr for an unknown name (the loader
// rejects unknown names first).
std::unique_ptr<Protocol> MakeProtocol(const ProtocolOptions& options);

struct ProtocolInfo {
  std::string_view name;
  std::string_view summary;
  bool takes_schedule;    // accepts protocol.snapshots
  bool takes_initiators;  // accepts protocol.snapshots.initiators
  bool gateway;           // accepts tau, max_in_flight, id_bits; needs gateways
};
const std::vector<ProtocolInfo>& Protocols();
const ProtocolInfo* FindProtocol(std::string_view name);

}  // namespace snapsim
