#include "support/pcap_file.h"

#include <cstring>

namespace wiretop::testing {
namespace {
void put32(std::FILE* f, std::uint32_t v) { std::fwrite(&v, 4, 1, f); }
void put16(std::FILE* f, std::uint16_t v) { std::fwrite(&v, 2, 1, f); }
}  // namespace

PcapWriter::PcapWriter(const std::string& path, std::uint32_t linktype, std::uint32_t snaplen)
    : buffer_(1 << 20) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) return;
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  put32(file_, 0xa1b2c3d4);  // host byte order, microsecond resolution
  put16(file_, 2);
  put16(file_, 4);
  put32(file_, 0);
  put32(file_, 0);
  put32(file_, snaplen);
  put32(file_, linktype);
}

PcapWriter::~PcapWriter() { close(); }

void PcapWriter::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void PcapWriter::write(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame,
                       std::uint32_t orig_len) {
  write_record(ts_usec, frame, static_cast<std::uint32_t>(frame.size()),
               orig_len != 0 ? orig_len : static_cast<std::uint32_t>(frame.size()));
}

void PcapWriter::write_truncated(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame,
                                 std::uint32_t caplen) {
  write_record(ts_usec, frame, caplen, static_cast<std::uint32_t>(frame.size()));
}

void PcapWriter::write_record(std::int64_t ts_usec, const std::vector<std::uint8_t>& frame,
                              std::uint32_t caplen, std::uint32_t orig_len) {
  if (!file_) return;
  if (caplen > frame.size()) caplen = static_cast<std::uint32_t>(frame.size());
  put32(file_, static_cast<std::uint32_t>(ts_usec / 1000000));
  put32(file_, static_cast<std::uint32_t>(ts_usec % 1000000));
  put32(file_, caplen);
  put32(file_, orig_len);
  std::fwrite(frame.data(), 1, caplen, file_);
}

}  // namespace wiretop::testing
