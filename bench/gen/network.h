#pragma once
// Who talks in the generated capture: a few hundred client hosts on three LAN segments
// (one untagged, two VLAN-tagged), their resolvers, and servers whose addresses follow
// from their host names, so a DNS answer and the later connection agree.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/rng.h"
#include "support/packet_builder.h"

namespace wiretop::bench {

struct Client {
  std::string v4, v6;  // v6 empty: IPv4-only host
  testing::Mac mac{};
  std::uint16_t vlan = 0;  // 0: untagged
  std::string resolver_v4, resolver_v6;
  std::uint16_t next_port = 0;  // ephemeral ports are handed out in order, as Linux does per destination
};

class Network {
 public:
  Network(std::size_t client_count, std::uint64_t seed);

  std::size_t size() const { return clients_.size(); }
  const Client& client(std::uint32_t index) const { return clients_[index]; }
  // Some hosts are far busier than others (a build server next to a printer).
  std::uint32_t pick_client(Rng& rng) const;
  std::uint16_t take_port(std::uint32_t client);

  // The router's MAC: every packet crosses it, the capture point sits on its LAN side.
  static constexpr testing::Mac kGatewayMac{0x00, 0x0d, 0xb9, 0x4f, 0x21, 0x30};

 private:
  std::vector<Client> clients_;
};

// A stable, public-looking address for a host name (FNV-1a of the name into real CDN prefixes).
std::uint32_t server_ipv4(std::string_view name);
std::string server_ipv4_text(std::string_view name);
std::string server_ipv6_text(std::string_view name);

}  // namespace wiretop::bench
