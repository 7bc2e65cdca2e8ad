#pragma once
// What deep packet inspection learned about one connection: the JSON `app`
// object (docs/json-schema.md) and the details view read this. Empty strings
// and empty lists mean "not seen"; numbers use -1 (or 0 where noted) for that.

#include <cstdint>
#include <string>
#include <vector>

namespace wiretop::dpi {

struct DnsQuery {
  std::string name;  // as on the wire, dots between labels, no trailing dot
  std::string type;  // "A", "AAAA", "PTR", ... or "TYPE65" when unnamed
  bool operator==(const DnsQuery&) const = default;
};

struct AppInfo {
  std::string proto;  // upper-case protocol name ("TLS", "QUIC", "DNS", ...); empty: unknown

  // TLS (also QUIC's inner handshake: sni, alpn, ja4).
  std::string sni;
  std::vector<std::string> alpn;      // the client's offered list, in order
  std::string alpn_selected;
  std::string tls_version;            // negotiated: "TLS 1.3", "TLS 1.2", ...
  std::string cipher;                 // IANA name of the server's choice
  std::string ja3, ja3s, ja4;         // ja3/ja3s: MD5 hex; ja4: FoxIO text
  std::string tls_cert_subject_cn;
  std::vector<std::string> tls_cert_sans;
  bool tls_ech = false;               // encrypted_client_hello (or ESNI) extension present

  // QUIC.
  std::string quic_version;           // "1", "2", "draft-29", "Q050", ...
  std::string quic_user_agent;        // gQUIC CHLO's UAID tag (Chrome's product and OS)

  // HTTP/1.x (and HTTP/2 prior knowledge: proto "HTTP2").
  std::string http_method, http_host, http_path, http_user_agent, http_content_type;
  int http_status = -1;

  // DNS, mDNS, LLMNR (NetBIOS name service reuses dns_queries).
  std::vector<DnsQuery> dns_queries;  // distinct, first seen first, at most kMaxDnsQueries
  std::uint32_t dns_queries_overflow = 0;
  std::vector<std::string> dns_answers;  // distinct RDATA texts, at most kMaxDnsAnswers
  std::string dns_rcode;              // of the last response: "NOERROR", "NXDOMAIN", ...

  // SSH.
  std::string ssh_client_banner, ssh_server_banner, hassh, hassh_server;

  // DHCP / DHCPv6.
  std::string dhcp_hostname, dhcp_vendor_class;
  std::vector<std::string> dhcp_message_types;  // "DISCOVER", "OFFER", ..., "SOLICIT", ...

  // NTP.
  int ntp_version = -1, ntp_mode = -1, ntp_stratum = -1;

  // SNMP.
  std::string snmp_version;           // "v1", "v2c", "v3"
  std::string snmp_community;

  // SSDP.
  std::string ssdp_st, ssdp_usn, ssdp_server;

  // STUN.
  std::vector<std::string> stun_message_types;  // "BINDING_REQUEST", ...
  std::string stun_software;

  // MQTT.
  std::string mqtt_client_id;
  bool mqtt_username_present = false;

  // FTP.
  std::string ftp_user;
  std::vector<std::string> ftp_commands;  // distinct verbs, first seen first

  // Mail: SMTP/IMAP/POP3 switched to TLS with STARTTLS/STLS.
  bool starttls = false;

  // Credentials that crossed in clear text (issue 10's plaintext_credentials
  // alert): "ftp" (USER then PASS), "http_basic" (Authorization: Basic),
  // "snmp_community" (v1/v2c), "telnet" (typed after a "Password:" prompt),
  // empty when none. The secret itself is never kept.
  std::string cleartext_auth;

  // BitTorrent.
  std::string bittorrent_info_hash;   // hex, from the handshake

  static constexpr std::size_t kMaxDnsQueries = 256;
  static constexpr std::size_t kMaxDnsAnswers = 256;
  static constexpr std::size_t kMaxListItems = 32;  // other lists (alpn, commands, types)
  static constexpr std::size_t kMaxText = 256;      // longest string kept (bytes)

  bool empty() const { return proto.empty(); }
};

}  // namespace wiretop::dpi
