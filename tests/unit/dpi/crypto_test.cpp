#include "dpi/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi_test_util.h"

namespace wiretop::dpi::crypto {
namespace {

using testing::from_hex;

core::Bytes view(const std::vector<std::uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

// Self-signed P-256 certificate made with `openssl req -x509 -subj
// "/O=Wiretop Test/CN=www.example.com" -addext "subjectAltName=DNS:www.example.com,
// IP:192.0.2.1,DNS:example.com,email:a@example.com"`.
const std::vector<std::uint8_t> kCertWithSans = from_hex(
    "308201f83082019da003020102021423f199221f05d94abae90faaf19e65eba7"
    "6561a1300a06082a8648ce3d040302303131153013060355040a0c0c57697265"
    "746f7020546573743118301606035504030c0f7777772e6578616d706c652e63"
    "6f6d301e170d3236313132353130333432385a170d3336313132323130333432"
    "385a303131153013060355040a0c0c57697265746f7020546573743118301606"
    "035504030c0f7777772e6578616d706c652e636f6d3059301306072a8648ce3d"
    "020106082a8648ce3d03010703420004c032218928d3a6acada4ca7b6e49cfc0"
    "f33b763b80dd77cbe54eb2fbcdb8bc3fcdf2f93bcb54ceab84c0cb3ed17f3f5f"
    "a0fa39c5f1abe6391f3ffda69e89a1a3a3819230818f301d0603551d0e041604"
    "14e124d054b3d70caa57af6ad15c9462924c25a0a7301f0603551d2304183016"
    "8014e124d054b3d70caa57af6ad15c9462924c25a0a7300f0603551d130101ff"
    "040530030101ff303c0603551d1104353033820f7777772e6578616d706c652e"
    "636f6d8704c0000201820b6578616d706c652e636f6d810d61406578616d706c"
    "652e636f6d300a06082a8648ce3d0403020349003046022100c496df45a6c037"
    "6e9f43597330772fed5d968d503e3dbd07ebc0333cf25439bb022100be7fe49f"
    "3d1e805378188c353954ab1fae12594bcd8035c58cdff02b12a29731");

// The same key, subject "/O=No Common Name", no subjectAltName.
const std::vector<std::uint8_t> kCertWithoutNames = from_hex(
    "3082018130820127a0030201020214561b75262599cb5944d40d7415e5daad89"
    "8e2e06300a06082a8648ce3d040302301931173015060355040a0c0e4e6f2043"
    "6f6d6d6f6e204e616d65301e170d3236313132353130333432385a170d333631"
    "3132323130333432385a301931173015060355040a0c0e4e6f20436f6d6d6f6e"
    "204e616d653059301306072a8648ce3d020106082a8648ce3d03010703420004"
    "c032218928d3a6acada4ca7b6e49cfc0f33b763b80dd77cbe54eb2fbcdb8bc3f"
    "cdf2f93bcb54ceab84c0cb3ed17f3f5fa0fa39c5f1abe6391f3ffda69e89a1a3"
    "a34d304b301d0603551d0e04160414e124d054b3d70caa57af6ad15c9462924c"
    "25a0a7301f0603551d23041830168014e124d054b3d70caa57af6ad15c946292"
    "4c25a0a730090603551d1304023000300a06082a8648ce3d0403020348003045"
    "022100cedac3057c538c3547eaaad4f990f2143592376312f4b215867a8f40a0"
    "cb158b02204b08020003f55f556ec64ee8241c2f0dd6136b1c686f1eba09cf15"
    "a1a38a6854");

TEST(CryptoDigest, Md5MatchesRfc1321TestSuite) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(CryptoDigest, Sha256MatchesFips180Examples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CryptoDigest, HashesPastEmbeddedNulBytes) {
  EXPECT_EQ(md5_hex(std::string("a\0b", 3)), "70350f6027bce3713f6b76473084309b");
}

TEST(CryptoX509, ReadsSubjectCommonNameAndDnsAltNamesInOrder) {
  const auto names = x509_names(view(kCertWithSans));
  ASSERT_TRUE(names);
  EXPECT_EQ(names->subject_cn, "www.example.com");
  // The IP address and e-mail entries are not DNS names.
  EXPECT_EQ(names->sans, (std::vector<std::string>{"www.example.com", "example.com"}));
}

TEST(CryptoX509, CertificateWithoutCnOrSansGivesEmptyNames) {
  const auto names = x509_names(view(kCertWithoutNames));
  ASSERT_TRUE(names);
  EXPECT_EQ(names->subject_cn, "");
  EXPECT_TRUE(names->sans.empty());
}

TEST(CryptoX509, EveryTruncationIsRejected) {
  for (std::size_t size = 0; size < kCertWithSans.size(); ++size)
    EXPECT_FALSE(x509_names(core::Bytes(kCertWithSans.data(), size))) << size;
}

TEST(CryptoX509, GarbageIsRejected) {
  const auto garbage = from_hex("3082ffff0102030405060708090a0b0c0d0e0f");
  EXPECT_FALSE(x509_names(view(garbage)));
  EXPECT_FALSE(x509_names(core::Bytes()));
}

}  // namespace
}  // namespace wiretop::dpi::crypto
