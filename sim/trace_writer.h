// TraceWriter: a TraceSink that writes the JSON Lines interchange format
// (docs/trace-format.md).
//
// Lines are formatted into a 1 MiB buffer and written in large blocks. The
// file appears under its final name only when Finish() succeeds (written to
// "<path>.tmp" and renamed), so a failed run never leaves a half trace.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "sim/trace_sink.h"

namespace snapsim {

class TraceWriter : public TraceSink {
 public:
  // Opens "<path>.tmp" for writing; Ok() tells whether that worked.
  explicit TraceWriter(std::string path);
  // Calls `on_limit` once when more than `max_bytes` have been written.
  void SetLimit(std::uint64_t max_bytes, std::function<void()> on_limit) {
    max_bytes_ = max_bytes;
    on_limit_ = std::move(on_limit);
  }
  std::uint64_t BytesWritten() const { return written_ + buf_.size(); }
  ~TraceWriter() override;
  bool Ok() const { return file_ != nullptr; }
  const std::string& Path() const { return path_; }
  // Removes the temporary file (for runs that failed).
  void Abandon();

  void Actor(ActorId actor, std::string_view name, ActorGroup group) override;
  void Channel(ActorId from, ActorId to, bool fifo) override;
  void Send(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId to) override;
  void Recv(SimTime t, ActorId actor, MessageRef msg) override;
  void Internal(SimTime t, ActorId actor) override;
  void Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) override;
  void Verdict(SnapshotId id, bool accepted) override;
  void Unfinished(SnapshotId id) override;
  void CutShort(SnapshotId id) override;
  void ChannelState(SnapshotId id, ActorId from, ActorId to,
                    std::span<const MessageId> msgs) override;
  // Flushes and renames the file into place.
  void Finish() override;
  // True when Finish() completed (the file is in place).
  bool Finished() const { return finished_; }

 private:
  template <typename... Args>
  void Emit(fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), f, std::forward<Args>(args)...);
    if (buf_.size() >= kFlushBytes) Flush();
  }
  static constexpr std::size_t kFlushBytes = 1 << 20;
  void Flush();
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<std::string> names_;  // JSON-escaped, quoted actor names
  std::string buf_;
  bool finished_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t max_bytes_ = UINT64_MAX;
  std::function<void()> on_limit_;
};

// Escapes a string for a JSON string literal and quotes it.
std::string JsonQuote(std::string_view s);

}  // namespace snapsim
