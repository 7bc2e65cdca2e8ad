#pragma once
// The text of each Overview column for one connection row; shared by the
// table, the details view and the filter so all three agree on spelling.

#include <string>

#include "model/connection_row.h"

namespace wiretop::tui {

struct RowText {
  std::string proto, local, remote, state, service, app, down, up, bytes, rtt, process;
};

const char* proto_label(std::uint8_t ip_proto);
std::string endpoint_text(const core::IpAddress& ip, bool has_port, unsigned port);
std::string human_bytes(double v);
RowText row_text(const model::ConnectionRow& row);
// The DPI summary: the protocol and the best name it gave ("TLS www.example.com",
// "DNS example.org", "SSH OpenSSH_9.2"), empty when nothing was inspected.
std::string app_summary(const model::ConnectionRow& row);
// "firefox(1234)", or empty when the owner is unknown.
std::string process_text(const model::ConnectionRow& row);
// How a row is coloured: recent traffic, quiet, close to its idle timeout
// (the last fifth of it), or ended (kept listed by --keep-closed or a replay).
enum class Freshness { kFresh, kIdle, kExpiring, kClosed };
Freshness freshness(const model::ConnectionRow& row, core::Timestamp now);
// The remote end as a name when one is known ("www.example.com:443"), else its address.
std::string remote_name_text(const model::ConnectionRow& row);
// True when the row's local side is the server (live capture, inbound connection).
bool server_is_local(const model::ConnectionRow& row);

}  // namespace wiretop::tui
