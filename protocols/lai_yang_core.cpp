#include "protocols/lai_yang_core.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>

namespace snapsim {

void LaiYangCore::Init(Context& ctx, bool out_group_participates) {
  const World& w = ctx.world();
  const InGroupChannels channels(w);
  channel_count_ = static_cast<std::uint32_t>(channels.Slots());
  actors_.assign(w.ActorCount(), ActorState{});
  overflow_.clear();
  for (ActorId a = 0; a < w.ActorCount(); ++a) {
    const std::span<const ActorId> peers = channels.Of(a);
    ActorState& s = actors_[a];
    s.participates = w.Group(a) == ActorGroup::kIn ||
                     (out_group_participates &&
                      (w.Group(a) == ActorGroup::kOut || w.Group(a) == ActorGroup::kGateway));
    assert(peers.size() < (std::size_t{1} << 31));
    s.degree = static_cast<std::uint32_t>(peers.size());
    if (s.degree > kInlineChannels) s.overflow = static_cast<std::uint32_t>(overflow_.size());
    for (std::size_t i = 0; i < peers.size(); ++i) {
      ChannelCounts counts;
      counts.peer = peers[i];
      if (s.degree > kInlineChannels)
        overflow_.push_back(counts);
      else
        s.inline_channels[i] = counts;
    }
  }
  open_.Reset(w.ActorCount(), actors_.empty() ? nullptr : &actors_[0].open);
  expected_set_through_ = 0;
}

void LaiYangCore::AddGatewayParticipants(Context& ctx) {
  for (ActorId g : ctx.world().Gateways()) actors_[g].participates = true;
}

std::int64_t LaiYangCore::LocalOfOverflow(ActorId a, ActorId b) {
  const std::span<ChannelCounts> channels = Channels(a);
  const auto it = std::ranges::lower_bound(channels, b, {}, &ChannelCounts::peer);
  return it != channels.end() && it->peer == b ? it - channels.begin() : -1;
}

void LaiYangCore::Advance(Context& ctx, ActorId a, SnapshotId id) {
  assert(actors_[a].participates && id > actors_[a].current);
  if (id > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error(
        "LaiYangCore: snapshot ids above 2^32 - 1 (a message's tag is 32 bits)");
  const SnapshotId first = actors_[a].current + 1;
  actors_[a].current = static_cast<std::uint32_t>(id);
  if (ctx.world().Group(a) != ActorGroup::kIn) {
    if (on_advance) on_advance(a, first - 1, id);
    return;
  }
  const std::span<ChannelCounts> channels = Channels(a);
  // Grown, never shrunk: the span below is what the entry takes.
  if (pre_.size() < channels.size()) pre_.resize(channels.size());
  const std::span<std::uint64_t> pre(pre_.data(), channels.size());
  for (std::size_t i = 0; i < channels.size(); ++i) pre[i] = channels[i].Recv();
  // The ids first..id share this cut: one local snapshot each, one open
  // entry for all of them.
  ctx.RecordSnapshots(a, first, id);
  // Every in-group process records ids from 1 up without a gap, so each id
  // up to the highest recorded so far has been seen here before.
  for (SnapshotId s = std::max(first, expected_set_through_ + 1); s <= id; ++s) {
    SnapshotRecord& record = ctx.Snapshot(s);
    if (record.channels_expected == 0) record.channels_expected = ChannelCount();
  }
  expected_set_through_ = std::max(expected_set_through_, id);
  if (!channels.empty()) open_.Append(a, first, id, pre);
  // One report per neighbour covers every id recorded at this point: they
  // share the cut, so they share the count of messages sent before it.
  for (const ChannelCounts& channel : channels) {
    ControlPayload report;
    report.type = kReport;
    // The tag triggers the rule at the receiver (gateways may raise it on
    // the way); the range of ids the count covers travels in aux, untouched.
    report.tag = static_cast<std::uint32_t>(id);
    report.aux = (first << 32) | id;
    report.value = static_cast<std::int64_t>(channel.Sent());
    report.out_of_band = true;  // closes channels by count: needs no ordering
    ctx.SendControl(a, channel.peer, report);
  }
  if (on_advance) on_advance(a, first - 1, id);
}

void LaiYangCore::OnSend(Context& ctx, ActorId from, Message& m) {
  if (!actors_[from].participates) return;
  m.tag = static_cast<std::uint32_t>(actors_[from].current);
  m.sender_tag = m.tag;
  if (ctx.world().Group(m.dst) == ActorGroup::kIn) {
    const std::int64_t local = LocalOf(from, m.dst);
    if (local >= 0) Channels(from)[local].CountSent();
  }
}

void LaiYangCore::OnGatewayForward(Context& ctx, ActorId g, Message& m) {
  if (!actors_[g].participates) return;
  AdvanceTo(ctx, g, m.tag);
  m.tag = static_cast<std::uint32_t>(actors_[g].current);
}

void LaiYangCore::OnArrival(Context& ctx, ActorId at, Message& m) {
  if (!actors_[at].participates) return;
  AdvanceTo(ctx, at, m.tag);
  if (m.kind != MessageKind::kApp || ctx.world().Group(at) != ActorGroup::kIn) return;
  const std::int64_t found = LocalOf(at, m.src);
  if (found < 0) return;  // not an in-group channel
  const auto local = static_cast<std::uint32_t>(found);
  // In flight for every open snapshot s above the sender's id at send: sent
  // before the sender's cut s, received after ours. (Not m.tag: a gateway
  // may have raised it on the way.)
  std::size_t k = EntriesAbove(at, open_.UpperBound(at, m.sender_tag), local, m.sender_tag);
  while (open_.Has(at, k)) {
    OpenSnapshotTable::Tally& t = open_.At(at, k, local);
    if (!t.Closed()) {
      open_.AddMessage(t, m.id, m.value);
      if (MaybeClose(ctx, at, k, local, m.src)) {
        open_.Erase(at, k);
        continue;
      }
    }
    ++k;
  }
  Channels(at)[local].CountRecv();
}

bool LaiYangCore::OnControl(Context& ctx, ActorId at, const Message& m) {
  if (m.type != kReport) return false;
  if (ctx.world().Group(at) != ActorGroup::kIn) return true;
  const std::int64_t found = LocalOf(at, m.src);
  if (found < 0) return true;
  const auto local = static_cast<std::uint32_t>(found);
  const SnapshotId first = m.aux >> 32, last = m.aux & 0xffffffffULL;
  assert(first >= 1);  // AdvanceTo reports ids from current + 1
  // The count holds for first..last only: an entry that reaches outside the
  // range is split at its edges (unless this channel is closed there).
  std::size_t k = EntriesAbove(at, open_.LowerBound(at, first), local, first - 1);
  while (open_.Has(at, k) && open_.First(at, k) <= last) {
    if (open_.At(at, k, local).Closed()) {  // a closed channel stays closed
      ++k;
      continue;
    }
    if (open_.Last(at, k) > last) open_.SplitAfter(at, k, last);
    open_.At(at, k, local).Report(m.value);
    if (MaybeClose(ctx, at, k, local, m.src)) {
      open_.Erase(at, k);
      continue;
    }
    ++k;
  }
  return true;
}

std::size_t LaiYangCore::EntriesAbove(ActorId at, std::size_t k, std::uint32_t local,
                                      SnapshotId id) {
  if (!open_.Has(at, k) || open_.First(at, k) > id) return k;
  if (!open_.At(at, k, local).Closed()) open_.SplitAfter(at, k, id);
  return k + 1;
}

bool LaiYangCore::MaybeClose(Context& ctx, ActorId at, std::size_t k, std::uint32_t local,
                             ActorId from) {
  OpenSnapshotTable::Tally& t = open_.At(at, k, local);
  if (!t.Complete()) return false;
  const std::int64_t value = open_.TakeMessages(t, closing_messages_);
  ctx.RecordChannelStates(open_.First(at, k), open_.Last(at, k), from, at, closing_messages_,
                          value);
  return open_.Close(at, k, local);
}

std::uint64_t LaiYangCore::OpenAtEnd() const { return open_.OpenCount(); }

}  // namespace snapsim
