#include "protocols/chandy_lamport.h"

#include <algorithm>

namespace snapsim {

void ChandyLamportProtocol::OnStart(Context& ctx) {
  const World& w = ctx.world();
  const std::size_t n = w.ActorCount();
  participates_.assign(n, false);
  for (ActorId a = 0; a < n; ++a)
    participates_[a] = w.Group(a) == ActorGroup::kIn ||
                       (out_group_participates_ && w.Group(a) == ActorGroup::kOut);
  peer_begin_.assign(n + 1, 0);
  for (ActorId a = 0; a < n; ++a) {
    if (participates_[a])
      for (ActorId b : w.Neighbours(a))
        if (participates_[b]) {
          peers_.push_back(b);
          if (w.Group(a) == ActorGroup::kIn && w.Group(b) == ActorGroup::kIn) ++in_group_channels_;
        }
    peer_begin_[a + 1] = static_cast<std::uint32_t>(peers_.size());
  }
  recorded_.resize(n);
  open_.resize(n);
  send_markers_.resize(n);
  schedule_.Start(ctx);
}

std::uint32_t ChandyLamportProtocol::LocalIndex(ActorId a, ActorId peer) const {
  auto first = peers_.begin() + peer_begin_[a], last = peers_.begin() + peer_begin_[a + 1];
  auto it = std::lower_bound(first, last, peer);
  return it != last && *it == peer ? static_cast<std::uint32_t>(it - first) : UINT32_MAX;
}

ChandyLamportProtocol::Open& ChandyLamportProtocol::Record(Context& ctx, ActorId a, SnapshotId s) {
  recorded_[a].insert(s);
  if (ctx.world().Group(a) == ActorGroup::kIn) {
    ctx.RecordSnapshot(a, s);
    if (ctx.Snapshot(s).channels_expected == 0)
      ctx.Snapshot(s).channels_expected = in_group_channels_;
  }
  Open& open = open_[a][s];
  const std::uint32_t degree = peer_begin_[a + 1] - peer_begin_[a];
  open.channels.resize(degree);
  open.remaining = degree;
  return open;
}

void ChandyLamportProtocol::SendMarkers(Context& ctx, ActorId a, SnapshotId s) {
  for (std::uint32_t i = peer_begin_[a]; i < peer_begin_[a + 1]; ++i) {
    ControlPayload marker;
    marker.type = kMarker;
    marker.aux = s;
    ctx.SendControl(a, peers_[i], marker);
  }
  if (peer_begin_[a + 1] == peer_begin_[a]) open_[a].erase(s);
}

void ChandyLamportProtocol::CloseChannel(Context& ctx, ActorId at, SnapshotId s, Open& open,
                                         std::uint32_t local) {
  RecordedChannel& ch = open.channels[local];
  if (ch.closed) return;
  ch.closed = true;
  const ActorId from = peers_[peer_begin_[at] + local];
  const World& w = ctx.world();
  if (w.Group(at) == ActorGroup::kIn && w.Group(from) == ActorGroup::kIn)
    ctx.RecordChannelState(s, from, at, ch.msgs, ch.value);
  if (--open.remaining == 0) open_[at].erase(s);
}

void ChandyLamportProtocol::OnTimer(Context& ctx, ActorId at, std::uint32_t kind,
                                    std::uint32_t data) {
  if (kind != kInitiateTimer) return;
  const SnapshotId s = schedule_.Fired(ctx, data);
  if (recorded_[at].count(s)) return;  // already reached by another initiator's marker
  Record(ctx, at, s);
  SendMarkers(ctx, at, s);
}

void ChandyLamportProtocol::OnArrival(Context& ctx, ActorId at, Message& m) {
  if (!participates_[at]) return;
  const std::uint32_t local = LocalIndex(at, m.src);
  if (local == UINT32_MAX) return;  // not from a participant neighbour
  if (m.kind == MessageKind::kControl && m.type == kMarker) {
    const SnapshotId s = m.aux;
    if (!recorded_[at].count(s)) {
      // First marker: record before the marker is received; it closes its
      // channel empty; markers go out once the receive is done (OnControl).
      Open& open = Record(ctx, at, s);
      send_markers_[at].insert(s);
      CloseChannel(ctx, at, s, open, local);
      return;
    }
    auto it = open_[at].find(s);
    if (it != open_[at].end()) CloseChannel(ctx, at, s, it->second, local);
    return;
  }
  if (m.kind != MessageKind::kApp) return;
  for (auto& [s, open] : open_[at]) {
    RecordedChannel& ch = open.channels[local];
    if (ch.closed) continue;
    ch.msgs.push_back(m.id);
    ch.value += m.value;
  }
}

void ChandyLamportProtocol::OnControl(Context& ctx, ActorId at, const Message& m) {
  if (m.type != kMarker || !participates_[at]) return;
  const SnapshotId s = m.aux;
  if (send_markers_[at].erase(s)) SendMarkers(ctx, at, s);
}

}  // namespace snapsim
