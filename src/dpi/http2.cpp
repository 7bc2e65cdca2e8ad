// HTTP/2 with prior knowledge (RFC 9113 3.3): the client connection preface
// (RFC 9113 3.4) names the protocol; then each direction's first HEADERS
// frame (RFC 9113 6.2) is decoded as far as HPACK (RFC 7541) allows without
// state: static-table entries and literal strings that are not Huffman-coded.
// That gives :method, :path, :authority (into http_host) and user-agent of
// the first request and :status and content-type of the first response when
// the peer sent them plainly; browsers Huffman-code most values, which are
// then left out. A dynamic-table reference cannot be resolved (the table is
// built by earlier blocks) and is skipped too.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/lines.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kFrameHeader = 9;            // RFC 9113 4.1
constexpr std::uint32_t kMaxFramePayload = 16384;  // SETTINGS_MAX_FRAME_SIZE's initial value
constexpr std::uint8_t kHeadersFrame = 1;
constexpr std::uint8_t kPaddedFlag = 0x08, kPriorityFlag = 0x20;  // RFC 9113 6.2

// RFC 7541 Appendix A: the static-table entries this dissector reads.
struct StaticEntry {
  std::uint32_t index;
  std::string_view name, value;
};
constexpr StaticEntry kStaticTable[] = {
    {1, ":authority", ""},    {2, ":method", "GET"},       {3, ":method", "POST"},
    {4, ":path", "/"},        {5, ":path", "/index.html"}, {8, ":status", "200"},
    {9, ":status", "204"},    {10, ":status", "206"},      {11, ":status", "304"},
    {12, ":status", "400"},   {13, ":status", "404"},      {14, ":status", "500"},
    {31, "content-type", ""}, {58, "user-agent", ""}};

const StaticEntry* static_entry(std::uint32_t index) {
  for (const StaticEntry& e : kStaticTable)
    if (e.index == index) return &e;
  return nullptr;
}

// RFC 7541 5.1: an integer in the low `prefix_bits` of the first byte,
// continued in 7-bit groups; nullopt past 2^28 (no real header is that big).
std::optional<std::uint32_t> hpack_integer(ByteReader& r, int prefix_bits) {
  const auto first = r.u8();
  if (!first) return std::nullopt;
  const std::uint32_t max_prefix = (1u << prefix_bits) - 1;
  std::uint32_t value = *first & max_prefix;
  if (value < max_prefix) return value;
  for (int shift = 0; shift <= 21; shift += 7) {
    const auto byte = r.u8();
    if (!byte) return std::nullopt;
    value += static_cast<std::uint32_t>(*byte & 0x7f) << shift;
    if (!(*byte & 0x80)) return value;
  }
  return std::nullopt;
}

// RFC 7541 5.2: H bit, 7-bit-prefix length, octets. Huffman strings are
// skipped (nullopt in `text`) but still consumed.
struct HpackString {
  std::optional<Bytes> text;
};
std::optional<HpackString> hpack_string(ByteReader& r) {
  const auto first = r.peek_u8();
  const auto length = hpack_integer(r, 7);
  if (!first || !length) return std::nullopt;
  const auto octets = r.bytes(*length);
  if (!octets) return std::nullopt;
  if (*first & 0x80) return HpackString{};
  return HpackString{*octets};
}

struct Field {
  std::string name;
  std::optional<std::string> value;  // nullopt: Huffman-coded or unknown
};

// RFC 7541 6.2: a literal with a 4- or 6-bit name index (0: literal name).
std::optional<Field> literal_field(ByteReader& r, int prefix_bits) {
  const auto index = hpack_integer(r, prefix_bits);
  if (!index) return std::nullopt;
  Field field;
  if (*index == 0) {
    const auto name = hpack_string(r);
    if (!name) return std::nullopt;
    if (name->text) field.name.assign(name->text->begin(), name->text->end());
  } else if (const StaticEntry* e = static_entry(*index)) {
    field.name = std::string(e->name);
  }
  const auto value = hpack_string(r);
  if (!value) return std::nullopt;
  if (value->text) field.value = std::string(value->text->begin(), value->text->end());
  return field;
}

// Calls on_field(field) for each field of a header block fragment (RFC 7541
// 6) until the end or the first malformed representation.
template <typename OnField>
void for_each_field(ByteReader r, OnField on_field) {
  while (const auto first = r.peek_u8()) {
    std::optional<Field> field;
    if (*first & 0x80) {  // 6.1 indexed
      const auto index = hpack_integer(r, 7);
      if (!index) return;
      if (const StaticEntry* e = static_entry(*index); e && !e->value.empty())
        field = Field{std::string(e->name), std::string(e->value)};
      else
        continue;
    } else if ((*first & 0xc0) == 0x40) {  // 6.2.1 with incremental indexing
      field = literal_field(r, 6);
    } else if ((*first & 0xe0) == 0x20) {  // 6.3 dynamic table size update
      if (!hpack_integer(r, 5)) return;
      continue;
    } else {  // 6.2.2 without indexing, 6.2.3 never indexed
      field = literal_field(r, 4);
    }
    if (!field) return;
    if (field->value) on_field(*field);
  }
}

void add_field(const Field& field, AppInfo& out) {
  std::string* target = nullptr;
  if (field.name == ":method")
    target = &out.http_method;
  else if (field.name == ":path")
    target = &out.http_path;
  else if (field.name == ":authority" || field.name == "host")
    target = &out.http_host;
  else if (field.name == "user-agent")
    target = &out.http_user_agent;
  else if (field.name == "content-type")
    target = &out.http_content_type;
  if (target && target->empty()) *target = printable(*field.value);
  if (field.name == ":status" && out.http_status < 0 && field.value->size() == 3) {
    int status = 0;
    for (const char c : *field.value) {
      if (c < '0' || c > '9') return;
      status = status * 10 + (c - '0');
    }
    out.http_status = status;
  }
}

// The header block fragment of a HEADERS frame's payload (padding and
// priority removed), or nothing when the lengths do not fit.
std::optional<ByteReader> header_block(std::uint8_t flags, Bytes payload) {
  ByteReader r(payload);
  std::size_t padding = 0;
  if (flags & kPaddedFlag) {
    const auto pad = r.u8();
    if (!pad) return std::nullopt;
    padding = *pad;
  }
  if ((flags & kPriorityFlag) && !r.skip(5)) return std::nullopt;
  if (padding > r.remaining()) return std::nullopt;
  return r.sub(r.remaining() - padding);
}

class Http2Session final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    Side& side = sides_[ctx.dir == Direction::ToServer ? 0 : 1];
    ByteReader in(data);
    while (!side.finished && !in.empty()) {
      if (const auto frame = next_frame(side, in)) read_frame(side, *frame, ctx.out);
    }
    return sides_[0].finished && sides_[1].finished ? Progress::Done : Progress::More;
  }

 private:
  struct Side {
    std::size_t preface_checked = 0;  // bytes of the stream start compared with the preface
    bool preface = true;              // the start still agrees with it
    std::vector<std::uint8_t> frame;  // the frame being reassembled
    bool finished = false;
  };

  // Consumes bytes until a whole frame is buffered (returned) or `in` runs dry.
  static std::optional<Bytes> next_frame(Side& side, ByteReader& in) {
    // The client's stream starts with the preface, the server's with a frame.
    while (side.preface && side.preface_checked < kPreface.size() && !in.empty()) {
      const auto byte = *in.peek_u8();
      if (byte != static_cast<std::uint8_t>(kPreface[side.preface_checked])) {
        if (side.preface_checked != 0) side.finished = true;  // neither preface nor frames
        side.preface = false;
        break;
      }
      in.skip(1);
      ++side.preface_checked;
    }
    if (side.finished || in.empty()) return std::nullopt;
    if (side.frame.size() == kFrameHeader + frame_length(side)) side.frame.clear();
    std::size_t want = kFrameHeader;
    if (side.frame.size() >= kFrameHeader) want += frame_length(side);
    const Bytes part = *in.bytes(std::min(want - side.frame.size(), in.remaining()));
    side.frame.insert(side.frame.end(), part.begin(), part.end());
    if (side.frame.size() < kFrameHeader) return std::nullopt;
    if (frame_length(side) > kMaxFramePayload) {
      side.finished = true;
      return std::nullopt;
    }
    if (side.frame.size() < kFrameHeader + frame_length(side)) return std::nullopt;
    return Bytes(side.frame);
  }

  static std::uint32_t frame_length(const Side& side) {
    return ByteReader(side.frame).be24().value_or(0);
  }

  // RFC 9113 4.1: length (24), type, flags, stream id (31). The first
  // HEADERS frame of a direction is read, every other frame skipped.
  static void read_frame(Side& side, Bytes frame, AppInfo& out) {
    ByteReader r(frame);
    r.skip(3);
    const std::uint8_t type = *r.u8();
    const std::uint8_t flags = *r.u8();
    r.skip(4);
    if (type != kHeadersFrame) return;
    if (const auto block = header_block(flags, r.rest()))
      for_each_field(*block, [&out](const Field& field) { add_field(field, out); });
    side.finished = true;
  }

  Side sides_[2];
};

Match probe(const FlowInfo&, Direction, Bytes start) {
  bool partial = false;
  if (bytes_start_with(start, kPreface, partial)) return Match::Yes;
  return partial ? Match::Maybe : Match::No;
}

std::unique_ptr<Session> make_session() {
  return std::make_unique<Http2Session>();
}

}  // namespace

extern const Dissector kHttp2{"HTTP2", kTcp, {80, 8080}, false, probe, make_session};

}  // namespace wiretop::dpi
