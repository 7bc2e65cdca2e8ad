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
Two datagrams: A to a closed port of B (one UDP record carrying icmp_errors 1, the ICMP error in
its own record and not in the UDP counts: tshark's count excludes the quoted copy too), and B to
ff02::1 (the group is the server; neither end is A's, so both *_local are false).

Skips (exit 77) when not root, when namespaces cannot be made, or tcpdump/tshark/curl are missing.
"""
import datetime
import os
import re
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
CLOSED_PORT = 9       # discard: nothing listens, so B answers A with ICMP port unreachable
MULTICAST = "ff02::1"
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
    # --immediate-mode: otherwise TPACKET_V3 holds packets for up to a second in a ring block that
    # tcpdump abandons on SIGINT, and the oracle misses the last pings.
    td = pair.a.popen(["tcpdump", "-i", pair.a.ifname, "-n", "-U", "--immediate-mode", "-Z", "root",
                       "-w", pcap],
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
    ports["udp_closed"] = send_udp(pair.a, pair.a.ipv4, pair.b.ipv4, CLOSED_PORT)
    ports["udp_multicast"] = send_udp(pair.b, pair.b.ipv6, MULTICAST, CLOSED_PORT, pair.b.ifname)
    return ports


def send_udp(ns, src, dst, port, scope_if=None):
    """Sends one 100-byte UDP datagram from src inside ns; returns its source port."""
    family = "AF_INET6" if ":" in src else "AF_INET"
    target = f"({dst!r}, {port}, 0, socket.if_nametoindex({scope_if!r}))" if scope_if else \
             f"({dst!r}, {port})"
    code = (f"import socket; s = socket.socket(socket.{family}, socket.SOCK_DGRAM); "
            f"s.bind(({src!r}, 0)); s.sendto(b'x' * 100, {target}); print(s.getsockname()[1])")
    proc = ns.run([sys.executable, "-c", code])
    F.check(proc.returncode == 0, f"sending UDP {src} -> {dst}:{port} failed: {proc.stderr}")
    return int(proc.stdout) if proc.returncode == 0 else None


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
    tcpdump_err = read(files["tcpdump.err"].name)
    F.check(re.search(r"\b0 packets dropped by kernel", tcpdump_err),
            f"tcpdump (the oracle's capture) lost packets: {tcpdump_err.strip()}")
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


def check_udp(run, records):
    """A's datagram to B's closed port: one UDP record with the ICMP error counted in it, not in
    its packets, and the error as its own record from B. B's datagram to ff02::1: a record with
    the multicast group as server, in which neither end is one of A's addresses."""
    a, b = run["a"], run["b"]
    sport = run["ports"]["udp_closed"]
    udp = [r for r in records if r.get("proto") == "udp" and r.get("server_port") == CLOSED_PORT
           and r.get("server_ip") == b.ipv4]
    F.check(len(udp) == 1, f"{len(udp)} UDP records to {b.ipv4}:{CLOSED_PORT}, want 1: {udp}")
    if udp:
        r = udp[0]
        F.check((r.get("client_ip"), r.get("client_port")) == (a.ipv4, sport),
                f"UDP to closed port: client {r.get('client_ip')}:{r.get('client_port')}, "
                f"want {a.ipv4}:{sport}")
        F.check((r.get("packets_c2s"), r.get("packets_s2c"), r.get("icmp_errors")) == (1, 0, 1),
                f"UDP to closed port: packets {r.get('packets_c2s')} + {r.get('packets_s2c')}, "
                f"icmp_errors {r.get('icmp_errors')}, want 1 + 0 and 1: {r}")
    unreach = [r for r in records if r.get("proto") == "icmp" and r.get("icmp_type") == 3]
    F.check(len(unreach) == 1 and (unreach[0].get("client_ip"), unreach[0].get("server_ip"),
                                   unreach[0].get("icmp_code")) == (b.ipv4, a.ipv4, 3),
            f"want one ICMP port-unreachable record {b.ipv4} -> {a.ipv4}: {unreach}")
    mcast = [r for r in records if r.get("proto") == "udp" and r.get("server_ip") == MULTICAST]
    F.check(len(mcast) == 1, f"{len(mcast)} UDP records to {MULTICAST}, want 1: {mcast}")
    if mcast:
        r = mcast[0]
        F.check((r.get("client_ip"), r.get("client_port"), r.get("server_port"),
                 r.get("packets_c2s")) ==
                (b.ipv6, run["ports"]["udp_multicast"], CLOSED_PORT, 1),
                f"UDP to {MULTICAST}: want client {b.ipv6}:{run['ports']['udp_multicast']}, "
                f"server port {CLOSED_PORT}, 1 packet: {r}")
        F.check(r.get("client_local") is False and r.get("server_local") is False,
                f"UDP {b.ipv6} -> {MULTICAST} seen in A: want client_local and server_local "
                f"false: {r}")


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
        check_udp(run, records)
        if F.items or os.environ.get("WIRETOP_TEST_VERBOSE"):
            print(f"wiretop stdout:\n{run['out']}\nwiretop stderr:\n{run['err']}")
    print(f"took {time.monotonic() - began:.1f} s")
    F.finish("live netns capture")


if __name__ == "__main__":
    main()
