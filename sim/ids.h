// Dense integer identifiers used across the simulator.
//
// Actors, channels and pooled messages are numbered 0..n-1 so that per-entity
// data lives in vectors indexed by these ids. MessageId is the trace-visible,
// run-unique message number (the pool slot of a message is reused, its id is
// not). SnapshotId 0 means "no snapshot"; real snapshot ids start at 1.
#pragma once

#include <cstdint>
#include <limits>

namespace snapsim {

using ActorId = std::uint32_t;
using ChannelId = std::uint32_t;
using MessageId = std::uint64_t;
using SnapshotId = std::uint64_t;

inline constexpr ActorId kNoActor = std::numeric_limits<ActorId>::max();
inline constexpr ChannelId kNoChannel = std::numeric_limits<ChannelId>::max();

// The four kinds of actor of MODEL.md section 1.
enum class ActorGroup : std::uint8_t { kIn, kOut, kGateway, kController };

// The trace-format spelling of a group: "in", "out", "gateway", "controller".
constexpr const char* GroupName(ActorGroup g) {
  switch (g) {
    case ActorGroup::kIn:
      return "in";
    case ActorGroup::kOut:
      return "out";
    case ActorGroup::kGateway:
      return "gateway";
    case ActorGroup::kController:
      return "controller";
  }
  return "?";
}

}  // namespace snapsim
