#!/usr/bin/env python3
"""--alerts on a live capture (issue 10): the rules that need live attribution.

Captures loopback, filtered to one TCP port and DNS, with an empty rules file (the built-in rules).
A python HTTP server (answering after 1.5 s, so attribution sees both sockets) runs before wiretop
starts; curl then fetches from it twice, and a python client started after wiretop sends a DNS query
to 127.0.0.2, which /etc/resolv.conf does not list. Expected: new_process once per curl (each is a new
pid started after wiretop) and once for the DNS client, not for the server; new_destination once,
naming curl (its second run goes to the same destination); dns_resolver once for 127.0.0.2. Skips
(77) without root (capture and attribution) or curl, or when resolv.conf lists 127.0.0.2.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from common import Failures, wiretop_bin  # noqa: E402
from test_alerts import dns_query  # noqa: E402
from test_json_log_live import SLOW_SERVER, free_port  # noqa: E402

DNS_CLIENT = """
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex(sys.argv[1]), ("127.0.0.2", 53))
time.sleep(2.5)  # alive while attribution looks
"""


def main():
    binary = wiretop_bin()
    if os.geteuid() != 0 or not shutil.which("curl"):
        print("SKIP: needs root (live capture, attribution) and curl")
        return 77
    if "127.0.0.2" in open("/etc/resolv.conf").read():
        print("SKIP: /etc/resolv.conf lists 127.0.0.2")
        return 77
    failures = Failures()
    check = failures.check

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "rules.toml")
        open(rules, "w").close()
        server = subprocess.Popen([sys.executable, "-c", SLOW_SERVER, str(port)],
                                  cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            wt = subprocess.Popen([binary, "-i", "lo", "-f", f"tcp port {port} or udp port 53", "--json",
                                   "--duration", "14", "--alerts", rules],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(3)  # capture and the attribution helper up
            curls = []
            for _ in range(2):
                c = subprocess.Popen(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"])
                curls.append(c.pid)
                c.wait(timeout=10)
                time.sleep(1)
            dns = subprocess.Popen([sys.executable, "-c", DNS_CLIENT, dns_query("example.com").hex()])
            dns.wait(timeout=10)
            out, err = wt.communicate(timeout=40)
            check(wt.returncode == 0, f"wiretop exit {wt.returncode}: {err}")
        finally:
            server.terminate()
            server.wait()
    records = [json.loads(line) for line in out.splitlines()]
    alerts = [r for r in records if r.get("kind") == "alert"]
    by_rule = {}
    for a in alerts:
        by_rule.setdefault(a["rule"], []).append(a)
    new_process = by_rule.get("new_process", [])
    check(sorted(a["pid"] for a in new_process if a.get("process") == "curl") == sorted(curls),
          f"new_process once per curl {curls}: {new_process}")
    check(server.pid not in [a.get("pid") for a in new_process], f"the server predates wiretop: {new_process}")
    check(any(a["pid"] == dns.pid for a in new_process), f"new_process for the DNS client {dns.pid}: {new_process}")
    new_destination = [a for a in by_rule.get("new_destination", []) if a["server"].endswith(f":{port}")]
    check(len(new_destination) == 1 and new_destination[0].get("process") == "curl",
          f"new_destination once, by curl: {by_rule.get('new_destination')}")
    resolver = by_rule.get("dns_resolver", [])
    check(len(resolver) == 1 and resolver[0]["server"] == "127.0.0.2:53", f"dns_resolver once: {resolver}")
    summary = json.loads(err.strip().splitlines()[-1])
    check(summary.get("alerts", {}).get("new_process") == len(new_process), f"summary: {summary.get('alerts')}")
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
