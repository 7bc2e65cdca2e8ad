#pragma once
// Ended connections the live views keep listing for a while (--keep-closed).

#include <chrono>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "model/connection_row.h"

namespace wiretop::app {

class ClosedRetention {
 public:
  explicit ClosedRetention(double seconds) : keep_(std::chrono::duration<double>(seconds)) {}
  void add(const model::ConnectionRow& row) {
    if (keep_.count() <= 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (rows_.size() >= kCap) rows_.pop_front();  // bounded, like every other buffer
    rows_.push_back({std::chrono::steady_clock::now(), row});
  }
  void append_live(std::vector<model::ConnectionRow>& out) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    while (!rows_.empty() && now - rows_.front().first > keep_) rows_.pop_front();
    for (const auto& [when, row] : rows_) out.push_back(row);
  }

 private:
  static constexpr std::size_t kCap = 10000;
  std::chrono::duration<double> keep_;
  std::mutex mutex_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, model::ConnectionRow>> rows_;
};

}  // namespace wiretop::app
