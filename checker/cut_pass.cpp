#include "checker/cut_pass.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <stdexcept>

#include "checker/compact_trace.h"

namespace snapsim::checker {
namespace {

// Sets bits [0, n) of a `words`-word bitset (the others are cleared).
void FillPrefix(std::uint64_t* bits, std::uint32_t words, std::uint32_t n) {
  for (std::uint32_t w = 0; w < words; ++w) {
    const std::uint32_t lo = w * 64;
    if (n >= lo + 64) {
      bits[w] = ~std::uint64_t{0};
    } else if (n > lo) {
      bits[w] = (std::uint64_t{1} << (n - lo)) - 1;
    } else {
      bits[w] = 0;
    }
  }
}

bool TestBit(const std::uint64_t* bits, std::uint32_t i) { return (bits[i / 64] >> (i % 64)) & 1; }
void SetBit(std::uint64_t* bits, std::uint32_t i) { bits[i / 64] |= std::uint64_t{1} << (i % 64); }

}  // namespace

void CutPass::AddActor(ActorGroup group) {
  assert(words_ == 0 && ids_.empty());
  actors_.push_back(ActorState{0, 0, group});
  if (actors_taken_at_.empty()) {
    actors_taken_at_.push_back(0);
    in_flight_taken_at_.push_back(0);
  }
  if (group == ActorGroup::kIn) ++actors_taken_at_[0];
}

CutPass::MessageCut CutPass::Send(ActorId actor, bool control) {
  const ActorState& from = actors_[actor];
  MessageCut m;
  m.sender = actor;
  m.holds_final = HoldsFinal(from.group, control);
  if (words_ == 0) {
    m.reach = from.reach;
    m.taken = from.taken;
    if (m.holds_final) ++in_flight_taken_at_[m.taken];
  } else {
    const std::uint32_t slot = NewBitSlot();
    m.bit_slot = slot + 1;
    std::copy_n(ActorReach(actor), 2 * std::size_t{words_},
                &slot_bits_[std::size_t{slot} * 2 * words_]);
  }
  return m;
}

std::uint32_t CutPass::NewBitSlot() {
  if (!free_bit_slots_.empty()) {
    const std::uint32_t slot = free_bit_slots_.back();
    free_bit_slots_.pop_back();
    return slot;
  }
  const std::size_t slots = slot_bits_.size() / (2 * std::size_t{words_});
  // MessageCut::bit_slot holds slot + 1 in 31 bits.
  if (slots >= (std::size_t{1} << 31) - 1)
    throw std::length_error("checker: more than 2^31 - 2 messages in flight in bitset mode");
  const auto slot = static_cast<std::uint32_t>(slots);
  slot_bits_.resize(slot_bits_.size() + 2 * std::size_t{words_});
  return slot;
}

const std::uint64_t* CutPass::MessageBits(const MessageCut& m) {
  if (m.bit_slot != 0) return &slot_bits_[(static_cast<std::size_t>(m.bit_slot) - 1) * 2 * words_];
  scratch_.resize(2 * std::size_t{words_});
  FillPrefix(scratch_.data(), words_, m.reach);
  FillPrefix(scratch_.data() + words_, words_, m.taken);
  return scratch_.data();
}

std::uint64_t* CutPass::OwnBits(MessageCut& m) {
  if (m.bit_slot == 0) {
    const std::uint32_t slot = NewBitSlot();
    std::uint64_t* bits = &slot_bits_[std::size_t{slot} * 2 * words_];
    FillPrefix(bits, words_, m.reach);
    FillPrefix(bits + words_, words_, m.taken);
    m.bit_slot = slot + 1;
  }
  return &slot_bits_[(static_cast<std::size_t>(m.bit_slot) - 1) * 2 * words_];
}

void CutPass::Forward(ActorId actor, MessageCut& m) {
  if (words_ == 0) {
    ActorState& at = actors_[actor];
    at.reach = std::max(at.reach, m.reach);
    m.reach = at.reach;
  } else {
    std::uint64_t* a = ActorReach(actor);
    std::uint64_t* bits = OwnBits(m);
    for (std::uint32_t w = 0; w < words_; ++w) bits[w] = a[w] |= bits[w];
  }
}

void CutPass::Recv(ActorId actor, const MessageCut& m, std::uint64_t key) {
  ActorState& at = actors_[actor];
  const ActorId from = m.sender;
  const bool in_group = at.group == ActorGroup::kIn && m.holds_final;
  if (words_ == 0) {
    at.reach = std::max(at.reach, m.reach);
    if (in_group && at.taken > m.taken) {
      CrossingEntry e{{key, from, actor}};
      e.lo = m.taken;
      e.hi = at.taken;
      crossings_.push_back(e);
    }
    if (m.holds_final && --in_flight_taken_at_[m.taken] == 0) AdvanceFinal();
    return;
  }
  std::uint64_t* a = ActorReach(actor);
  const std::uint64_t* reach = MessageBits(m);
  const std::uint64_t* sent_taken = reach + words_;
  for (std::uint32_t w = 0; w < words_; ++w) a[w] |= reach[w];
  if (in_group) {
    const std::uint64_t* taken = ActorTaken(actor);
    bool any = false;
    for (std::uint32_t w = 0; w < words_; ++w) any |= (taken[w] & ~sent_taken[w]) != 0;
    if (any) {
      CrossingEntry e{{key, from, actor}};
      e.bits = crossing_bits_.size();
      e.bit_words = words_;
      for (std::uint32_t w = 0; w < words_; ++w)
        crossing_bits_.push_back(taken[w] & ~sent_taken[w]);
      crossings_.push_back(e);
    }
  }
  if (m.bit_slot != 0) free_bit_slots_.push_back(static_cast<std::uint32_t>(m.bit_slot) - 1);
}

std::uint32_t CutPass::DenseRank(SnapshotId id) const {
  if (ids_.empty()) return kNone;
  const SnapshotId offset = id - ids_.front();  // wraps for ids below the first
  return offset < ids_.size() && ids_[offset] == id ? static_cast<std::uint32_t>(offset) : kNone;
}

std::uint32_t CutPass::RankFor(SnapshotId id) {
  if (const std::uint32_t rank = DenseRank(id); rank != kNone) return rank;
  auto it = rank_of_.find(id);
  return it != rank_of_.end() ? it->second : AddRank(id);
}

std::uint32_t CutPass::AddRank(SnapshotId id) {
  const auto rank = static_cast<std::uint32_t>(ids_.size());
  if (!ids_.empty() && id != ids_.front() + rank) ids_dense_ = false;
  rank_of_.emplace(id, rank);
  ids_.push_back(id);
  violated_.push_back(false);
  violated_at_.push_back(kNoActor);
  recorded_.push_back(0);
  actors_taken_at_.push_back(0);
  in_flight_taken_at_.push_back(0);
  if (words_ > 0 && ids_.size() > std::size_t{words_} * 64) GrowWords(words_ * 2);
  return rank;
}

bool CutPass::Snapshot(ActorId p, SnapshotId id) {
  const std::uint32_t rank = RankFor(id);
  if (words_ == 0) {
    if (rank < actors_[p].taken) return false;  // taken ranks are [0, taken)
    if (rank != actors_[p].taken) SwitchToBitsets();
  }
  if (words_ == 0) {
    if (actors_[p].reach > rank && !violated_[rank]) {
      violated_[rank] = true;
      violated_at_[rank] = p;
    }
    actors_[p].reach = std::max(actors_[p].reach, rank + 1);
    actors_[p].taken = rank + 1;
    if (actors_[p].group == ActorGroup::kIn) {
      const bool emptied = --actors_taken_at_[rank] == 0;
      ++actors_taken_at_[rank + 1];
      if (emptied) AdvanceFinal();
    }
  } else {
    if (TestBit(ActorTaken(p), rank)) return false;
    if (TestBit(ActorReach(p), rank) && !violated_[rank]) {
      violated_[rank] = true;
      violated_at_[rank] = p;
    }
    SetBit(ActorReach(p), rank);
    SetBit(ActorTaken(p), rank);
  }
  ++recorded_[rank];
  return true;
}

bool CutPass::SnapshotRun(ActorId p, SnapshotId first, SnapshotId last) {
  ActorState& at = actors_[p];
  const std::uint32_t r0 = at.taken;
  // The ids' ranks are r0, r0 + 1, ...: ids ranked densely from the first,
  // and `first` is the actor's next rank.
  if (words_ != 0 || !ids_dense_ || at.group != ActorGroup::kIn) return false;
  if (ids_.empty() ? r0 != 0 : first != ids_.front() + r0) return false;
  if (last - first >= std::uint64_t{UINT32_MAX} - r0 - 1)
    return false;  // ranks fit, and kNone stays free
  const auto end = static_cast<std::uint32_t>(r0 + (last - first) + 1);  // ranks [r0, end)
  // Rank the ids not ranked yet (written so that no id wraps past the largest).
  const SnapshotId max_ranked = ids_.empty() ? first - 1 : ids_.front() + (ids_.size() - 1);
  for (SnapshotId id = max_ranked; id < last;) AddRank(++id);
  // Snapshot() for each rank: violated where the actor was reached already.
  for (std::uint32_t r = r0; r < std::min(at.reach, end); ++r) {
    if (!violated_[r]) {
      violated_[r] = true;
      violated_at_[r] = p;
    }
  }
  for (std::uint32_t r = r0; r < end; ++r) ++recorded_[r];
  at.reach = std::max(at.reach, end);
  at.taken = end;
  // The actor moves from taken count r0 to `end` (the counts in between went
  // up and down again).
  const bool emptied = --actors_taken_at_[r0] == 0;
  ++actors_taken_at_[end];
  if (emptied) AdvanceFinal();
  return true;
}

void CutPass::AdvanceFinal() {
  while (final_ < RankCount() && actors_taken_at_[final_] == 0 && in_flight_taken_at_[final_] == 0)
    ++final_;
}

void CutPass::TakeFinalCrossings(std::uint32_t from, std::vector<std::vector<Crossing>>& out) {
  assert(words_ == 0 || from == final_);
  if (out.size() < final_ - from) out.resize(final_ - from);
  for (std::uint32_t r = from; r < final_; ++r) out[r - from].clear();
  if (from == final_) return;
  std::size_t kept = 0;
  for (const CrossingEntry& e : crossings_) {
    if (e.bit_words == 0) {
      // Every actor took every final rank, so no cap by the sender's count.
      for (std::uint32_t r = std::max(e.lo, from); r < std::min(e.hi, final_); ++r)
        out[r - from].push_back(e.c);
      if (e.hi <= final_) continue;  // covers final ranks only: forget
    }
    crossings_[kept++] = e;
  }
  crossings_.resize(kept);
}

void CutPass::SwitchToBitsets() {
  const std::uint32_t words = std::max<std::uint32_t>(1, (RankCount() + 63) / 64);
  words_ = words;
  actor_bits_.assign(actors_.size() * 2 * std::size_t{words}, 0);
  for (ActorId a = 0; a < actors_.size(); ++a) {
    FillPrefix(ActorReach(a), words, actors_[a].reach);
    FillPrefix(ActorTaken(a), words, actors_[a].taken);
  }
  // Messages in flight keep their prefix form until their next hop.
}

void CutPass::GrowWords(std::uint32_t words) {
  auto regrow = [&](HugePageVector<std::uint64_t>& bits) {
    const std::size_t n = bits.size() / (2 * std::size_t{words_});
    HugePageVector<std::uint64_t> out(n * 2 * std::size_t{words}, 0);
    for (std::size_t i = 0; i < n * 2; ++i) std::copy_n(&bits[i * words_], words_, &out[i * words]);
    bits = std::move(out);
  };
  regrow(actor_bits_);
  regrow(slot_bits_);
  words_ = words;
}

std::uint32_t CutPass::RankOf(SnapshotId id) const {
  if (const std::uint32_t rank = DenseRank(id); rank != kNone) return rank;
  auto it = rank_of_.find(id);
  return it == rank_of_.end() ? kNone : it->second;
}

bool CutPass::Took(ActorId actor, std::uint32_t rank) const {
  if (words_ == 0) return rank < actors_[actor].taken;
  return TestBit(ActorTaken(actor), rank);
}

std::vector<std::vector<CutPass::Crossing>> CutPass::ExpectedChannelStates(
    const std::vector<std::uint32_t>& ranks) const {
  std::vector<std::vector<Crossing>> out(ranks.size());
  auto keep = [&](const CrossingEntry& e, std::size_t i) {
    if (Took(e.c.from, ranks[i]) && Took(e.c.to, ranks[i])) out[i].push_back(e.c);
  };
  for (const CrossingEntry& e : crossings_) {
    if (e.bit_words == 0) {
      // In prefix mode the sender took exactly the ranks [0, taken).
      const std::uint32_t hi = words_ == 0 ? std::min(e.hi, actors_[e.c.from].taken) : e.hi;
      auto it = std::lower_bound(ranks.begin(), ranks.end(), e.lo);
      for (; it != ranks.end() && *it < hi; ++it) keep(e, it - ranks.begin());
    } else {
      const std::uint64_t* bits = &crossing_bits_[e.bits];
      for (std::uint32_t w = 0; w < e.bit_words; ++w) {
        for (std::uint64_t b = bits[w]; b != 0; b &= b - 1) {
          const std::uint32_t rank = w * 64 + static_cast<std::uint32_t>(std::countr_zero(b));
          auto it = std::lower_bound(ranks.begin(), ranks.end(), rank);
          if (it != ranks.end() && *it == rank) keep(e, it - ranks.begin());
        }
      }
    }
  }
  return out;
}

}  // namespace snapsim::checker
