// Mail access and submission: SMTP (RFC 5321, STARTTLS RFC 3207), IMAP
// (RFC 9051, STARTTLS 6.2.1) and POP3 (RFC 1939, STLS RFC 2595 4). Each is
// recognised by its server greeting, or by a client command only it uses when
// the capture missed the greeting; `starttls` is set once the server accepts
// the switch to TLS, which ends the session (what follows is a TLS
// handshake). Without STARTTLS a session ends when the client starts to
// authenticate or to send mail, after which STARTTLS is no longer possible.
//
// SMTP and FTP both greet with "220": a greeting that names SMTP/ESMTP is
// SMTP; one that names FTP is not; one that names neither is SMTP on its
// ports and elsewhere waits for the client's EHLO/HELO (or FTP's USER).
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"

namespace wiretop::dpi {
namespace {

using core::Bytes;

// RFC 5321 4.5.3.1.4 (1000 bytes a command line), RFC 9051 4 (8 KiB lines
// suggested); longer lines are cut, their starts are enough here.
constexpr std::size_t kMaxLine = 1024;
// The packet budget ends these sessions first; this only bounds the text read.
constexpr std::uint64_t kMaxSessionBytes = 1 << 20;

std::string_view first_word(std::string_view line) {
  return line.substr(0, line.find(' '));
}

// The first line of `start`: Maybe while it is a prefix of one of `prefixes`,
// Yes when it starts with one, else No.
template <std::size_t N>
Match match_prefixes(const std::string& line, const std::string_view (&prefixes)[N]) {
  for (std::string_view prefix : prefixes) {
    if (istarts_with(line, prefix)) return Match::Yes;
  }
  for (std::string_view prefix : prefixes) {
    if (line.size() < prefix.size() && istarts_with(prefix, line)) return Match::Maybe;
  }
  return Match::No;
}

// ---- SMTP

bool is_smtp_reply(std::string_view line) {
  return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9' &&
         line[2] >= '0' && line[2] <= '9' && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

// Submission (587, RFC 6409) and the common alternative 2525 besides 25.
constexpr std::array<std::uint16_t, 4> kSmtpPorts{25, 587, 2525, 0};

bool on_smtp_port(const FlowInfo& flow) {
  for (const std::uint16_t port : kSmtpPorts)
    if (port != 0 && (flow.server_port == port || flow.client_port == port)) return true;
  return false;
}

Match probe_smtp(const FlowInfo& flow, Direction, Bytes start) {
  bool complete = false;
  const std::string line = first_line(start, kMaxLine, complete);
  if (!line.empty() && line[0] >= '0' && line[0] <= '9') {
    if (line.size() < 4) {
      if (complete) return Match::No;
      return std::string_view("220").substr(0, line.size()) == line ? Match::Maybe : Match::No;
    }
    if (line.substr(0, 3) != "220" || (line[3] != ' ' && line[3] != '-')) return Match::No;
    if (icontains(line, "SMTP")) return Match::Yes;
    if (icontains(line, "FTP") || icontains(line, "FileZilla")) return Match::No;
    return on_smtp_port(flow) ? Match::Yes : Match::Maybe;
  }
  static constexpr std::string_view kHellos[] = {"EHLO ", "HELO "};
  return match_prefixes(line, kHellos);
}

class SmtpSession final : public TextSession {
 public:
  SmtpSession() : TextSession(kMaxLine, kMaxSessionBytes) {}

 private:
  bool is_server_line(std::string_view line) const override { return is_smtp_reply(line); }

  // Replies come in command order (RFC 2920 3 for pipelined groups), so the
  // STARTTLS answer is found by its position, not taken from the next reply.
  void on_client_line(const Context&, std::string_view line) override {
    const std::string_view verb = first_word(line);
    if (iequals(verb, "STARTTLS")) starttls_index_ = commands_;
    ++commands_;
    // A mail transaction or authentication started in clear: no STARTTLS now.
    if (iequals(verb, "MAIL") || iequals(verb, "AUTH") || iequals(verb, "QUIT")) finish();
  }

  void on_server_line(const Context& ctx, std::string_view line) override {
    if (!is_smtp_reply(line) || (line.size() > 3 && line[3] == '-')) return;  // continued reply
    if (!greeted_) {
      greeted_ = true;  // the greeting answers no command
      return;
    }
    if (replies_++ != starttls_index_) return;
    if (line.substr(0, 3) == "220") {
      ctx.out.starttls = true;
      finish();
    }
  }

  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  bool greeted_ = false;
  std::uint64_t commands_ = 0, replies_ = 0;
  std::uint64_t starttls_index_ = kNone;
};

// ---- IMAP

// RFC 9051 7.1: untagged status responses; a server greets with OK, PREAUTH or BYE.
constexpr std::string_view kImapGreetings[] = {"* OK", "* PREAUTH", "* BYE"};
// Client commands that may open a session (tag first).
constexpr std::string_view kImapFirstCommands[] = {
    "CAPABILITY", "STARTTLS", "LOGIN", "AUTHENTICATE", "ID", "NOOP", "ENABLE"};

// "tag SP command": the tag is any ASTRING-CHAR but '+' (RFC 9051 9), in
// practice letters, digits and dots.
bool is_imap_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 32) return false;
  for (const char c : tag) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Match probe_imap(const FlowInfo&, Direction, Bytes start) {
  bool complete = false;
  const std::string line = first_line(start, kMaxLine, complete);
  const Match greeting = match_prefixes(line, kImapGreetings);
  if (greeting != Match::No || (!line.empty() && line[0] == '*')) return greeting;
  const std::string_view text(line);
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return complete ? Match::No : Match::Maybe;
  if (!is_imap_tag(text.substr(0, space))) return Match::No;
  const std::string_view command = first_word(text.substr(space + 1));
  const bool last_word_complete = complete || text.find(' ', space + 1) != std::string_view::npos;
  for (std::string_view known : kImapFirstCommands) {
    if (iequals(command, known) && last_word_complete) return Match::Yes;
    if (!last_word_complete && istarts_with(known, command)) return Match::Maybe;
  }
  return Match::No;
}

class ImapSession final : public TextSession {
 public:
  ImapSession() : TextSession(kMaxLine, kMaxSessionBytes) {}

 private:
  bool is_server_line(std::string_view line) const override {
    return line.substr(0, 2) == "* " || line.substr(0, 2) == "+ ";
  }

  void on_client_line(const Context&, std::string_view line) override {
    const std::string_view tag = first_word(line);
    if (!is_imap_tag(tag) || tag.size() == line.size()) return;
    const std::string_view command = first_word(line.substr(tag.size() + 1));
    if (iequals(command, "STARTTLS")) starttls_tag_ = std::string(tag);
    if (iequals(command, "LOGIN") || iequals(command, "AUTHENTICATE") || iequals(command, "LOGOUT"))
      finish();
  }

  // RFC 9051 7.1: "tag OK ..." completes the tagged command.
  void on_server_line(const Context& ctx, std::string_view line) override {
    if (starttls_tag_.empty() || first_word(line) != starttls_tag_) return;
    const std::string_view status =
        first_word(line.substr(std::min(line.size(), starttls_tag_.size() + 1)));
    starttls_tag_.clear();
    if (iequals(status, "OK")) {
      ctx.out.starttls = true;
      finish();
    }
  }

  std::string starttls_tag_;  // the STARTTLS command's tag while its answer is awaited
};

// ---- POP3

// RFC 1939 4: the greeting is "+OK" and text; a bare "+OK" is more likely
// Redis's reply.
Match probe_pop3(const FlowInfo&, Direction, Bytes start) {
  bool complete = false;
  const std::string line = first_line(start, kMaxLine, complete);
  if (line.empty() || line[0] == '+') {
    if (line.size() > 4) return line.substr(0, 4) == "+OK " ? Match::Yes : Match::No;
    if (complete) return Match::No;  // no text
    return std::string_view("+OK ").substr(0, line.size()) == line ? Match::Maybe : Match::No;
  }
  // Client commands no other protocol here opens with (USER is FTP's too).
  static constexpr std::string_view kCommands[] = {"CAPA", "STLS", "APOP "};
  if (!complete && line.size() < 5) return match_prefixes(line, kCommands);
  const std::string_view verb = first_word(line);
  return iequals(verb, "CAPA") || iequals(verb, "STLS") || iequals(verb, "APOP") ? Match::Yes
                                                                                 : Match::No;
}

class Pop3Session final : public TextSession {
 public:
  Pop3Session() : TextSession(kMaxLine, kMaxSessionBytes) {}

 private:
  bool is_server_line(std::string_view line) const override {
    return line.substr(0, 3) == "+OK" || line.substr(0, 4) == "-ERR";
  }

  void on_client_line(const Context&, std::string_view line) override {
    const std::string_view verb = first_word(line);
    if (iequals(verb, "STLS")) stls_asked_ = true;
    if (iequals(verb, "PASS") || iequals(verb, "APOP") || iequals(verb, "AUTH") ||
        iequals(verb, "QUIT"))
      finish();
  }

  void on_server_line(const Context& ctx, std::string_view line) override {
    if (!stls_asked_) return;
    const bool ok = line.substr(0, 3) == "+OK";
    if (!ok && line.substr(0, 4) != "-ERR") return;  // a line of a multi-line answer
    stls_asked_ = false;
    if (ok) {
      ctx.out.starttls = true;
      finish();
    }
  }

  bool stls_asked_ = false;
};

template <typename S>
std::unique_ptr<Session> make() {
  return std::make_unique<S>();
}

}  // namespace

extern const Dissector kSmtp{"SMTP", kTcp, kSmtpPorts, false, probe_smtp, make<SmtpSession>};
extern const Dissector kImap{"IMAP", kTcp, {143}, false, probe_imap, make<ImapSession>};
extern const Dissector kPop3{"POP3", kTcp, {110}, false, probe_pop3, make<Pop3Session>};

}  // namespace wiretop::dpi
