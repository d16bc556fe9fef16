#include "sim/trace_writer.h"

#include <fmt/format.h>

#include <cstdio>

namespace snapsim {

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  out += '"';
  return out;
}

TraceWriter::TraceWriter(std::string path) : path_(std::move(path)) {
  file_ = std::fopen((path_ + ".tmp").c_str(), "wb");
  buf_.reserve(1 << 20);
}

TraceWriter::~TraceWriter() {
  if (!finished_) Abandon();
}

void TraceWriter::Abandon() {
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
    std::remove((path_ + ".tmp").c_str());
  }
}

void TraceWriter::Flush() {
  if (file_ && !buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), file_);
  written_ += buf_.size();
  buf_.clear();
  if (written_ > max_bytes_ && on_limit_) {
    on_limit_();
    on_limit_ = nullptr;
  }
}

void TraceWriter::Actor(ActorId actor, std::string_view name, ActorGroup group) {
  if (names_.size() <= actor) names_.resize(actor + 1);
  names_[actor] = JsonQuote(name);
  Emit("{{\"type\":\"actor\",\"name\":{},\"group\":\"{}\"}}\n", names_[actor], GroupName(group));
}

void TraceWriter::Channel(ActorId from, ActorId to, bool fifo) {
  Emit("{{\"type\":\"channel\",\"from\":{},\"to\":{},\"fifo\":{}}}\n", names_[from], names_[to],
       fifo);
}

void TraceWriter::Send(SimTime t, ActorId actor, MessageRef msg, ActorId to) {
  Emit("{{\"type\":\"send\",\"actor\":{},\"msg\":\"m{}\",\"to\":{},\"t\":{}}}\n", names_[actor],
       msg.id, names_[to], t.ns());
}

void TraceWriter::SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId to) {
  Emit("{{\"type\":\"send\",\"actor\":{},\"msg\":\"m{}\",\"to\":{},\"t\":{},\"control\":true}}\n",
       names_[actor], msg.id, names_[to], t.ns());
}

void TraceWriter::Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId to) {
  Emit("{{\"type\":\"forward\",\"actor\":{},\"msg\":\"m{}\",\"to\":{},\"t\":{}}}\n",
       names_[gateway], msg.id, names_[to], t.ns());
}

void TraceWriter::Recv(SimTime t, ActorId actor, MessageRef msg) {
  Emit("{{\"type\":\"recv\",\"actor\":{},\"msg\":\"m{}\",\"t\":{}}}\n", names_[actor], msg.id,
       t.ns());
}

void TraceWriter::Internal(SimTime t, ActorId actor) {
  Emit("{{\"type\":\"internal\",\"actor\":{},\"t\":{}}}\n", names_[actor], t.ns());
}

void TraceWriter::Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) {
  Emit("{{\"type\":\"snapshot\",\"actor\":{},\"snapshot\":{},\"t\":{},\"state\":{}}}\n",
       names_[actor], id, t.ns(), state);
}

void TraceWriter::Verdict(SnapshotId id, bool accepted) {
  Emit("{{\"type\":\"verdict\",\"snapshot\":{},\"accepted\":{}}}\n", id, accepted);
}

void TraceWriter::Unfinished(SnapshotId id) {
  Emit("{{\"type\":\"unfinished\",\"snapshot\":{}}}\n", id);
}

void TraceWriter::CutShort(SnapshotId id) {
  Emit("{{\"type\":\"cut_short\",\"snapshot\":{}}}\n", id);
}

void TraceWriter::ChannelState(SnapshotId id, ActorId from, ActorId to,
                               std::span<const MessageId> msgs) {
  Emit("{{\"type\":\"channel_state\",\"snapshot\":{},\"from\":{},\"to\":{},\"msgs\":[", id,
       names_[from], names_[to]);
  for (std::size_t i = 0; i < msgs.size(); ++i) Emit("{}\"m{}\"", i ? "," : "", msgs[i]);
  Emit("]}}\n");
}

void TraceWriter::Finish() {
  if (!file_) return;
  Flush();
  const bool ok = std::fflush(file_) == 0;
  std::fclose(file_);
  file_ = nullptr;
  const std::string tmp = path_ + ".tmp";
  if (ok && std::rename(tmp.c_str(), path_.c_str()) == 0) {
    finished_ = true;
  } else {
    std::remove(tmp.c_str());
  }
}

}  // namespace snapsim
