// The --metrics registry: families, bounded labels and the text rendering.
#include "export/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "export/history_recorder.h"

namespace wiretop::exporting {

namespace pm = prometheus;

struct Metrics::Traffic {
  Traffic(pm::Registry& r, const std::string& what, const std::string& label)
      : label_name(label),
        bytes(pm::BuildCounter().Name("wiretop_" + what + "_bytes_total")
                  .Help("IP bytes of ended connections per " + label + ", in (toward the local end) and out")
                  .Register(r)),
        packets(pm::BuildCounter().Name("wiretop_" + what + "_packets_total")
                    .Help("Packets of ended connections per " + label + ", in and out")
                    .Register(r)),
        connections(pm::BuildCounter().Name("wiretop_" + what + "_connections_total")
                        .Help("Ended connections per " + label)
                        .Register(r)) {}
  void add(const std::string& value, const LocalView& v) {
    bytes.Add({{label_name, value}, {"direction", "in"}}).Increment(static_cast<double>(v.counts.bytes_in));
    bytes.Add({{label_name, value}, {"direction", "out"}}).Increment(static_cast<double>(v.counts.bytes_out));
    packets.Add({{label_name, value}, {"direction", "in"}}).Increment(static_cast<double>(v.packets_in));
    packets.Add({{label_name, value}, {"direction", "out"}}).Increment(static_cast<double>(v.packets_out));
    connections.Add({{label_name, value}}).Increment();
  }
  std::string label_name;
  pm::Family<pm::Counter>& bytes;
  pm::Family<pm::Counter>& packets;
  pm::Family<pm::Counter>& connections;
};

namespace {

pm::Counter& single_counter(pm::Registry& r, const std::string& name, const std::string& help) {
  return pm::BuildCounter().Name(name).Help(help).Register(r).Add({});
}

}  // namespace

Metrics::Metrics(const ServiceNames& names) : names_(names), registry_(std::make_shared<pm::Registry>()) {
  pm::Registry& r = *registry_;
  process_ = std::make_unique<Traffic>(r, "process", "process");
  protocol_ = std::make_unique<Traffic>(r, "protocol", "proto");
  capture_drops_ = &single_counter(r, "wiretop_capture_drops_total", "Packets the kernel dropped before libpcap read them");
  interface_drops_ = &single_counter(r, "wiretop_interface_drops_total", "Packets the interface dropped (pcap ifdrop)");
  ring_drops_ = &single_counter(r, "wiretop_ring_drops_total", "Packets dropped because a shard's ring was full");
  evictions_ = &single_counter(r, "wiretop_evictions_total", "Connections evicted at the --max-flows cap");
  folded_ = &single_counter(r, "wiretop_metrics_labels_folded_total",
                            "Connections counted under \"other\" because a label had too many values");
  sandbox_ = &pm::BuildGauge().Name("wiretop_sandbox_layer")
                  .Help("1 for each sandbox layer, labelled with its state (applied, partial, unavailable, off)")
                  .Register(r);
}

Metrics::~Metrics() = default;

std::string Metrics::bounded(std::map<std::string, bool>& seen, const std::string& value) {
  if (seen.count(value)) return value;
  if (seen.size() < kMaxLabelValues) {
    seen.emplace(value, true);
    return value;
  }
  folded_->Increment();
  return "other";
}

void Metrics::on_connection_end(const model::ConnectionRow& row) {
  const LocalView v = local_view(row);
  std::lock_guard<std::mutex> lock(mutex_);
  process_->add(bounded(processes_seen_, v.process), v);
  protocol_->add(bounded(protocols_seen_, std::string(names_.protocol(row.ip_proto))), v);
  if (row.end_reason == "evicted") evictions_->Increment();
}

void Metrics::on_capture(const CaptureCounters& totals) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Counters only go up: add what grew since the last report.
  const auto grow = [](pm::Counter* c, std::uint64_t now, std::uint64_t& before) {
    if (now > before) c->Increment(static_cast<double>(now - before));
    if (now > before) before = now;
  };
  grow(capture_drops_, totals.capture_drops, reported_.capture_drops);
  grow(interface_drops_, totals.interface_drops, reported_.interface_drops);
  grow(ring_drops_, totals.ring_drops, reported_.ring_drops);
}

void Metrics::set_sandbox(const std::vector<std::pair<std::string, std::string>>& layer_states) {
  for (const auto& [layer, state] : layer_states) sandbox_->Add({{"layer", layer}, {"state", state}}).Set(1);
}

std::string Metrics::render() const {
  std::ostringstream out;
  pm::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace wiretop::exporting
