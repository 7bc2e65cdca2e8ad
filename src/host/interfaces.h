#pragma once
// What the kernel says about this host's interfaces: which one carries the
// default route, which are up, and the host's own addresses.

#include <optional>
#include <string>
#include <vector>

#include "core/ip_address.h"

namespace wiretop::host {

struct DefaultInterface {
  std::string name;
  std::string why;  // "default route", "first interface that is up", "loopback"
};

// The interface of the IPv4 (else IPv6) default route; else the first
// non-loopback interface that is up; else "lo".
DefaultInterface pick_default_interface();

// Every address configured on this host (all interfaces).
std::vector<core::IpAddress> local_addresses();

// True when an interface of this name exists (or the name is "any").
bool interface_exists(const std::string& name);

}  // namespace wiretop::host
