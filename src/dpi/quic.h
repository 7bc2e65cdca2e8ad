#pragma once
// QUIC (RFC 9000/9001, QUIC v2 RFC 9369, drafts 23-34) and Google QUIC
// (Q043/Q046 cleartext, Q050/T050/T051 with Initial protection): the pieces of
// the dissector in quic.cpp that its tests drive directly. The dissector
// itself is `kQuic`, listed in registry.cpp.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "dpi/app_info.h"

namespace wiretop::dpi::quic {

inline constexpr std::uint32_t kVersion1 = 0x00000001;
inline constexpr std::uint32_t kVersion2 = 0x6b3343cf;  // RFC 9369 section 3.1

// "1", "2", "draft-29", "Q050", "T051"; anything else as "0x" and 8 hex digits.
std::string version_name(std::uint32_t version);

// RFC 9000 section 16: a variable-length integer (1, 2, 4 or 8 bytes).
std::optional<std::uint64_t> read_varint(core::ByteReader& r);

// The AEAD key, IV and header protection key of one direction (RFC 9001 5.1).
struct PacketKeys {
  std::array<std::uint8_t, 16> key{};
  std::array<std::uint8_t, 12> iv{};
  std::array<std::uint8_t, 16> hp{};
};
// The keys protecting the client's Initial packets, derived from the
// Destination Connection ID of its first Initial (RFC 9001 5.2; RFC 9369 3.3
// for v2). nullopt for a version whose Initial salt wiretop does not know.
std::optional<PacketKeys> client_initial_keys(std::uint32_t version, core::Bytes dcid);

// One CRYPTO stream (or gQUIC's crypto stream 1) put back together by offset:
// frames arrive out of order, split over several packets, sometimes repeated.
// Bytes past kMaxBytes are dropped (a ClientHello is a few KiB even with
// post-quantum key shares; the cap bounds what a hostile peer can make us hold).
class CryptoStream {
 public:
  static constexpr std::size_t kMaxBytes = 16 * 1024;

  // Stores `data` at stream `offset`. False when some of it lay past kMaxBytes.
  bool add(std::uint64_t offset, core::Bytes data);
  // The bytes received without a gap from offset 0.
  core::Bytes contiguous() const { return {data_.data(), contiguous_}; }
  bool empty() const { return data_.empty(); }

 private:
  std::vector<std::uint8_t> data_;
  std::vector<bool> have_;  // one flag per byte of data_
  std::size_t contiguous_ = 0;
};

struct LongPacket;    // quic.cpp: one parsed long-header packet
struct OpenedPacket;  // quic.cpp: one Initial with its protection removed

// The client's side of the handshake, read datagram by datagram: the version,
// the Initial keys, and the CRYPTO stream up to one complete handshake message.
class ClientFlight {
 public:
  enum class Status : std::uint8_t {
    Reading,   // no complete message yet
    Complete,  // message() holds it
    Failed,    // the stream is not a handshake message, or outgrew its cap
  };
  // One client-to-server datagram; names the version in `out.quic_version`.
  Status add_datagram(core::Bytes datagram, AppInfo& out);
  // Once Complete: the ClientHello from its 4-byte handshake header (TLS
  // versions), or the whole CHLO message (Google's Q0xx versions).
  core::Bytes message() const { return message_; }
  bool message_is_tls() const;

 private:
  void read_public_header(core::Bytes datagram, AppInfo& out);
  void read_long_packets(core::Bytes datagram, AppInfo& out);
  void use_version(std::uint32_t version, AppInfo& out);
  void read_initial(const LongPacket& packet);
  std::optional<OpenedPacket> open_initial(const LongPacket& packet);
  Status status();

  std::uint32_t version_ = 0;
  std::optional<PacketKeys> keys_;
  std::optional<std::uint64_t> largest_pn_;
  CryptoStream crypto_;
  bool overflowed_ = false;
  core::Bytes message_;
};

}  // namespace wiretop::dpi::quic
