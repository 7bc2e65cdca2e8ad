#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/crypto.h"
#include "dpi_test_util.h"

namespace wiretop::dpi::crypto {
namespace {

using testing::from_hex;

core::Bytes bytes(const std::vector<std::uint8_t>& v) {
  return {v.data(), v.size()};
}
template <std::size_t N>
std::vector<std::uint8_t> vec(const std::array<std::uint8_t, N>& a) {
  return {a.begin(), a.end()};
}

// RFC 5869 appendix A.1 (test case 1): HKDF-Extract with SHA-256.
TEST(CryptoAead, HkdfExtract_Rfc5869TestCase1) {
  const auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = from_hex("000102030405060708090a0b0c");
  EXPECT_EQ(vec(hkdf_extract_sha256(bytes(salt), bytes(ikm))),
            from_hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
}

// RFC 5869 appendix A.3 (test case 3): an empty salt means HashLen zero bytes.
TEST(CryptoAead, HkdfExtract_EmptySalt_Rfc5869TestCase3) {
  const auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  EXPECT_EQ(vec(hkdf_extract_sha256({}, bytes(ikm))),
            from_hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
}

TEST(CryptoAead, HkdfExtract_EmptyIkmStillDerives) {
  // A zero-length connection ID is legal on the wire; the extract must not fail silently.
  const auto salt = from_hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
  // HKDF-Extract is HMAC-SHA256(salt, ikm); the expected value is HMAC(salt, "").
  EXPECT_EQ(vec(hkdf_extract_sha256(bytes(salt), {})),
            from_hex("36d11efc77a3ec36a7e6761d918e4660030b43086a59b896475926f010edffc6"));
}

// RFC 9001 appendix A.1: the Initial secrets and keys for DCID 0x8394c8f03e515708.
TEST(CryptoAead, ExpandLabel_Rfc9001AppendixA1Keys) {
  const auto salt = from_hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
  const auto dcid = from_hex("8394c8f03e515708");
  const auto initial = hkdf_extract_sha256(bytes(salt), bytes(dcid));
  EXPECT_EQ(vec(initial),
            from_hex("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44"));

  const core::Bytes initial_bytes(initial.data(), initial.size());
  const auto client = hkdf_expand_label_sha256(initial_bytes, "client in", 32);
  EXPECT_EQ(client, from_hex("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea"));
  EXPECT_EQ(hkdf_expand_label_sha256(bytes(client), "quic key", 16),
            from_hex("1f369613dd76d5467730efcbe3b1a22d"));
  EXPECT_EQ(hkdf_expand_label_sha256(bytes(client), "quic iv", 12),
            from_hex("fa044b2f42a3fd3b46fb255c"));
  EXPECT_EQ(hkdf_expand_label_sha256(bytes(client), "quic hp", 16),
            from_hex("9f50449e04a0e810283a1e9933adedd2"));

  const auto server = hkdf_expand_label_sha256(initial_bytes, "server in", 32);
  EXPECT_EQ(server, from_hex("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b"));
  EXPECT_EQ(hkdf_expand_label_sha256(bytes(server), "quic key", 16),
            from_hex("cf3a5331653c364c88f0f379b6067e37"));
}

TEST(CryptoAead, ExpandLabel_RejectsBadLengthsAndEmptySecret) {
  const std::vector<std::uint8_t> secret(32, 0x11);
  EXPECT_TRUE(hkdf_expand_label_sha256(bytes(secret), "quic key", 0).empty());
  EXPECT_TRUE(hkdf_expand_label_sha256(bytes(secret), "quic key", 256).empty());
  EXPECT_TRUE(hkdf_expand_label_sha256({}, "quic key", 16).empty());
  EXPECT_TRUE(hkdf_expand_label_sha256(bytes(secret), std::string(250, 'x'), 16).empty());
  EXPECT_EQ(hkdf_expand_label_sha256(bytes(secret), "quic key", 255).size(), 255u);
}

// FIPS-197 appendix C.1: AES-128 of one block.
TEST(CryptoAead, AesEcbBlock_Fips197Vector) {
  const auto key = from_hex("000102030405060708090a0b0c0d0e0f");
  const auto in = from_hex("00112233445566778899aabbccddeeff");
  std::array<std::uint8_t, 16> out{};
  ASSERT_TRUE(aes128_ecb_block(bytes(key), bytes(in), out));
  EXPECT_EQ(vec(out), from_hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
}

// RFC 9001 appendix A.2: the header protection mask of the client Initial.
TEST(CryptoAead, AesEcbBlock_Rfc9001HeaderProtectionMask) {
  const auto hp = from_hex("9f50449e04a0e810283a1e9933adedd2");
  const auto sample = from_hex("d1b1c98dd7689fb8ec11d242b123dc9b");
  std::array<std::uint8_t, 16> mask{};
  ASSERT_TRUE(aes128_ecb_block(bytes(hp), bytes(sample), mask));
  EXPECT_EQ(std::vector<std::uint8_t>(mask.begin(), mask.begin() + 5), from_hex("437b9aec36"));
}

TEST(CryptoAead, AesEcbBlock_WrongSizesFail) {
  const auto key = from_hex("000102030405060708090a0b0c0d0e0f");
  std::array<std::uint8_t, 16> out{};
  EXPECT_FALSE(aes128_ecb_block(bytes(key), bytes(from_hex("0011")), out));
  EXPECT_FALSE(aes128_ecb_block(bytes(from_hex("0001")), bytes(key), out));
}

// The GCM specification's test case 4 (McGrew & Viega): key, IV, AAD, 60-byte
// plaintext, ciphertext and tag.
struct GcmCase4 {
  std::vector<std::uint8_t> key = from_hex("feffe9928665731c6d6a8f9467308308");
  std::vector<std::uint8_t> iv = from_hex("cafebabefacedbaddecaf888");
  std::vector<std::uint8_t> aad = from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::vector<std::uint8_t> plain = from_hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  std::vector<std::uint8_t> sealed = from_hex(
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
      "5bc94fbc3221a5db94fae95ae7121a47");
};

TEST(CryptoAead, GcmOpen_SpecTestCase4) {
  const GcmCase4 t;
  const auto plain = aes128_gcm_open(bytes(t.key), bytes(t.iv), bytes(t.aad), bytes(t.sealed));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, t.plain);
}

TEST(CryptoAead, GcmSeal_SpecTestCase4) {
  const GcmCase4 t;
  EXPECT_EQ(aes128_gcm_seal(bytes(t.key), bytes(t.iv), bytes(t.aad), bytes(t.plain)), t.sealed);
}

// GCM test case 2: all-zero key and IV, one zero block, no AAD.
TEST(CryptoAead, GcmOpen_SpecTestCase2WithoutAad) {
  const std::vector<std::uint8_t> key(16, 0), iv(12, 0);
  const auto sealed = from_hex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
  const auto plain = aes128_gcm_open(bytes(key), bytes(iv), {}, bytes(sealed));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, std::vector<std::uint8_t>(16, 0));
}

TEST(CryptoAead, GcmOpen_EmptyPlaintextIsJustATag) {
  const GcmCase4 t;
  const auto sealed = aes128_gcm_seal(bytes(t.key), bytes(t.iv), bytes(t.aad), {});
  ASSERT_EQ(sealed.size(), 16u);
  const auto plain = aes128_gcm_open(bytes(t.key), bytes(t.iv), bytes(t.aad), bytes(sealed));
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain->empty());
}

TEST(CryptoAead, GcmOpen_AnyFlippedBitFailsTheTag) {
  const GcmCase4 t;
  for (std::size_t i = 0; i < t.sealed.size(); ++i) {
    auto bad = t.sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(aes128_gcm_open(bytes(t.key), bytes(t.iv), bytes(t.aad), bytes(bad))) << i;
  }
  auto bad_aad = t.aad;
  bad_aad.back() ^= 0x80;
  EXPECT_FALSE(aes128_gcm_open(bytes(t.key), bytes(t.iv), bytes(bad_aad), bytes(t.sealed)));
  auto bad_iv = t.iv;
  bad_iv[0] ^= 0x01;
  EXPECT_FALSE(aes128_gcm_open(bytes(t.key), bytes(bad_iv), bytes(t.aad), bytes(t.sealed)));
}

TEST(CryptoAead, GcmOpen_ShortInputsAndWrongSizesFail) {
  const GcmCase4 t;
  for (std::size_t n = 0; n < 16; ++n) {
    const std::vector<std::uint8_t> cut(t.sealed.begin(), t.sealed.begin() + n);
    EXPECT_FALSE(aes128_gcm_open(bytes(t.key), bytes(t.iv), bytes(t.aad), bytes(cut))) << n;
  }
  const auto short_key = from_hex("feffe9928665731c");
  EXPECT_FALSE(aes128_gcm_open(bytes(short_key), bytes(t.iv), bytes(t.aad), bytes(t.sealed)));
  const auto long_iv = from_hex("cafebabefacedbaddecaf88800");
  EXPECT_FALSE(aes128_gcm_open(bytes(t.key), bytes(long_iv), bytes(t.aad), bytes(t.sealed)));
  EXPECT_TRUE(aes128_gcm_seal(bytes(short_key), bytes(t.iv), {}, bytes(t.plain)).empty());
}

}  // namespace
}  // namespace wiretop::dpi::crypto
