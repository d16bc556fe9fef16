// Directed channels, their latency models, and routing (MODEL.md sections 1-2).
//
// Channels are created once, when the world is built, from the application
// graph: out-group -> in-group traffic always enters through a gateway (one
// per flow, chosen by hashing the flow), in-group -> out-group goes direct
// (direct server return), and the controller has its own channels to and
// from every gateway. Channels are stored sorted by (src, dst); a lookup
// checks the sender's first two, then its long run of consecutive ids if it
// has one (by arithmetic), then scans the first few of its range, tries the
// run of consecutive ids after them, then binary-searches, and costs no
// allocation.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/distribution.h"
#include "sim/future_arrivals.h"
#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/prefetch.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace snapsim {

// What a channel connects; each kind has its own link model in a scenario.
enum class ChannelKind : std::uint8_t {
  kInToIn,
  kInToOut,
  kOutToIn,  // direct, only when inbound traffic bypasses gateways
  kOutToOut,
  kOutToGateway,
  kInToGateway,  // in-group traffic addressed to a VIP
  kGatewayToIn,
  kControllerToGateway,
  kGatewayToController,
};
inline constexpr std::size_t kChannelKindCount = 9;
// The scenario key of a channel kind, e.g. "in_to_in".
std::string_view ChannelKindName(ChannelKind kind);

// The link model shared by all channels of one kind.
struct LinkSpec {
  Distribution latency = Distribution::Constant(0);
  bool fifo = true;
  double loss = 0;  // probability that a message is lost, decided at send
};

// How the world routes traffic.
struct RoutingSpec {
  bool inbound_via_gateways = true;    // out -> in passes a gateway (when there are any)
  bool in_group_via_gateways = false;  // in -> in addressed to VIPs, through gateways
};

struct ChannelEnds {
  ActorId src;
  ActorId dst;
};

class Network {
 public:
  Network() = default;
  // Builds the channels for the application graph `edges` (undirected pairs
  // of actors that talk to each other). `groups` gives each actor's group.
  // Gateways and the controller are taken from `groups`.
  Network(std::span<const ActorGroup> groups, std::span<const std::pair<ActorId, ActorId>> edges,
          const RoutingSpec& routing, const std::array<LinkSpec, kChannelKindCount>& links);

  // The channel src -> dst, or kNoChannel. Inline for a destination among
  // src's first channels (a ring neighbour, a gateway), which its row holds:
  // then it reads that one row. (Until the thirty-second pass it also read
  // the next source's row, for where src's channels end, a second cache
  // line that no prefetch had loaded, on every send; an absent inline
  // channel's destination is kNoActor, so the row alone tells.)
  ChannelId Find(ActorId src, ActorId dst) const {
    if (src + 1 >= rows_.size() || dst == kNoActor) return kNoChannel;
    const SourceRow& row = rows_[src];
    for (std::uint32_t i = 0; i < kInline; ++i)
      if (row.first[i] == dst) return row.begin + i;
    return FindBeyondInline(row, rows_[src + 1].begin, dst);
  }
  // Hints that src is about to send: starts loading what Find(src, ...) reads
  // first, so the load overlaps the sender's own work instead of following it.
  void PrefetchSource(ActorId src) const {
    if (src < rows_.size()) PrefetchForRead(&rows_[src]);
  }
  // The stream src's sends draw their latency and loss from: one for
  // application messages, one for control messages. They live in src's row,
  // which every send reads anyway (Find), so a send loads one line for both
  // (until the twenty-seventh pass they were two arrays of the World, one
  // more line per send). REQUIRES: src < the actor count the network was
  // built for; the world seeds them (World's constructor).
  RandomStream& SendRng(ActorId src, bool control) {
    assert(src + 1 < rows_.size());
    return control ? rows_[src].control_rng : rows_[src].app_rng;
  }
  std::size_t ChannelCount() const { return dst_.size(); }
  // src's channels: ids first..end-1, sorted by destination. REQUIRES: src
  // < the actor count the network was built for.
  struct ChannelRange {
    ChannelId first, end;
  };
  ChannelRange ChannelsOf(ActorId src) const { return {rows_[src].begin, rows_[src + 1].begin}; }
  ActorId Destination(ChannelId c) const { return dst_[c]; }
  // Both ends of c; its source by binary search over the sources' ranges
  // (O(log actors): a loop over every channel walks ChannelsOf instead).
  ChannelEnds Ends(ChannelId c) const { return {SourceOf(c), dst_[c]}; }
  ChannelKind Kind(ChannelId c) const { return kind_[c]; }
  const LinkSpec& Link(ChannelId c) const { return links_[static_cast<std::size_t>(kind_[c])]; }
  const LinkSpec& LinkOf(ChannelKind k) const { return links_[static_cast<std::size_t>(k)]; }
  // What a send on channel c needs: its link and, for src's first channels,
  // their FIFO slot (the latest arrival scheduled on c), which sit in src's
  // row with the link's kind; Find(src, ...) has just read that row, so a
  // send on a low-degree actor touches no per-channel array. REQUIRES: c is
  // one of src's channels.
  struct Sending {
    const LinkSpec& link;
    SimTime* inline_slot;  // c's FIFO slot in src's row, or null: FifoSlot
  };
  // A channel in src's run (a gateway's to the in-group) needs no
  // per-channel kind either.
  Sending ForSend(ActorId src, ChannelId c) {
    SourceRow& row = rows_[src];
    const std::uint32_t i = c - row.begin;
    if (i < kInline) {
      assert(row.first[i] != kNoActor);  // one of src's channels (the row alone tells)
      return {LinkOf(row.kind[i]), &row.last_arrival[i]};
    }
    assert(i < rows_[src + 1].begin - row.begin);
    if (row.run != 0) {
      const Run& run = runs_[row.run - 1];
      if (i - run.offset < run.length) return {LinkOf(run.kind), nullptr};
    }
    return {Link(c), nullptr};
  }
  // The FIFO slot of channel c at time `now`, for a send that ForSend gave
  // `sending`: the latest arrival scheduled on c, or a time no later than
  // `now` when none after it is; the caller may raise it. Asked only for a
  // send that the FIFO rule applies to, so the table of channels in flight
  // (FutureArrivals, which holds the slots of the channels not inline) sees
  // no lost, out-of-band or non-FIFO send. Valid until the next call.
  // REQUIRES: `now` never decreases between calls.
  SimTime& FifoSlot(const Sending& sending, ChannelId c, SimTime now) {
    return sending.inline_slot ? *sending.inline_slot : future_.At(c, now);
  }
  // Whether any source has a run (otherwise PrefetchRunChannel never loads).
  bool HasRuns() const { return !runs_.empty(); }
  // Hints that src is about to send to dst: when dst is in src's run, starts
  // loading the channel's FIFO slot, which FifoSlot returns. Reads src's row
  // (a gateway's, which every forward reads) and nothing per destination.
  void PrefetchRunChannel(ActorId src, ActorId dst) const {
    if (src >= rows_.size()) return;
    const SourceRow& row = rows_[src];
    if (row.run == 0) return;
    const Run& run = runs_[row.run - 1];
    if (dst - run.first_dst < run.length)
      future_.Prefetch(row.begin + run.offset + (dst - run.first_dst));
  }

  // The first hop of a message from -> to and its channel: a gateway for
  // traffic entering the in-group from outside (or between in-group VIPs
  // when configured), otherwise `to` itself. channel is kNoChannel when no
  // route exists.
  struct Hop {
    ActorId to;
    ChannelId channel;
  };
  Hop FirstHop(ActorId from, ActorId to) const {
    const ActorId next = ViaGateway(from, to) ? GatewayOf(from, to) : to;
    return {next, Find(from, next)};
  }
  std::span<const ActorId> Gateways() const { return gateways_; }
  ActorId Controller() const { return controller_; }
  // Whether traffic from -> to passes a gateway. Reads from's row (which
  // PrefetchSource loads and Find reads next) and, only for a sender whose
  // traffic can pass one (out-group, or in-group with VIP routing), whether
  // `to` is in-group, from one bit per actor: a sender's group byte and a
  // random destination's were two cache misses per send on a large cloud.
  bool ViaGateway(ActorId from, ActorId to) const {
    if (gateways_.empty() || from >= groups_.size()) return false;
    return ViaGateway(rows_[from].group, to);
  }

 private:
  // The same for a sender of group from_group. REQUIRES: gateways exist.
  bool ViaGateway(ActorGroup from_group, ActorId to) const {
    const bool may_pass = from_group == ActorGroup::kOut  ? routing_.inbound_via_gateways
                          : from_group == ActorGroup::kIn ? routing_.in_group_via_gateways
                                                          : false;
    return may_pass && InGroup(to);
  }
  // The gateway that flow from -> to passes (by a hash of the pair).
  ActorId GatewayOf(ActorId from, ActorId to) const;
  // Fills runs_ and the rows' run indices from the channel arrays.
  void FindRuns();
  // The source whose range holds channel c.
  ActorId SourceOf(ChannelId c) const;
  bool InGroup(ActorId a) const {
    return a < groups_.size() && (in_group_bits_[a / 64] >> (a % 64)) & 1;
  }

  std::vector<ActorGroup> groups_;
  std::vector<std::uint64_t> in_group_bits_;  // bit a: actor a is in-group
  RoutingSpec routing_;
  std::array<LinkSpec, kChannelKindCount> links_;
  static constexpr std::ptrdiff_t kScanned = 8;  // destinations Find() scans before searching
  static constexpr std::uint32_t kInline = 2;    // channels a SourceRow holds
  // Per source: its first channel id, its group and, for its first channels,
  // their destination, kind and FIFO slot. Find() on a low-degree actor (or to its
  // lowest destinations) and the send that follows read this one aligned
  // record, where they read an offset, then the destination list, then the
  // channel's kind and FIFO slot: a chain of dependent cache misses on a large
  // topology becomes one miss. Size actors + 1 (the last row only ends the
  // previous one). The per-channel arrays keep every channel's destination
  // and kind; future_ holds the FIFO slots of the channels not inline. The
  // source's latency streams (SendRng) fill the rest of the line.
  struct alignas(64) SourceRow {
    std::uint32_t begin = 0;
    ActorId first[kInline] = {kNoActor, kNoActor};
    ChannelKind kind[kInline] = {};
    ActorGroup group = ActorGroup::kIn;  // kept in what was padding
    std::uint8_t run = 0;                // 1 + its index in runs_, or 0: none
    SimTime last_arrival[kInline] = {SimTime(0), SimTime(0)};
    RandomStream app_rng, control_rng;
  };
  static_assert(sizeof(SourceRow) == 64, "one cache line per source");
  HugePageVector<SourceRow> rows_;
  // Find's search beyond the row's inline channels: the source's run, then
  // its destination list.
  ChannelId FindBeyondInline(const SourceRow& row, std::uint32_t end, ActorId dst) const;
  // A long run in a source's destinations, as a shape that many sources
  // share: the source's channels begin + offset + j go to first_dst + j
  // (j < length), all of one kind. A gateway's channels to every in-group
  // process form one on the cloud topology, every backend's to the clients
  // of a dense cloud another (after its ring neighbours), and every client's
  // to the gateways a third; Find and ForSend answer for them by arithmetic,
  // where they read dst_ and kind_ at a random place (two cache misses per
  // send). Each source's longest run of kMinRun channels or more; at most
  // 255 shapes, those that cover the most channels.
  struct Run {
    std::uint32_t offset = 0;  // of the run's first channel from its source's first
    ActorId first_dst = 0;
    std::uint32_t length = 0;
    ChannelKind kind = ChannelKind::kInToIn;
    auto operator<=>(const Run&) const = default;
  };
  static constexpr std::uint32_t kMinRun = 16;
  std::vector<Run> runs_;
  // Per channel (the source is implied by the rows' ranges: until the
  // thirtieth pass an array of its own, 40 MB on the issue-7 cloud, read only
  // when the sinks were told of the channels).
  HugePageVector<ActorId> dst_;
  HugePageVector<ChannelKind> kind_;
  // The FIFO slots of the channels not inline in their source's row.
  FutureArrivals future_;
  std::vector<ActorId> gateways_;
  ActorId controller_ = kNoActor;
};

}  // namespace snapsim
