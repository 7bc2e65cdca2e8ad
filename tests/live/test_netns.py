"""wiretop -i on a veth inside a network namespace, checked against tcpdump + tshark on the same veth.

Namespace A (client) and B (server, python3 -m http.server on its IPv4 and IPv6 address) are joined
by a veth pair. In A, `wiretop -i vethA --json --duration D` and `tcpdump -i vethA -w FILE` capture
while A runs curl twice over IPv4 and once over IPv6, `ping -c 5` and `ping -6 -c 3` to B.
Checks: exit 0; every stdout line is a JSON connection record; the summary closes stderr with no
drops; per unordered TCP/UDP 5-tuple wiretop's packets and frame bytes equal tshark's on tcpdump's
file; each curl connection is one TCP record (client = A at curl's own port, server = B:port,
CLOSED, rtt_ms > 0); each ping is exactly one echo record with 5 + 5 (IPv4) and 3 + 3 (IPv6)
packets whose frame bytes equal tshark's; client_local/server_local are true exactly for A's
addresses (wiretop in A sees only A's interfaces); timestamps fall within the run.

Skips (exit 77) when not root, when namespaces cannot be made, or tcpdump/tshark/curl are missing.
"""
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import netns  # noqa: E402
from common import SKIP, Failures, parse_json_lines, summary_of, wiretop_bin  # noqa: E402
from tshark_oracle import compare, tshark_flows, wiretop_flows  # noqa: E402

HTTP_PORT = 8080
DURATION = 8          # seconds wiretop captures; the traffic below takes about 3
PAGE_BYTES = 48_000   # several full-size segments per response
F = Failures()


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def preconditions():
    if os.geteuid() != 0:
        skip("not root: the test builds network namespaces and captures on a veth")
    for tool in ("ip", "tcpdump", "tshark", "curl", "ping"):
        if shutil.which(tool) is None:
            skip(f"{tool} is not installed")


def start_servers(pair, docroot):
    servers = []
    for addr in (pair.b.ipv4, pair.b.ipv6):
        proc = pair.b.popen([sys.executable, "-m", "http.server", str(HTTP_PORT), "--bind", addr,
                             "--directory", docroot],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(proc)
    for proc in servers:
        if not netns.wait_for_listen(proc, HTTP_PORT, timeout=5):
            raise RuntimeError(f"http.server did not listen on port {HTTP_PORT}")
    return servers


def start_captures(pair, tmp, wiretop):
    """Starts wiretop and tcpdump on vethA in A and waits until both capture."""
    files = {name: open(os.path.join(tmp, name), "w+") for name in
             ("wiretop.out", "wiretop.err", "tcpdump.err")}
    pcap = os.path.join(tmp, "vethA.pcap")
    wt = pair.a.popen([wiretop, "-i", pair.a.ifname, "--json", "--duration", str(DURATION)],
                      stdout=files["wiretop.out"], stderr=files["wiretop.err"])
    td = pair.a.popen(["tcpdump", "-i", pair.a.ifname, "-n", "-U", "-Z", "root", "-w", pcap],
                      stdout=subprocess.DEVNULL, stderr=files["tcpdump.err"])
    if not netns.wait_for_text(files["tcpdump.err"].name, "listening on", timeout=5, proc=td):
        raise RuntimeError(f"tcpdump did not start: {read(files['tcpdump.err'].name)}")
    if not netns.wait_for_packet_socket(wt, timeout=5):
        raise RuntimeError(f"wiretop did not open a capture (exit {wt.poll()}): "
                           f"{read(files['wiretop.err'].name)}")
    # The packet socket exists a moment before libpcap has mapped its ring and set its filter.
    time.sleep(0.3)
    return wt, td, pcap, files


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def make_traffic(pair):
    """Returns the client ports curl used, per family."""
    ports = {"ipv4": [], "ipv6": []}
    urls = [("ipv4", f"http://{pair.b.ipv4}:{HTTP_PORT}/page.bin")] * 2 + \
           [("ipv6", f"http://[{pair.b.ipv6}]:{HTTP_PORT}/page.bin")]
    for family, url in urls:
        proc = pair.a.run(["curl", "-g", "-s", "-o", "/dev/null", "--max-time", "5",
                           "-w", "%{local_port} %{http_code} %{size_download}", url])
        F.check(proc.returncode == 0, f"curl {url} failed (exit {proc.returncode}): {proc.stderr}")
        if proc.returncode == 0:
            port, code, size = proc.stdout.split()
            F.check(code == "200" and int(size) == PAGE_BYTES,
                    f"curl {url}: HTTP {code}, {size} bytes")
            ports[family].append(int(port))
    for family, count, dst in (("ipv4", 5, pair.b.ipv4), ("ipv6", 3, pair.b.ipv6)):
        proc = pair.a.run(["ping", "-4" if family == "ipv4" else "-6", "-c", str(count),
                           "-i", "0.2", "-W", "2", dst])
        F.check(proc.returncode == 0, f"ping {dst} lost replies:\n{proc.stdout}")
    return ports


def run_scenario(wiretop, tmp):
    docroot = os.path.join(tmp, "www")
    os.mkdir(docroot)
    with open(os.path.join(docroot, "page.bin"), "wb") as f:
        f.write(os.urandom(PAGE_BYTES))
    try:
        with netns.NetnsPair() as pair:
            return capture_traffic(pair, wiretop, tmp, docroot)
    except netns.Unavailable as e:
        skip(str(e))


def capture_traffic(pair, wiretop, tmp, docroot):
    start_servers(pair, docroot)
    started = datetime.datetime.now(datetime.timezone.utc)
    wt, td, pcap, files = start_captures(pair, tmp, wiretop)
    ports = make_traffic(pair)
    time.sleep(0.5)  # last replies and FIN/ACKs reach both captures
    netns.stop_process(td, signal.SIGINT, timeout=5)
    try:
        code = wt.wait(timeout=DURATION + 10)
    except subprocess.TimeoutExpired:
        F.check(False, f"wiretop still running {DURATION + 10} s after start with "
                       f"--duration {DURATION}; sent SIGINT")
        code = netns.stop_process(wt, signal.SIGINT, timeout=5)
    ended = datetime.datetime.now(datetime.timezone.utc)
    for f in files.values():
        f.close()
    return {"code": code, "out": read(files["wiretop.out"].name),
            "err": read(files["wiretop.err"].name), "pcap": pcap, "ports": ports,
            "window": (started, ended), "a": pair.a, "b": pair.b}


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def check_output(run):
    F.check(run["code"] == 0, f"wiretop exit {run['code']}; stderr: {run['err'].strip()[:500]}")
    try:
        records = parse_json_lines(run["out"].splitlines())
    except AssertionError as e:
        F.check(False, str(e))
        return []
    for r in records:
        F.check(r.get("kind") == "connection", f"record kind {r.get('kind')!r}: {r}")
    try:
        summary = summary_of(run["err"])
        for key in ("capture_drops", "ring_drops", "evictions"):
            F.check(summary.get(key) == 0, f"summary {key} = {summary.get(key)}: {summary}")
    except (ValueError, IndexError, AssertionError) as e:
        F.check(False, f"no summary on stderr ({e}): {run['err'][-500:]}")
    for r in records:
        # Documented for live capture: wiretop in A knows A's addresses, and only those.
        F.check(isinstance(r.get("client_local"), bool) and isinstance(r.get("server_local"), bool),
                f"live record without boolean client_local/server_local: {r}")
        for side in ("client", "server"):
            ip = r.get(f"{side}_ip")
            if ip in (run["a"].ipv4, run["a"].ipv6, run["b"].ipv4, run["b"].ipv6):
                want = ip in (run["a"].ipv4, run["a"].ipv6)
                F.check(r.get(f"{side}_local") is want,
                        f"{side}_local {r.get(side + '_local')} for {ip}, want {want}: {r}")
    started, ended = run["window"]
    slack = datetime.timedelta(seconds=5)
    for r in records:
        try:
            first, last = parse_time(r["first_seen"]), parse_time(r["last_seen"])
        except (KeyError, ValueError) as e:
            F.check(False, f"bad first_seen/last_seen ({e}): {r}")
            continue
        F.check(started - slack <= first <= last <= ended + slack,
                f"first_seen/last_seen {r['first_seen']} .. {r['last_seen']} outside the run "
                f"{started.isoformat()} .. {ended.isoformat()}")
    return records


def check_against_tshark(run, records):
    oracle = tshark_flows(run["pcap"])
    F.check(len(oracle) >= 3, f"tcpdump's file has only {len(oracle)} TCP/UDP flows: {oracle}")
    for d in compare(oracle, wiretop_flows(records)):
        F.check(False, f"vs tshark: {d}")


def check_http(run, records):
    for family in ("ipv4", "ipv6"):
        client, server = getattr(run["a"], family), getattr(run["b"], family)
        http = [r for r in records if r.get("proto") == "tcp" and r.get("server_ip") == server
                and r.get("server_port") == HTTP_PORT]
        ports = run["ports"][family]
        F.check(len(http) == len(ports),
                f"{family}: {len(http)} TCP records to {server}:{HTTP_PORT}, want {len(ports)} "
                f"(curl client ports {ports}): {http}")
        F.check(sorted(r.get("client_port") for r in http) == sorted(ports),
                f"{family}: client ports {[r.get('client_port') for r in http]}, curl used {ports}")
        for r in http:
            F.check(r.get("client_ip") == client, f"{family}: client_ip {r.get('client_ip')}, "
                                                  f"want {client}: {r}")
            F.check(r.get("state") == "CLOSED", f"{family}: state {r.get('state')}, want CLOSED: {r}")
            rtt = r.get("rtt_ms")
            F.check(isinstance(rtt, (int, float)) and rtt > 0, f"{family}: rtt_ms {rtt!r}: {r}")
            F.check(r.get("bytes_s2c", 0) > PAGE_BYTES, f"{family}: bytes_s2c {r.get('bytes_s2c')}"
                                                        f" < the {PAGE_BYTES}-byte page: {r}")


def tshark_echo(pcap, family):
    """(frames, frame.len sum) of echo requests and replies of one family in pcap."""
    flt = "icmp.type == 8 or icmp.type == 0" if family == "ipv4" else \
          "icmpv6.type == 128 or icmpv6.type == 129"
    proc = subprocess.run(["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.len",
                           "-Y", flt], capture_output=True, text=True, check=True)
    lens = [int(x) for x in proc.stdout.split()]
    return len(lens), sum(lens)


def check_ping(run, records):
    for family, proto, echo_type, count in (("ipv4", "icmp", 8, 5), ("ipv6", "icmpv6", 128, 3)):
        client, server = getattr(run["a"], family), getattr(run["b"], family)
        echo = [r for r in records if r.get("proto") == proto and r.get("icmp_type") == echo_type]
        F.check(len(echo) == 1, f"{family}: {len(echo)} {proto} echo records, want 1: {echo}")
        if family == "ipv4":
            icmp = [r for r in records if r.get("proto") == "icmp"]
            F.check(len(icmp) == 1, f"{len(icmp)} icmp records, want only the echo one: {icmp}")
        if len(echo) != 1:
            continue
        r = echo[0]
        F.check((r.get("client_ip"), r.get("server_ip")) == (client, server),
                f"{family} ping: client {r.get('client_ip')} server {r.get('server_ip')}, "
                f"want {client} -> {server}")
        F.check((r.get("packets_c2s"), r.get("packets_s2c")) == (count, count),
                f"{family} ping: packets {r.get('packets_c2s')} + {r.get('packets_s2c')}, "
                f"want {count} + {count}")
        F.check(isinstance(r.get("icmp_id"), int), f"{family} ping: icmp_id missing: {r}")
        F.check("client_port" not in r and "server_port" not in r, f"{family} ping has ports: {r}")
        frames, size = tshark_echo(run["pcap"], family)
        got = (r.get("packets_c2s", 0) + r.get("packets_s2c", 0),
               r.get("frame_bytes_c2s", 0) + r.get("frame_bytes_s2c", 0))
        F.check(got == (frames, size), f"{family} ping: wiretop {got[0]} frames / {got[1]} bytes, "
                                       f"tshark {frames} frames / {size} bytes")


def main():
    wiretop = wiretop_bin()
    preconditions()
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wiretop-netns-") as tmp:
        run = run_scenario(wiretop, tmp)
        records = check_output(run)
        check_against_tshark(run, records)
        check_http(run, records)
        check_ping(run, records)
        if F.items:
            print(f"wiretop stdout:\n{run['out']}\nwiretop stderr:\n{run['err']}")
    print(f"took {time.monotonic() - began:.1f} s")
    F.finish("live netns capture")


if __name__ == "__main__":
    main()
