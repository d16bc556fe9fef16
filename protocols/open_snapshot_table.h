// OpenSnapshotTable: for each in-group process, the local snapshots whose
// channel states are not all recorded yet, by increasing id, with one tally
// per in-group neighbour (LaiYangCore's bookkeeping).
//
// An entry stands for a range of ids first..last that share everything: the
// ids a process records in one advance share its cut, so they share the
// counts before it, and they keep sharing their tallies until a report or a
// message tells them apart, when the entry is split in two (SplitAfter). At
// 100 kHz in the issue-7 scenario an advance covers about four ids, and so
// does an entry when its channel states close.
//
// An actor's entries sit in one flat block of 16-byte cells: a header cell,
// then one tally cell per neighbour, entry after entry. Finding and updating
// an actor's tallies reads one 24-byte row (in the table's own array, or in
// the owner's per-actor record: Reset) and one block (the engine prefetches
// both, PrefetchTarget); the blocks are packed on huge pages
// (BlockArena), entries move by plain copies, and the messages of channel
// states live in one shared pool of linked nodes, so a run in its steady
// state does not allocate per snapshot. Entries mostly close oldest first,
// so the row's start moves forward over a closed first entry (nothing is
// copied) and an append that finds the block's end compacts the row to the
// block's start; an entry closing elsewhere moves the shorter side.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "sim/block_arena.h"
#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/state_array.h"

namespace snapsim {

class OpenSnapshotTable {
 public:
  // What one open local snapshot knows about one incoming channel, in 16
  // bytes: until the sender reports, the messages received on the channel
  // before our cut; then the messages its report leaves in flight across
  // the cut (its count less those), against which the recorded messages are
  // counted. The recorded messages' values are summed from the pool when
  // the channel closes (TakeMessages). (32 bytes until the thirty-third
  // pass, with the count before the cut, the report and the sum each kept:
  // an entry of two neighbours took 96 bytes, now 48.)
  struct Tally {
    // Whether the channel state was recorded (Close).
    bool Closed() const { return State() == kClosedState; }
    // Whether the sender's report has arrived (and the channel is open).
    bool Reported() const { return State() == kReportedState; }
    // True once the sender's report and the messages received account for
    // every message it sent before its cut.
    bool Complete() const { return Reported() && due == static_cast<std::int64_t>(Count()); }
    // Messages recorded (received across the cut) so far.
    std::uint32_t Count() const { return count_and_state & kCountMask; }
    // Messages received on the channel before our cut. REQUIRES: !Reported(),
    // !Closed().
    std::uint64_t Pre() const { return static_cast<std::uint64_t>(due); }
    // The messages the sender's report leaves in flight across the cut: its
    // count less Pre(). REQUIRES: Reported().
    std::int64_t Due() const { return due; }
    // Takes the sender's report: `sent` messages before its cut. REQUIRES:
    // neither Reported() nor Closed() (a sender reports each id once).
    void Report(std::int64_t sent);

    std::int64_t due;               // Pre() until the report, Due() after
    std::uint32_t count_and_state;  // Count(), and the state in the top two bits
    std::uint32_t newest;           // the newest recorded message in the pool, or kNone

    static constexpr std::uint32_t kCountMask = (1u << 30) - 1;
    static constexpr std::uint32_t kReportedState = 1, kClosedState = 2;
    std::uint32_t State() const { return count_and_state >> 30; }
  };
  // A tally's messages recorded at most: a channel state of more is refused
  // (std::length_error), never miscounted.
  static constexpr std::uint32_t kMaxCount = Tally::kCountMask;

  OpenSnapshotTable() = default;
  OpenSnapshotTable(const OpenSnapshotTable&) = delete;
  OpenSnapshotTable& operator=(const OpenSnapshotTable&) = delete;

  // An actor's row: where its entries are (see the private section). Plain
  // data of 24 bytes, so an owner may keep it inside its own per-actor
  // record (the Reset below) and read both with one cache line.
  struct Row;

  // Bytes from one actor's row to the next: a constant, so that finding a
  // row costs a shift, not a multiplication by a stride read from memory
  // (which every tally written might alias, and so be read again).
  static constexpr std::size_t kRowStride = 64;
  // Forgets everything; sized for actors 0..actors-1, rows in the table's
  // own array.
  void Reset(std::size_t actors);
  // Forgets everything; actor a's row is the one at `rows + a * kRowStride`
  // bytes, for a below `actors`, in records the caller owns and does not
  // move until the next Reset; the table sets them to Row{} and then is
  // the only one to touch them. LaiYangCore keeps the rows in its
  // per-actor records: every call about an actor reads both, and in one
  // cache line they are one miss instead of two.
  void Reset(std::size_t actors, Row* rows);
  // Where actor a's row lives, and through it its block of cells
  // (StateArray::follow), for Protocol::PrefetchTargets. Valid until Reset.
  // Three cache lines from the row's first entry are prefetched: the
  // tallies of its first two entries (48 bytes each with two neighbours,
  // 96 until the thirty-third pass), where a report's ids nearly always lie
  // now that an entry holds an advance's ids. With one entry per id (before the nineteenth pass) a
  // report spanned about four entries, and OnControl took 12 % of the
  // issue-7 run's samples with three lines, 6 % with five; with ranges,
  // three lines ran 0.98 of five's time per event (median of six rounds).
  // The arena owns the lines even past a chunk's or a large block's end
  // (BlockArena::kUncarvedTail).
  StateArray PrefetchTarget() const {
    return {reinterpret_cast<const std::byte*>(rows_), kRowStride, offsetof(Row, first),
            kPrefetchedLines};
  }
  static constexpr std::size_t kPrefetchedLines = 3;

  // Open entries of actor a (one integer division: loops test Has instead);
  // an entry may hold several ids.
  std::size_t Size(ActorId a) const;
  // Whether actor a has an open entry k (k < Size(a), by a multiplication).
  bool Has(ActorId a, std::size_t k) const {
    const Row& row = RowOf(a);
    return k * row.stride < row.size;  // an empty row has stride 0 and size 0
  }
  // The ids of a's entry k: First(a, k)..Last(a, k).
  SnapshotId First(ActorId a, std::size_t k) const { return Header(a, k).first; }
  SnapshotId Last(ActorId a, std::size_t k) const { return Header(a, k).last; }
  // Index of a's first entry whose last id is >= `id` (lower) or > `id`
  // (upper): the entry holding `id` (lower) or `id + 1` (upper), if any, or
  // the first one after.
  std::size_t LowerBound(ActorId a, SnapshotId id) const;
  std::size_t UpperBound(ActorId a, SnapshotId id) const;

  // Appends an entry for ids first..last (first <= last, above every open id
  // of a) with one fresh tally per neighbour, `pre[i]` messages received
  // before the cut on neighbour i's channel. An actor's neighbour count must
  // not change. Throws std::length_error for an id above 2^32 - 1 or a
  // count of 2^63 or more.
  void Append(ActorId a, SnapshotId first, SnapshotId last, std::span<const std::uint64_t> pre);
  // Splits a's entry k after id `id` (First(a, k) <= id < Last(a, k)): entry
  // k keeps ids First..id, a new entry k + 1 takes id + 1..Last with copies
  // of every tally, recorded messages included. Invalidates Tally references.
  void SplitAfter(ActorId a, std::size_t k, SnapshotId id);
  // The tally of a's entry k for neighbour `local`.
  Tally& At(ActorId a, std::size_t k, std::uint32_t local) {
    Row& row = RowOf(a);
    return row.first[k * Stride(row) + 1 + local].tally;
  }
  // Marks the tally of entry k for `local` closed; true when it was the
  // entry's last open channel.
  bool Close(ActorId a, std::size_t k, std::uint32_t local);
  // Removes a's entry k; the row keeps its capacity while it has entries.
  void Erase(ActorId a, std::size_t k);

  // Records message m, of value `value`, on a tally; throws
  // std::length_error beyond kMaxCount.
  void AddMessage(Tally& t, MessageId m, std::int64_t value);
  // Replaces `out` with the tally's messages, oldest first, returns their
  // pool nodes for reuse, and returns the sum of their values.
  std::int64_t TakeMessages(Tally& t, std::vector<MessageId>& out);

  // Open (actor, id) pairs over all actors: the ids of every entry.
  std::uint64_t OpenCount() const;

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct EntryHeader {
    std::uint32_t first, last;  // ids (32 bits, as in a message's tag)
    std::uint32_t remaining;    // channels not closed yet
    std::uint32_t peers;        // tally cells after this header
  };
  union Cell {
    Cell() : header{0, 0, 0, 0} {}
    EntryHeader header;
    Tally tally;
  };
  static_assert(sizeof(Cell) == 16);
  static_assert(std::is_trivially_copyable_v<Cell>);  // rows move by plain copies
  struct MessageNode {
    MessageId id;
    std::int64_t value;
    std::uint32_t older;  // the previous message of the same tally, or kNone
  };

 public:
  // An actor's entries: `size` cells in use from `first`, which lies `head`
  // cells into a block of blocks_ of size class `size_class` (null, with
  // head 0, while the actor has no entry), `stride` cells an entry (its
  // header and one tally per neighbour; 0 while the actor has no entry).
  // The stride is kept here, not read from the first entry's header, so
  // that Has needs no test for an empty row and entry k's address no load
  // from the block. Only the table reads or writes the fields.
  struct Row {
    Cell* first = nullptr;
    std::uint32_t size = 0;
    std::uint32_t head : 26 = 0;
    std::uint32_t size_class : 6 = 0;
    std::uint32_t stride = 0;
  };
  static_assert(sizeof(Row) == 24);

 private:
  // A row of the table's own array (used alone, as in tests).
  struct alignas(kRowStride) OwnRow {
    Row row;
  };
  static_assert(sizeof(OwnRow) == kRowStride);
  static constexpr std::size_t kMaxHead = (std::size_t{1} << 26) - 1;

  // What both Resets share: forgets every entry and message, and uses
  // `rows` for actors 0..actors-1 (each Reset makes them Row{}).
  void Bind(std::size_t actors, Row* rows);
  Row& RowOf(ActorId a) const {
    return *reinterpret_cast<Row*>(reinterpret_cast<std::byte*>(rows_) + a * kRowStride);
  }

  static std::size_t Stride(const Row& row) { return row.stride; }
  static std::size_t Capacity(const Row& row) { return BlockArena<Cell>::SizeOf(row.size_class); }
  const EntryHeader& Header(ActorId a, std::size_t k) const {
    const Row& row = RowOf(a);
    return row.first[k * Stride(row)].header;
  }
  // Moves a's entries into a block with room for `need` more cells (the
  // same block, compacted, when it has room; else a larger one).
  void MakeRoom(Row& row, std::size_t need);
  // A pool node for message m of value `value`, linked to `older`.
  std::uint32_t NewNode(MessageId m, std::int64_t value, std::uint32_t older);
  // A copy of the message list that ends at node `newest`, in fresh nodes;
  // returns the copy's newest node.
  std::uint32_t CopyMessages(std::uint32_t newest);

  BlockArena<Cell> blocks_;  // before own_rows_, which point into it
  static_assert((kPrefetchedLines - 1) * 64 <= BlockArena<Cell>::kUncarvedTail);
  HugePageVector<OwnRow> own_rows_;  // the rows, unless an owner keeps them
  Row* rows_ = nullptr;              // actor 0's row; actor a's kRowStride * a bytes on
  std::size_t actors_ = 0;
  HugePageVector<MessageNode> pool_;
  std::uint32_t free_ = kNone;  // first free node of pool_
};

}  // namespace snapsim
