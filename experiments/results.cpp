#include "experiments/results.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "checker/report_json.h"
#include "experiments/version.h"

namespace snapsim {

std::string SnapsimVersion() { return fmt::format("{} ({})", kSnapsimVersion, kSnapsimCommit); }

namespace {
template <typename T>
nlohmann::json Opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::int64_t Ns(const std::optional<SimTime>& t) { return t ? t->ns() : -1; }
}  // namespace

// Joins the protocol's records with the checker's reports, by snapshot id.
struct SnapshotRow {
  const SnapshotRecord* record = nullptr;
  const checker::SnapshotReport* report = nullptr;
};
std::map<SnapshotId, SnapshotRow> JoinSnapshots(const RunOutput& run) {
  std::map<SnapshotId, SnapshotRow> rows;
  for (const auto& [id, r] : run.snapshots.All()) rows[id].record = &r;
  if (run.check)
    for (const auto& rep : run.check->snapshots) rows[rep.id].report = &rep;
  return rows;
}

// Conservation of the workload's total, for snapshots the protocol closed.
std::optional<bool> Conserved(const SnapshotRecord& r, const RunOutput& run) {
  if (!run.conserved_total || !ClosedByProtocol(r, run.in_group)) return std::nullopt;
  return r.state_sum + r.channel_value_sum == *run.conserved_total;
}

nlohmann::json SnapshotCounters(const RunOutput& run) {
  nlohmann::json j;
  std::uint64_t closed = 0, conserved = 0, not_conserved = 0;
  for (const auto& [id, r] : run.snapshots.All()) {
    closed += ClosedByProtocol(r, run.in_group);
    if (auto c = Conserved(r, run)) (*c ? conserved : not_conserved) += 1;
  }
  if (run.check) {
    j = checker::CountersToJson(run.check->counters);
  } else {
    std::uint64_t accepted = 0, unfinished = 0;
    for (const auto& [id, r] : run.snapshots.All()) {
      unfinished += r.unfinished;
      accepted += !r.unfinished && r.accepted.value_or(true);
    }
    j = {{"initiated", run.snapshots.All().size()},
         {"accepted", accepted},
         {"rejected", run.snapshots.All().size() - accepted - unfinished},
         {"unfinished", unfinished},
         {"checked", false}};
  }
  j["closed_by_protocol"] = closed;
  const double seconds = run.stats.end_time.ns() / 1e9;
  // Among the snapshots the protocol finished (decided) before the run ended.
  const double decided = j["accepted"].get<double>() + j["rejected"].get<double>();
  j["rejection_rate"] = decided > 0 ? j["rejected"].get<double>() / decided : 0.0;
  j["effective_rate_hz"] = seconds > 0 ? j["accepted"].get<double>() / seconds : 0.0;
  j["conserved"] = conserved;
  j["not_conserved"] = not_conserved;
  return j;
}

nlohmann::json SummaryJson(const Scenario& scenario, const RunOutput& run) {
  const RunStats& st = run.stats;
  nlohmann::json j;
  j["snapsim"] = {{"version", kSnapsimVersion}, {"commit", kSnapsimCommit}};
  j["scenario"] = {{"name", scenario.name}, {"file", scenario.file}};
  j["seed"] = scenario.seed;
  j["config"] = scenario.resolved;
  j["run"] = {{"events", st.events},
              {"end_time_ns", st.end_time.ns()},
              {"stop_reason", StopReasonName(st.reason)},
              {"truncated", st.reason == StopReason::kResourceLimit},
              {"limit", st.reason == StopReason::kResourceLimit
                            ? nlohmann::json{{"name", std::string("limits.") + st.limit},
                                             {"value", st.limit_value}}
                            : nlohmann::json(nullptr)},
              {"hash", fmt::format("{:016x}", st.hash)},
              {"pending_events_max", st.pending_max},
              {"witnesses", run.witnesses}};
  j["messages"] = {{"app_sent", st.app_sent},
                   {"app_delivered", st.app_delivered},
                   {"app_lost", st.app_lost},
                   {"control_sent", st.control_sent},
                   {"control_delivered", st.control_delivered},
                   {"control_lost", st.control_lost},
                   {"in_flight_at_end", st.in_flight_end}};
  j["app_latency_ns"] = {{"count", st.app_latency.Count()},
                         {"mean", st.app_latency.Mean()},
                         {"p50", st.app_latency.Quantile(0.5)},
                         {"p99", st.app_latency.Quantile(0.99)},
                         {"max", st.app_latency.Max()}};
  j["gateways"] = {{"forwards", st.gateway_forwards}, {"held_max", st.held_max}};
  j["protocol"] = {{"kind", scenario.protocol.kind},
                   {"messages", st.control_sent},
                   {"bytes", st.control_sent * scenario.protocol.control_bytes}};
  for (const auto& [name, value] : run.protocol_figures) j["protocol"][name] = value;
  if (run.detector)
    j["detector"] = {{"judged", run.detector->judged},
                     {"true_positives", run.detector->true_positives},
                     {"false_positives", run.detector->false_positives},
                     {"true_negatives", run.detector->true_negatives},
                     {"false_negatives", run.detector->false_negatives}};
  if (run.baseline_latency) {
    const LogHistogram& base = *run.baseline_latency;
    j["app_latency_added_ns"] = {{"mean", st.app_latency.Mean() - base.Mean()},
                                 {"p99", st.app_latency.Quantile(0.99) - base.Quantile(0.99)},
                                 {"baseline_mean", base.Mean()},
                                 {"baseline_p99", base.Quantile(0.99)}};
  }
  j["snapshots"] = SnapshotCounters(run);
  j["host"] = {{"wall_time_s", run.wall_seconds},
               {"events_per_s", run.wall_seconds > 0 ? st.events / run.wall_seconds : 0.0},
               {"witness_replay_s", run.witness_replay_seconds},
               {"witness_wait_s", run.witness_wait_seconds}};
  return j;
}

std::string CsvQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string SnapshotsCsv(const Scenario& scenario, const RunOutput& run) {
  std::string out =
      "snapshot,initiated_ns,first_local_ns,last_local_ns,latency_ns,processes_recorded,"
      "complete,consistent,accepted,channel_state_ok,closed_by_protocol,state_sum,"
      "channel_messages,channel_value_sum,conserved,t0_ns,t1_ns,true_spread_ns,witness\n";
  auto opt = [](const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : std::string();
  };
  auto tri = [](const std::optional<bool>& v) {
    return v ? std::string(*v ? "true" : "false") : std::string();
  };
  static const SnapshotRecord kEmpty;
  for (const auto& [id, row] : JoinSnapshots(run)) {
    const SnapshotRecord& r = row.record ? *row.record : kEmpty;
    const checker::SnapshotReport* c = row.report;
    const std::int64_t latency =
        r.initiated_at && r.last_local ? (*r.last_local - *r.initiated_at).ns() : -1;
    std::string witness;
    if (c)
      for (const auto& hop : c->witness) witness += (witness.empty() ? "" : " -> ") + hop;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", id,
                       Ns(r.initiated_at), Ns(r.first_local), Ns(r.last_local), latency,
                       r.processes_recorded, c ? tri(c->complete) : "", c ? tri(c->consistent) : "",
                       r.unfinished ? ""
                       : c          ? tri(c->accepted)
                                    : tri(r.accepted.value_or(true)),
                       c ? tri(c->channel_state_ok) : "", tri(ClosedByProtocol(r, run.in_group)),
                       r.state_sum, r.channel_messages, r.channel_value_sum, tri(Conserved(r, run)),
                       opt(r.t0_ns), opt(r.t1_ns), opt(r.true_spread_ns),
                       witness.empty() ? "" : CsvQuote(witness));
  }
  return out;
}

void PrintHumanSummary(std::ostream& os, const Scenario& scenario, const RunOutput& run) {
  const RunStats& st = run.stats;
  const auto& actors = scenario.resolved["actors"];
  auto us = [](double ns) { return fmt::format("{:.1f} us", ns / 1000.0); };
  os << fmt::format("snapsim {}: {} (seed {}, workload {}, protocol {})\n", kSnapsimVersion,
                    scenario.name, scenario.seed,
                    scenario.resolved["workload"]["kind"].get<std::string>(),
                    scenario.protocol.kind);
  os << fmt::format("  actors     {} in-group, {} out-group, {} gateways{}\n",
                    actors["in_group"].get<std::size_t>(), actors["out_group"].get<std::size_t>(),
                    actors["gateways"].get<std::size_t>(),
                    actors["controller"].get<bool>() ? ", 1 controller" : "");
  os << fmt::format("  simulated  {:.3f} ms, {} events (stopped: {}), run hash {:016x}\n",
                    st.end_time.ns() / 1e6, st.events, StopReasonName(st.reason), st.hash);
  if (st.reason == StopReason::kResourceLimit)
    os << fmt::format("  TRUNCATED  the run reached limits.{} = {}; results cover the run so far\n",
                      st.limit, st.limit_value);
  os << fmt::format("  messages   {} app sent, {} delivered, {} lost; {} control\n", st.app_sent,
                    st.app_delivered, st.app_lost, st.control_sent);
  os << fmt::format("  latency    app messages: mean {}, p99 {}, max {}\n",
                    us(st.app_latency.Mean()), us(st.app_latency.Quantile(0.99)),
                    us(st.app_latency.Max()));
  if (run.baseline_latency)
    os << fmt::format(
        "  added      app latency vs protocol none: mean {:+.2f} us, p99 {:+.2f} us\n",
        (st.app_latency.Mean() - run.baseline_latency->Mean()) / 1000.0,
        (st.app_latency.Quantile(0.99) - run.baseline_latency->Quantile(0.99)) / 1000.0);
  if (st.gateway_forwards > 0)
    os << fmt::format("  gateways   {} messages forwarded into the in-group\n",
                      st.gateway_forwards);
  const nlohmann::json snaps = SnapshotCounters(run);
  if (snaps["initiated"].get<std::uint64_t>() > 0) {
    os << fmt::format(
        "  snapshots  {} initiated, {} accepted, {} rejected, {} unfinished at the end; {} closed "
        "by the protocol\n",
        snaps["initiated"].get<std::uint64_t>(), snaps["accepted"].get<std::uint64_t>(),
        snaps["rejected"].get<std::uint64_t>(), snaps["unfinished"].get<std::uint64_t>(),
        snaps["closed_by_protocol"].get<std::uint64_t>());
    if (run.check) {
      const checker::Counters& c = run.check->counters;
      os << fmt::format(
          "  checker    {} complete, {} consistent, {} inconsistent, {} false "
          "rejections, {} with wrong channel states{}\n",
          c.complete, c.consistent, c.inconsistent, c.false_rejections, c.channel_state_wrong,
          c.cut_short > 0 ? fmt::format(" ({} still being recorded at the end: channels with "
                                        "no record not judged)",
                                        c.cut_short)
                          : std::string());
      if (run.conserved_total)
        os << fmt::format(
            "  invariant  total {} conserved in {} of {} closed snapshots\n", *run.conserved_total,
            snaps["conserved"].get<std::uint64_t>(),
            snaps["conserved"].get<std::uint64_t>() + snaps["not_conserved"].get<std::uint64_t>());
      if (c.accepted_inconsistent > 0) {
        os << fmt::format("  VIOLATION  {} accepted snapshots are INCONSISTENT\n",
                          c.accepted_inconsistent);
        for (const auto& rep : run.check->snapshots) {
          if (!rep.accepted || rep.consistent) continue;
          std::string chain;
          for (const auto& hop : rep.witness) chain += (chain.empty() ? "" : " -> ") + hop;
          os << fmt::format("  witness    snapshot {}: {}\n", rep.id,
                            chain.empty() ? "(witnesses off)" : chain);
          break;
        }
      } else {
        os << "  verdict    no accepted snapshot is inconsistent\n";
      }
      if (c.unfinished_inconsistent > 0)
        os << fmt::format(
            "  note       {} unfinished snapshots are already inconsistent (not accepted, so "
            "no violation)\n",
            c.unfinished_inconsistent);
    }
  }
  if (run.detector)
    os << fmt::format(
        "  detector   {} snapshots judged: {} true positives, {} false positives, "
        "{} true negatives, {} false negatives\n",
        run.detector->judged, run.detector->true_positives, run.detector->false_positives,
        run.detector->true_negatives, run.detector->false_negatives);
  os << fmt::format("  wall time  {:.3f} s ({:.2f} M events/s)\n", run.wall_seconds,
                    run.wall_seconds > 0 ? st.events / run.wall_seconds / 1e6 : 0.0);
  if (run.witness_replay_seconds > 0)
    os << fmt::format(
        "             and {:.3f} s replaying the run to find the witnesses ({:.3f} s after the "
        "run)\n",
        run.witness_replay_seconds, run.witness_wait_seconds);
}

bool WriteFileAtomic(const std::string& path, const std::string& contents, std::string* error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      *error = fmt::format("{}: cannot write the file", path);
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    *error = fmt::format("{}: cannot move the finished file into place", path);
    return false;
  }
  return true;
}

bool WriteRunResults(const std::string& dir, const Scenario& scenario, const RunOutput& run,
                     std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("{}: cannot create the output folder: {}", dir, ec.message());
    return false;
  }
  // snapshots.csv first: summary.json appearing means the run's results are complete.
  return WriteFileAtomic(dir + "/snapshots.csv", SnapshotsCsv(scenario, run), error) &&
         WriteFileAtomic(dir + "/summary.json", SummaryJson(scenario, run).dump(2) + "\n", error);
}

}  // namespace snapsim
