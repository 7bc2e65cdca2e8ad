// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kDhcp{"DHCP", kUdp, {67, 68}, false, probe_none, nullptr};
extern const Dissector kDhcpv6{"DHCPV6", kUdp, {546, 547}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
