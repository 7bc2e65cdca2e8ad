#pragma once
// The bytes a flow carries. Each function is deterministic in the flow's seed, so the
// scheduler can ask for a payload's length while planning and the writer can build the
// same bytes later without either keeping them around.

#include <cstdint>
#include <vector>

#include "gen/names.h"
#include "gen/plan.h"
#include "gen/quic.h"

namespace wiretop::bench {

// TLS over TCP.
ByteVec tls_client_hello_for(const FlowPlan& f, const NameCatalogue& names);
// ServerHello, ChangeCipherSpec, then one encrypted record standing for
// EncryptedExtensions + Certificate + CertificateVerify + Finished.
ByteVec tls_server_flight(const FlowPlan& f);
// Round 1 also carries the client's ChangeCipherSpec and Finished.
ByteVec tls_client_request(const FlowPlan& f, std::uint32_t round);

// HTTP/1.1.
ByteVec http_request(const FlowPlan& f, const NameCatalogue& names, std::uint32_t round);
// The smallest response the writer can produce (status line and headers).
inline constexpr std::uint32_t kMinHttpResponse = 600;

// Bytes [offset, offset + length) of the server's `total`-byte answer to `round`: TLS
// application-data records for TLS, status line + headers + body for HTTP.
void append_response_slice(const FlowPlan& f, std::uint32_t round, std::uint32_t total,
                           std::uint32_t offset, std::uint32_t length, ByteVec& out);

// QUIC v1.
ByteVec quic_client_initial(const FlowPlan& f, const NameCatalogue& names);
ByteVec quic_server_initial(const FlowPlan& f);
// A 1-RTT (short header) packet of `length` bytes; `salt` varies its protected bytes.
ByteVec quic_short_packet(const FlowPlan& f, bool from_client, std::uint32_t length,
                          std::uint64_t salt);
inline constexpr std::uint32_t kQuicInitialSize = 1200;  // RFC 9000 14.1 minimum datagram

// DNS.
ByteVec dns_query_for(const FlowPlan& f, const NameCatalogue& names);
ByteVec dns_answer_for(const FlowPlan& f, const NameCatalogue& names);

// Pseudo-random filler (ciphertext, compressed bodies).
void append_random(ByteVec& out, std::size_t n, std::uint64_t seed);

}  // namespace wiretop::bench
