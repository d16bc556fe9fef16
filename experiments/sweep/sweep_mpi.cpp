// snapsim sweep --mpi: the runs spread over MPI ranks (built only when Open
// MPI's development files are present; see CMakeLists.txt).
//
// Rank 0 reads the scenario and broadcasts its text (the other ranks need not
// see the file), checks and prepares the output folder and broadcasts the
// finished runs. Every rank then takes every size-th pending run and runs it
// on its own threads (--jobs; default 1 per rank, as MPI places one rank per
// core). Ranks other than 0 send each result to rank 0 as soon as it is
// ready; rank 0 stores it (so an interrupted MPI sweep resumes like any
// other), and at the end writes the tables. Only rank 0 touches the folder
// or prints. MPI calls are made from each rank's main thread only
// (MPI_THREAD_FUNNELED); worker threads hand results over through a queue.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "experiments/sweep/sweep_runner.h"

#ifdef SNAPSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace snapsim::sweep {

#ifndef SNAPSIM_HAVE_MPI

bool MpiAvailable() { return false; }
int RunSweepMpi(const SweepArgs&, std::ostream&, std::ostream& err) {
  err << "snapsim: --mpi: built without MPI\n";
  return 2;
}

#else

bool MpiAvailable() { return true; }

namespace {

constexpr int kTagResult = 1;
constexpr int kTagDone = 2;

void BcastString(std::string& s, int rank) {
  long long n = static_cast<long long>(s.size());
  MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (rank != 0) s.assign(static_cast<std::size_t>(n), '\0');
  if (n > 0) MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
}

int BcastInt(int v) {
  MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return v;
}

std::string Serialize(const RunResult& r) {
  nlohmann::ordered_json j;
  j["point"] = r.key.point;
  j["repetition"] = r.key.repetition;
  j["seed"] = r.key.seed;
  j["row"] = r.row ? RowToJson(*r.row) : nlohmann::ordered_json(nullptr);
  j["files"] = nlohmann::ordered_json::array();
  for (const auto& [name, contents] : r.files) j["files"].push_back({name, contents});
  j["error"] = r.error;
  j["code"] = r.error_code;
  return j.dump();
}

RunResult Deserialize(const std::string& text) {
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  RunResult r;
  r.key.point = j["point"].get<std::size_t>();
  r.key.repetition = j["repetition"].get<std::uint32_t>();
  r.key.seed = j["seed"].get<std::uint64_t>();
  if (!j["row"].is_null()) r.row = RowFromJson(j["row"]);
  for (const auto& f : j["files"])
    r.files.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
  r.error = j["error"].get<std::string>();
  r.error_code = j["code"].get<int>();
  if (!r.row && r.error.empty()) {
    r.error = "a result from another rank was unreadable";
    r.error_code = 3;
  }
  return r;
}

// Results of this rank's worker threads, waiting for the main thread.
struct Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<RunResult> items;
  bool finished = false;
};

int Run(const SweepArgs& args, std::ostream& out, std::ostream& err, int rank, int size) {
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  const std::optional<Shard> shard = ParseShard(args.shard, &error);  // checked by the caller

  // The scenario text, from rank 0.
  std::string text;
  int code = 0;
  if (rank == 0) {
    std::ifstream in(args.scenario, std::ios::binary);
    if (!in) {
      err << fmt::format("snapsim: {}: cannot open the scenario file\n", args.scenario);
      code = 2;
    } else {
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
  }
  if ((code = BcastInt(code)) != 0) return code;
  BcastString(text, rank);
  const std::string dir = std::filesystem::path(args.scenario).parent_path().string();
  SweepLoadResult loaded = LoadSweepText(text, args.scenario, dir.empty() ? "." : dir, args.load);
  if (!loaded.error.empty()) {
    if (rank == 0) err << "snapsim: " << loaded.error << "\n";
    return 2;
  }
  const SweepSpec& spec = *loaded.spec;
  if (args.out_dir.empty()) {
    if (rank == 0) err << "snapsim: sweep: --out DIR is required\n";
    return 2;
  }

  // The folder and the finished runs, from rank 0.
  std::set<std::size_t> done;
  if (rank == 0) {
    std::string warning;
    code = PrepareOutput(spec, args.out_dir, args.resume, args.allow_mixed_builds, *shard, &done,
                         &error, &warning);
    if (code) err << "snapsim: " << error << "\n";
    if (!warning.empty()) err << "snapsim: warning: " << warning << "\n";
  }
  if ((code = BcastInt(code)) != 0) return code;
  std::string done_text;
  if (rank == 0) {
    nlohmann::json d = nlohmann::json::array();
    for (std::size_t i : done) d.push_back(i);
    done_text = d.dump();
  }
  BcastString(done_text, rank);
  if (rank != 0)
    for (const auto& i : nlohmann::json::parse(done_text)) done.insert(i.get<std::size_t>());

  const std::vector<std::size_t> pending = PendingRuns(spec, *shard, done);
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(rank); i < pending.size();
       i += static_cast<std::size_t>(size))
    mine.push_back(pending[i]);
  std::size_t in_shard = 0;
  for (std::size_t i = 0; i < spec.RunCount(); ++i) in_shard += shard->Contains(i);

  const unsigned jobs = args.jobs ? args.jobs : 1;
  if (rank == 0 && args.progress)
    err << fmt::format("sweep {}: {} runs{}, {} to do, on {} MPI ranks x {} threads\n", spec.name,
                       in_shard, shard->count > 1 ? " in shard " + shard->Text() : "",
                       pending.size(), size, jobs);
  Queue queue;
  std::thread pool([&] {
    RunPool(spec, mine, jobs, args.per_run, [&](RunResult&& r) {
      std::lock_guard<std::mutex> lock(queue.mu);
      queue.items.push_back(std::move(r));
      queue.cv.notify_one();
    });
    std::lock_guard<std::mutex> lock(queue.mu);
    queue.finished = true;
    queue.cv.notify_one();
  });

  std::vector<RunResult> failures;
  if (rank == 0) {
    Progress progress(err, pending.size(), args.progress,
                      args.tty ? *args.tty : isatty(STDERR_FILENO) != 0);
    auto store = [&](RunResult&& r) {
      std::string store_error;
      if (r.row && !StoreResult(args.out_dir, r, &store_error)) {
        r.error = store_error;
        r.error_code = 3;
        r.row.reset();
      }
      if (!r.row) failures.push_back(std::move(r));
      progress.Done();
    };
    int remote_done = 0;
    bool local_done = false;
    while (!local_done || remote_done < size - 1) {
      bool busy = false;
      {
        std::unique_lock<std::mutex> lock(queue.mu);
        if (!queue.items.empty()) {
          RunResult r = std::move(queue.items.front());
          queue.items.pop_front();
          lock.unlock();
          store(std::move(r));
          busy = true;
        } else if (queue.finished) {
          local_done = true;
        }
      }
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
      if (flag) {
        int count = 0;
        MPI_Get_count(&status, MPI_CHAR, &count);
        std::string msg(static_cast<std::size_t>(count), '\0');
        MPI_Recv(msg.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (status.MPI_TAG == kTagDone) {
          ++remote_done;
        } else {
          RunResult r;
          try {
            r = Deserialize(msg);
          } catch (const std::exception& e) {
            r.error = fmt::format("a result from rank {} was unreadable: {}", status.MPI_SOURCE,
                                  e.what());
            r.error_code = 3;
          }
          store(std::move(r));
        }
        busy = true;
      }
      if (!busy) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    pool.join();
    progress.Finish();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    code = FinishSweep(spec, args.out_dir, pending.size() - failures.size(),
                       in_shard - pending.size(), failures, wall, out, err);
  } else {
    for (;;) {
      std::unique_lock<std::mutex> lock(queue.mu);
      queue.cv.wait(lock, [&] { return !queue.items.empty() || queue.finished; });
      if (queue.items.empty()) break;
      RunResult r = std::move(queue.items.front());
      queue.items.pop_front();
      lock.unlock();
      std::string msg = Serialize(r);
      MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kTagResult, MPI_COMM_WORLD);
    }
    pool.join();
    char none = 0;
    MPI_Send(&none, 0, MPI_CHAR, 0, kTagDone, MPI_COMM_WORLD);
  }
  return BcastInt(code);
}

}  // namespace

int RunSweepMpi(const SweepArgs& args, std::ostream& out, std::ostream& err) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int code = Run(args, out, err, rank, size);
  MPI_Finalize();
  return code;
}

#endif

}  // namespace snapsim::sweep
