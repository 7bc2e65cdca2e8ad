// STUB: HKDF and AES for QUIC Initial packets (replaced by the real implementation).
#include "dpi/crypto.h"
namespace wiretop::dpi::crypto {
std::array<std::uint8_t, 32> hkdf_extract_sha256(core::Bytes, core::Bytes) { return {}; }
std::vector<std::uint8_t> hkdf_expand_label_sha256(core::Bytes, std::string_view, std::size_t) { return {}; }
bool aes128_ecb_block(core::Bytes, core::Bytes, std::array<std::uint8_t, 16>&) { return false; }
std::optional<std::vector<std::uint8_t>> aes128_gcm_open(core::Bytes, core::Bytes, core::Bytes, core::Bytes) { return std::nullopt; }
}  // namespace wiretop::dpi::crypto
