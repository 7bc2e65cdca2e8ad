#!/usr/bin/env python3
"""--metrics ADDR:PORT (issue 10): a Prometheus scrape with curl equals the --json totals.

wiretop -r on shared captures (two shard threads) with --json --hold --metrics 127.0.0.1:PORT
serves its final counters until SIGINT: per process and per protocol, bytes and packets in/out
and connections equal the sums of the --json records (offline the client is the local end), the
drop and eviction counters equal the summary's (--max-flows 2 forces evictions), and the sandbox
gauges say every layer is applied, as the summary does. Only GET /metrics is served (404 for
another path, 400 for another method or a malformed request); wiretop's only listening socket is
the metrics port; a busy or malformed --metrics address is exit 2 with one line.
Skips (77) without curl.
"""
import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from common import SKIP, Failures, parse_json_lines, summary_of, wiretop_bin  # noqa: E402

F = Failures()
SAMPLE = re.compile(r'^([a-z_]+)(?:\{(.*)\})? ([0-9.e+]+)$')


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def parse_metrics(text):
    """{(name, frozenset(labels)): value} from the text exposition format."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        F.check(m is not None, f"metrics line parses: {line!r}")
        if m:
            labels = frozenset(re.findall(r'([a-z_]+)="([^"]*)"', m.group(2) or ""))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def curl(url, *extra):
    r = subprocess.run(["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "5", *extra, url],
                       capture_output=True, text=True, timeout=10)
    body, _, code = r.stdout.rpartition("\n")
    return int(code or 0), body


def expected(records):
    """What the counters must say, from the --json records."""
    want = collections.Counter()
    for r in records:
        proc = r.get("process", {}).get("name", "(unknown)")
        for label in (("process", proc), ("proto", r["proto"])):
            kind = "process" if label[0] == "process" else "protocol"
            want[(f"wiretop_{kind}_bytes_total", frozenset({label, ("direction", "out")}))] += r["bytes_c2s"]
            want[(f"wiretop_{kind}_bytes_total", frozenset({label, ("direction", "in")}))] += r["bytes_s2c"]
            want[(f"wiretop_{kind}_packets_total", frozenset({label, ("direction", "out")}))] += r["packets_c2s"]
            want[(f"wiretop_{kind}_packets_total", frozenset({label, ("direction", "in")}))] += r["packets_s2c"]
            want[(f"wiretop_{kind}_connections_total", frozenset({label}))] += 1
    return want


def listening_ports(pid):
    """TCP ports the process listens on, from ss."""
    r = subprocess.run(["ss", "-Htlnp"], capture_output=True, text=True)
    return sorted({int(line.split()[3].rsplit(":", 1)[1]) for line in r.stdout.splitlines() if f"pid={pid}," in line})


def run_held(pcap, port, tmp, extra=()):
    err_path = os.path.join(tmp, "err")
    err_file = open(err_path, "w")
    proc = subprocess.Popen([wiretop_bin(), "-r", pcap, "--json", "--threads", "2", "--hold",
                             "--metrics", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.PIPE, stderr=err_file, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and '"kind":"summary"' not in open(err_path).read():
        F.check(proc.poll() is None, f"wiretop ended before SIGINT: {open(err_path).read()[-400:]}")
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    return proc, err_path, err_file


def check_capture(pcap, tmp, extra=()):
    name = os.path.basename(pcap) + " ".join(extra)
    port = free_port()
    proc, err_path, err_file = run_held(pcap, port, tmp, extra)
    try:
        code, text = curl(f"http://127.0.0.1:{port}/metrics")
        F.check(code == 200, f"{name}: GET /metrics -> {code}")
        got = parse_metrics(text)
        F.check(listening_ports(proc.pid) == [port], f"{name}: wiretop listens only on {port}: "
                                                     f"{listening_ports(proc.pid)}")
        if not extra:
            check_http(port)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
        err_file.close()
    err = open(err_path).read()
    F.check(proc.returncode == 0, f"{name}: exit {proc.returncode} after SIGINT: {err[-300:]}")
    records = parse_json_lines(out.splitlines())
    summary = summary_of(err)
    want = expected(records)
    counted = {k: v for k, v in got.items() if k[0].startswith(("wiretop_process_", "wiretop_protocol_"))}
    F.check(counted == {k: float(v) for k, v in want.items()},
            f"{name}: counters == --json sums; differ: "
            f"{sorted(set(counted.items()) ^ {(k, float(v)) for k, v in want.items()})[:6]}")
    for metric, key in (("wiretop_capture_drops_total", "capture_drops"), ("wiretop_ring_drops_total", "ring_drops"),
                        ("wiretop_evictions_total", "evictions")):
        F.check(got.get((metric, frozenset())) == summary[key], f"{name}: {metric} {got.get((metric, frozenset()))} "
                                                                  f"== summary {key} {summary[key]}")
    for layer, state in summary["sandbox"].items():
        F.check(state["state"] == "applied", f"{name}: summary sandbox {layer} applied with --metrics")
        F.check(got.get(("wiretop_sandbox_layer", frozenset({("layer", layer), ("state", "applied")}))) == 1,
                f"{name}: wiretop_sandbox_layer{{layer={layer},state=applied}} 1")
    return summary


def check_http(port):
    F.check(curl(f"http://127.0.0.1:{port}/")[0] == 404, "GET / -> 404")
    F.check(curl(f"http://127.0.0.1:{port}/metrics", "-X", "POST")[0] == 400, "POST /metrics -> 400")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"garbage\r\n\r\n")
        F.check(s.recv(64).startswith(b"HTTP/1.0 400"), "a malformed request -> 400")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.settimeout(5)
        F.check(s.recv(64) == b"", "a client that never sends is closed after the request deadline")
    F.check(curl(f"http://127.0.0.1:{port}/metrics")[0] == 200, "still serving after bad clients")


def check_errors(pcap):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    for addr, why in ((f"127.0.0.1:{port}", "in use"), ("localhost:1", "numeric"), ("9464", "ADDR:PORT")):
        r = subprocess.run([wiretop_bin(), "-r", pcap, "--json", "--metrics", addr], capture_output=True, text=True,
                           timeout=30)
        F.check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and why in r.stderr
                and not r.stdout, f"--metrics {addr}: exit {r.returncode}, {r.stderr.strip()!r}")
    busy.close()


def main():
    if not shutil.which("curl") or not shutil.which("ss"):
        print("SKIP: curl or ss (iproute2) missing")
        return SKIP
    pcaps = os.path.join(os.environ.get("WIRETOP_SHARED", ""), "pcaps", "ndpi")
    whatsapp = os.path.join(pcaps, "whatsapp_login_chat.pcap")
    torrent = os.path.join(pcaps, "bittorrent.pcap")
    if not os.path.exists(whatsapp) or not os.path.exists(torrent):
        print(f"SKIP: shared captures missing under {pcaps}")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        check_capture(whatsapp, tmp)
        summary = check_capture(torrent, tmp, ("--max-flows", "2"))
        F.check(summary["evictions"] > 0, f"--max-flows 2 evicts: {summary['evictions']}")
        check_errors(whatsapp)
    F.finish("metrics")


if __name__ == "__main__":
    sys.exit(main())
