#pragma once
// The only way wiretop touches packet bytes: a bounded view with a cursor.
// Every read checks the remaining length first and returns std::nullopt past
// the end, so a hostile length field can never walk off the buffer.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace wiretop::core {

using Bytes = std::span<const std::uint8_t>;

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(Bytes data) : data_(data) {}

  std::size_t size() const { return data_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  Bytes rest() const { return data_.subspan(pos_); }
  Bytes whole() const { return data_; }

  bool skip(std::size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }
  bool seek(std::size_t pos) {
    if (pos > data_.size()) return false;
    pos_ = pos;
    return true;
  }

  std::optional<std::uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_++];
  }
  std::optional<std::uint16_t> be16() {
    if (remaining() < 2) return std::nullopt;
    std::uint16_t v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::optional<std::uint32_t> be24() {
    if (remaining() < 3) return std::nullopt;
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 16) | (std::uint32_t{data_[pos_ + 1]} << 8) |
                      std::uint32_t{data_[pos_ + 2]};
    pos_ += 3;
    return v;
  }
  std::optional<std::uint32_t> be32() {
    if (remaining() < 4) return std::nullopt;
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 24) | (std::uint32_t{data_[pos_ + 1]} << 16) |
                      (std::uint32_t{data_[pos_ + 2]} << 8) | std::uint32_t{data_[pos_ + 3]};
    pos_ += 4;
    return v;
  }
  std::optional<std::uint64_t> be64() {
    if (remaining() < 8) return std::nullopt;  // a failed read never moves the cursor
    const std::uint64_t hi = *be32();
    return (hi << 32) | *be32();
  }
  std::optional<std::uint16_t> le16() {
    if (remaining() < 2) return std::nullopt;
    std::uint16_t v = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  std::optional<std::uint32_t> le32() {
    if (remaining() < 4) return std::nullopt;
    std::uint32_t v = std::uint32_t{data_[pos_]} | (std::uint32_t{data_[pos_ + 1]} << 8) |
                      (std::uint32_t{data_[pos_ + 2]} << 16) | (std::uint32_t{data_[pos_ + 3]} << 24);
    pos_ += 4;
    return v;
  }
  // Next n bytes as a view, advancing past them.
  std::optional<Bytes> bytes(std::size_t n) {
    if (n > remaining()) return std::nullopt;
    Bytes v = data_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  // A reader over the next n bytes, advancing past them: for length-prefixed fields.
  std::optional<ByteReader> sub(std::size_t n) {
    auto b = bytes(n);
    if (!b) return std::nullopt;
    return ByteReader(*b);
  }
  std::optional<std::uint8_t> peek_u8(std::size_t offset = 0) const {
    if (offset >= remaining()) return std::nullopt;
    return data_[pos_ + offset];
  }
  std::optional<std::uint16_t> peek_be16(std::size_t offset = 0) const {
    if (remaining() < 2 || offset > remaining() - 2) return std::nullopt;
    return static_cast<std::uint16_t>((data_[pos_ + offset] << 8) | data_[pos_ + offset + 1]);
  }

 private:
  Bytes data_{};
  std::size_t pos_ = 0;
};

}  // namespace wiretop::core
