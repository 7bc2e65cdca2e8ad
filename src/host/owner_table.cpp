#include "host/owner_table.h"

#include <algorithm>
#include <cstring>

#include "core/hash.h"
#include "host/listener_record.h"

namespace wiretop::host {
namespace {

template <std::size_t N>
bool terminated(const std::array<char, N>& text) {
  return std::memchr(text.data(), '\0', N) != nullptr;
}

template <std::size_t N>
std::string text_of(const std::array<char, N>& text) {
  return std::string(text.data(), ::strnlen(text.data(), N));
}

core::IpAddress address_of(std::uint8_t family, const std::array<std::uint8_t, 16>& ip) {
  return family == 4 ? core::IpAddress::v4_bytes(core::Bytes(ip.data(), 4))
                     : core::IpAddress::v6_bytes(core::Bytes(ip.data(), 16));
}

bool all_zero(const std::array<std::uint8_t, 16>& ip, std::size_t from) {
  return std::all_of(ip.begin() + static_cast<std::ptrdiff_t>(from), ip.end(),
                     [](std::uint8_t b) { return b == 0; });
}

}  // namespace

RecordCheck check_record(const OwnerRecord& rec) {
  if (rec.magic != OwnerRecord::kMagic) return RecordCheck::kBadMagic;
  if ((rec.ip_proto != 6 && rec.ip_proto != 17) || (rec.family != 4 && rec.family != 6) ||
      rec.source == OwnerSource::kNone || static_cast<std::uint8_t>(rec.source) > 3 ||
      rec.confidence > 100 || rec.ended > 1)
    return RecordCheck::kBadEnum;
  if (!terminated(rec.name) || !terminated(rec.exe) || !terminated(rec.cmdline) ||
      !terminated(rec.user) || !terminated(rec.group) || !terminated(rec.container))
    return RecordCheck::kBadText;
  for (const auto& n : rec.parent_names)
    if (!terminated(n)) return RecordCheck::kBadText;
  // IPv4 uses the first 4 bytes only; a remote port needs a remote end and back.
  if (rec.local_port == 0 || (rec.family == 4 && (!all_zero(rec.local_ip, 4) || !all_zero(rec.remote_ip, 4))))
    return RecordCheck::kBadAddress;
  if (rec.remote_port == 0 && !all_zero(rec.remote_ip, 0)) return RecordCheck::kBadAddress;
  return RecordCheck::kOk;
}

bool listener_record_ok(const ListenerRecord& rec) {
  if (rec.magic != ListenerRecord::kMagic || rec.flags > (ListenerRecord::kLast | ListenerRecord::kEmpty))
    return false;
  if (rec.flags & ListenerRecord::kEmpty) return rec.flags & ListenerRecord::kLast;
  if ((rec.ip_proto != 6 && rec.ip_proto != 17) || (rec.family != 4 && rec.family != 6)) return false;
  if (!terminated(rec.name) || !terminated(rec.user)) return false;
  return rec.local_port != 0 && (rec.family == 6 || all_zero(rec.local_ip, 4));
}

ProcessInfo process_info_of(const OwnerRecord& rec) {
  ProcessInfo p;
  p.pid = rec.pid;
  p.uid = rec.uid;
  p.name = text_of(rec.name);
  p.exe = text_of(rec.exe);
  p.cmdline = text_of(rec.cmdline);
  p.user = text_of(rec.user);
  p.group = text_of(rec.group);
  p.container = text_of(rec.container);
  for (std::size_t i = 0; i < rec.parents.size() && rec.parents[i] != 0; ++i)
    p.parents.push_back(ProcessParent{rec.parents[i], text_of(rec.parent_names[i])});
  p.source = rec.source;
  p.confidence = rec.confidence;
  p.start_time = rec.start_time;
  return p;
}

std::size_t OwnerTable::KeyHash::operator()(const Key& k) const {
  std::uint8_t buf[38];
  std::memcpy(buf, k.local.bytes().data(), 16);
  std::memcpy(buf + 16, k.remote.bytes().data(), 16);
  buf[32] = k.ip_proto;
  buf[33] = static_cast<std::uint8_t>(k.remote.family());
  std::memcpy(buf + 34, &k.lport, 2);
  std::memcpy(buf + 36, &k.rport, 2);
  return static_cast<std::size_t>(core::hash_bytes(buf, sizeof buf, 0x0a77));
}

void OwnerTable::apply(const OwnerRecord& rec, std::int64_t now_usec) {
  Key k;
  k.ip_proto = rec.ip_proto;
  k.local = address_of(rec.family, rec.local_ip);
  k.lport = rec.local_port;
  if (rec.remote_port != 0) {
    k.remote = address_of(rec.family, rec.remote_ip);
    k.rport = rec.remote_port;
  }
  auto it = entries_.find(k);
  if (rec.ended) {
    // Only the socket that ended: another one may have taken its place (a new
    // socket on the same tuple, SO_REUSEPORT listeners of several workers).
    if (it != entries_.end() && it->second.info->pid == rec.pid && it->second.ended_usec == 0 &&
        (rec.inode == 0 || it->second.inode == 0 || rec.inode == it->second.inode))
      it->second.ended_usec = now_usec;
    return;
  }
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxEntries) {
      ++cap_hits_;
      return;
    }
    it = entries_.emplace(k, Entry{}).first;
  } else if (it->second.ended_usec == 0 && it->second.info->pid == rec.pid &&
             it->second.info->source < rec.source) {
    return;  // keep the better source's view of the same owner
  }
  it->second.info = std::make_shared<const ProcessInfo>(process_info_of(rec));
  it->second.ended_usec = 0;
  it->second.inode = rec.inode;
}

void OwnerTable::expire(std::int64_t now_usec) {
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.ended_usec != 0 && now_usec - kv.second.ended_usec > kEndedGraceUsec;
  });
}

const std::shared_ptr<const ProcessInfo>* OwnerTable::find_key(const Key& k) const {
  const auto it = entries_.find(k);
  return it == entries_.end() ? nullptr : &it->second.info;
}

std::shared_ptr<const ProcessInfo> OwnerTable::find(std::uint8_t ip_proto, const core::IpAddress& local,
                                    std::uint16_t lport, const core::IpAddress& remote,
                                    std::uint16_t rport, bool listener_fallback) const {
  if (entries_.empty()) return nullptr;
  Key k{ip_proto, local, remote, lport, rport};
  if (const auto* p = find_key(k)) return *p;
  if (!listener_fallback) return nullptr;
  k.remote = core::IpAddress{};
  k.rport = 0;
  if (const auto* p = find_key(k)) return *p;
  static const std::uint8_t kZero[16] = {};
  if (local.is_v4()) {
    k.local = core::IpAddress::v4_bytes(core::Bytes(kZero, 4));
    if (const auto* p = find_key(k)) return *p;
  }
  // A dual-stack socket bound to :: also takes IPv4.
  k.local = core::IpAddress::v6_bytes(core::Bytes(kZero, 16));
  const auto* p = find_key(k);
  return p ? *p : nullptr;
}

}  // namespace wiretop::host
