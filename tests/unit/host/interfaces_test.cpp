#include "host/interfaces.h"

#include <gtest/gtest.h>

namespace wiretop::host {
namespace {

TEST(Interfaces, DefaultInterfaceExistsAndSaysWhy) {
  const auto picked = pick_default_interface();
  EXPECT_FALSE(picked.name.empty());
  EXPECT_FALSE(picked.why.empty());
  EXPECT_TRUE(interface_exists(picked.name));
}

TEST(Interfaces, LoopbackAndAnyExistUnknownDoesNot) {
  EXPECT_TRUE(interface_exists("lo"));
  EXPECT_TRUE(interface_exists("any"));
  EXPECT_FALSE(interface_exists("nosuch0"));
}

TEST(Interfaces, LocalAddressesIncludeLoopback) {
  const auto addrs = local_addresses();
  bool found = false;
  for (const auto& a : addrs) found = found || a.to_string() == "127.0.0.1";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace wiretop::host
