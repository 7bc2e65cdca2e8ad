#pragma once
// The identity of a connection. TCP/UDP (and other port-carrying protocols)
// use the unordered 5-tuple; ICMP echo uses the address pair and identifier;
// other ICMP messages are directional (src, dst, type); anything else is keyed
// by protocol and address pair.

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/hash.h"

#include "core/ip_address.h"
#include "proto/decoded_packet.h"

namespace wiretop::flow {

enum class KeyKind : std::uint8_t { Ports, IcmpEcho, IcmpOther, AddressPair };

struct FlowKey {
  // Endpoint "a" is the lower (address, port) for unordered kinds, the sender for IcmpOther.
  core::IpAddress a, b;
  std::uint16_t port_a = 0, port_b = 0;  // ICMP echo: identifier in port_a; IcmpOther: type
  std::uint8_t ip_proto = 0;
  KeyKind kind = KeyKind::AddressPair;

  // Every byte of a key is a field (no padding, all value-initialised), so
  // keys compare and hash as 40 raw bytes: the hottest lines of the tracker.
  friend bool operator==(const FlowKey& x, const FlowKey& y) {
    return std::memcmp(&x, &y, sizeof(FlowKey)) == 0;
  }
};
static_assert(sizeof(FlowKey) == 40 && std::has_unique_object_representations_v<FlowKey>,
              "FlowKey must have no padding: it is compared and hashed as raw bytes");

inline std::uint64_t hash_key(const FlowKey& key, std::uint64_t seed) {
  std::uint64_t w[5];
  std::memcpy(w, &key, sizeof w);
  std::uint64_t h = seed;
  for (const std::uint64_t word : w) {
    h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 32;
  }
  return core::mix64(h);
}

// A key plus which endpoint sent the packet it came from.
struct KeyedPacket {
  FlowKey key;
  bool sender_is_a = true;
};

// The flow a decoded packet belongs to. Requires a packet with IP addresses.
KeyedPacket key_for_packet(const proto::DecodedPacket& p);
// The flow an ICMP error's quoted header refers to (only meaningful when quoted.present).
KeyedPacket key_for_quoted(const proto::QuotedHeader& q);

}  // namespace wiretop::flow
