"""The full-screen view, driven in a private tmux server on our generated capture.

Runs `wiretop -r FIXTURE --hold` in a 160x48 tmux pane and asserts on capture-pane text:
rows are listed, `s` (three times: rate, bytes, process, remote) changes the first row, `/port:80` leaves only the
HTTP connection, Enter shows its details, `a` groups by process and Enter expands the group, Tab / 3 / e / Shift-Tab / 1 / 2 / 4
move between the Overview, Graph, Activity and Listen tabs (their headings and content checked), `?` shows the help, and
`q q` exits (the process is gone).
Skips (exit 77) when tmux or the fixture generator is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from tmux_driver import Tmux, table_rows  # noqa: E402

T = Tmux("wiretop-test")
failures = T.failures
keys, screen, wait_for, tmux = T.keys, T.screen, T.wait_for, T.run


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
        pidfile = os.path.join(tmp, "pid")
        subprocess.run([gen, pcap], check=True)
        command = f"echo $$ > {pidfile}; exec {binary} -r {pcap} --hold --threads 1"
        try:
            tmux("new-session", "-d", "-x", "160", "-y", "48", "sh", "-c", command)
            tmux("set-option", "-g", "remain-on-exit", "on", check=False)
            text = wait_for(lambda t: "10.1.0.2:80" in t and "connections: 6" in t, "rows listed")
            first = table_rows(text)[:1]
            keys("s")
            wait_for(lambda t: "sort: bytes" in t, "s switches the sort to bytes")
            keys("s")
            wait_for(lambda t: "sort: process" in t, "s again switches the sort to process")
            keys("s")  # the fixture's busiest row is also its largest: remote order moves it
            text = wait_for(lambda t: "sort: remote" in t, "s again switches the sort to remote")
            if table_rows(text)[:1] == first:
                failures.append(f"first row unchanged after s s: {first}")
            keys("/", "port:80")
            text = wait_for(lambda t: len(table_rows(t)) == 1, "filter port:80 leaves one row")
            if "10.1.0.2:80" not in "".join(table_rows(text)):
                failures.append("filter port:80 row is not 10.1.0.2:80")
            keys("Enter")  # leaves the filter line
            keys("Enter")  # opens details
            text = wait_for(lambda t: "connection details" in t and "rtt" in t, "Enter shows details")
            if "10.1.0.2:80" not in text:
                failures.append("details are not of 10.1.0.2:80")
            keys("Escape")
            wait_for(lambda t: "PROTO" in t, "Esc returns to the table")
            keys("Escape", "/", "Escape")  # clear the filter
            keys("a")
            text = wait_for(lambda t: "[+]" in t and "(unknown process)" in t and "6 connections" in t,
                            "a groups the six connections under their (unknown) process")
            keys("Enter")
            text = wait_for(lambda t: "[-]" in t and "10.1.0.2:80" in t, "Enter expands the group")
            keys("a")
            wait_for(lambda t: "[-]" not in t and "[+]" not in t and "10.1.0.2:80" in t, "a again ungroups")
            keys("Tab")
            text = wait_for(lambda t: "Traffic, last" in t and "Protocols (share of bytes)" in t,
                            "Tab shows the Graph tab")
            for want in ("HTTP", "DNS", "Top processes", "unknown", "Top remote hosts", "10.1.0.3", "peak down"):
                if want not in text:
                    failures.append(f"Graph tab lacks {want!r}")
            keys("3")
            text = wait_for(lambda t: "Processes by egress" in t and "Interfaces (/sys/class/net" in t,
                            "3 shows the Activity tab")
            if not any(l.split()[:2] == ["unknown", "6"] for l in text.splitlines()):
                failures.append("Activity tab does not list the unknown process with its 6 connections")
            if "ranked by egress" not in text:
                failures.append("status bar does not say the ranking")
            keys("e")
            wait_for(lambda t: "Processes by ingress" in t and "ranked by ingress" in t, "e ranks by ingress")
            keys("BTab")
            wait_for(lambda t: "Traffic, last" in t, "Shift-Tab goes back to the Graph tab")
            keys("1")
            wait_for(lambda t: "PROTO" in t and "10.1.0.2:80" in t, "1 returns to the Overview")
            keys("2")
            wait_for(lambda t: "Traffic, last" in t, "2 shows the Graph tab")
            keys("BTab")
            wait_for(lambda t: "PROTO" in t, "Shift-Tab from the Graph goes to the Overview")
            keys("4")
            wait_for(lambda t: "Listening sockets: 0" in t and "shown on live capture only" in t,
                     "4 shows the Listen tab, which says a capture file has no listeners")
            keys("1")
            wait_for(lambda t: "PROTO" in t and "10.1.0.2:80" in t, "1 returns to the Overview")
            keys("?")
            wait_for(lambda t: "every key" in t and "Ctrl-C" in t and "seccomp: applied" in t,
                     "? shows the help with the sandbox layers")
            keys("Escape")
            wait_for(lambda t: "PROTO" in t, "any key closes the help")
            keys("q")
            wait_for(lambda t: "press q again" in t, "first q asks")
            keys("q")
            pid = int(open(pidfile).read().strip())
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
                time.sleep(0.1)
            if os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read().lower():
                failures.append("wiretop still running after q q")
        finally:
            tmux("kill-server", check=False)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
