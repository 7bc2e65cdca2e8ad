#include "support/packet_builder.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace wiretop::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

void be16(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void be32(Bytes& b, std::uint32_t v) {
  be16(b, v >> 16);
  be16(b, v & 0xffff);
}
void put_be16(Bytes& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

std::array<std::uint8_t, 16> addr(const std::string& text, int& family) {
  std::array<std::uint8_t, 16> out{};
  if (inet_pton(AF_INET, text.c_str(), out.data()) == 1) {
    family = 4;
    return out;
  }
  if (inet_pton(AF_INET6, text.c_str(), out.data()) == 1) {
    family = 6;
    return out;
  }
  throw std::invalid_argument("bad test address: " + text);
}

std::uint32_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t acc = 0) {
  for (std::size_t i = 0; i + 1 < n; i += 2) acc += (p[i] << 8) | p[i + 1];
  if (n & 1) acc += p[n - 1] << 8;
  return acc;
}
std::uint16_t fold(std::uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<std::uint16_t>(~acc);
}

void pad_to(Bytes& b, std::size_t multiple) {
  while (b.size() % multiple) b.push_back(0);
}

}  // namespace

PacketBuilder& PacketBuilder::ethernet(Mac src, Mac dst) {
  Layer l;
  l.kind = Kind::Eth;
  l.mac_a = src;
  l.mac_b = dst;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::vlan(std::uint16_t id, std::uint16_t tpid) {
  Layer l;
  l.kind = Kind::Vlan;
  l.num = id;
  l.num2 = tpid;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::sll(std::uint16_t packet_type) {
  Layer l;
  l.kind = Kind::Sll;
  l.num = packet_type;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::sll2(std::uint32_t ifindex) {
  Layer l;
  l.kind = Kind::Sll2;
  l.num = ifindex;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::null_family(std::uint32_t family) {
  Layer l;
  l.kind = Kind::Null;
  l.num = family;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::ipv4(std::string src, std::string dst) {
  Ipv4Spec s;
  s.src = std::move(src);
  s.dst = std::move(dst);
  return ipv4(std::move(s));
}
PacketBuilder& PacketBuilder::ipv4(Ipv4Spec spec) {
  Layer l;
  l.kind = Kind::V4;
  l.v4 = std::move(spec);
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::ipv6(std::string src, std::string dst) {
  Ipv6Spec s;
  s.src = std::move(src);
  s.dst = std::move(dst);
  return ipv6(std::move(s));
}
PacketBuilder& PacketBuilder::ipv6(Ipv6Spec spec) {
  Layer l;
  l.kind = Kind::V6;
  l.v6 = std::move(spec);
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::ipv6_ext(std::uint8_t type, std::vector<std::uint8_t> body) {
  Layer l;
  l.kind = Kind::V6Ext;
  l.num = type;
  l.body = std::move(body);
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::ipv6_fragment(std::uint32_t id, std::uint16_t offset_bytes,
                                            bool more) {
  Layer l;
  l.kind = Kind::V6Frag;
  l.num = id;
  l.num2 = offset_bytes;
  l.flag = more;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags,
                                  std::uint32_t seq, std::uint32_t ack) {
  TcpSpec s;
  s.sport = sport;
  s.dport = dport;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  return tcp(std::move(s));
}
PacketBuilder& PacketBuilder::tcp(TcpSpec spec) {
  Layer l;
  l.kind = Kind::Tcp;
  l.tcp = std::move(spec);
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::udp(std::uint16_t sport, std::uint16_t dport) {
  Layer l;
  l.kind = Kind::Udp;
  l.num = sport;
  l.num2 = dport;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::icmp(std::uint8_t type, std::uint8_t code, std::uint16_t id,
                                   std::uint16_t seq) {
  Layer l;
  l.kind = Kind::Icmp;
  l.num = (std::uint32_t{type} << 8) | code;
  l.num2 = (std::uint32_t{id} << 16) | seq;
  layers_.push_back(l);
  return *this;
}
PacketBuilder& PacketBuilder::icmp_error(std::uint8_t type, std::uint8_t code, const Frame& inner) {
  Layer l;
  l.kind = Kind::IcmpErr;
  l.num = (std::uint32_t{type} << 8) | code;
  l.body = inner;
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::ndp(std::uint8_t type, const std::string& target,
                                  std::uint8_t option, Mac mac) {
  int family = 0;
  const auto t = addr(target, family);
  Layer l;
  l.kind = Kind::IcmpErr;  // type, code, checksum, 4 bytes, then a body: the same shape
  l.num = std::uint32_t{type} << 8;
  l.num2 = type == 136 ? 0x60000000u : 0u;  // advertisement: solicited + override
  l.body.assign(t.begin(), t.end());
  l.body.push_back(option);
  l.body.push_back(1);  // length in units of 8 bytes
  l.body.insert(l.body.end(), mac.begin(), mac.end());
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::arp(std::uint16_t op, Mac sender_mac, std::string sender_ip,
                                  Mac target_mac, std::string target_ip) {
  Layer l;
  l.kind = Kind::Arp;
  l.num = op;
  l.mac_a = sender_mac;
  l.mac_b = target_mac;
  l.ip_a = std::move(sender_ip);
  l.ip_b = std::move(target_ip);
  layers_.push_back(std::move(l));
  return *this;
}
PacketBuilder& PacketBuilder::payload(std::string_view text) {
  payload_.assign(text.begin(), text.end());
  return *this;
}
PacketBuilder& PacketBuilder::payload(const std::vector<std::uint8_t>& bytes) {
  payload_ = bytes;
  return *this;
}

Frame PacketBuilder::build() const {
  // Find the innermost IP layer so transport checksums can use its pseudo-header.
  std::array<std::uint8_t, 16> ip_src{}, ip_dst{};
  int ip_family = 0;
  for (const auto& l : layers_) {
    if (l.kind == Kind::V4) {
      ip_src = addr(l.v4.src, ip_family);
      ip_dst = addr(l.v4.dst, ip_family);
    } else if (l.kind == Kind::V6) {
      ip_src = addr(l.v6.src, ip_family);
      ip_dst = addr(l.v6.dst, ip_family);
    }
  }

  Bytes inner = payload_;
  int next_proto = 59;         // IPv6 "no next header"
  std::uint16_t ethertype = 0;  // what a link layer should announce
  std::size_t transport_total = 0;

  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    const Layer& l = *it;
    Bytes h;
    switch (l.kind) {
      case Kind::Tcp: {
        Bytes opts = l.tcp.options;
        pad_to(opts, 4);
        be16(h, l.tcp.sport);
        be16(h, l.tcp.dport);
        be32(h, l.tcp.seq);
        be32(h, l.tcp.ack);
        h.push_back(static_cast<std::uint8_t>(((20 + opts.size()) / 4) << 4));
        h.push_back(l.tcp.flags);
        be16(h, l.tcp.window);
        be16(h, 0);  // checksum
        be16(h, 0);  // urgent
        h.insert(h.end(), opts.begin(), opts.end());
        next_proto = 6;
        break;
      }
      case Kind::Udp:
        be16(h, l.num);
        be16(h, l.num2);
        be16(h, static_cast<std::uint32_t>(8 + inner.size()));
        be16(h, 0);
        next_proto = 17;
        break;
      case Kind::Icmp:
      case Kind::IcmpErr: {
        h.push_back(static_cast<std::uint8_t>(l.num >> 8));
        h.push_back(static_cast<std::uint8_t>(l.num));
        be16(h, 0);
        if (l.kind == Kind::Icmp) {
          be32(h, l.num2);
        } else {
          be32(h, l.num2);  // unused (0) in errors, flags in NDP
          h.insert(h.end(), l.body.begin(), l.body.end());
        }
        next_proto = ip_family == 6 ? 58 : 1;
        break;
      }
      case Kind::Arp: {
        int fam = 0;
        auto sip = addr(l.ip_a, fam);
        auto tip = addr(l.ip_b, fam);
        be16(h, 1);
        be16(h, 0x0800);
        h.push_back(6);
        h.push_back(4);
        be16(h, l.num);
        h.insert(h.end(), l.mac_a.begin(), l.mac_a.end());
        h.insert(h.end(), sip.begin(), sip.begin() + 4);
        h.insert(h.end(), l.mac_b.begin(), l.mac_b.end());
        h.insert(h.end(), tip.begin(), tip.begin() + 4);
        ethertype = 0x0806;
        break;
      }
      case Kind::V6Ext: {
        Bytes body = l.body;
        while ((body.size() + 2) % 8) body.push_back(0);
        h.push_back(static_cast<std::uint8_t>(next_proto));
        h.push_back(static_cast<std::uint8_t>((body.size() + 2) / 8 - 1));
        h.insert(h.end(), body.begin(), body.end());
        next_proto = static_cast<int>(l.num);
        break;
      }
      case Kind::V6Frag:
        h.push_back(static_cast<std::uint8_t>(next_proto));
        h.push_back(0);
        be16(h, (l.num2 & 0xfff8u) | (l.flag ? 1u : 0u));
        be32(h, l.num);
        next_proto = 44;
        break;
      case Kind::V4: {
        int fam = 0;
        auto s = addr(l.v4.src, fam);
        auto d = addr(l.v4.dst, fam);
        Bytes opts = l.v4.options;
        pad_to(opts, 4);
        const std::size_t hl = 20 + opts.size();
        h.push_back(static_cast<std::uint8_t>(0x40 | (l.v4.ihl_override >= 0 ? l.v4.ihl_override
                                                                             : hl / 4)));
        h.push_back(0);
        be16(h, l.v4.total_length_override >= 0 ? l.v4.total_length_override
                                                : static_cast<std::uint32_t>(hl + inner.size()));
        be16(h, l.v4.id);
        be16(h, (l.v4.dont_fragment ? 0x4000u : 0u) | (l.v4.more_fragments ? 0x2000u : 0u) |
                    ((l.v4.frag_offset_bytes / 8u) & 0x1fffu));
        h.push_back(l.v4.ttl);
        h.push_back(static_cast<std::uint8_t>(l.v4.proto >= 0 ? l.v4.proto : next_proto));
        be16(h, 0);
        h.insert(h.end(), s.begin(), s.begin() + 4);
        h.insert(h.end(), d.begin(), d.begin() + 4);
        h.insert(h.end(), opts.begin(), opts.end());
        put_be16(h, 10, fold(sum16(h.data(), h.size())));
        next_proto = 4;
        ethertype = 0x0800;
        break;
      }
      case Kind::V6: {
        int fam = 0;
        auto s = addr(l.v6.src, fam);
        auto d = addr(l.v6.dst, fam);
        be32(h, 0x60000000u);
        be16(h, l.v6.payload_length_override >= 0 ? l.v6.payload_length_override
                                                  : static_cast<std::uint32_t>(inner.size()));
        h.push_back(static_cast<std::uint8_t>(l.v6.next_header >= 0 ? l.v6.next_header
                                                                    : next_proto));
        h.push_back(l.v6.hop_limit);
        h.insert(h.end(), s.begin(), s.end());
        h.insert(h.end(), d.begin(), d.end());
        next_proto = 41;
        ethertype = 0x86DD;
        break;
      }
      case Kind::Vlan:
        be16(h, l.num & 0x0fff);
        be16(h, ethertype);
        ethertype = static_cast<std::uint16_t>(l.num2);
        break;
      case Kind::Eth:
        h.insert(h.end(), l.mac_b.begin(), l.mac_b.end());
        h.insert(h.end(), l.mac_a.begin(), l.mac_a.end());
        be16(h, ethertype);
        break;
      case Kind::Sll:
        be16(h, l.num);
        be16(h, 1);  // ARPHRD_ETHER
        be16(h, 6);
        h.insert(h.end(), kMacA.begin(), kMacA.end());
        be16(h, 0);
        be16(h, ethertype);
        break;
      case Kind::Sll2:
        be16(h, ethertype);
        be16(h, 0);
        be32(h, l.num);
        be16(h, 1);
        h.push_back(0);
        h.push_back(6);
        h.insert(h.end(), kMacA.begin(), kMacA.end());
        be16(h, 0);
        break;
      case Kind::Null:
        for (int i = 0; i < 4; ++i) h.push_back(static_cast<std::uint8_t>(l.num >> (8 * i)));
        break;
    }
    const bool transport = l.kind == Kind::Tcp || l.kind == Kind::Udp || l.kind == Kind::Icmp ||
                           l.kind == Kind::IcmpErr;
    h.insert(h.end(), inner.begin(), inner.end());
    if (transport) {
      transport_total = h.size();
      std::uint32_t acc = 0;
      const bool is_icmp4 = (l.kind == Kind::Icmp || l.kind == Kind::IcmpErr) && ip_family == 4;
      if (!is_icmp4) {
        const std::size_t alen = ip_family == 6 ? 16 : 4;
        acc = sum16(ip_src.data(), alen, acc);
        acc = sum16(ip_dst.data(), alen, acc);
        acc += static_cast<std::uint32_t>(next_proto);
        acc += static_cast<std::uint32_t>(transport_total & 0xffff) +
               static_cast<std::uint32_t>(transport_total >> 16);
      }
      const std::size_t csum_at = l.kind == Kind::Tcp ? 16 : (l.kind == Kind::Udp ? 6 : 2);
      std::uint16_t c = fold(sum16(h.data(), h.size(), acc));
      if (l.kind == Kind::Udp && c == 0) c = 0xffff;
      put_be16(h, csum_at, c);
    }
    inner = std::move(h);
  }
  return inner;
}

namespace {

void add_extension(Bytes& ext, std::uint16_t type, const Bytes& body) {
  be16(ext, type);
  be16(ext, static_cast<std::uint32_t>(body.size()));
  ext.insert(ext.end(), body.begin(), body.end());
}

// Fills `n` bytes from `seed` (splitmix64), or the fixed pattern `fallback(i)` when seed is 0.
template <typename Fallback>
void random_bytes(Bytes& out, std::size_t n, std::uint64_t seed, Fallback fallback) {
  for (std::size_t i = 0; i < n; ++i) {
    if (seed == 0) {
      out.push_back(fallback(i));
      continue;
    }
    std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    out.push_back(static_cast<std::uint8_t>(z ^ (z >> 31)));
  }
}

// The extensions a current browser adds beyond SNI/ALPN/versions (RFC 8446 4.2).
void add_browser_extensions(Bytes& ext, std::uint64_t seed) {
  add_extension(ext, 0x000a, {0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18});  // groups
  add_extension(ext, 0x000d, {0x00, 0x08, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03});
  add_extension(ext, 0x002d, {0x01, 0x01});  // psk_key_exchange_modes: psk_dhe_ke
  Bytes share{0x00, 0x24, 0x00, 0x1d, 0x00, 0x20};  // one x25519 share of 32 bytes
  random_bytes(share, 32, seed ^ 0x5eedULL, [](std::size_t i) { return std::uint8_t(i); });
  add_extension(ext, 0x0033, share);
}

}  // namespace

std::vector<std::uint8_t> tls_client_hello_message(const ClientHelloSpec& spec) {
  const std::string_view sni = spec.sni;
  const bool quic = !spec.quic_transport_parameters.empty();
  Bytes ext;
  // server_name (RFC 6066 section 3)
  be16(ext, 0x0000);
  be16(ext, static_cast<std::uint32_t>(sni.size() + 5));
  be16(ext, static_cast<std::uint32_t>(sni.size() + 3));
  ext.push_back(0);
  be16(ext, static_cast<std::uint32_t>(sni.size()));
  ext.insert(ext.end(), sni.begin(), sni.end());
  // ALPN (RFC 7301)
  Bytes alpn;
  for (const auto& p : spec.alpn) {
    alpn.push_back(static_cast<std::uint8_t>(p.size()));
    alpn.insert(alpn.end(), p.begin(), p.end());
  }
  if (!alpn.empty()) {
    be16(ext, 0x0010);
    be16(ext, static_cast<std::uint32_t>(alpn.size() + 2));
    be16(ext, static_cast<std::uint32_t>(alpn.size()));
    ext.insert(ext.end(), alpn.begin(), alpn.end());
  }
  // supported_versions: TLS 1.3, and 1.2 unless over QUIC (RFC 9001 4.2)
  if (quic) {
    add_extension(ext, 0x002b, {0x02, 0x03, 0x04});
  } else {
    add_extension(ext, 0x002b, {0x04, 0x03, 0x04, 0x03, 0x03});
  }
  if (spec.browser_extensions || quic) add_browser_extensions(ext, spec.random_seed);
  if (quic) add_extension(ext, 0x0039, spec.quic_transport_parameters);

  Bytes body;
  be16(body, 0x0303);
  random_bytes(body, 32, spec.random_seed,
               [&](std::size_t i) { return static_cast<std::uint8_t>(i * 7 + sni.size()); });
  const std::size_t session_id_len = quic ? 0 : 32;
  body.push_back(static_cast<std::uint8_t>(session_id_len));
  random_bytes(body, session_id_len, spec.random_seed ? spec.random_seed + 1 : 0,
               [](std::size_t i) { return static_cast<std::uint8_t>(255 - i); });
  const std::vector<std::uint16_t> suites =
      quic ? std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303}
           : std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030};
  be16(body, static_cast<std::uint32_t>(suites.size() * 2));
  for (auto s : suites) be16(body, s);
  body.push_back(1);
  body.push_back(0);
  be16(body, static_cast<std::uint32_t>(ext.size()));
  body.insert(body.end(), ext.begin(), ext.end());

  Bytes hs;
  hs.push_back(1);  // ClientHello
  hs.push_back(static_cast<std::uint8_t>(body.size() >> 16));
  be16(hs, static_cast<std::uint32_t>(body.size() & 0xffff));
  hs.insert(hs.end(), body.begin(), body.end());
  return hs;
}

std::vector<std::uint8_t> tls_record(std::uint8_t content_type,
                                     const std::vector<std::uint8_t>& body,
                                     std::uint16_t version) {
  Bytes rec;
  rec.push_back(content_type);
  be16(rec, version);
  be16(rec, static_cast<std::uint32_t>(body.size()));
  rec.insert(rec.end(), body.begin(), body.end());
  return rec;
}

std::vector<std::uint8_t> tls_client_hello(const ClientHelloSpec& spec) {
  return tls_record(22, tls_client_hello_message(spec), 0x0301);
}

std::vector<std::uint8_t> tls_client_hello(std::string_view sni) {
  ClientHelloSpec spec;
  spec.sni = std::string(sni);
  return tls_client_hello(spec);
}

std::vector<std::uint8_t> tls_server_hello_message(std::uint16_t cipher_suite,
                                                   std::uint64_t random_seed, bool quic) {
  Bytes ext;
  add_extension(ext, 0x002b, {0x03, 0x04});  // supported_versions: TLS 1.3
  Bytes share{0x00, 0x1d, 0x00, 0x20};
  random_bytes(share, 32, random_seed ^ 0x5eedULL, [](std::size_t i) { return std::uint8_t(i); });
  add_extension(ext, 0x0033, share);

  Bytes body;
  be16(body, 0x0303);
  random_bytes(body, 32, random_seed, [](std::size_t i) { return static_cast<std::uint8_t>(i); });
  const std::size_t session_id_len = quic ? 0 : 32;  // TCP: echoes the client's (RFC 8446 4.1.3)
  body.push_back(static_cast<std::uint8_t>(session_id_len));
  random_bytes(body, session_id_len, random_seed ? random_seed + 1 : 0,
               [](std::size_t i) { return static_cast<std::uint8_t>(255 - i); });
  be16(body, cipher_suite);
  body.push_back(0);
  be16(body, static_cast<std::uint32_t>(ext.size()));
  body.insert(body.end(), ext.begin(), ext.end());

  Bytes hs;
  hs.push_back(2);  // ServerHello
  hs.push_back(static_cast<std::uint8_t>(body.size() >> 16));
  be16(hs, static_cast<std::uint32_t>(body.size() & 0xffff));
  hs.insert(hs.end(), body.begin(), body.end());
  return hs;
}

std::vector<std::uint8_t> dns_message(std::uint16_t id, std::string_view name, bool answer,
                                      std::uint32_t a_record) {
  Bytes m;
  be16(m, id);
  be16(m, answer ? 0x8180 : 0x0100);
  be16(m, 1);
  be16(m, answer ? 1 : 0);
  be16(m, 0);
  be16(m, 0);
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    const auto label = name.substr(start, dot - start);
    if (!label.empty()) {
      m.push_back(static_cast<std::uint8_t>(label.size()));
      m.insert(m.end(), label.begin(), label.end());
    }
    start = dot + 1;
  }
  m.push_back(0);
  be16(m, 1);  // A
  be16(m, 1);  // IN
  if (answer) {
    be16(m, 0xc00c);
    be16(m, 1);
    be16(m, 1);
    be32(m, 300);
    be16(m, 4);
    be32(m, a_record);
  }
  return m;
}

}  // namespace wiretop::testing
