#include "protocols/lai_yang_core.h"

namespace snapsim {

void LaiYangCore::Init(Context& ctx, bool out_group_participates) {
  const World& w = ctx.world();
  channels_ = InGroupChannels(w);
  participates_.assign(w.ActorCount(), false);
  for (ActorId a = 0; a < w.ActorCount(); ++a)
    participates_[a] = w.Group(a) == ActorGroup::kIn ||
                       (out_group_participates &&
                        (w.Group(a) == ActorGroup::kOut || w.Group(a) == ActorGroup::kGateway));
  current_.assign(w.ActorCount(), 0);
  sent_.assign(channels_.Slots(), 0);
  recv_.assign(channels_.Slots(), 0);
  open_.resize(w.ActorCount());
}

void LaiYangCore::AddGatewayParticipants(Context& ctx) {
  for (ActorId g : ctx.world().Gateways()) participates_[g] = true;
}

void LaiYangCore::AdvanceTo(Context& ctx, ActorId a, SnapshotId id) {
  if (!participates_[a] || id <= current_[a]) return;
  const SnapshotId first = current_[a] + 1;
  current_[a] = id;
  if (ctx.world().Group(a) != ActorGroup::kIn) {
    if (on_advance) on_advance(a, first - 1, id);
    return;
  }
  const auto peers = channels_.Of(a);
  for (SnapshotId s = first; s <= id; ++s) {
    ctx.RecordSnapshot(a, s);
    Open& open = open_[a][s];
    open.channels.resize(peers.size());
    open.remaining = static_cast<std::uint32_t>(peers.size());
    for (std::size_t i = 0; i < peers.size(); ++i)
      open.channels[i].pre = recv_[channels_.Slot(a, peers[i])];
    if (ctx.Snapshot(s).channels_expected == 0) ctx.Snapshot(s).channels_expected = ChannelCount();
  }
  // One report per neighbour covers every id recorded at this point: they
  // share the cut, so they share the count of messages sent before it.
  for (ActorId b : peers) {
    ControlPayload report;
    report.type = kReport;
    // The tag triggers the rule at the receiver (gateways may raise it on
    // the way); the range of ids the count covers travels in aux, untouched.
    report.tag = static_cast<std::uint32_t>(id);
    report.aux = (first << 32) | id;
    report.value = static_cast<std::int64_t>(sent_[channels_.Slot(a, b)]);
    report.out_of_band = true;  // closes channels by count: needs no ordering
    ctx.SendControl(a, b, report);
  }
  if (peers.empty())
    for (SnapshotId s = first; s <= id; ++s) open_[a].erase(s);
  if (on_advance) on_advance(a, first - 1, id);
}

void LaiYangCore::OnSend(Context& ctx, ActorId from, Message& m) {
  if (!participates_[from]) return;
  m.tag = static_cast<std::uint32_t>(current_[from]);
  m.sender_tag = m.tag;
  if (ctx.world().Group(m.dst) == ActorGroup::kIn) {
    const std::int64_t slot = channels_.Slot(from, m.dst);
    if (slot >= 0) ++sent_[slot];
  }
}

void LaiYangCore::OnGatewayForward(Context& ctx, ActorId g, Message& m) {
  if (!participates_[g]) return;
  AdvanceTo(ctx, g, m.tag);
  m.tag = static_cast<std::uint32_t>(current_[g]);
}

void LaiYangCore::OnArrival(Context& ctx, ActorId at, Message& m) {
  if (!participates_[at]) return;
  AdvanceTo(ctx, at, m.tag);
  if (m.kind != MessageKind::kApp || ctx.world().Group(at) != ActorGroup::kIn) return;
  const std::int64_t slot = channels_.Slot(at, m.src);
  if (slot < 0) return;  // not an in-group channel
  const std::uint32_t local = channels_.Local(at, slot);
  // In flight for every open snapshot s above the sender's id at send: sent
  // before the sender's cut s, received after ours. (Not m.tag: a gateway
  // may have raised it on the way.)
  auto& open = open_[at];
  for (auto it = open.upper_bound(m.sender_tag); it != open.end();) {
    const SnapshotId s = it->first;
    Open& o = (it++)->second;
    RecordedChannel& ch = o.channels[local];
    if (ch.closed) continue;
    ch.msgs.push_back(m.id);
    ch.value += m.value;
    MaybeClose(ctx, at, s, o, local, m.src);
  }
  ++recv_[slot];
}

bool LaiYangCore::OnControl(Context& ctx, ActorId at, const Message& m) {
  if (m.type != kReport) return false;
  if (ctx.world().Group(at) != ActorGroup::kIn) return true;
  const std::int64_t slot = channels_.Slot(at, m.src);
  if (slot < 0) return true;
  const std::uint32_t local = channels_.Local(at, slot);
  auto& open = open_[at];
  const SnapshotId first = m.aux >> 32, last = m.aux & 0xffffffffULL;
  for (SnapshotId s = first; s <= last; ++s) {
    auto it = open.find(s);
    if (it == open.end()) continue;
    it->second.channels[local].reported = m.value;
    MaybeClose(ctx, at, s, it->second, local, m.src);
  }
  return true;
}

void LaiYangCore::MaybeClose(Context& ctx, ActorId at, SnapshotId s, Open& open,
                             std::uint32_t local, ActorId from) {
  RecordedChannel& ch = open.channels[local];
  if (ch.closed || ch.reported < 0) return;
  if (ch.pre + ch.msgs.size() != static_cast<std::uint64_t>(ch.reported)) return;
  ch.closed = true;
  ctx.RecordChannelState(s, from, at, ch.msgs, ch.value);
  if (--open.remaining == 0) open_[at].erase(s);
}

std::uint64_t LaiYangCore::OpenAtEnd() const {
  std::uint64_t n = 0;
  for (const auto& m : open_) n += m.size();
  return n;
}

}  // namespace snapsim
