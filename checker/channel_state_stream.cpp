#include "checker/channel_state_stream.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/channel_compare.h"

namespace snapsim::checker {
namespace {

// Walks the expected crossings and the records of one snapshot by channel
// (the records sorted in place, the crossings in a stable order by channel
// kept in `scratch`: receive order kept within a channel) and calls
// visit(channel, expected message keys, record or null) once for every
// channel either of them names. (std::stable_sort would take a temporary
// buffer from the heap at every call.)
template <typename Scratch, typename Visit>
void ForEachChannel(const std::vector<CutPass::Crossing>& expected,
                    std::span<ChannelStateRecord> recorded, Scratch& scratch, Visit visit) {
  using Key = std::pair<ActorId, ActorId>;
  const auto channel_of = [](const auto& x) { return Key{x.from, x.to}; };
  // (from, to) packed so that integers order as the pairs do, then the
  // position: a plain sort of these is a stable sort by channel, walked in
  // place of a sorted copy.
  auto& order = scratch.order;
  order.clear();
  for (std::size_t i = 0; i < expected.size(); ++i)
    order.emplace_back((std::uint64_t{expected[i].from} << 32) | expected[i].to,
                       static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end());
  std::sort(recorded.begin(), recorded.end(),
            [&](const auto& x, const auto& y) { return channel_of(x) < channel_of(y); });
  auto e = order.begin();
  auto rec = recorded.begin();
  const auto channel_at = [&](auto it) { return channel_of(expected[it->second]); };
  std::vector<std::uint64_t>& keys = scratch.keys;
  while (e != order.end() || rec != recorded.end()) {
    const bool take_e =
        e != order.end() && (rec == recorded.end() || channel_at(e) <= channel_of(*rec));
    const Key key = take_e ? channel_at(e) : channel_of(*rec);
    keys.clear();
    for (; e != order.end() && channel_at(e) == key; ++e) keys.push_back(expected[e->second].key);
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

bool ChannelStateStream::Recorded(SnapshotId id, ChannelKey key) const {
  const std::int64_t i = IndexOf(key.first, key.second);
  if (i < 0) return undeclared_seen_.count({id, key.first, key.second}) > 0;
  const auto index = static_cast<std::uint32_t>(i);
  return recorded_.Contains(index, RecordedLatest(index, key.second), id);
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
  later_recorded_.clear();
  if (std::ranges::any_of(receivers_, [](const ReceiverRow& row) { return row.count > 2; }))
    later_recorded_.assign(declared_.size(), RecordedIds::Latest{});
  sorted_ = true;
}

ChannelStateStream::AddRunResult ChannelStateStream::AddRun(const CutPass& pass,
                                                            const CompactTrace& trace,
                                                            SnapshotId first, SnapshotId last,
                                                            ActorId from, ActorId to,
                                                            std::span<const MessageId> msgs) {
  if (!sorted_) Seal(0);
  const std::int64_t i = IndexOf(from, to);
  if (i >= 0) {
    const auto index = static_cast<std::uint32_t>(i);
    const SnapshotId present = recorded_.Add(index, RecordedLatest(index, to), first, last);
    // Take has nothing to do for an empty state when no judged snapshot
    // awaits one (nearly always): skip the call.
    if (present != first && !(msgs.empty() && awaiting_.empty()))
      Take(pass, trace, first, present != 0 ? present - 1 : last, from, to, msgs);
    return present != 0 ? AddRunResult{AddResult::kRepeat, present}
                        : AddRunResult{AddResult::kAdded, last};
  }
  if (trace.actor_groups[from] != ActorGroup::kIn || trace.actor_groups[to] != ActorGroup::kIn)
    return {AddResult::kNotInGroup, first};
  for (SnapshotId id = first;; ++id) {
    if (!undeclared_seen_.insert({id, from, to}).second) return {AddResult::kRepeat, id};
    Take(pass, trace, id, id, from, to, msgs);
    if (id == last) return {AddResult::kAdded, last};
  }
}

void ChannelStateStream::Take(const CutPass& pass, const CompactTrace& trace, SnapshotId a,
                              SnapshotId b, ActorId from, ActorId to,
                              std::span<const MessageId> msgs) {
  const ChannelKey key{from, to};
  if (msgs.empty()) {
    // Nothing to keep: Recorded() knows these records. Only the judged
    // snapshots that expect messages on the channel (all in awaiting_) have
    // something to compare, found by one lookup for the whole run.
    if (awaiting_.empty()) return;
    auto it = awaiting_.lower_bound({from, to, a});
    while (it != awaiting_.end() && std::get<0>(it->first) == from &&
           std::get<1>(it->first) == to && std::get<2>(it->first) <= b) {
      Compare(trace, std::get<2>(it->first), key, it->second, {}, false);
      it = awaiting_.erase(it);
    }
    return;
  }
  std::vector<std::uint64_t>& recorded = late_record_;  // for the judged ids
  recorded.clear();
  for (SnapshotId id = a;; ++id) {
    if (pass.RankOf(id) < judged_ranks_) {
      if (recorded.empty()) recorded.assign(msgs.begin(), msgs.end());
      // Judged already: compare with what was left expected (empty otherwise).
      auto it = awaiting_.find({from, to, id});
      if (it == awaiting_.end()) {
        Compare(trace, id, key, {}, recorded, false);
      } else {
        Compare(trace, id, key, it->second, recorded, false);
        awaiting_.erase(it);
      }
    } else {
      AddPending(id, from, to, msgs);
    }
    if (id == b) break;
  }
}

void ChannelStateStream::Compare(const CompactTrace& trace, SnapshotId id, ChannelKey key,
                                 const std::vector<std::uint64_t>& expected,
                                 const std::vector<std::uint64_t>& recorded, bool missing_record) {
  const MessageNamer name = [&](std::uint64_t k) {
    return k < trace.message_names.size() ? trace.message_names[k] : fmt::format("m{}", k);
  };
  auto diff = CompareChannelState(expected, recorded, Fifo(key), name);
  if (!diff) return;
  const std::string label =
      fmt::format("{}->{}", trace.actor_names[key.first], trace.actor_names[key.second]);
  errors_[id].emplace_back(key, missing_record
                                    ? fmt::format("{}: no channel state recorded; {}", label, *diff)
                                    : fmt::format("{}: {}", label, *diff));
}

void ChannelStateStream::Judge(CutPass& pass, const CompactTrace& trace) {
  const std::uint32_t from = judged_ranks_;
  pass.TakeFinalCrossings(from, final_crossings_);
  judged_ranks_ = pass.FinalRanks();
  for (std::uint32_t r = from; r < judged_ranks_; ++r) {
    const SnapshotId id = pass.IdOfRank(r);
    // Every in-group process took a final rank: every channel is judged.
    ForEachChannel(final_crossings_[r - from], PendingOf(id), walk_scratch_,
                   [&](ChannelKey key, const std::vector<std::uint64_t>& expected,
                       const ChannelStateRecord* rec) {
                     if (rec) {
                       Compare(trace, id, key, expected, rec->msgs, false);
                     } else if (Recorded(id, key)) {
                       Compare(trace, id, key, expected, {}, false);  // recorded empty
                     } else {
                       // judged when a record comes
                       awaiting_.emplace(AwaitingKey{key.first, key.second, id}, expected);
                     }
                   });
    ReleasePending(id);
  }
}

void ChannelStateStream::AddPending(SnapshotId id, ActorId from, ActorId to,
                                    std::span<const MessageId> msgs) {
  auto [it, inserted] = pending_slot_.try_emplace(id, 0);
  if (inserted) {
    if (free_pending_lists_.empty()) {
      it.value() = static_cast<std::uint32_t>(pending_lists_.size());
      pending_lists_.emplace_back();
    } else {
      it.value() = free_pending_lists_.back();
      free_pending_lists_.pop_back();
    }
  }
  PendingList& list = pending_lists_[it->second];
  if (list.used == list.records.size()) list.records.emplace_back();
  ChannelStateRecord& rec = list.records[list.used++];
  rec.id = id;
  rec.from = from;
  rec.to = to;
  rec.msgs.assign(msgs.begin(), msgs.end());
}

std::span<ChannelStateRecord> ChannelStateStream::PendingOf(SnapshotId id) {
  const auto it = pending_slot_.find(id);
  if (it == pending_slot_.end()) return {};
  PendingList& list = pending_lists_[it->second];
  return {list.records.data(), list.used};
}

void ChannelStateStream::ReleasePending(SnapshotId id) {
  const auto it = pending_slot_.find(id);
  if (it == pending_slot_.end()) return;
  pending_lists_[it->second].used = 0;
  free_pending_lists_.push_back(it->second);
  pending_slot_.erase(it);
}

std::map<SnapshotId, std::vector<std::string>> ChannelStateStream::Finish(
    const CutPass& pass, const CompactTrace& trace) {
  if (!sorted_) Seal(0);
  // The snapshots with at least one record, as sorted disjoint intervals
  // (from a set: most channels hold the same few intervals, and a vector of
  // one per channel was 32 MB at 10^6 processes). insert, not emplace: a
  // repeat, most calls, then allocates no node.
  std::set<std::pair<SnapshotId, SnapshotId>> spans;
  recorded_.ForEachInterval(
      static_cast<std::uint32_t>(declared_.size()),
      [&](std::uint32_t index) -> const RecordedIds::Latest& {
        return RecordedLatest(index, static_cast<ActorId>(declared_[index] >> 32));
      },
      [&](SnapshotId lo, SnapshotId hi) {
        spans.insert(std::pair{lo, hi});
      });
  for (const auto& [id, from, to] : undeclared_seen_) spans.insert(std::pair{id, id});
  std::vector<std::pair<SnapshotId, SnapshotId>> with_record;
  for (const auto& [lo, hi] : spans) {
    if (!with_record.empty() && lo - 1 <= with_record.back().second) {  // lo >= 1: no wrap
      with_record.back().second = std::max(with_record.back().second, hi);
    } else {
      with_record.emplace_back(lo, hi);
    }
  }
  const auto has_record = [&](SnapshotId id) {
    auto it =
        std::upper_bound(with_record.begin(), with_record.end(), std::pair{id, ~SnapshotId{0}});
    return it != with_record.begin() && std::prev(it)->second >= id;
  };

  // Snapshots that never became final are judged here against the pass's
  // expected states so far (exact for them), as BuildReport would judge them
  // on the whole trace: only channels whose both ends took the snapshot, and
  // in a snapshot the run cut short, only channels that have a record.
  const std::set<SnapshotId> cut_short(trace.cut_short.begin(), trace.cut_short.end());
  std::map<SnapshotId, std::vector<std::string>> judged;
  std::vector<SnapshotId> open_ids;
  std::vector<std::uint32_t> ranks;
  for (const auto& [lo, hi] : with_record) {
    for (SnapshotId id = lo;; ++id) {
      judged.emplace_hint(judged.end(), id, std::vector<std::string>{});
      const std::uint32_t rank = pass.RankOf(id);
      if (rank == kNone) {
        open_ids.push_back(id);  // no process took it: no channel can be judged
      } else if (rank >= judged_ranks_) {
        open_ids.push_back(id);
        ranks.push_back(rank);
      }
      if (id == hi) break;
    }
  }
  std::sort(ranks.begin(), ranks.end());
  auto expected_lists = pass.ExpectedChannelStates(ranks);
  for (SnapshotId id : open_ids) {
    const std::uint32_t rank = pass.RankOf(id);
    if (rank == kNone) continue;
    ForEachChannel(
        expected_lists[std::lower_bound(ranks.begin(), ranks.end(), rank) - ranks.begin()],
        PendingOf(id), walk_scratch_,
        [&](ChannelKey key, const std::vector<std::uint64_t>& expected,
            const ChannelStateRecord* rec) {
          if (!pass.Took(key.first, rank) || !pass.Took(key.second, rank)) return;
          if (rec) {
            Compare(trace, id, key, expected, rec->msgs, false);
          } else if (Recorded(id, key)) {
            Compare(trace, id, key, expected, {}, false);  // recorded empty
          } else if (!cut_short.contains(id)) {
            Compare(trace, id, key, expected, {}, true);
          }
        });
  }
  // Judged snapshots still awaiting a record: missing, unless the snapshot
  // has no record at all (channel states not applicable) or was cut short.
  for (const auto& [k, expected] : awaiting_) {
    const auto& [from, to, id] = k;
    if (has_record(id) && !cut_short.contains(id))
      Compare(trace, id, {from, to}, expected, {}, true);
  }
  for (auto& [id, errors] : errors_) {
    std::sort(errors.begin(), errors.end());
    std::vector<std::string>& texts = judged[id];
    for (auto& [key, text] : errors) texts.push_back(std::move(text));
  }
  pending_slot_.clear();
  pending_lists_.clear();
  free_pending_lists_.clear();
  awaiting_.clear();
  errors_.clear();
  return judged;
}

}  // namespace snapsim::checker
