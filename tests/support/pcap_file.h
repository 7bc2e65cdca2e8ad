#pragma once
// Writes classic pcap files (microsecond timestamps) for tests and benchmarks.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace wiretop::testing {

inline constexpr std::uint32_t kLinkEthernet = 1;
inline constexpr std::uint32_t kLinkNull = 0;
inline constexpr std::uint32_t kLinkRaw = 101;
inline constexpr std::uint32_t kLinkSll = 113;
inline constexpr std::uint32_t kLinkSll2 = 276;

class PcapWriter {
 public:
  PcapWriter(const std::string& path, std::uint32_t linktype, std::uint32_t snaplen = 262144);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  bool ok() const { return file_ != nullptr; }
  // ts in microseconds since the epoch; orig_len 0 means frame.size().
  void write(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame, std::uint32_t orig_len = 0);
  // Writes only the first `caplen` bytes of the frame, recording the full length.
  void write_truncated(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame,
                       std::uint32_t caplen);
  void close();

 private:
  void write_record(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame,
                    std::uint32_t caplen, std::uint32_t orig_len);
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
};

}  // namespace wiretop::testing
