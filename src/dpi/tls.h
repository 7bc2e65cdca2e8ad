#pragma once
// TLS handshake parsing shared by the TLS (TCP) and QUIC dissectors.

#include <cstdint>

#include "core/byte_reader.h"
#include "dpi/app_info.h"

namespace wiretop::dpi::tls {

enum class Carrier : std::uint8_t { Tcp, Quic };  // JA4's first character: 't' or 'q'

// Parses one complete ClientHello handshake message, starting at its 4-byte
// handshake header (type 1, 24-bit length). Fills sni, alpn, ja3 (TCP only),
// ja4 and tls_ech. Returns false (and leaves `out` untouched) when malformed.
bool parse_client_hello(core::Bytes message, Carrier carrier, AppInfo& out);

}  // namespace wiretop::dpi::tls
