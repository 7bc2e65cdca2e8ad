#include "export/pcapng_writer.h"

#include "export/byte_append.h"

namespace wiretop::exporting {
namespace {

constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A, kInterfaceDescription = 1, kEnhancedPacket = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0, kOptComment = 1, kShbUserAppl = 4, kIfName = 2;
// An option's length is 16 bits; comments and names are cut well below it.
constexpr std::size_t kMaxOptionBytes = 4096;

void pad32(std::string& out) {
  while (out.size() % 4 != 0) out.push_back('\0');
}

void append_option(std::string& out, std::uint16_t code, std::string_view value) {
  if (value.size() > kMaxOptionBytes) value = value.substr(0, kMaxOptionBytes);
  append_le(out, code);
  append_le(out, static_cast<std::uint16_t>(value.size()));
  out.append(value);
  pad32(out);
}

// Blocks carry their total length at both ends; `start` is where the type went.
std::size_t begin_block(std::string& out, std::uint32_t type) {
  const std::size_t start = out.size();
  append_le(out, type);
  append_le(out, std::uint32_t{0});
  return start;
}

void end_block(std::string& out, std::size_t start) {
  const auto total = static_cast<std::uint32_t>(out.size() - start + 4);
  append_le(out, total);
  for (std::size_t i = 0; i < 4; ++i) out[start + 4 + i] = static_cast<char>(total >> (8 * i));
}

}  // namespace

void append_pcapng_section_header(std::string& out, std::string_view application) {
  const std::size_t start = begin_block(out, kSectionHeader);
  append_le(out, kByteOrderMagic);
  append_le(out, std::uint16_t{1});  // version 1.0
  append_le(out, std::uint16_t{0});
  append_le(out, std::int64_t{-1});  // section length not known in advance
  append_option(out, kShbUserAppl, application);
  append_option(out, kOptEnd, {});
  end_block(out, start);
}

void append_pcapng_interface(std::string& out, int linktype, std::uint32_t snaplen, std::string_view name) {
  const std::size_t start = begin_block(out, kInterfaceDescription);
  append_le(out, static_cast<std::uint16_t>(linktype));
  append_le(out, std::uint16_t{0});
  append_le(out, snaplen);
  if (!name.empty()) append_option(out, kIfName, name);
  append_option(out, kOptEnd, {});
  end_block(out, start);
}

void append_pcapng_packet(std::string& out, core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame,
                          std::string_view comment) {
  const std::size_t start = begin_block(out, kEnhancedPacket);
  const auto usec = static_cast<std::uint64_t>(ts.usec < 0 ? 0 : ts.usec);
  append_le(out, std::uint32_t{0});  // interface id
  append_le(out, static_cast<std::uint32_t>(usec >> 32));
  append_le(out, static_cast<std::uint32_t>(usec));
  append_le(out, static_cast<std::uint32_t>(frame.size()));
  append_le(out, orig_len);
  out.append(reinterpret_cast<const char*>(frame.data()), frame.size());
  pad32(out);
  if (!comment.empty()) {
    append_option(out, kOptComment, comment);
    append_option(out, kOptEnd, {});
  }
  end_block(out, start);
}

core::Result<std::unique_ptr<PcapngWriter>, std::string> PcapngWriter::create(const std::string& path, int linktype,
                                                                              std::uint32_t snaplen,
                                                                              std::string_view interface_name) {
  auto file = OutputFile::create(path);
  if (!file) return core::Err{file.error()};
  std::string header;
  append_pcapng_section_header(header, "wiretop");
  append_pcapng_interface(header, linktype, snaplen, interface_name);
  (*file)->write(header);
  return std::unique_ptr<PcapngWriter>(new PcapngWriter(std::move(*file)));
}

void PcapngWriter::write(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame, std::string_view comment) {
  scratch_.clear();
  append_pcapng_packet(scratch_, ts, orig_len, frame, comment);
  file_->write(scratch_);
}

}  // namespace wiretop::exporting
