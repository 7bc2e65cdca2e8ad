#include <gtest/gtest.h>

#include <vector>

#include "export/ipfix_encoding.h"
#include "export/ipfix_exporter.h"
#include "export_test_util.h"

namespace wiretop::exporting {
namespace {

using testing::be16;
using testing::be32;
using testing::be64;
using testing::hex;

IpfixFlow v4_flow() {
  IpfixFlow f;
  f.ip_proto = 6;
  const std::uint8_t c[] = {192, 0, 2, 1}, s[] = {198, 51, 100, 7};
  f.client_ip = core::IpAddress::v4_bytes(core::Bytes(c, 4));
  f.server_ip = core::IpAddress::v4_bytes(core::Bytes(s, 4));
  f.client_port = 40000;
  f.server_port = 443;
  f.start = core::Timestamp{1'000'000'000'000};
  f.end = core::Timestamp{1'000'000'500'000};
  f.packets = {3, 2};
  f.bytes = {300, 2000};
  f.tcp_flags = {0x02 | 0x10, 0x12};
  f.end_reason = FlowEndReason::EndOfFlow;
  f.pid = 812;
  f.process_name = "curl";
  f.server_name = "example.com";
  f.app = "TLS";
  return f;
}

TEST(IpfixEncoding, TemplateSet_HoldsV4AndV6TemplatesWithReverseAndEnterpriseFields) {
  std::string out;
  append_ipfix_template_set(out);
  EXPECT_EQ(be16(out, 0), 2);                   // Template Set
  EXPECT_EQ(be16(out, 2), out.size());
  EXPECT_EQ(be16(out, 4), kTemplateV4);
  EXPECT_EQ(be16(out, 6), 19);                  // field count
  EXPECT_EQ(hex(out.substr(8, 8)), "0008000400" "0c0004");  // sourceIPv4Address/4, destinationIPv4Address/4
  // Field 6 (after the addresses, ports, protocol, tcpControlBits): reverse tcpControlBits.
  EXPECT_EQ(hex(out.substr(8 + 6 * 4, 8)), "8006000200007279");
  // The last field: wiretop's applicationName, variable length, PEN 32473.
  // 12 IANA specifiers (4 bytes) and 7 enterprise ones (8 bytes) after the 4-byte template header.
  constexpr std::size_t kTemplateBytes = 4 + 12 * 4 + 7 * 8;
  const std::size_t v4_end = 4 + kTemplateBytes;
  EXPECT_EQ(hex(out.substr(v4_end - 8, 8)), "8004ffff00007ed9");
  EXPECT_EQ(be16(out, v4_end), kTemplateV6);
  EXPECT_EQ(hex(out.substr(v4_end + 4, 8)), "001b0010001c0010");  // 16-byte IPv6 addresses
  EXPECT_EQ(out.size(), 4 + 2 * kTemplateBytes);
}

TEST(IpfixEncoding, V4Record_IsFixedFieldsThenShortStrings) {
  std::string out;
  const IpfixFlow f = v4_flow();
  append_ipfix_record(out, f);
  ASSERT_EQ(out.size(), 71u + 5u + 12u + 4u);
  EXPECT_EQ(hex(out.substr(0, 13)), "c0000201" "c6336407" "9c40" "01bb" "06");
  EXPECT_EQ(be16(out, 13), 0x12);
  EXPECT_EQ(be16(out, 15), 0x12);
  EXPECT_EQ(be64(out, 17), 1'000'000'000u);   // flowStartMilliseconds
  EXPECT_EQ(be64(out, 25), 1'000'000'500u);
  EXPECT_EQ(be64(out, 33), 300u);             // octetDeltaCount
  EXPECT_EQ(be64(out, 41), 3u);
  EXPECT_EQ(be64(out, 49), 2000u);            // reverse octetDeltaCount
  EXPECT_EQ(be64(out, 57), 2u);
  EXPECT_EQ(out[65], 3);                      // flowEndReason: end of flow
  EXPECT_EQ(out[66], 1);                      // biflowDirection: initiator
  EXPECT_EQ(be32(out, 67), 812u);
  EXPECT_EQ(out.substr(71), std::string("\x04" "curl" "\x0b" "example.com" "\x03" "TLS"));
}

TEST(IpfixEncoding, LongStrings_AreCutToTheOneByteLengthForm) {
  IpfixFlow f = v4_flow();
  f.server_name = std::string(1000, 'n');
  std::string out;
  append_ipfix_record(out, f);
  EXPECT_EQ(static_cast<std::uint8_t>(out[71 + 5]), 254);
}

TEST(IpfixMessageBuilder, FirstMessage_LeadsWithTemplatesAndCountsSequence) {
  std::vector<std::string> sent;
  IpfixMessageBuilder b(9, [&](std::string_view m) { sent.emplace_back(m); });
  b.add(v4_flow(), core::Timestamp{1'700'000'000'000'000});
  b.add(v4_flow(), core::Timestamp{1'700'000'000'000'000});
  b.flush();
  ASSERT_EQ(sent.size(), 1u);
  const std::string& m = sent[0];
  EXPECT_EQ(be16(m, 0), 10);
  EXPECT_EQ(be16(m, 2), m.size());
  EXPECT_EQ(be32(m, 4), 1'700'000'000u);
  EXPECT_EQ(be32(m, 8), 0u);  // no data record before this message
  EXPECT_EQ(be32(m, 12), 9u);
  EXPECT_EQ(be16(m, 16), 2);  // template set first
  const std::size_t data = 16 + be16(m, 18);
  EXPECT_EQ(be16(m, data), kTemplateV4);
  EXPECT_EQ(be16(m, data + 2), 4u + 2 * 92u);
  b.add(v4_flow(), core::Timestamp{1'700'000'001'000'000});
  b.flush();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(be32(sent[1], 8), 2u);
  EXPECT_EQ(be16(sent[1], 16), kTemplateV4);  // templates not repeated...
  b.refresh_templates();
  b.add(v4_flow(), core::Timestamp{1'700'000'002'000'000});
  b.flush();
  EXPECT_EQ(be16(sent[2], 16), 2);  // ...until refreshed
}

TEST(IpfixMessageBuilder, ManyRecords_SplitIntoMessagesUnderTheDatagramCap) {
  std::vector<std::string> sent;
  IpfixMessageBuilder b(1, [&](std::string_view m) { sent.emplace_back(m); });
  for (int i = 0; i < 100; ++i) b.add(v4_flow(), core::Timestamp{0});
  b.flush();
  ASSERT_GT(sent.size(), 1u);
  std::uint32_t expected_seq = 0;
  for (const std::string& m : sent) {
    EXPECT_LE(m.size(), kMaxMessageBytes);
    EXPECT_EQ(be32(m, 8), expected_seq);
    std::size_t at = 16;
    while (at < m.size()) {
      if (be16(m, at) == kTemplateV4) expected_seq += (be16(m, at + 2) - 4) / 92;
      at += be16(m, at + 2);
    }
    EXPECT_EQ(at, m.size());
  }
  EXPECT_EQ(expected_seq, 100u);
}

// The exporter's records for a connection sum to its totals, whatever splits them.
struct Collected {
  std::vector<std::string> messages;
  std::uint64_t packets[2] = {0, 0}, bytes[2] = {0, 0};
  std::vector<int> reasons;
  void take(std::string_view m) {
    messages.emplace_back(m);
    std::size_t at = 16;
    while (at + 4 <= m.size()) {
      const std::uint16_t id = be16(m, at), len = be16(m, at + 2);
      for (std::size_t r = at + 4; id == kTemplateV4 && r + 71 <= at + len;) {
        bytes[0] += be64(m, r + 33);
        packets[0] += be64(m, r + 41);
        bytes[1] += be64(m, r + 49);
        packets[1] += be64(m, r + 57);
        reasons.push_back(m[r + 65]);
        std::size_t s = r + 71;
        for (int i = 0; i < 3; ++i) s += 1 + static_cast<std::uint8_t>(m[s]);
        r = s;
      }
      at += len;
    }
  }
};

PacketNote note_at(std::int64_t sec, int dir, std::uint64_t n) {
  PacketNote p;
  const IpfixFlow f = v4_flow();
  p.connection_id = 5;
  p.direction = dir;
  p.ts = core::Timestamp{sec * 1'000'000};
  p.first_seen = core::Timestamp{0};
  p.ip_proto = 6;
  p.client_ip = f.client_ip;
  p.server_ip = f.server_ip;
  p.client_port = f.client_port;
  p.server_port = f.server_port;
  p.packets = {n, n};
  p.bytes = {100 * n, 1000 * n};
  return p;
}

model::ConnectionRow ended_row(std::uint64_t n, std::int64_t last_sec) {
  model::ConnectionRow r;
  r.id = 5;
  r.packets = {n, n};
  r.bytes = {100 * n, 1000 * n};
  r.last_seen = core::Timestamp{last_sec * 1'000'000};
  r.end_reason = "closed";
  return r;
}

TEST(IpfixExporter, IdleThenActiveThenEnd_RecordsSumToTheConnectionTotals) {
  Collected got;
  IpfixConfig cfg;
  cfg.idle_timeout_s = 15;
  cfg.active_timeout_s = 60;
  IpfixExporter x(cfg, [&](std::string_view m) { got.take(m); });
  x.on_packet(note_at(0, 0, 1));
  x.on_packet(note_at(1, 1, 2));
  x.on_tick(core::Timestamp{20'000'000});  // quiet for 19 s: an idle record
  for (std::int64_t s = 30; s <= 100; s += 5) x.on_packet(note_at(s, 0, static_cast<std::uint64_t>(s)));
  x.on_end(ended_row(120, 101));
  x.flush();
  EXPECT_EQ(got.packets[0], 120u);
  EXPECT_EQ(got.packets[1], 120u);
  EXPECT_EQ(got.bytes[0], 12000u);
  EXPECT_EQ(got.bytes[1], 120000u);
  ASSERT_GE(got.reasons.size(), 3u);
  EXPECT_EQ(got.reasons.front(), static_cast<int>(FlowEndReason::IdleTimeout));
  EXPECT_EQ(got.reasons[1], static_cast<int>(FlowEndReason::ActiveTimeout));
  EXPECT_EQ(got.reasons.back(), static_cast<int>(FlowEndReason::EndOfFlow));
}

TEST(IpfixExporter, EndAfterIdleRecordWithNothingNew_SendsNoEmptyRecord) {
  Collected got;
  IpfixExporter x(IpfixConfig{}, [&](std::string_view m) { got.take(m); });
  x.on_packet(note_at(0, 0, 1));
  x.on_tick(core::Timestamp{30'000'000});
  x.on_end(ended_row(1, 0));
  x.flush();
  EXPECT_EQ(got.reasons.size(), 1u);
  EXPECT_EQ(got.packets[0], 1u);
}

TEST(IpfixExporter, ConnectionNeverCached_IsExportedWholeAtItsEnd) {
  Collected got;
  IpfixConfig cfg;
  cfg.max_flows = 0;
  IpfixExporter x(cfg, [&](std::string_view m) { got.take(m); });
  x.on_packet(note_at(0, 0, 1));
  EXPECT_EQ(x.stats().cache_full, 1u);
  model::ConnectionRow r = ended_row(4, 3);
  r.client_ip = note_at(0, 0, 1).client_ip;
  r.server_ip = note_at(0, 0, 1).server_ip;
  x.on_end(r);
  x.flush();
  EXPECT_EQ(got.packets[0] + got.packets[1], 8u);
}

TEST(IpfixHostPort, SplitsNamesV4AndBracketedV6) {
  std::string h, p;
  ASSERT_TRUE(split_host_port("127.0.0.1:4739", h, p));
  EXPECT_EQ(h, "127.0.0.1");
  EXPECT_EQ(p, "4739");
  ASSERT_TRUE(split_host_port("[::1]:2055", h, p));
  EXPECT_EQ(h, "::1");
  EXPECT_FALSE(split_host_port("::1:2055", h, p));
  EXPECT_FALSE(split_host_port("host", h, p));
  EXPECT_FALSE(split_host_port("host:", h, p));
  EXPECT_FALSE(split_host_port("host:x1", h, p));
}

TEST(IpfixExporter, Connect_BadTargetIsOneLineError) {
  auto x = IpfixExporter::connect("nocolon", IpfixConfig{});
  ASSERT_FALSE(x);
  EXPECT_NE(x.error().find("HOST:PORT"), std::string::npos);
}

}  // namespace
}  // namespace wiretop::exporting
