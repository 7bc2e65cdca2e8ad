#pragma once
// Display names for TLS numbers: cipher suites (IANA "TLS Cipher Suites"
// registry) and protocol versions, as they appear in AppInfo.

#include <cstdint>
#include <string>

namespace wiretop::dpi::tls {

// The IANA registry name of `suite` ("TLS_AES_128_GCM_SHA256"), or "0x%04X"
// for suites outside our table.
std::string cipher_suite_name(std::uint16_t suite);

// "SSL 3.0", "TLS 1.0" .. "TLS 1.3" (also for TLS 1.3 drafts and Facebook's
// Fizz variants, marked as such), else "0x%04X".
std::string version_name(std::uint16_t version);

}  // namespace wiretop::dpi::tls
