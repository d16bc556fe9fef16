// The protocol plug-in interface can tag messages, hold and release them at
// gateways, exchange control messages, and record local and channel state.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "sim/protocol.h"
#include "tests/support/run_helpers.h"

namespace snapsim {
namespace {

using testing::TraceRecord;

class ExerciseHooks : public Protocol {
 public:
  static constexpr std::uint8_t kMark = 1, kAck = 2;
  static constexpr std::uint32_t kReleaseTimer = 9;

  std::string_view Name() const override { return "exercise-hooks"; }
  void OnStart(Context& ctx) override {
    ctx.SnapshotInitiated(1);
    for (ActorId g : ctx.world().Gateways())
      ctx.SendControl(ctx.world().Controller(), g, ControlPayload{kMark, 1});
  }
  void OnSend(Context&, ActorId, Message& m) override { m.tag = 7; }
  ForwardAction OnGatewayForward(Context& ctx, ActorId g, Message& m, std::uint32_t slot) override {
    CheckHop(ctx, g, m);
    if (++forwarded_ % 2 == 0) return ForwardAction::kForward;
    ++held_;
    ctx.SetProtocolTimer(g, Microseconds(5), kReleaseTimer, slot);
    return ForwardAction::kHold;
  }
  void OnTimer(Context& ctx, ActorId, std::uint32_t kind, std::uint32_t data) override {
    if (kind != kReleaseTimer) return;
    ++released_;
    ctx.ReleaseHeld(data);
  }
  void OnControl(Context& ctx, ActorId at, const Message& m) override {
    CheckHop(ctx, at, m);
    if (m.type == kMark) ctx.SendControl(at, m.src, ControlPayload{kAck, m.tag});
    if (m.type == kAck && ++acks_ == ctx.world().Gateways().size()) ctx.Verdict(1, true);
  }
  void OnArrival(Context& ctx, ActorId at, Message& m) override {
    CheckHop(ctx, at, m);
    if (m.kind != MessageKind::kApp) return;
    if (m.tag != 7) ++wrong_tags_;
    if (ctx.world().Group(at) == ActorGroup::kIn && recorded_.insert(at).second) {
      ctx.RecordSnapshot(at, 1);
      const MessageId ids[] = {m.id};
      ctx.RecordChannelState(1, m.src, at, ids, 5);
    }
  }

  // A message handed to `at` has `at` as its hop's end (hop_dst, which the
  // engine reads instead of the channel table).
  void CheckHop(Context& ctx, ActorId at, const Message& m) {
    ++hops_;
    if (m.hop_dst != at) ++wrong_hops_;
  }

  std::uint64_t forwarded_ = 0, held_ = 0, released_ = 0, acks_ = 0, wrong_tags_ = 0;
  std::uint64_t hops_ = 0, wrong_hops_ = 0;
  std::set<ActorId> recorded_;
};

TEST(ProtocolHooks, TagHoldReleaseControlAndRecord) {
  const char* yaml = R"(
run: {duration: 2ms}
topology: {kind: cloud, backends: 4, clients: 2, externals: 1, gateways: 2}
workload: {kind: rpc}
)";
  auto proto = std::make_unique<ExerciseHooks>();
  ExerciseHooks* p = proto.get();
  auto run = testing::RunYaml(yaml, std::move(proto));
  const RunStats& st = run->stats();

  EXPECT_EQ(p->wrong_tags_, 0u);
  EXPECT_GT(p->hops_, 100u);
  EXPECT_EQ(p->wrong_hops_, 0u);
  EXPECT_GT(p->held_, 10u);
  EXPECT_GE(p->released_ + 5, p->held_);  // all but those held at the very end
  EXPECT_GE(st.held_max, 1u);
  EXPECT_EQ(st.control_sent, 4u);  // 2 marks + 2 acks
  EXPECT_EQ(st.control_delivered, 4u);
  EXPECT_EQ(p->acks_, 2u);

  const SnapshotRecord& r = run->engine->Snapshots().All().at(1);
  EXPECT_EQ(r.processes_recorded, 4u);
  EXPECT_EQ(r.channels_recorded, 4u);
  EXPECT_EQ(r.channel_value_sum, 20);
  ASSERT_TRUE(r.accepted.has_value());
  EXPECT_TRUE(*r.accepted);
  ASSERT_TRUE(r.initiated_at.has_value());

  // The snapshot event precedes the receive that triggered it, at one instant.
  const auto& ev = run->sink.events;
  int snapshots = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind != TraceRecord::kSnapshot) continue;
    ++snapshots;
    std::size_t next = i + 1;  // skip the channel state recorded with it
    while (next < ev.size() && ev[next].kind == TraceRecord::kChannelState) ++next;
    ASSERT_LT(next, ev.size());
    EXPECT_EQ(ev[next].kind, TraceRecord::kRecv);
    EXPECT_EQ(ev[next].actor, ev[i].actor);
    EXPECT_EQ(ev[next].t, ev[i].t);
  }
  EXPECT_EQ(snapshots, 4);
  // The record's first and last local times are those of the first and last
  // snapshot events (the engine tallies them apart and adds them at the end).
  std::vector<SimTime> snapshot_times;
  for (const auto& e : ev)
    if (e.kind == TraceRecord::kSnapshot) snapshot_times.push_back(e.t);
  ASSERT_TRUE(r.first_local && r.last_local);
  EXPECT_EQ(*r.first_local, snapshot_times.front());
  EXPECT_EQ(*r.last_local, snapshot_times.back());
  EXPECT_LT(*r.first_local, *r.last_local);

  // Held messages reached their destination later than they would have:
  // every forward follows its message's arrival at the gateway by >= 0, and
  // some by the 5 us hold.
  std::map<MessageId, SimTime> sent_at;
  int delayed = 0;
  for (const auto& e : ev) {
    if (e.kind == TraceRecord::kSend) sent_at[e.msg] = e.t;
    if (e.kind == TraceRecord::kForward && e.t - sent_at[e.msg] >= Microseconds(5)) ++delayed;
  }
  EXPECT_GT(delayed, 5);
}

}  // namespace
}  // namespace snapsim
