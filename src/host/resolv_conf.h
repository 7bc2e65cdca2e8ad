#pragma once
// The DNS servers this machine is configured to use: the `nameserver` lines
// of /etc/resolv.conf (resolv.conf(5)), read once before the sandbox for the
// dns_resolver alert (issue 10).

#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"

namespace wiretop::host {

// Every parseable `nameserver ADDRESS` line, in order (an IPv6 zone "%eth0" is dropped).
std::vector<core::IpAddress> parse_nameservers(std::string_view resolv_conf);
// The file's nameservers; empty when it is missing or lists none.
std::vector<core::IpAddress> read_nameservers(const std::string& path = "/etc/resolv.conf");

}  // namespace wiretop::host
