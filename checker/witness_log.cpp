#include "checker/witness_log.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace snapsim::checker {

WitnessLog::WitnessLog(std::vector<Window> windows) : windows_(std::move(windows)) {}

WitnessLog::WitnessLog(WindowSource& source) : source_(&source), known_until_(SimTime(0)) {}

void WitnessLog::Await(SimTime t) {
  std::vector<Window> fresh;
  const WindowSource::Known known = source_->Await(t, fresh);
  if (known.cancelled) {
    windows_.resize(window_);  // log nothing more
    known_until_ = SimTime::Max();
    if (stop_) NothingAhead();
    return;
  }
  assert(known.closed || known.horizon > t);
  known_until_ = known.closed ? SimTime::Max() : known.horizon;
  if (fresh.empty()) return;
  // Merge the windows not yet passed with the new ones, as if all had been
  // known first. A new window starts after every event logged so far (after
  // the previous horizon), so the current window, if open, keeps its start.
  fresh.insert(fresh.begin(), std::make_move_iterator(windows_.begin() + window_),
               std::make_move_iterator(windows_.end()));
  windows_.resize(window_);
  MergeWindows(fresh);
  windows_.insert(windows_.end(), std::make_move_iterator(fresh.begin()),
                  std::make_move_iterator(fresh.end()));
}

void WitnessLog::MergeWindows(std::vector<Window>& windows) {
  std::stable_sort(windows.begin(), windows.end(),
                   [](const Window& a, const Window& b) { return a.first < b.first; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (kept > 0 && windows[i].first <= windows[kept - 1].last) {
      Window& open = windows[kept - 1];
      open.last = std::max(open.last, windows[i].last);
      open.snapshots.insert(open.snapshots.end(), windows[i].snapshots.begin(),
                            windows[i].snapshots.end());
    } else {
      if (kept != i) windows[kept] = std::move(windows[i]);
      ++kept;
    }
  }
  windows.resize(kept);
}

void WitnessLog::NothingAhead() {
  auto stop = std::move(stop_);
  stop_ = nullptr;
  stop();
}

void WitnessLog::CloseWindow() {
  if (window_events_ > 0) {
    const WitnessFinder finder(trace_);
    for (SnapshotId id : windows_[window_].snapshots) {
      std::vector<std::string> chain = finder.Format(finder.Find(id));
      if (!chain.empty()) witnesses_[id] = std::move(chain);
    }
    // Drop the log, keeping the actors (and the lists' capacity). Messages
    // still in flight enter the next window's log at their first hop there.
    for (auto& list : trace_.events) list.clear();
    trace_.hops.clear();
    trace_.messages.clear();
    trace_.snapshot_ids.clear();
    snapshot_index_.clear();
    in_flight_.clear();
    peak_events_ = std::max(peak_events_, window_events_);
    window_events_ = 0;
  }
  ++window_;
}

void WitnessLog::Finish() {
  // A replay that ended (its scenario's end) before the source closed: the
  // windows still to come hold no event of it, but are searched (and find
  // nothing) as when all are known first.
  while (known_until_ != SimTime::Max()) Await(known_until_);
  while (window_ < windows_.size()) CloseWindow();
}

void WitnessLog::Actor(ActorId actor, std::string_view name, ActorGroup group) {
  assert(actor == trace_.ActorCount());
  (void)actor;
  trace_.AddActor(std::string(name), group);
}

void WitnessLog::Log(ActorId actor, EventKind kind, std::uint32_t arg, std::uint32_t msg_index) {
  const std::uint32_t pos = trace_.AddEvent(actor, kind, arg);
  trace_.events[actor][pos].order = order_++;
  ++window_events_;
  ++logged_events_;
  if (msg_index != kNone) trace_.AddHop(msg_index, actor, pos);
}

std::uint32_t WitnessLog::Enter(MessageId id) {
  MessageInfo info;
  info.key = id;
  trace_.messages.push_back(info);
  return static_cast<std::uint32_t>(trace_.messages.size() - 1);
}

std::uint32_t WitnessLog::IndexOf(MessageId id) {
  const auto it = in_flight_.find(id);
  if (it != in_flight_.end()) return it->second;
  const std::uint32_t index = Enter(id);
  in_flight_.emplace(id, index);
  return index;
}

void WitnessLog::SendImpl(SimTime t, ActorId actor, MessageRef msg, bool control) {
  if (!InWindow(t)) return;
  const std::uint32_t index = IndexOf(msg.id);
  trace_.messages[index].control = control;
  Log(actor, EventKind::kSend, index, index);
}

void WitnessLog::Send(SimTime t, ActorId actor, MessageRef msg, ActorId) {
  SendImpl(t, actor, msg, false);
}

void WitnessLog::SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId) {
  SendImpl(t, actor, msg, true);
}

void WitnessLog::Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId) {
  if (!InWindow(t)) return;
  const std::uint32_t index = IndexOf(msg.id);
  Log(gateway, EventKind::kForward, index, index);
}

void WitnessLog::Recv(SimTime t, ActorId actor, MessageRef msg) {
  if (!InWindow(t)) {
    // A message logged in a window and received after it leaves the table.
    if (!in_flight_.empty()) in_flight_.erase(msg.id);
    return;
  }
  // Its last hop: out of the table, or never in it (sent before the window).
  const auto it = in_flight_.find(msg.id);
  std::uint32_t index;
  if (it != in_flight_.end()) {
    index = it->second;
    in_flight_.erase(it);
  } else {
    index = Enter(msg.id);
  }
  trace_.messages[index].received = true;
  Log(actor, EventKind::kRecv, index, index);
}

void WitnessLog::Internal(SimTime t, ActorId actor) {
  if (InWindow(t)) Log(actor, EventKind::kInternal, 0, kNone);
}

void WitnessLog::Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) {
  Snapshots(t, actor, id, id, state);
}

void WitnessLog::Snapshots(SimTime t, ActorId actor, SnapshotId first, SnapshotId last,
                           std::int64_t) {
  if (!InWindow(t)) return;
  for (SnapshotId id = first;; ++id) {
    auto [it, inserted] =
        snapshot_index_.try_emplace(id, static_cast<std::uint32_t>(trace_.snapshot_ids.size()));
    if (inserted) trace_.snapshot_ids.push_back(id);
    Log(actor, EventKind::kSnapshot, it->second, kNone);
    if (id == last) break;
  }
}

std::vector<std::string> WitnessLog::Witness(SnapshotId id) const {
  const auto it = witnesses_.find(id);
  return it == witnesses_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace snapsim::checker
