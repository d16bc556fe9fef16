// Running a sweep: `snapsim sweep` and `snapsim merge`.
//
// RunSweepCommand loads the scenario and its sweep section, checks the output
// folder (a folder holding a different sweep's results, or this sweep's
// without --resume, is refused and left untouched), and runs the pending
// runs of its shard on `jobs` threads. Each finished run is stored at once
// (see sweep_results.h), so the sweep can be killed at any moment and
// continued with --resume. At the end results.csv and aggregate.csv are
// rebuilt from every row file in the folder.
//
// Threads: each worker loads its run's scenario and runs it on its own
// engine; nothing is shared between runs but the read-only SweepSpec. The
// progress reporter serialises its output with a mutex.
//
// Exit codes, as for the rest of snapsim: 0 success; 2 bad input (scenario,
// sweep section, arguments, an output folder that is not ours to write);
// 3 a result could not be written, or a run failed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "experiments/sweep/sweep_results.h"
#include "experiments/sweep/sweep_spec.h"

namespace snapsim::sweep {

struct SweepArgs {
  std::string scenario;
  std::string out_dir;
  unsigned jobs = 0;                // threads; 0: one per core. Default: 0
  bool resume = false;              // continue a sweep in out_dir, skipping finished runs
  bool allow_mixed_builds = false;  // resume even when out_dir's runs came from another build
  std::string shard;                // "I/N" (1 <= I <= N): runs whose index % N == I - 1
  bool per_run = false;             // also write runs/<run>/summary.json and snapshots.csv
  bool mpi = false;                 // spread the runs over MPI ranks (mpirun)
  bool list = false;        // print the runs (index, point, repetition, seed, values); run none
  bool progress = true;     // progress on stderr
  std::optional<bool> tty;  // progress as a redrawn bar; nullopt: isatty(stderr)
  SweepLoadOptions load;
};

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out_dir;
  bool allow_missing = false;       // write the tables even when runs are missing
  bool allow_mixed_builds = false;  // merge runs made by different snapsim commits
};

int RunSweepCommand(const SweepArgs& args, std::ostream& out, std::ostream& err);
int RunMergeCommand(const MergeArgs& args, std::ostream& out, std::ostream& err);

// A deterministic slice of the runs, for job arrays: shard I of N takes the
// runs whose index % N == I - 1.
struct Shard {
  std::uint32_t index = 1;  // 1-based
  std::uint32_t count = 1;
  bool Contains(std::size_t run_index) const { return run_index % count == index - 1; }
  std::string Text() const { return std::to_string(index) + "/" + std::to_string(count); }
};
// Parses "I/N"; empty text is the whole sweep (1/1).
std::optional<Shard> ParseShard(const std::string& text, std::string* error);

// One run, carried out: its row, or why it failed.
struct RunResult {
  RunKey key;
  std::optional<Row> row;
  std::vector<std::pair<std::string, std::string>> files;  // per-run files: name -> contents
  std::string error;
  int error_code = 0;  // 2: the run's scenario did not load; 3: the run failed
};
RunResult ExecuteRun(const SweepSpec& spec, const RunKey& key, bool per_run);
// Stores a finished run under dir/runs: its per-run files first, the row
// file last (atomically): the row file's presence means the run is done.
bool StoreResult(const std::string& dir, const RunResult& result, std::string* error);

// Checks the output folder for this sweep, creates it, writes the manifest
// (when new) and removes leftovers of interrupted writes. Returns 0, or 2
// (the folder is not ours to write, or holds runs of another snapsim commit
// and !allow_mixed_builds: one build's random draws and protocol code are
// not another's, so their rows must not land in one table unasked) or 3
// (cannot write) with *error; on success *done holds the indices of the
// finished runs, and *warning says when rows of two builds were mixed.
int PrepareOutput(const SweepSpec& spec, const std::string& dir, bool resume,
                  bool allow_mixed_builds, const Shard& shard, std::set<std::size_t>* done,
                  std::string* error, std::string* warning);

// The runs of a shard that are not done yet, in index order.
std::vector<std::size_t> PendingRuns(const SweepSpec& spec, const Shard& shard,
                                     const std::set<std::size_t>& done);

// Runs `runs` on `jobs` threads; `sink` is called on the worker thread with
// each result, as soon as it is ready.
void RunPool(const SweepSpec& spec, const std::vector<std::size_t>& runs, unsigned jobs,
             bool per_run, const std::function<void(RunResult&&)>& sink);

// Progress on stderr: runs done, rate, time left. On a terminal, a bar
// redrawn at most 10 times a second; otherwise a plain line at most every
// 2 seconds, and a last one at the end. Thread-safe.
class Progress {
 public:
  Progress(std::ostream& err, std::size_t total, bool enabled, bool tty);
  void Done(std::size_t n = 1);
  void Finish();

 private:
  void PrintLocked(bool final);
  std::mutex mu_;
  std::ostream& err_;
  std::size_t total_, done_ = 0;
  bool enabled_, tty_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// True when snapsim was built with MPI (libopenmpi-dev present at build time).
bool MpiAvailable();
// The --mpi sweep: rank 0 checks the folder and hands every rank its share of
// the pending runs; the other ranks send their rows to rank 0, which stores
// them and writes the tables. Only rank 0 writes files or prints.
int RunSweepMpi(const SweepArgs& args, std::ostream& out, std::ostream& err);

// Shared by the threaded and MPI sweeps: the final tables and report.
int FinishSweep(const SweepSpec& spec, const std::string& dir, std::size_t ran, std::size_t skipped,
                const std::vector<RunResult>& failures, double wall_seconds, std::ostream& out,
                std::ostream& err);

}  // namespace snapsim::sweep
