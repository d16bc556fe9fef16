#include "checker/trace_file.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "checker/channel_declarations.h"

namespace snapsim::checker {
namespace {

using nlohmann::json;

// A line-level failure; carries the message up to the line loop.
struct LineFailure {
  std::string message;
};

struct HopLine {
  ActorId actor = kNoActor;
  std::uint32_t pos = 0;
  ActorId to = kNoActor;  // kNoActor for a receive
  std::uint32_t line = 0;
};

struct PendingMessage {
  std::optional<HopLine> send;
  std::vector<HopLine> forwards;
  std::optional<HopLine> recv;
};

class Reader {
 public:
  std::optional<TraceError> ReadAll(std::istream& in) {
    std::string text;
    std::uint32_t line = 0;
    while (std::getline(in, text)) {
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        ParseLine(text, line);
      } catch (const LineFailure& f) {
        return TraceError{line, f.message};
      }
    }
    return LinkMessages();
  }

  CompactTrace Take() { return std::move(trace_); }

 private:
  static const json& Field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) throw LineFailure{fmt::format("missing field \"{}\"", key)};
    return *it;
  }
  static std::string String(const json& j, const char* key) {
    const json& v = Field(j, key);
    if (!v.is_string()) throw LineFailure{fmt::format("field \"{}\" must be a string", key)};
    return v.get<std::string>();
  }
  static bool Bool(const json& j, const char* key) {
    const json& v = Field(j, key);
    if (!v.is_boolean()) throw LineFailure{fmt::format("field \"{}\" must be a boolean", key)};
    return v.get<bool>();
  }
  static bool OptionalBool(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return false;
    if (!it->is_boolean()) throw LineFailure{fmt::format("field \"{}\" must be a boolean", key)};
    return it->get<bool>();
  }
  static void OptionalInteger(const json& j, const char* key) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_number_integer())
      throw LineFailure{fmt::format("field \"{}\" must be an integer", key)};
  }
  static SnapshotId Snapshot(const json& j) {
    const json& v = Field(j, "snapshot");
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0)
      throw LineFailure{"field \"snapshot\" must be an integer >= 1"};
    return v.get<std::uint64_t>();
  }
  ActorId Actor(const json& j, const char* key) const {
    const std::string name = String(j, key);
    auto it = actor_by_name_.find(name);
    if (it == actor_by_name_.end()) throw LineFailure{fmt::format("unknown actor \"{}\"", name)};
    return it->second;
  }
  static ActorGroup Group(const std::string& g) {
    if (g == "in") return ActorGroup::kIn;
    if (g == "out") return ActorGroup::kOut;
    if (g == "gateway") return ActorGroup::kGateway;
    if (g == "controller") return ActorGroup::kController;
    throw LineFailure{
        fmt::format("unknown group \"{}\" (expected in, out, gateway or controller)", g)};
  }
  std::uint32_t Message(const std::string& name) {
    auto [it, inserted] =
        msg_by_name_.try_emplace(name, static_cast<std::uint32_t>(pending_.size()));
    if (inserted) {
      pending_.emplace_back();
      MessageInfo info;
      info.key = it->second;
      trace_.messages.push_back(info);
      trace_.message_names.push_back(name);
    }
    return it->second;
  }
  std::uint32_t SnapshotIndex(SnapshotId id) {
    auto [it, inserted] =
        snap_index_.try_emplace(id, static_cast<std::uint32_t>(trace_.snapshot_ids.size()));
    if (inserted) trace_.snapshot_ids.push_back(id);
    return it->second;
  }
  std::uint32_t AddEvent(ActorId a, EventKind kind, std::uint32_t arg, std::uint32_t line) {
    trace_.lines[a].push_back(line);
    return trace_.AddEvent(a, kind, arg);
  }

  void ParseLine(const std::string& text, std::uint32_t line) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw LineFailure{"invalid JSON"};
    if (!j.is_object()) throw LineFailure{"a trace line must be a JSON object"};
    const std::string type = String(j, "type");
    OptionalInteger(j, "t");
    if (type == "actor") {
      const std::string name = String(j, "name");
      const ActorGroup group = Group(String(j, "group"));
      if (actor_by_name_.count(name))
        throw LineFailure{fmt::format("actor \"{}\" declared twice", name)};
      actor_by_name_[name] = trace_.AddActor(name, group);
      trace_.lines.emplace_back();
    } else if (type == "channel") {
      const ActorId from = Actor(j, "from"), to = Actor(j, "to");
      const bool fifo = Bool(j, "fifo");
      RequireInGroupChannel(from, to);
      if (!channels_.Add(from, to, trace_.channels))
        throw LineFailure{fmt::format("channel {}->{} declared twice", trace_.actor_names[from],
                                      trace_.actor_names[to])};
      trace_.channels.push_back({from, to, fifo});
    } else if (type == "send" || type == "forward") {
      const ActorId a = Actor(j, "actor");
      const std::string msg = String(j, "msg");
      const ActorId to = Actor(j, "to");
      const std::uint32_t m = Message(msg);
      const bool send = type == "send";
      if (send && pending_[m].send)
        throw LineFailure{fmt::format("message \"{}\" sent twice (first at line {})", msg,
                                      pending_[m].send->line)};
      const std::uint32_t pos = AddEvent(a, send ? EventKind::kSend : EventKind::kForward, m, line);
      HopLine h{a, pos, to, line};
      if (send) {
        pending_[m].send = h;
        trace_.messages[m].control = OptionalBool(j, "control");
      } else {
        pending_[m].forwards.push_back(h);
      }
    } else if (type == "recv") {
      const ActorId a = Actor(j, "actor");
      const std::string msg = String(j, "msg");
      const std::uint32_t m = Message(msg);
      if (pending_[m].recv)
        throw LineFailure{fmt::format("message \"{}\" received twice (first at line {})", msg,
                                      pending_[m].recv->line)};
      pending_[m].recv = HopLine{a, AddEvent(a, EventKind::kRecv, m, line), kNoActor, line};
    } else if (type == "internal") {
      AddEvent(Actor(j, "actor"), EventKind::kInternal, 0, line);
    } else if (type == "snapshot") {
      const ActorId a = Actor(j, "actor");
      const SnapshotId id = Snapshot(j);
      OptionalInteger(j, "state");
      if (trace_.actor_groups[a] != ActorGroup::kIn)
        throw LineFailure{fmt::format("snapshot event at \"{}\", which is not an in-group process",
                                      trace_.actor_names[a])};
      const std::uint32_t s = SnapshotIndex(id);
      if (!snapshot_taken_.insert({a, s}).second)
        throw LineFailure{fmt::format("\"{}\" takes snapshot {} twice", trace_.actor_names[a], id)};
      AddEvent(a, EventKind::kSnapshot, s, line);
    } else if (type == "verdict") {
      const SnapshotId id = Snapshot(j);
      const bool accepted = Bool(j, "accepted");
      Decide(id, false);
      trace_.verdicts.push_back({id, accepted});
    } else if (type == "unfinished") {
      const SnapshotId id = Snapshot(j);
      Decide(id, true);
      trace_.verdicts.push_back({id, false, true});
    } else if (type == "cut_short") {
      const SnapshotId id = Snapshot(j);
      if (auto error = decided_.AddCutShort(id)) throw LineFailure{*error};
      trace_.cut_short.push_back(id);
    } else if (type == "channel_state") {
      ChannelStateRecord r;
      r.id = Snapshot(j);
      r.from = Actor(j, "from");
      r.to = Actor(j, "to");
      RequireInGroupChannel(r.from, r.to);
      const json& msgs = Field(j, "msgs");
      if (!msgs.is_array()) throw LineFailure{"field \"msgs\" must be an array of strings"};
      for (const json& m : msgs) {
        if (!m.is_string()) throw LineFailure{"field \"msgs\" must be an array of strings"};
        r.msgs.push_back(Message(m.get<std::string>()));
      }
      if (!channel_states_.insert({r.id, r.from, r.to}).second)
        throw LineFailure{fmt::format("second channel state for {}->{} in snapshot {}",
                                      trace_.actor_names[r.from], trace_.actor_names[r.to], r.id)};
      trace_.channel_states.push_back(std::move(r));
    } else {
      throw LineFailure{fmt::format("unknown type \"{}\"", type)};
    }
  }

  void RequireInGroupChannel(ActorId from, ActorId to) const {
    for (ActorId a : {from, to}) {
      if (trace_.actor_groups[a] != ActorGroup::kIn)
        throw LineFailure{
            fmt::format("channel end \"{}\" is not an in-group process", trace_.actor_names[a])};
    }
  }

  // Orders each message's hops along its "to" chain and links them.
  std::optional<TraceError> LinkMessages() {
    std::optional<TraceError> first;
    auto fail = [&](std::uint32_t line, std::string msg) {
      if (!first || line < first->line) first = TraceError{line, std::move(msg)};
    };
    for (std::uint32_t m = 0; m < pending_.size(); ++m) {
      PendingMessage& p = pending_[m];
      const std::string& name = trace_.message_names[m];
      if (!p.send) {
        for (const HopLine& f : p.forwards)
          fail(f.line, fmt::format("forward of \"{}\" without a send", name));
        if (p.recv) fail(p.recv->line, fmt::format("recv of \"{}\" without a send", name));
        continue;
      }
      trace_.AddHop(m, p.send->actor, p.send->pos);
      ActorId to = p.send->to;
      std::vector<bool> used(p.forwards.size(), false);
      for (std::size_t n = 0; n < p.forwards.size(); ++n) {
        std::size_t pick = p.forwards.size();
        for (std::size_t i = 0; i < p.forwards.size(); ++i) {
          if (!used[i] && p.forwards[i].actor == to) {
            pick = i;
            break;
          }
        }
        if (pick == p.forwards.size()) break;
        used[pick] = true;
        trace_.AddHop(m, p.forwards[pick].actor, p.forwards[pick].pos);
        to = p.forwards[pick].to;
      }
      for (std::size_t i = 0; i < p.forwards.size(); ++i) {
        if (!used[i])
          fail(p.forwards[i].line,
               fmt::format("forward of \"{}\" at \"{}\" does not follow its previous hop "
                           "(which sent it to \"{}\")",
                           name, trace_.actor_names[p.forwards[i].actor], trace_.actor_names[to]));
      }
      if (p.recv) {
        if (p.recv->actor != to) {
          fail(p.recv->line,
               fmt::format("recv of \"{}\" at \"{}\", but its previous hop sent it "
                           "to \"{}\"",
                           name, trace_.actor_names[p.recv->actor], trace_.actor_names[to]));
        } else {
          trace_.AddHop(m, p.recv->actor, p.recv->pos);
          trace_.messages[m].received = true;
        }
      }
    }
    return first;
  }

  CompactTrace trace_;
  std::unordered_map<std::string, ActorId> actor_by_name_;
  std::unordered_map<std::string, std::uint32_t> msg_by_name_;
  std::unordered_map<SnapshotId, std::uint32_t> snap_index_;
  std::vector<PendingMessage> pending_;
  std::set<std::pair<ActorId, std::uint32_t>> snapshot_taken_;
  ChannelDeclarations channels_;  // to refuse a channel declared twice
  Decisions decided_;
  void Decide(SnapshotId id, bool unfinished) {
    if (auto error = decided_.Add(id, unfinished)) throw LineFailure{*error};
  }
  std::set<std::tuple<SnapshotId, ActorId, ActorId>> channel_states_;
};

}  // namespace

std::variant<CompactTrace, TraceError> ReadTrace(std::istream& in) {
  Reader reader;
  if (auto err = reader.ReadAll(in)) return *err;
  return reader.Take();
}

std::variant<CompactTrace, TraceError> ReadTraceFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return TraceError{0, "cannot open the file"};
  return ReadTrace(in);
}

}  // namespace snapsim::checker
