#pragma once
// Enrichment of connection rows from local data only (issue 8): address
// classes, GeoIP country/city/ASN and the vendor of on-link MACs. Everything
// is loaded before the sandbox; apply() never reads a file or the network.

#include "export/geoip.h"
#include "export/oui.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

class Enricher {
 public:
  Enricher() = default;
  Enricher(GeoIp geo, OuiRegistry oui) : geo_(std::move(geo)), oui_(std::move(oui)) {}

  // Fills row.ends (classes, GeoIP for public addresses, MAC vendors) and
  // row.country: the remote end's country (the end that is not this host's,
  // else the server's).
  void apply(model::ConnectionRow& row) const;

  const GeoIp& geo() const { return geo_; }
  const OuiRegistry& oui() const { return oui_; }

 private:
  GeoIp geo_;
  OuiRegistry oui_;
};

}  // namespace wiretop::exporting
