// chandy-lamport and chandy-lamport-in-group-only (MODEL.md section 5).
//
// An initiator records its state and sends a marker on every outgoing channel
// to a participant; on the first marker of snapshot s a process records (the
// marker's receive is outside the cut), marks that channel empty and sends
// markers; it records every other incoming channel until that channel's
// marker arrives. Snapshots are independent instances keyed by id, so several
// initiators and several snapshots in flight are fine. Correct only on FIFO
// channels: on non-FIFO channels a message sent after a marker can overtake
// it, and the checker sees the orphan.
//
// Participants: every process (chandy-lamport) or in-group processes only
// (chandy-lamport-in-group-only). Channel states are reported for in-group
// channels only.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "protocols/channel_recorder.h"
#include "protocols/registry.h"
#include "protocols/schedule.h"
#include "sim/protocol.h"

namespace snapsim {

class ChandyLamportProtocol : public Protocol {
 public:
  static constexpr std::uint8_t kMarker = 201;

  ChandyLamportProtocol(std::string_view name, const ProtocolOptions& options,
                        bool out_group_participates)
      : name_(name),
        schedule_(options.schedule, kInitiateTimer),
        out_group_participates_(out_group_participates) {}

  std::string_view Name() const override { return name_; }
  void OnStart(Context& ctx) override;
  void OnArrival(Context& ctx, ActorId at, Message& m) override;
  void OnControl(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;

 private:
  static constexpr std::uint32_t kInitiateTimer = 1;
  struct Open {
    std::vector<RecordedChannel> channels;  // by index in peers_ of the process
    std::uint32_t remaining = 0;
  };
  // Records a's state for s and opens its incoming channels (all recording).
  Open& Record(Context& ctx, ActorId a, SnapshotId s);
  void SendMarkers(Context& ctx, ActorId a, SnapshotId s);
  void CloseChannel(Context& ctx, ActorId at, SnapshotId s, Open& open, std::uint32_t local);
  std::uint32_t LocalIndex(ActorId a, ActorId peer) const;

  std::string_view name_;
  SnapshotSchedule schedule_;
  bool out_group_participates_;
  std::vector<bool> participates_;
  std::vector<std::uint32_t> peer_begin_;  // participant neighbours, CSR
  std::vector<ActorId> peers_;
  std::uint32_t in_group_channels_ = 0;
  std::vector<std::set<SnapshotId>> recorded_;      // per actor
  std::vector<std::map<SnapshotId, Open>> open_;    // per actor
  std::vector<std::set<SnapshotId>> send_markers_;  // recorded on a marker, markers not yet sent
};

}  // namespace snapsim
