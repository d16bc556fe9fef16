// ChannelStateStream: the online checker's judge of recorded channel states.
//
// It judges the states recorded for a snapshot as soon as CutPass says the
// snapshot's rank is final (every in-group process took it and nothing sent
// before the cut is still in flight), and from then on keeps only what a late
// record of that snapshot still needs: which channels were recorded, the
// expected states not recorded yet and the errors found. A long run therefore
// holds the recorded states of its open snapshots only, instead of one record
// per snapshot and channel until the end; which channels were recorded in
// which snapshots it keeps as intervals of ids (RecordedIds), so a protocol
// that records one channel for a run of snapshots at once costs it one step.
// The verdicts and error texts are
// exactly those BuildReport gives on the whole trace (report_builder.cpp).
#pragma once

#include <tsl/robin_map.h>

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/cut_pass.h"
#include "checker/recorded_ids.h"
#include "sim/huge_pages.h"
#include "sim/id_hash.h"
#include "sim/state_array.h"

namespace snapsim::checker {

class ChannelStateStream {
 public:
  // An in-group channel as declared to the checker (best before Seal or any
  // Add(): a channel declared later is deduplicated like an undeclared one).
  void Declare(ActorId from, ActorId to, bool fifo);
  // Ends the declarations (the first Add does it otherwise) and sizes the
  // receivers' rows for at least `actors` actors.
  void Seal(std::size_t actors);
  // Where the row AddRun reads for a record at receiver `to` lives: one 64-byte
  // row per actor id below the `actors` given to Seal (sim/state_array.h).
  // Empty before Seal; the rows never move after it.
  StateArray PrefetchTarget() const {
    return {reinterpret_cast<const std::byte*>(receivers_.data()), sizeof(ReceiverRow)};
  }
  enum class AddResult { kAdded, kRepeat, kNotInGroup };
  struct AddRunResult {
    AddResult result;
    SnapshotId id;  // the id that failed; `last` when all were added
  };
  // The same recorded channel state for ids first..last (1 <= first <=
  // last), id by id in increasing order, up to the first that fails:
  // kRepeat when (id, from, to) was recorded before, kNotInGroup (at
  // `first`) when the channel is undeclared (declarations are between
  // in-group processes) and an end is not in-group in trace.actor_groups; a
  // failing id keeps nothing. The channel is looked up once; a declared
  // channel's lookup reads only the receiver's row, which PrefetchTarget
  // lets the engine load early, and a run of empty states recorded in id
  // order on a declared channel costs O(1) however many ids it covers (per
  // id work is left for non-empty states, which are rare, for records out of
  // order, and for Finish, which reports every snapshot with a record). `pass` says which snapshots
  // were judged; `trace` names actors and messages.
  AddRunResult AddRun(const CutPass& pass, const CompactTrace& trace, SnapshotId first,
                      SnapshotId last, ActorId from, ActorId to, std::span<const MessageId> msgs);
  // Judges the snapshots whose ranks became final since the last call; cheap
  // when none did.
  void Advance(CutPass& pass, const CompactTrace& trace) {
    if (pass.FinalRanks() != judged_ranks_) Judge(pass, trace);
  }
  // Ends the stream: judges the snapshots that never became final against
  // `pass` as it stands (the end of the trace), exactly as BuildReport judges
  // recorded states on a whole trace, and returns, for every snapshot with at
  // least one record, its channel errors in channel order (empty when all
  // were right).
  std::map<SnapshotId, std::vector<std::string>> Finish(const CutPass& pass,
                                                        const CompactTrace& trace);

 private:
  using ChannelKey = std::pair<ActorId, ActorId>;
  // An expected non-empty state of a judged snapshot without a record yet.
  using AwaitingKey = std::tuple<ActorId, ActorId, SnapshotId>;  // from, to, id

  // The new records of ids a..b on from -> to (none was recorded before).
  void Take(const CutPass& pass, const CompactTrace& trace, SnapshotId a, SnapshotId b,
            ActorId from, ActorId to, std::span<const MessageId> msgs);
  void Judge(CutPass& pass, const CompactTrace& trace);
  // Compares one record with its expected state; keeps an error if any.
  void Compare(const CompactTrace& trace, SnapshotId id, ChannelKey key,
               const std::vector<std::uint64_t>& expected,
               const std::vector<std::uint64_t>& recorded, bool missing_record);
  bool Fifo(ChannelKey key) const;
  // Whether snapshot `id` has a record of channel `key`.
  bool Recorded(SnapshotId id, ChannelKey key) const;
  // Receiver-major: a receiver's channels are adjacent in declared_.
  static std::uint64_t Pack(ActorId from, ActorId to) { return (std::uint64_t{to} << 32) | from; }
  // The index of declared channel from -> to in declared_, or -1. (Two ids
  // rather than a ChannelKey: a pair built in registers and passed by value
  // was stored as two halves and reloaded whole, a failed store forward that
  // took 38 % of OnlineChecker::ChannelState's samples in the issue-7 run.)
  std::int64_t IndexOf(ActorId from, ActorId to) const;

  // Where a receiver's channels lie in declared_, with the senders of its
  // first two inline: a lookup at a receiver with at most two channels (a
  // ring) reads one row, one cache miss instead of two dependent ones (row,
  // then declared_), which were 13 % of an OGM run at 10^6; and since records
  // are made at their receiver, the engine prefetches the row with the
  // receiver's other state (PrefetchTarget). For those two channels it also
  // holds the latest interval and window of their recorded ids
  // (RecordedIds::Latest), so that a run recorded in id order, or just ahead
  // of the one below it, touches nothing else. One cache line.
  struct alignas(64) ReceiverRow {
    std::uint32_t begin = 0, count = 0;
    std::array<ActorId, 2> first_from{};
    std::array<RecordedIds::Latest, 2> recorded{};
  };
  static_assert(sizeof(ReceiverRow) == 64);
  // The recorded ids' hot state of declared channel `index`: in the row of
  // its receiver `to` for the receiver's first two channels, else in
  // later_recorded_.
  RecordedIds::Latest& RecordedLatest(std::uint32_t index, ActorId to) {
    ReceiverRow& row = receivers_[to];
    const std::uint32_t k = index - row.begin;
    return k < 2 ? row.recorded[k] : later_recorded_[index];
  }
  const RecordedIds::Latest& RecordedLatest(std::uint32_t index, ActorId to) const {
    return const_cast<ChannelStateStream*>(this)->RecordedLatest(index, to);
  }

  // Declared channels, packed, sorted (sorted_ false until Seal or the first
  // Add), and each receiver's row (by receiver id).
  HugePageVector<std::uint64_t> declared_;
  HugePageVector<ReceiverRow> receivers_;
  // By index in declared_, for a receiver's third channel on (empty when no
  // receiver has more than two).
  HugePageVector<RecordedIds::Latest> later_recorded_;
  std::vector<bool> declared_fifo_;  // by index in declared_ once sorted
  std::vector<std::pair<std::uint64_t, bool>> declarations_;
  bool sorted_ = false;
  std::map<std::uint64_t, bool> late_fifo_;  // declared after the first Add
  // The ids recorded on each declared channel, and on undeclared ones.
  RecordedIds recorded_;
  std::set<std::tuple<SnapshotId, ActorId, ActorId>> undeclared_seen_;
  // Non-empty records of snapshots not judged yet: snapshot id's are the
  // first `used` records of pending_lists_[pending_slot_[id]]. A judged
  // snapshot's list, and its records' message vectors, are kept for a later
  // snapshot, so that keeping records allocates only while the lists grow.
  struct PendingList {
    std::vector<ChannelStateRecord> records;
    std::size_t used = 0;
  };
  tsl::robin_map<SnapshotId, std::uint32_t, IdHash> pending_slot_;
  std::vector<PendingList> pending_lists_;
  std::vector<std::uint32_t> free_pending_lists_;
  // Adds a record of msgs on from -> to to snapshot id's pending list.
  void AddPending(SnapshotId id, ActorId from, ActorId to, std::span<const MessageId> msgs);
  // Snapshot id's pending records (empty when none); valid until the next
  // AddPending or ReleasePending.
  std::span<ChannelStateRecord> PendingOf(SnapshotId id);
  // Forgets snapshot id's pending records, keeping their storage.
  void ReleasePending(SnapshotId id);
  std::map<AwaitingKey, std::vector<std::uint64_t>> awaiting_;
  // Errors found so far, by snapshot (each with its channel, for the order).
  std::map<SnapshotId, std::vector<std::pair<ChannelKey, std::string>>> errors_;
  std::uint32_t judged_ranks_ = 0;
  // Judge's lists of crossings by rank, and the storage of the walk over a
  // snapshot's channels (ForEachChannel in the .cpp), kept between calls:
  // judging a consistent snapshot then allocates nothing once they have grown.
  std::vector<std::vector<CutPass::Crossing>> final_crossings_;
  struct WalkScratch {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> order;  // (channel, position)
    std::vector<std::uint64_t> keys;                             // one channel's messages
  };
  WalkScratch walk_scratch_;
  std::vector<std::uint64_t> late_record_;  // Take's copy of a record of judged ids
};

}  // namespace snapsim::checker
