// FlowTable: records stay put while the slab grows, and the index finds them.
#include "flow/flow_table.h"

#include <gtest/gtest.h>

namespace wiretop::flow {
namespace {

FlowKey key_for(std::uint32_t n) {
  FlowKey k;
  k.a = core::IpAddress::v4(0x0A000000u + n);
  k.b = core::IpAddress::v4(0xC0A80001u);
  k.port_a = static_cast<std::uint16_t>(n);
  k.port_b = 443;
  k.ip_proto = 6;
  k.kind = KeyKind::Ports;
  return k;
}

TEST(FlowTable, GrowingPastManyChunks_RecordsNeverMove) {
  // Pointers into the slab (the tracker holds one across a packet) must
  // survive growth: a vector grown by doubling moved every record.
  constexpr std::uint32_t kFlows = 70'000;
  FlowTable t(kFlows);
  const FlowKey first = key_for(0);
  const std::uint32_t i0 = t.insert(first, t.hash(first), 0);
  const Connection* p0 = &t.at(i0);
  for (std::uint32_t n = 1; n < kFlows; ++n) {
    const FlowKey k = key_for(n);
    t.insert(k, t.hash(k), 0);
  }
  EXPECT_EQ(&t.at(i0), p0);
  EXPECT_EQ(t.size(), kFlows);
  for (std::uint32_t n = 0; n < kFlows; n += 997) {
    const FlowKey k = key_for(n);
    const std::uint32_t i = t.find(k, t.hash(k));
    ASSERT_NE(i, FlowTable::kNil);
    EXPECT_EQ(t.at(i).key, k);
  }
}

TEST(FlowTable, ReusedSlot_StartsAsAFreshRecord) {
  FlowTable t(4);
  const FlowKey a = key_for(1), b = key_for(2);
  const std::uint32_t ia = t.insert(a, t.hash(a), 0);
  t.at(ia).packets[0] = 7;
  t.at(ia).id = 42;
  t.erase(ia);
  EXPECT_EQ(t.find(a, t.hash(a)), FlowTable::kNil);
  const std::uint32_t ib = t.insert(b, t.hash(b), 1);
  EXPECT_EQ(ib, ia);
  EXPECT_EQ(t.at(ib).packets[0], 0u);
  EXPECT_EQ(t.at(ib).id, 0u);
  EXPECT_EQ(t.at(ib).key, b);
  EXPECT_EQ(t.oldest(1), ib);
}

}  // namespace
}  // namespace wiretop::flow
