#include "protocols/open_snapshot_table.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>

namespace snapsim {

void OpenSnapshotTable::Tally::Report(std::int64_t sent) {
  assert(State() == 0);
  due = sent - due;  // both counts, neither negative: no overflow
  count_and_state |= kReportedState << 30;
}

void OpenSnapshotTable::Reset(std::size_t actors) {
  own_rows_.assign(actors, OwnRow{});
  Bind(actors, actors == 0 ? nullptr : &own_rows_[0].row);
}

void OpenSnapshotTable::Reset(std::size_t actors, Row* rows) {
  HugePageVector<OwnRow>().swap(own_rows_);  // the owner's rows serve instead
  Bind(actors, rows);
  for (ActorId a = 0; a < actors; ++a) RowOf(a) = Row{};
}

void OpenSnapshotTable::Bind(std::size_t actors, Row* rows) {
  // The blocks go back all at once: the old rows may be gone already (an
  // owner's records, reassigned before Reset).
  blocks_.Clear();
  pool_.clear();
  free_ = kNone;
  rows_ = rows;
  actors_ = actors;
}

std::size_t OpenSnapshotTable::Size(ActorId a) const {
  const Row& row = RowOf(a);
  return row.size == 0 ? 0 : row.size / Stride(row);
}

// Both searches gallop from the end where the answer usually is (a report
// covers the oldest open ids, a message the newest), so they touch the few
// entries near it rather than the middle of the row, and stay logarithmic
// when many snapshots are open (e.g. on lossy channels, which never close).
std::size_t OpenSnapshotTable::LowerBound(ActorId a, SnapshotId id) const {
  std::size_t lo = 0, hi = 0, step = 1;
  while (Has(a, hi) && Last(a, hi) < id) {  // gallop: Last(a, lo - 1) < id
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (!Has(a, hi)) hi = std::min(hi, Size(a));  // a report's first id is mostly entry 0
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (Last(a, mid) < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

std::size_t OpenSnapshotTable::UpperBound(ActorId a, SnapshotId id) const {
  const std::size_t size = Size(a);
  std::size_t lo = size, hi = size, step = 1;
  while (lo > 0 && Last(a, lo - 1) > id) {  // gallop: Last(a, hi) > id or hi == size
    hi = lo - 1;
    lo = hi >= step ? hi - step : 0;
    step *= 2;
  }
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (Last(a, mid) <= id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void OpenSnapshotTable::MakeRoom(Row& row, std::size_t need) {
  const std::size_t size = row.size + need;
  Cell* const block = row.first - row.head;
  if (row.first && size <= Capacity(row)) {  // room once compacted
    std::copy(row.first, row.first + row.size, block);
    row.first = block;
    row.head = 0;
    return;
  }
  // Growing an actor's row at least doubles it, so a row that keeps many
  // entries open is not copied again at every size class on its way up. A
  // row's first block, too, has room for twice what is asked: an advance
  // often comes before the previous one's entry closes, and with a block
  // just the size of one entry, 0.87 of the issue-7 scenario's advances
  // moved their row to a larger block (0.986 of the time per event in two
  // sets of 16 paired rounds, +23 MiB at 10^6 processes on the sparse cloud).
  const std::size_t size_class = BlockArena<Cell>::ClassOf(row.first ? 2 * size - need : 2 * size);
  if (BlockArena<Cell>::SizeOf(size_class) > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("OpenSnapshotTable: too many open entries at one process");
  Cell* cells = blocks_.AllocateClass(size_class);
  if (row.first) {
    std::copy(row.first, row.first + row.size, cells);
    blocks_.FreeClass(block, row.size_class);
  }
  row.first = cells;
  row.head = 0;
  row.size_class = static_cast<std::uint32_t>(size_class) & 63u;
}

void OpenSnapshotTable::Append(ActorId a, SnapshotId first, SnapshotId last,
                               std::span<const std::uint64_t> pre) {
  if (last > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("OpenSnapshotTable: snapshot ids above 2^32 - 1");
  Row& row = RowOf(a);
  const auto peers = static_cast<std::uint32_t>(pre.size());
  const std::size_t need = 1 + peers;
  if (!row.first || row.head + row.size + need > Capacity(row)) MakeRoom(row, need);
  const std::size_t at = row.size;
  row.size = static_cast<std::uint32_t>(at + need);
  assert(row.stride == 0 || row.stride == need);  // an actor's neighbour count is fixed
  row.stride = static_cast<std::uint32_t>(need);
  row.first[at].header = {static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last),
                          peers, peers};
  for (std::uint32_t i = 0; i < peers; ++i) {
    if (pre[i] > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw std::length_error("OpenSnapshotTable: a channel count of 2^63 or more");
    row.first[at + 1 + i].tally = {static_cast<std::int64_t>(pre[i]), 0, kNone};
  }
}

void OpenSnapshotTable::SplitAfter(ActorId a, std::size_t k, SnapshotId id) {
  Row& row = RowOf(a);
  const std::size_t stride = Stride(row);
  if (row.head + row.size + stride > Capacity(row)) MakeRoom(row, stride);
  Cell* const entry = row.first + k * stride;
  Cell* const end = row.first + row.size;
  std::copy_backward(entry, end, end + stride);  // entry k, then a copy of it
  row.size += static_cast<std::uint32_t>(stride);
  Cell* const copy = entry + stride;
  entry[0].header.last = static_cast<std::uint32_t>(id);
  copy[0].header.first = static_cast<std::uint32_t>(id + 1);
  for (std::size_t i = 1; i < stride; ++i)
    copy[i].tally.newest = CopyMessages(copy[i].tally.newest);
}

std::uint32_t OpenSnapshotTable::NewNode(MessageId m, std::int64_t value, std::uint32_t older) {
  std::uint32_t node = free_;
  if (node != kNone) {
    free_ = pool_[node].older;
  } else {
    node = static_cast<std::uint32_t>(pool_.size());
    pool_.push_back({});
  }
  pool_[node] = {m, value, older};
  return node;
}

std::uint32_t OpenSnapshotTable::CopyMessages(std::uint32_t newest) {
  std::uint32_t copy = kNone, previous = kNone;
  for (std::uint32_t node = newest; node != kNone; node = pool_[node].older) {
    const std::uint32_t fresh = NewNode(pool_[node].id, pool_[node].value, kNone);
    (previous == kNone ? copy : pool_[previous].older) = fresh;
    previous = fresh;
  }
  return copy;
}

bool OpenSnapshotTable::Close(ActorId a, std::size_t k, std::uint32_t local) {
  Row& row = RowOf(a);
  const std::size_t first = k * Stride(row);
  Tally& t = row.first[first + 1 + local].tally;
  t.count_and_state = (t.count_and_state & Tally::kCountMask) | Tally::kClosedState << 30;
  return --row.first[first].header.remaining == 0;
}

void OpenSnapshotTable::Erase(ActorId a, std::size_t k) {
  Row& row = RowOf(a);
  const std::size_t stride = Stride(row);
  Cell* const erased = row.first + k * stride;
  row.size -= static_cast<std::uint32_t>(stride);
  if (row.size == 0) {  // the block goes back to the arena for any actor's next entries
    blocks_.FreeClass(row.first - row.head, row.size_class);
    row = Row{};
    return;
  }
  const std::size_t before = k * stride, after = row.size - before;
  if (before <= after && row.head + stride <= kMaxHead) {
    // The entries before it move up one entry (none for the first).
    std::copy_backward(row.first, erased, erased + stride);
    row.first += stride;
    row.head += static_cast<std::uint32_t>(stride);
  } else {
    std::copy(erased + stride, erased + stride + after, erased);
  }
}

void OpenSnapshotTable::AddMessage(Tally& t, MessageId m, std::int64_t value) {
  if (t.Count() == kMaxCount)
    throw std::length_error("OpenSnapshotTable: more than 2^30 - 1 messages in one channel state");
  t.newest = NewNode(m, value, t.newest);
  ++t.count_and_state;
}

std::int64_t OpenSnapshotTable::TakeMessages(Tally& t, std::vector<MessageId>& out) {
  out.clear();
  std::uint64_t sum = 0;  // wraps like the values' own arithmetic would, without overflow
  for (std::uint32_t node = t.newest; node != kNone;) {
    out.push_back(pool_[node].id);
    sum += static_cast<std::uint64_t>(pool_[node].value);
    const std::uint32_t older = pool_[node].older;
    pool_[node].older = free_;
    free_ = node;
    node = older;
  }
  std::reverse(out.begin(), out.end());
  t.newest = kNone;
  return static_cast<std::int64_t>(sum);
}

std::uint64_t OpenSnapshotTable::OpenCount() const {
  std::uint64_t n = 0;
  for (ActorId a = 0; a < actors_; ++a)
    for (std::size_t k = 0; Has(a, k); ++k) n += Last(a, k) - First(a, k) + 1;
  return n;
}

}  // namespace snapsim
