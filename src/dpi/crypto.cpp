// STUB: hashes and X.509 (replaced by the real implementation).
#include "dpi/crypto.h"
namespace wiretop::dpi::crypto {
std::string md5_hex(std::string_view) { return {}; }
std::string sha256_hex(std::string_view) { return {}; }
std::optional<CertNames> x509_names(core::Bytes) { return std::nullopt; }
}  // namespace wiretop::dpi::crypto
