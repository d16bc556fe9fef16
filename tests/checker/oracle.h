// The reference checker, written for obviousness rather than speed: explicit
// vector clocks over every event, computed by iterating to a fixpoint (so it
// does not even rely on the lines being in a topological order), and each
// definition of docs/checker.md evaluated literally. Tests only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snapsim::checker::testing {

struct OracleSnapshot {
  std::uint64_t id = 0;
  bool complete = false;
  bool consistent = true;
  std::size_t recorded = 0;
  bool accepted = true;
  bool has_verdict = false;
  bool unfinished = false;  // an `unfinished` line: then not accepted, no verdict
  bool cut_short = false;   // a `cut_short` line: channels with no record are not judged
  std::optional<bool> channel_state_ok;
};

// One entry per snapshot id seen (snapshot, verdict, unfinished, cut_short or
// channel_state lines),
// sorted by id. REQUIRES: `lines` is a well-formed trace.
std::vector<OracleSnapshot> OracleCheck(const std::vector<nlohmann::json>& lines);

// The expected channel states of snapshot `id` by definition: for every
// channel between in-group processes that both have a cut point, the messages
// sent inside and received outside, in receive order (empty channels left out).
std::map<std::pair<std::string, std::string>, std::vector<std::string>> OracleChannelStates(
    const std::vector<nlohmann::json>& lines, std::uint64_t id);

// The fewest message hops (send->forward, forward->recv, ...) on any causal
// path from a snapshot event of `id` at an in-group process to an event inside
// the cut of `id` at an in-group process; nullopt when there is none. By 0-1
// breadth-first search over all events (process order costs 0, a hop 1).
std::optional<int> OracleMinMessageHops(const std::vector<nlohmann::json>& lines, std::uint64_t id);

// Happens-before queries on one trace, by vector clocks. Events are given as
// (actor name, index in the actor's event list).
class OracleClocks {
 public:
  explicit OracleClocks(const std::vector<nlohmann::json>& lines);
  ~OracleClocks();
  // True when `a` happens-before `b` (strictly).
  bool HappensBefore(std::pair<std::string, std::size_t> a,
                     std::pair<std::string, std::size_t> b) const;

  struct Model;  // defined in oracle.cpp

 private:
  std::unique_ptr<Model> model_;
};

}  // namespace snapsim::checker::testing
