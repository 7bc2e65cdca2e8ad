#pragma once
// The exports of issue 8 that follow the packets (--pcap-export and its
// connections sidecar, --pcapng-export, --ipfix), opened before the sandbox
// and fed by the engine: the capture thread hands over every frame, the shards
// every frame with what they know of its connection, and ended connections.
// --history's recorder and --metrics' counters are fed the same way. Calls from several shard threads
// are serialised here.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "core/result.h"
#include "export/enricher.h"
#include "export/history_recorder.h"
#include "export/ipfix_exporter.h"
#include "export/metrics.h"
#include "export/output_file.h"
#include "export/packet_note.h"
#include "export/pcap_writer.h"
#include "export/pcapng_writer.h"
#include "export/service_names.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

struct OutputOptions {
  std::string pcap_path;    // classic pcap; the sidecar is pcap_path + ".connections.jsonl"
  std::string pcapng_path;
  std::string ipfix_target;  // HOST:PORT
  IpfixConfig ipfix;
  int linktype = 1;          // the capture's DLT
  std::uint32_t snaplen = 262144;
  std::string interface_name;  // pcapng if_name (live capture), or empty
  std::shared_ptr<HistoryStore> history;  // --history: opened by the caller, fed from here
  std::shared_ptr<Metrics> metrics;       // --metrics: served by the caller, fed from here
};

// The LINKTYPE_ value files carry for a libpcap DLT_ value (they differ for raw IP).
int linktype_of_dlt(int dlt);
// The sidecar's path for a --pcap-export path.
std::string sidecar_path(const std::string& pcap_path);
// Every file the options create (for the sandbox's write list).
std::vector<std::string> output_paths(const std::string& pcap_path, const std::string& pcapng_path);

class Outputs {
 public:
  // Creates the files and the IPFIX socket; the error is one line for the user.
  // The sidecar's records are enriched like the --json ones.
  static core::Result<std::unique_ptr<Outputs>, std::string> open(const OutputOptions& options,
                                                                  const ServiceNames& names,
                                                                  const Enricher& enricher);
  bool wants_notes() const { return pcapng_ || ipfix_; }
  bool wants_frames() const { return pcap_ != nullptr; }
  // --history flushes that failed (the store's last_error() says why).
  std::uint64_t history_failures() const { return history_ ? history_->failures() : 0; }

  // Capture thread, in capture order.
  void on_frame(core::Timestamp ts, std::uint32_t orig_len, core::Bytes frame);
  // Shards: a frame handled, and what its connection is known to be.
  void on_packet(const PacketNote& note, std::uint32_t orig_len, core::Bytes frame);
  void on_tick(core::Timestamp now);
  void on_connection_end(const model::ConnectionRow& row);
  // Capture thread, about once a second and at the end: drop counters so far.
  bool wants_capture_counters() const { return metrics_ != nullptr; }
  void on_capture_counters(const CaptureCounters& totals);
  // The run ended: everything pending is written and sent.
  void finish();

 private:
  Outputs(const ServiceNames& names, const Enricher& enricher) : names_(names), enricher_(enricher) {}
  const ServiceNames& names_;
  const Enricher& enricher_;
  std::unique_ptr<PcapWriter> pcap_;
  std::unique_ptr<OutputFile> sidecar_;
  std::unique_ptr<PcapngWriter> pcapng_;
  std::unique_ptr<IpfixExporter> ipfix_;
  std::unique_ptr<HistoryRecorder> history_;
  std::shared_ptr<Metrics> metrics_;
  std::mutex mutex_;  // shard-side state: pcapng, ipfix, sidecar
  std::string line_;
  core::Timestamp last_frame_flush_, last_flush_;  // live: files reach the disk every second
};

}  // namespace wiretop::exporting
