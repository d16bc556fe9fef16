// ChannelCounts: a process's application-message counts on one in-group
// channel, for LaiYangCore's channel-state bookkeeping, in 16 bytes.
//
// The counts are 48 bits each, so that two channels fit in LaiYangCore's
// per-actor cache line beside the open-snapshot row. 2^48 messages on one
// channel is beyond any run (at 10^7 events a second of wall time, all of
// them on that channel, 325 days): an error (std::overflow_error), never a
// wrap.
#pragma once

#include <cstdint>

#include "sim/ids.h"

namespace snapsim {

struct ChannelCounts {
  ActorId peer = kNoActor;  // the neighbour at the channel's other end

  // App messages to peer, sent so far.
  std::uint64_t Sent() const { return std::uint64_t{sent_high_} << 32 | sent_low_; }
  // App messages from peer, received so far.
  std::uint64_t Recv() const { return std::uint64_t{recv_high_} << 32 | recv_low_; }
  // One more sent (received); at 2^48 the count stays 2^48 - 1 and
  // std::overflow_error is thrown.
  void CountSent() {
    if (++sent_low_ == 0 && ++sent_high_ == 0) TooMany(sent_low_, sent_high_);
  }
  void CountRecv() {
    if (++recv_low_ == 0 && ++recv_high_ == 0) TooMany(recv_low_, recv_high_);
  }

  // Puts a wrapped count back at 2^48 - 1, then throws.
  [[noreturn]] static void TooMany(std::uint32_t& low, std::uint16_t& high);

  // Read and counted through the functions above only (tests set them).
  std::uint32_t sent_low_ = 0, recv_low_ = 0;
  std::uint16_t sent_high_ = 0, recv_high_ = 0;
};
static_assert(sizeof(ChannelCounts) == 16);

}  // namespace snapsim
