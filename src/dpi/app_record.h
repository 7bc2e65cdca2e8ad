#pragma once
// The compact, immutable form of a finished flow's AppInfo (issue 9: memory at
// 100k flows). An AppInfo is ~1.25 KB of mostly empty strings; a record is one
// exactly-sized heap block holding only the fields that are set, as
// (field, text or number) entries, lists as repeated entries. Texts of fields
// whose values repeat across flows (protocol names, TLS versions, ciphers,
// JA3/JA4, user agents, ...) are stored once in a TextPool and the record keeps
// a small index instead.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dpi/app_info.h"

namespace wiretop::dpi {

// Append-only store of repeated texts, one per Inspector (one per shard: no
// locking). Bounded: past the caps new texts are kept inline in the records.
class TextPool {
 public:
  static constexpr std::size_t kMaxEntries = 16384;
  static constexpr std::size_t kMaxBytes = 1u << 20;

  // The index of `text`, adding it if there is room; -1 when the pool is full.
  std::int64_t intern(std::string_view text);
  // Valid for the pool's lifetime (entries never move).
  std::string_view at(std::uint32_t index) const { return texts_[index]; }
  std::size_t size() const { return texts_.size(); }
  std::uint64_t full_hits() const { return full_hits_; }

 private:
  std::deque<std::string> texts_;  // a deque: push_back never moves the strings the map views
  std::unordered_map<std::string_view, std::uint32_t> index_;
  std::size_t bytes_ = 0;
  std::uint64_t full_hits_ = 0;  // texts kept inline because the pool was full
};

class AppRecord {
 public:
  AppRecord() = default;
  // Encodes the set fields of `app`; texts of repeated-value fields go to `pool`.
  AppRecord(const AppInfo& app, TextPool& pool);

  bool empty() const { return !data_; }
  // The AppInfo this record was made from (`pool`: the one it was encoded with).
  AppInfo decode(const TextPool& pool) const;
  // Cheap per-packet look-ups (no AppInfo built): views into this record or
  // the pool, valid while both live.
  std::string_view proto(const TextPool& pool) const;
  std::string_view sni(const TextPool& pool) const;
  std::string_view http_host(const TextPool& pool) const;
  // Heap bytes this record holds (tests and benchmarks).
  std::size_t size_bytes() const;

 private:
  std::string_view text_of(std::uint8_t field, const TextPool& pool) const;

  std::unique_ptr<std::uint8_t[]> data_;  // varint body length, then the entries
};

}  // namespace wiretop::dpi
