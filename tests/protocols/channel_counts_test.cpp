// ChannelCounts: 48-bit counts in 16 bytes, carried across 32 bits, an
// error at 2^48.
#include "protocols/channel_counts.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace snapsim {
namespace {

TEST(ChannelCounts, CountsEachDirectionApart) {
  ChannelCounts c;
  c.peer = 7;
  for (int i = 0; i < 5; ++i) c.CountSent();
  for (int i = 0; i < 3; ++i) c.CountRecv();
  EXPECT_EQ(c.Sent(), 5u);
  EXPECT_EQ(c.Recv(), 3u);
  EXPECT_EQ(c.peer, 7u);
}

TEST(ChannelCounts, CarriesPastThirtyTwoBits) {
  ChannelCounts c;
  c.sent_low_ = 0xffffffffu;
  c.recv_low_ = 0xfffffffeu;
  EXPECT_EQ(c.Sent(), 0xffffffffull);
  c.CountSent();
  c.CountRecv();
  EXPECT_EQ(c.Sent(), 0x100000000ull);
  EXPECT_EQ(c.Recv(), 0xffffffffull);
  c.CountRecv();
  EXPECT_EQ(c.Recv(), 0x100000000ull);
  c.CountSent();
  EXPECT_EQ(c.Sent(), 0x100000001ull);
}

TEST(ChannelCounts, RefusesToWrapAtFortyEightBits) {
  constexpr std::uint64_t kMax = (std::uint64_t{1} << 48) - 1;
  ChannelCounts c;
  c.sent_low_ = c.recv_low_ = 0xffffffffu;
  c.sent_high_ = c.recv_high_ = 0xfffeu;
  c.CountSent();  // the carry into the top value of the high half is fine
  EXPECT_EQ(c.Sent(), kMax - 0xffffffffull);
  c.sent_low_ = c.recv_low_ = 0xfffffffeu;
  c.CountSent();  // 2^48 - 1: the last count there is
  EXPECT_EQ(c.Sent(), kMax);
  EXPECT_THROW(c.CountSent(), std::overflow_error);
  EXPECT_EQ(c.Sent(), kMax);  // not wrapped to 0
  c.recv_high_ = 0xffffu;
  c.CountRecv();
  EXPECT_EQ(c.Recv(), kMax);
  EXPECT_THROW(c.CountRecv(), std::overflow_error);
  EXPECT_EQ(c.Recv(), kMax);
}

}  // namespace
}  // namespace snapsim
