// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kHttp{"HTTP", kTcp, {80, 8080}, false, probe_none, nullptr};
extern const Dissector kHttp2{"HTTP2", kTcp, {80}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
