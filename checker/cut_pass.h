// CutPass: the streaming core of the fast checker, shared by the offline and
// the online checker.
//
// Feed it the events of a trace in a topological order of happens-before
// (every send/forward of a message before the message's next hop, each actor's
// events in that actor's order). For every actor and every in-flight message
// it carries the set of snapshots whose post-cut region has reached it. At
// in-group process p, snapshot s is violated iff p has already been reached by
// s when p takes its own snapshot event for s.
//
// Representation: snapshots are ranked in order of first appearance. While
// every in-group process takes exactly the ranks 0, 1, 2, ... in that order
// (no gaps, no reordering), every reach set and every "taken" set is a prefix
// of the ranks and is stored as one integer. The first snapshot event that
// breaks this switches, exactly, to multi-word bitsets over ranks (the state
// so far is still exact, as every earlier event kept the invariant).
//
// Cost per event: O(1) in prefix mode, O(ranks / 64) in bitset mode. Memory:
// per actor and per in-flight message only, plus one entry per in-group
// message that crosses a cut (the raw material of the expected channel states).
// The caller keeps each in-flight message's MessageCut next to its own record
// of the message, so that a hop reads one record, not two in separate tables.
//
// Not thread-safe. Malformed input is the caller's to detect, except a second
// snapshot of one id at one actor, which Snapshot() reports.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/id_hash.h"
#include "sim/ids.h"
#include "sim/state_array.h"

namespace snapsim::checker {

class CutPass {
 public:
  // What the pass knows of one message in flight, from Send() to Recv(). The
  // caller stores it and hands it back at every hop. A message sent in prefix
  // mode keeps its prefix form after the switch to bitsets; the pass gives it
  // bits when it is next forwarded (exact: a prefix is a set of ranks).
  struct MessageCut {
    std::uint32_t reach = 0, taken = 0;  // prefix form: [0, reach) reached, [0, taken) taken
    ActorId sender = kNoActor;
    std::uint32_t bit_slot : 31 = 0;    // bitset form: 1 + its index in slot_bits_; 0: prefix
    std::uint32_t holds_final : 1 = 0;  // in-group application traffic (HoldsFinal)
  };
  static_assert(sizeof(MessageCut) == 16);

  // An in-group message sent inside and received outside the cuts of some
  // snapshots (the receiver had taken them, the sender had not at the send).
  struct Crossing {
    std::uint64_t key;  // message key, as given to Recv()
    ActorId from;
    ActorId to;
  };

  // Declares the next actor (ids 0, 1, ...). REQUIRES: before any event.
  void AddActor(ActorGroup group);
  // Where each actor's cut state lives (what Recv and Snapshot read first),
  // for TraceSink::ActorPrefetchTargets. Valid until the next AddActor.
  StateArray PrefetchTarget() const {
    return {reinterpret_cast<const std::byte*>(actors_.data()), sizeof(ActorState)};
  }

  // `actor` sends a new message; returns what stands for it while it is in
  // flight. A control message (a protocol's marker, report, ...) counts for
  // happens-before but never belongs to a channel state.
  MessageCut Send(ActorId actor, bool control = false);
  // `actor` receives the message `m` and sends it on (updates m).
  void Forward(ActorId actor, MessageCut& m);
  // `actor` receives the message `m` (final hop); m is spent afterwards.
  void Recv(ActorId actor, const MessageCut& m, std::uint64_t key);
  // `actor` (in-group) takes its snapshot event for `id`. Returns false, and
  // changes nothing, when `actor` already took `id`.
  bool Snapshot(ActorId actor, SnapshotId id);
  // `actor` (in-group) takes ids first..last (1 <= first <= last) at one
  // event, exactly as Snapshot() for each id in turn, in one step when it
  // can: in prefix mode, with snapshot ids ranked in increasing order from
  // the first (ranks = id - first id), and `first` the actor's next rank.
  // Returns false, changing nothing, otherwise; the caller then takes the
  // ids one by one. O(1) plus one increment per id and one entry per id new
  // to the pass.
  bool SnapshotRun(ActorId actor, SnapshotId first, SnapshotId last);
  // The group `actor` was declared with, read from its cut state (the line
  // Recv and Snapshot read, which PrefetchTarget lets the engine load early).
  ActorGroup Group(ActorId actor) const { return actors_[actor].group; }

  // Results, valid at any time.
  std::uint32_t RankCount() const { return static_cast<std::uint32_t>(ids_.size()); }
  SnapshotId IdOfRank(std::uint32_t rank) const { return ids_[rank]; }
  // kNone-like sentinel (UINT32_MAX) when `id` had no snapshot event.
  std::uint32_t RankOf(SnapshotId id) const;
  bool Violated(std::uint32_t rank) const { return violated_[rank]; }
  // The first in-group process found violating `rank` (its reach included it).
  ActorId ViolatedAt(std::uint32_t rank) const { return violated_at_[rank]; }
  std::uint32_t Recorded(std::uint32_t rank) const { return recorded_[rank]; }
  bool Took(ActorId actor, std::uint32_t rank) const;
  bool UsingBitsets() const { return words_ > 0; }

  // For each rank in `ranks` (sorted, unique), the crossings of the cut of
  // that rank whose sender and receiver both took it, in receive order.
  // Returns one list per entry of `ranks`.
  std::vector<std::vector<Crossing>> ExpectedChannelStates(
      const std::vector<std::uint32_t>& ranks) const;

  // Ranks [0, FinalRanks()) are final: every in-group actor took them, and no
  // application message an in-group actor sent before its cut of them is
  // still in flight, so no later event changes their crossings. It grows in
  // prefix mode only (it freezes when the pass switches to bitsets), and a
  // message that is never received (lost) holds it back for good.
  std::uint32_t FinalRanks() const { return final_; }
  // For the ranks that became final since the previous call, [from,
  // FinalRanks()), the crossings of each rank (as ExpectedChannelStates): rank
  // r's list in out[r - from], which is cleared first (out grows to at least
  // FinalRanks() - from lists and keeps their storage, so a caller that
  // passes the same vector each time allocates only while the lists grow);
  // then forgets every crossing that covers final ranks only.
  // REQUIRES: `from` is the previous call's FinalRanks() (0 at first).
  // ExpectedChannelStates stays exact for the ranks that are not final.
  void TakeFinalCrossings(std::uint32_t from, std::vector<std::vector<Crossing>>& out);

 private:
  struct CrossingEntry {
    Crossing c;
    std::uint32_t lo = 0, hi = 0;  // prefix mode: ranks [lo, hi)
    std::uint64_t bits = 0;        // bitset mode: offset into crossing_bits_
    std::uint32_t bit_words = 0;   // 0 for prefix-mode entries
  };

  std::uint32_t RankFor(SnapshotId id);
  // Ranks a new id (RankFor's work when the id is new).
  std::uint32_t AddRank(SnapshotId id);
  // The rank of `id` when ids were ranked in increasing order from the first
  // one up to it (ranks equal id - first id: nearly always, as protocols
  // number snapshots in order), read from ids_ instead of hashing into
  // rank_of_ (the hash was a quarter of the checker's work per local
  // snapshot); kNone otherwise, which says nothing.
  std::uint32_t DenseRank(SnapshotId id) const;
  // Prefix mode: whether a message from `sender` holds back final_ while in
  // flight (in-group application traffic).
  static bool HoldsFinal(ActorGroup sender, bool control) {
    return sender == ActorGroup::kIn && !control;
  }
  void AdvanceFinal();
  void SwitchToBitsets();
  void GrowWords(std::uint32_t words);
  std::uint64_t* ActorReach(ActorId a) { return &actor_bits_[std::size_t{a} * 2 * words_]; }
  std::uint64_t* ActorTaken(ActorId a) { return ActorReach(a) + words_; }
  const std::uint64_t* ActorTaken(ActorId a) const {
    return &actor_bits_[std::size_t{a} * 2 * words_ + words_];
  }
  // Bitset mode: the words of m, reach then taken (a prefix-form message's
  // are filled into scratch_, valid until the next call).
  const std::uint64_t* MessageBits(const MessageCut& m);
  // Bitset mode: gives a prefix-form m bits of its own.
  std::uint64_t* OwnBits(MessageCut& m);
  std::uint32_t NewBitSlot();

  // Per actor, what an event reads, side by side (one cache line per event
  // instead of one per field). Prefix mode: ranks [0, reach) reached,
  // [0, taken) taken (bitset mode keeps its own words).
  struct ActorState {
    std::uint32_t reach = 0, taken = 0;
    ActorGroup group = ActorGroup::kIn;
  };
  HugePageVector<ActorState> actors_;
  // Bitset mode (words_ > 0): per actor / message bit slot, reach then
  // taken, words_ each.
  std::uint32_t words_ = 0;
  HugePageVector<std::uint64_t> actor_bits_, slot_bits_;
  std::vector<std::uint64_t> scratch_;
  std::vector<std::uint32_t> free_bit_slots_;

  tsl::robin_map<SnapshotId, std::uint32_t, IdHash> rank_of_;
  std::vector<SnapshotId> ids_;
  bool ids_dense_ = true;  // ids_[r] == ids_[0] + r for every rank r
  std::vector<bool> violated_;
  std::vector<ActorId> violated_at_;
  std::vector<std::uint32_t> recorded_;

  std::vector<CrossingEntry> crossings_;
  // Prefix mode: in-group actors by taken count, in-flight slots that hold
  // back final_ by their taken count (both indexed by rank, RankCount()+1).
  std::vector<std::uint32_t> actors_taken_at_, in_flight_taken_at_;
  std::uint32_t final_ = 0;
  std::vector<std::uint64_t> crossing_bits_;
};

}  // namespace snapsim::checker
