#pragma once
// MAC address → vendor, from the IEEE MA-L (OUI) registry as Debian's ieee-data
// ships it (/usr/share/ieee-data/oui.txt). Loaded once before the sandbox.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wiretop::exporting {

class OuiRegistry {
 public:
  static constexpr std::string_view kDefaultPath = "/usr/share/ieee-data/oui.txt";
  // The registry holds about 40,000 assignments; a file claiming far more is not it.
  static constexpr std::size_t kMaxEntries = 200'000;
  static constexpr std::size_t kMaxVendorLength = 96;
  static constexpr std::size_t kMaxFileBytes = 64u << 20;
  static constexpr std::size_t kReadChunk = 64u << 10;

  // Reads `path`; a missing or unreadable file gives an empty registry.
  static OuiRegistry load(const std::string& path = std::string(kDefaultPath));
  // Parses the text of oui.txt: the "XX-XX-XX   (hex)\t\tOrganization" lines.
  static OuiRegistry parse(std::string_view text);

  // The organisation the MAC's first three octets are assigned to; empty when
  // unassigned or locally administered (a random or virtual MAC, IEEE 802 §8.2).
  std::string_view vendor(const std::array<std::uint8_t, 6>& mac) const;
  std::size_t size() const { return entries_.size(); }

 private:
  void add_lines(std::string_view text);
  void finish();

  // Sorted by oui; every name lives in one string: loading makes two
  // allocations, not one per assignment (start-up cost of every run).
  struct Entry {
    std::uint32_t oui;
    std::uint32_t offset;
    std::uint32_t length;
  };
  std::vector<Entry> entries_;
  std::string names_;
};

}  // namespace wiretop::exporting
