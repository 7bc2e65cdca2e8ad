#include "engine/link_type.h"

namespace wiretop::engine {

std::optional<proto::LinkType> link_type_for_dlt(int dlt) {
  // Numbers from https://www.tcpdump.org/linktypes.html; DLT_RAW differs by
  // platform (12 on Linux, 14 on OpenBSD) and LINKTYPE_RAW is 101 in files.
  switch (dlt) {
    case 0: return proto::LinkType::Null;
    case 1: return proto::LinkType::Ethernet;
    case 12:
    case 14:
    case 101: return proto::LinkType::Raw;
    case 108: return proto::LinkType::Loop;
    case 113: return proto::LinkType::LinuxSll;
    case 228: return proto::LinkType::Ipv4;
    case 229: return proto::LinkType::Ipv6;
    case 276: return proto::LinkType::LinuxSll2;
    default: return std::nullopt;
  }
}

}  // namespace wiretop::engine
