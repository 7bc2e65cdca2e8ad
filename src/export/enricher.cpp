#include "export/enricher.h"

#include "export/address_class.h"

namespace wiretop::exporting {

void Enricher::apply(model::ConnectionRow& row) const {
  for (std::size_t i = 0; i < row.ends.size(); ++i) {
    model::EndpointInfo& end = row.ends[i];
    const core::IpAddress& ip = i == 0 ? row.client_ip : row.server_ip;
    end.address_class = address_class(ip);
    // Private and special addresses are in no GeoIP database worth asking.
    if (end.address_class == "public" && !geo_.empty()) {
      GeoRecord g = geo_.lookup(ip);
      end.country = std::move(g.country);
      end.city = std::move(g.city);
      end.asn = g.asn;
      end.as_org = std::move(g.as_org);
    }
    if (end.has_mac) end.mac_vendor = std::string(oui_.vendor(end.mac));
  }
  const bool client_is_remote = row.locality_known && row.server_local && !row.client_local;
  row.country = row.ends[client_is_remote ? 0 : 1].country;
}

}  // namespace wiretop::exporting
