// libFuzzer target for the whole per-packet path of one shard, as wiretop runs
// it: decode -> track -> inspect (every DPI dissector, the DNS name table) ->
// the finished connection's row -> its JSON line. Input format as fuzz_track:
// frames behind a 2-byte length and a 1-byte clock step (Ethernet), so the
// tracker's seeds (one capture's frames) seed this target too.
//
// Besides crashes and sanitizer reports, the run aborts when a connection's
// JSON line does not parse as one JSON object (hostile names must be escaped).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "dpi/name_table.h"
#include "engine/shard.h"
#include "export/connection_json.h"
#include "export/service_names.h"

namespace {

const wiretop::exporting::ServiceNames& names() {
  static const auto loaded = wiretop::exporting::ServiceNames::load();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wiretop::flow::TrackerConfig cfg;
  cfg.max_flows = 8;  // small, so eviction (and the inspector's slot release) runs too
  wiretop::dpi::InspectConfig inspect;
  inspect.max_total_buffer = 256 * 1024;  // small, so the global reassembly cap is hit too
  wiretop::dpi::NameTable table;
  std::string line;
  wiretop::engine::Shard shard(cfg, wiretop::proto::LinkType::Ethernet, inspect, table,
                               [&](const wiretop::model::ConnectionRow& row) {
                                 line.clear();
                                 wiretop::exporting::append_connection_json(line, row, names());
                                 const auto parsed = nlohmann::json::parse(line, nullptr, false);
                                 if (parsed.is_discarded() || !parsed.is_object()) std::abort();
                               });
  std::int64_t usec = 1'700'000'000'000'000;
  std::size_t pos = 0;
  while (pos + 3 <= size) {
    const std::size_t len = (std::size_t{data[pos]} << 8 | data[pos + 1]) % 1600;
    usec += std::int64_t{data[pos + 2]} * 250'000;  // up to ~64 s between packets
    pos += 3;
    const std::size_t n = len < size - pos ? len : size - pos;
    shard.handle(wiretop::core::Timestamp{usec}, static_cast<std::uint32_t>(n),
                 wiretop::core::Bytes(data + pos, n), 0);
    pos += n;
  }
  shard.finish(wiretop::flow::EndReason::EndOfInput);
  return 0;
}
