"""The Activity tab's history section (--history, issue 10), driven in a private tmux server.

Records our generated capture once with `--json --history DB`, then replays it with `--hold
--history DB` in a 160x48 pane: tab 3 shows "History" with today / 7 days / 30 days per process
and host. "Today" is the capture's own day (the packet clock), so the first run's bytes appear in
all three columns; the replay records too, so within the 5 s refresh the section shows both runs:
twice the fixture's bytes for the (unknown) process and for its busiest remote host.
Without --history the section is absent. Skips (exit 77) when tmux or the fixture generator is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from tmux_driver import Tmux  # noqa: E402

T = Tmux("wiretop-history")


def human(n):
    """The view's human_bytes() for the sizes the fixture has (under 1 MB)."""
    return f"{n}B" if n < 1024 else f"{n / 1024:.1f}KB"


def main():
    binary = os.environ.get("WIRETOP_BIN")
    gen = os.environ.get("WIRETOP_MAKE_FIXTURE")
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed")
        return 77
    if not binary or not gen:
        print("SKIP: WIRETOP_BIN or WIRETOP_MAKE_FIXTURE not set")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "fixture.pcap")
        db = os.path.join(tmp, "history.sqlite")
        subprocess.run([gen, pcap], check=True)
        out = subprocess.run([binary, "-r", pcap, "--json", "--threads", "1", "--history", db],
                             capture_output=True, text=True, check=True).stdout
        records = [json.loads(line) for line in out.splitlines()]
        total = sum(r["bytes_c2s"] + r["bytes_s2c"] for r in records)
        by_host = {}
        for r in records:
            by_host[r["server_ip"]] = by_host.get(r["server_ip"], 0) + r["bytes_c2s"] + r["bytes_s2c"]
        busiest = max(by_host, key=by_host.get)
        try:
            T.start(f"{binary} -r {pcap} --hold --threads 1 --history {db}")
            T.wait_for(lambda t: "connections: 6" in t, "the capture is replayed")
            T.keys("3")
            T.wait_for(lambda t: "History (--history" in t and "30 DAYS" in t, "3 shows the history section")
            # This replay records too (at its end); the section is read every 5 s, so it ends up
            # showing both runs: twice the first run's bytes.
            rows = [["process", "(unknown)"] + [human(2 * total)] * 3,
                    ["host", busiest] + [human(2 * by_host[busiest])] * 3]
            T.wait_for(lambda t: all(any(line.split()[:5] == row for line in t.splitlines()) for row in rows),
                       f"history rows {rows}", timeout=8)
            T.start(f"{binary} -r {pcap} --hold --threads 1")
            T.wait_for(lambda t: "connections: 6" in t, "the capture is replayed without --history")
            T.keys("3")
            text = T.wait_for(lambda t: "Processes by egress" in t, "3 shows the Activity tab")
            if "History (--history" in text:
                T.failures.append("the history section shows without --history")
        finally:
            T.kill()
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
