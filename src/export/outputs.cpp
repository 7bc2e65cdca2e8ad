#include "export/outputs.h"

#include "export/connection_json.h"

namespace wiretop::exporting {

int linktype_of_dlt(int dlt) {
  constexpr int kDltRaw = 12, kDltRawOpenBsd = 14, kLinktypeRaw = 101;
  return dlt == kDltRaw || dlt == kDltRawOpenBsd ? kLinktypeRaw : dlt;
}

std::string sidecar_path(const std::string& pcap_path) { return pcap_path + ".connections.jsonl"; }

std::vector<std::string> output_paths(const std::string& pcap_path, const std::string& pcapng_path) {
  std::vector<std::string> paths;
  if (!pcap_path.empty()) {
    paths.push_back(pcap_path);
    paths.push_back(sidecar_path(pcap_path));
  }
  if (!pcapng_path.empty()) paths.push_back(pcapng_path);
  return paths;
}

core::Result<std::unique_ptr<Outputs>, std::string> Outputs::open(const OutputOptions& o,
                                                                  const ServiceNames& names,
                                                                  const Enricher& enricher) {
  std::unique_ptr<Outputs> out(new Outputs(names, enricher));
  if (!o.pcap_path.empty()) {
    auto pcap = PcapWriter::create(o.pcap_path, o.linktype, o.snaplen);
    if (!pcap) return core::Err{"--pcap-export: " + pcap.error()};
    out->pcap_ = std::move(*pcap);
    auto sidecar = OutputFile::create(sidecar_path(o.pcap_path));
    if (!sidecar) return core::Err{"--pcap-export: " + sidecar.error()};
    out->sidecar_ = std::move(*sidecar);
  }
  if (!o.pcapng_path.empty()) {
    auto pcapng = PcapngWriter::create(o.pcapng_path, o.linktype, o.snaplen, o.interface_name);
    if (!pcapng) return core::Err{"--pcapng-export: " + pcapng.error()};
    out->pcapng_ = std::move(*pcapng);
  }
  if (!o.ipfix_target.empty()) {
    auto ipfix = IpfixExporter::connect(o.ipfix_target, o.ipfix);
    if (!ipfix) return core::Err{ipfix.error()};
    out->ipfix_ = std::move(*ipfix);
  }
  if (o.history) out->history_ = std::make_unique<HistoryRecorder>(o.history);
  out->metrics_ = o.metrics;
  return out;
}

void Outputs::on_frame(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame) {
  if (!pcap_) return;
  pcap_->write(ts, orig_len, frame);
  if (ts.usec - last_frame_flush_.usec >= 1'000'000) {
    last_frame_flush_ = ts;
    pcap_->flush();
  }
}

void Outputs::on_packet(const PacketNote& note, std::uint32_t orig_len, core::Bytes frame) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (pcapng_) pcapng_->write(note.ts, orig_len, frame, packet_comment(note));
  if (ipfix_ && note.connection_id != 0) ipfix_->on_packet(note);
}

void Outputs::on_tick(core::Timestamp now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ipfix_) ipfix_->on_tick(now);
  if (history_) history_->on_tick(now);
  if (now.usec - last_flush_.usec < 1'000'000) return;
  last_flush_ = now;
  if (sidecar_) sidecar_->flush();
  if (pcapng_) pcapng_->flush();
}

void Outputs::on_connection_end(const model::ConnectionRow& row) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (sidecar_) {
    line_.clear();
    model::ConnectionRow enriched = row;
    enricher_.apply(enriched);
    append_connection_json(line_, enriched, names_);
    line_ += '\n';
    sidecar_->write(line_);
  }
  if (ipfix_) ipfix_->on_end(row);
  if (history_) history_->on_connection_end(row);
  if (metrics_) metrics_->on_connection_end(row);
}

void Outputs::on_capture_counters(const CaptureCounters& totals) {
  if (metrics_) metrics_->on_capture(totals);
}

void Outputs::finish() {
  if (pcap_) pcap_->flush();
  std::lock_guard<std::mutex> lock(mutex_);
  if (sidecar_) sidecar_->flush();
  if (pcapng_) pcapng_->flush();
  if (ipfix_) ipfix_->flush();
  if (history_) history_->finish();
}

}  // namespace wiretop::exporting
