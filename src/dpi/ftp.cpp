// FTP control connections (RFC 959; EPRT/EPSV RFC 2428; AUTH TLS RFC 4217):
// the USER name, the command verbs, and the data connections the two sides
// announce, which the inspector then labels FTP_DATA without probing:
// PORT and EPRT from the client, the 227 (PASV) and 229 (EPSV) replies from
// the server.
//
// A direction is read as replies when its first line starts with a 3-digit
// code, as commands otherwise, so a flow whose client the tracker guessed
// wrong is still read. The dissector sees every packet: data connections are
// announced at any point of a session, long after a packet budget would end.
// It stops once AUTH TLS is accepted (234): what follows is TLS.
//
// The 220 greeting is shared with SMTP: a greeting that names FTP (vsFTPd,
// ProFTPD, FileZilla, "Microsoft FTP Service") and not SMTP is FTP; one that
// names neither is FTP on port 21, and elsewhere waits for the client's first
// command (USER, AUTH TLS, FEAT, ... against SMTP's EHLO/HELO).
#include <array>
#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::Bytes;
using core::IpAddress;

// RFC 959 5.3 lets lines be long; 1 KiB covers every real command and reply.
constexpr std::size_t kMaxLine = 1024;
constexpr std::uint16_t kFtpPort = 21;
// A control connection carries commands and replies only (files go over data
// connections): a few KiB a session. Past 1 MiB this is no control connection.
constexpr std::uint64_t kMaxControlBytes = 1 << 20;

// Commands that open a client's side of a session (or show one mid-way),
// not shared with SMTP/POP3/IMAP. USER is shared with POP3, whose greeting
// "+OK" tells it apart.
constexpr std::string_view kClientFirstVerbs[] = {
    "USER", "FEAT", "SYST", "OPTS", "PASV", "EPSV", "PORT", "EPRT", "TYPE", "PWD",  "XPWD",
    "CWD",  "LIST", "NLST", "MLSD", "RETR", "STOR", "SIZE", "MDTM", "PBSZ", "PROT", "CLNT"};

struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;
};

std::optional<unsigned> number(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty() || value > max)
    return std::nullopt;
  return value;
}

// "h1,h2,h3,h4,p1,p2" (RFC 959 4.1.2 PORT; the 227 reply's numbers),
// anything after the sixth number ignored.
std::optional<Endpoint> host_port(std::string_view text) {
  std::array<unsigned, 6> parts{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::size_t end = 0;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    const auto value = number(text.substr(0, end), 255);
    if (!value) return std::nullopt;
    parts[i] = *value;
    text.remove_prefix(end);
    if (i + 1 < parts.size()) {
      if (text.empty() || text.front() != ',') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  const std::uint32_t v4 = (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3];
  return Endpoint{IpAddress::v4(v4), static_cast<std::uint16_t>(parts[4] * 256 + parts[5])};
}

// "<d>proto<d>address<d>port<d>" (RFC 2428 2); EPSV's reply leaves proto and
// address empty ("|||6446|"): `address` is then nullopt.
std::optional<std::pair<std::optional<IpAddress>, std::uint16_t>> extended_host_port(
    std::string_view text) {
  if (text.size() < 5) return std::nullopt;
  const char d = text.front();
  std::array<std::string_view, 3> fields;
  text.remove_prefix(1);
  for (std::string_view& field : fields) {
    const auto end = text.find(d);
    if (end == std::string_view::npos) return std::nullopt;
    field = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  const auto port = number(fields[2], 65535);
  if (!port || *port == 0) return std::nullopt;
  std::optional<IpAddress> address;
  if (!fields[1].empty()) {
    address = IpAddress::parse(fields[1]);
    if (!address) return std::nullopt;
  }
  return std::pair{address, static_cast<std::uint16_t>(*port)};
}

bool is_reply(std::string_view line) {
  return line.size() >= 3 && line[0] >= '1' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9' &&
         line[2] >= '0' && line[2] <= '9' && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

// RFC 959 5.3.1: a command is 3 or 4 letters (extensions keep to that).
std::optional<std::string> verb_of(std::string_view line) {
  const std::string_view verb = line.substr(0, line.find(' '));
  if (verb.size() < 3 || verb.size() > 4) return std::nullopt;
  std::string upper;
  for (const char c : verb) {
    const bool lower = c >= 'a' && c <= 'z';
    if (!lower && !(c >= 'A' && c <= 'Z')) return std::nullopt;
    upper.push_back(lower ? static_cast<char>(c - 32) : c);
  }
  return upper;
}

class FtpSession final : public TextSession {
 public:
  FtpSession() : TextSession(kMaxLine, kMaxControlBytes) {}

 private:
  bool is_server_line(std::string_view line) const override { return is_reply(line); }

  void on_client_line(const Context& ctx, std::string_view line) override {
    const auto verb = verb_of(line);
    if (!verb) return;
    AppInfo& out = ctx.out;
    add_distinct(out.ftp_commands, *verb);
    const std::string_view argument =
        line.size() > verb->size() ? trimmed(line.substr(verb->size() + 1)) : "";
    if (*verb == "USER" && out.ftp_user.empty()) {
      out.ftp_user = printable(argument);
    } else if (*verb == "PASS" && out.cleartext_auth.empty()) {
      out.cleartext_auth = "ftp";  // the password itself is not kept
    } else if (*verb == "PORT") {
      if (const auto endpoint = host_port(argument))
        announce(ctx, endpoint->address, endpoint->port);
    } else if (*verb == "EPRT") {
      if (const auto endpoint = extended_host_port(argument); endpoint && endpoint->first)
        announce(ctx, *endpoint->first, endpoint->second);
    }
  }

  void on_server_line(const Context& ctx, std::string_view line) override {
    if (!is_reply(line) || line.size() < 4 || line[3] != ' ') return;  // continuation lines
    const std::string_view code = line.substr(0, 3);
    const std::string_view text = line.substr(4);
    if (code == "227") {
      // RFC 1123 4.1.2.6: the numbers' position in the text varies; they
      // start at the first digit.
      const auto first_digit = text.find_first_of("0123456789");
      if (first_digit == std::string_view::npos) return;
      if (const auto endpoint = host_port(text.substr(first_digit)))
        announce(ctx, endpoint->address, endpoint->port);
    } else if (code == "229") {
      const auto open = text.find('(');
      if (open == std::string_view::npos) return;
      if (const auto endpoint = extended_host_port(text.substr(open + 1)))
        announce(ctx, endpoint->first.value_or(sender(ctx)), endpoint->second);
    } else if (code == "234") {
      finish();  // AUTH TLS/SSL accepted (RFC 4217 4): TLS follows
    }
  }

  static const IpAddress& sender(const Context& ctx) {
    return ctx.dir == Direction::ToServer ? ctx.flow.client_ip : ctx.flow.server_ip;
  }

  // Behind NAT the announced address is often not the one the connection
  // will use (and clients such as curl ignore a PASV address by default), so
  // the announcing side's own address is expected too.
  static void announce(const Context& ctx, const IpAddress& address, std::uint16_t port) {
    if (port == 0) return;
    const IpAddress& own = sender(ctx);
    if (!address.is_unspecified()) ctx.expectations.expect(ctx.ts, address, port, "FTP_DATA");
    if (address != own) ctx.expectations.expect(ctx.ts, own, port, "FTP_DATA");
  }
};

bool on_ftp_port(const FlowInfo& flow) {
  return flow.server_port == kFtpPort || flow.client_port == kFtpPort;
}

// "220" and SP or '-' (a multi-line reply, RFC 959 4.2), then the text.
Match probe_greeting(const FlowInfo& flow, std::string_view line, bool complete) {
  if (line.size() < 4) {
    if (complete) return Match::No;
    return std::string_view("220").substr(0, line.size()) == line ? Match::Maybe : Match::No;
  }
  if (line.substr(0, 3) != "220" || (line[3] != ' ' && line[3] != '-')) return Match::No;
  if (icontains(line, "SMTP")) return Match::No;
  if (icontains(line, "FTP") || icontains(line, "FileZilla") || on_ftp_port(flow))
    return Match::Yes;
  return Match::Maybe;  // the rest of the line, or the client's first command, will tell
}

// The server's 220 greeting, or a client command only FTP uses.
Match probe(const FlowInfo& flow, Direction, Bytes start) {
  bool complete = false;
  const std::string line = first_line(start, kMaxLine, complete);
  if (!line.empty() && line[0] >= '0' && line[0] <= '9')
    return probe_greeting(flow, line, complete);
  const std::string_view verb = std::string_view(line).substr(0, line.find(' '));
  if (!complete && verb.size() == line.size()) {
    // Still reading the first word.
    for (std::string_view known : kClientFirstVerbs)
      if (istarts_with(known, verb)) return Match::Maybe;
    return line.empty() ? Match::Maybe : Match::No;
  }
  if (iequals(verb, "AUTH")) {
    const std::string_view mechanism = trimmed(std::string_view(line).substr(4));
    return iequals(mechanism, "TLS") || iequals(mechanism, "SSL") ? Match::Yes : Match::No;
  }
  for (std::string_view known : kClientFirstVerbs)
    if (iequals(verb, known)) return Match::Yes;
  return Match::No;
}

std::unique_ptr<Session> make_session() {
  return std::make_unique<FtpSession>();
}

}  // namespace

extern const Dissector kFtp{"FTP", kTcp, {21}, true, probe, make_session};

}  // namespace wiretop::dpi
