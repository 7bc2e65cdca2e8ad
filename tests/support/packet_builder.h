#pragma once
// Builds real packet bytes for tests and benchmarks: layers are stacked
// outermost first, and build() fills in lengths and checksums.
//
//   auto frame = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2")
//                    .tcp(40000, 443, tcp_flag::kSyn).build();

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wiretop::testing {

using Frame = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;

inline constexpr Mac kMacA{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
inline constexpr Mac kMacB{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};

struct TcpSpec {
  std::uint16_t sport = 0, dport = 0;
  std::uint8_t flags = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint16_t window = 65535;
  std::vector<std::uint8_t> options;  // raw option bytes, padded to 4 by build()
};

struct Ipv4Spec {
  std::string src, dst;
  std::uint8_t ttl = 64;
  std::uint16_t id = 0;
  bool more_fragments = false;
  bool dont_fragment = false;
  std::uint16_t frag_offset_bytes = 0;  // multiple of 8
  int proto = -1;                       // -1: taken from the next layer
  std::vector<std::uint8_t> options;    // raw, padded to 4
  int total_length_override = -1;       // write this instead of the real length
  int ihl_override = -1;
};

struct Ipv6Spec {
  std::string src, dst;
  std::uint8_t hop_limit = 64;
  int next_header = -1;                  // -1: from the next layer
  int payload_length_override = -1;
};

class PacketBuilder {
 public:
  PacketBuilder& ethernet(Mac src = kMacA, Mac dst = kMacB);
  PacketBuilder& vlan(std::uint16_t id, std::uint16_t tpid = 0x8100);
  PacketBuilder& sll(std::uint16_t packet_type = 0);   // Linux cooked v1 header
  PacketBuilder& sll2(std::uint32_t ifindex = 1);      // Linux cooked v2 header
  PacketBuilder& null_family(std::uint32_t family);    // DLT_NULL, host order (little endian)
  PacketBuilder& ipv4(std::string src, std::string dst);
  PacketBuilder& ipv4(Ipv4Spec spec);
  PacketBuilder& ipv6(std::string src, std::string dst);
  PacketBuilder& ipv6(Ipv6Spec spec);
  // IPv6 extension header (hop-by-hop 0, routing 43, destination options 60): `body` is the
  // content after next-header/length, padded to a multiple of 8 in total.
  PacketBuilder& ipv6_ext(std::uint8_t type, std::vector<std::uint8_t> body = {});
  PacketBuilder& ipv6_fragment(std::uint32_t id, std::uint16_t offset_bytes, bool more);
  PacketBuilder& tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags,
                     std::uint32_t seq = 0, std::uint32_t ack = 0);
  PacketBuilder& tcp(TcpSpec spec);
  PacketBuilder& udp(std::uint16_t sport, std::uint16_t dport);
  PacketBuilder& icmp(std::uint8_t type, std::uint8_t code, std::uint16_t id = 0,
                      std::uint16_t seq = 0);  // v4 or v6 by the enclosing IP layer
  // ICMP error quoting `inner` (an IP packet built by another PacketBuilder without link layer).
  PacketBuilder& icmp_error(std::uint8_t type, std::uint8_t code, const Frame& inner);
  // IPv6 neighbour solicitation (135) or advertisement (136) for `target`, with one
  // link-layer address option (1 source, 2 target) carrying `mac` (RFC 4861 4.3, 4.4, 4.6.1).
  PacketBuilder& ndp(std::uint8_t type, const std::string& target, std::uint8_t option, Mac mac);
  PacketBuilder& arp(std::uint16_t op, Mac sender_mac, std::string sender_ip, Mac target_mac,
                     std::string target_ip);
  PacketBuilder& payload(std::string_view text);
  PacketBuilder& payload(const std::vector<std::uint8_t>& bytes);

  Frame build() const;

 private:
  enum class Kind { Eth, Vlan, Sll, Sll2, Null, V4, V6, V6Ext, V6Frag, Tcp, Udp, Icmp, IcmpErr, Arp };
  struct Layer {
    Kind kind = Kind::Eth;
    Mac mac_a{}, mac_b{};
    std::uint32_t num = 0, num2 = 0;
    bool flag = false;
    Ipv4Spec v4;
    Ipv6Spec v6;
    TcpSpec tcp;
    std::vector<std::uint8_t> body;
    std::string ip_a, ip_b;
  };
  std::vector<Layer> layers_;
  std::vector<std::uint8_t> payload_;
};

// A TLS 1.2/1.3-style ClientHello record carrying `sni` (and ALPN h2, http/1.1).
std::vector<std::uint8_t> tls_client_hello(std::string_view sni);
// A ClientHello shaped like a browser's; tls_client_hello(sni) is the default of this.
struct ClientHelloSpec {
  std::string sni;
  std::vector<std::string> alpn{"h2", "http/1.1"};
  std::uint64_t random_seed = 0;    // 0: the fixed client random and session id of tls_client_hello(sni)
  bool browser_extensions = false;  // also supported_groups, signature_algorithms, key_share, ...
  // Non-empty: a QUIC ClientHello (RFC 9001 8.2): this transport-parameters extension,
  // TLS 1.3 only, no legacy session id.
  std::vector<std::uint8_t> quic_transport_parameters;
};
// The handshake message alone (what QUIC CRYPTO frames carry) and as a TLS record.
std::vector<std::uint8_t> tls_client_hello_message(const ClientHelloSpec& spec);
std::vector<std::uint8_t> tls_client_hello(const ClientHelloSpec& spec);
// A TLS 1.3 ServerHello handshake message (x25519 key share); `quic` leaves the session id empty.
std::vector<std::uint8_t> tls_server_hello_message(std::uint16_t cipher_suite,
                                                   std::uint64_t random_seed, bool quic = false);
// Wraps `body` in a TLS record header (content type 20/21/22/23).
std::vector<std::uint8_t> tls_record(std::uint8_t content_type, const std::vector<std::uint8_t>& body,
                                     std::uint16_t version = 0x0303);

// A DNS query (`answer` false) or a response with one A record, for `name`.
std::vector<std::uint8_t> dns_message(std::uint16_t id, std::string_view name, bool answer,
                                      std::uint32_t a_record = 0x5db8d822);

}  // namespace wiretop::testing
