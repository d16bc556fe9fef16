// Messages and the pool they live in.
//
// A Message is a plain 64-byte struct. Messages live in a MessagePool and
// events refer to them by slot; slots are recycled through a free list, so a
// run in steady state allocates nothing per message. The pool grows in fixed
// blocks, so a Message& stays valid while other messages are allocated (hooks
// may send while holding a reference to the message they were given). A
// block is eight whole huge pages (sim/huge_pages.h), touched only as its
// slots are first used.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/prefetch.h"
#include "sim/time.h"

namespace snapsim {

enum class MessageKind : std::uint8_t {
  kApp,      // workload traffic
  kControl,  // protocol traffic (markers, marks, acks, reports)
};

struct Message {
  MessageId id = 0;           // run-unique; "m<id>" in traces
  SimTime sent_at;            // true time of the origin send
  std::int64_t value = 0;     // conserved quantity carried (tokens, money)
  std::uint64_t aux = 0;      // workload- or protocol-defined payload
  std::int64_t stamp_ns = 0;  // protocol-defined (e.g. sender's local clock)
  ActorId src = kNoActor;     // origin
  ActorId dst = kNoActor;     // final destination
  std::uint32_t tag = 0;      // snapshot id stamped by a protocol (0: none)
  // The sender's snapshot id when it sent the message. Gateways may raise
  // `tag` on the way; this stays, so the receiver can tell whether the
  // message was sent before the sender's cut (channel-state bookkeeping).
  std::uint32_t sender_tag = 0;
  // Destination of the current hop: Net().Ends(channel).dst, kept here (and
  // in the arrival event) so the engine need not read the network's channel
  // table (a cache miss on a large topology), e.g. to release a held message.
  ActorId hop_dst = kNoActor;
  MessageKind kind = MessageKind::kApp;
  std::uint8_t type = 0;     // workload message type, or protocol control type
  bool out_of_band = false;  // control only: neither waits for nor delays FIFO traffic
  std::uint8_t flags = 0;    // protocol-defined bits
};

// One cache line: the pool's slots are 64-byte aligned, so handling a hop
// end loads (and the engine prefetches) one line, where a 72-byte message
// always spanned two (twenty-third pass; the current hop's channel, which
// only a test read, and a 32-bit protocol field of which one bit was used
// made way).
static_assert(sizeof(Message) == 64, "Message grew: update the docs and check the hot path");
static_assert(std::is_trivially_destructible_v<Message>);  // the pool reuses slots in place

class MessagePool {
 public:
  // Returns the slot of a fresh message, a copy of `init` (written once:
  // not cleared first and then overwritten).
  std::uint32_t Allocate(const Message& init = Message{}) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = size_++;
      if ((slot >> kBlockBits) >= blocks_.size()) {
        blocks_.reserve(blocks_.size() + 1);  // so that push_back cannot throw and leak the block
        blocks_.emplace_back(HugePageAllocator<Message>().allocate(kBlockSize));
        // Huge-page aligned, so each 64-byte slot is one cache line.
        assert(reinterpret_cast<std::uintptr_t>(blocks_.back().get()) % 64 == 0);
      }
    }
    ::new (static_cast<void*>(&At(slot))) Message(init);  // trivially destructible: reuse is fine
    ++live_;
    return slot;
  }
  void Free(std::uint32_t slot) {
    free_.push_back(slot);
    --live_;
  }
  Message& At(std::uint32_t slot) {
    return blocks_[slot >> kBlockBits].get()[slot & (kBlockSize - 1)];
  }
  const Message& At(std::uint32_t slot) const {
    return blocks_[slot >> kBlockBits].get()[slot & (kBlockSize - 1)];
  }
  // Hints that the message in `slot` is read soon: its one cache line.
  void Prefetch(std::uint32_t slot) const {
    PrefetchForRead(&blocks_[slot >> kBlockBits].get()[slot & (kBlockSize - 1)]);
  }
  // Messages allocated and not yet freed.
  std::size_t Live() const { return live_; }
  // Peak number of slots ever in use.
  std::size_t Capacity() const { return size_; }

 private:
  static constexpr std::uint32_t kBlockBits = 18;
  static constexpr std::uint32_t kBlockSize = 1u << kBlockBits;
  static_assert(kBlockSize * sizeof(Message) % kHugePageBytes == 0, "blocks of whole huge pages");
  struct FreeBlock {
    void operator()(Message* block) const {
      HugePageAllocator<Message>().deallocate(block, kBlockSize);
    }
  };
  // Raw storage: a slot's Message is constructed when the slot is allocated.
  std::vector<std::unique_ptr<Message, FreeBlock>> blocks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t size_ = 0;
  std::size_t live_ = 0;
};

}  // namespace snapsim
