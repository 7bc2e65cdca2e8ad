#pragma once
// Redact mode (`--redact`, issue 10): every address, host name, user name and
// executable path leaves wiretop pseudonymised, so screenshots and shared
// metadata say "which" without saying "who". Applied where rows, listener
// rows and packet notes are made (engine/shard, engine), so the TUI and every
// export see only pseudonyms and no writer needs to know about it.
//
// Pseudonyms come from SipHash-2-4 under a key drawn at start-up and never
// written anywhere: stable within a run (same value, same pseudonym; a name in
// the SNI, HTTP Host and a DNS query alike), unrelated across runs.
// Addresses keep their family and stay parseable: IPv4 becomes 10.x.y.z
// (distinct addresses get distinct pseudonyms, up to kMaxV4 of them), IPv6
// 2001:db8::/32 (documentation). Loopback, unspecified (wildcard), broadcast
// and multicast group addresses name no host and are kept, except IPv6
// solicited-node groups, which carry an address's last 24 bits.

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/ip_address.h"
#include "export/packet_note.h"
#include "model/connection_row.h"
#include "model/listener_row.h"

namespace wiretop::engine {

class Redactor {
 public:
  // Distinct IPv4 pseudonyms handed out before falling back to the bare hash (which may collide).
  static constexpr std::size_t kMaxV4 = 1u << 20;

  explicit Redactor(const std::array<std::uint64_t, 2>& key) : key_(key) {}
  // A key from getrandom(2): call before the sandbox (it allows getrandom anyway).
  static std::array<std::uint64_t, 2> random_key();

  core::IpAddress address(const core::IpAddress& ip) const;
  // "host-1a2b3c4d.redacted"; an IP literal becomes its address pseudonym; case and a trailing dot do not matter.
  std::string host(std::string_view name) const;
  // "<kind>-1a2b3c4d": user and group names, containers, credentials, identifiers.
  std::string label(std::string_view kind, std::string_view value) const;
  std::array<std::uint8_t, 6> mac(const std::array<std::uint8_t, 6>& mac) const;

  void apply(model::ConnectionRow& row) const;
  void apply(model::ListenerRow& listener) const;
  // The note's names are replaced by views into `storage` (keep it alive while the note is used).
  void apply(exporting::PacketNote& note, std::array<std::string, 2>& storage) const;

 private:
  std::uint64_t hash(std::string_view domain, std::string_view value) const;
  core::IpAddress v4(const core::IpAddress& ip) const;
  void apply(dpi::AppInfo& app) const;
  void apply(host::ProcessInfo& process) const;

  std::array<std::uint64_t, 2> key_;
  mutable std::mutex v4_mutex_;  // shards redact from their own threads
  mutable std::unordered_map<std::uint32_t, std::uint32_t> v4_;
  mutable std::unordered_set<std::uint32_t> v4_used_;
};

}  // namespace wiretop::engine
