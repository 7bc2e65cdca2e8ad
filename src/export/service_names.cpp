#include "export/service_names.h"

#include <fstream>
#include <sstream>

namespace wiretop::exporting {
namespace {

std::uint32_t service_key(std::uint8_t proto, std::uint16_t port) {
  return (std::uint32_t{proto} << 16) | port;
}

std::string lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

}  // namespace

ServiceNames ServiceNames::load(const std::string& services_path,
                                const std::string& protocols_path) {
  ServiceNames n;
  for (int i = 0; i < 256; ++i) n.protocols_[static_cast<std::size_t>(i)] = std::to_string(i);
  n.protocols_[1] = "icmp";
  n.protocols_[2] = "igmp";
  n.protocols_[6] = "tcp";
  n.protocols_[17] = "udp";
  n.protocols_[58] = "icmpv6";
  n.load_protocols(protocols_path);
  n.load_services(services_path);
  return n;
}

void ServiceNames::load_protocols(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream f(line);
    std::string name;
    int number = -1;
    if (!(f >> name >> number) || number < 0 || number > 255) continue;
    name = lower(name);
    // The contract names ICMPv6 "icmpv6", not netbase's "ipv6-icmp".
    if (name == "ipv6-icmp") name = "icmpv6";
    protocols_[static_cast<std::size_t>(number)] = name;
  }
}

void ServiceNames::load_services(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream f(line);
    std::string name, port_proto;
    if (!(f >> name >> port_proto)) continue;
    const auto slash = port_proto.find('/');
    if (slash == std::string::npos) continue;
    int port = -1;
    try {
      port = std::stoi(port_proto.substr(0, slash));
    } catch (...) {
      continue;
    }
    if (port < 0 || port > 65535) continue;
    const std::string proto = port_proto.substr(slash + 1);
    std::uint8_t number;
    if (proto == "tcp") {
      number = 6;
      tcp_ports_.set(static_cast<std::size_t>(port));
    } else if (proto == "udp") {
      number = 17;
      udp_ports_.set(static_cast<std::size_t>(port));
    } else {
      continue;
    }
    services_.emplace(service_key(number, static_cast<std::uint16_t>(port)), name);  // first wins
  }
}

std::string_view ServiceNames::service(std::uint8_t ip_proto, std::uint16_t port) const {
  auto it = services_.find(service_key(ip_proto, port));
  return it == services_.end() ? std::string_view{} : std::string_view{it->second};
}

}  // namespace wiretop::exporting
