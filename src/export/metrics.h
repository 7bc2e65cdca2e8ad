#pragma once
// --metrics (issue 10): the counters a Prometheus scrape reads, kept with
// prometheus-cpp's core (Registry, Counter/Gauge families, TextSerializer) and
// nothing of its HTTP side (export/metrics_server.h serves them). Connections
// count when they end, like the --json records: per process and per protocol,
// bytes and packets each way (in/out from the local end) and connections. Label
// values are capped (kMaxLabelValues per label; the rest count as "other").

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "export/service_names.h"
#include "model/connection_row.h"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
template <typename T>
class Family;
}  // namespace prometheus

namespace wiretop::exporting {

// Capture-side counters as totals so far (the engine reports them now and then).
struct CaptureCounters {
  std::uint64_t capture_drops = 0, interface_drops = 0, ring_drops = 0;
};

class Metrics {
 public:
  static constexpr std::size_t kMaxLabelValues = 64;

  explicit Metrics(const ServiceNames& names);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void on_connection_end(const model::ConnectionRow& row);
  void on_capture(const CaptureCounters& totals);
  // The sandbox's layers as wiretop_sandbox_layer{layer,state} = 1 (set once, after it applied).
  void set_sandbox(const std::vector<std::pair<std::string, std::string>>& layer_states);
  // The Prometheus text exposition format (version 0.0.4) of every metric.
  std::string render() const;

 private:
  struct Traffic;  // bytes/packets/connections families under one label name
  // `value` itself while fewer than kMaxLabelValues are in use for `label`, else "other".
  std::string bounded(std::map<std::string, bool>& seen, const std::string& value);

  const ServiceNames& names_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Traffic> process_, protocol_;
  prometheus::Counter *capture_drops_, *interface_drops_, *ring_drops_, *evictions_, *folded_;
  prometheus::Family<prometheus::Gauge>* sandbox_;
  std::map<std::string, bool> processes_seen_, protocols_seen_;
  CaptureCounters reported_;
  std::mutex mutex_;  // label bookkeeping; prometheus-cpp's own types are thread-safe
};

}  // namespace wiretop::exporting
