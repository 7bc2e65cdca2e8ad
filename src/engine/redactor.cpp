#include "engine/redactor.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <memory>

#include "core/siphash.h"

namespace wiretop::engine {
namespace {

std::string hex8(std::uint64_t h) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(h & 0xffffffffu));
  return buf;
}

// A name's canonical form: lower case, no trailing dot.
std::string canonical(std::string_view name) {
  std::string s(name);
  while (!s.empty() && s.back() == '.') s.pop_back();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool kept(const core::IpAddress& ip) {
  if (ip.empty() || ip.is_loopback() || ip.is_unspecified() || ip.is_broadcast()) return true;
  if (!ip.is_multicast()) return false;
  // ff02::1:ffXX:XXXX (RFC 4291 2.7.1) ends with a unicast address's last 24 bits.
  const auto& b = ip.bytes();
  return !(ip.is_v6() && b[11] == 0x01 && b[12] == 0xff);
}

}  // namespace

std::array<std::uint64_t, 2> Redactor::random_key() {
  std::array<std::uint64_t, 2> key{};
  auto* p = reinterpret_cast<unsigned char*>(key.data());
  std::size_t got = 0;
  while (got < sizeof key) {
    const ssize_t n = ::getrandom(p + got, sizeof key - got, 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got < sizeof key) {  // no getrandom (ancient kernel): the clock is still unknown to a reader
    key[0] ^= static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    key[1] ^= static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  }
  return key;
}

std::uint64_t Redactor::hash(std::string_view domain, std::string_view value) const {
  // One key, separate domains: a user and a host of the same text get unrelated pseudonyms.
  std::string input(domain);
  input += '\0';
  input.append(value);
  return core::siphash24(key_, input.data(), input.size());
}

core::IpAddress Redactor::v4(const core::IpAddress& ip) const {
  const std::uint32_t real = ip.v4_host_order();
  const std::string_view bytes(reinterpret_cast<const char*>(ip.bytes().data()), 4);
  std::uint32_t low = static_cast<std::uint32_t>(hash("v4", bytes)) & 0xffffffu;
  std::lock_guard<std::mutex> lock(v4_mutex_);
  if (const auto it = v4_.find(real); it != v4_.end()) return core::IpAddress::v4(it->second);
  // Probe past pseudonyms already taken, so two hosts never share one (the bare hash would, now and then).
  if (v4_.size() < kMaxV4)
    while (v4_used_.contains(low)) low = (low + 1) & 0xffffffu;
  const std::uint32_t pseudonym = 0x0a000000u | low;
  if (v4_.size() < kMaxV4) {
    v4_.emplace(real, pseudonym);
    v4_used_.insert(low);
  }
  return core::IpAddress::v4(pseudonym);
}

core::IpAddress Redactor::address(const core::IpAddress& ip) const {
  if (kept(ip)) return ip;
  if (ip.is_v4()) return v4(ip);
  std::array<std::uint8_t, 16> out{0x20, 0x01, 0x0d, 0xb8};
  if (ip.is_multicast()) out = ip.bytes();  // solicited-node: only the 24 bits are replaced
  const std::string_view bytes(reinterpret_cast<const char*>(ip.bytes().data()), 16);
  const std::uint64_t a = hash("v6a", bytes), b = hash("v6b", bytes);
  const std::size_t from = ip.is_multicast() ? 13 : 4;
  for (std::size_t i = from; i < 16; ++i) out[i] = static_cast<std::uint8_t>((i < 10 ? a : b) >> (8 * (i % 8)));
  return core::IpAddress::v6_bytes(core::Bytes(out.data(), out.size()));
}

std::string Redactor::host(std::string_view name) const {
  if (name.empty()) return {};
  const std::string c = canonical(name);
  if (const auto ip = core::IpAddress::parse(c)) return address(*ip).to_string();
  return "host-" + hex8(hash("host", c)) + ".redacted";
}

std::string Redactor::label(std::string_view kind, std::string_view value) const {
  if (value.empty()) return {};
  return std::string(kind) + "-" + hex8(hash(kind, value));
}

std::array<std::uint8_t, 6> Redactor::mac(const std::array<std::uint8_t, 6>& mac) const {
  const std::uint64_t h = hash("mac", std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  std::array<std::uint8_t, 6> out{0x02};  // locally administered, unicast: no vendor's OUI
  for (std::size_t i = 1; i < 6; ++i) out[i] = static_cast<std::uint8_t>(h >> (8 * i));
  return out;
}

}  // namespace wiretop::engine

namespace wiretop::engine {
namespace {

// An HTTP Host's name and its ":port" (kept): "[v6]:port", "name:port" or just the name.
std::pair<std::string_view, std::string_view> split_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close != std::string_view::npos) return {host.substr(1, close - 1), host.substr(close + 1)};
  }
  const auto colon = host.find(':');
  if (colon != std::string_view::npos && colon == host.rfind(':')) return {host.substr(0, colon), host.substr(colon)};
  return {host, {}};
}

}  // namespace

void Redactor::apply(dpi::AppInfo& app) const {
  const auto [name, port] = split_port(app.http_host);
  if (!app.http_host.empty()) app.http_host = host(name) + std::string(port);
  app.sni = host(app.sni);
  app.tls_cert_subject_cn = host(app.tls_cert_subject_cn);
  for (auto& san : app.tls_cert_sans) san = host(san);
  for (auto& q : app.dns_queries) q.name = host(q.name);
  for (auto& answer : app.dns_answers) answer = host(answer);  // addresses and names alike
  app.dhcp_hostname = host(app.dhcp_hostname);
  // A path may carry user names and tokens; its pseudonym still tells requests apart.
  if (!app.http_path.empty()) app.http_path = "/" + label("path", app.http_path);
  app.snmp_community = label("community", app.snmp_community);
  app.ssdp_usn = label("usn", app.ssdp_usn);
  app.mqtt_client_id = label("client", app.mqtt_client_id);
  app.ftp_user = label("user", app.ftp_user);
}

void Redactor::apply(host::ProcessInfo& p) const {
  // The process name stays: "firefox" is what the view is for; paths and arguments may name a user.
  if (!p.exe.empty()) p.exe = "/redacted/" + label("exe", p.exe);
  p.cmdline = label("cmdline", p.cmdline);
  p.user = label("user", p.user);
  p.group = label("group", p.group);
  p.container = label("container", p.container);
}

void Redactor::apply(model::ConnectionRow& row) const {
  row.client_ip = address(row.client_ip);
  row.server_ip = address(row.server_ip);
  for (auto& end : row.ends)
    if (end.has_mac) end.mac = mac(end.mac);
  row.server_name = host(row.server_name);
  if (row.app) {
    auto app = std::make_shared<dpi::AppInfo>(*row.app);
    apply(*app);
    row.app = std::move(app);
  }
  for (auto* process : {&row.process, &row.server_process}) {
    if (!*process) continue;
    auto copy = std::make_shared<host::ProcessInfo>(**process);
    apply(*copy);
    *process = std::move(copy);
  }
}

void Redactor::apply(model::ListenerRow& l) const {
  l.local_ip = address(l.local_ip);
  l.user = label("user", l.user);
}

void Redactor::apply(exporting::PacketNote& note, std::array<std::string, 2>& storage) const {
  note.client_ip = address(note.client_ip);
  note.server_ip = address(note.server_ip);
  storage[0] = host(note.sni);
  const auto [name, port] = split_port(note.http_host);
  storage[1] = note.http_host.empty() ? std::string() : host(name) + std::string(port);
  note.sni = storage[0];
  note.http_host = storage[1];
}

}  // namespace wiretop::engine
