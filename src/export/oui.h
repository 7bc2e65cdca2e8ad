#pragma once
// MAC address → vendor, from the IEEE MA-L (OUI) registry as Debian's ieee-data
// ships it (/usr/share/ieee-data/oui.txt). Loaded once before the sandbox.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wiretop::exporting {

class OuiRegistry {
 public:
  static constexpr std::string_view kDefaultPath = "/usr/share/ieee-data/oui.txt";
  // The registry holds about 40,000 assignments; a file claiming far more is not it.
  static constexpr std::size_t kMaxEntries = 200'000;
  static constexpr std::size_t kMaxVendorLength = 96;

  // Reads `path`; a missing or unreadable file gives an empty registry.
  static OuiRegistry load(const std::string& path = std::string(kDefaultPath));
  // Parses the text of oui.txt: the "XX-XX-XX   (hex)\t\tOrganization" lines.
  static OuiRegistry parse(std::string_view text);

  // The organisation the MAC's first three octets are assigned to; empty when
  // unassigned or locally administered (a random or virtual MAC, IEEE 802 §8.2).
  std::string_view vendor(const std::array<std::uint8_t, 6>& mac) const;
  std::size_t size() const { return vendors_.size(); }

 private:
  std::unordered_map<std::uint32_t, std::string> vendors_;
};

}  // namespace wiretop::exporting
