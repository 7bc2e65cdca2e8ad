#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

TEST(Registry, NamesAreUniqueUpperCaseAndFindable) {
  std::set<std::string> seen;
  for (const Dissector* d : dissectors()) {
    ASSERT_NE(d, nullptr);
    EXPECT_FALSE(d->proto.empty());
    for (char c : d->proto) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    EXPECT_TRUE(seen.insert(std::string(d->proto)).second) << d->proto;
    EXPECT_EQ(find_dissector(d->proto), d);
    EXPECT_NE(d->transports, 0);
    EXPECT_NE(d->probe, nullptr);
  }
  EXPECT_EQ(find_dissector("NOPE"), nullptr);
}

TEST(Registry, ProbesRejectEmptyAndGarbageWithoutCrashing) {
  const std::uint8_t garbage[] = {0xff, 0x00, 0x13, 0x37};
  FlowInfo flow;
  for (const Dissector* d : dissectors()) {
    for (Direction dir : {Direction::ToServer, Direction::ToClient}) {
      EXPECT_NE(d->probe(flow, dir, core::Bytes()), Match::Yes) << d->proto;
      (void)d->probe(flow, dir, core::Bytes(garbage, sizeof garbage));
    }
  }
}

}  // namespace
}  // namespace wiretop::dpi
