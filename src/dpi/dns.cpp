// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kDns{"DNS", kTcpUdp, {53}, false, probe_none, nullptr};
extern const Dissector kMdns{"MDNS", kUdp, {5353}, false, probe_none, nullptr};
extern const Dissector kLlmnr{"LLMNR", kTcpUdp, {5355}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
