// Hashes (JA3/JA4/HASSH) and X.509 names through OpenSSL libcrypto. This file
// and crypto_aead.cpp are the only places in dpi/ that include <openssl/*>.
#include "dpi/crypto.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <memory>

namespace wiretop::dpi::crypto {
namespace {

std::string to_hex(const unsigned char* digest, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 0x0f]);
  }
  return hex;
}

// Fetched once and kept: EVP_md5()/EVP_sha256() make OpenSSL look the
// algorithm up in its provider store, under a lock, on every digest — a third
// of a JA4's cost on the replay benchmark. A fetched EVP_MD is immutable and
// safe to share between threads.
const EVP_MD* fetched_md5() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md;
}
const EVP_MD* fetched_sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr) != 1)
    return {};
  return to_hex(digest, size);
}

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
struct OpensslFree {
  void operator()(unsigned char* text) const { OPENSSL_free(text); }
};

// The first commonName of the subject (RFC 5280 4.1.2.6), converted to UTF-8
// whatever its ASN.1 string type (PrintableString, BMPString, ...).
std::string subject_common_name(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) return {};
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return {};
  const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, index);
  const ASN1_STRING* value = entry ? X509_NAME_ENTRY_get_data(entry) : nullptr;
  if (value == nullptr) return {};
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) return {};
  const std::unique_ptr<unsigned char, OpensslFree> owner(utf8);
  return std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
}

// The dNSName entries of subjectAltName (RFC 5280 4.2.1.6), in certificate order.
std::vector<std::string> dns_alt_names(X509* cert) {
  std::vector<std::string> names;
  const std::unique_ptr<GENERAL_NAMES, GeneralNamesFree> alt_names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!alt_names) return names;
  const int count = sk_GENERAL_NAME_num(alt_names.get());
  for (int i = 0; i < count; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(alt_names.get(), i);
    if (name == nullptr || name->type != GEN_DNS || name->d.dNSName == nullptr) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    const int size = ASN1_STRING_length(dns);
    if (size <= 0) continue;
    names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<std::size_t>(size));
  }
  return names;
}

}  // namespace

std::string md5_hex(std::string_view data) {
  return digest_hex(fetched_md5(), data);
}

std::string sha256_hex(std::string_view data) {
  return digest_hex(fetched_sha256(), data);
}

std::optional<CertNames> x509_names(core::Bytes der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) return std::nullopt;
  const unsigned char* cursor = der.data();
  const std::unique_ptr<X509, X509Free> cert(
      d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cert) return std::nullopt;
  CertNames names;
  names.subject_cn = subject_common_name(cert.get());
  names.sans = dns_alt_names(cert.get());
  return names;
}

}  // namespace wiretop::dpi::crypto
