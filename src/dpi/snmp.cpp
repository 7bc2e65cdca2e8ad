// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kSnmp{"SNMP", kUdp, {161, 162}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
