#include "dpi/app_record.h"

#include <array>
#include <cstring>

namespace wiretop::dpi {

namespace {

// Entry layout: a tag byte (field index << 1 | 1 if the text is in the pool),
// then a varint pool index, or a varint length and the bytes, or (numbers) a
// zigzag varint; flags have no payload (present means true).
enum class Kind : std::uint8_t { kText, kList, kQueryName, kQueryType, kInt, kCount, kFlag };

struct Field {
  Kind kind;
  bool pooled;  // values repeat across flows: worth a pool entry
  std::string AppInfo::*text = nullptr;
  std::vector<std::string> AppInfo::*list = nullptr;
  int AppInfo::*number = nullptr;
  std::uint32_t AppInfo::*count = nullptr;
  bool AppInfo::*flag = nullptr;
};

constexpr Field text(std::string AppInfo::*m, bool pooled) { return {Kind::kText, pooled, m}; }
constexpr Field list(std::vector<std::string> AppInfo::*m, bool pooled) {
  return {Kind::kList, pooled, nullptr, m};
}
constexpr Field number(int AppInfo::*m) { return {Kind::kInt, false, nullptr, nullptr, m}; }
constexpr Field flag(bool AppInfo::*m) {
  return {Kind::kFlag, false, nullptr, nullptr, nullptr, nullptr, m};
}

// Every AppInfo member. Its order is the encoding's field index: proto first
// (the per-packet look-ups find it in the first entry).
constexpr std::array kFields{
    text(&AppInfo::proto, true),
    text(&AppInfo::sni, false),
    list(&AppInfo::alpn, true),
    text(&AppInfo::alpn_selected, true),
    text(&AppInfo::tls_version, true),
    text(&AppInfo::cipher, true),
    text(&AppInfo::ja3, true),
    text(&AppInfo::ja3s, true),
    text(&AppInfo::ja4, true),
    text(&AppInfo::tls_cert_subject_cn, false),
    list(&AppInfo::tls_cert_sans, false),
    flag(&AppInfo::tls_ech),
    text(&AppInfo::quic_version, true),
    text(&AppInfo::quic_user_agent, true),
    text(&AppInfo::http_method, true),
    text(&AppInfo::http_host, false),
    text(&AppInfo::http_path, false),
    text(&AppInfo::http_user_agent, true),
    text(&AppInfo::http_content_type, true),
    number(&AppInfo::http_status),
    Field{Kind::kQueryName, false},
    Field{Kind::kQueryType, true},
    Field{Kind::kCount, false, nullptr, nullptr, nullptr, &AppInfo::dns_queries_overflow},
    list(&AppInfo::dns_answers, false),
    text(&AppInfo::dns_rcode, true),
    text(&AppInfo::ssh_client_banner, true),
    text(&AppInfo::ssh_server_banner, true),
    text(&AppInfo::hassh, true),
    text(&AppInfo::hassh_server, true),
    text(&AppInfo::dhcp_hostname, false),
    text(&AppInfo::dhcp_vendor_class, true),
    list(&AppInfo::dhcp_message_types, true),
    number(&AppInfo::ntp_version),
    number(&AppInfo::ntp_mode),
    number(&AppInfo::ntp_stratum),
    text(&AppInfo::snmp_version, true),
    text(&AppInfo::snmp_community, false),
    text(&AppInfo::ssdp_st, true),
    text(&AppInfo::ssdp_usn, false),
    text(&AppInfo::ssdp_server, true),
    list(&AppInfo::stun_message_types, true),
    text(&AppInfo::stun_software, true),
    text(&AppInfo::mqtt_client_id, false),
    flag(&AppInfo::mqtt_username_present),
    text(&AppInfo::ftp_user, false),
    list(&AppInfo::ftp_commands, true),
    flag(&AppInfo::starttls),
    text(&AppInfo::cleartext_auth, true),
    text(&AppInfo::bittorrent_info_hash, false),
};
static_assert(kFields.size() < 128, "the field index shares the tag byte with the pool bit");
#if defined(__GLIBCXX__) && __SIZEOF_POINTER__ == 8
// A tripwire: a member added to AppInfo must be added to kFields (and to the
// round-trip test), or records would silently drop it.
static_assert(sizeof(AppInfo) == 1280, "AppInfo changed: update kFields in app_record.cpp");
#endif

constexpr std::uint8_t kQueryName = 20, kQueryType = 21;
constexpr std::uint8_t kProto = 0, kSni = 1, kHttpHost = 15;
static_assert(kFields[kProto].text == &AppInfo::proto && kFields[kSni].text == &AppInfo::sni &&
              kFields[kHttpHost].text == &AppInfo::http_host &&
              kFields[kQueryName].kind == Kind::kQueryName &&
              kFields[kQueryType].kind == Kind::kQueryType);

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Records are made by this file only, so reads need no bounds checks beyond the body's end.
std::uint64_t get_varint(const std::uint8_t*& p) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

void put_text(std::string& out, std::uint8_t field, bool pooled, std::string_view value,
              TextPool& pool) {
  const std::int64_t index = pooled ? pool.intern(value) : -1;
  out.push_back(static_cast<char>((field << 1) | (index >= 0 ? 1 : 0)));
  if (index >= 0) {
    put_varint(out, static_cast<std::uint64_t>(index));
    return;
  }
  put_varint(out, value.size());
  out.append(value);
}

void put_number(std::string& out, std::uint8_t field, std::int64_t value) {
  out.push_back(static_cast<char>(field << 1));
  put_varint(out, (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
}

void encode_field(std::string& out, std::uint8_t id, const AppInfo& app, TextPool& pool) {
  const Field& f = kFields[id];
  switch (f.kind) {
    case Kind::kText:
      if (!(app.*f.text).empty()) put_text(out, id, f.pooled, app.*f.text, pool);
      break;
    case Kind::kList:
      for (const std::string& item : app.*f.list) put_text(out, id, f.pooled, item, pool);
      break;
    case Kind::kQueryName:  // each query as a name entry then a type entry
      for (const DnsQuery& q : app.dns_queries) {
        put_text(out, kQueryName, false, q.name, pool);
        put_text(out, kQueryType, kFields[kQueryType].pooled, q.type, pool);
      }
      break;
    case Kind::kQueryType:
      break;
    case Kind::kInt:
      if (app.*f.number != -1) put_number(out, id, app.*f.number);
      break;
    case Kind::kCount:
      if (app.*f.count != 0) put_number(out, id, app.*f.count);
      break;
    case Kind::kFlag:
      if (app.*f.flag) out.push_back(static_cast<char>(id << 1));
      break;
  }
}

struct Entry {
  std::uint8_t field = 0;
  std::string_view text;
  std::int64_t number = 0;
};

// Reads the entry at `p` and moves past it.
Entry next_entry(const std::uint8_t*& p, const TextPool& pool) {
  Entry e;
  const std::uint8_t tag = *p++;
  e.field = tag >> 1;
  switch (kFields[e.field].kind) {
    case Kind::kFlag:
      e.number = 1;
      return e;
    case Kind::kInt:
    case Kind::kCount: {
      const std::uint64_t z = get_varint(p);
      e.number = static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
      return e;
    }
    default:
      break;
  }
  const std::uint64_t n = get_varint(p);
  if (tag & 1) {
    e.text = pool.at(static_cast<std::uint32_t>(n));
  } else {
    e.text = std::string_view(reinterpret_cast<const char*>(p), n);
    p += n;
  }
  return e;
}

void apply(const Entry& e, AppInfo& app) {
  const Field& f = kFields[e.field];
  switch (f.kind) {
    case Kind::kText: app.*f.text = std::string(e.text); break;
    case Kind::kList: (app.*f.list).emplace_back(e.text); break;
    case Kind::kQueryName: app.dns_queries.push_back(DnsQuery{std::string(e.text), {}}); break;
    case Kind::kQueryType: app.dns_queries.back().type = std::string(e.text); break;
    case Kind::kInt: app.*f.number = static_cast<int>(e.number); break;
    case Kind::kCount: app.*f.count = static_cast<std::uint32_t>(e.number); break;
    case Kind::kFlag: app.*f.flag = true; break;
  }
}

}  // namespace

std::int64_t TextPool::intern(std::string_view text) {
  const auto it = index_.find(text);
  if (it != index_.end()) return it->second;
  if (texts_.size() >= kMaxEntries || bytes_ + text.size() > kMaxBytes) {
    ++full_hits_;
    return -1;
  }
  const std::string& kept = texts_.emplace_back(text);
  bytes_ += text.size();
  const auto index = static_cast<std::uint32_t>(texts_.size() - 1);
  index_.emplace(kept, index);
  return index;
}

AppRecord::AppRecord(const AppInfo& app, TextPool& pool) {
  std::string body;
  body.reserve(64);
  for (std::uint8_t id = 0; id < kFields.size(); ++id) encode_field(body, id, app, pool);
  std::string head;
  put_varint(head, body.size());
  data_ = std::make_unique_for_overwrite<std::uint8_t[]>(head.size() + body.size());
  std::memcpy(data_.get(), head.data(), head.size());
  std::memcpy(data_.get() + head.size(), body.data(), body.size());
}

AppInfo AppRecord::decode(const TextPool& pool) const {
  AppInfo app;
  if (!data_) return app;
  const std::uint8_t* p = data_.get();
  const std::uint64_t n = get_varint(p);
  const std::uint8_t* end = p + n;
  while (p < end) apply(next_entry(p, pool), app);
  return app;
}

std::string_view AppRecord::text_of(std::uint8_t field, const TextPool& pool) const {
  if (!data_) return {};
  const std::uint8_t* p = data_.get();
  const std::uint64_t n = get_varint(p);
  const std::uint8_t* end = p + n;
  while (p < end) {
    const Entry e = next_entry(p, pool);
    if (e.field == field) return e.text;
    if (e.field > field) break;  // entries are in field order
  }
  return {};
}

std::string_view AppRecord::proto(const TextPool& pool) const { return text_of(kProto, pool); }
std::string_view AppRecord::sni(const TextPool& pool) const { return text_of(kSni, pool); }
std::string_view AppRecord::http_host(const TextPool& pool) const {
  return text_of(kHttpHost, pool);
}

std::size_t AppRecord::size_bytes() const {
  if (!data_) return 0;
  const std::uint8_t* p = data_.get();
  const std::uint64_t n = get_varint(p);
  return static_cast<std::size_t>(p - data_.get()) + n;
}

}  // namespace wiretop::dpi
