#include "flow/connection.h"

namespace wiretop::flow {

std::string_view state_name(State s) {
  switch (s) {
    case State::New: return "NEW";
    case State::Active: return "ACTIVE";
    case State::SynSent: return "SYN_SENT";
    case State::SynReceived: return "SYN_RECEIVED";
    case State::Established: return "ESTABLISHED";
    case State::FinWait: return "FIN_WAIT";
    case State::CloseWait: return "CLOSE_WAIT";
    case State::Closing: return "CLOSING";
    case State::TimeWait: return "TIME_WAIT";
    case State::Closed: return "CLOSED";
    case State::Reset: return "RESET";
  }
  return "UNKNOWN";
}

std::string_view end_reason_name(EndReason r) {
  switch (r) {
    case EndReason::None: return "none";
    case EndReason::Closed: return "closed";
    case EndReason::Reset: return "reset";
    case EndReason::Timeout: return "timeout";
    case EndReason::Evicted: return "evicted";
    case EndReason::EndOfInput: return "end_of_input";
    case EndReason::Shutdown: return "shutdown";
  }
  return "none";
}

}  // namespace wiretop::flow
