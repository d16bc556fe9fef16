#include "agreement.h"

#include <algorithm>
#include <random>
#include <sstream>
#include <variant>

#include "checker/online_checker.h"
#include "oracle.h"
#include "test_util.h"

namespace snapsim::checker::testing {

CompactTrace ReadOrDie(const std::string& jsonl) {
  std::istringstream in(jsonl);
  auto read = ReadTrace(in);
  if (auto* e = std::get_if<TraceError>(&read))
    throw std::runtime_error("generated trace rejected, line " + std::to_string(e->line) + ": " +
                             e->message);
  return std::get<CompactTrace>(std::move(read));
}

// Empty when `chain` is a real causal chain witnessing that snapshot `id` is
// inconsistent; otherwise what is wrong with it.
std::string ValidateWitness(const CompactTrace& t, const Lines& lines, SnapshotId id,
                            const std::vector<EventRef>& chain) {
  if (chain.size() < 2) return "chain too short";
  const Event& first = t.events[chain.front().actor][chain.front().pos];
  if (first.kind != EventKind::kSnapshot || t.snapshot_ids[first.arg] != id ||
      t.actor_groups[chain.front().actor] != ActorGroup::kIn)
    return "does not start at a snapshot event of the snapshot";
  const EventRef last = chain.back();
  if (t.actor_groups[last.actor] != ActorGroup::kIn) return "ends outside the in-group";
  bool inside = false;
  for (std::uint32_t i = last.pos + 1; i < t.events[last.actor].size(); ++i) {
    const Event& e = t.events[last.actor][i];
    if (e.kind == EventKind::kSnapshot && t.snapshot_ids[e.arg] == id) inside = true;
  }
  if (!inside) return "last event is not inside the cut";
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    const EventRef x = chain[i], y = chain[i + 1];
    if (x.actor == y.actor && y.pos > x.pos) continue;
    const Event& ex = t.events[x.actor][x.pos];
    const Event& ey = t.events[y.actor][y.pos];
    const bool sends = ex.kind == EventKind::kSend || ex.kind == EventKind::kForward;
    if (!sends || t.hops[ex.hop].next != ey.hop) return "step " + std::to_string(i) + " broken";
  }
  // Fewest message hops: compare with the oracle's exhaustive search.
  int hops = 0;
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) hops += chain[i].actor != chain[i + 1].actor;
  if (OracleMinMessageHops(lines, id) != hops)
    return "not a shortest chain (" + std::to_string(hops) + " hops)";
  // And independently: the oracle's vector clocks agree.
  const OracleClocks clocks(lines);
  if (!clocks.HappensBefore({t.actor_names[chain.front().actor], chain.front().pos},
                            {t.actor_names[last.actor], last.pos}))
    return "oracle: first does not happen-before last";
  return "";
}

Lines ScatterRecords(const Lines& lines, std::uint64_t seed, bool channel_runs) {
  Lines head, events;
  std::vector<Lines> records;  // each placed as one block
  Lines channel_states;
  for (const auto& l : lines) {
    const std::string type = l["type"];
    if (type == "actor" || type == "channel") {
      head.push_back(l);
    } else if (channel_runs && type == "channel_state") {
      channel_states.push_back(l);
    } else if (type == "verdict" || type == "unfinished" || type == "cut_short" ||
               type == "channel_state") {
      records.push_back({l});
    } else {
      events.push_back(l);
    }
  }
  std::mt19937_64 rng(seed);
  // By channel, then id, in blocks of one to sixteen.
  std::ranges::stable_sort(channel_states, {}, ChannelStateOrder);
  for (std::size_t i = 0; i < channel_states.size();) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % 16, channel_states.size() - i);
    records.emplace_back(channel_states.begin() + i, channel_states.begin() + i + n);
    i += n;
  }
  std::ranges::shuffle(records, rng);
  std::vector<std::size_t> at(records.size());
  for (auto& a : at) a = std::uniform_int_distribution<std::size_t>(0, events.size())(rng);
  std::ranges::sort(at);
  Lines out = head;
  std::size_t r = 0;
  for (std::size_t e = 0; e <= events.size(); ++e) {
    for (; r < records.size() && at[r] == e; ++r)
      out.insert(out.end(), records[r].begin(), records[r].end());
    if (e < events.size()) out.push_back(events[e]);
  }
  return out;
}

// Checks `lines` every way and compares; returns a failure description.
std::string CheckAllWays(const Lines& lines, std::uint64_t shuffle_seed) {
  const std::string jsonl = ToJsonl(lines, shuffle_seed);
  CompactTrace trace = ReadOrDie(jsonl);
  auto checked = CheckTrace(trace, true);
  if (auto* e = std::get_if<TraceError>(&checked)) return "check error: " + e->message;
  const CheckReport& fast = std::get<CheckReport>(checked);
  const auto oracle = OracleCheck(lines);

  if (fast.snapshots.size() != oracle.size()) return "snapshot count differs";
  const WitnessFinder finder(trace);
  for (std::size_t i = 0; i < oracle.size(); ++i) {
    const SnapshotReport& f = fast.snapshots[i];
    const auto& o = oracle[i];
    const std::string at = "snapshot " + std::to_string(o.id) + ": ";
    if (f.id != o.id) return at + "id";
    if (f.complete != o.complete) return at + "complete";
    if (f.consistent != o.consistent) return at + "consistent";
    if (f.processes_recorded != o.recorded) return at + "processes_recorded";
    if (f.accepted != o.accepted || f.has_verdict != o.has_verdict) return at + "verdict";
    if (f.unfinished != o.unfinished) return at + "unfinished";
    if (f.cut_short != o.cut_short) return at + "cut_short";
    if (f.channel_state_ok != o.channel_state_ok) return at + "channel_state_ok";
    if (f.channel_state_ok.value_or(true) != f.channel_errors.empty()) return at + "channel_errors";
    if (f.consistent != f.witness.empty()) return at + "witness presence";
    if (!f.consistent) {
      const auto chain = finder.Find(f.id);
      const std::string why = ValidateWitness(trace, lines, f.id, chain);
      if (!why.empty()) return at + "witness: " + why;
      if (finder.Format(chain) != f.witness) return at + "witness text";
    }
  }

  // The counters, by their definitions over the oracle's snapshots.
  {
    Counters want;
    for (const auto& o : oracle) {
      ++want.initiated;
      want.cut_short += o.cut_short;
      if (o.unfinished) {
        ++want.unfinished;
        if (!o.consistent) ++want.unfinished_inconsistent;
        continue;
      }
      (o.accepted ? want.accepted : want.rejected) += 1;
      if (o.accepted && !o.consistent) ++want.accepted_inconsistent;
      if (!o.accepted && o.consistent) ++want.false_rejections;
      if (o.channel_state_ok == false) ++want.channel_state_wrong;
    }
    const Counters& got = fast.counters;
    if (got.initiated != want.initiated || got.accepted != want.accepted ||
        got.rejected != want.rejected || got.unfinished != want.unfinished ||
        got.accepted_inconsistent != want.accepted_inconsistent ||
        got.false_rejections != want.false_rejections ||
        got.unfinished_inconsistent != want.unfinished_inconsistent ||
        got.channel_state_wrong != want.channel_state_wrong || got.cut_short != want.cut_short)
      return "counters differ from the oracle's";
  }

  // Online, with and without witnesses.
  OnlineChecker online;
  Replay(lines, online);
  const CheckReport on = online.TakeReport();
  if (on.error) return "online error: " + on.error->message;
  if (ReportText(on) != ReportText(fast)) return "online report differs";

  // Online, with the records scattered through the events.
  OnlineChecker scattered;
  Replay(ScatterRecords(lines, shuffle_seed, false), scattered);
  const CheckReport sc = scattered.TakeReport();
  if (sc.error) return "online (records scattered) error: " + sc.error->message;
  if (ReportText(sc) != ReportText(fast)) return "online report (records scattered) differs";

  // Online, with the records scattered, a channel's consecutive ids in runs
  // among them, and runs of one actor's snapshots in one call.
  OnlineChecker scattered_runs;
  Replay(ScatterRecords(lines, shuffle_seed, true), scattered_runs, /*snapshot_runs=*/true);
  const CheckReport sr = scattered_runs.TakeReport();
  if (sr.error) return "online (records scattered in runs) error: " + sr.error->message;
  if (ReportText(sr) != ReportText(fast))
    return "online report (records scattered in runs) differs";

  // Online, with runs of one actor's snapshots in one call.
  OnlineChecker runs;
  Replay(lines, runs, /*snapshot_runs=*/true);
  const CheckReport ru = runs.TakeReport();
  if (ru.error) return "online (snapshot runs) error: " + ru.error->message;
  if (ReportText(ru) != ReportText(fast)) return "online report (snapshot runs) differs";

  OnlineChecker::Options lean;
  lean.record_witnesses = false;
  OnlineChecker online_lean(lean);
  Replay(lines, online_lean, /*snapshot_runs=*/true);
  CheckReport no_witness = online_lean.TakeReport();
  for (auto& s : no_witness.snapshots)
    if (!s.witness.empty()) return "lean online produced a witness";
  CompactTrace again = ReadOrDie(jsonl);
  auto offline_lean = CheckTrace(again, false);
  if (ReportText(no_witness) != ReportText(std::get<CheckReport>(offline_lean)))
    return "lean online report differs";
  return "";
}

}  // namespace snapsim::checker::testing
