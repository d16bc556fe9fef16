#include "checker/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "checker/channel_compare.h"
#include "checker/witness.h"

namespace snapsim::checker {
namespace {

using ChannelKey = std::pair<ActorId, ActorId>;

// Fills channel_state_ok and channel_errors of the reports that have
// recorded channel states (after their cut_short flags are set).
void CheckChannelStates(const CutPass& pass, const CompactTrace& trace,
                        std::map<SnapshotId, SnapshotReport*>& by_id) {
  // Recorded states by snapshot id, then channel (ordered: deterministic).
  std::map<SnapshotId, std::map<ChannelKey, const ChannelStateRecord*>> recorded;
  for (const auto& r : trace.channel_states) recorded[r.id][{r.from, r.to}] = &r;
  if (recorded.empty()) return;

  std::vector<std::uint32_t> ranks;
  for (const auto& [id, _] : recorded) {
    const std::uint32_t rank = pass.RankOf(id);
    if (rank != kNone) ranks.push_back(rank);
  }
  std::sort(ranks.begin(), ranks.end());
  const auto expected_lists = pass.ExpectedChannelStates(ranks);

  std::map<ChannelKey, bool> fifo;
  for (const auto& c : trace.channels) fifo[{c.from, c.to}] = c.fifo;
  const MessageNamer name = [&](std::uint64_t key) {
    return key < trace.message_names.size() ? trace.message_names[key] : fmt::format("m{}", key);
  };

  for (const auto& [id, channels] : recorded) {
    SnapshotReport& rep = *by_id.at(id);
    rep.channel_state_ok = true;
    const std::uint32_t rank = pass.RankOf(id);
    if (rank == kNone) continue;  // no process took it: no channel can be judged
    const auto idx = std::lower_bound(ranks.begin(), ranks.end(), rank) - ranks.begin();
    std::map<ChannelKey, std::vector<std::uint64_t>> expected;
    for (const auto& c : expected_lists[idx]) expected[{c.from, c.to}].push_back(c.key);
    std::map<ChannelKey, int> all;
    for (const auto& [k, _] : expected) all[k] = 0;
    for (const auto& [k, _] : channels) all[k] = 0;
    for (const auto& [k, _] : all) {
      // Only channels whose both ends have a cut point are judged.
      if (!pass.Took(k.first, rank) || !pass.Took(k.second, rank)) continue;
      static const std::vector<std::uint64_t> kEmpty;
      auto e = expected.find(k);
      auto r = channels.find(k);
      const auto& exp = e == expected.end() ? kEmpty : e->second;
      // The run ended before it was recorded: its state may have been on the way.
      if (r == channels.end() && rep.cut_short) continue;
      const auto& rec = r == channels.end() ? kEmpty : r->second->msgs;
      auto f = fifo.find(k);
      auto diff = CompareChannelState(exp, rec, f != fifo.end() && f->second, name);
      if (!diff) continue;
      rep.channel_state_ok = false;
      const std::string label =
          fmt::format("{}->{}", trace.actor_names[k.first], trace.actor_names[k.second]);
      rep.channel_errors.push_back(
          r == channels.end() ? fmt::format("{}: no channel state recorded; {}", label, *diff)
                              : fmt::format("{}: {}", label, *diff));
    }
  }
}

}  // namespace

Counters CountReports(const std::vector<SnapshotReport>& snapshots) {
  Counters c;
  for (const auto& s : snapshots) {
    ++c.initiated;
    c.cut_short += s.cut_short;
    if (s.complete) ++c.complete;
    (s.consistent ? c.consistent : c.inconsistent) += 1;
    if (s.unfinished) {
      ++c.unfinished;
      if (!s.consistent) ++c.unfinished_inconsistent;
      continue;
    }
    (s.accepted ? c.accepted : c.rejected) += 1;
    if (s.accepted && !s.consistent) ++c.accepted_inconsistent;
    if (!s.accepted && s.consistent) ++c.false_rejections;
    if (s.channel_state_ok == false) ++c.channel_state_wrong;
  }
  return c;
}

const char* Classify(const SnapshotReport& s) {
  if (s.unfinished) return "unfinished";
  if (s.accepted) return s.consistent ? "ok" : "VIOLATION";
  return s.consistent ? "false rejection" : "correct rejection";
}

CheckReport BuildReport(const CutPass& pass, const CompactTrace& trace, bool witnesses,
                        const std::map<SnapshotId, std::vector<std::string>>* judged) {
  std::vector<SnapshotId> ids;
  for (std::uint32_t r = 0; r < pass.RankCount(); ++r) ids.push_back(pass.IdOfRank(r));
  for (const auto& v : trace.verdicts) ids.push_back(v.id);
  for (const auto& c : trace.channel_states) ids.push_back(c.id);
  for (SnapshotId id : trace.cut_short) ids.push_back(id);
  if (judged)
    for (const auto& [id, _] : *judged) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  std::size_t in_group = 0;
  for (ActorGroup g : trace.actor_groups) in_group += g == ActorGroup::kIn;

  CheckReport report;
  report.in_group_processes = in_group;
  report.snapshots.resize(ids.size());
  std::map<SnapshotId, SnapshotReport*> by_id;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    SnapshotReport& s = report.snapshots[i];
    s.id = ids[i];
    by_id[s.id] = &s;
    const std::uint32_t rank = pass.RankOf(s.id);
    s.processes_recorded = rank == kNone ? 0 : pass.Recorded(rank);
    s.complete = s.processes_recorded == in_group;
    s.consistent = rank == kNone || !pass.Violated(rank);
  }
  for (const auto& v : trace.verdicts) {
    SnapshotReport& s = *by_id.at(v.id);
    s.has_verdict = !v.unfinished;
    s.unfinished = v.unfinished;
    s.accepted = v.accepted && !v.unfinished;
  }
  for (SnapshotId id : trace.cut_short) by_id.at(id)->cut_short = true;
  CheckChannelStates(pass, trace, by_id);
  if (judged) {
    for (const auto& [id, errors] : *judged) {
      SnapshotReport& s = *by_id.at(id);
      s.channel_state_ok = errors.empty();
      s.channel_errors = errors;
    }
  }
  if (witnesses) {
    const WitnessFinder finder(trace);
    for (SnapshotReport& s : report.snapshots) {
      if (!s.consistent) s.witness = finder.Format(finder.Find(s.id));
    }
  }
  report.counters = CountReports(report.snapshots);
  return report;
}

}  // namespace snapsim::checker
