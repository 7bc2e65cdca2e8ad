#include "gen/payloads.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "support/packet_builder.h"

namespace wiretop::bench {
namespace {

using testing::ClientHelloSpec;

// RFC 8446 5.2: at most 2^14 bytes of plaintext, plus content type and a 16-byte tag.
constexpr std::uint32_t kFullRecord = 5 + 16384 + 1 + 16;
constexpr std::uint32_t kMinRecord = 5 + 1 + 16;

// Salts that keep the different random draws of one flow apart.
enum Salt : std::uint64_t {
  kSaltFlight = 1,
  kSaltRequest,
  kSaltResponse,
  kSaltConnectionIds,
  kSaltHello,
  kSaltDns,
  kSaltShort,
};

constexpr std::uint64_t byteswap64(std::uint64_t v) {
  std::uint64_t r = 0;
  for (int k = 0; k < 8; ++k) r = (r << 8) | ((v >> (8 * k)) & 0xff);
  return r;
}

ByteVec to_bytes(std::string_view s) { return ByteVec(s.begin(), s.end()); }

struct ConnectionIds {
  std::array<std::uint8_t, 8> client_dcid{}, server_cid{}, client_scid{};
  std::size_t client_scid_len = 0;  // Chrome sends none, Firefox and others 8 bytes
};

ConnectionIds connection_ids(const FlowPlan& f) {
  Rng rng(mix_seed(f.seed, kSaltConnectionIds));
  ConnectionIds ids;
  for (auto& b : ids.client_dcid) b = static_cast<std::uint8_t>(rng.next());
  for (auto& b : ids.server_cid) b = static_cast<std::uint8_t>(rng.next());
  for (auto& b : ids.client_scid) b = static_cast<std::uint8_t>(rng.next());
  ids.client_scid_len = rng.chance(0.6) ? 0 : 8;
  return ids;
}

// RFC 9000 18: a transport parameter is id, length, value (all varints but the value).
void append_param(ByteVec& out, std::uint64_t id, std::uint64_t value) {
  ByteVec v;
  append_varint(v, value);
  append_varint(out, id);
  append_varint(out, v.size());
  out.insert(out.end(), v.begin(), v.end());
}

ByteVec quic_transport_parameters(std::span<const std::uint8_t> scid) {
  ByteVec tp;
  append_param(tp, 0x01, 30000);     // max_idle_timeout (ms)
  append_param(tp, 0x03, 1472);      // max_udp_payload_size
  append_param(tp, 0x04, 15728640);  // initial_max_data
  append_param(tp, 0x05, 6291456);   // initial_max_stream_data_bidi_local
  append_param(tp, 0x06, 6291456);   // initial_max_stream_data_bidi_remote
  append_param(tp, 0x07, 6291456);   // initial_max_stream_data_uni
  append_param(tp, 0x08, 100);       // initial_max_streams_bidi
  append_param(tp, 0x09, 103);       // initial_max_streams_uni
  append_varint(tp, 0x0f);           // initial_source_connection_id
  append_varint(tp, scid.size());
  tp.insert(tp.end(), scid.begin(), scid.end());
  return tp;
}

// Where the TLS record holding stream byte `p` starts and how long it is. Records are
// full-size, except the last; a last record too short to be valid borrows from the one before.
struct Record {
  std::uint32_t start, length;
};
Record record_at(std::uint32_t total, std::uint32_t p) {
  const std::uint32_t full_count = total / kFullRecord;
  const std::uint32_t rest = total % kFullRecord;
  std::uint32_t regular = full_count;  // records of exactly kFullRecord from the start
  if (rest != 0 && rest < kMinRecord && full_count > 0) --regular;
  if (p < regular * kFullRecord) return {p / kFullRecord * kFullRecord, kFullRecord};
  const std::uint32_t tail_start = regular * kFullRecord;
  const std::uint32_t tail = total - tail_start;  // one or two records remain
  if (tail <= kFullRecord) return {tail_start, tail};
  const std::uint32_t second = kMinRecord;
  const std::uint32_t first = tail - second;
  return p < tail_start + first ? Record{tail_start, first} : Record{tail_start + first, second};
}

void append_tls_response_slice(const FlowPlan& f, std::uint32_t round, std::uint32_t total,
                               std::uint32_t offset, std::uint32_t length, ByteVec& out) {
  std::uint32_t p = offset;
  const std::uint32_t end = offset + length;
  while (p < end) {
    const Record r = record_at(total, p);
    const std::uint32_t body_len = r.length - 5;
    const std::array<std::uint8_t, 5> header{23, 3, 3, static_cast<std::uint8_t>(body_len >> 8),
                                             static_cast<std::uint8_t>(body_len)};
    while (p < end && p < r.start + 5) out.push_back(header[p++ - r.start]);
    const std::uint32_t chunk = std::min(end, r.start + r.length) - p;
    append_random(out, chunk, mix_seed(mix_seed(f.seed, kSaltResponse, round), p));
    p += chunk;
  }
}

std::string_view response_type(const FlowPlan& f, std::uint32_t round) {
  Rng rng(mix_seed(f.seed, kSaltResponse, round));
  return pick_content_type(rng);
}

// What a text body repeats; binary bodies are random, like compressed media.
std::string_view text_body(std::string_view type) {
  if (type.starts_with("text/html")) {
    return "<div class=\"card\"><a href=\"/item/4711\">Lorem ipsum dolor sit amet</a>"
           "<p>consectetur adipiscing elit, sed do eiusmod tempor.</p></div>\n";
  }
  if (type.starts_with("text/css")) return ".card{margin:0 auto;padding:8px;color:#333}\n";
  if (type.starts_with("application/javascript")) {
    return "function f(a,b){return a.map(function(x){return x+b})}\n";
  }
  return {};
}

std::string http_response_header(const FlowPlan& f, std::uint32_t round, std::uint32_t total) {
  Rng rng(mix_seed(f.seed, kSaltResponse, round + 0x100));
  const std::string_view type = response_type(f, round);
  const std::string age = std::to_string(rng.between(0, 86400));
  auto header_for = [&](std::uint32_t body) {
    return "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: " + std::string(type) +
           "\r\nContent-Length: " + std::to_string(body) +
           "\r\nConnection: keep-alive\r\nCache-Control: max-age=3600\r\nAge: " + age +
           "\r\nAccept-Ranges: bytes\r\n\r\n";
  };
  // The header's own length depends on the digits of the body length it announces.
  std::string h = header_for(0);
  for (int i = 0; i < 3; ++i) h = header_for(total - static_cast<std::uint32_t>(h.size()));
  return h;
}

void append_http_response_slice(const FlowPlan& f, std::uint32_t round, std::uint32_t total,
                                std::uint32_t offset, std::uint32_t length, ByteVec& out) {
  const std::string header = http_response_header(f, round, total);
  std::uint32_t p = offset;
  const std::uint32_t end = offset + length;
  while (p < end && p < header.size()) out.push_back(static_cast<std::uint8_t>(header[p++]));
  if (p >= end) return;
  const std::string_view text = text_body(response_type(f, round));
  if (text.empty()) {
    append_random(out, end - p, mix_seed(mix_seed(f.seed, kSaltResponse, round), p));
    return;
  }
  for (std::size_t i = (p - header.size()) % text.size(); p < end; ++p) {
    out.push_back(static_cast<std::uint8_t>(text[i]));
    if (++i == text.size()) i = 0;
  }
}

}  // namespace

void append_random(ByteVec& out, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  const std::size_t start = out.size();
  out.resize(start + n);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v = rng.next();
    // Little-endian byte order on every host, so the file does not depend on the machine.
    if constexpr (std::endian::native == std::endian::big) v = byteswap64(v);
    std::memcpy(out.data() + start + i, &v, 8);
  }
  const std::uint64_t v = rng.next();
  for (int k = 0; i < n; ++i, ++k) out[start + i] = static_cast<std::uint8_t>(v >> (8 * k));
}

ByteVec tls_client_hello_for(const FlowPlan& f, const NameCatalogue& names) {
  ClientHelloSpec spec;
  spec.sni = names.name(f.name);
  spec.random_seed = mix_seed(f.seed, kSaltHello);
  spec.browser_extensions = true;
  return testing::tls_client_hello(spec);
}

ByteVec tls_server_flight(const FlowPlan& f) {
  Rng rng(mix_seed(f.seed, kSaltFlight));
  ByteVec out = testing::tls_record(22, testing::tls_server_hello_message(
                                            0x1301, mix_seed(f.seed, kSaltHello, 1)));
  const ByteVec ccs = testing::tls_record(20, {1});
  out.insert(out.end(), ccs.begin(), ccs.end());
  // A certificate chain of two to three certificates.
  ByteVec encrypted;
  append_random(encrypted, static_cast<std::size_t>(rng.between(2400, 4800)), rng.next());
  const ByteVec rec = testing::tls_record(23, encrypted);
  out.insert(out.end(), rec.begin(), rec.end());
  return out;
}

ByteVec tls_client_request(const FlowPlan& f, std::uint32_t round) {
  Rng rng(mix_seed(f.seed, kSaltRequest, round));
  ByteVec out;
  if (round == 1) {
    out = testing::tls_record(20, {1});
    ByteVec finished;
    append_random(finished, 32 + 1 + 16, rng.next());  // verify_data, type, tag
    const ByteVec rec = testing::tls_record(23, finished);
    out.insert(out.end(), rec.begin(), rec.end());
  }
  ByteVec request;
  append_random(request, static_cast<std::size_t>(rng.between(90, 800)), rng.next());
  const ByteVec rec = testing::tls_record(23, request);
  out.insert(out.end(), rec.begin(), rec.end());
  return out;
}

ByteVec http_request(const FlowPlan& f, const NameCatalogue& names, std::uint32_t round) {
  Rng rng(mix_seed(f.seed, kSaltRequest, round));
  std::string req = "GET " + pick_path(rng) + " HTTP/1.1\r\nHost: " + names.name(f.name) +
                    "\r\nUser-Agent: " + std::string(pick_user_agent(rng)) +
                    "\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\n"
                    "Connection: keep-alive\r\n\r\n";
  return to_bytes(req);
}

void append_response_slice(const FlowPlan& f, std::uint32_t round, std::uint32_t total,
                           std::uint32_t offset, std::uint32_t length, ByteVec& out) {
  if (f.kind == FlowKind::Http) {
    append_http_response_slice(f, round, total, offset, length, out);
  } else {
    append_tls_response_slice(f, round, total, offset, length, out);
  }
}

ByteVec quic_client_initial(const FlowPlan& f, const NameCatalogue& names) {
  const ConnectionIds ids = connection_ids(f);
  const std::span<const std::uint8_t> scid(ids.client_scid.data(), ids.client_scid_len);
  ClientHelloSpec spec;
  spec.sni = names.name(f.name);
  spec.alpn = {"h3"};
  spec.random_seed = mix_seed(f.seed, kSaltHello);
  spec.quic_transport_parameters = quic_transport_parameters(scid);
  ByteVec frames;
  append_crypto_frame(frames, 0, testing::tls_client_hello_message(spec));
  const QuicInitialKeys keys = quic_initial_keys(ids.client_dcid);
  return quic_initial_packet(keys.client, {ids.client_dcid, scid, 0}, frames, kQuicInitialSize);
}

ByteVec quic_server_initial(const FlowPlan& f) {
  const ConnectionIds ids = connection_ids(f);
  const std::span<const std::uint8_t> client_scid(ids.client_scid.data(), ids.client_scid_len);
  ByteVec frames;
  append_ack_frame(frames, 0, 0);
  append_crypto_frame(frames, 0,
                      testing::tls_server_hello_message(0x1301, mix_seed(f.seed, kSaltHello, 1),
                                                        /*quic=*/true));
  const QuicInitialKeys keys = quic_initial_keys(ids.client_dcid);
  return quic_initial_packet(keys.server, {client_scid, ids.server_cid, 0}, frames,
                             kQuicInitialSize);
}

ByteVec quic_short_packet(const FlowPlan& f, bool from_client, std::uint32_t length,
                          std::uint64_t salt) {
  const ConnectionIds ids = connection_ids(f);
  Rng rng(mix_seed(f.seed, kSaltShort, salt));
  ByteVec out;
  out.reserve(length);
  // RFC 9000 17.3.1: header form 0, fixed bit 1; the rest is spin bit and protected bits.
  out.push_back(static_cast<std::uint8_t>(0x40 | (rng.next() & 0x3f)));
  if (from_client) {
    out.insert(out.end(), ids.server_cid.begin(), ids.server_cid.end());
  } else {
    out.insert(out.end(), ids.client_scid.begin(), ids.client_scid.begin() + ids.client_scid_len);
  }
  if (out.size() < length) append_random(out, length - out.size(), rng.next());
  return out;
}

ByteVec dns_query_for(const FlowPlan& f, const NameCatalogue& names) {
  const auto id = static_cast<std::uint16_t>(mix_seed(f.seed, kSaltDns));
  return testing::dns_message(id, names.name(f.name), false);
}

ByteVec dns_answer_for(const FlowPlan& f, const NameCatalogue& names) {
  const auto id = static_cast<std::uint16_t>(mix_seed(f.seed, kSaltDns));
  return testing::dns_message(id, names.name(f.name), true, server_ipv4(names.name(f.name)));
}

}  // namespace wiretop::bench
