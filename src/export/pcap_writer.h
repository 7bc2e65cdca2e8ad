#pragma once
// --pcap-export: every captured frame as a classic libpcap file (the format of
// https://www.tcpdump.org/manpages/pcap-savefile.5.html, microsecond stamps).

#include <cstdint>
#include <memory>
#include <string>

#include "core/byte_reader.h"
#include "core/result.h"
#include "core/timestamp.h"
#include "export/output_file.h"

namespace wiretop::exporting {

// The 24-byte file header and one record header + frame, appended to `out`.
void append_pcap_file_header(std::string& out, int linktype, std::uint32_t snaplen);
void append_pcap_record(std::string& out, core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame);

class PcapWriter {
 public:
  // Creates `path` (0600) and writes the file header.
  static core::Result<std::unique_ptr<PcapWriter>, std::string> create(const std::string& path, int linktype,
                                                                       std::uint32_t snaplen);
  void write(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame);
  void flush() { file_->flush(); }
  std::uint64_t packets() const { return packets_; }

 private:
  explicit PcapWriter(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}
  std::unique_ptr<OutputFile> file_;
  std::string scratch_;
  std::uint64_t packets_ = 0;
};

}  // namespace wiretop::exporting
