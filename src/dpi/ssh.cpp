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
#include <array>
#include <memory>
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

constexpr std::size_t kMaxBanner = 255;          // RFC 4253 4.2, CR LF included
constexpr std::size_t kMaxLinesBeforeBanner = 32;
constexpr std::uint32_t kMaxPacket = 35000;      // RFC 4253 6.1
constexpr std::uint8_t kMsgKexinit = 20;         // RFC 4253 12
constexpr std::size_t kNameLists = 10;           // RFC 4253 7.1

// KEXINIT name-list indexes (RFC 4253 7.1).
enum NameList : std::size_t {
  kKex = 0,
  kEncC2S = 2, kEncS2C = 3,
  kMacC2S = 4, kMacS2C = 5,
  kCompC2S = 6, kCompS2C = 7,
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
      const std::size_t used = side.lines.feed(data, [&](std::string_view line, bool) {
        return on_line(side, client, line, ctx.out);
      });
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

  static void read_kexinit(Side& side, bool client, Bytes data, AppInfo& out) {
    ByteReader in(data);
    // The 4-byte length first, then up to the end of the packet it announces.
    while (!in.empty()) {
      std::size_t want = 4;
      if (side.packet.size() >= 4) {
        const std::uint32_t length = *ByteReader(side.packet).be32();
        if (length > kMaxPacket) {
          side.phase = Phase::Finished;
          side.packet = {};
          return;
        }
        want = 4 + std::size_t{length};
      }
      if (side.packet.size() == want) break;
      const Bytes part = *in.bytes(std::min(want - side.packet.size(), in.remaining()));
      side.packet.insert(side.packet.end(), part.begin(), part.end());
    }
    if (side.packet.size() < 4 || side.packet.size() < 4 + std::size_t{*ByteReader(side.packet).be32()})
      return;  // wait for more
    if (const auto payload = packet_payload(side.packet)) {
      if (const auto lists = kexinit_name_lists(*payload)) {
        const std::array<std::size_t, 3> own =
            client ? std::array<std::size_t, 3>{kEncC2S, kMacC2S, kCompC2S}
                   : std::array<std::size_t, 3>{kEncS2C, kMacS2C, kCompS2C};
        const std::string hassh = crypto::md5_hex((*lists)[kKex] + ';' + (*lists)[own[0]] + ';' +
                                                  (*lists)[own[1]] + ';' + (*lists)[own[2]]);
        (client ? out.hassh : out.hassh_server) = hassh;
      }
    }
    side.phase = Phase::Finished;  // the first packet is KEXINIT or nothing more is clear
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
