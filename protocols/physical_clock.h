// physical-clock: every in-group process records snapshot k when its local
// clock reads T_k (the schedule's k-th time); messages carry the sender's
// local send time. The channel state of q -> p for k: the messages p receives
// after its local T_k that q sent before its local T_k. Consistent only with
// perfectly synchronised clocks: with skew larger than the minimum latency a
// message sent after the sender's T_k can arrive before the receiver's T_k.
//
// Channel states close when the run ends (a receiver cannot know that no
// message stamped before T_k is still in flight).
#pragma once

#include <map>
#include <vector>

#include "protocols/channel_recorder.h"
#include "protocols/registry.h"
#include "protocols/schedule.h"
#include "sim/protocol.h"

namespace snapsim {

class PhysicalClockProtocol : public Protocol {
 public:
  explicit PhysicalClockProtocol(const ProtocolOptions& options) : schedule_(options.schedule) {}
  std::string_view Name() const override { return "physical-clock"; }
  void OnStart(Context& ctx) override;
  void OnSend(Context& ctx, ActorId from, Message& m) override;
  void OnArrival(Context& ctx, ActorId at, Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  void OnFinish(Context& ctx) override;

 private:
  static constexpr std::uint32_t kRecordTimer = 1;
  void Arm(Context& ctx, ActorId a, SnapshotId k);
  // T_k on local clocks, or -1 past the end of the schedule.
  std::int64_t LocalTimeOf(SnapshotId k) {
    const std::optional<Duration> t = times_.At(k);
    return t ? t->ns() : -1;
  }
  ScheduleTimes times_;
  ScheduleOptions schedule_;
  InGroupChannels channels_;
  // Per in-group process: recorded snapshots whose channels are still open.
  std::vector<std::map<SnapshotId, std::vector<RecordedChannel>>> open_;
  std::vector<bool> initiated_;
};

}  // namespace snapsim
