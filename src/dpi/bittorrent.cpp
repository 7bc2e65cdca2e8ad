// BitTorrent on any port: the peer wire handshake (BEP 3) over TCP or over
// uTP (BEP 29, UDP), which names the torrent by its info hash, and the
// Mainline DHT's KRPC messages (BEP 5: bencoded dictionaries over UDP).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/lines.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

// BEP 3: pstrlen 19, pstr, 8 reserved bytes, 20-byte info hash, 20-byte peer id.
constexpr std::string_view kProtocol = "\x13" "BitTorrent protocol";
constexpr std::size_t kReservedSize = 8, kInfoHashSize = 20;
constexpr std::size_t kHashEnd = 20 + kReservedSize + kInfoHashSize;

// uTP header (BEP 29): type and version, first extension, connection id,
// timestamp, timestamp difference, window, sequence and ack numbers.
constexpr std::size_t kUtpHeaderSize = 20;
constexpr std::uint8_t kUtpData = 0x01, kUtpSyn = 0x41;  // type << 4 | version 1
constexpr int kMaxUtpExtensions = 8;

std::string hex(Bytes bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const std::uint8_t byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 15]);
  }
  return text;
}

// The info hash when `stream` holds a whole handshake start; `partial` when
// it is a prefix of one.
std::optional<Bytes> handshake_info_hash(Bytes stream, bool& partial) {
  if (!bytes_start_with(stream, kProtocol, partial)) return std::nullopt;
  ByteReader r(stream);
  const auto hash = r.skip(kProtocol.size() + kReservedSize) ? r.bytes(kInfoHashSize) : std::nullopt;
  partial = !hash;
  return hash;
}

// The payload of a uTP packet, after the header and its extension chain
// (each: next extension type, length, data).
std::optional<Bytes> utp_payload(Bytes datagram) {
  ByteReader r(datagram);
  const auto type_version = r.u8();
  auto extension = r.u8();
  if (!type_version || !extension || !r.seek(kUtpHeaderSize)) return std::nullopt;
  for (int i = 0; *extension != 0; ++i) {
    if (i == kMaxUtpExtensions) return std::nullopt;
    extension = r.u8();
    const auto length = r.u8();
    if (!extension || !length || !r.skip(*length)) return std::nullopt;
  }
  return r.rest();
}

// A connection's first uTP packet (ST_SYN): no payload, no timestamp
// difference yet (the peer has sent nothing).
bool is_utp_syn(Bytes datagram) {
  ByteReader r(datagram);
  if (r.peek_u8(0) != kUtpSyn || !r.skip(8)) return false;
  const auto payload = utp_payload(datagram);
  return r.be32() == 0u && payload && payload->empty();
}

// A uTP data packet carrying the peer wire handshake.
std::optional<Bytes> utp_info_hash(Bytes datagram) {
  if (ByteReader(datagram).peek_u8(0) != kUtpData) return std::nullopt;
  const auto payload = utp_payload(datagram);
  bool partial = false;
  return payload ? handshake_info_hash(*payload, partial) : std::nullopt;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// A KRPC message (BEP 5): a bencoded dictionary whose keys come sorted, so it
// starts with "a" (query arguments), "e" (error), "ip" (BEP 42) or "r"
// (response), and whose "y" key says which of q, r, e it is.
bool is_dht(Bytes datagram) {
  // A read-only text view of the datagram, never past its end.
  const std::string_view text(reinterpret_cast<const char*>(datagram.data()), datagram.size());
  const bool start = text.starts_with("d1:ad") || text.starts_with("d1:rd") ||
                     text.starts_with("d1:eli") || text.starts_with("d2:ip");
  return start && text.ends_with("e") &&
         (contains(text, "1:y1:q") || contains(text, "1:y1:r") || contains(text, "1:y1:e"));
}

// TCP: the first handshake of either side (both send the same info hash).
// UDP: a uTP data packet with the handshake; DHT and uTP control packets
// identify the flow but carry no hash.
class BittorrentSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (ctx.flow.transport == Transport::Udp) {
      if (const auto hash = utp_info_hash(data)) return found(ctx.out, *hash);
      return Progress::More;
    }
    std::vector<std::uint8_t>& start = start_[static_cast<int>(ctx.dir)];
    const std::size_t room = kHashEnd - std::min(kHashEnd, start.size());
    start.insert(start.end(), data.begin(), data.begin() + static_cast<long>(std::min(room, data.size())));
    bool partial = false;
    if (const auto hash = handshake_info_hash(start, partial)) return found(ctx.out, *hash);
    if (!partial) done_[static_cast<int>(ctx.dir)] = true;
    return done_[0] && done_[1] ? Progress::Done : Progress::More;
  }

 private:
  static Progress found(AppInfo& out, Bytes hash) {
    out.bittorrent_info_hash = hex(hash);
    return Progress::Done;
  }

  std::vector<std::uint8_t> start_[2];
  bool done_[2] = {false, false};
};

Match probe(const FlowInfo& flow, Direction, Bytes start) {
  if (flow.transport == Transport::Udp)
    return is_dht(start) || is_utp_syn(start) || utp_info_hash(start) ? Match::Yes : Match::No;
  bool partial = false;
  if (bytes_start_with(start, kProtocol, partial)) return Match::Yes;
  return partial ? Match::Maybe : Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<BittorrentSession>(); }

}  // namespace

extern const Dissector kBittorrent{"BITTORRENT", kTcpUdp, {6881, 6889}, false, probe, make_session};

}  // namespace wiretop::dpi
