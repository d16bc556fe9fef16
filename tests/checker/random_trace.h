// Random traces for the property tests, as lists of JSON Lines records in a
// topological order of happens-before (the order they were generated in).
// Also: writing a trace with the actors' lines interleaved at random, and
// replaying one into a TraceSink.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "sim/trace_sink.h"

namespace snapsim::checker::testing {

using Lines = std::vector<nlohmann::json>;

// How in-group processes pick their next snapshot id.
enum class SnapshotOrder {
  kIncreasing,  // 1, 2, 3, ... (each may stop early): the prefix representation
  kGappy,       // increasing, skipping some ids: bitsets
  kRandom,      // any order: bitsets
};

std::ostream& operator<<(std::ostream& os, SnapshotOrder o);

struct GenParams {
  std::uint64_t seed = 1;
  int in_procs = 3;
  int out_procs = 2;
  int gateways = 1;
  bool controller = true;
  int steps = 100;
  int snapshots = 3;
  SnapshotOrder order = SnapshotOrder::kIncreasing;
  int loss_percent = 10;       // messages never delivered
  bool channel_states = true;  // add channel_state lines (correct or perturbed)
  bool verdicts = true;
};

// A random trace: out-group, in-group and controller actors send to random
// actors; messages entering the in-group from outside pass one or two
// gateways; deliveries happen in random order (non-FIFO), some messages are
// lost; in-group processes take snapshots at random times.
Lines GenerateTrace(const GenParams& p);

// A trace with no snapshot events, then cuts built consistent by construction
// for `snapshots` ids: each cut is the frontier of a random down-closed set
// of events (the causal past of random events). Channel states are correct.
Lines GenerateConsistentCuts(const GenParams& p);

// GenerateTrace with, for snapshot id `planted_id` (larger than any other),
// a planted causal chain: q takes the snapshot, then a message chain from q
// through `relays` out-group processes (and a gateway when relays > 0)
// reaches p, which takes the snapshot only afterwards. relays == 0 plants a
// plain orphan message q -> p.
Lines GeneratePlanted(const GenParams& p, int relays, std::uint64_t planted_id);

// The lines as JSON Lines text: declarations first, then the other lines with
// the actors interleaved at random (each actor's own order kept) and verdict
// and channel_state lines placed at random.
std::string ToJsonl(const Lines& lines, std::uint64_t shuffle_seed);

// Replays the lines, in their given order, into `sink` (actor ids in
// declaration order, message "m<k>" as MessageId k), then calls Finish().
// With snapshot_runs, adjacent snapshot lines of one actor whose ids rise by
// one go in one Snapshots call (TraceSink::Snapshots), and a block of
// adjacent channel_state lines is replayed channel by channel, consecutive
// ids with the same messages in one ChannelStates call; returns how many
// calls of each covered more than one id.
// The order Replay takes a block of channel_state lines in (by channel, then
// snapshot id), so that a channel's consecutive ids are adjacent.
std::tuple<std::string, std::string, std::uint64_t> ChannelStateOrder(const nlohmann::json& line);

struct ReplayRuns {
  std::size_t snapshots = 0, channel_states = 0;
};
ReplayRuns Replay(const Lines& lines, TraceSink& sink, bool snapshot_runs = false);

}  // namespace snapsim::checker::testing
