// The AEAD half of the crypto door: what QUIC Initial packets need (RFC 9001
// section 5): HKDF-SHA256 (on HMAC) for the keys, AES-128-ECB for the header protection
// mask and AES-128-GCM to open the payload. All through OpenSSL's EVP API,
// each context owned by a unique_ptr so every early return frees it.
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <memory>

#include "dpi/crypto.h"

namespace wiretop::dpi::crypto {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

constexpr std::size_t kSha256Length = 32;
constexpr int kHkdfExtract = 0;
constexpr int kHkdfExpand = 1;
constexpr std::size_t kAes128KeyLength = 16;
constexpr std::size_t kAesBlockLength = 16;
constexpr std::size_t kGcmNonceLength = 12;
constexpr std::size_t kGcmTagLength = 16;

// OpenSSL takes lengths as int; a span longer than that is not ours to handle.
bool fits_int(std::size_t n) {
  return n <= static_cast<std::size_t>(INT_MAX);
}

// Algorithms are fetched once and kept (immutable, shareable between threads):
// the implicit lookups of EVP_aes_128_gcm() take the provider store's lock on
// each call, which showed as a tenth of QUIC's cost.
const EVP_CIPHER* fetched_aes128_ecb() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  return cipher;
}
const EVP_CIPHER* fetched_aes128_gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  return cipher;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// An HMAC-SHA256 context with its digest already loaded, one per thread (a
// context is not for concurrent use). Duplicating it skips the digest lookup
// that the HKDF KDF or an HMAC init with a digest parameter does every call:
// five HMACs per QUIC connection, a twentieth of a replay with DPI on.
const EVP_MAC_CTX* hmac_sha256_template() {
  thread_local const MacCtx kTemplate = [] {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    MacCtx ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (ctx && EVP_MAC_CTX_set_params(ctx.get(), params) != 1) ctx.reset();
    return ctx;
  }();
  return kTemplate.get();
}

// HMAC-SHA256 (RFC 2104) of the concatenated parts. An empty key is the same
// as 32 zero bytes (keys are zero-padded to the block size).
bool hmac_sha256(core::Bytes key, std::initializer_list<core::Bytes> parts,
                 std::array<std::uint8_t, kSha256Length>& out) {
  static constexpr std::uint8_t kZeroKey[kSha256Length] = {};
  const EVP_MAC_CTX* tmpl = hmac_sha256_template();
  if (tmpl == nullptr) return false;
  const MacCtx ctx(EVP_MAC_CTX_dup(tmpl));
  if (key.empty()) key = core::Bytes(kZeroKey, sizeof kZeroKey);
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), nullptr) != 1) return false;
  for (const core::Bytes part : parts)
    if (!part.empty() && EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) return false;
  std::size_t length = 0;
  return EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) == 1 && length == out.size();
}

// One HKDF step with SHA-256 (RFC 5869): extract takes (salt, ikm) and gives
// 32 bytes, expand takes (prk, info) and gives up to 255 blocks.
bool hkdf_sha256(int mode, core::Bytes key, core::Bytes salt_or_info, std::uint8_t* out,
                 std::size_t out_len) {
  std::array<std::uint8_t, kSha256Length> block{};
  if (mode == kHkdfExtract) {
    if (out_len != kSha256Length || !hmac_sha256(salt_or_info, {key}, block)) return false;
    std::copy(block.begin(), block.end(), out);
    return true;
  }
  if (out_len > 255 * kSha256Length) return false;
  // 2.3: T(i) = HMAC(PRK, T(i-1) | info | i), T(0) empty; OKM = first L bytes.
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out_len; ++i) {
    const std::uint8_t counter[1] = {i};
    const core::Bytes previous = i == 1 ? core::Bytes{} : core::Bytes(block.data(), block.size());
    if (!hmac_sha256(key, {previous, salt_or_info, core::Bytes(counter, 1)}, block)) return false;
    const std::size_t take = std::min(out_len - done, block.size());
    std::copy(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(take), out + done);
    done += take;
  }
  return true;
}

}  // namespace

std::array<std::uint8_t, 32> hkdf_extract_sha256(core::Bytes salt, core::Bytes ikm) {
  std::array<std::uint8_t, kSha256Length> prk{};
  if (!hkdf_sha256(kHkdfExtract, ikm, salt, prk.data(), prk.size())) prk.fill(0);
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
  if (!hkdf_sha256(kHkdfExpand, secret, info, out.data(), out.size())) return {};
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
