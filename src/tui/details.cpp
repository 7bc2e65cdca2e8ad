#include "tui/details.h"

#include <cstdarg>
#include <cstdio>

#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

class Lines {
 public:
  void add(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    lines_.emplace_back(buf);
  }
  // "label           value", only when the value is known.
  void text(const char* label, const std::string& value) {
    if (!value.empty()) add("%-16s%s", label, value.c_str());
  }
  void list(const char* label, const std::vector<std::string>& values) {
    std::string joined;
    for (const std::string& v : values) joined += (joined.empty() ? "" : ", ") + v;
    text(label, joined);
  }
  void number(const char* label, int value) {
    if (value >= 0) add("%-16s%d", label, value);
  }
  std::vector<std::string> take() { return std::move(lines_); }

 private:
  std::vector<std::string> lines_;
};

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

// "public  US Mountain View  AS15169 Google LLC  mac 00:22:72:.. American Micro-Fuel": what the
// local databases say of one end (issue 8 enrichment); empty when nothing is known.
std::string endpoint_info_text(const model::EndpointInfo& e) {
  std::string out(e.address_class);
  const auto part = [&](const std::string& text) {
    if (!text.empty()) out += (out.empty() ? "" : "  ") + text;
  };
  part(e.country.empty() ? e.city : e.city.empty() ? e.country : e.country + " " + e.city);
  if (e.asn != 0) part("AS" + std::to_string(e.asn) + (e.as_org.empty() ? "" : " " + e.as_org));
  if (e.has_mac) {
    char mac[18];
    std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", e.mac[0], e.mac[1], e.mac[2], e.mac[3],
                  e.mac[4], e.mac[5]);
    part(std::string("mac ") + mac + (e.mac_vendor.empty() ? "" : " " + e.mac_vendor));
  }
  return out;
}

// The connection's life relative to its first packet: handshake done (TCP, from the RTT),
// last packet, and how it ended.
std::string timeline_text(const model::ConnectionRow& r) {
  char buf[160];
  std::string text = "start";
  if (r.ip_proto == 6 && r.rtt_ms >= 0) {
    std::snprintf(buf, sizeof buf, ", handshake done +%.1f ms", r.rtt_ms);
    text += buf;
  }
  std::snprintf(buf, sizeof buf, ", last packet +%.3f s",
                static_cast<double>(r.last_seen.usec - r.first_seen.usec) / 1e6);
  text += buf;
  text += r.end_reason.empty() ? std::string(", now ") + std::string(r.state)
                               : ", ended (" + std::string(r.end_reason) + ") in " + std::string(r.state);
  return text;
}

void add_flow(Lines& out, const model::ConnectionRow& r) {
  const RowText t = row_text(r);
  out.add("id              %llu", ull(r.id));
  out.add("protocol        %s (%u)%s%s", t.proto.c_str(), r.ip_proto, r.service.empty() ? "" : "  service ",
          std::string(r.service).c_str());
  out.add("client          %s", endpoint_text(r.client_ip, r.has_ports, r.client_port).c_str());
  out.add("server          %s", endpoint_text(r.server_ip, r.has_ports, r.server_port).c_str());
  if (!r.server_name.empty())
    out.add("server name     %s  (from %s)", r.server_name.c_str(), std::string(r.server_name_source).c_str());
  out.add("local / remote  %s / %s", t.local.c_str(), t.remote.c_str());
  out.text("process", t.process);
  out.text("country", r.country);
  out.text("client info", endpoint_info_text(r.ends[0]));
  out.text("server info", endpoint_info_text(r.ends[1]));
  out.add("state           %s%s%s", t.state.c_str(), r.end_reason.empty() ? "" : "  ended: ",
          std::string(r.end_reason).c_str());
  if (r.has_vlan) out.add("vlan            %u", r.vlan);
  if (r.is_icmp)
    out.add("icmp            %s type %u code %u id %u", r.is_icmp_echo ? "echo" : "yes", r.icmp_type, r.icmp_code,
            r.icmp_id);
  out.add("first / last    %.6f / %.6f", r.first_seen.seconds(), r.last_seen.seconds());
  out.text("timeline", timeline_text(r));
  if (r.idle_timeout_s > 0) out.add("idle timeout    %.0f s", r.idle_timeout_s);
  out.add("packets c>s s>c %llu / %llu", ull(r.packets[0]), ull(r.packets[1]));
  out.add("bytes   c>s s>c %llu / %llu", ull(r.bytes[0]), ull(r.bytes[1]));
  out.add("frame bytes     %llu / %llu", ull(r.frame_bytes[0]), ull(r.frame_bytes[1]));
  out.add("rate c>s s>c    %s/s / %s/s", human_bytes(r.rate_bps[0]).c_str(), human_bytes(r.rate_bps[1]).c_str());
  out.add("rtt             %s", t.rtt.c_str());
  out.add("retransmits     %u / %u", r.retransmits[0], r.retransmits[1]);
  out.add("out of order    %u / %u", r.out_of_order[0], r.out_of_order[1]);
  out.add("dup acks        %u / %u", r.dup_acks[0], r.dup_acks[1]);
  out.add("fragments       %u   icmp errors %u", r.fragments, r.icmp_errors);
  out.add("locality        %s", !r.locality_known ? "unknown"
                                 : r.client_local ? "client local"
                                 : r.server_local ? "server local"
                                                  : "neither local");
}

void add_app(Lines& out, const dpi::AppInfo& a) {
  out.text("application", a.proto);
  out.text("tls sni", a.sni);
  out.list("alpn offered", a.alpn);
  out.text("alpn selected", a.alpn_selected);
  out.text("tls version", a.tls_version);
  out.text("cipher", a.cipher);
  out.text("ja3 / ja3s", a.ja3.empty() && a.ja3s.empty() ? "" : a.ja3 + " / " + a.ja3s);
  out.text("ja4", a.ja4);
  out.text("cert subject", a.tls_cert_subject_cn);
  out.list("cert names", a.tls_cert_sans);
  if (a.tls_ech) out.add("%-16s%s", "ech", "offered (the real server name is encrypted)");
  out.text("quic version", a.quic_version);
  out.text("quic agent", a.quic_user_agent);
  out.text("http", a.http_method.empty() ? "" : a.http_method + " " + a.http_host + a.http_path);
  out.text("user agent", a.http_user_agent);
  out.number("http status", a.http_status);
  out.text("content type", a.http_content_type);
  std::vector<std::string> queries;
  for (const dpi::DnsQuery& q : a.dns_queries) queries.push_back(q.name + " " + q.type);
  out.list("dns queries", queries);
  out.list("dns answers", a.dns_answers);
  out.text("dns rcode", a.dns_rcode);
  out.text("ssh client", a.ssh_client_banner);
  out.text("ssh server", a.ssh_server_banner);
  out.text("hassh / server", a.hassh.empty() && a.hassh_server.empty() ? "" : a.hassh + " / " + a.hassh_server);
  out.text("dhcp hostname", a.dhcp_hostname);
  out.text("dhcp vendor", a.dhcp_vendor_class);
  out.list("dhcp messages", a.dhcp_message_types);
  out.number("ntp version", a.ntp_version);
  out.number("ntp mode", a.ntp_mode);
  out.number("ntp stratum", a.ntp_stratum);
  out.text("snmp", a.snmp_version.empty() ? "" : a.snmp_version + " " + a.snmp_community);
  out.text("ssdp st", a.ssdp_st);
  out.text("ssdp usn", a.ssdp_usn);
  out.text("ssdp server", a.ssdp_server);
  out.list("stun messages", a.stun_message_types);
  out.text("stun software", a.stun_software);
  out.text("mqtt client", a.mqtt_client_id);
  out.text("ftp user", a.ftp_user);
  out.list("ftp commands", a.ftp_commands);
  if (a.starttls) out.add("%-16s%s", "starttls", "yes");
  out.text("info hash", a.bittorrent_info_hash);
}

}  // namespace

// One socket owner: name, pid, user, how it was found, then its details.
void add_process(Lines& out, const char* side, const host::ProcessInfo& p) {
  const std::string_view source = host::owner_source_name(p.source);
  out.add("%-16s%s (pid %u, user %s) via %.*s, confidence %u%%", side, p.name.c_str(), p.pid,
          p.user.empty() ? std::to_string(p.uid).c_str() : p.user.c_str(), static_cast<int>(source.size()),
          source.data(), p.confidence);
  out.text("  exe", p.exe);
  out.text("  cmdline", p.cmdline);
  std::string chain;
  for (const host::ProcessParent& parent : p.parents)
    chain += (chain.empty() ? "" : " < ") + parent.name + "(" + std::to_string(parent.pid) + ")";
  out.text("  parents", chain);
  out.text("  container", p.container);
}

std::vector<std::string> details_lines(const model::ConnectionRow& row) {
  Lines out;
  add_flow(out, row);
  if (row.process) add_process(out, "client process", *row.process);
  if (row.server_process) add_process(out, "server process", *row.server_process);
  if (row.app) add_app(out, *row.app);
  return out.take();
}

}  // namespace wiretop::tui
