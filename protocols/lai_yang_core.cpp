#include "protocols/lai_yang_core.h"

#include <algorithm>

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
    if (ctx.Snapshot(s).channels_expected == 0) ctx.Snapshot(s).channels_expected = ChannelCount();
    if (peers.empty()) continue;
    Open open;
    if (!spare_.empty()) {
      open = std::move(spare_.back());
      spare_.pop_back();
    }
    open.id = s;
    open.channels.resize(peers.size());
    open.remaining = static_cast<std::uint32_t>(peers.size());
    for (std::size_t i = 0; i < peers.size(); ++i) {
      RecordedChannel& ch = open.channels[i];
      ch.msgs.clear();
      ch.value = 0;
      ch.pre = recv_[channels_.Slot(a, peers[i])];
      ch.reported = -1;
      ch.closed = false;
    }
    open_[a].push_back(std::move(open));
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
  std::vector<Open>& open = open_[at];
  auto k = static_cast<std::size_t>(
      std::upper_bound(open.begin(), open.end(), m.sender_tag,
                       [](SnapshotId tag, const Open& o) { return tag < o.id; }) -
      open.begin());
  while (k < open.size()) {
    RecordedChannel& ch = open[k].channels[local];
    if (!ch.closed) {
      ch.msgs.push_back(m.id);
      ch.value += m.value;
      if (MaybeClose(ctx, at, open[k], local, m.src)) {
        Retire(at, k);
        continue;
      }
    }
    ++k;
  }
  ++recv_[slot];
}

bool LaiYangCore::OnControl(Context& ctx, ActorId at, const Message& m) {
  if (m.type != kReport) return false;
  if (ctx.world().Group(at) != ActorGroup::kIn) return true;
  const std::int64_t slot = channels_.Slot(at, m.src);
  if (slot < 0) return true;
  const std::uint32_t local = channels_.Local(at, slot);
  std::vector<Open>& open = open_[at];
  const SnapshotId first = m.aux >> 32, last = m.aux & 0xffffffffULL;
  auto k = static_cast<std::size_t>(
      std::lower_bound(open.begin(), open.end(), first,
                       [](const Open& o, SnapshotId id) { return o.id < id; }) -
      open.begin());
  while (k < open.size() && open[k].id <= last) {
    open[k].channels[local].reported = m.value;
    if (MaybeClose(ctx, at, open[k], local, m.src)) {
      Retire(at, k);
      continue;
    }
    ++k;
  }
  return true;
}

bool LaiYangCore::MaybeClose(Context& ctx, ActorId at, Open& open, std::uint32_t local,
                             ActorId from) {
  RecordedChannel& ch = open.channels[local];
  if (ch.closed || ch.reported < 0) return false;
  if (ch.pre + ch.msgs.size() != static_cast<std::uint64_t>(ch.reported)) return false;
  ch.closed = true;
  ctx.RecordChannelState(open.id, from, at, ch.msgs, ch.value);
  return --open.remaining == 0;
}

void LaiYangCore::Retire(ActorId a, std::size_t k) {
  std::vector<Open>& open = open_[a];
  spare_.push_back(std::move(open[k]));
  open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
}

std::uint64_t LaiYangCore::OpenAtEnd() const {
  std::uint64_t n = 0;
  for (const auto& m : open_) n += m.size();
  return n;
}

}  // namespace snapsim
