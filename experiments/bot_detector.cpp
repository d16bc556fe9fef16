#include "experiments/bot_detector.h"

namespace snapsim {

void BotDetector::Snapshot(SimTime, ActorId actor, SnapshotId id, std::int64_t state) {
  if (actor == workload_.Service1()) seen_[id].c1 = state;
  if (actor == workload_.Service2()) {
    Observation& o = seen_[id];
    o.c2 = state;
    // The snapshot event precedes the delivery that triggered it, so this
    // is what service 2 had served before its cut point.
    o.bots_before_cut = workload_.BotsServed();
  }
}

DetectorCounts BotDetector::Counts() const {
  DetectorCounts c;
  for (const auto& [id, o] : seen_) {
    auto v = accepted_.find(id);
    if (v != accepted_.end() && !v->second) continue;  // rejected: discarded
    if (!o.c1 || !o.c2) continue;
    ++c.judged;
    const bool alarm = *o.c2 > *o.c1, bots = o.bots_before_cut > 0;
    if (alarm && bots) ++c.true_positives;
    if (alarm && !bots) ++c.false_positives;
    if (!alarm && bots) ++c.false_negatives;
    if (!alarm && !bots) ++c.true_negatives;
  }
  return c;
}

}  // namespace snapsim
