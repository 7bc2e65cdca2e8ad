#include "gen/quic.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace wiretop::bench {
namespace {

// RFC 9001 5.2: the salt for QUIC version 1.
constexpr std::array<std::uint8_t, 20> kInitialSalt{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34,
                                                    0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8,
                                                    0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
constexpr std::uint32_t kQuicVersion1 = 0x00000001;
constexpr std::size_t kTagLength = 16;
constexpr std::size_t kSampleOffsetFromPn = 4;  // RFC 9001 5.4.2: pn assumed 4 bytes long
constexpr std::size_t kPacketNumberLength = 2;

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, KdfCtxFree>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

KdfCtx new_hkdf() {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (!kdf) throw std::runtime_error("OpenSSL: no HKDF");
  KdfCtx ctx(EVP_KDF_CTX_new(kdf));
  EVP_KDF_free(kdf);
  if (!ctx) throw std::runtime_error("OpenSSL: EVP_KDF_CTX_new failed");
  return ctx;
}

void hkdf(int mode, std::span<const std::uint8_t> key, std::span<const std::uint8_t> salt_or_info,
          std::span<std::uint8_t> out) {
  KdfCtx ctx = new_hkdf();
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(key.data()), key.size());
  params[n++] = OSSL_PARAM_construct_octet_string(
      mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO,
      const_cast<std::uint8_t*>(salt_or_info.data()), salt_or_info.size());
  params[n] = OSSL_PARAM_construct_end();
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    throw std::runtime_error("OpenSSL: HKDF derive failed");
  }
}

// RFC 8446 7.1 HKDF-Expand-Label with an empty context, as RFC 9001 5.1 uses it.
void expand_label(std::span<const std::uint8_t> secret, std::string_view label,
                  std::span<std::uint8_t> out) {
  ByteVec info;
  info.push_back(static_cast<std::uint8_t>(out.size() >> 8));
  info.push_back(static_cast<std::uint8_t>(out.size()));
  constexpr std::string_view kPrefix = "tls13 ";
  info.push_back(static_cast<std::uint8_t>(kPrefix.size() + label.size()));
  info.insert(info.end(), kPrefix.begin(), kPrefix.end());
  info.insert(info.end(), label.begin(), label.end());
  info.push_back(0);
  hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, info, out);
}

QuicKeys keys_from_secret(std::span<const std::uint8_t> secret) {
  QuicKeys k;
  expand_label(secret, "quic key", k.key);
  expand_label(secret, "quic iv", k.iv);
  expand_label(secret, "quic hp", k.hp);
  return k;
}

void seal_aes_gcm(const QuicKeys& keys, std::uint32_t pn, std::span<const std::uint8_t> aad,
                  std::span<std::uint8_t> plaintext_in_out, std::span<std::uint8_t> tag) {
  // RFC 9001 5.3: nonce = IV xor packet number (left-padded to the IV length).
  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (int i = 0; i < 4; ++i) nonce[11 - i] ^= static_cast<std::uint8_t>(pn >> (8 * i));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const int ptlen = static_cast<int>(plaintext_in_out.size());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, keys.key.data(),
                                 nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), plaintext_in_out.data(), &len, plaintext_in_out.data(),
                        ptlen) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), plaintext_in_out.data() + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()),
                          tag.data()) != 1) {
    throw std::runtime_error("OpenSSL: AES-128-GCM failed");
  }
}

std::array<std::uint8_t, 16> header_mask(const QuicKeys& keys, std::span<const std::uint8_t> sample) {
  std::array<std::uint8_t, 16> mask{};
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, keys.hp.data(), nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), mask.data(), &len, sample.data(), 16) != 1) {
    throw std::runtime_error("OpenSSL: AES-128-ECB failed");
  }
  return mask;
}

}  // namespace

void append_varint(ByteVec& out, std::uint64_t value) {
  if (value < 0x40) {
    out.push_back(static_cast<std::uint8_t>(value));
  } else if (value < 0x4000) {
    out.push_back(static_cast<std::uint8_t>(0x40 | (value >> 8)));
    out.push_back(static_cast<std::uint8_t>(value));
  } else if (value < 0x40000000) {
    for (int i = 3; i >= 0; --i) {
      const auto b = static_cast<std::uint8_t>(value >> (8 * i));
      out.push_back(i == 3 ? static_cast<std::uint8_t>(0x80 | b) : b);
    }
  } else {
    for (int i = 7; i >= 0; --i) {
      const auto b = static_cast<std::uint8_t>(value >> (8 * i));
      out.push_back(i == 7 ? static_cast<std::uint8_t>(0xc0 | b) : b);
    }
  }
}

void append_crypto_frame(ByteVec& out, std::uint64_t offset, std::span<const std::uint8_t> data) {
  out.push_back(0x06);
  append_varint(out, offset);
  append_varint(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
}

void append_ack_frame(ByteVec& out, std::uint64_t largest, std::uint64_t ack_delay) {
  out.push_back(0x02);
  append_varint(out, largest);
  append_varint(out, ack_delay);
  append_varint(out, 0);  // no further ranges
  append_varint(out, 0);  // first range: just `largest`
}

QuicInitialKeys quic_initial_keys(std::span<const std::uint8_t> client_dcid) {
  std::array<std::uint8_t, 32> initial_secret{}, client_secret{}, server_secret{};
  hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, client_dcid, kInitialSalt, initial_secret);
  expand_label(initial_secret, "client in", client_secret);
  expand_label(initial_secret, "server in", server_secret);
  return QuicInitialKeys{keys_from_secret(client_secret), keys_from_secret(server_secret)};
}

bool quic_keys_match_rfc9001_vector() {
  constexpr std::array<std::uint8_t, 8> kDcid{0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
  constexpr std::array<std::uint8_t, 16> kClientKey{0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76,
                                                    0xd5, 0x46, 0x77, 0x30, 0xef, 0xcb,
                                                    0xe3, 0xb1, 0xa2, 0x2d};
  constexpr std::array<std::uint8_t, 12> kClientIv{0xfa, 0x04, 0x4b, 0x2f, 0x42, 0xa3,
                                                   0xfd, 0x3b, 0x46, 0xfb, 0x25, 0x5c};
  constexpr std::array<std::uint8_t, 16> kClientHp{0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0,
                                                   0xe8, 0x10, 0x28, 0x3a, 0x1e, 0x99,
                                                   0x33, 0xad, 0xed, 0xd2};
  constexpr std::array<std::uint8_t, 16> kServerKey{0xcf, 0x3a, 0x53, 0x31, 0x65, 0x3c,
                                                    0x36, 0x4c, 0x88, 0xf0, 0xf3, 0x79,
                                                    0xb6, 0x06, 0x7e, 0x37};
  const QuicInitialKeys k = quic_initial_keys(kDcid);
  return k.client.key == kClientKey && k.client.iv == kClientIv && k.client.hp == kClientHp &&
         k.server.key == kServerKey;
}

ByteVec quic_initial_packet(const QuicKeys& keys, const QuicLongHeader& header,
                            std::span<const std::uint8_t> frames, std::size_t packet_size) {
  ByteVec pkt;
  pkt.reserve(packet_size);
  // RFC 9000 17.2.2: form 1, fixed bit 1, type Initial (0), packet number length - 1.
  pkt.push_back(static_cast<std::uint8_t>(0xc0 | (kPacketNumberLength - 1)));
  for (int i = 3; i >= 0; --i) pkt.push_back(static_cast<std::uint8_t>(kQuicVersion1 >> (8 * i)));
  pkt.push_back(static_cast<std::uint8_t>(header.dcid.size()));
  pkt.insert(pkt.end(), header.dcid.begin(), header.dcid.end());
  pkt.push_back(static_cast<std::uint8_t>(header.scid.size()));
  pkt.insert(pkt.end(), header.scid.begin(), header.scid.end());
  append_varint(pkt, 0);  // token length

  // The Length field is always written as a 2-byte varint so the size is known up front.
  const std::size_t length_at = pkt.size();
  const std::size_t pn_offset = length_at + 2;
  const std::size_t payload_at = pn_offset + kPacketNumberLength;
  if (payload_at + frames.size() + kTagLength > packet_size) {
    throw std::runtime_error("QUIC Initial: frames do not fit the packet");
  }
  const std::size_t plaintext_len = packet_size - payload_at - kTagLength;
  const std::size_t length = kPacketNumberLength + plaintext_len + kTagLength;
  pkt.push_back(static_cast<std::uint8_t>(0x40 | (length >> 8)));
  pkt.push_back(static_cast<std::uint8_t>(length));
  pkt.push_back(static_cast<std::uint8_t>(header.packet_number >> 8));
  pkt.push_back(static_cast<std::uint8_t>(header.packet_number));
  pkt.insert(pkt.end(), frames.begin(), frames.end());
  pkt.resize(packet_size, 0x00);  // PADDING frames (RFC 9000 19.1) and room for the tag

  std::span<std::uint8_t> all(pkt);
  seal_aes_gcm(keys, header.packet_number, all.first(payload_at),
               all.subspan(payload_at, plaintext_len), all.subspan(payload_at + plaintext_len));

  // RFC 9001 5.4.1: mask the low 4 bits of the first byte and the packet number.
  const auto mask = header_mask(keys, all.subspan(pn_offset + kSampleOffsetFromPn, 16));
  pkt[0] ^= mask[0] & 0x0f;
  for (std::size_t i = 0; i < kPacketNumberLength; ++i) pkt[pn_offset + i] ^= mask[1 + i];
  return pkt;
}

}  // namespace wiretop::bench
