#include "app/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <cstdio>
#include <thread>

#include "app/alert_outputs.h"
#include "app/alert_rules_file.h"
#include "app/closed_retention.h"
#include "app/config_file.h"
#include "app/flow_budget.h"
#include "app/history_command.h"
#include "app/machine_check.h"
#include "app/options.h"
#include "app/summary_json.h"
#include "app/tui_view.h"
#include "app/version.h"
#include "engine/containment.h"
#include "engine/engine.h"
#include "export/alert_json.h"
#include "export/connection_json.h"
#include "export/enricher.h"
#include "export/json_log.h"
#include "export/listener_json.h"
#include "export/metrics_server.h"
#include "export/outputs.h"
#include "tui/plain_table.h"

namespace wiretop::app {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// Start-up errors: one line on stderr, exit code 2 (architecture.md "Errors").
int fail(const std::string& message) {
  std::fprintf(stderr, "wiretop: %s\n", message.c_str());
  return 2;
}

unsigned default_threads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 1;
}

// Live: the listening sockets once, after the connections; their counts are
// the run's connections each one served.
void write_listeners(const engine::Engine& engine, const model::ListenerCounter& per_listener) {
  std::vector<model::ListenerRow> listeners;
  if (!engine.listeners(listeners)) return;
  per_listener.fill(listeners);
  std::string line;
  for (const auto& l : listeners) {
    line.clear();
    exporting::append_listener_json(line, l);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
}

int run_json(engine::Engine& engine, const exporting::ServiceNames& names, const exporting::Enricher& enricher,
             const std::string& source_key, const std::string& source, const sandbox::Report& sandbox,
             bool hold, AlertOutputs& alerts) {
  static char stdout_buffer[1 << 16];
  std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  const bool live = engine.live();
  std::string line;
  model::ListenerCounter per_listener;
  // Alerts are records of their own among the connections ("kind":"alert"), as they are raised.
  alerts.view = [&](const model::Alert& alert) {
    line.clear();
    exporting::append_alert_json(line, alert, exporting::AlertJson::kRecord);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    if (live) std::fflush(stdout);
  };
  const auto summary = engine.run(
      [&](const model::ConnectionRow& ended) {
        if (live) per_listener.add(ended);
        model::ConnectionRow row = ended;
        enricher.apply(row);
        line.clear();
        exporting::append_connection_json(line, row, names);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
        if (live) std::fflush(stdout);
      },
      g_stop);
  write_listeners(engine, per_listener);
  std::fflush(stdout);
  if (!summary.warning.empty()) {
    std::fprintf(stderr, "wiretop: warning: capture file ends early (%s); connections up to the cut are reported\n",
                 summary.warning.c_str());
  }
  std::fprintf(stderr, "%s\n", summary_json(summary, source_key, source, sandbox).c_str());
  // --hold with --metrics: the final counters stay scrapable until SIGINT/SIGTERM.
  while (hold && !g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return 0;
}

// Local lookup data (issue 8), read before the sandbox: GeoIP databases are
// mapped into memory and the OUI registry is parsed, so lookups touch no file.
core::Result<exporting::Enricher, std::string> load_enricher(const Options& o) {
  exporting::GeoIp geo;
  if (o.geoip_dbs.empty()) {
    geo = exporting::GeoIp::discover();
  } else {
    auto opened = exporting::GeoIp::open(o.geoip_dbs);
    if (!opened) return core::Err{opened.error()};
    geo = std::move(*opened);
  }
  return exporting::Enricher(std::move(geo), exporting::OuiRegistry::load());
}

int run_plain(engine::Engine& engine, const std::string& source, double keep_closed, AlertOutputs& alerts) {
  alerts.view = [](const model::Alert& a) {
    std::fprintf(stderr, "wiretop: alert %s (%s): %s\n", a.rule.c_str(), a.severity.c_str(), a.message.c_str());
  };
  std::vector<model::ConnectionRow> ended;
  std::mutex ended_mutex;
  ClosedRetention retained(keep_closed);
  engine::Summary summary;
  const bool live = engine.live();
  std::thread worker([&] {
    summary = engine.run(
        [&](const model::ConnectionRow& row) {
          if (live) {
            retained.add(row);
            return;
          }
          std::lock_guard<std::mutex> lock(ended_mutex);
          ended.push_back(row);
        },
        g_stop);
    g_stop.store(true);
  });
  const bool tty = isatty(STDOUT_FILENO) != 0;
  while (live && !g_stop.load()) {
    engine.request_snapshot();
    for (int i = 0; i < 10 && !g_stop.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<model::ConnectionRow> rows;
    engine::Summary counters;
    engine.take_snapshot(rows, counters);
    retained.append_live(rows);
    tui::TableHeader header;
    header.source = source;
    header.connections = rows.size();
    header.packets = counters.ip_packets + counters.non_ip;
    const std::string table = tui::render_plain_table(std::move(rows), header, 40);
    if (tty) std::fputs("\x1b[H\x1b[2J", stdout);
    std::fputs(table.c_str(), stdout);
    std::fputs(tty ? "\n(Ctrl-C to quit)\n" : "\n", stdout);
    std::fflush(stdout);
  }
  worker.join();
  if (!live) {
    tui::TableHeader header;
    header.source = source;
    header.connections = ended.size();
    header.packets = summary.packets;
    std::fputs(tui::render_plain_table(std::move(ended), header, 100).c_str(), stdout);
  }
  if (!summary.warning.empty())
    std::fprintf(stderr, "wiretop: warning: capture file ends early (%s)\n", summary.warning.c_str());
  return 0;
}

exporting::OutputOptions output_options(const Options& o, const engine::Engine& engine) {
  exporting::OutputOptions out;
  out.pcap_path = o.pcap_export;
  out.pcapng_path = o.pcapng_export;
  out.ipfix_target = o.ipfix;
  out.ipfix.active_timeout_s = o.ipfix_active_timeout;
  out.ipfix.idle_timeout_s = o.ipfix_idle_timeout;
  out.linktype = exporting::linktype_of_dlt(engine.datalink());
  if (engine.live()) out.interface_name = engine.interface();
  return out;
}

}  // namespace

int run(int argc, char** argv) {
  Options o;
  CLI::App cli{"wiretop — every connection on this machine: who owns it, what it speaks, how it flows"};
  cli.set_version_flag("-V,--version", std::string("wiretop ") + WIRETOP_VERSION);
  cli.add_option("-i,--interface", o.interface, "Capture live on IFACE ('any' for all); default: the default route's interface")
      ->type_name("IFACE");
  cli.add_option("-r,--read", o.read_file, "Read packets from a pcap or pcapng FILE at full speed")
      ->type_name("FILE");
  cli.add_option("-f,--bpf-filter", o.bpf_filter, "Only packets matching this BPF filter (pcap-filter syntax)")
      ->type_name("EXPR");
  cli.add_flag("--json", o.json, "Headless: one JSON object per connection on stdout when it ends (docs/json-schema.md)");
  cli.add_option("--duration", o.duration, "Live: stop after SECONDS")->type_name("SECONDS")->check(CLI::NonNegativeNumber);
  cli.add_option("--threads", o.threads, "Shard worker threads (default: cores - 1; 1 runs inline)")
      ->check(CLI::Range(1u, 256u));
  cli.add_option("--max-flows", o.max_flows,
                 "Cap on tracked connections; the stalest is evicted first (default: a quarter of "
                 "available memory at 2 KB a flow, 16384 to 4000000)")
      ->check(CLI::Range(1u, 100'000'000u));
  cli.add_option("--keep-closed", o.keep_closed, "Live view: keep ended connections listed for SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--dpi-packets", o.dpi_packets,
                 "Inspect at most N payload packets each way per connection (DNS-like flows: all; default 32)")
      ->type_name("N")
      ->check(CLI::Range(1u, 100'000u));
  cli.add_option("--json-log", o.json_log,
                 "Also write connection events (new, update, closed) as JSON lines to PATH (created 0600)")
      ->type_name("PATH");
  cli.add_option("--json-log-max-mb", o.json_log_max_mb,
                 "Rotate the JSON log past MB megabytes: PATH.1 ... PATH.5 beside it (0: never; default 100)")
      ->type_name("MB")
      ->check(CLI::Range(0.0, 1e6));
  cli.add_option("--geoip-db", o.geoip_dbs,
                 "MaxMind .mmdb databases (Country, City, ASN) for the country, city and AS of public addresses; "
                 "default: every *.mmdb in /usr/share/GeoIP, /var/lib/GeoIP, /usr/local/share/GeoIP")
      ->type_name("PATH...")
      ->expected(1, -1);
  cli.add_flag("--no-dpi", o.no_dpi, "No deep packet inspection (no app, no server names)");
  cli.add_flag("--no-attribution", o.no_attribution,
               "Live: do not start the helper process that maps sockets to processes");
  cli.add_flag("--no-ebpf", o.no_ebpf,
               "Live: attribute sockets by netlink sock_diag and /proc only (the fallbacks eBPF would otherwise lead)");
  cli.add_flag("--hold", o.hold,
               "With -r on a terminal: show the full-screen view and keep it up after the file ends, until q; "
               "with -r --json --metrics: keep serving the final metrics until SIGINT/SIGTERM");
  cli.add_option("--refresh-ms", o.refresh_ms, "Full-screen view: refresh every MS milliseconds (default 1000)")
      ->type_name("MS")
      ->check(CLI::Range(50, 60000));
  cli.add_flag("--no-color", o.no_color, "Full-screen view: no colours");
  cli.add_flag("--check", o.check,
               "Print what each process attribution source (eBPF per hook, sock_diag, procfs) and each sandbox "
               "layer can do on this machine, and why not; then exit");
  cli.add_flag("--show-localhost", o.show_localhost,
               "Full-screen view: also list connections between loopback addresses (always shown with -i lo)");
  cli.add_flag("--resolve", o.resolve,
               "Full-screen view: show remote ends by the names seen on the wire (SNI, HTTP host, DNS answers); "
               "wiretop never sends a lookup of its own");
  cli.add_flag("--redact", o.redact,
               "Pseudonymise addresses, host names (SNI, HTTP host, DNS), user names and executable paths in the "
               "view and every output, stable within the run (a random key per run); not with --pcap-export or "
               "--pcapng-export, whose packets cannot be redacted");
  cli.add_option("--replay-speed", o.replay_speed,
                 "With -r: replay at X times the capture's own pace (default: as fast as possible)")
      ->type_name("X")
      ->check(CLI::Range(0.001, 1e6));
  cli.add_flag("--no-sandbox", o.no_sandbox, "Do not contain wiretop after start-up (not recommended; a warning says so)");
  cli.add_flag("--sandbox-strict", o.sandbox_strict,
               "Exit (code 2) unless every sandbox layer applies in full; a forbidden system call kills wiretop");
  cli.add_option("--user", o.user, "After start-up, run as this unprivileged user")->type_name("NAME");
  cli.add_option("--sandbox-layers", o.sandbox_layers, "")->group("");  // tests: one layer at a time
  cli.add_option("--pcap-export", o.pcap_export,
                 "Write every captured packet to PATH (pcap) and one JSON line per connection to "
                 "PATH.connections.jsonl")
      ->type_name("PATH");
  cli.add_option("--pcapng-export", o.pcapng_export,
                 "Write every packet to PATH (pcapng), each with a comment: connection, direction, process, SNI/host")
      ->type_name("PATH");
  cli.add_option("--ipfix", o.ipfix, "Export biflows as IPFIX over UDP to a collector at HOST:PORT")
      ->type_name("HOST:PORT");
  cli.add_option("--ipfix-active-timeout", o.ipfix_active_timeout,
                 "IPFIX: a record for a running flow every SECONDS (default 60)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 86400.0));
  cli.add_option("--ipfix-idle-timeout", o.ipfix_idle_timeout,
                 "IPFIX: a record once a flow is quiet for SECONDS (default 15)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 86400.0));
  cli.add_option("--history", o.history,
                 "Keep per-process and per-host usage totals across runs in a SQLite database at PATH (created "
                 "0600); without PATH: ~/.local/state/wiretop/history.sqlite. Read it with `wiretop history`")
      ->type_name("[PATH]")
      ->expected(0, 1);
  cli.add_option("--metrics", o.metrics,
                 "Serve Prometheus metrics on GET /metrics at ADDR:PORT (numeric, e.g. 127.0.0.1:9464); "
                 "bound before the sandbox, off by default")
      ->type_name("ADDR:PORT");
  HistoryCommand history_command;
  CLI::App* history_cli = cli.add_subcommand("history", "Print the usage totals --history recorded, then exit");
  history_cli->add_option("--since", history_command.since,
                          "Only buckets from the last N minutes, hours, days or weeks (30m, 24h, 7d, 4w; default all)")
      ->type_name("AGE");
  history_cli->add_flag("--json", history_command.json, "One JSON object per process and host (docs/json-schema.md)");
  history_cli->add_option("--history", history_command.path, "The database (default: --history's)")->type_name("PATH");
  cli.add_option("--alerts", o.alerts,
                 "Raise alerts by the rules in this TOML FILE (built-in rules and custom ones, docs/alerts.md; "
                 "an empty file: the built-in rules): JSON log events, --json records, the Alerts tab")
      ->type_name("FILE");
  cli.add_flag("--syslog", o.syslog, "With --alerts: also send each alert to the local syslog daemon (/dev/log)");
  cli.add_option("--syslog-socket", o.syslog_socket, "")->group("");  // tests: a socket of their own
  cli.get_option("--no-sandbox")->excludes(cli.get_option("--sandbox-strict"));
  cli.get_option("-i")->excludes(cli.get_option("-r"));
  cli.get_option("--replay-speed")->needs(cli.get_option("-r"));
  cli.add_option("--config", o.config,
                 "Read settings from this TOML file instead of /etc/wiretop/config.toml and "
                 "~/.config/wiretop/config.toml (keys: the long options; the command line wins)")
      ->type_name("PATH");
  // The files first, so that the command line overrides them.
  const std::string config = config_path_argument(argc, argv);
  for (const std::string& path : config.empty() ? default_config_paths() : std::vector<std::string>{config}) {
    const std::string error = apply_config_file(path, !config.empty(), o);
    if (!error.empty()) return fail(error);
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(std::string(e.what()) + " (see wiretop --help)");
  }

  if (*history_cli) {
    if (history_command.path.empty() && o.history != "default") history_command.path = o.history;
    return run_history_command(history_command);
  }
  if (o.check) return run_machine_check(o);
  // The packets themselves carry the addresses and names: a redacted run cannot write them.
  if (o.redact && (!o.pcap_export.empty() || !o.pcapng_export.empty()))
    return fail(std::string("--redact cannot be combined with ") +
                (o.pcap_export.empty() ? "--pcapng-export" : "--pcap-export") +
                ": raw packets cannot be redacted (use --json, --json-log or --ipfix)");
  if (cli.get_option("--history")->count() > 0 && o.history.empty()) o.history = "default";
  if (o.history == "default") o.history = exporting::HistoryStore::default_path();

  engine::EngineOptions eo;
  eo.read_file = o.read_file;
  eo.bpf_filter = o.bpf_filter;
  eo.duration_seconds = o.duration;
  eo.max_flows = o.max_flows ? o.max_flows : default_max_flows(read_mem_available());
  eo.track_rates = !o.json;  // rates are for the views: 36 bytes a flow saved
  eo.replay_speed = o.replay_speed;
  eo.inspect.enabled = !o.no_dpi;
  eo.inspect.packets_per_direction = o.dpi_packets;
  eo.threads = o.threads ? o.threads : default_threads();
  eo.attribution = !o.no_attribution;
  eo.helper.ebpf = !o.no_ebpf;
  eo.redact = o.redact;
  if (o.read_file.empty()) eo.interface = o.interface;
  if (o.syslog && o.alerts.empty()) return fail("--syslog needs --alerts FILE (the rules whose alerts it sends)");
  if (!o.alerts.empty()) {
    auto rules = load_alert_rules(o.alerts);
    if (!rules) return fail(rules.error());
    eo.alerts = std::move(*rules);
  }

  const auto names = exporting::ServiceNames::load();
  auto enricher = load_enricher(o);
  if (!enricher) return fail(enricher.error());
  auto opened = engine::Engine::open(eo, names);
  if (!opened) return fail(opened.error());
  std::shared_ptr<exporting::HistoryStore> history;
  if (!o.history.empty()) {
    auto store = exporting::HistoryStore::open(o.history);
    if (!store) return fail(store.error());
    history = std::move(*store);
  }
  // --metrics: the listener is bound now; its thread starts once the sandbox is on.
  std::shared_ptr<exporting::Metrics> metrics;
  std::unique_ptr<exporting::MetricsServer> metrics_server;
  if (!o.metrics.empty()) {
    metrics = std::make_shared<exporting::Metrics>(names);
    auto server = exporting::MetricsServer::listen(o.metrics, [m = metrics.get()] { return m->render(); });
    if (!server) return fail(server.error());
    metrics_server = std::move(*server);
  }
  std::unique_ptr<exporting::Outputs> outputs;
  if (!o.pcap_export.empty() || !o.pcapng_export.empty() || !o.ipfix.empty() || history || metrics) {
    exporting::OutputOptions out = output_options(o, **opened);
    out.history = history;
    out.metrics = metrics;
    auto created = exporting::Outputs::open(out, names, *enricher);
    if (!created) return fail(created.error());
    outputs = std::move(*created);
    (*opened)->attach_outputs(outputs.get());
  }
  if (!(*opened)->notice().empty()) std::fprintf(stderr, "wiretop: %s\n", (*opened)->notice().c_str());
  std::optional<exporting::JsonLog> json_log;
  if (!o.json_log.empty()) {
    auto log = exporting::JsonLog::open(o.json_log, static_cast<std::uint64_t>(o.json_log_max_mb * 1048576.0));
    if (!log) return fail(log.error());
    json_log.emplace(std::move(*log));
    (*opened)->set_event_sink([&](std::string_view event, const model::ConnectionRow& r) {
      model::ConnectionRow row = r;
      enricher->apply(row);
      json_log->write(event, row, names);
    });
  }
  // The syslog socket is connected now: after the sandbox only send() on it works.
  std::optional<exporting::SyslogSink> syslog;
  if (o.syslog) {
    auto opened_log = exporting::SyslogSink::open(o.syslog_socket.empty() ? exporting::SyslogSink::kDefaultPath
                                                                          : o.syslog_socket);
    if (!opened_log) return fail(opened_log.error());
    syslog.emplace(std::move(*opened_log));
  }
  AlertOutputs alert_outputs;
  alert_outputs.json_log = json_log ? &*json_log : nullptr;
  alert_outputs.syslog = syslog ? &*syslog : nullptr;
  if ((*opened)->alerts_enabled())
    (*opened)->set_alert_sink([&alert_outputs](const model::Alert& a) { alert_outputs.send(a); });
  engine::ContainOptions containment;
  containment.no_sandbox = o.no_sandbox;
  containment.strict = o.sandbox_strict;
  containment.user = o.user;
  containment.layers = o.sandbox_layers;
  containment.json_log = o.json_log;
  containment.pcap_export = o.pcap_export;
  containment.pcapng_export = o.pcapng_export;
  containment.history = o.history;
  const engine::Contained contained = engine::contain(containment);
  if (!contained.error.empty()) return fail(contained.error);
  if (metrics) {
    std::vector<std::pair<std::string, std::string>> layers;
    for (const sandbox::LayerReport& l : contained.report.layers) layers.emplace_back(l.name, sandbox::state_name(l.state));
    metrics->set_sandbox(layers);
    metrics_server->start();
  }
  const std::string source_key = o.read_file.empty() ? "interface" : "file";
  const std::string source = o.read_file.empty() ? (*opened)->interface() : o.read_file;
  install_signal_handlers();
  engine::Engine& engine = **opened;
  // The log's write errors are counted, not fatal: they are reported once at exit.
  const auto finish = [&](int code) {
    if (json_log && json_log->failures() > 0)
      std::fprintf(stderr, "wiretop: warning: --json-log: %llu events not written (%s)\n",
                   static_cast<unsigned long long>(json_log->failures()), json_log->last_error().c_str());
    if (outputs && outputs->history_failures() > 0)
      std::fprintf(stderr, "wiretop: warning: --history: %llu writes failed (%s)\n",
                   static_cast<unsigned long long>(outputs->history_failures()), history->last_error().c_str());
    if (syslog && syslog->failures() > 0)
      std::fprintf(stderr, "wiretop: warning: --syslog: %llu alerts not sent (%s)\n",
                   static_cast<unsigned long long>(syslog->failures()), syslog->last_error().c_str());
    return code;
  };
  if (o.json)
    return finish(run_json(engine, names, *enricher, source_key, source, contained.report,
                           o.hold && metrics_server && !engine.live(), alert_outputs));
  // The full-screen view needs a terminal; piped output keeps the plain table.
  const bool tty = isatty(STDOUT_FILENO) != 0 && isatty(STDIN_FILENO) != 0;
  if (tty && (engine.live() || o.hold)) {
    TuiViewOptions view;
    view.source = source;
    view.keep_closed = o.keep_closed;
    view.refresh_ms = o.refresh_ms;
    view.color = !o.no_color;
    view.hold = o.hold;
    view.show_localhost = o.show_localhost || source == "lo";
    view.resolve = o.resolve;
    view.alerts = engine.alerts_enabled() ? &alert_outputs : nullptr;
    view.services = &names;
    view.enricher = &*enricher;
    view.history = history.get();
    view.sandbox = contained.report.summary();
    for (const sandbox::LayerReport& l : contained.report.layers)
      if (l.name != "user" || l.state != sandbox::LayerState::kOff)
        view.sandbox_layers.push_back(l.name + ": " + sandbox::state_name(l.state) + " - " + l.detail);
    return finish(run_tui_view(engine, view, g_stop));
  }
  return finish(run_plain(engine, source, o.keep_closed, alert_outputs));
}

}  // namespace wiretop::app
