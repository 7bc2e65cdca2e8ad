#pragma once
// Names learned from DNS answers on the wire: address → the names that
// resolved to it, in packet-time order. Shared by every shard (one mutex):
// a DNS answer and the connection it names may be tracked by different
// workers, so connections look names up when their record is emitted.

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "dpi/dissector.h"

namespace wiretop::dpi {

class NameTable final : public NameSink {
 public:
  explicit NameTable(std::size_t max_addresses = 262'144) : max_addresses_(max_addresses) {}

  void learned_name(core::Timestamp ts, const core::IpAddress& address,
                    std::string_view name) override;
  // The newest name learned for `address` at or before `at`; empty when none.
  std::string lookup(const core::IpAddress& address, core::Timestamp at) const;
  std::size_t size() const;

 private:
  struct Learned {
    core::Timestamp ts;
    std::string name;
  };
  static constexpr std::size_t kNamesPerAddress = 4;

  struct AddressHash {
    std::size_t operator()(const core::IpAddress& a) const;
  };
  mutable std::mutex mutex_;
  std::size_t max_addresses_;
  std::unordered_map<core::IpAddress, std::vector<Learned>, AddressHash> names_;
  std::deque<core::IpAddress> insertion_order_;  // evicts the oldest address at the cap
};

}  // namespace wiretop::dpi
