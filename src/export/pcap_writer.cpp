#include "export/pcap_writer.h"

#include "export/byte_append.h"

namespace wiretop::exporting {
namespace {

constexpr std::uint32_t kPcapMagicMicros = 0xa1b2c3d4;

}  // namespace

void append_pcap_file_header(std::string& out, int linktype, std::uint32_t snaplen) {
  append_le(out, kPcapMagicMicros);
  append_le(out, std::uint16_t{2});  // version 2.4
  append_le(out, std::uint16_t{4});
  append_le(out, std::int32_t{0});   // thiszone: stamps are UTC
  append_le(out, std::uint32_t{0});  // sigfigs
  append_le(out, snaplen);
  append_le(out, static_cast<std::uint32_t>(linktype));
}

void append_pcap_record(std::string& out, core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame) {
  const std::int64_t usec = ts.usec < 0 ? 0 : ts.usec;
  append_le(out, static_cast<std::uint32_t>(usec / 1'000'000));
  append_le(out, static_cast<std::uint32_t>(usec % 1'000'000));
  append_le(out, static_cast<std::uint32_t>(frame.size()));
  append_le(out, orig_len);
  out.append(reinterpret_cast<const char*>(frame.data()), frame.size());
}

core::Result<std::unique_ptr<PcapWriter>, std::string> PcapWriter::create(const std::string& path, int linktype,
                                                                          std::uint32_t snaplen) {
  auto file = OutputFile::create(path);
  if (!file) return core::Err{file.error()};
  std::string header;
  append_pcap_file_header(header, linktype, snaplen);
  (*file)->write(header);
  return std::unique_ptr<PcapWriter>(new PcapWriter(std::move(*file)));
}

void PcapWriter::write(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame) {
  scratch_.clear();
  append_pcap_record(scratch_, ts, orig_len, frame);
  file_->write(scratch_);
  ++packets_;
}

}  // namespace wiretop::exporting
