#include "experiments/sweep/sweep_runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "experiments/results.h"
#include "experiments/runner.h"
#include "experiments/version.h"

namespace snapsim::sweep {

namespace fs = std::filesystem;

std::optional<Shard> ParseShard(const std::string& text, std::string* error) {
  Shard s;
  if (text.empty()) return s;
  const auto slash = text.find('/');
  auto parse = [](const std::string& t, std::uint32_t* v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *v);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  if (slash == std::string::npos || !parse(text.substr(0, slash), &s.index) ||
      !parse(text.substr(slash + 1), &s.count)) {
    *error = fmt::format("--shard {}: expected I/N with whole numbers, e.g. 1/4", text);
    return std::nullopt;
  }
  if (s.count < 1 || s.count > 1'000'000) {
    *error = fmt::format("--shard {}: the shard count must be between 1 and 1000000", text);
    return std::nullopt;
  }
  if (s.index < 1 || s.index > s.count) {
    *error = fmt::format(
        "--shard {}: shard {} of {} does not exist (expected I/N with 1 <= I <= N, e.g. 1/{})",
        text, s.index, s.count, s.count);
    return std::nullopt;
  }
  return s;
}

RunResult ExecuteRun(const SweepSpec& spec, const RunKey& key, bool per_run) {
  RunResult result;
  result.key = key;
  try {
    LoadResult loaded = LoadRun(spec, key);
    if (!loaded.error.empty()) {
      result.error = loaded.error;
      result.error_code = 2;
      return result;
    }
    RunOptions options;
    options.progress = false;
    options.witnesses = false;  // verdicts are kept; witness chains would cost memory
    const RunOutput run = RunScenario(*loaded.scenario, options);
    if (!run.error.empty()) {
      result.error = fmt::format("run {} (point {}, repetition {}, seed {}): {}",
                                 RunDirName(key.point, key.repetition), key.point, key.repetition,
                                 key.seed, run.error);
      result.error_code = 3;
      return result;
    }
    const nlohmann::json summary = SummaryJson(*loaded.scenario, run);
    result.row = MakeRow(spec, key, summary);
    if (per_run) {
      result.files.emplace_back("snapshots.csv", SnapshotsCsv(*loaded.scenario, run));
      result.files.emplace_back("summary.json", summary.dump(2) + "\n");
    }
  } catch (const std::exception& e) {
    result.row.reset();
    result.error = fmt::format("run {}: {}", RunDirName(key.point, key.repetition), e.what());
    result.error_code = 3;
  }
  return result;
}

bool StoreResult(const std::string& dir, const RunResult& result, std::string* error) {
  const fs::path runs = fs::path(dir) / "runs";
  const RunKey& k = result.key;
  if (!result.files.empty()) {
    const fs::path run_dir = runs / RunDirName(k.point, k.repetition);
    std::error_code ec;
    fs::create_directories(run_dir, ec);
    if (ec) {
      *error = fmt::format("{}: cannot create the folder: {}", run_dir.string(), ec.message());
      return false;
    }
    for (const auto& [name, contents] : result.files)
      if (!WriteFileAtomic((run_dir / name).string(), contents, error)) return false;
  }
  return WriteFileAtomic((runs / RowFileName(k.point, k.repetition)).string(),
                         RowToJson(*result.row).dump() + "\n", error);
}

namespace {

bool FolderIsEmpty(const fs::path& p) {
  std::error_code ec;
  return fs::directory_iterator(p, ec) == fs::directory_iterator();
}

// Leftovers of writes interrupted by a kill: "*.tmp" files.
void RemoveTemporaries(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> tmp;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".tmp") tmp.push_back(e.path());
  for (const auto& p : tmp) fs::remove(p, ec);
}

// The commit a sweep folder's manifest names ("unknown" when it names none).
std::string ManifestCommit(const nlohmann::json& manifest) {
  const auto it = manifest.find("snapsim");
  return it != manifest.end() && it->is_object() ? it->value("commit", "unknown") : "unknown";
}

// The commit that made a row: its own, or (rows written before rows named
// it) the commit of the folder's manifest.
const std::string& MadeBy(const Row& row, const std::string& manifest_commit) {
  return row.commit.empty() ? manifest_commit : row.commit;
}

}  // namespace

int PrepareOutput(const SweepSpec& spec, const std::string& dir_text, bool resume,
                  bool allow_mixed_builds, const Shard& shard, std::set<std::size_t>* done,
                  std::string* error, std::string* warning) {
  const fs::path dir(dir_text);
  std::error_code ec;
  bool fresh = true;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      *error = fmt::format("{}: exists and is not a folder (expected a folder for the results)",
                           dir_text);
      return 2;
    }
    if (fs::exists(dir / "manifest.json", ec)) {
      std::string merr;
      std::optional<nlohmann::json> m = ReadManifest(dir_text, &merr);
      if (!m) {
        *error = merr + "; nothing was overwritten";
        return 2;
      }
      const std::string id = (*m)["identity"].get<std::string>();
      if (id != spec.identity) {
        const auto& sc = (*m)["scenario"];
        *error = fmt::format(
            "{}: holds the results of a different sweep (scenario '{}' from {}, identity {}; this "
            "is '{}' from {}, identity {}); nothing was overwritten (expected a new or empty "
            "folder, or the same scenario file, --seed and --set options)",
            dir_text, sc.value("name", "?"), sc.value("file", "?"), id, spec.name, spec.file,
            spec.identity);
        return 2;
      }
      const std::vector<Row> rows = ReadRows(dir_text);
      if (!resume && !rows.empty()) {
        *error = fmt::format(
            "{}: already holds {} finished runs of this sweep; nothing was overwritten (expected "
            "--resume to continue it, or another folder)",
            dir_text, rows.size());
        return 2;
      }
      // Each row names the commit that made it (older rows: the manifest's).
      const std::string started_by = ManifestCommit(*m);
      std::size_t other = 0;
      std::string other_commit;
      for (const Row& r : rows) {
        const std::string& made_by = MadeBy(r, started_by);
        if (made_by != kSnapsimCommit && other++ == 0) other_commit = made_by;
      }
      if (other > 0) {
        if (!allow_mixed_builds) {
          *error = fmt::format(
              "{}: {} of its {} finished runs were made by another snapsim commit (first: {}), "
              "this is {}: resuming would put rows of two builds in one table; nothing was "
              "overwritten (expected another folder, or --allow-mixed-builds to mix them)",
              dir_text, other, rows.size(), other_commit, kSnapsimCommit);
          return 2;
        }
        *warning = fmt::format(
            "{}: {} finished runs were made by another snapsim commit (first: {}), this is {}: "
            "rows from both builds will be mixed",
            dir_text, other, other_commit, kSnapsimCommit);
      }
      fresh = false;
      for (const Row& r : rows) {
        if (r.point >= spec.points.size() || r.repetition >= spec.repetitions) continue;
        const std::size_t index = r.point * spec.repetitions + r.repetition;
        if (spec.Run(index).seed == r.seed) done->insert(index);
      }
    } else if (!FolderIsEmpty(dir)) {
      *error = fmt::format(
          "{}: exists and is not a sweep folder (no manifest.json); nothing was overwritten "
          "(expected a new or empty folder)",
          dir_text);
      return 2;
    }
  }
  fs::create_directories(dir / "runs", ec);
  if (ec) {
    *error = fmt::format("{}: cannot create the folder: {}", (dir / "runs").string(), ec.message());
    return 3;
  }
  RemoveTemporaries(dir);
  if (fresh && !WriteFileAtomic(
                   (dir / "manifest.json").string(),
                   MakeManifest(spec, shard.count > 1 ? shard.Text() : "").dump(2) + "\n", error))
    return 3;
  return 0;
}

std::vector<std::size_t> PendingRuns(const SweepSpec& spec, const Shard& shard,
                                     const std::set<std::size_t>& done) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < spec.RunCount(); ++i)
    if (shard.Contains(i) && !done.count(i)) out.push_back(i);
  return out;
}

void RunPool(const SweepSpec& spec, const std::vector<std::size_t>& runs, unsigned jobs,
             bool per_run, const std::function<void(RunResult&&)>& sink) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= runs.size()) return;
      sink(ExecuteRun(spec, spec.Run(runs[i]), per_run));
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(runs.size())));
  if (n == 1) {
    work();
    return;
  }
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
}

Progress::Progress(std::ostream& err, std::size_t total, bool enabled, bool tty)
    : err_(err), total_(total), enabled_(enabled && total > 0), tty_(tty) {
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::Done(std::size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ += n;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto since = now - last_;
  // The last line is Finish's.
  if (done_ >= total_ ||
      since < (tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000)))
    return;
  last_ = now;
  PrintLocked(false);
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!enabled_ || finished_) return;
  finished_ = true;
  PrintLocked(true);
}

void Progress::PrintLocked(bool final) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0;
  std::string left = "";
  if (done_ < total_ && rate > 0) {
    const double s = (total_ - done_) / rate;
    left = s < 90 ? fmt::format(", about {:.0f} s left", s)
                  : fmt::format(", about {:.1f} min left", s / 60);
  }
  const int pct = total_ ? static_cast<int>(100.0 * done_ / total_) : 100;
  if (tty_) {
    const int width = 24,
              filled = static_cast<int>(width * done_ / std::max<std::size_t>(total_, 1));
    err_ << fmt::format("\r\x1b[2Ksweep [{}{}] {}/{} runs ({}%), {:.1f} runs/s{}",
                        std::string(filled, '#'), std::string(width - filled, '.'), done_, total_,
                        pct, rate, final ? fmt::format(" in {:.1f} s", elapsed) : left);
    if (final) err_ << "\n";
  } else {
    err_ << fmt::format("sweep: {}/{} runs done ({}%), {:.1f} runs/s{}\n", done_, total_, pct, rate,
                        final ? fmt::format(", {:.1f} s", elapsed) : left);
  }
  err_.flush();
}

int FinishSweep(const SweepSpec& spec, const std::string& dir, std::size_t ran, std::size_t skipped,
                const std::vector<RunResult>& failures, double wall_seconds, std::ostream& out,
                std::ostream& err) {
  std::vector<std::string> bad;
  const std::vector<Row> rows = ReadRows(dir, &bad);
  for (const auto& b : bad)
    err << fmt::format("snapsim: warning: {}: unreadable row file, run counted as unfinished\n", b);
  std::string error;
  if (!WriteTables(dir, rows, &error)) {
    err << "snapsim: " << error << "\n";
    return 3;
  }
  out << fmt::format(
      "sweep {}: {} points x {} repetitions = {} runs; {} run now, {} already done, {} in the "
      "folder; {:.1f} s\n  results  {}/results.csv, {}/aggregate.csv\n",
      spec.name, spec.points.size(), spec.repetitions, spec.RunCount(), ran, skipped, rows.size(),
      wall_seconds, dir, dir);
  int code = 0;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (i < 5) err << "snapsim: " << failures[i].error << "\n";
    code = std::max(code, failures[i].error_code);
  }
  if (failures.size() > 5)
    err << fmt::format("snapsim: ... and {} more failed runs\n", failures.size() - 5);
  if (!failures.empty())
    err << fmt::format("snapsim: {} runs failed; the others are stored (rerun with --resume)\n",
                       failures.size());
  return code;
}

namespace {

int ListRuns(const SweepSpec& spec, const Shard& shard, std::ostream& out) {
  out << "run,point,repetition,seed";
  for (const auto& p : spec.params) out << "," << p.key;
  out << "\n";
  for (std::size_t i = 0; i < spec.RunCount(); ++i) {
    if (!shard.Contains(i)) continue;
    const RunKey k = spec.Run(i);
    out << fmt::format("{},{},{},{}", i, k.point, k.repetition, k.seed);
    for (std::size_t j = 0; j < spec.params.size(); ++j) {
      const std::string& v = spec.Value(spec.points[k.point], j);
      out << "," << (v.find_first_of(",\"") == std::string::npos ? v : "\"" + v + "\"");
    }
    out << "\n";
  }
  return 0;
}

}  // namespace

int RunSweepCommand(const SweepArgs& args, std::ostream& out, std::ostream& err) {
  std::string error;
  const std::optional<Shard> shard = ParseShard(args.shard, &error);
  if (!shard) {
    err << "snapsim: " << error << "\n";
    return 2;
  }
  if (args.mpi) {
    if (!MpiAvailable()) {
      err << "snapsim: --mpi: this snapsim was built without MPI (install Debian's "
             "libopenmpi-dev and rebuild), or use --shard I/N and snapsim merge\n";
      return 2;
    }
    return RunSweepMpi(args, out, err);
  }
  SweepLoadResult loaded = LoadSweep(args.scenario, args.load);
  if (!loaded.error.empty()) {
    err << "snapsim: " << loaded.error << "\n";
    return 2;
  }
  const SweepSpec& spec = *loaded.spec;
  if (args.list) return ListRuns(spec, *shard, out);
  if (args.out_dir.empty()) {
    err << "snapsim: sweep: --out DIR is required (expected a folder for the results)\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  std::set<std::size_t> done;
  std::string warning;
  if (int code = PrepareOutput(spec, args.out_dir, args.resume, args.allow_mixed_builds, *shard,
                               &done, &error, &warning)) {
    err << "snapsim: " << error << "\n";
    return code;
  }
  if (!warning.empty()) err << "snapsim: warning: " << warning << "\n";
  const std::vector<std::size_t> pending = PendingRuns(spec, *shard, done);
  std::size_t in_shard = 0;
  for (std::size_t i = 0; i < spec.RunCount(); ++i) in_shard += shard->Contains(i);
  const unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (args.progress)
    err << fmt::format("sweep {}: {} runs{}, {} to do{}\n", spec.name, in_shard,
                       shard->count > 1 ? " in shard " + shard->Text() : "", pending.size(),
                       pending.empty() ? ""
                                       : fmt::format(", on {} threads",
                                                     std::min<std::size_t>(jobs, pending.size())));
  Progress progress(err, pending.size(), args.progress,
                    args.tty ? *args.tty : isatty(STDERR_FILENO) != 0);
  std::mutex mu;
  std::vector<RunResult> failures;
  RunPool(spec, pending, jobs, args.per_run, [&](RunResult&& r) {
    std::string store_error;
    if (r.row && !StoreResult(args.out_dir, r, &store_error)) {
      r.error = store_error;
      r.error_code = 3;
      r.row.reset();
    }
    if (!r.row) {
      std::lock_guard<std::mutex> lock(mu);
      failures.push_back(std::move(r));
    }
    progress.Done();
  });
  progress.Finish();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return FinishSweep(spec, args.out_dir, pending.size() - failures.size(),
                     in_shard - pending.size(), failures, wall, out, err);
}

int RunMergeCommand(const MergeArgs& args, std::ostream& out, std::ostream& err) {
  if (args.dirs.empty()) {
    err << "snapsim: merge: expected at least one sweep folder\n";
    return 2;
  }
  std::optional<nlohmann::json> first;
  std::string first_dir;
  std::map<std::size_t, std::pair<Row, std::string>> runs;  // run index -> row, folder
  std::map<std::string, std::string> commits;  // commit that made runs -> a folder holding some
  std::uint64_t repetitions = 1, total = 0;
  for (const std::string& dir : args.dirs) {
    std::string error;
    std::optional<nlohmann::json> m = ReadManifest(dir, &error);
    if (!m) {
      err << "snapsim: " << error << " (expected a folder written by snapsim sweep)\n";
      return 2;
    }
    if (!first) {
      first = m;
      first_dir = dir;
      repetitions = (*m)["sweep"].value("repetitions", 1);
      total = (*m)["sweep"].value("runs", 0);
    } else if ((*m)["identity"] != (*first)["identity"]) {
      err << fmt::format(
          "snapsim: {}: holds a different sweep than {} (identity {} vs {}); nothing was written "
          "(expected shards of one sweep: same scenario file, --seed and --set)\n",
          dir, first_dir, (*m)["identity"].get<std::string>(),
          (*first)["identity"].get<std::string>());
      return 2;
    }
    const std::string manifest_commit = ManifestCommit(*m);
    std::vector<std::string> bad;
    for (Row& r : ReadRows(dir, &bad)) {
      commits.emplace(MadeBy(r, manifest_commit), dir);
      const std::size_t index = r.point * repetitions + r.repetition;
      auto it = runs.find(index);
      if (it != runs.end()) {
        // The same results, whichever build made them (builds are checked below).
        nlohmann::ordered_json a = RowToJson(it->second.first), b = RowToJson(r);
        for (const char* key : {"host", "commit"}) {
          a.erase(key);
          b.erase(key);
        }
        if (a != b) {
          err << fmt::format(
              "snapsim: run {} differs between {} and {}; nothing was written (expected the "
              "same results from the same sweep: were they made by different snapsim builds?)\n",
              RunDirName(r.point, r.repetition), it->second.second, dir);
          return 2;
        }
        continue;
      }
      runs.emplace(index, std::make_pair(std::move(r), dir));
    }
    for (const auto& b : bad)
      err << "snapsim: warning: " << b << ": unreadable row file, skipped\n";
  }
  // Rows of one table come from one build, unless asked otherwise.
  if (commits.size() > 1) {
    auto a = commits.begin(), b = std::next(a);
    const std::string text = fmt::format(
        "merge: the runs were made by {} snapsim commits ({} in {}, {} in {}{})", commits.size(),
        a->first, a->second, b->first, b->second, commits.size() > 2 ? ", ..." : "");
    if (!args.allow_mixed_builds) {
      err << "snapsim: " << text
          << "; nothing was written (expected shards run by one build, or "
             "--allow-mixed-builds)\n";
      return 2;
    }
    err << "snapsim: warning: " << text << ": rows from several builds are mixed\n";
  }
  if (runs.size() < total && !args.allow_missing) {
    std::string missing;
    int shown = 0;
    for (std::size_t i = 0; i < total && shown < 3; ++i)
      if (!runs.count(i)) {
        missing += (shown++ ? ", " : "") + RunDirName(i / repetitions, i % repetitions);
      }
    err << fmt::format(
        "snapsim: merge: {} of {} runs are missing (first: {}); nothing was written (expected "
        "every shard's folder, or --allow-missing)\n",
        total - runs.size(), total, missing);
    return 2;
  }
  // The output folder: new, empty, or holding this same sweep.
  const fs::path outp(args.out_dir);
  std::error_code ec;
  if (fs::exists(outp, ec)) {
    if (fs::exists(outp / "manifest.json", ec)) {
      std::string error;
      std::optional<nlohmann::json> m = ReadManifest(args.out_dir, &error);
      if (!m || (*m)["identity"] != (*first)["identity"]) {
        err << fmt::format(
            "snapsim: {}: holds the results of a different sweep; nothing was written (expected "
            "a new or empty folder)\n",
            args.out_dir);
        return 2;
      }
    } else if (!fs::is_directory(outp, ec) || !FolderIsEmpty(outp)) {
      err << fmt::format(
          "snapsim: {}: exists and is not a sweep folder; nothing was written (expected a new or "
          "empty folder)\n",
          args.out_dir);
      return 2;
    }
  }
  fs::create_directories(outp / "runs", ec);
  if (ec) {
    err << fmt::format("snapsim: {}: cannot create the folder: {}\n", (outp / "runs").string(),
                       ec.message());
    return 3;
  }
  std::string error;
  std::vector<Row> rows;
  for (auto& [index, entry] : runs) {
    const auto& [row, dir] = entry;
    const fs::path src = fs::path(dir) / "runs";
    if (!fs::equivalent(src, outp / "runs", ec)) {
      const fs::path run_dir = src / RunDirName(row.point, row.repetition);
      if (fs::is_directory(run_dir, ec)) {
        fs::copy(run_dir, outp / "runs" / RunDirName(row.point, row.repetition),
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
        if (ec) {
          err << fmt::format("snapsim: {}: cannot copy: {}\n", run_dir.string(), ec.message());
          return 3;
        }
      }
      if (!WriteFileAtomic((outp / "runs" / RowFileName(row.point, row.repetition)).string(),
                           RowToJson(row).dump() + "\n", &error)) {
        err << "snapsim: " << error << "\n";
        return 3;
      }
    }
    rows.push_back(row);
  }
  nlohmann::json manifest = *first;
  manifest["shard"] = "";
  manifest["merged_from"] = args.dirs;
  if (!WriteFileAtomic((outp / "manifest.json").string(), manifest.dump(2) + "\n", &error) ||
      !WriteTables(args.out_dir, ReadRows(args.out_dir), &error)) {
    err << "snapsim: " << error << "\n";
    return 3;
  }
  out << fmt::format(
      "merge: {} of {} runs from {} folders\n  results  {}/results.csv, {}/aggregate.csv\n",
      runs.size(), total, args.dirs.size(), args.out_dir, args.out_dir);
  return 0;
}

}  // namespace snapsim::sweep
