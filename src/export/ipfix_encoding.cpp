#include "export/ipfix_encoding.h"

#include "export/byte_append.h"

namespace wiretop::exporting {
namespace {

constexpr std::uint16_t kVersion = 10;
constexpr std::uint16_t kTemplateSetId = 2;
constexpr std::uint16_t kEnterpriseBit = 0x8000;
constexpr std::uint16_t kVariableLength = 65535;
constexpr std::size_t kHeaderBytes = 16, kSetHeaderBytes = 4;
// Strings are sent with the one-byte length form of RFC 7011 §7.
constexpr std::size_t kMaxStringBytes = 254;

struct Field {
  std::uint16_t id;
  std::uint16_t length;
  std::uint32_t pen;  // 0: IANA element
};

// IANA element ids (https://www.iana.org/assignments/ipfix).
constexpr std::uint16_t kOctetDelta = 1, kPacketDelta = 2, kProtocol = 4, kTcpFlags = 6, kSrcPort = 7,
                        kSrcV4 = 8, kDstPort = 11, kDstV4 = 12, kSrcV6 = 27, kDstV6 = 28, kEndReason = 136,
                        kStartMs = 152, kEndMs = 153, kBiflowDirection = 239;
// wiretop's enterprise elements (kWiretopPen).
constexpr std::uint16_t kProcessId = 1, kProcessName = 2, kServerName = 3, kAppName = 4;

// The field list after the two addresses; the same in both templates.
constexpr Field kCommonFields[] = {
    {kSrcPort, 2, 0},          {kDstPort, 2, 0},
    {kProtocol, 1, 0},         {kTcpFlags, 2, 0},
    {kTcpFlags, 2, kReversePen}, {kStartMs, 8, 0},
    {kEndMs, 8, 0},            {kOctetDelta, 8, 0},
    {kPacketDelta, 8, 0},      {kOctetDelta, 8, kReversePen},
    {kPacketDelta, 8, kReversePen}, {kEndReason, 1, 0},
    {kBiflowDirection, 1, 0},  {kProcessId, 4, kWiretopPen},
    {kProcessName, kVariableLength, kWiretopPen}, {kServerName, kVariableLength, kWiretopPen},
    {kAppName, kVariableLength, kWiretopPen},
};

void append_field(std::string& out, const Field& f) {
  append_be(out, static_cast<std::uint16_t>(f.pen ? f.id | kEnterpriseBit : f.id));
  append_be(out, f.length);
  if (f.pen) append_be(out, f.pen);
}

void append_template(std::string& out, std::uint16_t id, std::uint16_t src, std::uint16_t dst,
                     std::uint16_t addr_len) {
  append_be(out, id);
  append_be(out, static_cast<std::uint16_t>(2 + std::size(kCommonFields)));
  append_field(out, {src, addr_len, 0});
  append_field(out, {dst, addr_len, 0});
  for (const Field& f : kCommonFields) append_field(out, f);
}

void append_string(std::string& out, std::string_view s) {
  if (s.size() > kMaxStringBytes) s = s.substr(0, kMaxStringBytes);
  out.push_back(static_cast<char>(s.size()));
  out.append(s);
}

void append_address(std::string& out, const core::IpAddress& a) {
  const std::size_t n = a.is_v4() ? 4 : 16;
  out.append(reinterpret_cast<const char*>(a.bytes().data()), n);
}

std::uint64_t millis(core::Timestamp t) { return static_cast<std::uint64_t>(t.usec < 0 ? 0 : t.usec / 1000); }

}  // namespace

void append_ipfix_template_set(std::string& out) {
  const std::size_t start = out.size();
  append_be(out, kTemplateSetId);
  append_be(out, std::uint16_t{0});
  append_template(out, kTemplateV4, kSrcV4, kDstV4, 4);
  append_template(out, kTemplateV6, kSrcV6, kDstV6, 16);
  put_be16(out, start + 2, static_cast<std::uint16_t>(out.size() - start));
}

std::uint16_t ipfix_template_id(const IpfixFlow& flow) {
  return flow.client_ip.is_v4() && flow.server_ip.is_v4() ? kTemplateV4 : kTemplateV6;
}

void append_ipfix_record(std::string& out, const IpfixFlow& f) {
  if (ipfix_template_id(f) == kTemplateV4) {
    append_address(out, f.client_ip);
    append_address(out, f.server_ip);
  } else {  // a mixed pair cannot happen on the wire; v6 keeps the record well formed
    out.append(reinterpret_cast<const char*>(f.client_ip.bytes().data()), 16);
    out.append(reinterpret_cast<const char*>(f.server_ip.bytes().data()), 16);
  }
  append_be(out, f.client_port);
  append_be(out, f.server_port);
  append_be(out, f.ip_proto);
  append_be(out, std::uint16_t{f.tcp_flags[0]});
  append_be(out, std::uint16_t{f.tcp_flags[1]});
  append_be(out, millis(f.start));
  append_be(out, millis(f.end));
  append_be(out, f.bytes[0]);
  append_be(out, f.packets[0]);
  append_be(out, f.bytes[1]);
  append_be(out, f.packets[1]);
  append_be(out, static_cast<std::uint8_t>(f.end_reason));
  append_be(out, std::uint8_t{1});  // RFC 5103 §5.3 biflowDirection: initiator (the client is the source)
  append_be(out, f.pid);
  append_string(out, f.process_name);
  append_string(out, f.server_name);
  append_string(out, f.app);
}

void IpfixMessageBuilder::start_message(core::Timestamp export_time) {
  message_.clear();
  append_be(message_, kVersion);
  append_be(message_, std::uint16_t{0});
  append_be(message_, static_cast<std::uint32_t>(export_time.usec < 0 ? 0 : export_time.usec / 1'000'000));
  append_be(message_, sequence_);
  append_be(message_, domain_);
  if (templates_due_) {
    append_ipfix_template_set(message_);
    templates_due_ = false;
  }
  set_id_ = 0;
}

void IpfixMessageBuilder::close_set() {
  if (set_id_ != 0) put_be16(message_, set_start_ + 2, static_cast<std::uint16_t>(message_.size() - set_start_));
  set_id_ = 0;
}

void IpfixMessageBuilder::add(const IpfixFlow& flow, core::Timestamp export_time) {
  record_.clear();
  append_ipfix_record(record_, flow);
  const std::uint16_t id = ipfix_template_id(flow);
  const std::size_t needed = record_.size() + (set_id_ == id ? 0 : kSetHeaderBytes);
  if (!message_.empty() && message_.size() + needed > kMaxMessageBytes) flush();
  if (message_.empty() || templates_due_) {
    flush();
    start_message(export_time);
  }
  if (set_id_ != id) {
    close_set();
    set_start_ = message_.size();
    set_id_ = id;
    append_be(message_, id);
    append_be(message_, std::uint16_t{0});
  }
  message_ += record_;
  ++pending_records_;
}

void IpfixMessageBuilder::flush() {
  if (message_.size() <= kHeaderBytes && pending_records_ == 0) {
    message_.clear();
    return;
  }
  close_set();
  put_be16(message_, 2, static_cast<std::uint16_t>(message_.size()));
  send_(message_);
  ++messages_;
  sequence_ += pending_records_;
  pending_records_ = 0;
  message_.clear();
}

}  // namespace wiretop::exporting
