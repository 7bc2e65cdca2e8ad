// SSH (RFC 4253): each side's identification string ("banner") and the
// HASSH fingerprints of the two KEXINIT messages that follow it in clear.
//
// Per direction: lines up to the one starting "SSH-" (a server may send other
// lines first, RFC 4253 4.2), then the first binary packet (RFC 4253 6: uint32
// packet_length, byte padding_length, payload, padding), reassembled across
// TCP segments up to the RFC's 35000-byte packet limit. When it is a KEXINIT
// (RFC 4253 7.1) its name-lists give HASSH (github.com/salesforce/hassh): MD5
// of "kex;encryption;mac;compression", the client's lists toward the server
// for `hassh`, the server's lists toward the client for `hassh_server`.
#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/dissector.h"
#include "dpi/lines.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::size_t kMaxBanner = 255;  // RFC 4253 4.2, CR LF included
constexpr std::size_t kMaxLinesBeforeBanner = 32;
constexpr std::uint32_t kMaxPacket = 35000;  // RFC 4253 6.1
constexpr std::uint8_t kMsgKexinit = 20;     // RFC 4253 12
constexpr std::size_t kNameLists = 10;       // RFC 4253 7.1

// KEXINIT name-list indexes (RFC 4253 7.1).
enum NameList : std::size_t {
  kKex = 0,
  kEncC2S = 2,
  kEncS2C = 3,
  kMacC2S = 4,
  kMacS2C = 5,
  kCompC2S = 6,
  kCompS2C = 7,
};

// The ten name-lists of a KEXINIT payload (message type byte first), or
// nothing when it is not a whole KEXINIT.
std::optional<std::array<std::string, kNameLists>> kexinit_name_lists(ByteReader payload) {
  const auto type = payload.u8();
  if (!type || *type != kMsgKexinit || !payload.skip(16)) return std::nullopt;  // cookie
  std::array<std::string, kNameLists> lists;
  for (std::string& list : lists) {
    const auto size = payload.be32();
    if (!size) return std::nullopt;
    const auto names = payload.bytes(*size);
    if (!names) return std::nullopt;
    list.assign(names->begin(), names->end());
  }
  return lists;
}

// The payload of one whole binary packet (RFC 4253 6), unencrypted: before
// NEWKEYS there is no MAC.
std::optional<ByteReader> packet_payload(Bytes packet) {
  ByteReader r(packet);
  const auto length = r.be32();
  const auto padding = r.u8();
  if (!length || !padding || *length < 1u + *padding) return std::nullopt;
  return r.sub(*length - 1u - *padding);
}

class SshSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    const bool client = ctx.dir == Direction::ToServer;
    Side& side = sides_[client ? 0 : 1];
    if (side.phase == Phase::Banner) {
      const std::size_t used = side.lines.feed(
          data, [&](std::string_view line, bool) { return on_line(side, client, line, ctx.out); });
      data = data.subspan(used);
    }
    if (side.phase == Phase::Kexinit) read_kexinit(side, client, data, ctx.out);
    const bool done = sides_[0].phase == Phase::Finished && sides_[1].phase == Phase::Finished;
    return done ? Progress::Done : Progress::More;
  }

 private:
  enum class Phase : std::uint8_t { Banner, Kexinit, Finished };
  struct Side {
    LineSplitter lines{kMaxBanner};
    Phase phase = Phase::Banner;
    std::size_t other_lines = 0;
    std::vector<std::uint8_t> packet;  // the first binary packet so far
  };

  // False once the banner is read (the binary packets follow).
  static bool on_line(Side& side, bool client, std::string_view line, AppInfo& out) {
    if (line.substr(0, 4) == "SSH-") {
      (client ? out.ssh_client_banner : out.ssh_server_banner) = printable(line);
      side.phase = Phase::Kexinit;
      return false;
    }
    if (++side.other_lines > kMaxLinesBeforeBanner) {
      side.phase = Phase::Finished;
      return false;
    }
    return true;
  }

  enum class Take : std::uint8_t { NeedMore, Whole, Invalid };

  // Appends `in`'s bytes to `packet` up to the end of the packet its first
  // four bytes announce; the rest of `in` is left unread.
  static Take take_packet(std::vector<std::uint8_t>& packet, ByteReader& in) {
    for (;;) {
      std::size_t want = 4;
      if (packet.size() >= 4) {
        const std::uint32_t length = *ByteReader(packet).be32();
        // padding_length and a message type at least (RFC 4253 6).
        if (length < 2 || length > kMaxPacket) return Take::Invalid;
        want += length;
        if (packet.size() == want) return Take::Whole;
      }
      if (in.empty()) return Take::NeedMore;
      const Bytes part = *in.bytes(std::min(want - packet.size(), in.remaining()));
      packet.insert(packet.end(), part.begin(), part.end());
    }
  }

  static void read_kexinit(Side& side, bool client, Bytes data, AppInfo& out) {
    ByteReader in(data);
    const Take taken = take_packet(side.packet, in);
    if (taken == Take::NeedMore) return;
    const auto payload = taken == Take::Whole ? packet_payload(side.packet) : std::nullopt;
    if (const auto lists = payload ? kexinit_name_lists(*payload) : std::nullopt) {
      const std::array<std::size_t, 3> own =
          client ? std::array<std::size_t, 3>{kEncC2S, kMacC2S, kCompC2S}
                 : std::array<std::size_t, 3>{kEncS2C, kMacS2C, kCompS2C};
      (client ? out.hassh : out.hassh_server) =
          crypto::md5_hex((*lists)[kKex] + ';' + (*lists)[own[0]] + ';' + (*lists)[own[1]] + ';' +
                          (*lists)[own[2]]);
    }
    side.phase = Phase::Finished;  // the first packet is KEXINIT, or nothing more is in clear
    side.packet = {};
  }

  Side sides_[2];
};

// An identification string "SSH-" protoversion "-" (RFC 4253 4.2), in
// either direction: usually the server speaks first, but not always.
Match probe(const FlowInfo&, Direction, Bytes start) {
  bool partial = false;
  if (!bytes_start_with(start, "SSH-", partial)) return partial ? Match::Maybe : Match::No;
  const auto digit = ByteReader(start).peek_u8(4);
  if (!digit) return Match::Maybe;
  return *digit >= '1' && *digit <= '2' ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_session() {
  return std::make_unique<SshSession>();
}

}  // namespace

extern const Dissector kSsh{"SSH", kTcp, {22}, false, probe, make_session};

}  // namespace wiretop::dpi
