// The AEAD half of the crypto door: what QUIC Initial packets need (RFC 9001
// section 5): HKDF-SHA256 for the keys, AES-128-ECB for the header protection
// mask and AES-128-GCM to open the payload. All through OpenSSL's EVP API,
// each context owned by a unique_ptr so every early return frees it.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <climits>
#include <memory>

#include "dpi/crypto.h"

namespace wiretop::dpi::crypto {
namespace {

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

constexpr std::size_t kSha256Length = 32;
constexpr std::size_t kAes128KeyLength = 16;
constexpr std::size_t kAesBlockLength = 16;
constexpr std::size_t kGcmNonceLength = 12;
constexpr std::size_t kGcmTagLength = 16;

// OpenSSL takes lengths as int; a span longer than that is not ours to handle.
bool fits_int(std::size_t n) {
  return n <= static_cast<std::size_t>(INT_MAX);
}

// Algorithms are fetched once and kept (immutable, shareable between threads):
// the implicit lookups of EVP_aes_128_gcm() or a per-call EVP_KDF_fetch take
// the provider store's lock each time, which showed as a tenth of QUIC's cost.
EVP_KDF* fetched_hkdf() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
  return kdf;
}
const EVP_CIPHER* fetched_aes128_ecb() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  return cipher;
}
const EVP_CIPHER* fetched_aes128_gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  return cipher;
}

// One HKDF step (RFC 5869 section 2.2 extract, or 2.3 expand) with SHA-256.
// Extract takes (salt, ikm), expand takes (prk, info).
bool hkdf_sha256(int mode, core::Bytes key, core::Bytes salt_or_info, std::uint8_t* out,
                 std::size_t out_len) {
  EVP_KDF* const kdf = fetched_hkdf();
  if (kdf == nullptr) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) return false;
  char digest[] = "SHA256";
  // OSSL_PARAM wants non-const pointers but only reads them; an empty span's
  // data() may be null, which OpenSSL reads as "absent", so point at a byte.
  static constexpr std::uint8_t kNoBytes[1] = {0};
  auto octets = [](const char* name, core::Bytes b) {
    const std::uint8_t* p = b.empty() ? kNoBytes : b.data();
    return OSSL_PARAM_construct_octet_string(name, const_cast<std::uint8_t*>(p), b.size());
  };
  const bool extract = mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      octets(OSSL_KDF_PARAM_KEY, key),
      octets(extract ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO, salt_or_info),
      OSSL_PARAM_construct_end(),
  };
  return EVP_KDF_derive(ctx.get(), out, out_len, params) == 1;
}

}  // namespace

std::array<std::uint8_t, 32> hkdf_extract_sha256(core::Bytes salt, core::Bytes ikm) {
  std::array<std::uint8_t, kSha256Length> prk{};
  if (!hkdf_sha256(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, prk.data(), prk.size())) prk.fill(0);
  return prk;
}

std::vector<std::uint8_t> hkdf_expand_label_sha256(core::Bytes secret, std::string_view label,
                                                   std::size_t out_len) {
  // RFC 8446 section 7.1: HkdfLabel = uint16 length, opaque label<7..255> =
  // "tls13 " + Label, opaque context<0..255> (empty here).
  constexpr std::string_view kPrefix = "tls13 ";
  if (out_len == 0 || out_len > 255 || secret.empty() || kPrefix.size() + label.size() > 255)
    return {};
  std::vector<std::uint8_t> info;
  info.reserve(2 + 1 + kPrefix.size() + label.size() + 1);
  info.push_back(static_cast<std::uint8_t>(out_len >> 8));
  info.push_back(static_cast<std::uint8_t>(out_len));
  info.push_back(static_cast<std::uint8_t>(kPrefix.size() + label.size()));
  info.insert(info.end(), kPrefix.begin(), kPrefix.end());
  info.insert(info.end(), label.begin(), label.end());
  info.push_back(0);
  std::vector<std::uint8_t> out(out_len);
  if (!hkdf_sha256(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, info, out.data(), out.size())) return {};
  return out;
}

bool aes128_ecb_block(core::Bytes key16, core::Bytes in16, std::array<std::uint8_t, 16>& out) {
  if (key16.size() != kAes128KeyLength || in16.size() != kAesBlockLength) return false;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  // One block, so no padding: EncryptUpdate alone yields the 16 bytes.
  return ctx &&
         EVP_EncryptInit_ex(ctx.get(), fetched_aes128_ecb(), nullptr, key16.data(), nullptr) == 1 &&
         EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
         EVP_EncryptUpdate(ctx.get(), out.data(), &len, in16.data(), int{kAesBlockLength}) == 1 &&
         len == int{kAesBlockLength};
}

std::optional<std::vector<std::uint8_t>> aes128_gcm_open(core::Bytes key16, core::Bytes nonce12,
                                                         core::Bytes aad, core::Bytes ciphertext) {
  if (key16.size() != kAes128KeyLength || nonce12.size() != kGcmNonceLength ||
      ciphertext.size() < kGcmTagLength || !fits_int(ciphertext.size()) || !fits_int(aad.size()))
    return std::nullopt;
  const core::Bytes body = ciphertext.first(ciphertext.size() - kGcmTagLength);
  const core::Bytes tag = ciphertext.last(kGcmTagLength);
  std::vector<std::uint8_t> plain(body.size());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), fetched_aes128_gcm(), nullptr, key16.data(), nonce12.data()) != 1)
    return std::nullopt;
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
    return std::nullopt;
  if (!body.empty() && EVP_DecryptUpdate(ctx.get(), plain.data(), &len, body.data(),
                                         static_cast<int>(body.size())) != 1)
    return std::nullopt;
  // The tag is only an input here, but the ctrl takes a non-const pointer.
  std::array<std::uint8_t, kGcmTagLength> tag_copy{};
  std::copy(tag.begin(), tag.end(), tag_copy.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int{kGcmTagLength}, tag_copy.data()) !=
      1)
    return std::nullopt;
  int final_len = 0;
  // DecryptFinal is where GCM compares tags: anything but 1 means forged or corrupt.
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + plain.size(), &final_len) != 1)
    return std::nullopt;
  return plain;
}

std::vector<std::uint8_t> aes128_gcm_seal(core::Bytes key16, core::Bytes nonce12, core::Bytes aad,
                                          core::Bytes plaintext) {
  if (key16.size() != kAes128KeyLength || nonce12.size() != kGcmNonceLength ||
      !fits_int(plaintext.size()) || !fits_int(aad.size()))
    return {};
  std::vector<std::uint8_t> sealed(plaintext.size() + kGcmTagLength);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), fetched_aes128_gcm(), nullptr, key16.data(), nonce12.data()) != 1)
    return {};
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
    return {};
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), sealed.data(), &len, plaintext.data(),
                                              static_cast<int>(plaintext.size())) != 1)
    return {};
  int final_len = 0;
  std::uint8_t* tag = sealed.data() + plaintext.size();
  if (EVP_EncryptFinal_ex(ctx.get(), tag, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int{kGcmTagLength}, tag) != 1)
    return {};
  return sealed;
}

}  // namespace wiretop::dpi::crypto
