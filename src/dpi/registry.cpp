#include "dpi/dissector.h"

namespace wiretop::dpi {

// Each protocol file defines its Dissector constant(s).
extern const Dissector kTls;
extern const Dissector kQuic;
extern const Dissector kHttp;
extern const Dissector kHttp2;
extern const Dissector kSsh;
extern const Dissector kDns;
extern const Dissector kMdns;
extern const Dissector kLlmnr;
extern const Dissector kNetbios;
extern const Dissector kDhcp;
extern const Dissector kDhcpv6;
extern const Dissector kNtp;
extern const Dissector kSnmp;
extern const Dissector kSsdp;
extern const Dissector kStun;
extern const Dissector kMqtt;
extern const Dissector kFtp;
extern const Dissector kBittorrent;
extern const Dissector kSmtp;
extern const Dissector kImap;
extern const Dissector kPop3;
extern const Dissector kRdp;
extern const Dissector kSmb;
extern const Dissector kPostgresql;
extern const Dissector kMysql;
extern const Dissector kRedis;
extern const Dissector kTelnet;

namespace {
// Probe order: among several "Yes" answers the one whose well-known port
// matches the flow wins, else the first in this list.
constexpr std::array<const Dissector*, 27> kRegistry{
    &kTls,
    &kQuic,
    &kHttp,
    &kHttp2,
    &kSsh,
    &kDns,
    &kMdns,
    &kLlmnr,
    &kNetbios,
    &kDhcp,
    &kDhcpv6,
    &kNtp,
    &kSnmp,
    &kSsdp,
    &kStun,
    &kMqtt,
    &kFtp,
    &kBittorrent,
    &kSmtp,
    &kImap,
    &kPop3,
    &kRdp,
    &kSmb,
    &kPostgresql,
    &kMysql,
    &kRedis,
    &kTelnet,
};
}  // namespace

std::span<const Dissector* const> dissectors() { return kRegistry; }

const Dissector* find_dissector(std::string_view proto) {
  for (const Dissector* d : kRegistry)
    if (d->proto == proto) return d;
  return nullptr;
}

}  // namespace wiretop::dpi
