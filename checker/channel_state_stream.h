// ChannelStateStream: the online checker's judge of recorded channel states.
//
// It judges the states recorded for a snapshot as soon as CutPass says the
// snapshot's rank is final (every in-group process took it and nothing sent
// before the cut is still in flight), and from then on keeps only what a late
// record of that snapshot still needs: which channels were recorded, the
// expected states not recorded yet and the errors found. A long run therefore
// holds the recorded states of its open snapshots only, instead of one record
// per snapshot and channel until the end. The verdicts and error texts are
// exactly those BuildReport gives on the whole trace (report_builder.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/cut_pass.h"
#include "sim/huge_pages.h"
#include "sim/state_array.h"

namespace snapsim::checker {

class ChannelStateStream {
 public:
  ChannelStateStream() = default;
  // Neither copied nor moved: deferred_ points into this stream's own
  // bitsets, which a copy would not own and a moved-from stream would still
  // name.
  ChannelStateStream(const ChannelStateStream&) = delete;
  ChannelStateStream& operator=(const ChannelStateStream&) = delete;

  // An in-group channel as declared to the checker (best before Seal or any
  // Add(): a channel declared later is deduplicated like an undeclared one).
  void Declare(ActorId from, ActorId to, bool fifo);
  // Ends the declarations (the first Add does it otherwise) and sizes the
  // receivers' rows for at least `actors` actors.
  void Seal(std::size_t actors);
  // Where the row Add reads for a record at receiver `to` lives: one 32-byte
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
  // The same recorded channel state for ids first..last (first <= last), id
  // by id in increasing order, up to the first that fails: kRepeat when (id,
  // from, to) was recorded before, kNotInGroup (at `first`) when the channel
  // is undeclared (declarations are between in-group processes) and an end
  // is not in-group in trace.actor_groups; a failing id keeps nothing. The
  // channel is looked up once; a declared channel's lookup reads only the
  // receiver's row, which PrefetchTarget lets the engine load early. `trace`
  // names actors and messages.
  AddRunResult AddRun(const CompactTrace& trace, SnapshotId first, SnapshotId last, ActorId from,
                      ActorId to, std::span<const MessageId> msgs);
  // Judges the snapshots whose ranks became final since the last call; cheap
  // when none did.
  void Advance(CutPass& pass, const CompactTrace& trace) {
    if (pass.FinalRanks() != judged_ranks_) Judge(pass, trace);
  }
  // Ends the stream: judges the snapshots that never became final against
  // `pass` as it stands (the end of the trace), exactly as BuildReport judges
  // recorded states on a whole trace, and returns, for every snapshot with at
  // least one record, its channel errors in channel order (empty when all
  // were right). Keeps no per-channel record for them (a run that stops with
  // many snapshots open would otherwise materialise every recorded channel).
  std::map<SnapshotId, std::vector<std::string>> Finish(const CutPass& pass,
                                                        const CompactTrace& trace);

 private:
  using ChannelKey = std::pair<ActorId, ActorId>;
  struct Snapshot {
    // Declared channels recorded, one bit each; released once all were.
    // The latest bits may still wait in deferred_ (FlushSeen).
    std::vector<std::uint64_t> seen;
    // Order of creation, from 1 (saturating); ReceiverRow::last_seq.
    std::uint32_t seq = 0;
    std::uint32_t seen_count = 0;
    bool final = false;
    bool any_record = false;
    // Non-empty records made before final (empty ones are only `seen`).
    std::vector<ChannelStateRecord> pending;
    // After final: expected non-empty states without a record yet.
    std::map<ChannelKey, std::vector<std::uint64_t>> awaiting;
    std::vector<std::pair<ChannelKey, std::string>> errors;
  };

  // AddRun's work for one id, on the channel's index in declared_ (or -1).
  AddResult AddOne(const CompactTrace& trace, SnapshotId id, std::int64_t index, ActorId from,
                   ActorId to, std::span<const MessageId> msgs);
  // The entry of snapshot `id`, created (with the next seq) if needed.
  Snapshot& SnapshotOf(SnapshotId id);
  // Marks declared channel `index`, at receiver `to`, recorded in `snap`;
  // false when it was already. A record newer than every one before on its
  // channel (one of the receiver's first two) is known new from the
  // receiver's row, which the engine prefetched, and its bit is written a
  // few records later (deferred_), once its cache line came in; a
  // record in any other order reads the bitset, after FlushSeen.
  bool MarkSeen(Snapshot& snap, std::uint32_t index, ActorId to);
  // Writes every deferred seen bit. Before any read of a seen word or any
  // release of a bitset.
  void FlushSeen();
  void Judge(CutPass& pass, const CompactTrace& trace);
  // Compares one record with its expected state; keeps an error if any.
  void Compare(const CompactTrace& trace, Snapshot& snap, ChannelKey key,
               const std::vector<std::uint64_t>& expected,
               const std::vector<std::uint64_t>& recorded, bool missing_record);
  bool Fifo(ChannelKey key) const;
  // Whether `snap` has a record of channel `key`.
  bool Seen(const Snapshot& snap, SnapshotId id, ChannelKey key) const;
  // Receiver-major: a receiver's channels are adjacent in declared_.
  static std::uint64_t Pack(ActorId from, ActorId to) { return (std::uint64_t{to} << 32) | from; }
  // The index of declared channel from -> to in declared_, or -1. (Two ids
  // rather than a ChannelKey: a pair built in registers and passed by value
  // was stored as two halves and reloaded whole, a failed store forward that
  // took 38 % of OnlineChecker::ChannelState's samples in the issue-7 run.)
  std::int64_t IndexOf(ActorId from, ActorId to) const;

  // Where a receiver's channels lie in declared_, with the senders of its
  // first two inline: a lookup at a receiver with at most two channels (a
  // ring) reads one 32-byte row, one cache miss instead of two dependent
  // ones (row, then declared_), which were 13 % of an OGM run at 10^6; and
  // since records are made at their receiver, the engine prefetches the row
  // with the receiver's other state (PrefetchTarget). For those two channels
  // it also keeps the seq of the latest snapshot recorded (0: none), so that
  // a record in snapshot order needs no read of the snapshot's bitset (a
  // cache miss per record at 10^6, 8 % of the run).
  struct alignas(32) ReceiverRow {
    std::uint32_t begin = 0, count = 0;
    std::array<ActorId, 2> first_from{};
    std::array<std::uint32_t, 2> last_seq{};
  };
  static_assert(sizeof(ReceiverRow) == 32);
  // A seen bit set but not yet written: *word |= bit.
  struct DeferredBit {
    std::uint64_t* word = nullptr;
    std::uint64_t bit = 0;
  };
  static constexpr std::size_t kDeferredBits = 8;

  // Declared channels, packed, sorted (sorted_ false until Seal or the first
  // Add), and each receiver's row (by receiver id).
  HugePageVector<std::uint64_t> declared_;
  HugePageVector<ReceiverRow> receivers_;
  std::vector<bool> declared_fifo_;  // by index in declared_ once sorted
  std::vector<std::pair<std::uint64_t, bool>> declarations_;
  bool sorted_ = false;
  std::map<std::uint64_t, bool> late_fifo_;  // declared after the first Add
  std::set<std::tuple<SnapshotId, ActorId, ActorId>> undeclared_seen_;
  std::unordered_map<SnapshotId, Snapshot> snapshots_;  // nodes: seen words stay put
  // The entries looked up lately, by id modulo kRecent (a record's snapshot
  // is nearly always among the last few hundred started), so that most
  // lookups read one small table instead of the map's buckets and nodes.
  // snapshots_ only erases in Finish, which empties this too.
  struct RecentSnapshot {
    SnapshotId id = 0;
    Snapshot* snap = nullptr;
  };
  static constexpr std::size_t kRecent = 1024;
  std::array<RecentSnapshot, kRecent> recent_{};
  std::uint32_t next_seq_ = 0;
  std::array<DeferredBit, kDeferredBits> deferred_{};  // a ring, oldest at deferred_next_
  std::size_t deferred_next_ = 0;
  std::uint32_t judged_ranks_ = 0;
};

}  // namespace snapsim::checker
