"""The full-screen view on a real capture with TLS server names, driven in a private tmux server.

Replays the shared nDPI capture no_sni.pcap (eight HTTPS connections, five with an SNI) with
`--hold` and asserts on capture-pane text:
- the APP column shows "TLS <sni>"; `/sni:mozilla` leaves the one mozilla.cloudflare-dns.com row;
- a `/regex/` (case-insensitive) keeps the two every1dns rows; an invalid regex shows its error
  inline and the view keeps running;
- `n` shows the remote end as "name:443"; `c` copies the SNI with OSC 52 (tmux's set-clipboard
  puts it in tmux's paste buffer);
- narrowing the window drops the PROCESS column and widening brings it back (resize handled);
- `--replay-speed 1` replays at the capture's pace: a second in, fewer than the 442 packets are
  counted; all 442 within the capture's 4 s (plus slack).
Skips (exit 77) when tmux or the shared captures are missing.
"""
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from tmux_driver import Tmux, table_rows  # noqa: E402

T = Tmux("wiretop-names")
failures = T.failures
keys, screen, wait_for, tmux = T.keys, T.screen, T.wait_for, T.run
rows = table_rows


def start(command, width=180):
    T.start(command, width=width, height=40)
    tmux("set-option", "-g", "set-clipboard", "on", check=False)


def check_names(binary, pcap):
    start(f"{binary} -r {pcap} --hold --threads 1")
    text = wait_for(lambda t: "connections: 8" in t and "mozilla.cloudflare" in t, "eight rows with SNI")
    if "TLS mozilla.cloudflare" not in text:
        failures.append("APP column does not show 'TLS <sni>'")
    keys("/", "sni:mozilla")
    text = wait_for(lambda t: len(rows(t)) == 1, "sni:mozilla leaves one row")
    if "mozilla.cloudflare" not in "".join(rows(text)):
        failures.append("sni:mozilla row is not the mozilla one")
    keys("Escape", "/", "/IS-(CF|DOH)\\.help/")
    wait_for(lambda t: len(rows(t)) == 2 and "shown 2" in t, "a case-insensitive regex keeps the two every1dns rows")
    keys("Escape", "/", "/a(b")
    wait_for(lambda t: "bad regex" in t and "connections: 8" in t, "an invalid regex is reported inline")
    keys("Escape", "/", "sni:mozilla", "Enter")
    wait_for(lambda t: len(rows(t)) == 1, "filter kept after Enter")
    keys("n")
    wait_for(lambda t: "mozilla.cloudflare-dns.com:443" in t, "n shows the remote end by name")
    keys("c")
    wait_for(lambda t: "copied" in t, "c confirms the copy")
    buffer = tmux("show-buffer", check=False).stdout
    if buffer != "mozilla.cloudflare-dns.com":
        failures.append(f"OSC 52 copy: tmux buffer is {buffer!r}")
    if "PROCESS" not in screen():
        failures.append("no PROCESS column at 180 columns")
    tmux("resize-window", "-x", "90", check=False)
    text = wait_for(lambda t: "PROCESS" not in t and "REMOTE" in t, "at 90 columns PROCESS is dropped")
    if any(len(l) > 90 for l in text.splitlines()):
        failures.append("a line is wider than the 90-column window")
    tmux("resize-window", "-x", "180", check=False)
    wait_for(lambda t: "PROCESS" in t, "widening brings PROCESS back")
    keys("q", "q")


def check_replay_speed(binary, pcap):
    start(f"{binary} -r {pcap} --hold --threads 1 --replay-speed 1 --refresh-ms 200")
    time.sleep(1.2)
    text = screen()
    found = re.search(r"packets: (\d+)", text)
    if not found or int(found.group(1)) >= 442:
        failures.append(f"--replay-speed 1: a second in, expected fewer than 442 packets: {found and found.group(0)}")
    wait_for(lambda t: "packets: 442" in t, "--replay-speed 1: all 442 packets by the capture's end", timeout=8)
    keys("q", "q")


def main():
    binary = os.environ.get("WIRETOP_BIN")
    shared = os.environ.get("WIRETOP_SHARED") or os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
    pcap = os.path.join(shared, "pcaps", "ndpi", "no_sni.pcap")
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed")
        return 77
    if not binary or not os.path.exists(pcap):
        print(f"SKIP: WIRETOP_BIN not set or {pcap} missing")
        return 77
    try:
        check_names(binary, pcap)
        check_replay_speed(binary, pcap)
    finally:
        tmux("kill-server", check=False)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
