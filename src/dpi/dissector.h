#pragma once
// The dissector interface: one `Dissector` per protocol (a cheap `probe` on the
// first bytes of a flow, and a `Session` that parses what follows), listed in
// one table (registry.cpp). The `Inspector` (inspector.h) decides which
// dissector owns a flow and feeds it in-order bytes within a packet budget.
//
// Rules for every dissector: bytes only through core::ByteReader (never index
// past a span), no allocation proportional to input beyond the documented caps
// (AppInfo::kMax*), no exceptions, no I/O, no globals that change.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/byte_reader.h"
#include "core/ip_address.h"
#include "core/timestamp.h"
#include "dpi/app_info.h"

namespace wiretop::dpi {

enum class Transport : std::uint8_t { Tcp = 1, Udp = 2 };
inline constexpr std::uint8_t kTcp = 1, kUdp = 2, kTcpUdp = 3;  // Dissector::transports bits

// Which way the bytes travel. Same numbering as flow::kC2S / flow::kS2C.
enum class Direction : std::uint8_t { ToServer = 0, ToClient = 1 };

// What a dissector knows of the flow besides its bytes.
struct FlowInfo {
  Transport transport = Transport::Tcp;
  core::IpAddress client_ip, server_ip;
  std::uint16_t client_port = 0, server_port = 0;
};

// Effects beyond the flow being parsed. The inspector provides both.
class NameSink {
 public:
  virtual ~NameSink() = default;
  // A DNS/mDNS/LLMNR answer bound `name` to `address` (A/AAAA), seen at `ts`.
  // For CNAME chains pass the name the client asked for.
  virtual void learned_name(core::Timestamp ts, const core::IpAddress& address,
                            std::string_view name) = 0;
};
class Expectations {
 public:
  virtual ~Expectations() = default;
  // A control connection announced a data connection to `address`:`port`
  // (FTP PORT/EPRT/PASV/EPSV): a new flow with that server (or client) endpoint
  // is labelled `proto` (a string literal, e.g. "FTP_DATA") without probing.
  virtual void expect(core::Timestamp ts, const core::IpAddress& address, std::uint16_t port,
                      std::string_view proto) = 0;
};

// Everything one `feed` call may read or write.
struct Context {
  const FlowInfo& flow;
  Direction dir;
  core::Timestamp ts;
  NameSink& names;
  Expectations& expectations;
  AppInfo& out;
};

enum class Match : std::uint8_t {
  No,     // these bytes are not this protocol
  Maybe,  // too few bytes to tell: ask again with more
  Yes,
};
enum class Progress : std::uint8_t {
  More,  // keep feeding (still within the packet budget)
  Done,  // nothing more to learn: the inspector frees the session
};

// Per-flow parsing state of one dissector.
class Session {
 public:
  virtual ~Session() = default;
  // TCP: the next in-order bytes of `ctx.dir`'s stream, retransmitted bytes
  // removed; the first call per direction starts at the stream's first byte
  // (or the first byte captured, when the capture began mid-stream).
  // UDP: one whole datagram payload.
  virtual Progress feed(const Context& ctx, core::Bytes data) = 0;
};

struct Dissector {
  std::string_view proto;            // upper-case name for app.proto
  std::uint8_t transports = 0;       // kTcp / kUdp bits
  std::array<std::uint16_t, 4> ports{};  // well-known ports, only a tie-breaker (0 = unused)
  // Inspect every packet (DNS-like), no budget. Over UDP such a session must
  // keep nothing between datagrams (all it learns goes to the AppInfo): the
  // inspector frees it after each datagram and makes a new one for the next.
  bool every_packet = false;
  // Content check on the start of one direction (TCP: the stream prefix so far,
  // up to Inspector's probe window; UDP: one datagram). Must be cheap.
  Match (*probe)(const FlowInfo& flow, Direction dir, core::Bytes start) = nullptr;
  std::unique_ptr<Session> (*make_session)() = nullptr;
};

// The registry, in probe order (registry.cpp).
std::span<const Dissector* const> dissectors();
// The dissector for an app.proto name, or nullptr.
const Dissector* find_dissector(std::string_view proto);

}  // namespace wiretop::dpi
