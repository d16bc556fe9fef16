#include "sim/network.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <random>
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

// The same on long destination lists, where Find scans a prefix, then tries
// the run of consecutive ids that follows it, then searches: process 0 talks
// to a run of in-group ids with gaps after it, others to random sets of 10-40
// destinations, and out-group actors enter through gateways.
TEST(Network, FindAgreesWithAScanOnLongDestinationLists) {
  constexpr ActorId kIn = 60, kOut = 30, kGateways = 3;
  std::vector<ActorGroup> groups(kIn, ActorGroup::kIn);
  groups.insert(groups.end(), kOut, ActorGroup::kOut);
  groups.insert(groups.end(), kGateways, ActorGroup::kGateway);
  const auto n = static_cast<ActorId>(groups.size());
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId b = 1; b <= 30; ++b) edges.emplace_back(0, b);      // a run after 0's first entries
  for (ActorId b = 33; b < kIn; b += 3) edges.emplace_back(0, b);  // then gaps
  std::mt19937 rng(11);
  for (ActorId a = 1; a < kIn + kOut; ++a) {
    const unsigned degree = 10 + rng() % 31;
    for (unsigned k = 0; k < degree; ++k) {
      const auto b = static_cast<ActorId>(rng() % (kIn + kOut));
      if (b != a) edges.emplace_back(a, b);
    }
  }
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  int found = 0;
  for (ActorId src = 0; src < n; ++src) {
    for (ActorId dst = 0; dst < n + 2; ++dst) {
      const ChannelId expected = BruteForceFind(net, src, dst);
      ASSERT_EQ(net.Find(src, dst), expected) << src << " -> " << dst;
      found += expected != kNoChannel;
    }
  }
  EXPECT_EQ(found, static_cast<int>(net.ChannelCount()));
}

// Sources with fewer channels than a row holds inline (none, one, two):
// Find reads only the source's own row for them, where an absent inline
// channel's destination is kNoActor, so no id (kNoActor included) may find
// one, and ForSend gives each present channel its own link.
TEST(Network, FindOnSourcesWithFewChannels) {
  // 0 talks to 1 only, 1 to 0 and 2, 2 to 1 only, 3 to nobody.
  const std::vector<ActorGroup> groups(4, ActorGroup::kIn);
  const std::vector<std::pair<ActorId, ActorId>> edges = {{0, 1}, {1, 2}};
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_EQ(net.ChannelCount(), 4u);
  for (ActorId src = 0; src < groups.size(); ++src) {
    for (ActorId dst : {ActorId{0}, ActorId{1}, ActorId{2}, ActorId{3}, ActorId{4}, kNoActor}) {
      const ChannelId expected = BruteForceFind(net, src, dst);
      EXPECT_EQ(net.Find(src, dst), expected) << src << " -> " << dst;
      if (expected != kNoChannel) {
        EXPECT_EQ(&net.ForSend(src, expected).link, &net.Link(expected)) << src << " -> " << dst;
      }
    }
  }
  EXPECT_EQ(net.Find(3, kNoActor), kNoChannel);
}

// Long runs of consecutive destinations (a gateway's channels to every
// in-group process), which Find and ForSend answer by arithmetic: Find agrees
// with a scan for every pair and ForSend gives every channel its own kind's
// link. The controller's id follows the last in-group id, so a gateway's
// destinations stay consecutive past the end of its run of one kind; an
// in-group process talks to a run of 70 out-group actors after a gap.
TEST(Network, RunsOfDestinationsAgreeWithAScan) {
  constexpr ActorId kIn = 100, kOut = 90;
  std::vector<ActorGroup> groups(kIn, ActorGroup::kIn);
  groups.push_back(ActorGroup::kController);  // id 100
  groups.insert(groups.end(), kOut, ActorGroup::kOut);
  groups.insert(groups.end(), 3, ActorGroup::kGateway);
  const auto n = static_cast<ActorId>(groups.size());
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId a = 0; a + 1 < kIn; ++a) edges.emplace_back(a, a + 1);
  edges.emplace_back(5, 101);
  for (ActorId b = 110; b < 180; ++b) edges.emplace_back(5, b);  // a run of 70 after a gap
  for (ActorId b = 101; b < 101 + kOut; b += 7) edges.emplace_back(b, b % kIn);
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_TRUE(net.HasRuns());
  int found = 0;
  for (ActorId src = 0; src < n; ++src) {
    for (ActorId dst = 0; dst < n + 2; ++dst) {
      const ChannelId expected = BruteForceFind(net, src, dst);
      ASSERT_EQ(net.Find(src, dst), expected) << src << " -> " << dst;
      if (expected == kNoChannel) continue;
      ++found;
      EXPECT_EQ(&net.ForSend(src, expected).link, &net.Link(expected)) << src << " -> " << dst;
    }
  }
  // A hint reads nothing out of bounds, whatever the ids (AddressSanitizer
  // checks its reads of the rows in the CI's sanitizer build).
  for (ActorId src : {ActorId{0}, ActorId{5}, n - 1, n, n + 1, kNoActor})
    for (ActorId dst : {ActorId{0}, ActorId{179}, ActorId{180}, n - 1, n, kNoActor})
      net.PrefetchRunChannel(src, dst);
  EXPECT_EQ(found, static_cast<int>(net.ChannelCount()));
  // FIFO slots stay per channel: a gateway's first two (inline) and two of
  // its run each keep their own latest arrival while it is ahead of the clock.
  const ActorId g = n - 1;
  const std::array<ActorId, 4> to = {0, 1, 50, 99};
  auto slot = [&](ActorId p, SimTime now) -> SimTime& {
    const ChannelId c = net.Find(g, p);
    return net.FifoSlot(net.ForSend(g, c), c, now);
  };
  for (std::size_t i = 0; i < to.size(); ++i) slot(to[i], SimTime(0)) = SimTime(100 + i);
  for (std::size_t i = 0; i < to.size(); ++i) EXPECT_EQ(slot(to[i], SimTime(50)), SimTime(100 + i));
}

// Ends names, for every channel, the source whose range holds it, also
// around sources with no channel at all (actor 0, and 4 in the middle: out-group
// actors with no edge), and the ranges cover every channel once in id order.
TEST(Network, EndsNamesTheSourceWhoseRangeHoldsTheChannel) {
  // 0 out-group (no edge), 1..3 in-group, 4 out-group (no edge), 5 out-group.
  const std::vector<ActorGroup> groups = {ActorGroup::kOut, ActorGroup::kIn,  ActorGroup::kIn,
                                          ActorGroup::kIn,  ActorGroup::kOut, ActorGroup::kOut};
  const std::vector<std::pair<ActorId, ActorId>> edges = {{1, 2}, {2, 3}, {3, 5}};
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_EQ(net.ChannelCount(), 6u);
  EXPECT_EQ(net.ChannelsOf(0).first, net.ChannelsOf(0).end);
  EXPECT_EQ(net.ChannelsOf(4).first, net.ChannelsOf(4).end);
  ChannelId next = 0;
  for (ActorId a = 0; a < groups.size(); ++a) {
    const auto [first, end] = net.ChannelsOf(a);
    EXPECT_EQ(first, next) << a;
    for (ChannelId c = first; c < end; ++c) {
      EXPECT_EQ(net.Ends(c).src, a) << c;
      EXPECT_EQ(net.Ends(c).dst, net.Destination(c)) << c;
      EXPECT_EQ(net.Find(a, net.Destination(c)), c) << c;
    }
    next = end;
  }
  EXPECT_EQ(next, net.ChannelCount());
}

// Find and ForSend agree with a table of every channel's ends, for every
// source below n and every destination up to n (one past the last actor).
void ExpectFindAgreesWithTheChannelTable(Network& net, ActorId n) {
  std::map<std::pair<ActorId, ActorId>, ChannelId> table;
  for (ChannelId c = 0; c < net.ChannelCount(); ++c) table[{net.Ends(c).src, net.Ends(c).dst}] = c;
  for (ActorId src = 0; src < n; ++src) {
    for (ActorId dst = 0; dst < n + 1; ++dst) {
      const auto it = table.find({src, dst});
      const ChannelId expected = it == table.end() ? kNoChannel : it->second;
      ASSERT_EQ(net.Find(src, dst), expected) << src << " -> " << dst;
      if (expected != kNoChannel) {
        ASSERT_EQ(&net.ForSend(src, expected).link, &net.Link(expected)) << src << " -> " << dst;
      }
    }
  }
}

// One run shape shared by more sources than there are shapes (each of 300
// in-group processes talks to all 70 out-group actors, as every backend of a
// dense cloud talks to every client, and the gateways reach all 300): each
// source's channels are its own, so Find and ForSend still agree with the
// channel table everywhere.
TEST(Network, ManySourcesShareOneRunShape) {
  constexpr ActorId kIn = 300, kOut = 70;
  std::vector<ActorGroup> groups(kIn, ActorGroup::kIn);
  groups.insert(groups.end(), kOut, ActorGroup::kOut);
  groups.insert(groups.end(), 2, ActorGroup::kGateway);
  const auto n = static_cast<ActorId>(groups.size());
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId a = 0; a < kIn; ++a)
    for (ActorId b = kIn; b < kIn + kOut; ++b) edges.emplace_back(a, b);
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_TRUE(net.HasRuns());
  ExpectFindAgreesWithTheChannelTable(net, n);
}

// More run shapes than the 255 that are kept (in-group process a talks to
// the 20 out-group actors from kIn + a, so no two share a shape, and half of
// them also to every in-group process after it, so their longest run differs
// in length and offset too; the gateways reach all 300): Find and ForSend
// still agree with the channel table everywhere, whichever runs were kept.
TEST(Network, MoreRunsThanKeptAgreeWithTheTable) {
  constexpr ActorId kIn = 300, kOut = 320;
  std::vector<ActorGroup> groups(kIn, ActorGroup::kIn);
  groups.insert(groups.end(), kOut, ActorGroup::kOut);
  groups.insert(groups.end(), 2, ActorGroup::kGateway);
  const auto n = static_cast<ActorId>(groups.size());
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId a = 0; a < kIn; ++a) {
    for (ActorId b = kIn + a; b < kIn + a + 20; ++b) edges.emplace_back(a, b);
    if (a % 2 == 1)
      for (ActorId b = a + 1; b < kIn; ++b) edges.emplace_back(a, b);
  }
  std::array<LinkSpec, kChannelKindCount> links{};
  Network net(groups, edges, RoutingSpec{}, links);
  ASSERT_TRUE(net.HasRuns());
  ExpectFindAgreesWithTheChannelTable(net, n);
}

// ViaGateway and FirstHop follow MODEL.md's routing for every pair of
// groups and each routing option: traffic passes a gateway only into the
// in-group, from out-group actors (inbound_via_gateways) or from in-group
// ones (in_group_via_gateways, VIP traffic). Over 64 in-group actors, so the
// destinations' in-group bits span words, with the other groups between.
TEST(Network, ViaGatewayFollowsTheRoutingRules) {
  std::vector<ActorGroup> groups(40, ActorGroup::kIn);
  groups.insert(groups.end(), 3, ActorGroup::kOut);
  groups.insert(groups.end(), 2, ActorGroup::kGateway);
  groups.push_back(ActorGroup::kController);
  groups.insert(groups.end(), 40, ActorGroup::kIn);
  groups.insert(groups.end(), 2, ActorGroup::kOut);
  const auto n = static_cast<ActorId>(groups.size());
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId a = 0; a < n; ++a)
    for (ActorId b = a + 1; b < n; ++b)
      if (groups[a] != ActorGroup::kGateway && groups[a] != ActorGroup::kController &&
          groups[b] != ActorGroup::kGateway && groups[b] != ActorGroup::kController)
        edges.emplace_back(a, b);
  std::array<LinkSpec, kChannelKindCount> links{};
  int via = 0;
  for (const bool inbound : {false, true}) {
    for (const bool in_group : {false, true}) {
      RoutingSpec routing;
      routing.inbound_via_gateways = inbound;
      routing.in_group_via_gateways = in_group;
      Network net(groups, edges, routing, links);
      for (ActorId from = 0; from < n; ++from) {
        for (ActorId to = 0; to < n; ++to) {
          const bool to_in = groups[to] == ActorGroup::kIn;
          const bool expected = to_in && ((groups[from] == ActorGroup::kOut && inbound) ||
                                          (groups[from] == ActorGroup::kIn && in_group));
          ASSERT_EQ(net.ViaGateway(from, to), expected)
              << from << " -> " << to << " inbound " << inbound << " in_group " << in_group;
          via += expected;
          if (from == to || groups[from] == ActorGroup::kGateway ||
              groups[from] == ActorGroup::kController)
            continue;
          const Network::Hop hop = net.FirstHop(from, to);
          if (expected) {
            EXPECT_EQ(groups[hop.to], ActorGroup::kGateway) << from << " -> " << to;
          } else {
            EXPECT_EQ(hop.to, to) << from << " -> " << to;
          }
        }
      }
    }
  }
  EXPECT_GT(via, 0);
  // Without gateways nothing passes one.
  std::vector<ActorGroup> flat(3, ActorGroup::kIn);
  flat.push_back(ActorGroup::kOut);
  Network direct(flat, std::vector<std::pair<ActorId, ActorId>>{{0, 3}, {1, 2}}, RoutingSpec{},
                 links);
  for (ActorId from = 0; from < flat.size(); ++from)
    for (ActorId to = 0; to < flat.size(); ++to) EXPECT_FALSE(direct.ViaGateway(from, to));
}

}  // namespace
}  // namespace snapsim
