#include "export/geoip.h"

#include <maxminddb.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace wiretop::exporting {
namespace {

// Names in the databases are short; a longer one is cut (the file is trusted
// only as far as it was validated by libmaxminddb).
constexpr std::size_t kMaxText = 96;

std::string clean_text(const char* data, std::uint32_t size) {
  std::string out;
  const std::size_t n = std::min<std::size_t>(size, kMaxText);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
  }
  return out;
}

std::string text_at(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING)
    return {};
  return clean_text(data.utf8_string, data.data_size);
}

std::uint32_t number_at(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return 0;
  if (data.type == MMDB_DATA_TYPE_UINT32) return data.uint32;
  if (data.type == MMDB_DATA_TYPE_UINT16) return data.uint16;
  return 0;
}

// libmaxminddb looks addresses up by sockaddr; an IPv4 address in an IPv6
// database is found through its IPv4 subtree.
bool to_sockaddr(const core::IpAddress& ip, sockaddr_storage& ss) {
  std::memset(&ss, 0, sizeof ss);
  if (ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, ip.bytes().data(), 4);
    return true;
  }
  if (ip.is_v6()) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, ip.bytes().data(), 16);
    return true;
  }
  return false;
}

}  // namespace

struct GeoIp::Database {
  MMDB_s mmdb{};
  ~Database() { MMDB_close(&mmdb); }
};

GeoIp::GeoIp() = default;
GeoIp::~GeoIp() = default;
GeoIp::GeoIp(GeoIp&&) noexcept = default;
GeoIp& GeoIp::operator=(GeoIp&&) noexcept = default;

std::vector<std::string> GeoIp::default_dirs() {
  return {"/usr/share/GeoIP", "/var/lib/GeoIP", "/usr/local/share/GeoIP"};
}

core::Result<GeoIp, std::string> GeoIp::open(const std::vector<std::string>& paths) {
  GeoIp out;
  for (const std::string& path : paths) {
    auto db = std::make_unique<Database>();
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb);
    if (status != MMDB_SUCCESS) {
      std::string reason = MMDB_strerror(status);
      if (status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR) reason += std::string(" (") + std::strerror(errno) + ")";
      return core::Err{"--geoip-db " + path + ": " + reason};
    }
    out.databases_.push_back(std::move(db));
    out.paths_.push_back(path);
  }
  return out;
}

GeoIp GeoIp::discover(const std::vector<std::string>& dirs) {
  std::vector<std::string> found;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".mmdb") found.push_back(it->path().string());
  }
  std::sort(found.begin(), found.end());
  GeoIp out;
  for (const std::string& path : found) {
    auto one = open({path});
    if (!one) continue;
    out.databases_.push_back(std::move(one->databases_.front()));
    out.paths_.push_back(path);
  }
  return out;
}

GeoRecord GeoIp::lookup(const core::IpAddress& ip) const {
  GeoRecord out;
  sockaddr_storage ss;
  if (!to_sockaddr(ip, ss)) return out;
  static constexpr const char* kCountry[] = {"country", "iso_code", nullptr};
  static constexpr const char* kCity[] = {"city", "names", "en", nullptr};
  static constexpr const char* kAsn[] = {"autonomous_system_number", nullptr};
  static constexpr const char* kAsOrg[] = {"autonomous_system_organization", nullptr};
  for (const auto& db : databases_) {
    int error = 0;
    MMDB_lookup_result_s r = MMDB_lookup_sockaddr(&db->mmdb, reinterpret_cast<const sockaddr*>(&ss), &error);
    if (error != MMDB_SUCCESS || !r.found_entry) continue;
    if (out.country.empty()) out.country = text_at(&r.entry, kCountry);
    if (out.city.empty()) out.city = text_at(&r.entry, kCity);
    if (out.asn == 0) out.asn = number_at(&r.entry, kAsn);
    if (out.as_org.empty()) out.as_org = text_at(&r.entry, kAsOrg);
  }
  return out;
}

}  // namespace wiretop::exporting
