#pragma once
// libpcap packet sources: a live interface or a capture file. This is the
// only module that includes <pcap.h>.

#include <cstdint>
#include <memory>
#include <string>

#include "core/byte_reader.h"
#include "core/result.h"
#include "core/timestamp.h"

struct pcap;

namespace wiretop::capture {

struct LiveOptions {
  std::string interface;
  std::string bpf_filter;
  int snaplen = 262144;
  int buffer_bytes = 64 << 20;  // kernel ring: absorbs bursts while a batch is processed
  int timeout_ms = 100;         // wake at least this often so idle flows still expire
};

struct CaptureStats {
  std::uint64_t received = 0;   // pcap_stats ps_recv
  std::uint64_t dropped = 0;    // ps_drop: the kernel ring was full
  std::uint64_t if_dropped = 0; // ps_ifdrop
};

struct Packet {
  core::Timestamp ts;
  std::uint32_t caplen = 0;
  std::uint32_t len = 0;  // original length on the wire
  const std::uint8_t* data = nullptr;
  core::Bytes bytes() const { return core::Bytes(data, caplen); }
};

enum class NextStatus { Packet, Timeout, End, Error };

class PacketSource {
 public:
  ~PacketSource();
  PacketSource(const PacketSource&) = delete;
  PacketSource& operator=(const PacketSource&) = delete;

  // Opens a live capture. Errors are one line that says what to do.
  static core::Result<std::unique_ptr<PacketSource>, std::string> open_live(const LiveOptions& o);
  static core::Result<std::unique_ptr<PacketSource>, std::string> open_file(
      const std::string& path, const std::string& bpf_filter);

  // Next packet; the data stays valid until the next call.
  NextStatus next(Packet& out);
  // Makes a blocked next() return (from a signal handler or another thread).
  void break_loop();

  int datalink() const;
  bool is_live() const { return live_; }
  CaptureStats stats() const;
  // Why next() returned Error, or a note that a file ended mid-record.
  const std::string& last_error() const { return error_; }

 private:
  PacketSource(pcap* handle, bool live) : handle_(handle), live_(live) {}
  pcap* handle_;
  bool live_;
  static constexpr std::size_t kFileBufferBytes = 4u << 20;
  std::unique_ptr<char[]> file_buffer_;  // offline: stdio buffer of the capture file
  int poll_fd_ = -1;  // live: wait here for packets (see open_live)
  int timeout_ms_ = 100;
  std::string error_;
};

}  // namespace wiretop::capture
