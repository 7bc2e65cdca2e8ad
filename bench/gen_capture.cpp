// wiretop_gen_capture OUT.pcap [--packets N] [--flows N] [--seconds S] [--seed N]
// wiretop_gen_capture OUT.pcap --short-flows [--flows N] [--seconds S] [--seed N]
//
// Writes a deterministic, realistic classic-pcap capture for the replay benchmark:
// interleaved TCP (TLS with SNI, HTTP/1.1), QUIC v1 with decryptable Initials, and DNS,
// over IPv4 and IPv6, partly VLAN-tagged. With --short-flows, the second benchmark
// file instead: a SYN scan, 1-3 packets per flow (gen/short_flows.h). See bench/README.md.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "gen/frames.h"
#include "gen/names.h"
#include "gen/network.h"
#include "gen/plan.h"
#include "gen/quic.h"
#include "gen/schedule.h"
#include "gen/short_flows.h"
#include "support/pcap_file.h"

namespace {

using namespace wiretop::bench;

// 2024-05-14T09:30:00Z: a fixed start keeps the file byte-for-byte reproducible.
constexpr std::int64_t kCaptureStartUs = 1'715'679'000'000'000;
constexpr std::size_t kHostNames = 3000;
constexpr std::size_t kClients = 600;

struct Options {
  std::string out;
  PlanConfig plan;
  bool short_flows = false;
  ShortFlowsConfig scan;  // --short-flows
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "wiretop_gen_capture: %s\n"
               "usage: wiretop_gen_capture OUT.pcap [--packets N] [--flows N] [--seconds S] "
               "[--seed N]\n"
               "       wiretop_gen_capture OUT.pcap --short-flows [--flows N] [--seconds S] [--seed N]\n",
               why);
  std::exit(2);
}

std::uint64_t parse_number(std::string_view flag, const char* text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) {
    usage((std::string(flag) + " needs a positive whole number").c_str());
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--packets" && has_value) {
      o.plan.packets = parse_number(arg, argv[++i]);
    } else if (arg == "--flows" && has_value) {
      o.plan.flows = o.scan.flows = parse_number(arg, argv[++i]);
    } else if (arg == "--seconds" && has_value) {
      o.plan.duration_s = o.scan.duration_s = static_cast<double>(parse_number(arg, argv[++i]));
    } else if (arg == "--seed" && has_value) {
      o.plan.seed = o.scan.seed = parse_number(arg, argv[++i]);
    } else if (arg == "--short-flows") {
      o.short_flows = true;
    } else if (!arg.empty() && arg[0] != '-' && o.out.empty()) {
      o.out = arg;
    } else {
      usage(("unexpected argument '" + std::string(arg) + "'").c_str());
    }
  }
  if (o.out.empty()) usage("missing output file");
  return o;
}

struct Summary {
  std::array<std::uint64_t, 4> flows_by_kind{};
  std::uint64_t ipv6_flows = 0, vlan_flows = 0, packets = 0, bytes = 0;
};

void print_summary(const std::string& out, std::size_t flows, const Summary& sum,
                   std::int64_t span_us, std::chrono::steady_clock::time_point started) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto n = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  const auto share = [&](std::uint64_t v) {
    return 100.0 * static_cast<double>(v) / static_cast<double>(flows);
  };
  std::printf(
      "%s: %llu packets, %zu flows (TLS %llu, HTTP %llu, QUIC %llu, DNS %llu; IPv6 %.1f%%, "
      "VLAN %.1f%%), %.1f MB, %.1f s of traffic, written in %.2f s\n",
      out.c_str(), n(sum.packets), flows, n(sum.flows_by_kind[0]), n(sum.flows_by_kind[1]),
      n(sum.flows_by_kind[2]), n(sum.flows_by_kind[3]), share(sum.ipv6_flows),
      share(sum.vlan_flows), static_cast<double>(sum.bytes) / 1e6,
      static_cast<double>(span_us) / 1e6, elapsed);
}

int run_short_flows(const Options& o) {
  const auto started = std::chrono::steady_clock::now();
  ShortFlowsSummary sum;
  if (!write_short_flows(o.out, o.scan, sum)) {
    std::fprintf(stderr, "wiretop_gen_capture: cannot write %s\n", o.out.c_str());
    return 1;
  }
  const auto n = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("%s: %llu packets, %llu flows (SYN only %llu, refused %llu, open %llu; IPv6 %llu), "
              "%.1f MB, %.1f s of traffic, written in %.2f s\n",
              o.out.c_str(), n(sum.packets), n(sum.flows), n(sum.syn_only), n(sum.refused),
              n(sum.half_open), n(sum.ipv6), static_cast<double>(sum.bytes) / 1e6, o.scan.duration_s,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return 0;
}

int run(const Options& o) {
  if (o.short_flows) return run_short_flows(o);
  const auto started = std::chrono::steady_clock::now();
  if (!quic_keys_match_rfc9001_vector()) {
    std::fprintf(stderr, "wiretop_gen_capture: QUIC key derivation does not match RFC 9001 A.1\n");
    return 1;
  }
  const NameCatalogue names(kHostNames, o.plan.seed ^ 0x6e616d6573ULL);
  Network network(kClients, o.plan.seed ^ 0x6e6574ULL);
  const std::vector<FlowPlan> flows = plan_flows(o.plan, names, network);

  std::vector<Event> events;
  events.reserve(o.plan.packets + o.plan.packets / 16);
  Summary sum;
  for (std::uint32_t i = 0; i < flows.size(); ++i) {
    const std::size_t before = events.size();
    schedule_flow(flows[i], i, names, events);
    if (events.size() - before != packet_count(flows[i])) {
      std::fprintf(stderr, "wiretop_gen_capture: flow %u scheduled %zu packets, planned %llu\n", i,
                   events.size() - before,
                   static_cast<unsigned long long>(packet_count(flows[i])));
      return 1;
    }
    ++sum.flows_by_kind[static_cast<std::size_t>(flows[i].kind)];
    sum.ipv6_flows += flows[i].ipv6;
    sum.vlan_flows += network.client(flows[i].client).vlan != 0;
  }
  std::sort(events.begin(), events.end(), event_before);

  wiretop::testing::PcapWriter writer(o.out, wiretop::testing::kLinkEthernet);
  if (!writer.ok()) {
    std::fprintf(stderr, "wiretop_gen_capture: cannot write %s\n", o.out.c_str());
    return 1;
  }
  std::int64_t last = 0;
  for (const Event& e : events) {
    // Strictly increasing, as a capture's clock is; collisions move by a microsecond.
    const std::int64_t ts = std::max(kCaptureStartUs + e.ts_us, last + 1);
    last = ts;
    const auto frame = build_frame(flows[e.flow], network, names, e);
    writer.write(ts, frame);
    ++sum.packets;
    sum.bytes += frame.size();
  }
  writer.close();

  const std::int64_t span_us = events.empty() ? 0 : last - kCaptureStartUs - events.front().ts_us;
  print_summary(o.out, flows.size(), sum, span_us, started);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wiretop_gen_capture: %s\n", e.what());
    return 1;
  }
}
