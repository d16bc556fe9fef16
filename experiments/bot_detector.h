// BotDetector: the counter-comparison detector of the bots workload,
// evaluated on every snapshot the protocol accepted.
//
// For each snapshot it reads the two services' recorded counters (c1, c2)
// from the snapshot events and raises an alarm iff c2 > c1. Ground truth:
// service 2 had served at least one bot request before its cut point. The
// four outcomes are counted as true/false positives/negatives. Rejected
// snapshots are discarded (the protocol said not to trust them), and so are
// unfinished ones (the run ended before the protocol finished them);
// snapshots missing either service's record are not judged.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "sim/trace_sink.h"
#include "sim/workloads/bots.h"

namespace snapsim {

struct DetectorCounts {
  std::uint64_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0,
                judged = 0;
};

class BotDetector : public TraceSink {
 public:
  // `workload` must outlive the detector; it is read when snapshots are taken.
  explicit BotDetector(const BotsWorkload& workload) : workload_(workload) {}

  void Actor(ActorId, std::string_view, ActorGroup) override {}
  void Send(SimTime, ActorId, MessageRef, ActorId) override {}
  void Forward(SimTime, ActorId, MessageRef, ActorId) override {}
  void Recv(SimTime, ActorId, MessageRef) override {}
  void Internal(SimTime, ActorId) override {}
  void Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) override;
  void Verdict(SnapshotId id, bool accepted) override { accepted_[id] = accepted; }
  // An unfinished snapshot is discarded, like a rejected one.
  void Unfinished(SnapshotId id) override { accepted_[id] = false; }
  void ChannelState(SnapshotId, ActorId, ActorId, std::span<const MessageId>) override {}

  DetectorCounts Counts() const;

 private:
  struct Observation {
    std::optional<std::int64_t> c1, c2;
    std::uint64_t bots_before_cut = 0;
  };
  const BotsWorkload& workload_;
  std::map<SnapshotId, Observation> seen_;
  std::map<SnapshotId, bool> accepted_;
};

}  // namespace snapsim
