#include "protocols/registry.h"

#include "protocols/blocking.h"
#include "protocols/chandy_lamport.h"
#include "protocols/lai_yang.h"
#include "protocols/mgm.h"
#include "protocols/none.h"
#include "protocols/ogm.h"
#include "protocols/physical_clock.h"

namespace snapsim {

std::unique_ptr<Protocol> MakeProtocol(const ProtocolOptions& o) {
  const std::string& k = o.kind;
  if (k == "none") return std::make_unique<NoneProtocol>();
  if (k == "physical-clock") return std::make_unique<PhysicalClockProtocol>(o);
  if (k == "chandy-lamport")
    return std::make_unique<ChandyLamportProtocol>("chandy-lamport", o, true);
  if (k == "chandy-lamport-in-group-only")
    return std::make_unique<ChandyLamportProtocol>("chandy-lamport-in-group-only", o, false);
  if (k == "lai-yang") return std::make_unique<LaiYangProtocol>("lai-yang", o, true);
  if (k == "lai-yang-in-group-only")
    return std::make_unique<LaiYangProtocol>("lai-yang-in-group-only", o, false);
  if (k == "full-participation")
    return std::make_unique<LaiYangProtocol>("full-participation", o, true);
  if (k == "mgm") return std::make_unique<MgmProtocol>(o);
  if (k == "ogm") return std::make_unique<OgmProtocol>(o);
  if (k == "blocking") return std::make_unique<BlockingProtocol>(o);
  return nullptr;
}

const std::vector<ProtocolInfo>& Protocols() {
  static const std::vector<ProtocolInfo> kAll = {
      {"none", "no snapshots: the baseline for overhead comparisons", false, false, false},
      {"physical-clock", "record at local clock time T; breaks with clock skew", true, false,
       false},
      {"chandy-lamport", "markers on every channel, every process participates; needs FIFO", true,
       true, false},
      {"chandy-lamport-in-group-only", "Chandy-Lamport among the in-group only", true, true, false},
      {"lai-yang", "tagged messages, record before delivering a higher tag; any channels", true,
       true, false},
      {"lai-yang-in-group-only", "Lai-Yang among the in-group only: hidden causality breaks it",
       true, true, false},
      {"full-participation", "Lai-Yang with out-group processes and gateways carrying ids too",
       true, true, false},
      {"mgm", "monolithic gateway marking: all gateways switch ids at one instant", true, false,
       true},
      {"ogm", "Beaver: controller marks gateways, accepts iff t1 - t0 < tau; pipelined", true,
       false, true},
      {"blocking", "two-phase gateway marking that holds inbound traffic (strawman)", true, false,
       true},
  };
  return kAll;
}

const ProtocolInfo* FindProtocol(std::string_view name) {
  for (const auto& p : Protocols())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace snapsim
