// What protocols recorded for each snapshot, as the protocols believe it.
//
// The engine fills this as protocols call Context::RecordSnapshot,
// RecordChannelState and Verdict; the counters of local snapshots and channel
// states (SnapshotTally) are kept apart during the run and reach the records
// when it ends (FlushTallies). It is the protocols' side of the story; the
// checker's verdicts (consistent, complete) come from the trace alone and are
// joined with this log only when results are written.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"

namespace snapsim {

struct SnapshotRecord {
  SnapshotId id = 0;
  std::optional<SimTime> initiated_at;  // when the protocol started it
  std::optional<SimTime> first_local;   // first local snapshot (true time)
  std::optional<SimTime> last_local;    // last local snapshot (true time)
  std::uint32_t processes_recorded = 0;
  std::int64_t state_sum = 0;  // sum of recorded local states
  std::uint32_t channels_recorded = 0;
  std::uint32_t channels_expected = 0;  // in-group channels the protocol must close
  std::int64_t channel_value_sum = 0;   // sum of values of recorded in-flight messages
  std::uint64_t channel_messages = 0;
  std::optional<bool> accepted;  // the protocol's verdict, if it gave one
  // The run ended before the protocol finished this snapshot (see
  // Context::Unfinished); then `accepted` is empty.
  bool unfinished = false;
  // Protocol-specific timings (gateway protocols): controller-clock t0/t1 and
  // the true spread of the gateways' marking times.
  std::optional<std::int64_t> t0_ns, t1_ns, true_spread_ns;
};

// What the engine adds to a snapshot's record on every local snapshot and
// channel state, kept apart while the run goes: one dense 32-byte entry per
// id, so a run of ids updates adjacent entries instead of a record each
// (SnapshotLog::Tally, FlushTallies).
struct SnapshotTally {
  SimTime first_local, last_local;  // set when processes_recorded > 0
  std::uint32_t processes_recorded = 0;
  std::uint32_t channels_recorded = 0;
  std::int64_t state_sum = 0;

  // Actor's local snapshot at `now`, with local state `state`.
  void AddLocal(SimTime now, std::int64_t state) {
    if (processes_recorded++ == 0) first_local = now;
    last_local = now;
    state_sum += state;
  }
};
static_assert(sizeof(SnapshotTally) == 32, "two tallies per cache line");

// The protocol's own view that snapshot `r` is done: every in-group process
// (of `in_group`) recorded and every channel state it had to record was closed.
inline bool ClosedByProtocol(const SnapshotRecord& r, std::size_t in_group) {
  return r.processes_recorded == in_group && r.channels_recorded >= r.channels_expected;
}

class SnapshotLog {
 public:
  SnapshotLog() = default;
  // Copies re-index their own records; moves keep the (stable) map nodes.
  // A copy has its tallies flushed.
  SnapshotLog(const SnapshotLog& other) { *this = other; }
  SnapshotLog& operator=(const SnapshotLog& other) {
    if (this != &other) {
      records_ = other.records_;
      other.AddTallies(records_);
      by_id_.clear();
      tallies_.clear();
      channel_runs_.clear();
      sparse_tallies_.clear();
      unflushed_ = false;
      Reindex();
    }
    return *this;
  }
  SnapshotLog(SnapshotLog&&) noexcept = default;
  SnapshotLog& operator=(SnapshotLog&&) noexcept = default;

  // The record of `id`, created (with its id set) on first use. O(1) for
  // ids that are dense from 1 (the usual case), O(log n) otherwise.
  SnapshotRecord& Get(SnapshotId id) {
    if (id < by_id_.size() && by_id_[id]) return *by_id_[id];
    auto [it, inserted] = records_.try_emplace(id);
    if (inserted) it->second.id = id;
    Index(it->second);
    return it->second;
  }
  // The records. Their tallied fields (those of SnapshotTally) include
  // every Tally update only after FlushTallies.
  const std::map<SnapshotId, SnapshotRecord>& All() const {
    assert(!unflushed_);
    return records_;
  }
  // The tally of `id`, whose record must exist (Get). Dense for indexed ids.
  SnapshotTally& Tally(SnapshotId id) {
    if (SnapshotTally* t = IndexedTally(id)) return *t;
    assert(records_.count(id) != 0);
    return sparse_tallies_[id];
  }
  // The tally of `id` if its record is indexed, else null.
  SnapshotTally* IndexedTally(SnapshotId id) {
    unflushed_ = true;
    return id < by_id_.size() && by_id_[id] ? &tallies_[id] : nullptr;
  }
  // The tallies of ids first..last, adjacent, when all of them are indexed
  // (every id from 1 to the highest one indexed without a gap is), else an
  // empty span: a run of ids then updates them in one plain loop.
  std::span<SnapshotTally> IndexedTallies(SnapshotId first, SnapshotId last) {
    unflushed_ = true;
    if (!AllIndexed(first, last)) return {};
    return {tallies_.data() + first, static_cast<std::size_t>(last - first + 1)};
  }
  // Adds one channel state to each of ids first..last when all of them are
  // indexed (as IndexedTallies), in two updates of a difference array
  // whatever the run's length; false (nothing added) otherwise.
  bool AddChannelStates(SnapshotId first, SnapshotId last) {
    unflushed_ = true;
    if (!AllIndexed(first, last)) return false;
    ++channel_runs_[first];
    --channel_runs_[last + 1];
    return true;
  }
  // Adds every tally into its record and clears it.
  void FlushTallies() {
    AddTallies(records_);
    sparse_tallies_.clear();
    std::fill(tallies_.begin(), tallies_.end(), SnapshotTally{});
    std::fill(channel_runs_.begin(), channel_runs_.end(), 0);
    unflushed_ = false;
  }
  // While the run goes: whether every record is one of ids
  // 1..IndexedThrough() and its tally holds all its updates so far (none
  // went to a sparse tally), and the tally of such an id. The engine
  // flushes only at the end of its run.
  bool DenseSoFar() const { return records_.size() == indexed_through_ && sparse_tallies_.empty(); }
  SnapshotId IndexedThrough() const { return indexed_through_; }
  const SnapshotTally& PeekTally(SnapshotId id) const {
    assert(id >= 1 && id <= indexed_through_);
    return tallies_[id];
  }
  bool Empty() const { return records_.empty(); }
  std::size_t Size() const { return records_.size(); }
  // The record of `id` if it is indexed (most ids are), else null.
  SnapshotRecord* Indexed(SnapshotId id) { return id < by_id_.size() ? by_id_[id] : nullptr; }
  bool Has(SnapshotId id) const {
    return (id < by_id_.size() && by_id_[id]) || records_.count(id) != 0;
  }

 private:
  static void Add(SnapshotRecord& r, const SnapshotTally& t) {
    if (t.processes_recorded > 0) {
      if (!r.first_local) r.first_local = t.first_local;
      r.last_local = t.last_local;
    }
    r.processes_recorded += t.processes_recorded;
    r.channels_recorded += t.channels_recorded;
    r.state_sum += t.state_sum;
  }

  // Whether ids first..last (a non-empty run) are all indexed.
  bool AllIndexed(SnapshotId first, SnapshotId last) const {
    return first != 0 && first <= last && last <= indexed_through_;
  }

  // Adds this log's tallies into `records` (its own, or a copy's). A record
  // is indexed when created or, for a large id, by a later Get once the log
  // has grown (never the other way), so its sparse tally holds earlier
  // updates than its dense one and is added first.
  void AddTallies(std::map<SnapshotId, SnapshotRecord>& records) const {
    for (const auto& [id, t] : sparse_tallies_) Add(records.at(id), t);
    std::int64_t runs = 0;  // channel states added by AddChannelStates covering id
    for (SnapshotId id = 0; id < tallies_.size(); ++id) {
      runs += channel_runs_[id];
      if (tallies_[id].processes_recorded != 0 || tallies_[id].channels_recorded != 0 ||
          runs != 0) {
        SnapshotTally t = tallies_[id];
        t.channels_recorded += static_cast<std::uint32_t>(runs);
        Add(records.at(id), t);
      }
    }
  }

  std::map<SnapshotId, SnapshotRecord> records_;
  // Indexes ids up to a few times the number of records (map nodes are
  // stable, so the pointers stay valid while the map lives).
  void Index(SnapshotRecord& r) {
    if (r.id >= 4 * records_.size() + 1024) return;
    if (r.id >= by_id_.size()) by_id_.resize(std::max<std::size_t>(r.id + 1, 2 * by_id_.size()));
    if (tallies_.size() < by_id_.size()) {
      tallies_.resize(by_id_.size());
      channel_runs_.resize(tallies_.size() + 1);
    }
    by_id_[r.id] = &r;
    while (indexed_through_ + 1 < by_id_.size() && by_id_[indexed_through_ + 1]) ++indexed_through_;
  }
  void Reindex() {
    by_id_.clear();
    indexed_through_ = 0;
    for (auto& [id, r] : records_) Index(r);
  }

  std::vector<SnapshotRecord*> by_id_;  // by id, where indexed (else null)
  SnapshotId indexed_through_ = 0;      // ids 1..this are all indexed
  // Not yet flushed: by id for indexed records (the same size as by_id_ or
  // more), in the map for the others.
  std::vector<SnapshotTally> tallies_;
  std::map<SnapshotId, SnapshotTally> sparse_tallies_;
  // Channel states added to runs of indexed ids (AddChannelStates): entry i
  // holds the runs starting at id i less those ending at id i - 1, so the
  // prefix sum to id is the number covering it. One longer than tallies_.
  std::vector<std::int32_t> channel_runs_;
  bool unflushed_ = false;
};

}  // namespace snapsim
