// STUB: placeholder so the registry links; replaced by the real dissector.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kSmtp{"SMTP", kTcp, {25, 587}, false, probe_none, nullptr};
extern const Dissector kImap{"IMAP", kTcp, {143}, false, probe_none, nullptr};
extern const Dissector kPop3{"POP3", kTcp, {110}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
