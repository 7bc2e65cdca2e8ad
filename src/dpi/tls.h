#pragma once
// TLS handshake parsing shared by the TLS (TCP) and QUIC dissectors.

#include <cstdint>
#include <optional>

#include "core/byte_reader.h"
#include "dpi/app_info.h"

namespace wiretop::dpi::tls {

enum class Carrier : std::uint8_t { Tcp, Quic };  // JA4's first character: 't' or 'q'

// Parses one complete ClientHello handshake message, starting at its 4-byte
// handshake header (type 1, 24-bit length). Fills sni, alpn, ja3 (TCP only),
// ja4 and tls_ech. Returns false (and leaves `out` untouched) when malformed.
bool parse_client_hello(core::Bytes message, Carrier carrier, AppInfo& out);

struct ServerHelloResult {
  std::uint16_t version = 0;   // negotiated: supported_versions, else legacy_version
  bool retry_request = false;  // a HelloRetryRequest (RFC 8446 4.1.3): the real one follows
};
// Parses one complete ServerHello handshake message, starting at its 4-byte
// header. Fills tls_version, cipher, alpn_selected and ja3s (TCP only; a
// HelloRetryRequest fills them too, and the ServerHello after it overwrites
// them). Returns nullopt (and leaves `out` untouched) when malformed.
std::optional<ServerHelloResult> parse_server_hello(core::Bytes message, Carrier carrier,
                                                    AppInfo& out);

}  // namespace wiretop::dpi::tls
