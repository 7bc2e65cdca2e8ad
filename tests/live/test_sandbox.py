"""The sandbox proved from inside: wiretop_selftest (wiretop with probes compiled in, test builds
only) captures live on a veth in a network namespace and, right after applying its sandbox, tries
what an attacker would; its stderr lines say what each attempt got. Run once per layer alone
(--sandbox-layers) and once with every layer:
- Landlock: /etc/shadow, ~/.ssh, creating a file outside the outputs, TCP connect() and bind() on
  sockets made before the sandbox, and execve all fail with EACCES; the output file stays writable.
- capabilities: CapEff = CapPrm = 0 and socket(AF_PACKET) fails.
- no_new_privs: NoNewPrivs = 1.
- seccomp: Seccomp = 2; socket() of any family, connect, bind and execve fail with EPERM.
- all layers: every attempt above fails, and packets sent after the sandbox was applied still appear
  in the JSON output (capture keeps working). Again with --history (issue 10): still every layer,
  and the database, written from inside the sandbox, records those packets; and with --metrics:
  still every layer, the listener bound before the sandbox answers a scrape (curl) from inside it,
  and it is the process's only listening socket; and with --alerts --syslog --json-log: still every
  layer, and the alert a custom rule raises on the packets sent after the sandbox reaches --json, the
  JSON log and the syslog socket connected before it. Again with --redact: every layer, and the records after
  the sandbox carry neither namespace's address.
Then `--sandbox-strict` with a Landlock ABI of 3 (a test override of the detected ABI) exits 2 with a
clear message, and `--user nobody` runs as nobody (an unknown user is exit 2). Skips (exit 77) without root, namespaces or the selftest binary.
"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from common import SKIP, Failures, parse_json_lines  # noqa: E402
from netns import NetnsPair, Unavailable  # noqa: E402

F = Failures()
# A cap only: each run is stopped with SIGINT once its UDP has been sent and had time to be read, so a
# slow start (sanitizer build, busy CI machine) cannot end the capture before the packets arrive.
DURATION = 30


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def selftest_lines(err):
    out = {}
    for line in err.splitlines():
        if line.startswith('{"kind":"selftest"'):
            d = json.loads(line)
            out[d["probe"]] = d
    return out


def run_layers(pair, binary, tmp, layers, extra=(), label=None, during=None):
    """Runs the selftest binary in namespace A with `layers` (and `extra` options, runs named
    `label`); sends UDP after the probes, then calls `during(proc)` while it still runs."""
    label = label or layers
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, ".ssh"), exist_ok=True)
    output = os.path.join(tmp, "output.log")
    open(output, "a").close()
    forbidden = os.path.join(tmp, f"forbidden-{label.replace(',', '-')}")
    # A listener in A for the connect probe (made before wiretop starts).
    listener = pair.a.popen([sys.executable, "-c",
                             "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', 47001)); "
                             "s.listen(); time.sleep(30)"])
    time.sleep(0.3)
    env = dict(os.environ, HOME=home, WIRETOP_SELFTEST_PORT="47001", WIRETOP_SELFTEST_OUTPUT=output,
               WIRETOP_SELFTEST_FORBIDDEN=forbidden)
    args = [binary, "-i", pair.a.ifname, "--json", "--duration", str(DURATION), *extra]
    if layers != "all":
        args += ["--sandbox-layers", layers]
    err_path = os.path.join(tmp, f"err-{label}")
    with open(err_path, "w") as err_file:
        proc = pair.a.popen(args, stdout=subprocess.PIPE, stderr=err_file, text=True, env=env)
        deadline = time.monotonic() + 20
        # Layers without Landlock or seccomp let the execve probe through: the process becomes
        # /bin/true and exits, so stop waiting then too.
        while (time.monotonic() < deadline and proc.poll() is None
               and '"probe":"done"' not in open(err_path).read()):
            time.sleep(0.05)
        # Traffic after the sandbox: UDP from B to A's address.
        sent_port = None
        # From ports above 47999: with neither a service port, the tracker takes the higher port for
        # the client (a random ephemeral port below 47999 made A the "client" about half the time).
        for attempt in range(3):
            code = (f"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                    f"s.bind(('{pair.b.ipv4}', {58000 + attempt})); "
                    f"s.sendto(b'x' * 64, ('{pair.a.ipv4}', 47999)); "
                    f"print(s.getsockname()[1])")
            r = pair.b.run([sys.executable, "-c", code])
            if r.returncode == 0:
                sent_port = int(r.stdout)
        time.sleep(1.5)
        if during and proc.poll() is None:
            during(proc)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=DURATION + 10)
    listener.kill()
    err = open(err_path).read()
    return {"code": proc.returncode, "out": out, "err": err, "probes": selftest_lines(err),
            "sent_port": sent_port, "forbidden": forbidden}


def expect(run, layers, probe, allowed, errno=None):
    p = run["probes"].get(probe)
    if p is None:
        F.check(False, f"[{layers}] no {probe} probe line; stderr: {run['err'][-800:]}")
        return
    F.check(p["allowed"] == allowed and (errno is None or p["errno"] == errno),
            f"[{layers}] {probe}: got {p}, expected allowed={allowed}" + (f" errno={errno}" if errno else ""))


def status(run):
    return run["probes"].get("status", {})


def check_landlock(run):
    layer = "landlock"
    for probe in ("read_shadow", "read_ssh", "write_elsewhere", "tcp_connect", "tcp_bind", "execve"):
        expect(run, layer, probe, False, "EACCES")
    expect(run, layer, "write_output", True)
    F.check(not os.path.exists(run["forbidden"]), f"[{layer}] the forbidden file was created")


def check_caps(run):
    s = status(run)
    F.check(s.get("CapEff") == "0000000000000000" and s.get("CapPrm") == "0000000000000000",
            f"[caps] capabilities left: {s}")
    expect(run, "caps", "socket_packet", False, "EPERM")


def check_nnp(run):
    F.check(status(run).get("NoNewPrivs") == "1", f"[nnp] {status(run)}")


def check_seccomp(run):
    F.check(status(run).get("Seccomp") == "2", f"[seccomp] {status(run)}")
    for probe in ("socket_packet", "socket_inet", "tcp_connect", "tcp_bind", "execve"):
        expect(run, "seccomp", probe, False, "EPERM")


def check_all(run, label="all"):
    for probe in ("read_shadow", "read_ssh", "write_elsewhere", "tcp_connect", "tcp_bind", "socket_packet",
                  "socket_inet", "execve"):
        expect(run, label, probe, False)
    expect(run, label, "write_output", True)
    s = status(run)
    F.check(s.get("CapEff") == "0000000000000000" and s.get("CapPrm") == "0000000000000000"
            and s.get("NoNewPrivs") == "1" and s.get("Seccomp") == "2", f"[{label}] /proc/self/status: {s}")
    records = parse_json_lines(run["out"].splitlines())
    seen = [r for r in records if r.get("proto") == "udp" and r.get("server_port") == 47999]
    F.check(seen, f"[{label}] the UDP packets sent after the sandbox are not in the output "
                  f"({len(records)} records); stderr: {run['err'][-500:]}")
    summary = json.loads(run["err"].strip().splitlines()[-1])
    F.check(all(summary["sandbox"][k]["state"] == "applied"
                for k in ("landlock", "capabilities", "no_new_privs", "seccomp")),
            f"[{label}] summary sandbox: {summary.get('sandbox')}")


def check_history(pair, binary, tmp):
    """--history: every layer still applies, and its directory is the only writable path added;
    the UDP sent after the sandbox is in the database, written from inside it."""
    db = os.path.join(tmp, "state", "history.sqlite")
    run = run_layers(pair, binary, tmp, "all", ["--history", db], "all-history")
    F.check(run["code"] == 0, f"[history] exit {run['code']}: {run['err'][-500:]}")
    check_all(run, "all-history")
    F.check("--history" not in run["err"], f"[history] a write failed: {run['err'][-500:]}")
    con = sqlite3.connect(db)
    hosts = [h for (h,) in con.execute("SELECT name FROM usage WHERE kind = 'host'")]
    con.close()
    F.check(pair.b.ipv4 in hosts, f"[history] {pair.b.ipv4} recorded after the sandbox: {hosts}")


def check_metrics(pair, binary, tmp):
    """--metrics: every layer still applies (no socket, bind or connect: the selftest's probes);
    the listener bound before the sandbox is served from inside it, and is wiretop's only one."""
    port = 47100
    scraped = {}

    def scrape(proc):
        r = pair.a.run(["curl", "-s", "--max-time", "5", f"http://127.0.0.1:{port}/metrics"])
        scraped["text"] = r.stdout
        r = pair.a.run(["ss", "-Htlnp"])
        scraped["ports"] = sorted({line.split()[3] for line in r.stdout.splitlines() if f"pid={proc.pid}," in line})

    run = run_layers(pair, binary, tmp, "all", ["--metrics", f"127.0.0.1:{port}"], "all-metrics", scrape)
    F.check(run["code"] == 0, f"[metrics] exit {run['code']}: {run['err'][-500:]}")
    check_all(run, "all-metrics")
    text = scraped.get("text", "")
    for layer in ("landlock", "capabilities", "no_new_privs", "seccomp"):
        F.check(f'wiretop_sandbox_layer{{layer="{layer}",state="applied"}} 1' in text,
                f"[metrics] scrape shows {layer} applied: {text[-300:]!r}")
    F.check(scraped.get("ports") == [f"127.0.0.1:{port}"], f"[metrics] listening: {scraped.get('ports')}")


def check_alerts(pair, binary, tmp):
    """--alerts with --syslog and --json-log: every layer still applies, and the alert a custom rule
    raises on the UDP sent after the sandbox reaches --json, the JSON log and the syslog socket
    (connected before the sandbox; only send() on it afterwards)."""
    rules = os.path.join(tmp, "alerts.toml")
    with open(rules, "w") as f:
        f.write('[[rule]]\nid = "late_udp"\nremote_port = 47999\n')
    log_socket = os.path.join(tmp, "syslog.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(log_socket)
    server.settimeout(0.2)
    events = os.path.join(tmp, "alert-events.jsonl")
    run = run_layers(pair, binary, tmp, "all", ["--alerts", rules, "--syslog", "--syslog-socket", log_socket,
                                                "--json-log", events], "all-alerts")
    lines = []
    try:
        while True:
            lines.append(server.recv(4096).decode())
    except socket.timeout:
        pass
    server.close()
    F.check(run["code"] == 0, f"[alerts] exit {run['code']}: {run['err'][-500:]}")
    summary = json.loads(run["err"].strip().splitlines()[-1])
    F.check(all(summary["sandbox"][k]["state"] == "applied"
                for k in ("landlock", "capabilities", "no_new_privs", "seccomp")),
            f"[alerts] summary sandbox: {summary.get('sandbox')}")
    records = parse_json_lines(run["out"].splitlines())
    # Each UDP send comes from a port of its own: one connection, and one alert, each.
    udp_ids = {r["id"] for r in records if r.get("kind") == "connection" and r.get("server_port") == 47999}
    late = [r for r in records if r.get("kind") == "alert" and r["rule"] == "late_udp"]
    F.check(late and sorted(a["id"] for a in late) == sorted(udp_ids),
            f"[alerts] one --json alert per UDP connection {udp_ids}: {late}")
    F.check(summary.get("alerts", {}).get("late_udp") == len(late), f"[alerts] summary alerts: {summary.get('alerts')}")
    F.check(sum("rule=late_udp" in line for line in lines) == len(late), f"[alerts] syslog lines: {lines}")
    F.check("--syslog" not in run["err"], f"[alerts] a syslog send failed: {run['err'][-500:]}")
    logged = [json.loads(line) for line in open(events)] if os.path.exists(events) else []
    F.check([e["rule"] for e in logged if e.get("event") == "alert"].count("late_udp") == len(late),
            f"[alerts] JSON log alert events: {[e for e in logged if e.get('event') == 'alert']}")


def check_redact(pair, binary, tmp):
    """--redact: every layer still applies (the key is drawn before the sandbox) and the records of
    the packets sent after it name neither end."""
    run = run_layers(pair, binary, tmp, "all", ["--redact"], "all-redact")
    F.check(run["code"] == 0, f"[redact] exit {run['code']}: {run['err'][-500:]}")
    check_all(run)
    for addr in (pair.a.ipv4, pair.b.ipv4):
        F.check(f'"{addr}"' not in run["out"], f"[redact] {addr} in the redacted output")


def check_strict(binary, pcap):
    env = dict(os.environ, WIRETOP_SELFTEST_LANDLOCK_ABI="3")
    proc = subprocess.run([binary, "-r", pcap, "--json", "--sandbox-strict"], capture_output=True, text=True,
                          env=env, timeout=30)
    F.check(proc.returncode == 2, f"--sandbox-strict with Landlock ABI 3: exit {proc.returncode}")
    F.check("--sandbox-strict" in proc.stderr and "landlock" in proc.stderr and not proc.stdout,
            f"--sandbox-strict message: {proc.stderr.strip()!r}")
    proc = subprocess.run([binary, "-r", pcap, "--json"], capture_output=True, text=True, env=env, timeout=30)
    F.check(proc.returncode == 0, f"without --sandbox-strict, ABI 3 is a partial sandbox and runs: exit {proc.returncode}")


def check_user(binary, pcap):
    """--user switches to an unprivileged user after start-up; an unknown user is exit 2."""
    proc = subprocess.run([binary, "-r", pcap, "--json", "--user", "nobody"], capture_output=True, text=True,
                          timeout=30)
    summary = json.loads(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else {}
    user = summary.get("sandbox", {}).get("user", {})
    F.check(proc.returncode == 0 and user.get("state") == "applied" and "nobody" in user.get("detail", ""),
            f"--user nobody: exit {proc.returncode}, sandbox.user {user}")
    proc = subprocess.run([binary, "-r", pcap, "--json", "--user", "no-such-user-here"], capture_output=True,
                          text=True, timeout=30)
    F.check(proc.returncode == 2 and "no-such-user-here" in proc.stderr and not proc.stdout,
            f"--user unknown: exit {proc.returncode}: {proc.stderr.strip()!r}")


def main():
    binary = os.environ.get("WIRETOP_SELFTEST")
    if not binary or not os.access(binary, os.X_OK):
        skip("WIRETOP_SELFTEST (the selftest binary) is not set")
    if os.geteuid() != 0:
        skip("not root: the test captures on a veth in network namespaces")
    checks = {"landlock": check_landlock, "caps": check_caps, "nnp": check_nnp, "seccomp": check_seccomp,
              "all": check_all}
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        try:
            with NetnsPair(ipv6=False) as pair:
                for layers, check in checks.items():
                    run = run_layers(pair, binary, tmp, layers)
                    F.check(run["code"] == 0, f"[{layers}] exit {run['code']}: {run['err'][-500:]}")
                    check(run)
                check_history(pair, binary, tmp)
                check_alerts(pair, binary, tmp)
                if shutil.which("curl") and shutil.which("ss"):
                    check_metrics(pair, binary, tmp)
                else:
                    print("note: curl or ss missing: the --metrics run is left out")
                check_redact(pair, binary, tmp)
        except Unavailable as e:
            skip(str(e))
        pcap = os.path.join(tmp, "one.pcap")
        make_pcap(pcap)
        check_strict(binary, pcap)
        check_user(binary, pcap)
    F.finish("sandbox")


def make_pcap(path):
    """A one-packet capture (UDP on loopback-style raw IPv4) for the strict run."""
    import struct
    ip = bytes.fromhex("4500001c00004000401100000a0000010a000002") + struct.pack("!HHHH", 1000, 2000, 8, 0)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
        f.write(struct.pack("<IIII", 1, 0, len(ip), len(ip)) + ip)


if __name__ == "__main__":
    main()
