#pragma once
// A single-producer/single-consumer ring of variable-length packet records in
// one preallocated buffer: the capture thread writes, one shard worker reads.
// No lock and no allocation per packet; a full ring refuses the write.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>

namespace wiretop::engine {

struct RecordHeader {
  std::int64_t ts_usec;
  std::uint32_t caplen;
  std::uint32_t len;
  std::uint32_t flags;
  std::uint32_t size;  // header + data rounded up to 8; 0 marks "wrap to the start"
};

inline constexpr std::uint32_t kRecordQuotedOnly = 1;  // only the ICMP error's quoted flow
inline constexpr std::uint32_t kRecordTick = 2;        // clock tick, no packet
inline constexpr std::uint32_t kRecordNeighborOnly = 4;  // only the ARP/NDP binding it announces

class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity_bytes)
      : cap_(capacity_bytes), buf_(new std::uint8_t[capacity_bytes]) {}

  // Producer: copies one record in; false when there is no room.
  bool push(const RecordHeader& h, const std::uint8_t* data) {
    const std::size_t need = align(sizeof(RecordHeader) + h.caplen);
    if (need + sizeof(RecordHeader) > cap_) return false;
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_cache_;
    std::size_t pos = head % cap_;
    std::size_t wasted = pos + need > cap_ ? cap_ - pos : 0;
    if (head + wasted + need - tail > cap_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head + wasted + need - tail_cache_ > cap_) return false;
    }
    std::uint64_t new_head = head;
    if (wasted) {
      if (cap_ - pos >= sizeof(RecordHeader)) {
        RecordHeader wrap{};
        std::memcpy(buf_.get() + pos, &wrap, sizeof wrap);
      }
      new_head += wasted;
      pos = 0;
    }
    RecordHeader out = h;
    out.size = static_cast<std::uint32_t>(need);
    std::memcpy(buf_.get() + pos, &out, sizeof out);
    if (h.caplen != 0 && data != nullptr) std::memcpy(buf_.get() + pos + sizeof out, data, h.caplen);
    head_.store(new_head + need, std::memory_order_release);
    return true;
  }

  // Consumer: the next record (header + data pointer), or false when empty.
  bool peek(RecordHeader& h, const std::uint8_t*& data) {
    for (;;) {
      const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
      if (tail == head_cache_) {
        head_cache_ = head_.load(std::memory_order_acquire);
        if (tail == head_cache_) return false;
      }
      const std::size_t pos = tail % cap_;
      if (cap_ - pos < sizeof(RecordHeader)) {
        tail_.store(tail + (cap_ - pos), std::memory_order_release);
        continue;
      }
      std::memcpy(&h, buf_.get() + pos, sizeof h);
      if (h.size == 0) {  // wrap marker
        tail_.store(tail + (cap_ - pos), std::memory_order_release);
        continue;
      }
      data = buf_.get() + pos + sizeof(RecordHeader);
      return true;
    }
  }
  // Any thread: true when every record pushed so far has been popped (the
  // consumer pops after handling, so a record being handled still counts).
  bool drained() const {
    return tail_.load(std::memory_order_acquire) == head_.load(std::memory_order_acquire);
  }

  // Consumer: releases the record returned by peek().
  void pop(const RecordHeader& h) {
    tail_.store(tail_.load(std::memory_order_relaxed) + h.size, std::memory_order_release);
  }

 private:
  static std::size_t align(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

  const std::size_t cap_;
  std::unique_ptr<std::uint8_t[]> buf_;
  alignas(64) std::atomic<std::uint64_t> head_{0};
  std::uint64_t tail_cache_ = 0;  // producer's view of tail
  alignas(64) std::atomic<std::uint64_t> tail_{0};
  std::uint64_t head_cache_ = 0;  // consumer's view of head
};

}  // namespace wiretop::engine
