// libFuzzer harness for one DPI dissector: fuzz/CMakeLists.txt builds it once per registry entry
// (fuzz_dpi_<name>), each linked with fuzz_dissector_entry.cpp compiled for that dissector.
//
// The input is one flow, driven the way dpi::Inspector drives a dissector (inspector.cpp):
//   byte 0      flags: bit 0 = UDP (for dissectors that take both transports), bit 1 = IPv6
//   bytes 1-2   server port, big-endian (the port decides ties, and mDNS/LLMNR probes use it)
//   then chunks: a 2-byte big-endian header (bit 15: 0 = to the server, 1 = to the client;
//   bits 0-14: length) and that many bytes (fewer at the end of the input).
// TCP chunks are consecutive stream bytes of their direction (any split a capture can produce);
// UDP chunks are datagrams. Until the probe says Yes, TCP bytes collect per direction up to the
// inspector's probe window and are probed as a prefix, UDP datagrams are probed one by one; after
// a Yes the session gets what the inspector would feed (both TCP prefixes, earlier direction
// first, then every later chunk; UDP from the matching datagram on) until it says Done or the
// per-direction packet budget runs out (none for every_packet dissectors).
//
// Besides crashes and sanitizer reports, the run aborts when the result breaks AppInfo's rules
// (app_info.h and the dissector rules in dissector.h): a string longer than kMaxText or with bytes
// outside printable ASCII, a list over its cap, a duplicate in a list of distinct values. Each
// chunk is fed from its own heap copy that is freed after the call, so a session keeping a view
// into an earlier chunk is a use-after-free ASan reports.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.h"
#include "core/ip_address.h"
#include "core/timestamp.h"
#include "dpi/app_info.h"
#include "dpi/dissector.h"
#include "dpi/inspector.h"

// The dissector this target fuzzes (fuzz_dissector_entry.cpp).
const wiretop::dpi::Dissector& wiretop_fuzz_dissector();

namespace {

using wiretop::core::Bytes;
using wiretop::dpi::AppInfo;
using wiretop::dpi::Direction;
using wiretop::dpi::Dissector;
using wiretop::dpi::FlowInfo;
using wiretop::dpi::Match;
using wiretop::dpi::Progress;

const wiretop::dpi::InspectConfig kInspect{};  // the inspector's defaults: window and budget

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_dissectors: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// Reads every byte, so ASan checks that a view handed to a sink is still alive.
std::uint32_t touch(std::string_view s) {
  std::uint32_t sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

struct Sinks final : wiretop::dpi::NameSink, wiretop::dpi::Expectations {
  std::uint32_t sum = 0;
  void learned_name(wiretop::core::Timestamp, const wiretop::core::IpAddress&,
                    std::string_view name) override {
    sum += touch(name);
  }
  void expect(wiretop::core::Timestamp, const wiretop::core::IpAddress&, std::uint16_t,
              std::string_view proto) override {
    if (proto.empty()) fail("expect() without a protocol name", "");
    sum += touch(proto);
  }
};

void check_text(const char* field, const std::string& s) {
  if (s.size() > AppInfo::kMaxText) fail("string longer than AppInfo::kMaxText", field);
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7f) fail("non-printable byte in string", field);
  }
}

void check_list(const char* field, const std::vector<std::string>& list, std::size_t cap,
                bool distinct) {
  if (list.size() > cap) fail("list over its cap", field);
  for (std::size_t i = 0; i < list.size(); ++i) {
    check_text(field, list[i]);
    if (distinct && std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i),
                              list[i]) != list.begin() + static_cast<std::ptrdiff_t>(i))
      fail("duplicate in a list of distinct values", field);
  }
}

// The rules of app_info.h that hold for every dissector's output.
void check_app_info(const AppInfo& a) {
  constexpr std::size_t kList = AppInfo::kMaxListItems;
  for (const auto& [field, text] :
       {std::pair{"proto", &a.proto}, {"sni", &a.sni}, {"alpn_selected", &a.alpn_selected},
        {"tls_version", &a.tls_version}, {"cipher", &a.cipher}, {"ja3", &a.ja3},
        {"ja3s", &a.ja3s}, {"ja4", &a.ja4}, {"tls_cert_subject_cn", &a.tls_cert_subject_cn},
        {"quic_version", &a.quic_version}, {"http_method", &a.http_method},
        {"http_host", &a.http_host}, {"http_path", &a.http_path},
        {"http_user_agent", &a.http_user_agent}, {"http_content_type", &a.http_content_type},
        {"dns_rcode", &a.dns_rcode}, {"ssh_client_banner", &a.ssh_client_banner},
        {"ssh_server_banner", &a.ssh_server_banner}, {"hassh", &a.hassh},
        {"hassh_server", &a.hassh_server}, {"dhcp_hostname", &a.dhcp_hostname},
        {"dhcp_vendor_class", &a.dhcp_vendor_class}, {"snmp_version", &a.snmp_version},
        {"snmp_community", &a.snmp_community}, {"ssdp_st", &a.ssdp_st},
        {"ssdp_usn", &a.ssdp_usn}, {"ssdp_server", &a.ssdp_server},
        {"stun_software", &a.stun_software}, {"mqtt_client_id", &a.mqtt_client_id},
        {"ftp_user", &a.ftp_user}, {"bittorrent_info_hash", &a.bittorrent_info_hash}})
    check_text(field, *text);
  // Lists copied in wire order (a client may offer an ALPN twice) are only capped.
  check_list("alpn", a.alpn, kList, false);
  check_list("tls_cert_sans", a.tls_cert_sans, kList, false);
  check_list("dns_answers", a.dns_answers, AppInfo::kMaxDnsAnswers, true);
  check_list("dhcp_message_types", a.dhcp_message_types, kList, true);
  check_list("stun_message_types", a.stun_message_types, kList, true);
  check_list("ftp_commands", a.ftp_commands, kList, true);
  if (a.dns_queries.size() > AppInfo::kMaxDnsQueries) fail("list over its cap", "dns_queries");
  for (std::size_t i = 0; i < a.dns_queries.size(); ++i) {
    check_text("dns_queries.name", a.dns_queries[i].name);
    check_text("dns_queries.type", a.dns_queries[i].type);
    const auto end = a.dns_queries.begin() + static_cast<std::ptrdiff_t>(i);
    if (std::find(a.dns_queries.begin(), end, a.dns_queries[i]) != end)
      fail("duplicate in a list of distinct values", "dns_queries");
  }
}

struct Chunk {
  Direction dir;
  Bytes bytes;
};

std::vector<Chunk> split_chunks(Bytes in) {
  std::vector<Chunk> chunks;
  wiretop::core::ByteReader r(in);
  while (const auto header = r.be16()) {
    const std::size_t len = std::min<std::size_t>(*header & 0x7fff, r.remaining());
    const Bytes bytes = r.rest().first(len);
    r.skip(len);
    chunks.push_back({(*header & 0x8000) ? Direction::ToClient : Direction::ToServer, bytes});
  }
  return chunks;
}

FlowInfo flow_of(const Dissector& d, std::uint8_t flags, std::uint16_t server_port) {
  FlowInfo f;
  const bool udp = d.transports == wiretop::dpi::kUdp ||
                   (d.transports == wiretop::dpi::kTcpUdp && (flags & 1));
  f.transport = udp ? wiretop::dpi::Transport::Udp : wiretop::dpi::Transport::Tcp;
  const char* client = (flags & 2) ? "2001:db8::1" : "192.0.2.1";
  const char* server = (flags & 2) ? "2001:db8::2" : "192.0.2.2";
  f.client_ip = *wiretop::core::IpAddress::parse(client);
  f.server_ip = *wiretop::core::IpAddress::parse(server);
  f.client_port = 49152;
  f.server_port = server_port;
  return f;
}

// One flow's session, fed as the inspector feeds it.
class Driver {
 public:
  Driver(const Dissector& d, const FlowInfo& flow) : d_(d), flow_(flow) {}

  // Returns false once nothing more would be fed.
  bool on_chunk(const Chunk& c, wiretop::core::Timestamp ts) {
    if (done_) return false;
    if (session_) {
      feed(c.dir, c.bytes, ts);
    } else if (flow_.transport == wiretop::dpi::Transport::Udp) {
      if (d_.probe(flow_, c.dir, c.bytes) == Match::Yes) {
        start();
        feed(c.dir, c.bytes, ts);
      }
    } else {
      probe_tcp(c, ts);
    }
    return !done_;
  }

 private:
  struct Prefix {
    std::vector<std::uint8_t> bytes;
    bool failed = false;
  };

  void probe_tcp(const Chunk& c, wiretop::core::Timestamp ts) {
    Prefix& p = prefix_[static_cast<std::size_t>(c.dir)];
    if (p.failed) return;
    if (first_dir_ < 0) first_dir_ = static_cast<int>(c.dir);
    const std::size_t take =
        std::min<std::size_t>(kInspect.probe_window - p.bytes.size(), c.bytes.size());
    p.bytes.insert(p.bytes.end(), c.bytes.begin(), c.bytes.begin() + static_cast<std::ptrdiff_t>(take));
    const Match m = d_.probe(flow_, c.dir, p.bytes);
    if (m == Match::Yes) {
      start();
      const auto first = static_cast<Direction>(first_dir_);
      const auto second = first == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
      for (Direction way : {first, second}) {
        const std::vector<std::uint8_t> start_bytes = std::move(prefix_[static_cast<std::size_t>(way)].bytes);
        if (!start_bytes.empty()) feed(way, start_bytes, ts);
      }
      if (take < c.bytes.size()) feed(c.dir, c.bytes.subspan(take), ts);
      return;
    }
    if (m == Match::No || p.bytes.size() >= kInspect.probe_window) {
      p.failed = true;
      if (prefix_[0].failed && prefix_[1].failed) done_ = true;
    }
  }

  void start() {
    if (d_.make_session) session_ = d_.make_session();
    info_.proto = std::string(d_.proto);
    if (!session_) done_ = true;
  }

  void feed(Direction dir, Bytes bytes, wiretop::core::Timestamp ts) {
    if (done_) return;
    auto& fed = fed_[static_cast<std::size_t>(dir)];
    if (!d_.every_packet && fed >= kInspect.packets_per_direction) return;
    ++fed;
    // A copy that dies right after the call: sessions must not keep views into fed bytes.
    const auto copy = std::make_unique<std::uint8_t[]>(bytes.size() + 1);
    std::copy(bytes.begin(), bytes.end(), copy.get());
    const wiretop::dpi::Context ctx{flow_, dir, ts, sinks_, sinks_, info_};
    const Progress pr = session_->feed(ctx, Bytes(copy.get(), bytes.size()));
    check_app_info(info_);
    if (pr == Progress::Done) done_ = true;
  }

  const Dissector& d_;
  const FlowInfo& flow_;
  Sinks sinks_;
  AppInfo info_;
  std::unique_ptr<wiretop::dpi::Session> session_;
  Prefix prefix_[2];
  std::uint32_t fed_[2] = {0, 0};
  int first_dir_ = -1;
  bool done_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const Dissector& d = wiretop_fuzz_dissector();
  const auto all = wiretop::dpi::dissectors();
  if (std::find(all.begin(), all.end(), &d) == all.end()) fail("not in the registry", d.proto);
  if (!d.probe || !(d.transports & wiretop::dpi::kTcpUdp)) fail("dissector without probe", d.proto);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const Dissector& d = wiretop_fuzz_dissector();
  const FlowInfo flow = flow_of(d, data[0], static_cast<std::uint16_t>(data[1] << 8 | data[2]));
  Driver driver(d, flow);
  wiretop::core::Timestamp ts{1'700'000'000'000'000};
  for (const Chunk& c : split_chunks(Bytes(data + 3, size - 3))) {
    ts.usec += 1000;
    if (!driver.on_chunk(c, ts)) break;
  }
  return 0;
}
