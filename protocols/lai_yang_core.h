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

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "protocols/channel_counts.h"
#include "protocols/channel_recorder.h"
#include "protocols/open_snapshot_table.h"
#include "sim/context.h"
#include "sim/huge_pages.h"
#include "sim/message.h"
#include "sim/state_array.h"

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

  bool Participates(ActorId a) const { return actors_[a].participates; }
  SnapshotId Current(ActorId a) const { return actors_[a].current; }
  // Directed in-group channels: the channel states each snapshot must close.
  std::uint32_t ChannelCount() const { return channel_count_; }
  // The per-actor records (ActorState), for Protocol::PrefetchTargets: each
  // holds the actor's open-snapshot row, whose block the engine loads next.
  StateArrays PrefetchTargets() const { return {open_.PrefetchTarget(), StateArray{}}; }

  // Brings a participant to snapshot id `id`, recording ids current+1..id;
  // nothing for a non-participant or an id not above its current one. The
  // test is inline: most calls (every arrival, count reports carry no tag)
  // do not advance.
  void AdvanceTo(Context& ctx, ActorId a, SnapshotId id) {
    if (actors_[a].participates && id > actors_[a].current) Advance(ctx, a, id);
  }
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
  // Given k, at's first open entry whose last id is above `id`: when that
  // entry also holds ids up to `id` (a message or report tells them apart),
  // splits it after `id` unless its channel `local` is closed (then every id
  // of it is done with this channel). Returns the first entry from which
  // every id is above `id`, or past a closed straddling one.
  std::size_t EntriesAbove(ActorId at, std::size_t k, std::uint32_t local, SnapshotId id);

  // AdvanceTo's work. REQUIRES: a participates, id > its current id.
  void Advance(Context& ctx, ActorId a, SnapshotId id);

  // Everything an arrival, a send or an advance at one actor reads first, in
  // one aligned cache line (the engine prefetches it): whether it
  // participates, the current id, its open-snapshot row and, for up to
  // kInlineChannels in-group neighbours, their counts; a process with more
  // keeps them in overflow_. With 10^6 processes each was a miss of its own
  // in five arrays (docs/performance-history.md, tenth pass), the
  // participation bits, in a vector of their own, were one more until the
  // sixteenth, and the open-snapshot row one more until the twenty-eighth.
  // Ids are 32 bits, as in a message's tag and a report's range.
  static constexpr std::uint32_t kInlineChannels = 2;
  struct alignas(64) ActorState {
    std::uint32_t current = 0;
    std::uint32_t degree : 31 = 0;       // in-group neighbours (0 for other actors)
    std::uint32_t participates : 1 = 0;  // tracks and stamps snapshot ids
    OpenSnapshotTable::Row open;         // open_'s row for this actor
    union {
      ChannelCounts inline_channels[kInlineChannels] = {};  // degree <= kInlineChannels
      std::uint32_t overflow;  // degree > kInlineChannels: first index in overflow_
    };
  };
  static_assert(sizeof(ActorState) == OpenSnapshotTable::kRowStride);  // open_'s rows are here
  // a's channel counts, sorted by neighbour: the i-th is a's i-th channel
  // (the `local` index of OpenSnapshotTable).
  std::span<ChannelCounts> Channels(ActorId a) {
    ActorState& s = actors_[a];
    return {s.degree <= kInlineChannels ? s.inline_channels : overflow_.data() + s.overflow,
            s.degree};
  }
  // The index of neighbour b among a's channels, or -1 when b is not one.
  // Inline for the inline channels (a look at each beats a binary search):
  // every report and in-group arrival asks.
  std::int64_t LocalOf(ActorId a, ActorId b) {
    const ActorState& s = actors_[a];
    if (s.degree > kInlineChannels) return LocalOfOverflow(a, b);
    for (std::uint32_t i = 0; i < s.degree; ++i)
      if (s.inline_channels[i].peer == b) return i;
    return -1;
  }
  // LocalOf for a process with more than kInlineChannels: a binary search.
  std::int64_t LocalOfOverflow(ActorId a, ActorId b);

  HugePageVector<ActorState> actors_;
  HugePageVector<ChannelCounts> overflow_;
  std::uint32_t channel_count_ = 0;
  // AdvanceTo has given channels_expected to every snapshot 1..this.
  SnapshotId expected_set_through_ = 0;
  OpenSnapshotTable open_;
  std::vector<std::uint64_t> pre_;           // scratch: an advance's counts per neighbour
  std::vector<MessageId> closing_messages_;  // scratch: a closing channel's messages
};

}  // namespace snapsim
