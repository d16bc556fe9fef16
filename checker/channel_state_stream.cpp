#include "checker/channel_state_stream.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/channel_compare.h"
#include "sim/prefetch.h"

namespace snapsim::checker {
namespace {

// Walks the expected crossings and the records of one snapshot by channel
// (sorting both; receive order kept within a channel) and calls
// visit(channel, expected message keys, record or null) once for every
// channel either of them names.
template <typename Visit>
void ForEachChannel(std::vector<CutPass::Crossing>& expected,
                    std::vector<ChannelStateRecord>& recorded, Visit visit) {
  using Key = std::pair<ActorId, ActorId>;
  const auto channel_of = [](const auto& x) { return Key{x.from, x.to}; };
  const auto by_channel = [&](const auto& x, const auto& y) {
    return channel_of(x) < channel_of(y);
  };
  std::stable_sort(expected.begin(), expected.end(), by_channel);
  std::sort(recorded.begin(), recorded.end(), by_channel);
  auto e = expected.begin();
  auto rec = recorded.begin();
  std::vector<std::uint64_t> keys;
  while (e != expected.end() || rec != recorded.end()) {
    const bool take_e =
        e != expected.end() && (rec == recorded.end() || channel_of(*e) <= channel_of(*rec));
    const Key key = take_e ? channel_of(*e) : channel_of(*rec);
    keys.clear();
    for (; e != expected.end() && channel_of(*e) == key; ++e) keys.push_back(e->key);
    const bool has_record = rec != recorded.end() && channel_of(*rec) == key;
    visit(key, keys, has_record ? &*rec : nullptr);
    if (has_record) ++rec;
  }
}

}  // namespace

void ChannelStateStream::Declare(ActorId from, ActorId to, bool fifo) {
  if (sorted_) {
    late_fifo_[Pack(from, to)] = fifo;  // after records: checked as undeclared
  } else {
    declarations_.emplace_back(Pack(from, to), fifo);
  }
}

std::int64_t ChannelStateStream::IndexOf(ActorId from, ActorId to) const {
  if (to >= receivers_.size()) return -1;
  const ReceiverRow& row = receivers_[to];
  const std::uint32_t inline_count = std::min<std::uint32_t>(row.count, 2);
  for (std::uint32_t k = 0; k < inline_count; ++k)
    if (row.first_from[k] == from) return row.begin + k;
  if (row.count <= 2) return -1;
  const std::uint64_t packed = Pack(from, to);
  const auto first = declared_.begin() + row.begin + 2;
  const auto last = declared_.begin() + row.begin + row.count;
  auto it = std::lower_bound(first, last, packed);
  return it != last && *it == packed ? it - declared_.begin() : -1;
}

bool ChannelStateStream::Fifo(ChannelKey key) const {
  const std::int64_t i = IndexOf(key.first, key.second);
  if (i >= 0) return declared_fifo_[static_cast<std::size_t>(i)];
  auto late = late_fifo_.find(Pack(key.first, key.second));
  return late != late_fifo_.end() && late->second;
}

bool ChannelStateStream::Seen(const Snapshot& snap, SnapshotId id, ChannelKey key) const {
  const std::int64_t i = IndexOf(key.first, key.second);
  if (i < 0) return undeclared_seen_.count({id, key.first, key.second}) > 0;
  if (snap.seen_count == declared_.size()) return true;
  return !snap.seen.empty() && (snap.seen[static_cast<std::size_t>(i) / 64] >> (i % 64)) & 1;
}

void ChannelStateStream::Seal(std::size_t actors) {
  if (sorted_) return;
  std::sort(declarations_.begin(), declarations_.end());
  declared_.clear();
  declared_fifo_.clear();
  for (const auto& [packed, fifo] : declarations_) {
    declared_.push_back(packed);
    declared_fifo_.push_back(fifo);
  }
  const std::size_t receivers = declared_.empty() ? 0 : (declared_.back() >> 32) + 1;
  receivers_.assign(std::max(receivers, actors), ReceiverRow{});
  for (std::size_t i = 0; i < declared_.size(); ++i) {
    ReceiverRow& row = receivers_[declared_[i] >> 32];
    if (row.count == 0) row.begin = static_cast<std::uint32_t>(i);
    if (row.count < 2) row.first_from[row.count] = static_cast<ActorId>(declared_[i]);
    ++row.count;
  }
  sorted_ = true;
}

ChannelStateStream::Snapshot& ChannelStateStream::SnapshotOf(SnapshotId id) {
  RecentSnapshot& recent = recent_[id % kRecent];
  if (recent.snap && recent.id == id) return *recent.snap;
  auto [it, created] = snapshots_.try_emplace(id);
  if (created && next_seq_ < UINT32_MAX) ++next_seq_;
  if (created) it->second.seq = next_seq_;
  recent = {id, &it->second};
  return it->second;
}

bool ChannelStateStream::MarkSeen(Snapshot& snap, std::uint32_t index, ActorId to) {
  std::uint64_t* word = &snap.seen[index / 64];
  const std::uint64_t bit = std::uint64_t{1} << (index % 64);
  ReceiverRow& row = receivers_[to];
  const std::uint32_t k = index - row.begin;
  // Every record on channel k so far was of a snapshot with seq <= last_seq.
  if (k < 2 && snap.seq > row.last_seq[k]) {
    row.last_seq[k] = snap.seq;
    PrefetchForRead(word);
    DeferredBit& oldest = deferred_[deferred_next_];
    if (oldest.word) *oldest.word |= oldest.bit;
    oldest = {word, bit};
    deferred_next_ = (deferred_next_ + 1) % kDeferredBits;
    return true;
  }
  FlushSeen();
  if (*word & bit) return false;
  *word |= bit;
  return true;
}

void ChannelStateStream::FlushSeen() {
  for (DeferredBit& d : deferred_) {
    if (d.word) *d.word |= d.bit;
    d = {};
  }
}

ChannelStateStream::AddRunResult ChannelStateStream::AddRun(const CompactTrace& trace,
                                                            SnapshotId first, SnapshotId last,
                                                            ActorId from, ActorId to,
                                                            std::span<const MessageId> msgs) {
  if (!sorted_) Seal(0);
  const std::int64_t index = IndexOf(from, to);
  if (index < 0 &&
      (trace.actor_groups[from] != ActorGroup::kIn || trace.actor_groups[to] != ActorGroup::kIn))
    return {AddResult::kNotInGroup, first};
  for (SnapshotId id = first;; ++id) {
    const AddResult result = AddOne(trace, id, index, from, to, msgs);
    if (result != AddResult::kAdded || id == last) return {result, id};
  }
}

ChannelStateStream::AddResult ChannelStateStream::AddOne(const CompactTrace& trace, SnapshotId id,
                                                         std::int64_t index, ActorId from,
                                                         ActorId to,
                                                         std::span<const MessageId> msgs) {
  Snapshot& snap = SnapshotOf(id);
  if (index < 0) {
    if (!undeclared_seen_.insert({id, from, to}).second) return AddResult::kRepeat;
  } else {
    // Once every declared channel was recorded, any further one is a repeat.
    const auto all = static_cast<std::uint32_t>(declared_.size());
    if (snap.seen_count == all) return AddResult::kRepeat;
    if (snap.seen.empty()) snap.seen.assign((all + 63) / 64, 0);
    if (!MarkSeen(snap, static_cast<std::uint32_t>(index), to)) return AddResult::kRepeat;
    if (++snap.seen_count == all) {
      FlushSeen();  // some deferred bits may point into the bitset released here
      std::vector<std::uint64_t>().swap(snap.seen);
    }
  }
  snap.any_record = true;
  if (!snap.final) {
    if (!msgs.empty()) snap.pending.push_back({id, from, to, {msgs.begin(), msgs.end()}});
    return AddResult::kAdded;
  }
  // Judged already: compare with what was left expected (empty otherwise).
  const ChannelKey key{from, to};
  const std::vector<std::uint64_t> recorded(msgs.begin(), msgs.end());
  auto a = snap.awaiting.find(key);
  if (a == snap.awaiting.end()) {
    if (!recorded.empty()) Compare(trace, snap, key, {}, recorded, false);
  } else {
    Compare(trace, snap, key, a->second, recorded, false);
    snap.awaiting.erase(a);
  }
  return AddResult::kAdded;
}

void ChannelStateStream::Compare(const CompactTrace& trace, Snapshot& snap, ChannelKey key,
                                 const std::vector<std::uint64_t>& expected,
                                 const std::vector<std::uint64_t>& recorded, bool missing_record) {
  const MessageNamer name = [&](std::uint64_t k) {
    return k < trace.message_names.size() ? trace.message_names[k] : fmt::format("m{}", k);
  };
  auto diff = CompareChannelState(expected, recorded, Fifo(key), name);
  if (!diff) return;
  const std::string label =
      fmt::format("{}->{}", trace.actor_names[key.first], trace.actor_names[key.second]);
  snap.errors.emplace_back(key, missing_record
                                    ? fmt::format("{}: no channel state recorded; {}", label, *diff)
                                    : fmt::format("{}: {}", label, *diff));
}

void ChannelStateStream::Judge(CutPass& pass, const CompactTrace& trace) {
  const std::uint32_t from = judged_ranks_;
  auto crossings = pass.TakeFinalCrossings(from);
  judged_ranks_ = pass.FinalRanks();
  FlushSeen();  // Seen() reads the bitsets
  for (std::uint32_t r = from; r < judged_ranks_; ++r) {
    const SnapshotId id = pass.IdOfRank(r);
    Snapshot& snap = SnapshotOf(id);
    snap.final = true;
    std::vector<ChannelStateRecord> recorded;
    recorded.swap(snap.pending);
    // Every in-group process took a final rank: every channel is judged.
    ForEachChannel(crossings[r - from], recorded,
                   [&](ChannelKey key, const std::vector<std::uint64_t>& expected,
                       const ChannelStateRecord* rec) {
                     if (rec) {
                       Compare(trace, snap, key, expected, rec->msgs, false);
                     } else if (Seen(snap, id, key)) {
                       Compare(trace, snap, key, expected, {}, false);  // recorded empty
                     } else {
                       snap.awaiting.emplace(key, expected);  // judged when a record comes
                     }
                   });
  }
}

std::map<SnapshotId, std::vector<std::string>> ChannelStateStream::Finish(
    const CutPass& pass, const CompactTrace& trace) {
  // Snapshots that never became final are judged here against the pass's
  // expected states so far (exact for them), as BuildReport would judge them
  // on the whole trace: only channels whose both ends took the snapshot, and
  // in a snapshot the run cut short, only channels that have a record.
  FlushSeen();  // Seen() reads the bitsets
  const std::set<SnapshotId> cut_short(trace.cut_short.begin(), trace.cut_short.end());
  std::vector<SnapshotId> open_ids;
  std::vector<std::uint32_t> ranks;
  for (const auto& [id, snap] : snapshots_) {
    if (snap.final || !snap.any_record) continue;
    open_ids.push_back(id);
    const std::uint32_t rank = pass.RankOf(id);
    if (rank != kNone) ranks.push_back(rank);
  }
  std::sort(ranks.begin(), ranks.end());
  auto expected_lists = pass.ExpectedChannelStates(ranks);
  std::map<SnapshotId, std::vector<std::string>> judged;
  for (SnapshotId id : open_ids) {
    Snapshot& snap = snapshots_[id];
    judged[id];  // recorded: judged, even when no channel can be
    const std::uint32_t rank = pass.RankOf(id);
    if (rank == kNone) continue;  // no process took it: no channel can be judged
    ForEachChannel(
        expected_lists[std::lower_bound(ranks.begin(), ranks.end(), rank) - ranks.begin()],
        snap.pending,
        [&](ChannelKey key, const std::vector<std::uint64_t>& expected,
            const ChannelStateRecord* rec) {
          if (!pass.Took(key.first, rank) || !pass.Took(key.second, rank)) return;
          if (rec) {
            Compare(trace, snap, key, expected, rec->msgs, false);
          } else if (Seen(snap, id, key)) {
            Compare(trace, snap, key, expected, {}, false);  // recorded empty
          } else if (!cut_short.contains(id)) {
            Compare(trace, snap, key, expected, {}, true);
          }
        });
  }
  for (auto& [id, snap] : snapshots_) {
    if (!snap.any_record) continue;  // channel states not applicable
    if (!cut_short.contains(id))
      for (const auto& [key, exp] : snap.awaiting) Compare(trace, snap, key, exp, {}, true);
    std::sort(snap.errors.begin(), snap.errors.end());
    std::vector<std::string>& errors = judged[id];
    for (auto& [key, text] : snap.errors) errors.push_back(std::move(text));
  }
  snapshots_.clear();
  recent_.fill({});
  return judged;
}

}  // namespace snapsim::checker
