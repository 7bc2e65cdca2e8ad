#include "engine/link_type.h"

#include <gtest/gtest.h>

namespace wiretop::engine {
namespace {

TEST(LinkType, KnownDltsMapToDecoders) {
  EXPECT_EQ(link_type_for_dlt(1), proto::LinkType::Ethernet);
  EXPECT_EQ(link_type_for_dlt(113), proto::LinkType::LinuxSll);
  EXPECT_EQ(link_type_for_dlt(276), proto::LinkType::LinuxSll2);
  EXPECT_EQ(link_type_for_dlt(12), proto::LinkType::Raw);
  EXPECT_EQ(link_type_for_dlt(101), proto::LinkType::Raw);
  EXPECT_EQ(link_type_for_dlt(0), proto::LinkType::Null);
  EXPECT_EQ(link_type_for_dlt(108), proto::LinkType::Loop);
}

TEST(LinkType, UnknownDltIsUnsupported) {
  EXPECT_FALSE(link_type_for_dlt(105).has_value());  // 802.11
  EXPECT_FALSE(link_type_for_dlt(-1).has_value());
}

}  // namespace
}  // namespace wiretop::engine
