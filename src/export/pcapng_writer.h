#pragma once
// --pcapng-export: every frame the shards handle, as pcapng (RFC draft
// draft-ietf-opsawg-pcapng): one Section Header Block, one Interface
// Description Block for the capture's interface, and an Enhanced Packet Block
// per frame whose opt_comment says what wiretop knew of it (packet_note.h).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/result.h"
#include "core/timestamp.h"
#include "export/output_file.h"

namespace wiretop::exporting {

void append_pcapng_section_header(std::string& out, std::string_view application);
void append_pcapng_interface(std::string& out, int linktype, std::uint32_t snaplen, std::string_view name);
// An Enhanced Packet Block on interface 0 with microsecond stamps (if_tsresol's default).
void append_pcapng_packet(std::string& out, core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame,
                          std::string_view comment);

class PcapngWriter {
 public:
  // Creates `path` (0600) and writes the section and interface blocks.
  static core::Result<std::unique_ptr<PcapngWriter>, std::string> create(const std::string& path, int linktype,
                                                                         std::uint32_t snaplen,
                                                                         std::string_view interface_name);
  void write(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame, std::string_view comment);
  void flush() { file_->flush(); }

 private:
  explicit PcapngWriter(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}
  std::unique_ptr<OutputFile> file_;
  std::string scratch_;
};

}  // namespace wiretop::exporting
