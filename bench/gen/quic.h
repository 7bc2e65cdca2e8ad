#pragma once
// QUIC v1 Initial packets as a real client and server send them: long header, CRYPTO
// frame with a TLS handshake message, padded, and protected with the Initial keys of
// RFC 9001 section 5 (so tshark and DPI engines can decrypt them like real traffic).

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace wiretop::bench {

using ByteVec = std::vector<std::uint8_t>;

struct QuicKeys {
  std::array<std::uint8_t, 16> key{};  // AEAD_AES_128_GCM
  std::array<std::uint8_t, 12> iv{};
  std::array<std::uint8_t, 16> hp{};   // header protection, AES-128-ECB
};

struct QuicInitialKeys {
  QuicKeys client, server;
};

// RFC 9001 5.2: both directions' keys from the client's first Destination Connection ID.
QuicInitialKeys quic_initial_keys(std::span<const std::uint8_t> client_dcid);

// Checks the derivation against the test vector of RFC 9001 appendix A.1.
bool quic_keys_match_rfc9001_vector();

struct QuicLongHeader {
  std::span<const std::uint8_t> dcid, scid;
  std::uint32_t packet_number = 0;
};

// An Initial packet (RFC 9000 17.2.2) carrying `frames`, followed by PADDING frames so the
// whole packet is `packet_size` bytes, then protected (RFC 9001 5.3 and 5.4).
ByteVec quic_initial_packet(const QuicKeys& keys, const QuicLongHeader& header,
                            std::span<const std::uint8_t> frames, std::size_t packet_size);

// Frames (RFC 9000 19.6 and 19.3).
void append_crypto_frame(ByteVec& out, std::uint64_t offset, std::span<const std::uint8_t> data);
void append_ack_frame(ByteVec& out, std::uint64_t largest, std::uint64_t ack_delay);
// RFC 9000 16: variable-length integer encoding.
void append_varint(ByteVec& out, std::uint64_t value);

}  // namespace wiretop::bench
