// LaiYangCore: the Lai-Yang rule, with per-channel counts to close channel
// states over non-FIFO channels (MODEL.md section 5).
//
// Participants keep a current snapshot id, stamp it on the application
// messages they send, and, on receiving a message tagged with a higher id,
// record their state for every id up to the tag *before* the message is
// delivered (so the receive lies outside the cut), then adopt the tag.
// In-group participants also record channel states: on each in-group channel,
// the messages tagged below s that arrive after the local snapshot s. A
// channel closes when their number plus the messages received before the cut
// equals the count the sender reports (one report per neighbour per local
// snapshot, covering every id recorded at that point).
//
// Used by lai-yang (everyone participates), lai-yang-in-group-only,
// full-participation, and the gateway protocols (where gateways stamp inbound
// traffic and in-group processes apply `local = max(local, tag)`).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "protocols/channel_recorder.h"
#include "protocols/open_snapshot_table.h"
#include "sim/context.h"
#include "sim/message.h"

namespace snapsim {

class LaiYangCore {
 public:
  // The control message type of channel-count reports.
  static constexpr std::uint8_t kReport = 200;

  // Sets up per-actor state. Out-group actors and gateways participate
  // (track and stamp ids, never record) only when out_group_participates:
  // a gateway's forwards are ordered events, so a gateway that forwards a
  // post-snapshot message and then a pre-snapshot one links them causally,
  // and must carry the id on like any other participant.
  void Init(Context& ctx, bool out_group_participates);
  // Makes gateways participants on their own (gateway protocols, where the
  // out-group does not participate but gateways stamp inbound traffic).
  void AddGatewayParticipants(Context& ctx);

  // Called whenever a participant's id rises from `from` to `to` (after any
  // local snapshots were recorded). Gateway protocols track completion and
  // true marking times with it.
  std::function<void(ActorId a, SnapshotId from, SnapshotId to)> on_advance;

  bool Participates(ActorId a) const { return participates_[a]; }
  SnapshotId Current(ActorId a) const { return current_[a]; }
  // Directed in-group channels: the channel states each snapshot must close.
  std::uint32_t ChannelCount() const { return static_cast<std::uint32_t>(channels_.Slots()); }

  // Brings a participant to snapshot id `id`, recording ids current+1..id.
  void AdvanceTo(Context& ctx, ActorId a, SnapshotId id);
  // Protocol::OnSend: stamps the sender's id and counts in-group sends.
  void OnSend(Context& ctx, ActorId from, Message& m);
  // Protocol::OnGatewayForward at a participating gateway: adopts the
  // message's id if higher, and stamps the gateway's id on the message.
  void OnGatewayForward(Context& ctx, ActorId g, Message& m);
  // Protocol::OnArrival at a process: applies the rule for m.tag, then does
  // the channel-state bookkeeping of application messages.
  void OnArrival(Context& ctx, ActorId at, Message& m);
  // Protocol::OnControl: handles reports; returns false for other messages.
  bool OnControl(Context& ctx, ActorId at, const Message& m);
  // Snapshots still open at some process at the end (channels not closed).
  std::uint64_t OpenAtEnd() const;

 private:
  // Records one more message or report on channel `local` of at's open
  // entry k; true when that closed the entry's last channel (the caller
  // then erases it).
  bool MaybeClose(Context& ctx, ActorId at, std::size_t k, std::uint32_t local, ActorId from);

  InGroupChannels channels_;
  std::vector<bool> participates_;
  std::vector<SnapshotId> current_;
  std::vector<std::uint64_t> sent_;  // by channel slot: app messages a -> b
  std::vector<std::uint64_t> recv_;  // by channel slot of the receiver: app messages b -> a
  OpenSnapshotTable open_;
  std::vector<std::uint64_t> pre_;           // scratch: an advance's counts per neighbour
  std::vector<MessageId> closing_messages_;  // scratch: a closing channel's messages
};

}  // namespace snapsim
