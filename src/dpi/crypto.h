#pragma once
// The only door to OpenSSL libcrypto for dpi/: hashes for JA3/JA4/HASSH,
// QUIC Initial keys and packet protection, and X.509 names.
// Nothing here throws; failures return false / empty.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.h"

namespace wiretop::dpi::crypto {

// Lower-case hex digests.
std::string md5_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

// HKDF (RFC 5869) with SHA-256.
std::array<std::uint8_t, 32> hkdf_extract_sha256(core::Bytes salt, core::Bytes ikm);
// HKDF-Expand-Label (RFC 8446 7.1) with SHA-256 and an empty context; label
// without the "tls13 " prefix, which is added. `out_len` ≤ 255.
std::vector<std::uint8_t> hkdf_expand_label_sha256(core::Bytes secret, std::string_view label,
                                                   std::size_t out_len);
// AES-128-ECB of one 16-byte block (QUIC header protection mask).
bool aes128_ecb_block(core::Bytes key16, core::Bytes in16, std::array<std::uint8_t, 16>& out);
// AES-128-GCM open: `ciphertext` ends with the 16-byte tag. Returns the
// plaintext, or nullopt when the tag does not verify.
std::optional<std::vector<std::uint8_t>> aes128_gcm_open(core::Bytes key16, core::Bytes nonce12,
                                                         core::Bytes aad, core::Bytes ciphertext);
// AES-128-GCM seal, the inverse of aes128_gcm_open: ciphertext followed by the
// 16-byte tag (empty on failure). Tests and capture generators build protected
// QUIC packets with it; dissectors only open.
std::vector<std::uint8_t> aes128_gcm_seal(core::Bytes key16, core::Bytes nonce12, core::Bytes aad,
                                          core::Bytes plaintext);

// Subject CN and DNS subjectAltNames of one DER certificate.
struct CertNames {
  std::string subject_cn;
  std::vector<std::string> sans;
};
std::optional<CertNames> x509_names(core::Bytes der);

}  // namespace wiretop::dpi::crypto
