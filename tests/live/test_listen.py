#!/usr/bin/env python3
"""Listening sockets (issue 10): `--json` ends a live run with one {"kind":"listen"} record per listener.

In namespace A one python3 process opens a TCP listener on 0.0.0.0:P1 (accepting and holding
connections), one on 127.0.0.1:P2 and a UDP socket bound to vethA's address on P3. wiretop runs
in A on vethA with --json; meanwhile B connects to P1 (TCP) and sends a datagram to P3. Checks:
the three listeners are listed with process "python3" (its pid), user root, `exposed` true for
the wildcard and the veth address and false for loopback; P1 served >= 1 connection, P2 none and
P3 one UDP flow; the listen records come after every connection record; no listener of another
namespace (B's sshd-like listener) leaks in. Then the same with --threads 2, and an offline run
(-r) writes no listen record. Skips (77) without root/namespaces.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from common import Failures, wiretop_bin  # noqa: E402
from netns import NetnsPair, Unavailable  # noqa: E402
from tmux_driver import Tmux  # noqa: E402

P1, P2, P3, P_OTHER = 18081, 18082, 18083, 18084

SERVER = """
import socket, sys, time
addr = sys.argv[1]
a = socket.socket(); a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
a.bind(("0.0.0.0", %d)); a.listen()
b = socket.socket(); b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
b.bind(("127.0.0.1", %d)); b.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((addr, %d))
print("ready", flush=True)
held = []
while True:
    c, _ = a.accept()
    held.append(c)
""" % (P1, P2, P3)

OTHER = """
import socket, time
s = socket.socket(); s.bind(("0.0.0.0", %d)); s.listen()
print("ready", flush=True)
time.sleep(60)
""" % P_OTHER

CLIENT = """
import socket, sys, time
dst = sys.argv[1]
c = socket.create_connection((dst, %d), timeout=5)
c.sendall(b"hello")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"ping", (dst, %d))
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 3)
""" % (P1, P3)

failures = Failures()
check = failures.check


def run_capture(pair, binary, threads, extra=()):
    wt = pair.a.popen([binary, "-i", pair.a.ifname, "--json", "--duration", "7", "--threads", str(threads), *extra],
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # capture open, the helper's first sock_diag dump sent
    pair.b.run(["python3", "-c", CLIENT, pair.a.ipv4], timeout=15)
    out, err = wt.communicate(timeout=30)
    check(wt.returncode == 0, f"wiretop exit {wt.returncode}: {err}")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def documented_listen_keys():
    """key -> allowed JSON types, from docs/json-schema.md's listening socket table."""
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    text = open(os.path.join(root, "docs", "json-schema.md"), encoding="utf-8").read()
    section = text.split("## Listening socket record", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): set(m.group(2).split(" or "))
            for m in re.finditer(r"^\| `([a-z0-9_]+)` \| ([a-z ]+?) \|", section, re.M)}


def json_type(v):
    if v is None:
        return "null"
    return {bool: "boolean", int: "integer", str: "string"}.get(type(v), "other")


def check_schema(listen_records):
    keys = documented_listen_keys()
    check(len(keys) >= 10, f"listen table parsed: {sorted(keys)}")
    for r in listen_records:
        check(set(r) == set(keys), f"listen record keys {sorted(r)} == documented {sorted(keys)}")
        for k, v in r.items():
            check(json_type(v) in keys.get(k, ()), f"listen key {k!r}: {json_type(v)} not in {keys.get(k)}")


def check_records(records, server_pid, threads, addr):
    tag = f"threads {threads}:"
    kinds = [r.get("kind") for r in records]
    first_listen = kinds.index("listen") if "listen" in kinds else len(kinds)
    check(set(kinds[first_listen:]) == {"listen"} and set(kinds[:first_listen]) == {"connection"},
          f"{tag} connection records, then listen records: {kinds}")
    listen = {(r["proto"], r["local_ip"], r["local_port"]): r for r in records if r.get("kind") == "listen"}
    print(tag, json.dumps(sorted(listen.values(), key=lambda r: r["local_port"])))
    check_schema(listen.values())
    expected = {("tcp", "0.0.0.0", P1): (True, 1), ("tcp", "127.0.0.1", P2): (False, 0),
                ("udp", addr, P3): (True, 1)}
    for key, (exposed, min_conns) in expected.items():
        r = listen.get(key)
        check(r is not None, f"{tag} listener {key} listed")
        if r is None:
            continue
        check(r["process"] == "python3" and r["pid"] == server_pid,
              f"{tag} {key} owned by python3 pid {server_pid}: {r['process']} {r['pid']}")
        check(r["user"] == "root" and r["uid"] == 0, f"{tag} {key} user root: {r['user']} {r['uid']}")
        check(r["exposed"] is exposed, f"{tag} {key} exposed {exposed}: {r['exposed']}")
        if min_conns:
            check(r["connections"] >= min_conns, f"{tag} {key} connections >= {min_conns}: {r['connections']}")
        else:
            check(r["connections"] == 0, f"{tag} {key} no connections: {r['connections']}")
    check(not any(k[2] == P_OTHER for k in listen), f"{tag} B's listener is not A's: {sorted(listen)}")
    conns = [r for r in records if r.get("kind") == "connection"]
    check(any(r.get("server_port") == P1 for r in conns), f"{tag} the TCP connection to {P1} was tracked")


def check_redacted(records, addr):
    """--redact: listeners keep the wildcard and loopback, lose the veth address and the user name;
    processes keep their name and lose user, exe and cmdline."""
    listen = [r for r in records if r.get("kind") == "listen"]
    text = json.dumps(records)
    check(len(listen) == 3, f"redact: three listeners: {listen}")
    check(f'"{addr}"' not in text, f"redact: {addr} appears")
    check(any(r["local_ip"] == "0.0.0.0" for r in listen) and any(r["local_ip"] == "127.0.0.1" for r in listen),
          f"redact: wildcard and loopback kept: {listen}")
    udp = [r for r in listen if r["proto"] == "udp"]
    check(udp and re.match(r"^10\.\d+\.\d+\.\d+$", udp[0]["local_ip"]) and udp[0]["local_ip"] != addr,
          f"redact: the veth address became another 10.x address: {udp}")
    check(all(re.match(r"^user-[0-9a-f]{8}$", r["user"] or "") and r["process"] == "python3" for r in listen),
          f"redact: users pseudonymised, process names kept: {listen}")
    procs = [r[k] for r in records for k in ("process", "server_process") if isinstance(r.get(k), dict)]
    check(procs, "redact: a connection was attributed")
    for p in procs:
        check(p["exe"].startswith("/redacted/exe-") and p["cmdline"].startswith("cmdline-") and
              p["user"].startswith("user-"), f"redact: process details pseudonymised: {p}")
    check('"root"' not in text and "python3 -c" not in text, "redact: no real user or command line")
    conn = [r for r in records if r.get("kind") == "connection" and r.get("server_port") == P1]
    check(conn and conn[0]["server_ip"] == udp[0]["local_ip"] if udp else False,
          f"redact: the connection's server address has the listener's pseudonym: {conn[:1]}")


def check_tab(pair, binary):
    """The Listen tab (key 4) lists the three listeners, exposed first, and counts the open connection."""
    t = Tmux("wiretop-listen")
    try:
        t.start(f"exec ip netns exec {pair.a.name} {binary} -i {pair.a.ifname} --threads 1", width=160, height=30)
        t.wait_for(lambda s: "1 Overview" in s, "the view starts")
        t.keys("4")
        t.wait_for(lambda s: "Listening sockets: 3, 2 reachable" in s, "4 shows the Listen tab with 3 listeners")
        client = pair.b.popen(["python3", "-c", CLIENT, pair.a.ipv4, "8"])
        text = t.wait_for(lambda s: re.search(rf"{P1}\s+exposed\s+1\s+\d+\s+python3\s+root", s),
                          f"{P1}: exposed, 1 connection, python3, root", timeout=8)
        lines = [l for l in text.splitlines() if re.search(rf"\b({P1}|{P2}|{P3})\b", l)]
        ports = [int(re.search(rf"\b({P1}|{P2}|{P3})\b", l).group(1)) for l in lines]
        check(ports[-1:] == [P2], f"the loopback-only listener comes last: {lines}")
        check(any(re.search(rf"127\.0\.0\.1\s+{P2}\s+local\s+0\s", l) for l in lines), f"{P2} is local: {lines}")
        client.wait(timeout=15)
    finally:
        t.kill()
    failures.extend(t.failures)
    for f in t.failures:
        print("FAIL:", f)


def main():
    binary = wiretop_bin()
    try:
        with NetnsPair(ipv6=False) as pair:
            server = pair.a.popen(["python3", "-c", SERVER, pair.a.ipv4], stdout=subprocess.PIPE, text=True)
            other = pair.b.popen(["python3", "-c", OTHER], stdout=subprocess.PIPE, text=True)
            check(server.stdout.readline().strip() == "ready", "the listeners are up")
            check(other.stdout.readline().strip() == "ready", "B's listener is up")
            for threads in (1, 2):
                check_records(run_capture(pair, binary, threads), server.pid, threads, pair.a.ipv4)
            check_redacted(run_capture(pair, binary, 1, ["--redact"]), pair.a.ipv4)
            if shutil.which("tmux"):
                check_tab(pair, binary)
            else:
                print("note: tmux is not installed; the Listen tab is not checked")
    except Unavailable as e:
        print(f"SKIP: {e}")
        return 77
    shared = os.environ.get("WIRETOP_SHARED", "")
    pcap = os.path.join(shared, "pcaps", "ndpi", "http.pcapng")
    if os.path.exists(pcap):
        out = subprocess.run([binary, "-r", pcap, "--json", "--threads", "1"], capture_output=True, text=True,
                             timeout=60).stdout
        check(out and '"kind":"listen"' not in out, "offline: connection records and no listen record")
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
