#include "sim/network.h"

#include <gtest/gtest.h>

#include <array>
#include <utility>
#include <vector>

namespace snapsim {
namespace {

// The channel src -> dst by scanning every channel, or kNoChannel.
ChannelId BruteForceFind(const Network& net, ActorId src, ActorId dst) {
  for (ChannelId c = 0; c < net.ChannelCount(); ++c)
    if (net.Ends(c).src == src && net.Ends(c).dst == dst) return c;
  return kNoChannel;
}

// Find answers like a scan for every ordered pair, on a world where some
// actors' destinations are one run of consecutive ids (a gateway's channels
// to the in-group, which Find indexes directly), some have gaps (binary
// search) and some have none.
TEST(Network, FindAgreesWithAScanForEveryPair) {
  // 0..5 in-group, 6..7 out-group, 8..9 gateways, 10 controller.
  std::vector<ActorGroup> groups(6, ActorGroup::kIn);
  groups.insert(groups.end(), 2, ActorGroup::kOut);
  groups.insert(groups.end(), 2, ActorGroup::kGateway);
  groups.push_back(ActorGroup::kController);
  const std::vector<std::pair<ActorId, ActorId>> edges = {
      {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 0},  // in-group ring
      {0, 6}, {3, 6}, {5, 7}, {6, 7}};                 // sparse out-group
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_GT(net.ChannelCount(), 0u);
  int found = 0;
  for (ActorId src = 0; src < groups.size() + 1; ++src) {
    for (ActorId dst = 0; dst < groups.size() + 1; ++dst) {
      const ChannelId expected = src < groups.size() ? BruteForceFind(net, src, dst) : kNoChannel;
      EXPECT_EQ(net.Find(src, dst), expected) << src << " -> " << dst;
      found += expected != kNoChannel;
    }
  }
  EXPECT_EQ(found, static_cast<int>(net.ChannelCount()));
  // A gateway reaches every in-group process (a run of consecutive ids) and
  // the controller after a gap.
  for (ActorId p = 0; p < 6; ++p) EXPECT_NE(net.Find(8, p), kNoChannel);
  EXPECT_NE(net.Find(8, 10), kNoChannel);
  EXPECT_EQ(net.Find(8, 7), kNoChannel);
}

}  // namespace
}  // namespace snapsim
