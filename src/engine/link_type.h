#pragma once
// Maps pcap data-link types to the decoders' link types.

#include <optional>

#include "proto/decoded_packet.h"

namespace wiretop::engine {

// The pcap DLT / LINKTYPE number → our decoder; nullopt when unsupported.
std::optional<proto::LinkType> link_type_for_dlt(int dlt);

}  // namespace wiretop::engine
