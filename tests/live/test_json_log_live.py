#!/usr/bin/env python3
"""--json-log on a live capture (issue 8): processes reach the event log.

Captures loopback, filtered to one port, while curl fetches twice from a local python HTTP
server that waits 1.5 s before answering, so live attribution has seen both sockets before the
connection's last packets (on a loaded machine a fast exchange can end before the helper's record
arrives). Each connection's events start with `new` and end with `closed`, an `update`
carries the HTTP result of deep packet inspection, and before `closed` some event already names
the client (curl) and the server (python3) — found by live attribution. Skips (77) without root
(capture and attribution) or without curl.
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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SLOW_SERVER = """
import http.server, sys, time
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        time.sleep(1.5)
        super().do_GET()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def main():
    binary = wiretop_bin()
    if os.geteuid() != 0 or not shutil.which("curl"):
        print("SKIP: needs root (live capture, attribution) and curl")
        return 77
    failures = Failures()
    check = failures.check

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "live.jsonl")
        server = subprocess.Popen([sys.executable, "-c", SLOW_SERVER, str(port)],
                                  cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wt = subprocess.Popen([binary, "-i", "lo", "-f", f"tcp port {port}", "--json", "--duration", "10",
                                   "--json-log", log], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(3)  # capture and the attribution helper up
            for _ in range(2):
                subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], timeout=10)
                time.sleep(1)
            _, err = wt.communicate(timeout=30)
            check(wt.returncode == 0, f"wiretop exit {wt.returncode}: {err}")
        finally:
            server.terminate()
            server.wait()
        events = {}
        for line in open(log, encoding="utf-8"):
            e = json.loads(line)
            events.setdefault(e["id"], []).append(e)
    check(len(events) == 2, f"two connections: {sorted(events)}")
    for cid, evs in events.items():
        kinds = [e["event"] for e in evs]
        check(kinds[0] == "new" and kinds[-1] == "closed", f"id {cid}: {kinds}")
        check(any(e["event"] == "update" and e.get("app", {}).get("proto") == "HTTP" for e in evs),
              f"id {cid}: an update with app.proto HTTP: {kinds}")
        open_evs = evs[:-1]
        check(any(e.get("process", {}).get("name") == "curl" for e in open_evs),
              f"id {cid}: curl named before closed: {[e.get('process') for e in open_evs]}")
        check(any(e.get("server_process", {}).get("name", "").startswith("python") for e in open_evs),
              f"id {cid}: the python server named before closed")
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
