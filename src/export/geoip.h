#pragma once
// GeoIP from MaxMind DB files (.mmdb: GeoLite2/GeoIP2 Country, City, ASN, or
// any database with the same keys) through libmaxminddb. Each file is mapped
// into memory at open, before the sandbox: lookups never touch the file system
// and never the network.

#include <memory>
#include <string>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"

namespace wiretop::exporting {

struct GeoRecord {
  std::string country;  // ISO 3166-1 alpha-2
  std::string city;     // English name
  std::uint32_t asn = 0;
  std::string as_org;
};

class GeoIp {
 public:
  // Where distributions and geoipupdate put the databases.
  static std::vector<std::string> default_dirs();

  GeoIp();
  ~GeoIp();
  GeoIp(GeoIp&&) noexcept;
  GeoIp& operator=(GeoIp&&) noexcept;

  // Opens every path; the error names the file and libmaxminddb's reason.
  static core::Result<GeoIp, std::string> open(const std::vector<std::string>& paths);
  // Opens the *.mmdb files found in `dirs`; ones that fail to open are skipped.
  static GeoIp discover(const std::vector<std::string>& dirs = default_dirs());

  // What the databases know of `ip`, each field from the first database that has it.
  GeoRecord lookup(const core::IpAddress& ip) const;
  bool empty() const { return databases_.empty(); }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  struct Database;
  std::vector<std::unique_ptr<Database>> databases_;
  std::vector<std::string> paths_;
};

}  // namespace wiretop::exporting
