#pragma once
// Names from netbase: /etc/services (port → service) and /etc/protocols
// (IP protocol number → name). Loaded once at start-up, read-only after.

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wiretop::exporting {

class ServiceNames {
 public:
  // Loads the two files; a missing file leaves built-in fallbacks for the
  // common protocols and no service names.
  static ServiceNames load(const std::string& services_path = "/etc/services",
                           const std::string& protocols_path = "/etc/protocols");

  // "https" for (tcp, 443); empty when unknown.
  std::string_view service(std::uint8_t ip_proto, std::uint16_t port) const;
  // "tcp", "udp", "icmp", "icmpv6", ...; the number as text when unnamed.
  std::string_view protocol(std::uint8_t ip_proto) const { return protocols_[ip_proto]; }

  const std::bitset<65536>& tcp_ports() const { return tcp_ports_; }
  const std::bitset<65536>& udp_ports() const { return udp_ports_; }

 private:
  void load_services(const std::string& path);
  void load_protocols(const std::string& path);

  std::unordered_map<std::uint32_t, std::string> services_;  // key: proto << 16 | port
  std::array<std::string, 256> protocols_;
  std::bitset<65536> tcp_ports_, udp_ports_;
};

}  // namespace wiretop::exporting
