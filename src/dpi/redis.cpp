// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kRedis{"REDIS", kTcp, {6379}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
