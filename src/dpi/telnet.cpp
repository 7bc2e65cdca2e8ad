// Telnet (RFC 854, option negotiation RFC 855): identified by the option
// negotiation both ends start with (IAC followed by WILL/WONT/DO/DONT and an
// option, or a subnegotiation); for the plaintext_credentials alert (issue 10)
// it notes a login: the server prompts "Password:" and the client then types
// something. The text typed is never kept.
#include <string_view>

#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kIac = 255, kSb = 250, kSe = 240, kWill = 251, kDont = 254;
// A login fits in a few KiB each way; past this no prompt is coming.
constexpr std::uint64_t kMaxBytes = 64 * 1024;
constexpr std::string_view kPasswordPrompt = "password:";

bool is_negotiation(std::uint8_t command) { return command == kSb || (command >= kWill && command <= kDont); }

// The stream starts with IAC WILL/WONT/DO/DONT <option> or IAC SB <option>.
Match probe(const FlowInfo&, Direction, Bytes start) {
  ByteReader r(start);
  const auto iac = r.u8();
  if (!iac) return Match::Maybe;
  if (*iac != kIac) return Match::No;
  const auto command = r.u8();
  if (!command) return Match::Maybe;
  if (!is_negotiation(*command)) return Match::No;
  return r.u8() ? Match::Yes : Match::Maybe;
}

// The bytes of one direction with the telnet commands taken out (they may
// split anywhere between two segments).
class Unescaper {
 public:
  // Calls on_text(byte) for each data byte.
  template <typename OnText>
  void feed(Bytes data, OnText on_text) {
    ByteReader r(data);
    while (const auto byte = r.u8()) {
      const std::uint8_t b = *byte;
      switch (state_) {
        case State::kText:
          if (b == kIac) state_ = State::kAfterIac;
          else on_text(b);
          break;
        case State::kAfterIac:
          if (b == kIac) on_text(b);  // an escaped 255
          state_ = b == kSb ? State::kSub : is_negotiation(b) ? State::kOption : State::kText;
          break;
        case State::kOption:
          state_ = State::kText;
          break;
        case State::kSub:
          if (b == kIac) state_ = State::kSubAfterIac;
          break;
        case State::kSubAfterIac:
          state_ = b == kSe ? State::kText : State::kSub;
          break;
      }
    }
  }

 private:
  enum class State : std::uint8_t { kText, kAfterIac, kOption, kSub, kSubAfterIac };
  State state_ = State::kText;
};

class TelnetSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    bytes_ += data.size();
    if (ctx.dir == Direction::ToClient) {
      sides_[1].feed(data, [&](std::uint8_t b) { on_server_text(b); });
    } else {
      bool typed = false;
      sides_[0].feed(data, [&](std::uint8_t b) { typed = typed || (b >= 0x20 && b < 0x7f); });
      if (typed && prompted_) {
        ctx.out.cleartext_auth = "telnet";  // a password typed in clear (not kept)
        return Progress::Done;
      }
    }
    return bytes_ > kMaxBytes ? Progress::Done : Progress::More;
  }

 private:
  // Matches "password:" (any case) at the end of what the server printed;
  // the client's next keystrokes are the password.
  void on_server_text(std::uint8_t b) {
    const char c = static_cast<char>(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    if (c == ' ') return;  // "Password: " and "password :" alike
    matched_ = c == kPasswordPrompt[matched_] ? matched_ + 1 : (c == kPasswordPrompt[0] ? 1 : 0);
    if (matched_ == kPasswordPrompt.size()) {
      prompted_ = true;
      matched_ = 0;
    }
  }

  Unescaper sides_[2];
  std::size_t matched_ = 0;
  bool prompted_ = false;
  std::uint64_t bytes_ = 0;
};

std::unique_ptr<Session> make_session() { return std::make_unique<TelnetSession>(); }

}  // namespace

extern const Dissector kTelnet{"TELNET", kTcp, {23, 0, 0, 0}, false, probe, make_session};

}  // namespace wiretop::dpi
