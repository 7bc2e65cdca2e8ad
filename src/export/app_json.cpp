#include "export/app_json.h"

#include <string>
#include <vector>

namespace wiretop::exporting {
namespace {

void text(JsonWriter& w, std::string_view key, const std::string& v) {
  if (!v.empty()) w.field(key, v);
}
void list(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  w.begin_array(key);
  for (const std::string& s : v) w.value(s);
  w.end_array();
}
void integer(JsonWriter& w, std::string_view key, int v) {
  if (v >= 0) w.field(key, static_cast<std::uint64_t>(v));
}
void flag(JsonWriter& w, std::string_view key, bool v) {
  if (v) w.field_bool(key, true);
}

}  // namespace

void write_app_object(JsonWriter& w, const dpi::AppInfo& a) {
  w.key("app");
  w.begin_object();
  w.field("proto", a.proto);
  text(w, "sni", a.sni);
  list(w, "alpn", a.alpn);
  text(w, "alpn_selected", a.alpn_selected);
  text(w, "tls_version", a.tls_version);
  text(w, "cipher", a.cipher);
  text(w, "ja3", a.ja3);
  text(w, "ja3s", a.ja3s);
  text(w, "ja4", a.ja4);
  text(w, "tls_cert_subject_cn", a.tls_cert_subject_cn);
  list(w, "tls_cert_sans", a.tls_cert_sans);
  flag(w, "tls_ech", a.tls_ech);
  text(w, "quic_version", a.quic_version);
  text(w, "quic_user_agent", a.quic_user_agent);
  text(w, "http_method", a.http_method);
  text(w, "http_host", a.http_host);
  text(w, "http_path", a.http_path);
  text(w, "http_user_agent", a.http_user_agent);
  integer(w, "http_status", a.http_status);
  text(w, "http_content_type", a.http_content_type);
  if (!a.dns_queries.empty()) {
    w.begin_array("dns_queries");
    for (const dpi::DnsQuery& q : a.dns_queries) {
      w.begin_object();
      w.field("name", q.name);
      w.field("type", q.type);
      w.end_object();
    }
    w.end_array();
  }
  if (a.dns_queries_overflow > 0) w.field("dns_queries_overflow", std::uint64_t{a.dns_queries_overflow});
  list(w, "dns_answers", a.dns_answers);
  text(w, "dns_rcode", a.dns_rcode);
  text(w, "ssh_client_banner", a.ssh_client_banner);
  text(w, "ssh_server_banner", a.ssh_server_banner);
  text(w, "hassh", a.hassh);
  text(w, "hassh_server", a.hassh_server);
  text(w, "dhcp_hostname", a.dhcp_hostname);
  text(w, "dhcp_vendor_class", a.dhcp_vendor_class);
  list(w, "dhcp_message_types", a.dhcp_message_types);
  integer(w, "ntp_version", a.ntp_version);
  integer(w, "ntp_mode", a.ntp_mode);
  integer(w, "ntp_stratum", a.ntp_stratum);
  text(w, "snmp_version", a.snmp_version);
  text(w, "snmp_community", a.snmp_community);
  text(w, "ssdp_st", a.ssdp_st);
  text(w, "ssdp_usn", a.ssdp_usn);
  text(w, "ssdp_server", a.ssdp_server);
  list(w, "stun_message_types", a.stun_message_types);
  text(w, "stun_software", a.stun_software);
  text(w, "mqtt_client_id", a.mqtt_client_id);
  flag(w, "mqtt_username_present", a.mqtt_username_present);
  text(w, "ftp_user", a.ftp_user);
  list(w, "ftp_commands", a.ftp_commands);
  flag(w, "starttls", a.starttls);
  text(w, "bittorrent_info_hash", a.bittorrent_info_hash);
  w.end_object();
}

}  // namespace wiretop::exporting
