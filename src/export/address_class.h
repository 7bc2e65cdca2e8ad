#pragma once
// What kind of address an IP is, from the IANA special-purpose registries
// (RFC 6890 and its updates): whether it can be routed on the Internet at all.

#include <string_view>

#include "core/ip_address.h"

namespace wiretop::exporting {

// One of "public", "private" (RFC 1918, IPv6 ULA), "shared" (RFC 6598 carrier-grade NAT),
// "loopback", "link_local", "multicast", "broadcast", "unspecified", or "bogon" (reserved,
// documentation, benchmarking: never seen on the Internet). Empty for an empty address.
std::string_view address_class(const core::IpAddress& ip);

}  // namespace wiretop::exporting
