// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kTls{"TLS", kTcp, {443, 8443, 993, 995}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
#include "dpi/tls.h"
namespace wiretop::dpi::tls {
bool parse_client_hello(core::Bytes, Carrier, AppInfo&) { return false; }  // STUB
}  // namespace wiretop::dpi::tls
