#pragma once
// Builds the Ethernet frame of one scheduled event with the test PacketBuilder.

#include <cstdint>

#include "gen/names.h"
#include "gen/network.h"
#include "gen/plan.h"
#include "gen/schedule.h"
#include "support/packet_builder.h"

namespace wiretop::bench {

testing::Frame build_frame(const FlowPlan& f, const Network& network, const NameCatalogue& names,
                           const Event& e);

}  // namespace wiretop::bench
