#include "experiments/window_feed.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <utility>

namespace snapsim {

void WindowFeed::Publish(std::vector<Window> found, SimTime horizon) {
  {
    const std::lock_guard lock(mutex_);
    assert(!closed_ && horizon >= horizon_);
    for ([[maybe_unused]] const Window& w : found) assert(w.first >= horizon_);
    pending_.insert(pending_.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
    horizon_ = std::max(horizon_, horizon);
  }
  moved_.notify_all();
}

void WindowFeed::Close(std::vector<Window> rest) {
  {
    const std::lock_guard lock(mutex_);
    pending_.insert(pending_.end(), std::make_move_iterator(rest.begin()),
                    std::make_move_iterator(rest.end()));
    horizon_ = SimTime::Max();
    closed_ = true;
  }
  moved_.notify_all();
}

void WindowFeed::Cancel() {
  {
    const std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  moved_.notify_all();
}

checker::WitnessLog::WindowSource::Known WindowFeed::Await(SimTime t, std::vector<Window>& out) {
  std::unique_lock lock(mutex_);
  moved_.wait(lock, [&] { return cancelled_ || closed_ || horizon_ > t; });
  if (cancelled_) return {SimTime::Max(), true, true};
  out.insert(out.end(), std::make_move_iterator(pending_.begin()),
             std::make_move_iterator(pending_.end()));
  pending_.clear();
  return {horizon_, closed_, false};
}

}  // namespace snapsim
